"""The page report: one audit as a readable, self-contained HTML page."""

from __future__ import annotations

from typing import Any

from scoring.i18n import comparison_lines, localize_findings, localize_fix, localize_results, supported_language

from ..version import package_version
from . import charts
from .env import render, ui_strings, ui_text
from .evidence import evidence_lines

STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2, "not_applicable": 3}


def sorted_problems(checks: list[dict]) -> list[dict]:
    """Failed then warned checks, heaviest first: the order to fix them in."""
    problems = [c for c in checks if c["status"] in ("fail", "warn")]
    return sorted(problems, key=lambda c: (STATUS_ORDER[c["status"]], -c["weight"], c["id"]))


def _people(facts: dict, t: dict) -> list[dict]:
    rows = []
    where = t["evidence_text"]["sources"]  # "in the byline", "dans le balisage": the reader's words, not our codes
    for role, key in ((t["author"], "authors"), (t["reviewer"], "reviewers")):
        for person in facts.get(key) or []:
            sources = [where.get(s, s) for s in person.get("sources") or [person.get("source")] if s]
            rows.append({"role": role, "name": person.get("name"), "credentials": person.get("credentials") or [],
                         "url": person.get("url"), "sources": sources})
    return rows


def _readability(facts: dict, t: dict) -> list[tuple[str, Any, str]]:
    read = facts.get("readability") or {}
    rows = [(t["language"], read.get("language") or facts.get("language"), "text"),
            (t["words"], read.get("words"), "int"), (t["sentences"], read.get("sentences"), "int"),
            (t["avg_sentence_length"], read.get("avg_sentence_length"), "float"),
            (t["long_sentence_share"], read.get("long_sentence_share"), "pct"),
            (t["avg_paragraph_length"], read.get("avg_paragraph_length"), "float"),
            (t["flesch_reading_ease"], read.get("flesch_reading_ease"), "float"),
            (t["flesch_kincaid_grade"], read.get("flesch_kincaid_grade"), "float"),
            (t["kandel_moles"], read.get("kandel_moles"), "float")]
    return [row for row in rows if row[1] is not None]


def render_page_report(report: dict, *, lang: str) -> str:
    """The HTML page report of one audit (an ``audit_html`` report or a stored audit), in ``lang``."""
    lang = supported_language(lang)
    t = ui_strings(lang)
    decimal = "," if lang == "fr" else "."
    checks = localize_results(report.get("checks") or [], lang)
    facts = report.get("facts") or {}
    categories = report.get("categories") or {}
    counts = {s: sum(1 for c in checks if c["status"] == s) for s in STATUS_ORDER}
    category_rows = [(t["categories"].get(name, name), data.get("score")) for name, data in categories.items()]
    structured = dict(facts.get("structured_data") or {})
    for key in ("errors", "warnings", "consistency"):  # the validator's findings in the reader's language
        if isinstance(structured.get(key), list):
            structured[key] = localize_findings(structured[key], lang)
    citations = facts.get("citations") or []
    score = report.get("score")
    return render(
        "page.html.j2", lang=lang, report=report, facts=facts, categories=categories,
        title=facts.get("title") or (facts.get("h1") or [None])[0] or report.get("url") or t["page_report"],
        gauge=charts.gauge(score, report.get("grade", "–"), chart_id="gauge",
                           label=t["gauge_label"].format(score=_whole(score), grade=report.get("grade", "–")),
                           grade_label=t["grade"], decimal=decimal),
        bars=charts.bars(category_rows, label=t["bars_label"], chart_id="category-bars",
                         empty=t["category_not_scored"], decimal=decimal),
        counts=counts, problems=sorted_problems(checks),
        others=sorted((c for c in checks if c["status"] in ("pass", "not_applicable")),
                      key=lambda c: (STATUS_ORDER[c["status"]], c["id"])),
        evidence_lines=lambda evidence: evidence_lines(evidence, lang), people=_people(facts, t),
        readability=_readability(facts, t),
        citations=citations, authoritative=sum(1 for c in citations if c.get("authoritative")),
        structured=structured, fix=localize_fix(report.get("fix") or {}, lang), version=package_version(),
        removal=lambda token: ui_text("remove_token", lang, line=token.get("line"), attribute=token.get("attribute"),
                                      value=token.get("value")),
        changes=_changes(report, lang, t))


def _changes(report: dict, lang: str, t: dict) -> dict | None:
    """The "since last audit" section: the comparison as sentences, and the categories that moved."""
    changes = report.get("changes")
    if not isinstance(changes, dict) or not changes.get("score"):
        return None
    moved = [(t["categories"].get(name, name), d) for name, d in (changes.get("categories") or {}).items()
             if d.get("delta")]
    return {"lines": comparison_lines(changes, lang), "score": changes["score"], "categories": moved,
            "compared_to": changes.get("compared_to") or report.get("compared_to"),
            "compared_at": changes.get("compared_at")}


def _whole(score: Any) -> str:
    return "–" if score is None else f"{score:.0f}"


