"""The check registry: each check is a small pure function plus its metadata.

A check reads the audit context (the page and its facts) and returns an
Outcome. Its weight comes from `scoring.weights`, its category from its id
prefix, its texts from the decorator (English) and `checks/i18n/fr.json`
(French, read by `scoring.i18n`).

Like a Lighthouse audit's `requiredArtifacts` and `defaultOptions`, a check
declares what it reads (`reads`: fact keys of `ctx.facts`, or the context
parts `page_node`, `data`, `page`) and every number that decides its outcome
(`thresholds`: a value with its reason). The body receives the values as its
second argument, so no deciding number stays inside it; tests hold each
declaration to the truth (tests/test_check_thresholds.py).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..weights import CHECK_WEIGHTS

PASS, WARN, FAIL, NA = "pass", "warn", "fail", "not_applicable"
CREDIT = {PASS: 1.0, WARN: 0.5, FAIL: 0.0}


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: Any = None


def passed(key: str = "pass", evidence: Any = None, **params: Any) -> Outcome:
    return Outcome(PASS, key, params, evidence)


def warned(key: str = "warn", evidence: Any = None, **params: Any) -> Outcome:
    return Outcome(WARN, key, params, evidence)


def failed(key: str = "fail", evidence: Any = None, **params: Any) -> Outcome:
    return Outcome(FAIL, key, params, evidence)


def not_applicable(key: str = "na", evidence: Any = None, **params: Any) -> Outcome:
    return Outcome(NA, key, params, evidence)


@dataclass(frozen=True, slots=True)
class Threshold:
    """A number that decides a check's outcome, with where it comes from (English; French in i18n/fr.json)."""

    value: int | float
    reason: str
    unit: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise TypeError(f"a threshold is a number, not {self.value!r}")
        if not self.reason.strip():
            raise ValueError("a threshold needs its reason")

    def describe(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "reason": self.reason}


# The parts of the audit context a check may declare in `reads` besides fact keys.
CONTEXT_PARTS = ("page_node", "data", "page")


@dataclass(frozen=True)
class Check:
    id: str
    category: str
    weight: float
    title: str
    how_to_fix: str
    messages: dict[str, str]
    func: Callable[[Any], Outcome]
    health_only: bool
    reads: tuple[str, ...] = ()
    thresholds: Mapping[str, Threshold] = field(default_factory=dict)
    rule: str | None = None  # the law or text the check comes from (compliance checks)

    def threshold_values(self) -> dict[str, int | float]:
        return {name: t.value for name, t in self.thresholds.items()}

    def metadata(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "weight": self.weight, "title": self.title,
                "how_to_fix": self.how_to_fix, "health_only": self.health_only, "reads": list(self.reads),
                "thresholds": {name: t.describe() for name, t in self.thresholds.items()}, "rule": self.rule}


REGISTRY: dict[str, Check] = {}
# Messages any check may return; translated under "_generic" in checks/i18n/<lang>.json.
GENERIC_MESSAGES = {"na": "Does not apply to this page.",
                    "na_not_health": "Does not apply: the page is not health content ({reason})."}


def check(check_id: str, *, title: str, how_to_fix: str, messages: dict[str, str], health_only: bool = False,
          reads: tuple[str, ...] = (), thresholds: dict[str, Threshold] | None = None, rule: str | None = None,
          ) -> Callable[[Callable[..., Outcome]], Callable[[Any], Outcome]]:
    """Register a check. `messages` maps outcome keys to English templates filled from the outcome's params;
    `reads` names what the body reads; `thresholds` the numbers it decides by, passed to a body written
    `def body(ctx, threshold)` as a name -> value mapping (read from the registry at each call, so a declared
    value is the one used); `rule` the law or text a compliance check comes from."""
    category = check_id.split(".", 1)[0]
    if check_id not in CHECK_WEIGHTS:
        raise KeyError(f"check {check_id} has no weight in scoring/weights.py")
    if isinstance(reads, str):
        raise TypeError(f"check {check_id}: reads is a tuple of names, e.g. reads=(\"word_count\",)")
    declared = dict(thresholds or {})
    if not all(isinstance(t, Threshold) for t in declared.values()):
        raise TypeError(f"check {check_id}: thresholds are Threshold(value, reason)")

    def register(body: Callable[..., Outcome]) -> Callable[[Any], Outcome]:
        if check_id in REGISTRY:
            raise ValueError(f"check {check_id} registered twice")
        takes_thresholds = len(inspect.signature(body).parameters) > 1
        if takes_thresholds != bool(declared):
            raise TypeError(f"check {check_id}: a body takes (ctx, threshold) exactly when it declares thresholds")

        @functools.wraps(body)
        def run(ctx: Any) -> Outcome:
            if takes_thresholds:
                return body(ctx, REGISTRY[check_id].threshold_values())
            return body(ctx)

        messages.setdefault("na", GENERIC_MESSAGES["na"])
        REGISTRY[check_id] = Check(check_id, category, CHECK_WEIGHTS[check_id], title, how_to_fix,
                                   messages, run, health_only, tuple(reads), MappingProxyType(declared), rule)
        return run

    return register
