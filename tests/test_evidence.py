"""Evidence: one documented shape per kind, for every check on every page, shown readably in EN and FR."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from schemas.evidence import EVIDENCE_SCHEMAS, evidence_errors
from scoring import audit_html
from scoring.checks.base import REGISTRY
from scoring.evidence import CHECK_EVIDENCE, EVIDENCE_KINDS, normalise_evidence
from service.cli.main import format_text
from service.reports import render_page_report
from service.reports.evidence import evidence_lines, shorten
from tests.conftest import FIXTURES, SHARED

PAGES = sorted((FIXTURES / "pages").glob("*.html"))
_SHARED = Path(os.environ.get("HEALTHGEO_SHARED") or SHARED)  # a git worktree points at it
CORPUS = sorted((_SHARED / "corpus" / "pages").glob("*.html"))


def test_every_check_declares_a_known_kind():
    assert set(REGISTRY) == set(CHECK_EVIDENCE)
    assert set(EVIDENCE_KINDS) == set(EVIDENCE_SCHEMAS)
    assert {kind for kind, _ in CHECK_EVIDENCE.values()} <= set(EVIDENCE_KINDS)


def _check_evidence(report: dict) -> list[str]:
    problems = []
    for check in report["checks"]:
        evidence = check["evidence"]
        if evidence is None:
            continue
        declared = CHECK_EVIDENCE[check["id"]][0]
        if evidence.get("kind") != declared:
            problems.append(f"{check['id']}: kind {evidence.get('kind')} is not the declared {declared}")
        errors = evidence_errors(evidence)
        if errors:
            problems.append(f"{check['id']}: {errors}")
    return problems


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_fixture_evidence_validates_against_its_kind(path):
    for url in (None, "https://example.org/health/page"):
        assert _check_evidence(audit_html(path.read_bytes(), url)) == []


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
def test_corpus_evidence_validates_against_its_kind():
    problems, kinds = [], set()
    for path in CORPUS:
        report = audit_html(path.read_bytes(), "https://example.org/page")
        problems += [f"{path.name}: {p}" for p in _check_evidence(report)]
        kinds |= {c["evidence"]["kind"] for c in report["checks"] if c["evidence"]}
    assert problems == []
    assert kinds >= {"links", "people", "dates", "count", "markup", "comparison", "texts", "terms", "quotations",
                     "excerpts"}


def test_a_wrong_shape_is_refused():
    assert evidence_errors(None) is None
    assert evidence_errors(["https://example.org"]) is not None          # the old free-form shape
    assert evidence_errors({"kind": "links", "items": [{"url": "u"}]})      # text and category are required
    assert evidence_errors({"kind": "count", "value": 3, "unit": "characters", "minimum": 1, "maximum": None,
                            "text": None}) is None
    assert evidence_errors({"kind": "people", "items": [{"name": "A", "role": "editor", "credentials": [],
                                                         "url": None, "source": None, "text": None}]})


def test_raw_shapes_become_their_kind():
    links = normalise_evidence("sourcing.weak-sources", [{"url": "https://shop.example/x", "kind": "commercial"}])
    assert links == {"kind": "links", "items": [{"url": "https://shop.example/x", "text": None,
                                                  "category": "commercial"}]}
    title = normalise_evidence("structure.title", "Asthme")
    assert title == {"kind": "count", "value": 6, "unit": "characters", "minimum": 15, "maximum": 65,
                     "text": "Asthme"}
    assert normalise_evidence("structure.title", None) is None
    jump = normalise_evidence("structure.heading-levels", ["H1 -> H4 Pourquoi ça marche"])
    assert jump["items"] == [{"text": "Pourquoi ça marche", "label": None, "terms": ["h1", "h4"]}]
    # a check that does not apply shows nothing it did not return itself
    assert normalise_evidence("structure.subheadings", None, {"words": 120}, status="not_applicable") is None
    assert normalise_evidence("structure.subheadings", None, {"words": 1200}, status="fail")["value"] == 0


def test_shorten_never_cuts_a_word():
    text = "Une activité physique régulière fait baisser le taux de sucre dans le sang"
    assert shorten(text, 30) == "Une activité physique…"
    assert shorten(text, 200) == text


def _report(name: str) -> dict:
    return audit_html((FIXTURES / "pages" / name).read_bytes(), "https://example.org/page")


def _lines(report: dict, check_id: str, lang: str) -> list[str]:
    return evidence_lines(next(c for c in report["checks"] if c["id"] == check_id)["evidence"], lang)


NB = "\u00a0"


def test_lines_read_as_sentences_in_each_language():
    poor = _report("en_poor_article.html")
    assert _lines(poor, "structure.heading-levels", "en") == ["H1 → H4: “Why it works”"]
    assert _lines(poor, "structure.title", "en") == ["11 characters (expected between 15 and 65): “Weight loss”"]
    assert _lines(poor, "structure.title", "fr") == [
        f"11 caractères (attendu entre 15 et 65){NB}: «{NB}Weight loss{NB}»"]
    assert _lines(poor, "markup.consistent-with-page", "fr") == [
        f"inLanguage{NB}: le balisage indique «{NB}fr{NB}», la page affiche «{NB}en{NB}»"]
    assert _lines(poor, "markup.schema-valid", "fr") == [  # the validator's finding, rendered in French
        f"Erreur{NB}: datePublished doit être au format ISO 8601 Date ou DateTime (par exemple 2024-05-17 ou "
        f"2024-05-17T08:30:00+02:00){NB}; trouvé{NB}: «{NB}March 3rd 2024{NB}». (Article, json-ld)"]
    good = _report("fr_good_article.html")
    assert _lines(good, "trust.visible-dates", "fr")[0] == f"Publié{NB}: 12 mai 2025 («{NB}Publié le{NB}»)"
    assert _lines(good, "structure.readability", "fr") == ["score de Kandel et Moles 85,0 (attendu au moins 60)"]
    assert _lines(good, "structure.subheadings", "en") == ["7 subheadings (expected at least 1)"]
    assert _lines(good, "authorship.reviewer-named", "fr")[0].startswith(
        "Marc Lefèvre, Dr, endocrinologue (relecteur médical, dans le balisage)")


KEY_DUMP = re.compile(r"\b(?:url|kind|name|credentials|source|evidence|severity|syntax|path|signals):\s")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reports_and_cli_show_evidence_without_key_dumps(path, lang):
    report = audit_html(path.read_bytes(), "https://example.org/page")
    html = render_page_report(report, lang=lang)
    shown = re.findall(r'<ul class="evidence">(.*?)</ul>', html, re.S)
    text = format_text(report, path.name, False, lang, width=100, verbose=True)
    cli = [line for line in text.splitlines() if line.startswith("      - ")]
    for block in shown + cli:
        assert not KEY_DUMP.search(block), block[:300]
        assert "{'" not in block and '{"' not in block
    if lang == "fr":  # no English validator sentence inside the French evidence
        assert "must be" not in " ".join(shown)
    problems = [c for c in report["checks"] if c["status"] in ("fail", "warn") and c["evidence"]]
    assert not problems or shown


@pytest.mark.parametrize("name", ["en_professional_gated.html", "fr_professional_ungated.html"])
def test_a_page_for_professionals_audits_and_its_readability_shows_no_figure(name):
    """The readability check returns the audience signals on a page for clinicians; a count cannot hold them."""
    report = audit_html((FIXTURES / "audience" / name).read_bytes(), "https://example.org/page")
    readability = next(c for c in report["checks"] if c["id"] == "structure.readability")
    assert (readability["status"], readability["message_key"]) == ("not_applicable", "na_professional")
    assert readability["evidence"] is None
