"""The proposed JSON-LD never makes things worse: pasted into the page as `--apply` does (scoring.fix.apply, the
microdata/RDFa statements it removes taken out), it adds no structured-data error (schema.org in any syntax, or
markup-against-page), leaves none it removes, and never lowers the markup score. On every page of
../shared/corpus (skipped without it), and on small pages of our own for the two faults it found: a date the page
gives to the month, an existing BreadcrumbList written twice."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

import scoring.audit
from scoring import audit_html
from scoring.fix import apply_fix, fix_html, fix_removals
from scoring.markup.consistency import compare_markup_with_page

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PAGES = sorted(p.name for p in (CORPUS / "pages").glob("*.html")) if (CORPUS / "pages").is_dir() else []


@cache
def _urls() -> dict[str, str | None]:
    path = CORPUS / "manifest.json"
    if not path.is_file():
        return {}
    return {Path(m["file"]).name: m.get("original_url") for m in json.loads(path.read_text("utf-8"))}


def _errors(report: dict) -> set[tuple]:
    sd = report["facts"]["structured_data"]
    return ({(e.get("code"), e.get("property"), e.get("message")) for e in sd["errors"]}
            | {("consistency", e.get("property"), e.get("message")) for e in sd.get("consistency") or []
               if e.get("severity") == "error"})


def _markup_score(report: dict) -> float | None:
    return (report.get("categories") or {}).get("markup", {}).get("score")


def _breadcrumb_lists(value) -> int:
    if isinstance(value, dict):
        types = value.get("@type")
        own = types == "BreadcrumbList" or isinstance(types, list) and "BreadcrumbList" in types
        return int(own) + sum(_breadcrumb_lists(v) for v in value.values())
    if isinstance(value, list):
        return sum(_breadcrumb_lists(v) for v in value)
    return 0


def worse(raw: bytes, url: str | None) -> list[str]:
    """What pasting the fix makes worse on this page (empty when nothing)."""
    before = audit_html(raw, url)
    fix = fix_html(raw, url)
    after = audit_html(apply_fix(raw, fix["script"], fix_removals(fix)), url)
    problems = [f"new error: {e}" for e in sorted(_errors(after) - _errors(before), key=str)]
    removed = {(u["code"], u["property"], u["message"]) for u in fix["unfixed"] if u.get("remove")}
    problems += [f"error left although removed: {e}" for e in sorted(removed & _errors(after), key=str)]
    score_before, score_after = _markup_score(before), _markup_score(after)
    if score_before is not None and (score_after is None or score_after < score_before):
        problems.append(f"markup score {score_before} -> {score_after}")
    if _breadcrumb_lists(fix["jsonld"]) > 1:
        problems.append("more than one BreadcrumbList in the fixed graph")
    return problems


@pytest.fixture(autouse=True)
def _without_evidence(monkeypatch):
    # evidence shapes do not bear on errors or scores; their known-red normalisers are being fixed elsewhere
    monkeypatch.setattr(scoring.audit, "normalise_evidence", lambda *args, **kwargs: None)


@pytest.mark.skipif(not PAGES, reason="../shared/corpus is not available")
@pytest.mark.parametrize("name", PAGES)
def test_the_fix_never_makes_a_corpus_page_worse(name):
    assert worse((CORPUS / "pages" / name).read_bytes(), _urls().get(name)) == []


_MONTH_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="https://example.org/{slug}"></head><body><main><h1>{title}</h1>
<p>{byline}</p><p>{label} {month}</p><p>{body}</p></main></body></html>"""


@pytest.mark.parametrize("lang,title,label,month,body", [
    ("en", "Healthy eating for adults", "Last reviewed", "January 2023",
     "Fill half of your plate with vegetables and fruit, a quarter with whole grains and a quarter with protein."),
    ("fr", "Bien manger à l’âge adulte", "Dernière relecture :", "janvier 2023",
     "Remplissez la moitié de l’assiette de légumes et de fruits, un quart de céréales complètes et un quart de "
     "protéines."),
])
def test_a_review_date_given_to_the_month_stays_consistent(lang, title, label, month, body):
    html = _MONTH_PAGE.format(lang=lang, title=title, slug=lang + "-eating", byline="", label=label, month=month,
                              body=body).encode()
    fix = fix_html(html, f"https://example.org/{lang}-eating")
    written = [c["value"] for c in fix["changes"] if c["property"] == "lastReviewed"]
    assert written == ["2023-01"]  # the month the page gives, never a made-up 1st
    assert worse(html, f"https://example.org/{lang}-eating") == []


def test_a_month_agrees_with_the_days_of_that_month_only():
    facts = {"h1": [], "title": None, "authors": [], "reviewers": [], "language": None, "canonical": None,
             "dates": {"visible": [{"kind": "reviewed", "date": "2023-01-01"}]}}
    assert compare_markup_with_page({"lastReviewed": "2023-01"}, facts)[0] == []
    (finding,), _ = compare_markup_with_page({"lastReviewed": "2023-02"}, facts)
    assert finding["message_key"] == "date-differs"
    (finding,), _ = compare_markup_with_page({"lastReviewed": "2023-01-15"}, facts)
    assert finding["property"] == "lastReviewed"


_CRUMB_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="https://example.org/{lang}/asthma">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "BreadcrumbList",
"itemListElement": [{{"@type": "ListItem", "position": 1, "name": "{home}", "item": "https://example.org/"}},
{{"@type": "ListItem", "position": 2, "name": "{title}", "item": "https://example.org/{lang}/asthma"}}]}}</script>
</head><body><main><h1>{title}</h1><p>{body}</p></main></body></html>"""


@pytest.mark.parametrize("lang,title,home,body", [
    ("en", "Asthma in children", "Home", "Asthma narrows the airways; a reliever inhaler opens them within minutes."),
    ("fr", "L’asthme de l’enfant", "Accueil", "L’asthme rétrécit les bronches ; un inhalateur de secours les ouvre "
     "en quelques minutes."),
])
def test_an_existing_breadcrumb_list_is_written_once(lang, title, home, body):
    html = _CRUMB_PAGE.format(lang=lang, title=title, home=home, body=body).encode()
    fix = fix_html(html, f"https://example.org/{lang}/asthma")
    assert _breadcrumb_lists(fix["jsonld"]) == 1
    page = next(n for n in fix["jsonld"]["@graph"] if "breadcrumb" in n)
    assert set(page["breadcrumb"]) == {"@id"}  # the page refers to the list
