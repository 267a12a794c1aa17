"""The command line as an editor meets it: what to fix first, in the chosen language, exit codes that mean what
they say, a closed pipe, scheme-less inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scoring.checks.base import CREDIT
from service.cli.main import main
from service.reports.env import ui_strings
from tests.conftest import FIXTURES

ROOT = FIXTURES.parents[1] if (FIXTURES.parents[1] / "pyproject.toml").exists() else FIXTURES.parents[2]
PAGES = FIXTURES / "pages" if (FIXTURES / "pages").is_dir() else FIXTURES
POOR_EN = str(PAGES / "en_poor_article.html")
POOR_FR = str(PAGES / "fr_poor_article.html")


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("HEALTHGEO_LANG", raising=False)


def _json_report(page: str, lang: str, capsys) -> dict:
    assert main(["audit", page, "--format", "json", "--lang", lang]) == 0
    return json.loads(capsys.readouterr().out)


def test_fix_these_first_lists_the_three_heaviest_failures_with_their_fix(capsys):
    report = _json_report(POOR_EN, "en", capsys)
    failures = sorted((c for c in report["checks"] if c["status"] == "fail"),
                      key=lambda c: -c["weight"] * (1 - CREDIT["fail"]))
    assert main(["audit", POOR_EN]) == 0
    text = capsys.readouterr().out
    head, _, rest = text.partition("Fix these first:")[2].partition("Other findings:")
    shown = [c for c in failures if f"FAIL {c['title']}:" in head]
    assert len(shown) == 3 and min(c["weight"] for c in shown) >= max(c["weight"] for c in failures
                                                                       if c not in shown)
    assert head.count("fix: ") == 3 and "fix: " not in rest
    assert failures[0]["id"] not in text  # titles by default
    assert main(["audit", POOR_EN, "-v"]) == 0
    assert f"[{failures[0]['id']}]" in capsys.readouterr().out


def test_french_text_output_holds_no_english_sentence(capsys):
    english = ui_strings("en")
    for page in (POOR_EN, POOR_FR):
        report_en = _json_report(page, "en", capsys)
        assert main(["audit", page, "--lang", "fr", "-v"]) == 0
        text = capsys.readouterr().out
        assert "ÉCHEC" in text and "FAIL" not in text and "WARN" not in text
        sentences = [c[k] for c in report_en["checks"] for k in ("title", "message", "how_to_fix")]
        sentences += [v for k, v in english.items() if k.startswith(("cli_", "text_")) and isinstance(v, str)]
        for sentence in sentences:
            words = sentence.split("{")[0].strip()
            if len(words) > 12:
                assert words not in text, words


def test_no_literal_backticks(capsys):
    for page in sorted(PAGES.glob("*.html")):
        for lang in ("en", "fr"):
            main(["audit", str(page), "--lang", lang, "-v"])
            assert "`" not in capsys.readouterr().out


def test_wrapped_to_the_terminal_width_when_asked(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["audit", POOR_EN]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) <= 60


def test_scheme_less_input_says_add_https(capsys):
    assert main(["audit", "www.example.org/asthma"]) == 2
    err = capsys.readouterr().err
    assert "add https://" in err and "https://www.example.org/asthma" in err
    assert main(["fix", "www.example.org/asthma"]) == 2
    assert "add https://" in capsys.readouterr().err


def test_exit_codes(capsys, tmp_path):
    assert main(["audit", POOR_EN]) == 0
    assert main(["audit", POOR_EN, "--fail-under", "90"]) == 1
    assert main(["audit", POOR_EN, str(tmp_path / "missing.html")]) == 2
    assert main(["audit", str(tmp_path / "missing.html")]) == 2
    assert main(["audit", str(tmp_path / "nothing-*.html")]) == 2  # nothing audited
    assert main(["fix", str(tmp_path / "missing.html")]) == 2


def test_page_answering_404_and_refused_connection(capsys, httpserver, monkeypatch):
    monkeypatch.setenv("HEALTHGEO_FETCH_ALLOW", "127.0.0.1:*")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    assert main(["audit", f"http://127.0.0.1:{httpserver.port}/gone"]) == 2
    assert "HTTP 404" in capsys.readouterr().err
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["audit", f"http://127.0.0.1:{port}/", "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert "_Pinned" not in err and "Connection" not in err.split(":", 1)[0]


def test_fail_under_holds_when_the_pipe_closes_early():
    """`healthgeo audit ... --fail-under 90 | head -1`: the reader leaves; the status still says the pages failed."""
    args = [sys.executable, "-m", "service.cli", "audit", *([POOR_EN] * 40), "--fail-under", "90"]
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # like head: stop reading
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_fix_speaks_lang_and_healthgeo_lang(monkeypatch, capsys, tmp_path):
    page = str(FIXTURES / "pages" / "fr_good_article.html")
    assert main(["fix", page, "--apply", "--lang", "fr"]) == 2
    assert "fix --apply demande -o FICHIER" in capsys.readouterr().err
    monkeypatch.setenv("HEALTHGEO_LANG", "fr")
    assert main(["fix", str(tmp_path / "absent.html")]) == 2
    assert "fichier introuvable" in capsys.readouterr().err
    assert main(["fix", str(tmp_path / "absent.html"), "--lang", "en"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["fix", page, "--apply", "-o", str(tmp_path / "missing-dir" / "x.html")]) == 2
    assert "écriture impossible" in capsys.readouterr().err


def test_every_input_error_speaks_french(capsys, tmp_path, httpserver, monkeypatch):
    """Each way an input can fail, under --lang fr: one French line per input, no English sentence."""
    import socket

    monkeypatch.setenv("HEALTHGEO_FETCH_ALLOW", "127.0.0.1:*")
    (tmp_path / "empty.html").write_text("")
    (tmp_path / "notes.html").write_text("Rendez-vous mardi.")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{s.getsockname()[1]}/"
    httpserver.expect_request("/pdf").respond_with_data("%PDF-1.7", content_type="application/pdf")
    inputs = [str(tmp_path / "empty.html"), str(tmp_path / "notes.html"), "ftp://example.org/page.html",
              str(tmp_path / "none-*.html"), refused, f"http://127.0.0.1:{httpserver.port}/pdf"]
    assert main(["audit", *inputs, "--lang", "fr"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(inputs), lines
    for expected in ("entrée vide", "pas un document HTML", "seules les URL http et https", "aucun fichier HTML",
                     "connexion a été refusée", "la réponse n’est pas un document HTML"):
        assert any(expected in line for line in lines), (expected, lines)
    english = ui_strings("en")
    for key in ("cli_empty_input", "cli_not_html", "cli_only_http", "cli_no_html_found"):
        words = english[key].split("}", 1)[1].strip(": ")
        assert not any(words in line for line in lines), words
    assert not any(word in " ".join(lines) for word in ("refused", "cannot", "content type"))
    assert main(["fix", str(tmp_path), "--lang", "fr"]) == 2
    assert "c’est un dossier, pas un fichier HTML" in capsys.readouterr().err
    assert main(["audit", str(tmp_path / "notes.html")]) == 2  # English keeps its own words
    assert "not an HTML document" in capsys.readouterr().err
