"""The audit: gather once (scoring.pipeline), run every check, weigh, report."""

from __future__ import annotations

from typing import Any

from scoring import checks as _checks  # noqa: F401  (registers every check)
from scoring.checks.base import CREDIT, GENERIC_MESSAGES, NA, REGISTRY, Outcome
from scoring.evidence import normalise_evidence
from scoring.fix.build import build_fix
from scoring.i18n import DEFAULT_LANGUAGE, format_message, localize_limits, topic_reason
from scoring.page.model import Page
from scoring.pipeline import AuditContext, gather
from scoring.version import RULES_VERSION
from scoring.weights import CATEGORY_WEIGHTS, grade

REPORT_PARTS = ("facts", "checks", "fix")


def run_check(check, ctx: AuditContext) -> dict[str, Any]:
    if check.health_only and not ctx.is_health:
        outcome = Outcome(NA, "na_not_health", {})  # the topic's reason is in the message's params
    else:
        outcome = check.func(ctx)
    template = check.messages.get(outcome.key)
    if template is None and outcome.key == "na_not_health":
        template = GENERIC_MESSAGES["na_not_health"]
        topic = ctx.facts["topic"]
        outcome.params.update(reason=topic["reason"], reason_code=topic["reason_code"],
                              reason_params=topic["reason_params"])
    message = format_message(template, outcome.params, DEFAULT_LANGUAGE) if template else outcome.key
    return {"id": check.id, "category": check.category, "weight": check.weight, "title": check.title,
            "status": outcome.status, "message": message, "message_key": outcome.key,
            "params": outcome.params,
            # one documented shape per evidence kind (scoring/evidence.py, schemas/evidence.py)
            "evidence": normalise_evidence(check.id, outcome.evidence, outcome.params, ctx,
                                           status=outcome.status, key=outcome.key),
            "how_to_fix": check.how_to_fix}


def score_checks(results: list[dict[str, Any]]) -> tuple[float, dict[str, dict[str, Any]]]:
    categories: dict[str, dict[str, Any]] = {}
    for name, weight in CATEGORY_WEIGHTS.items():
        counted = [r for r in results if r["category"] == name and r["status"] in CREDIT]
        total = sum(r["weight"] for r in counted)
        earned = sum(r["weight"] * CREDIT[r["status"]] for r in counted)
        categories[name] = {
            "score": round(100 * earned / total, 1) if total else None,
            "weight": weight,
            "passed": sum(r["status"] == "pass" for r in counted),
            "warned": sum(r["status"] == "warn" for r in counted),
            "failed": sum(r["status"] == "fail" for r in counted),
            "not_applicable": sum(1 for r in results if r["category"] == name and r["status"] == NA),
        }
    scored = [(c["score"], c["weight"]) for c in categories.values() if c["score"] is not None]
    weight_sum = sum(w for _, w in scored)
    score = round(sum(s * w for s, w in scored) / weight_sum, 1) if weight_sum else 0.0
    return score, categories


def audit_page(page: Page, *, fetch: dict | None = None, access: dict | None = None,
               include: tuple[str, ...] = REPORT_PARTS) -> dict[str, Any]:
    ctx = gather(page, fetch=fetch, access=access)
    facts, data = ctx.facts, ctx.data
    facts["topic"]["reason"] = topic_reason(facts["topic"], DEFAULT_LANGUAGE)  # the stored English words
    results = [run_check(check, ctx) for check in REGISTRY.values()]
    score, categories = score_checks(results)
    report: dict[str, Any] = {"url": page.url, "score": score, "grade": grade(score), "categories": categories,
                              "rules_version": RULES_VERSION}
    if "checks" in include:
        report["checks"] = results
    if "facts" in include:
        report["facts"] = facts
    if "fix" in include:
        report["fix"] = build_fix(ctx)
    # last: caps may bite in any step above (text nodes are read on demand)
    page.limits.merge(data.limits)
    report["limits"] = localize_limits(page.limits.findings(), DEFAULT_LANGUAGE)
    return report


def audit_html(html: str | bytes, url: str | None = None, *, charset: str | None = None,
               fetch: dict | None = None, access: dict | None = None,
               include: tuple[str, ...] = REPORT_PARTS) -> dict[str, Any]:
    """Audit one page. Returns a JSON-serialisable report: url, score, grade, categories, checks, facts."""
    page = Page.parse(html, url, charset)
    return audit_page(page, fetch=fetch, access=access, include=include)


def catalogue() -> list[dict[str, Any]]:
    """Every check's metadata and the category weights, for plugin UIs."""
    return [c.metadata() for c in REGISTRY.values()]
