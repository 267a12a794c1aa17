"""Compare like with like across a rules change: re-score an old report's facts under the current rules.

The checks are pure functions of the facts (plus, for a few, the parsed page or its graph, which a saved
report does not keep). Those that read only facts are re-run on the old facts; those that cannot run on
them keep their old status (under the current weight) or, when new, are left out of both sides' counts.
"""

from __future__ import annotations

from typing import Any

from .audit import run_check, score_checks
from .checks.base import REGISTRY
from .compare import compare_reports
from .version import RULES_VERSION
from .weights import grade


class _NotInFacts(Exception):
    """A check needs what a saved report does not keep (the parsed page, its graph)."""


class _FactsOnlyContext:
    """An ``AuditContext`` built from saved facts: reading the page or the graph raises :class:`_NotInFacts`."""

    def __init__(self, facts: dict[str, Any]):
        self.facts = facts

    @property
    def is_health(self) -> bool:
        return bool(self.facts["topic"]["is_health"])

    @property
    def page(self):
        raise _NotInFacts("page")

    @property
    def data(self):
        raise _NotInFacts("data")

    @property
    def page_node(self):
        raise _NotInFacts("page_node")


def rescore(report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]] | None:
    """``report`` re-scored under the current rules from its facts, and which checks were re-run, kept or
    skipped; None when the report has no facts or checks (nothing to re-score)."""
    facts, old_checks = report.get("facts"), {c["id"]: c for c in report.get("checks") or ()}
    if not isinstance(facts, dict) or not old_checks:
        return None
    ctx = _FactsOnlyContext(facts)
    results: list[dict[str, Any]] = []
    outcome: dict[str, list[str]] = {"rescored": [], "kept": [], "skipped": []}
    for check in REGISTRY.values():
        try:
            results.append(run_check(check, ctx))
            outcome["rescored"].append(check.id)
        except Exception:  # noqa: BLE001 - a check the saved facts cannot feed (any shape): keep or skip it
            if check.id in old_checks:
                results.append({**old_checks[check.id], "weight": check.weight, "category": check.category})
                outcome["kept"].append(check.id)
            else:
                outcome["skipped"].append(check.id)
    score, categories = score_checks(results)
    rescored = {**report, "checks": results, "score": score, "grade": grade(score), "categories": categories,
                "rules_version": RULES_VERSION}
    return rescored, outcome


def compare_across_rules(old: dict[str, Any], new: dict[str, Any], *, old_id: str | None = None) -> dict[str, Any]:
    """``compare_reports``, re-scoring ``old`` first when its rules differ from ``new``'s and ``new`` was made
    by the current rules; the comparison says so under ``rescored`` (null when nothing was re-scored)."""
    rescored = None
    basis = old
    if old.get("rules_version") != new.get("rules_version") and new.get("rules_version") == RULES_VERSION:
        found = rescore(old)
        if found is not None:
            basis, outcome = found
            new_ids = {c["id"] for c in new.get("checks") or ()}
            skipped = set(outcome["skipped"])
            if skipped:  # like with like: a check neither side could score is left out of the new side too
                new = {**new, "checks": [c for c in new.get("checks") or () if c["id"] not in skipped]}
            rescored = {**outcome, "score_before": old.get("score"), "score_rescored": basis["score"],
                        "new_checks": sorted(new_ids - {c["id"] for c in old.get("checks") or ()})}
    comparison = compare_reports(basis, new, old_id=old_id)
    comparison["rules_changed"] = old.get("rules_version") != new.get("rules_version")
    comparison["rules_version"] = {"before": old.get("rules_version"), "after": new.get("rules_version")}
    comparison["rescored"] = rescored
    return comparison
