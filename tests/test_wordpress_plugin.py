"""The WordPress plugin's files: PHPUnit on its PHP logic (Debian's phpunit), every PHP file parses, translations
complete and built, readme.txt in WordPress's format, nothing prints unescaped, and the engine reads the audited
document's site furniture as the site's, not as the article's.

PHP and phpunit missing: the PHP tests skip locally and fail under CI=true (``.ci/run`` installs them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import audit_html
from tests.conftest import check_result
from tests.test_wordpress_e2e import FIXED_EXCERPT, FIXED_POST, FIXED_TITLE

INTEGRATION = Path(__file__).resolve().parents[1] / "integrations" / "wordpress"
PLUGIN = INTEGRATION / "healthgeo"
sys.path.insert(0, str(INTEGRATION))
import translations  # noqa: E402  (integrations/wordpress/translations.py)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (apt-get install php-cli phpunit)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}: CI must run the plugin's PHP tests (.ci/run installs them)")
        pytest.skip(reason)
    return path


def test_phpunit_passes_on_the_plugins_logic():
    phpunit = _tool("phpunit")
    done = subprocess.run([phpunit, "-c", str(INTEGRATION / "phpunit.xml")], cwd=INTEGRATION, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"OK \(\d+ tests", done.stdout), done.stdout[-1000:]


def test_every_php_file_parses():
    php = _tool("php")
    for path in sorted(INTEGRATION.rglob("*.php")):
        done = subprocess.run([php, "-l", str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr


def test_every_string_is_translated_into_french_and_the_built_files_are_current():
    assert translations.problems() == []
    every, editor = translations.code_strings()
    assert ("", "Analyse") in editor and ("", "API key") in every - editor
    _, french = translations.read_po(PLUGIN / "languages" / "healthgeo-fr_FR.po")
    assert french[("", "Analyse")] == "Analyser"


def test_french_strings_have_their_no_break_spaces():
    _, french = translations.read_po(PLUGIN / "languages" / "healthgeo-fr_FR.po")
    for text in french.values():
        for mark in re.finditer(r"[:;?!](?=\s|$)", text):
            assert text[mark.start() - 1] == "\u00a0", f"no no-break space before {mark.group()!r}: {text!r}"


def test_the_mo_file_holds_every_translation():
    header, french = translations.read_po(PLUGIN / "languages" / "healthgeo-fr_FR.po")
    data = (PLUGIN / "languages" / "healthgeo-fr_FR.mo").read_bytes()
    assert data[:4] == b"\xde\x12\x04\x95"
    for (context, msgid), text in french.items():
        assert (f"{context}\x04{msgid}" if context else msgid).encode() in data
        assert text.encode() in data


def test_readme_txt_is_in_wordpress_format():
    text = (PLUGIN / "readme.txt").read_text(encoding="utf-8")
    assert text.startswith("=== Healthgeo ===\n")
    for field in ("Contributors", "Tags", "Requires at least", "Tested up to", "Requires PHP", "Stable tag",
                  "License"):
        assert re.search(rf"^{field}: \S", text, re.M), field
    for section in ("Description", "Installation", "Frequently Asked Questions", "Changelog"):
        assert f"\n== {section} ==\n" in text
    version = re.search(r"^ \* Version:\s+(\S+)", (PLUGIN / "healthgeo.php").read_text(), re.M).group(1)
    assert re.search(rf"^Stable tag: {re.escape(version)}$", text, re.M)


def test_output_is_escaped_and_actions_are_checked():
    """Every echo escapes (or says why not); every action checks a capability, and forms and links a nonce."""
    for path in sorted(PLUGIN.rglob("*.php")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\becho\b", line) and not re.search(r"esc_(?:html|attr|url)|phpcs:ignore", line):
                pytest.fail(f"{path.name}:{number}: unescaped echo: {line.strip()}")
    admin = (PLUGIN / "includes" / "class-healthgeo-admin.php").read_text(encoding="utf-8")
    assert "check_admin_referer( self::REPORT_ACTION )" in admin and "wp_create_nonce( self::REPORT_ACTION )" in admin
    assert "settings_fields( self::PAGE )" in admin and "current_user_can( 'manage_options' )" in admin
    rest = (PLUGIN / "includes" / "class-healthgeo-rest.php").read_text(encoding="utf-8")
    assert "current_user_can( 'edit_post'" in rest
    assert "defined( 'WP_UNINSTALL_PLUGIN' ) || exit;" in (PLUGIN / "uninstall.php").read_text(encoding="utf-8")


# php -r: the bootstrap's path as the first argument, the parts as JSON on stdin
_DOCUMENT = "require $argv[1]; echo Healthgeo_Document::html( json_decode( stream_get_contents( STDIN ), true ) );"
SITE = "https://sante.example.org"
FURNITURE = {
    "header_menu": [{"title": "Accueil", "url": f"{SITE}/"}, {"title": "Contact", "url": f"{SITE}/?page_id=7"}],
    # an authoritative site in a menu is the site's link, not one of the article's sources
    "footer_menu": [{"title": "Mentions légales", "url": f"{SITE}/?page_id=8"},
                    {"title": "Santé publique France", "url": "https://www.santepubliquefrance.fr/"}],
    "privacy_url": f"{SITE}/?page_id=3", "privacy_title": "Politique de confidentialité",
}


def _document(**furniture) -> bytes:
    """The fixed e2e post through the plugin's Healthgeo_Document::html(), with the given site furniture."""
    php = _tool("php")
    parts = {"title": FIXED_TITLE, "lang": "fr-FR", "description": FIXED_EXCERPT, "site_name": "Santé pratique",
             "site_url": f"{SITE}/", "author": "Claire Martin", "author_url": f"{SITE}/?author=1", "by_label": "Par",
             "published": "2026-12-04T10:00:00+01:00", "published_label": "Publié le", "content": FIXED_POST,
             **furniture}
    done = subprocess.run([php, "-r", _DOCUMENT, "--", str(INTEGRATION / "tests" / "bootstrap.php")],
                          input=json.dumps(parts), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.encode()


def test_the_sites_furniture_passes_the_site_checks_and_leaves_the_sourcing_alone():
    url = f"{SITE}/?p=5"
    bare, furnished = audit_html(_document(), url), audit_html(_document(**FURNITURE), url)
    site_checks = ("trust.privacy-policy", "trust.contact-about", "compliance.legal-notice")
    assert [check_result(bare, c)["status"] for c in site_checks] == ["fail"] * 3
    assert [check_result(furnished, c)["status"] for c in site_checks] == ["pass"] * 3
    for fact in ("citations", "references_section", "references", "statistics", "quotations", "weak_sources",
                 "word_count", "authors", "reviewers"):
        assert furnished["facts"][fact] == bare["facts"][fact], fact
    sourcing = [c for c in bare["checks"] if c["id"].startswith("sourcing.")]
    assert [c for c in furnished["checks"] if c["id"].startswith("sourcing.")] == sourcing
    # og:site_name: the JSON-LD the audit proposes names the site as publisher
    graph = furnished["fix"]["jsonld"]["@graph"]
    assert {"@type": "Organization", "@id": f"{SITE}/#organization", "name": "Santé pratique", "url": f"{SITE}/"} \
        in graph
