"""Validator, consistency and fix texts by code, rendered in English and French (scoring/messages/<lang>.json).

Every template renders in both languages with counts 0, 1 and 2 and lists of 0, 1 and 2 items; a French text that
is missing, empty, English or built on other placeholders fails. A French page's fix speaks French end to end:
``localize_fix``, the API's ``?lang=fr`` and ``healthgeo fix --lang fr``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring import audit_html
from scoring.facts.topic import health_signal
from scoring.fix import fix_html
from scoring.i18n import (
    engine_message,
    engine_messages,
    finding_message,
    fix_message,
    localize_findings,
    localize_fix,
    localize_report,
    placeholders,
    plural_blocks,
    topic_reason,
    translation_problems,
)
from scoring.markup.validate import validate_nodes
from service.cli.main import main
from tests.conftest import FIXTURES, fixture_html
from tests.test_api import api_key, app, auth, client, make_app  # noqa: F401 - fixtures

SECTIONS = ("validate", "consistency", "fix")
# texts that are the same in both languages by nature: a bare placeholder, an identifier
SAME_IN_BOTH = {("fix", "finding"), ("fix", "og-site-name")}
ENGLISH_WORDS = re.compile(r"\b(?:the|is|not|and|with|markup|shows|add|of)\b")  # a sentence left in English
FR_PAGE = "fr_poor_article.html"
FR_URL = "https://exemple.fr/sante/article"


def _params(template: str, n: int) -> dict:
    """Values for every placeholder: the plural counts and numbers at n, the other fields as lists of n items."""
    counts = {name for _, _, name, _ in plural_blocks(template)}
    out: dict = {}
    for field, _spec in placeholders(template):
        out[field] = n if field in counts else ["Alpha", "Beta"][:n] if n < 2 else ["Alpha", "Beta"]
    return out


def _templates():
    en, fr = engine_messages("en"), engine_messages("fr")
    for section in SECTIONS:
        for key in en[section]:
            yield section, key, en[section][key], fr.get(section, {}).get(key)


def test_every_section_exists_in_both_languages_with_the_same_placeholders():
    en, fr = engine_messages("en"), engine_messages("fr")
    for section in SECTIONS:
        assert en[section], section
        assert translation_problems(en[section], fr.get(section, {})) == [], section


@pytest.mark.parametrize("n", [0, 1, 2])
def test_every_code_renders_in_both_languages(n):
    for section, key, en_template, fr_template in _templates():
        assert fr_template, f"{section}.{key}: no French text"
        english = fix_message(key, _params(en_template, n), "en") if section == "fix" else \
            finding_message({"source": section, "message_key": key, "params": _params(en_template, n)}, "en")
        french = fix_message(key, _params(en_template, n), "fr") if section == "fix" else \
            finding_message({"source": section, "message_key": key, "params": _params(en_template, n)}, "fr")
        for text in (english, french):
            assert text is not None and (text or n == 0), (section, key)
            assert "{" not in text and "#" not in text, (section, key, text)
        if (section, key) not in SAME_IN_BOTH:
            assert french != english, f"{section}.{key}: French is the English text"
            assert not ENGLISH_WORDS.search(re.sub(r"Alpha|Beta|\d", "", french)), (section, key, french)


def test_french_counts_follow_french_plural_rules():
    one = fix_message("cited-sources", {"count": 1}, "fr")
    two = fix_message("cited-sources", {"count": 2}, "fr")
    zero = fix_message("cited-sources", {"count": 0}, "fr")
    assert one.startswith("1 source de référence citée") and zero.startswith("0 source de référence citée")
    assert two.startswith("2 sources de référence citées")
    assert fix_message("cited-sources", {"count": 2}, "en").startswith("2 authoritative sources")


def test_lists_and_dates_read_in_each_language():
    params = {"days": ["2024-05-17", "2024-06-02"], "markup_date": "2024-05-16"}
    assert fix_message("date-differs", params, "fr") == "la page affiche 17 mai 2024 et 2 juin 2024, pas 16 mai 2024"
    assert fix_message("date-differs", params, "en") == \
        "the page shows May 17, 2024 and June 2, 2024, not May 16, 2024"


def _codes_used_in_source() -> set[str]:
    """The fix codes named literally in scoring/fix (said("...")): each must have its texts."""
    root = Path(__file__).resolve().parents[1] / "scoring" / "fix"
    found = set()
    for path in root.glob("*.py"):
        found |= set(re.findall(r"""said\(\s*"([a-z][\w.-]*)\"""", path.read_text(encoding="utf-8")))
    return found


def test_every_code_the_fix_names_has_its_texts():
    codes = _codes_used_in_source()
    assert len(codes) > 50  # the scan sees the calls
    assert codes - set(engine_messages("en")["fix"]) == set()


def test_every_validator_finding_has_a_key_and_renders_in_french():
    graph = [{"@type": ["MedicalWebPage", "MedicalCondition"], "@id": "#p", "lastReviewd": "2024-03-01",
              "datePublished": "3 March 2024", "author": {"@type": "Physician", "name": "Dr Jane Roe, MD"},
              "url": "not a url", "inLanguage": 7, "medicalAudience": "Patient"},
             {"@type": "WebPage", "@id": "#q", "isAccessibleForFree": 3},
             {"@type": "Symptom", "@id": "#s"}, {"@type": "Thingy", "@id": "#t"}]
    errors, warnings = validate_nodes(graph)
    assert len(errors) >= 4 and warnings
    for finding in errors + warnings:
        assert finding["message_key"] in engine_messages("en")["validate"], finding
        french = finding_message(finding, "fr")
        assert french and french != finding["message"], finding
    local = localize_findings(errors, "fr")
    assert any("n’est pas une propriété schema.org" in f["message"] for f in local)
    assert [f["message"] for f in errors] != [f["message"] for f in local]


def test_consistency_findings_render_in_french():
    report = audit_html(fixture_html("en_poor_article.html"))
    findings = report["facts"]["structured_data"]["consistency"]
    assert findings and all(f["message_key"] in engine_messages("en")["consistency"] for f in findings)
    local = localize_report(report, "fr")["facts"]["structured_data"]["consistency"]
    assert all(f["message"] != g["message"] for f, g in zip(findings, local, strict=True))
    assert any("inLanguage vaut" in f["message"] for f in local)


def _french_fix():
    return fix_html(fixture_html(FR_PAGE), FR_URL)


def test_a_french_page_fix_in_french():
    fix = _french_fix()
    assert fix["changes"] and fix["missing"]
    assert all(c["reason_code"] and m for c in fix["changes"] for m in [c["reason"]])
    french = localize_fix(fix, "fr")
    assert french["jsonld"] == fix["jsonld"]  # only the texts change
    for before, after in zip(fix["changes"], french["changes"], strict=True):
        assert after["reason"] != before["reason"] and after["reason_code"] == before["reason_code"]
    for before, after in zip(fix["missing"], french["missing"], strict=True):
        assert after["message"] != before["message"]
    assert any("aucun auteur n’est nommé" in m["message"] for m in french["missing"])


def test_fix_of_every_fixture_page_has_codes_only_and_renders_in_french():
    pages = sorted((FIXTURES / "pages").glob("*.html")) + sorted((FIXTURES / "fix").glob("*.html"))
    assert pages
    for path in pages:
        fix = fix_html(path.read_bytes(), "https://example.org/page")
        french = localize_fix(fix, "fr")
        for item in fix["changes"]:
            assert item["reason_code"] in engine_messages("fr")["fix"], (path.name, item)
        for item in fix["missing"]:
            assert item["message_key"] in engine_messages("fr")["fix"], (path.name, item)
        assert len(french["changes"]) == len(fix["changes"]) and len(french["missing"]) == len(fix["missing"])


def test_api_json_and_report_show_french_reasons(client, auth):  # noqa: F811
    resp = client.post(f"/v1/audits?lang=fr&url={FR_URL}", data=fixture_html(FR_PAGE),
                       headers={**auth, "Content-Type": "text/html"})
    assert resp.status_code in (200, 201), resp.data[:300]
    body = resp.get_json()
    fix = body["fix"]
    assert any(c["reason"] == "la page fait partie du site" for c in fix["changes"])
    assert any("aucun auteur n’est nommé" in m["message"] for m in fix["missing"])
    english = client.get(f"/v1/audits/{body['id']}", headers=auth).get_json()["fix"]
    assert any(c["reason"] == "the page belongs to the site" for c in english["changes"])
    html = client.get(f"/v1/audits/{body['id']}/report?lang=fr", headers=auth).get_data(as_text=True)
    assert "la page fait partie du site" in html and "the page belongs to the site" not in html


def test_cli_fix_in_french(capsys, monkeypatch):
    monkeypatch.delenv("HEALTHGEO_LANG", raising=False)
    page = str(FIXTURES / "pages" / FR_PAGE)
    assert main(["fix", page, "--url", FR_URL, "--format", "json", "--lang", "fr"]) == 0
    fix = json.loads(capsys.readouterr().out)
    assert any(c["reason"] == "la page fait partie du site" for c in fix["changes"])
    assert main(["fix", page, "--url", FR_URL, "--format", "json"]) == 0
    fix = json.loads(capsys.readouterr().out)
    assert any(c["reason"] == "the page belongs to the site" for c in fix["changes"])


def test_a_literal_value_is_quoted_as_written_not_read_as_a_date():
    finding = {"message_key": "date-without-time", "params": {"property": "dateModified", "text": "2024-08-02"}}
    assert "«\u00a02024-08-02\u00a0»" in finding_message(finding, "fr")
    assert "“2024-08-02”" in finding_message(finding, "en")


WORDED_SECTIONS = ("topic", "audience_signals")  # codes another message words ("{x:@section}") or a fact's reason


@pytest.mark.parametrize("n", [0, 1, 2])
def test_topic_reasons_and_audience_signals_render_in_both_languages(n):
    en, fr = engine_messages("en"), engine_messages("fr")
    for section in WORDED_SECTIONS:
        assert en[section] and translation_problems(en[section], fr.get(section, {})) == [], section
        for key, template in en[section].items():
            params = {**_params(template, n), "density": 0.012 * n, "threshold": 0.015, "text": "Alpha"}
            english, french = (engine_message(section, key, params, lang) for lang in ("en", "fr"))
            assert "{" not in french and french != english, (section, key, french)
            assert not ENGLISH_WORDS.search(re.sub(r"Alpha|Beta|\d", "", french)), (section, key, french)


def test_the_reason_a_page_is_not_health_content_reads_in_french():
    report = audit_html(fixture_html("fr_recipe.html"), "https://exemple.fr/recettes/tarte")
    topic = report["facts"]["topic"]
    assert not topic["is_health"] and topic["reason_code"] == "page-type"
    assert topic["reason"] == "page type: Recipe"
    french = localize_report(report, "fr")
    assert french["facts"]["topic"]["reason"] == "type de page\u00a0: Recipe"
    skipped = [c for c in french["checks"] if c["message_key"] == "na_not_health"]
    assert skipped and all(c["message"].endswith("(type de page\u00a0: Recipe).") for c in skipped)
    assert all(c["params"]["reason"] == "type de page\u00a0: Recipe" for c in skipped)


def test_a_density_reason_says_the_threshold_only_when_under_it():
    # the threshold's boundary: 3 health words in 200 is 1.5% (health content), 2 in 200 is not
    at = health_signal("", "fr", [], words=["vaccin"] * 3 + ["jardin"] * 197)
    under = health_signal("", "fr", [], words=["vaccin"] * 2 + ["jardin"] * 198)
    assert at["is_health"] and at["reason_code"] == "vocabulary-density" and "seuil" not in topic_reason(at, "fr")
    assert not under["is_health"] and under["reason_code"] == "vocabulary-density-low"
    assert topic_reason(under, "fr") == "densité de vocabulaire de santé de 1,0\u00a0%, sous le seuil de 1,5\u00a0%"
    # fewer than 25 words say nothing, however medical
    assert not health_signal("", "fr", [], words=["vaccin"] * 24)["is_health"]
    assert health_signal("", "fr", [], words=["vaccin"] * 25)["is_health"]
    low = {"reason_code": "vocabulary-density-low", "reason_params": {"density": 0.004, "threshold": 0.015}}
    assert topic_reason(low, "fr") == "densité de vocabulaire de santé de 0,4\u00a0%, sous le seuil de 1,5\u00a0%"
    assert topic_reason(low, "en") == "health vocabulary density 0.4%, under the 1.5% threshold"
    assert topic_reason({"reason": "an older report's words"}, "fr") == "an older report's words"


def test_the_audience_the_fix_proposes_is_explained_in_french():
    fix = fix_html((FIXTURES / "audience" / "fr_professional_gated.html").read_bytes())
    change = next(c for c in fix["changes"] if c["property"] == "audience")
    signals = change["reason_params"]["signals"]
    assert signals and all(s["code"] in engine_messages("fr")["audience_signals"] for s in signals)
    french = localize_fix(fix, "fr")["changes"][fix["changes"].index(change)]["reason"]
    assert french.startswith("le public que la page affiche\u00a0: un accès réservé «\u00a0")
    assert "gate" not in french
