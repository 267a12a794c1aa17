"""Every real page of ../shared/corpus audits without error, with sane facts on pages we read ourselves."""

from __future__ import annotations

import json
from functools import cache

import pytest

from scoring import audit_html

from .conftest import SHARED


@cache
def corpus_report(name: str) -> dict:
    return audit_html((SHARED / "corpus" / "pages" / name).read_bytes())


def _manifest() -> list[dict]:
    path = SHARED / "corpus" / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else []


PAGES = [entry["file"].split("/")[-1] for entry in _manifest()]


@pytest.mark.parametrize("name", PAGES or ["(no corpus)"])
def test_every_corpus_page_audits(shared_dir, name: str) -> None:
    report = corpus_report(name)
    json.dumps(report)  # plain, serialisable data
    assert 0 <= report["score"] <= 100 and report["grade"] in "ABCDEF"
    facts = report["facts"]
    for person in facts["authors"] + facts["reviewers"]:
        name_ = person["name"]
        assert name_ == name_.strip() and not name_.lower().startswith(("by ", "par ", "dr ", "dr. "))
        assert not any(ch.isdigit() for ch in name_), person
        assert "," not in name_, person
    for check in report["checks"]:
        assert check["status"] in ("pass", "warn", "fail", "not_applicable")


def test_manifest_markup_types_are_found(shared_dir) -> None:
    for entry in _manifest():
        found = set(corpus_report(entry["file"].split("/")[-1])["facts"]["structured_data"]["types"])
        expected = set(entry["markup"]["jsonld_types"]) | set(entry["markup"].get("microdata_types", []))
        expected = {t for t in expected if t[0].isupper() and ":" not in t}
        assert expected <= found, (entry["file"], expected - found)


def test_health_detection_matches_labels(shared_dir) -> None:
    wrong = [e["file"] for e in _manifest()
             if corpus_report(e["file"].split("/")[-1])["facts"]["topic"]["is_health"] != e["is_health"]]
    assert not wrong


KNOWN = {
    # page: (author names, reviewer names, published/last_reviewed prefix checks)
    "010-webmd-peanut-allergy-babies.html": ({"Brenda Goodman"}, {"Hansa D. Bhargava"}),
    "011-webmd-superbugs.html": ({"Kelli Miller"}, {"Hansa D. Bhargava"}),
    "026-patient-info-weight-loss-habits.html": ({"Victoria Raw"}, {"Colin Tidy"}),
    "001-healthline-50-super-healthy-foods.html": ({"Kris Gunnars"}, {"Jerlyn Jones"}),
    "020-harvard-health-physical-activity-mood.html": ({"Maureen Salamon"}, {"Toni Golen"}),
    "028-uchicago-medicine-infant-sleep-training.html": ({"Angela Holliday-Bell"}, set()),
    "035-cnn-feather-duvet-sickness.html": ({"Sandee LaMotte"}, set()),
    "055-nytimes-sudan-sanctions.html": ({"Jeffrey Gettleman"}, set()),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_people(shared_dir, name: str) -> None:
    authors, reviewers = KNOWN[name]
    facts = corpus_report(name)["facts"]
    assert {p["name"] for p in facts["authors"] if p["type"] == "Person"} == authors
    assert {p["name"] for p in facts["reviewers"]} == reviewers


def test_known_credentials_and_facts(shared_dir) -> None:
    webmd = corpus_report("010-webmd-peanut-allergy-babies.html")["facts"]
    assert webmd["reviewers"][0]["credentials"] == ["MD"]
    patient = corpus_report("026-patient-info-weight-loss-habits.html")["facts"]
    assert patient["reviewers"][0]["credentials"] == ["Dr", "MRCGP"]
    assert patient["date_modified"].startswith("2026-01-12")
    pmc = corpus_report("018-pmc-physical-activity-mental-health.html")["facts"]
    assert pmc["references_section"]
    assert sum(c["authoritative"] for c in pmc["citations"]) >= 20
    recipe = corpus_report("049-marmiton-recette-fr.html")
    assert recipe["facts"]["language"] == "fr" and not recipe["facts"]["topic"]["is_health"]
    assert recipe["facts"]["readability"]["kandel_moles"] is not None
    healthline = corpus_report("001-healthline-50-super-healthy-foods.html")["facts"]
    assert "MedicalWebPage" in healthline["structured_data"]["types"]
    assert healthline["last_reviewed"]
    assert sum(c["authoritative"] for c in healthline["citations"]) >= 10
