"""Facts that hold on pages nobody here wrote: the engine's accuracy on the public suites never falls below the
figures recorded in bench/accuracy_floor.json (raise them with `bench/extraction_accuracy.py --update-floor`).
Also how the bench reads names and dates, since every figure depends on it."""

from __future__ import annotations

from functools import cache

import pytest

from bench import extraction_accuracy as accuracy
from bench import suites


@cache
def engine_figures() -> dict:
    return accuracy.figures(accuracy.measure(suites.SUITES, suites.FIELDS, ["ours"]))


@pytest.mark.parametrize("suite", suites.SUITES)
def test_engine_accuracy_stays_above_the_recorded_floor(suite: str) -> None:
    if not suites.available():
        pytest.skip("../shared/benchmarks is not available")
    floor = {suite: accuracy.read_floor().get(suite, {})}
    assert floor[suite], f"no floor recorded for {suite}"
    problems = accuracy.below_floor(engine_figures(), floor)
    assert not problems, "; ".join(problems)


def test_every_gold_note_names_a_suite_page_and_a_field_with_a_reason() -> None:
    if not suites.available():
        pytest.skip("../shared/benchmarks is not available")
    pages = {(suite, page.file) for suite in suites.SUITES for page in suites.load_suite(suite)}
    for (suite, file), fields in suites.gold_notes().items():
        assert (suite, file) in pages, (suite, file)
        assert set(fields) <= set(suites.suite_fields(suite)) and all(fields.values()), (suite, file)


def _figures(same_day: float, within_1: float) -> dict:
    def entry(value: float) -> dict:
        return {"value": value, "hits": round(value * 10000), "n": 10000}

    return {"s": {"date": {"ours": {"clean": {"same_day": entry(same_day), "within_1": entry(within_1)}}}}}


def test_floor_figures_are_rounded_down_to_one_decimal_and_compared_at_the_boundary() -> None:
    figs = _figures(0.7999, 0.9)
    assert accuracy.floor_values(figs) == {"s": {"date.same_day": 79.9, "date.within_1": 90.0}}
    assert accuracy.below_floor(figs, {"s": {"date.same_day": 79.9}}) == []
    assert accuracy.below_floor(figs, {"s": {"date.same_day": 80.0}}) == [
        "s date.same_day: 79.9% is below the recorded floor 80.0%"]


def test_updating_the_floor_raises_figures_and_never_lowers_them(tmp_path) -> None:
    path = tmp_path / "floor.json"
    accuracy.update_floor(_figures(0.80, 0.95), path)
    accuracy.update_floor(_figures(0.85, 0.90), path)
    assert accuracy.read_floor(path) == {"s": {"date.same_day": 85.0, "date.within_1": 95.0}}


@pytest.mark.parametrize("byline, names", [
    ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
    ("Par Sébastien Farcis", ["Sébastien Farcis"]),
    ("Marie Dupont et Pr Jean Martin, MD", ["Marie Dupont", "Jean Martin"]),
    ("Von Anna Giulia Fink und Birgit Baumann", ["Anna Giulia Fink", "Birgit Baumann"]),
    ("Por César Salza y Ana López", ["César Salza", "Ana López"]),
    ("By Brenda  Goodman, MA\n   Health News", ["Brenda Goodman", "Health News"]),
    ("By GILLIAN MOHNEY\n  March 11, 2015 3:46 PM", ["GILLIAN MOHNEY"]),
    ("Martin Untersinger (avec Damien Leloup et Morgane Tual)",
     ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
    ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
    ("Bruno (Henrique Zecchin) Rodrigues", ["Bruno Rodrigues"]),
    ("Jane Doe (Reuters) and John Smith", ["Jane Doe", "John Smith"]),
    ("Byron Andrews", ["Byron Andrews"]),  # "By" only as a word of its own
    ("新間", ["新間"]),  # a two-character name is no date
    ("Theresa May, 12 May 2019", ["Theresa May"]),
    ("", []),
])
def test_bylines_split_into_names(byline: str, names: list[str]) -> None:
    assert suites.split_byline(byline) == names


def test_names_compare_without_case_accents_or_spacing() -> None:
    assert suites.author_keys(["By SÉBASTIEN  Farcis"]) == suites.author_keys(["Sebastien Farcis"])
    assert suites.author_keys(["Jane Doe; John Smith"]) == suites.author_keys(["John Smith", "Jane Doe"])


def test_author_outcomes() -> None:
    gold = suites.author_keys(["Jane Doe", "John Smith"])
    assert suites.score_authors(gold, suites.author_keys(["Jane Doe"])) == {"exact": False, "any": True}
    assert suites.score_authors(gold, suites.author_keys(["jane doe", "JOHN SMITH"])) == {"exact": True, "any": True}
    assert suites.score_authors(frozenset(), suites.author_keys(["Jane Doe"])) == {"false": True}
    assert suites.score_authors(frozenset(), frozenset()) == {"false": False}


@pytest.mark.parametrize("gold, found, days", [
    ("2024-05-03 15:47:42+00:00", "2024-05-03", 0),
    ("2024-05-03 15:47:42+00:00", "2024-05-04", 1),  # the ±1 boundary
    ("2024-05-03 15:47:42+00:00", "2024-05-05", 2),
    ("2024-05-03", "2024-05-02T10:00:00Z", 1),
    # the same instant: read in the gold's own offset it is the same day
    ("2024-05-03 23:30:00+00:00", "2024-05-04T01:30:00+02:00", 0),
    ("2021-11-01T10:52:50+0100", "2021-11-01T09:52:50Z", 0),
    ("2015-03-27T13:07:55.096Z", None, None),
    ("2015-03-27T13:07:55.096Z", "not a date", None),
])
def test_dates_compare_as_calendar_days_in_the_gold_offset(gold: str, found: str | None, days: int | None) -> None:
    assert suites.day_difference(gold, found) == days


def test_date_outcomes() -> None:
    assert suites.score_date("2024-05-03", "2024-05-04") == {"same_day": False, "within_1": True}
    assert suites.score_date("2024-05-03", "2024-05-05") == {"same_day": False, "within_1": False}
    assert suites.score_date(None, "2024-05-04") == {"false": True}
    assert suites.score_date(None, None) == {"false": False}


def test_schema_types_read_from_every_syntax_and_only_from_schema_org() -> None:
    data = {
        "json-ld": [{"@context": "https://schema.org", "@type": "MedicalWebPage",
                     "author": {"@type": "Person", "name": "Jane Doe"}},
                    {"@context": {"foaf": "http://xmlns.com/foaf/0.1/"}, "@type": "Image"}],
        "microdata": [{"type": "http://schema.org/Product",
                       "properties": {"offers": {"type": ["https://schema.org/Offer"]}}}],
        "rdfa": [{"@id": "_:1", "@type": ["http://schema.org/Person", "http://xmlns.com/foaf/0.1/Person"]}],
        "microformat": [{"type": ["h-card"], "properties": {}}],
    }
    assert suites.schema_types(data) == {"MedicalWebPage", "Person", "Product", "Offer"}
    assert suites.engine_types(["Person", "http://xmlns.com/foaf/0.1/Image"]) == {"Person"}
