"""A French reader meets no English sentence: the French page report, the French JSON and the French CLI text of
every fixture page are checked against every English text of the catalogues (check texts, engine messages, fix,
validator and consistency texts, report and CLI strings, limit findings).

A catalogue template is cut at its placeholders; each literal run of four words or more is an English sentence
fragment that must not appear in a French output. Text quoted from the page itself (an English page's headline)
is not in any catalogue, so it never trips the test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from scoring import audit_html
from scoring.checks.base import GENERIC_MESSAGES, REGISTRY
from scoring.i18n import localize_report
from service.cli.main import format_text
from service.reports import render_page_report
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("pages", "audience", "compliance", "hygiene", "rich_results", "render")
PAGES = sorted(p for folder in FOLDERS for p in (FIXTURES / folder).glob("*.html"))
CATALOGUES = (ROOT / "scoring" / "messages" / "en.json", ROOT / "service" / "reports" / "i18n" / "en.json",
              ROOT / "service" / "messages" / "en.json")
PLACEHOLDER = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")  # {x}, {x:fmt}, {n, plural, one {..} other {..}}
MIN_WORDS = 4


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if not k.startswith("_") for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _fragments(template: str) -> set[str]:
    """The literal runs of a template long enough to be a sentence of its own language."""
    out = set()
    for run in PLACEHOLDER.split(template):
        run = " ".join(re.sub(r"[`*<>]", " ", run).split()).strip(" .,;:!?()\"'“”‘’")
        if len(run.split()) >= MIN_WORDS:
            out.add(run)
    return out


def english_fragments() -> set[str]:
    texts = [s for path in CATALOGUES for s in _strings(json.loads(path.read_text(encoding="utf-8")))]
    texts += _strings(json.loads((ROOT / "scoring" / "data" / "limits.json").read_text(encoding="utf-8"))["en"])
    for check in REGISTRY.values():
        texts += [check.title, check.how_to_fix, *check.messages.values()]
    texts += list(GENERIC_MESSAGES.values())
    return {f for text in texts for f in _fragments(text)}


FRAGMENTS = sorted(english_fragments(), key=len, reverse=True)


PARAMETERS = ("params", "reason_params", "finding_params")


def _without_parameters(value):
    """A report without its parameters: values for programs (the English finding a message was built from),
    not text a reader is shown."""
    if isinstance(value, dict):
        return {k: _without_parameters(v) for k, v in value.items() if k not in PARAMETERS}
    if isinstance(value, list):
        return [_without_parameters(v) for v in value]
    return value


def _english_in(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [f for f in FRAGMENTS if f in flat]


def test_the_catalogues_give_fragments_to_look_for():
    assert len(FRAGMENTS) > 200
    assert _english_in("Expected 3, got: Does not apply to this page.")  # an English sentence is found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_french_outputs_hold_no_english_sentence(page: Path):
    report = audit_html(page.read_bytes(), "https://www.exemple-sante.fr/article")
    html = render_page_report(report, lang="fr")
    root = lxml.html.fromstring(html)
    for junk in root.xpath("//script|//style"):
        junk.drop_tree()
    outputs = {
        "page report": root.text_content(),
        "JSON": json.dumps(_without_parameters(localize_report(report, "fr")), ensure_ascii=False),
        "CLI": format_text(localize_report(report, "fr"), page.name, False, "fr", width=100, verbose=True),
    }
    found = {name: _english_in(text) for name, text in outputs.items()}
    assert not any(found.values()), found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_check_message_is_one_finished_sentence_in_both_languages(page: Path):
    """A message that quotes a finding ends once: no ".." where a quoted sentence meets its template's period,
    no sentence left without its end; language codes read as language names."""
    report = audit_html(page.read_bytes(), "https://www.exemple-sante.fr/article")
    for lang in ("en", "fr"):
        for check in localize_report(report, lang)["checks"]:
            text = check["message"].rstrip()
            assert text.endswith((".", "!", "?", "\u2026")), (lang, check["id"], text)
            assert ".." not in text.replace("...", ""), (lang, check["id"], text)
            assert not re.search(r"\b(?:en|in) (?:en|fr|de|es)\b(?!-)", text), (lang, check["id"], text)
