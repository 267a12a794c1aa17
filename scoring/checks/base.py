"""The check registry: each check is a small pure function plus its metadata.

A check reads the audit context (the page and its facts) and returns an
Outcome. Its weight comes from `scoring.weights`, its category from its id
prefix, its texts from the decorator (English) and `checks/i18n/fr.json`
(French, read by `scoring.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    rule: str | None = None  # the law or text the check comes from (compliance checks)

    def metadata(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "weight": self.weight, "title": self.title,
                "how_to_fix": self.how_to_fix, "health_only": self.health_only, "rule": self.rule}


REGISTRY: dict[str, Check] = {}
# Messages any check may return; translated under "_generic" in checks/i18n/<lang>.json.
GENERIC_MESSAGES = {"na": "Does not apply to this page.",
                    "na_not_health": "Does not apply: the page is not health content ({reason})."}


def check(check_id: str, *, title: str, how_to_fix: str, messages: dict[str, str],
          health_only: bool = False, rule: str | None = None
          ) -> Callable[[Callable[[Any], Outcome]], Callable[[Any], Outcome]]:
    """Register a check. `messages` maps outcome keys to English templates filled from the outcome's params."""
    category = check_id.split(".", 1)[0]
    if check_id not in CHECK_WEIGHTS:
        raise KeyError(f"check {check_id} has no weight in scoring/weights.py")

    def register(func: Callable[[Any], Outcome]) -> Callable[[Any], Outcome]:
        if check_id in REGISTRY:
            raise ValueError(f"check {check_id} registered twice")
        messages.setdefault("na", GENERIC_MESSAGES["na"])
        REGISTRY[check_id] = Check(check_id, category, CHECK_WEIGHTS[check_id], title, how_to_fix,
                                   messages, func, health_only, rule)
        return func

    return register
