"""Facts on health pages the engine was not tuned on: bylines, reviewers and dates as health publishers write
them (media, hospitals, agencies, pharma, associations; FR, EN, DE, ES). The gold is in
tests/fixtures/health_probe/gold.json; this reports the accuracy per field and holds each at its floor."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from scoring import audit_html
from scoring.facts.people.names import person_key

from .conftest import FIXTURES

PROBE = FIXTURES / "health_probe"
FIELDS = ("authors", "reviewers", "date_published", "date_modified", "last_reviewed")
# share of pages right, per field: every page, ambiguous ones included (see the gold's notes)
FLOOR = dict.fromkeys(FIELDS, 1.0)


def _gold() -> dict[str, dict[str, Any]]:
    return json.loads((PROBE / "gold.json").read_text(encoding="utf-8"))["pages"]


@cache
def _facts(name: str) -> dict[str, Any]:
    html = (PROBE / name).read_bytes()
    return audit_html(html, url=f"https://health-probe.example/{name.removesuffix('.html')}",
                      include=("facts",))["facts"]


def _persons(people: list[dict[str, Any]]) -> set[str]:
    return {person_key(p["name"]) for p in people if p["type"] == "Person"}


def _answer(facts: dict[str, Any], field: str) -> Any:
    if field in ("authors", "reviewers"):
        return sorted(p["name"] for p in facts[field] if p["type"] == "Person")
    return facts[field]


def _right(facts: dict[str, Any], field: str, gold: Any) -> bool:
    if field in ("authors", "reviewers"):
        return _persons(facts[field]) == {person_key(name) for name in gold}
    found = facts[field]
    if gold is None or found is None:
        return gold is found
    return found[:len(gold)] == gold  # a month's gold ("2024-03") holds any day of that month


def _scores() -> tuple[dict[str, float], list[str]]:
    gold = _gold()
    right = dict.fromkeys(FIELDS, 0)
    misses = []
    for name, expected in sorted(gold.items()):
        facts = _facts(name)
        for field in FIELDS:
            if _right(facts, field, expected[field]):
                right[field] += 1
            else:
                misses.append(f"{name} {field}: gold {expected[field]!r}, found {_answer(facts, field)!r}")
    return {field: right[field] / len(gold) for field in FIELDS}, misses


def test_gold_covers_every_page() -> None:
    pages = {p.name for p in PROBE.glob("*.html")}
    assert pages == set(_gold())
    assert all(set(entry) == set(FIELDS) for entry in _gold().values())


def test_accuracy_per_field() -> None:
    scores, misses = _scores()
    print("\n" + "\n".join(f"{field}: {scores[field]:.1%}" for field in FIELDS))
    print("\n".join(misses))
    low = [f"{field} {scores[field]:.1%} < {FLOOR[field]:.1%}" for field in FIELDS if scores[field] < FLOOR[field]]
    assert not low, "\n".join(low + misses)
