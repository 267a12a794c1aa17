"""Check texts in English and French: complete, placeholders identical, French typography, rendering."""

from __future__ import annotations

import copy
import re

import pytest

from scoring import audit_html
from scoring.i18n import (
    catalogue,
    check_translation_problems,
    engine_messages,
    english_texts,
    format_message,
    localize_report,
    placeholders,
    plural_blocks,
    supported_language,
    texts,
    translation_file,
    translation_problems,
)
from service.reports.env import ui_strings
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
    # the engine's other messages and the reports' and command line's strings follow the same typography
    yield from walk({"messages": engine_messages("fr")}, "")
    yield from walk({"ui": ui_strings("fr")}, "")


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
        "37,6 29\u00a0% 1 mars 2026"
    assert format_message("{c}", {"c": "2025-12-24"}, "fr") == "24 décembre 2025"
    assert format_message("{a} {b:.0%} {c}", {"a": 37.6, "b": 0.29, "c": "2026-03-01"}, "en") == \
        "37.6 29% March 1, 2026"
    assert format_message("{a:.1%} {n}", {"a": 0.125, "n": 12345}, "fr") == "12,5\u00a0% 12\u202f345"
    assert format_message("{a:.1%} {n}", {"a": 0.125, "n": 12345}, "en") == "12.5% 12,345"


@pytest.mark.parametrize(("lang", "count", "expected"), [
    ("en", 0, "0 sources"), ("en", 1, "1 source"), ("en", 2, "2 sources"),
    ("fr", 0, "0 source"), ("fr", 1, "1 source"), ("fr", 2, "2 sources"),
])
def test_plurals_follow_each_languages_rules(lang, count, expected):
    assert format_message("{n, plural, one {# source} other {# sources}}", {"n": count}, lang) == expected


def test_exact_plural_selector_wins():
    template = "{n, plural, =0 {no source} one {# source} other {# sources}}"
    assert format_message(template, {"n": 0}, "en") == "no source"
    assert format_message(template, {"n": 3}, "en") == "3 sources"


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


def _params_for(template: str, count: int) -> dict[str, object]:
    fields = {field for field, _ in placeholders(template)}
    return {f: (count if f not in _TEXT_FIELDS else "x") for f in fields}


_TEXT_FIELDS = {"first", "names", "text", "example", "label", "drug", "phrase", "blocked", "reason", "name", "max",
                "listed", "type", "value", "date", "kind", "found", "url", "lang", "declared", "detected", "tag",
                "what", "where", "words_list", "title", "missing", "sources", "grade", "engines", "level"}
_NOT_COUNTS = _TEXT_FIELDS | {"before", "after", "avg", "share"}  # numbers that are not counts of things
_BARE_COUNT = re.compile(r"\{(\w+)\}\s+(?!of\b|sur\b|on\b|de\b|en\b|ou\b|or\b|à\b|and\b|et\b)[a-zà-ÿ]")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("count", [0, 1, 2])
def test_every_message_renders_with_counts_0_1_2(lang, count):
    for check_id, table in texts(lang).items():
        for key, template in table["messages"].items():
            text = format_message(template, _params_for(template, count), lang)
            assert "{" not in text and "plural," not in text, (check_id, key, text)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_count_stands_before_a_noun_without_a_plural_form(lang):
    bare = []
    for check_id, table in texts(lang).items():
        for key, template in table["messages"].items():
            for start, end, _, _ in reversed(plural_blocks(template)):
                template = template[:start] + "N" + template[end:]
            if (m := _BARE_COUNT.search(template)) and m.group(1) not in _NOT_COUNTS:
                bare.append(f"{check_id}.{key}: {template}")
    assert not bare, "\n".join(bare)
