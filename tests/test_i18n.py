"""Check texts in English and French: complete, placeholders identical, French typography, rendering."""

from __future__ import annotations

import copy
import re

import pytest

from scoring import audit_html
from scoring.i18n import (
    catalogue,
    check_translation_problems,
    english_texts,
    format_message,
    localize_report,
    supported_language,
    translation_file,
    translation_problems,
)
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*.html"))


def test_french_check_texts_are_complete_and_current():
    assert check_translation_problems("fr") == []


def test_a_missing_french_string_is_reported():
    french = copy.deepcopy(translation_file("fr"))
    del french["authorship.reviewer-named"]["messages"]["fail"]
    del french["trust.privacy-policy"]["how_to_fix"]
    assert translation_problems(english_texts(), french) == [
        "missing: authorship.reviewer-named.messages.fail", "missing: trust.privacy-policy.how_to_fix"]


def test_a_missing_check_is_reported():
    french = copy.deepcopy(translation_file("fr"))
    del french["structure.summary"]
    assert translation_problems(english_texts(), french) == ["missing: structure.summary"]


def test_a_placeholder_that_differs_is_reported():
    french = copy.deepcopy(translation_file("fr"))
    french["structure.subheadings"]["messages"]["pass"] = "Intertitres : {nombre} pour {words} mots."
    french["structure.sentence-length"]["messages"]["pass"] = "Phrases longues : {share}."
    problems = translation_problems(english_texts(), french)
    assert len(problems) == 2 and all(p.startswith("placeholders differ") for p in problems)
    assert "structure.subheadings.messages.pass" in problems[1]


def test_a_stale_check_or_message_is_reported():
    french = copy.deepcopy(translation_file("fr"))
    french["structure.keyword-density"] = {"title": "x", "how_to_fix": "y", "messages": {}}
    french["trust.privacy-policy"]["messages"]["warn_old"] = "Ancien message."
    assert translation_problems(english_texts(), french) == [
        "stale: structure.keyword-density", "stale: trust.privacy-policy.messages.warn_old"]


def _french_strings():
    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}" if path else key)
        else:
            yield path, node
    yield from walk(translation_file("fr"), "")


@pytest.mark.parametrize(("path", "text"), list(_french_strings()), ids=lambda v: v if "." in str(v) else "")
def test_french_typography(path, text):
    # no-break space before the high punctuation and inside guillemets; no English curly quotes
    assert not re.search(r"(?<![\u00a0\u202f]):(?=\s)", text), f"{path}: space before ':'"
    assert not re.search(r"(?<![\u00a0\u202f])[;?!](?=\s|$|\u00a0)", text), f"{path}: space before ; ? !"
    assert not re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text), f"{path}: guillemets without no-break spaces"
    assert "\u201c" not in text and "\u201d" not in text and "'" not in text, f"{path}: English quotes"


def test_supported_language():
    assert supported_language("fr") == "fr"
    assert supported_language("FR-ca") == "fr"
    assert supported_language("fr_FR") == "fr"
    assert supported_language("de") == "en"
    assert supported_language("") == "en"
    assert supported_language(None) == "en"


def test_french_numbers_percent_and_dates():
    assert format_message("{a} {b:.0%} {c}", {"a": 37.6, "b": 0.29, "c": "2026-03-01"}, "fr") == \
        "37,6 29\u202f% 1er\u00a0mars 2026"
    assert format_message("{c}", {"c": "2025-12-24"}, "fr") == "24\u00a0décembre 2025"
    assert format_message("{a} {b:.0%} {c}", {"a": 37.6, "b": 0.29, "c": "2026-03-01"}, "en") == \
        "37.6 29% 2026-03-01"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_fixture_report_renders_in_french(page):
    report = audit_html(page.read_bytes(), url="https://example.org/page")
    french = localize_report(report, "fr")
    assert french["lang"] == "fr" and report.get("lang") is None  # the input is untouched
    table = translation_file("fr")
    for english, local in zip(report["checks"], french["checks"], strict=True):
        assert local["message"] and "{" not in local["message"], local
        assert local["title"] == table[local["id"]]["title"]
        if english["status"] in ("fail", "warn"):
            assert local["message"] != english["message"], local
    assert localize_report(report, "en")["checks"] == report["checks"]


def test_french_catalogue():
    titles = {c["id"]: c["title"] for c in catalogue("fr")}
    assert titles["authorship.reviewer-named"] == "Nomme un relecteur médical"
    assert {c["id"] for c in catalogue("fr")} == {c["id"] for c in catalogue("en")}
