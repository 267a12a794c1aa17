import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.markup import vocab

REPO = Path(__file__).resolve().parents[1]
RELEASE_FILE = REPO.parent / "shared" / "schemaorg" / "schemaorg-all-https.jsonld"


def test_release():
    assert vocab.release == "30.0"


def test_types_and_properties():
    assert vocab.is_type("MedicalWebPage")
    assert vocab.is_type("Person")
    assert vocab.is_type("Date") and vocab.is_type("URL")
    assert not vocab.is_type("MedicalWebpage")
    assert not vocab.is_type("lastReviewed")
    assert vocab.is_property("lastReviewed")
    assert not vocab.is_property("LastReviewed")
    assert not vocab.is_property("MedicalWebPage")


def test_ancestors():
    anc = vocab.ancestors("MedicalWebPage")
    assert isinstance(anc, frozenset)
    assert {"WebPage", "CreativeWork", "Thing"} <= anc
    assert "MedicalWebPage" not in anc
    assert vocab.ancestors("Thing") == frozenset()
    assert vocab.ancestors("NoSuchType") == frozenset()
    # multiple inheritance
    assert {"MedicalAudience", "Person", "Audience", "Thing"} <= vocab.ancestors("Patient")
    # Physician is an organisation (a medical business), not a person
    assert "Organization" in vocab.ancestors("Physician")
    assert "Person" not in vocab.ancestors("Physician")


def test_is_subtype():
    assert vocab.is_subtype("MedicalWebPage", "WebPage")
    assert vocab.is_subtype("MedicalWebPage", "MedicalWebPage")
    assert vocab.is_subtype("URL", "Text")
    assert vocab.is_subtype("Integer", "Number")
    assert not vocab.is_subtype("WebPage", "MedicalWebPage")


def test_datatypes():
    for name in ("Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean"):
        assert vocab.is_datatype(name), name
    assert not vocab.is_datatype("Person")


def test_expected_on():
    assert vocab.expected_on("lastReviewed", ["MedicalWebPage"])
    assert vocab.expected_on("author", ["MedicalWebPage"])  # from CreativeWork
    assert vocab.expected_on("name", ["MedicalWebPage"])  # from Thing
    assert vocab.expected_on("medicalAudience", {"MedicalWebPage"})
    assert not vocab.expected_on("medicalAudience", ["WebPage"])
    assert not vocab.expected_on("lastReviewed", ["Person"])
    assert vocab.expected_on("lastReviewed", ["Person", "WebPage"])
    assert not vocab.expected_on("noSuchProperty", ["Thing"])
    assert not vocab.expected_on("name", [])


def test_ranges_and_domains():
    assert vocab.ranges("lastReviewed") == frozenset({"Date"})
    assert vocab.ranges("author") == frozenset({"Person", "Organization"})
    assert "CreativeWork" in vocab.domains("author")
    assert vocab.ranges("nope") == frozenset()


def test_superseded():
    assert vocab.superseded_by("significantLinks") == "significantLink"
    assert vocab.superseded_by("aspect") == "mainContentOfPage"
    assert vocab.superseded_by("Season") == "CreativeWorkSeason"
    assert vocab.superseded_by("significantLink") is None


def test_pending_and_sections():
    assert vocab.is_pending("knowsAbout")
    assert vocab.is_pending("hasCredential")
    assert not vocab.is_pending("author")
    assert vocab.section("author") == "core"
    assert vocab.section("MedicalWebPage") == "health-lifesci"
    assert vocab.section("knowsAbout") == "pending"
    assert vocab.section("nothing") is None


def test_attic():
    assert vocab.is_attic("StupidType")
    assert not vocab.is_type("StupidType")
    assert not vocab.is_property("stupidProperty")
    assert vocab.superseded_by("ProductReturnPolicy") == "MerchantReturnPolicy"


def test_enum_members():
    assert vocab.is_enum_member("Clinician")
    assert vocab.enumerations_of("Clinician") == frozenset({"MedicalAudienceType"})
    assert vocab.is_enum_member("InStock")
    assert vocab.is_enum_member("True")
    assert not vocab.is_enum_member("Person")
    # MedicalSpecialty members are also classes
    assert vocab.is_enum_member("Dermatology") and vocab.is_type("Dermatology")


@pytest.mark.skipif(not RELEASE_FILE.is_file(), reason="../shared/schemaorg not available")
def test_build_is_deterministic(tmp_path):
    out = tmp_path / "vocab.json"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_vocab.py"), str(RELEASE_FILE), "--out", str(out)],
        check=True, capture_output=True,
    )
    committed = (REPO / "scoring" / "data" / "schemaorg-vocab.json").read_bytes()
    assert out.read_bytes() == committed
    data = json.loads(committed)
    assert "rdfs:comment" not in committed.decode() and "https://schema.org/" not in committed.decode()
    assert data["release"] == "30.0"
