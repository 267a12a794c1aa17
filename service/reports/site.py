"""The site report: a batch's site summary (see contract-site-summary.md) as one HTML page."""

from __future__ import annotations

from typing import Any

from scoring.i18n import site_comparison_lines, supported_language, texts
from scoring.weights import grade

from ..batches.access_summary import site_access_lines
from ..messages import localized_records
from ..version import package_version
from . import charts
from .audience_rows import audience_rows
from .env import render, ui_strings

CATEGORY_ORDER = ("sourcing", "authorship", "structure", "markup", "trust", "compliance", "access", "hygiene")
HYGIENE_FINDINGS = ("canonical_to_redirect", "canonical_to_missing", "hreflang_not_reciprocal")


def _check_rows(summary: dict, lang: str) -> list[dict]:
    titles = texts(lang)
    rows = []
    for item in summary.get("checks") or []:
        local = titles.get(item.get("id"), {})
        rows.append({"id": item.get("id", ""), "category": item.get("category") or item.get("id", "").split(".")[0],
                     "title": local.get("title") or item.get("title") or item.get("id"),
                     "failed": item.get("failed", 0), "warned": item.get("warned", 0),
                     "applicable": item.get("applicable"), "pages": item.get("pages") or []})
    return rows


def _robots_rows(robots: dict | None) -> list[dict]:
    if not robots:
        return []
    crawlers = [c for c in robots.get("crawlers") or [] if c.get("ai")]
    crawlers += [c for c in robots.get("crawlers") or [] if not c.get("ai")]
    return crawlers


def render_site_report(summary: dict, *, lang: str, exports: dict | None = None) -> str:
    """The HTML site report of a batch summary, in ``lang``.

    ``exports`` ({"csv": href, "jsonl": href}) overrides ``summary["exports"]``: the CLI links to the
    files it wrote next to the report, the API to its own export routes.
    """
    lang = supported_language(lang)
    t = ui_strings(lang)
    decimal = "," if lang == "fr" else "."
    score = summary.get("score") or {}
    mean = score.get("mean")
    histogram = score.get("histogram") or []
    categories = summary.get("categories") or {}
    names = [n for n in CATEGORY_ORDER if n in categories] + [n for n in categories if n not in CATEGORY_ORDER]
    category_rows = [(t["categories"].get(n, n), (categories[n] or {}).get("mean")) for n in names]
    site = summary.get("site") or {}
    shown_grade = grade(mean) if isinstance(mean, int | float) else "–"
    mean_text = "–" if mean is None else f"{mean:.0f}"
    return render(
        "site.html.j2", lang=lang, summary=summary, version=package_version(),
        origin=site.get("origin") or summary.get("start") or "",
        counts=summary.get("counts") or {}, score=score, mean=mean, median=score.get("median"),
        grades=score.get("grades") or {}, histogram=histogram, mean_grade=shown_grade,
        gauge=charts.gauge(mean, shown_grade, chart_id="gauge", grade_label=t["grade"], decimal=decimal,
                           label=t["gauge_label"].format(score=mean_text, grade=shown_grade)),
        hist_chart=charts.histogram(histogram, label=t["histogram_label"], chart_id="histogram"),
        bars=charts.bars(category_rows, label=t["bars_label"], chart_id="category-bars",
                         empty=t["category_not_scored"], decimal=decimal),
        categories=[(n, categories[n] or {}) for n in names],
        checks=_check_rows(summary, lang),
        worst=[{**p, "path": _path(p.get("url"), site.get("origin"))} for p in summary.get("worst_pages") or []],
        sections=summary.get("sections") or [],
        errors=list(localized_records(summary.get("errors") or [], lang)), site=site, robots=site.get("robots"),
        robots_rows=_robots_rows(site.get("robots")), sitemaps=site.get("sitemaps") or [],
        sitemap_errors=site.get("sitemap_errors") or [], duplicate_titles=site.get("duplicate_titles") or [],
        duplicate_h1=site.get("duplicate_h1") or [], hygiene_rows=_hygiene_rows(summary),
        exports=exports if exports is not None else summary.get("exports") or {},
        check_titles={k: v.get("title") for k, v in texts(lang).items()},
        category_order=[n for n in names if any((p.get("categories") or {}).get(n) is not None
                                                for p in summary.get("worst_pages") or [])],
        progress=_progress(summary, lang, t, decimal), access_lines=site_access_lines(site, lang),
        audience=audience_rows(summary.get("audience"), lang))


def _hygiene_rows(summary: dict) -> list[dict]:
    """The site-wide canonical and hreflang findings, in a fixed order (a summary without them has none)."""
    found = summary.get("hygiene") or {}
    return [{"key": key, "count": (found.get(key) or {}).get("count", 0),
             "examples": (found.get(key) or {}).get("examples") or []} for key in HYGIENE_FINDINGS]


TOP_REGRESSIONS = 10


def _progress(summary: dict, lang: str, t: dict, decimal: str) -> dict | None:
    """The "since the last audit" section: the trend over the site's batches and the comparison with the last."""
    comparison = summary.get("comparison")
    trend = summary.get("trend") or []
    if not comparison and len(trend) < 2:
        return None
    from .env import format_day_month

    points = [(format_day_month(b.get("created_at"), lang), b.get("mean")) for b in trend]
    origin = (summary.get("site") or {}).get("origin")
    regressions = [{**e, "path": _path(e["url"], origin)}
                   for e in (comparison or {}).get("pages", {}).get("regressed", [])[:TOP_REGRESSIONS]]
    return {"trend": charts.trend(points, label=t["trend_label"], chart_id="trend", decimal=decimal) if trend else None,
            "lines": site_comparison_lines(comparison, lang) if comparison else [],
            "regressions": regressions, "comparison": comparison}


def _path(url: Any, origin: str | None) -> str:
    """A page's URL without the site's origin, for narrow table cells (the link keeps the full URL)."""
    text = str(url or "")
    if origin and text.startswith(origin.rstrip("/") + "/"):
        return text[len(origin.rstrip("/")):]
    return text
