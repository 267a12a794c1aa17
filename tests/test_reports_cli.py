"""``healthgeo audit --format html -o FILE [--lang fr]`` and ``--lang`` on text and JSON output."""

from __future__ import annotations

import json

import pytest

from service.cli.main import main
from tests.conftest import FIXTURES

PAGE = str(FIXTURES / "pages" / "fr_poor_article.html")


def test_html_report_written_to_a_file(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["audit", PAGE, "--format", "html", "-o", str(out), "--lang", "fr"]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert "Aucun auteur n’est nommé sur la page." in html
    assert capsys.readouterr().out == ""


def test_html_report_in_english_on_standard_output(capsys):
    assert main(["audit", PAGE, "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert '<html lang="en">' in html and "No author is named on the page." in html


def test_html_report_takes_one_input(tmp_path, capsys):
    assert main(["audit", PAGE, PAGE, "--format", "html", "-o", str(tmp_path / "r.html")]) == 2
    assert "one INPUT" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_unwritable_output_is_a_clear_error(tmp_path, capsys):
    assert main(["audit", PAGE, "--format", "html", "-o", str(tmp_path / "missing" / "r.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_text_output_in_french(capsys):
    assert main(["audit", PAGE, "--lang", "fr"]) == 0
    text = capsys.readouterr().out
    assert "note F" in text and "Confiance" in text
    assert "ÉCHEC Nomme son auteur\u00a0: Aucun auteur n’est nommé sur la page." in text and "FAIL" not in text
    assert "correction\u00a0: Affichez en tête d’article" in text


def test_text_output_stays_english_by_default(capsys):
    assert main(["audit", PAGE]) == 0
    text = capsys.readouterr().out
    assert "grade F" in text and "fix: Show a byline" in text


def test_json_output_in_french(capsys):
    assert main(["audit", PAGE, "--format", "json", "--lang", "fr"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lang"] == "fr"
    named = next(c for c in report["checks"] if c["id"] == "authorship.author-named")
    assert named["title"] == "Nomme son auteur"


def test_unknown_language_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["audit", PAGE, "--lang", "de"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
