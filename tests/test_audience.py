"""Who the page speaks to (scoring/audience.py): each signal in English and French, the tiers, the thresholds,
the checks that follow the audience, the fix's proposed audience, and the phrase gates' agreement."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from scoring import audit_html
from scoring.facts import audience as aud
from scoring.fix import fix_html
from scoring.page.model import Page
from scoring.phrase_windows import Prepared
from scoring.phrases import expand

from .conftest import FIXTURES, SHARED, check_result

AUDIENCE = FIXTURES / "audience"
CORPUS_PAGES = Path(os.environ.get("HEALTHGEO_SHARED") or SHARED) / "corpus" / "pages"


def report(name: str, url: str | None = None) -> dict:
    return audit_html((AUDIENCE / name).read_bytes(), url)


def page(body: str, *, lang: str = "en", head: str = "", title: str = "A page") -> str:
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>{head}"
            f"</head><body>{body}</body></html>")


def audience_of(html: str, url: str | None = None) -> dict:
    return audit_html(html, url, include=("facts",))["facts"]["audience"]


@pytest.mark.parametrize(("name", "expected", "signals"), [
    ("en_professional_gated.html", "professionals", {"gate", "vocabulary"}),
    ("fr_professional_gated.html", "professionals", {"gate", "vocabulary"}),
    ("en_professional_ungated.html", "professionals", {"vocabulary"}),
    ("fr_professional_ungated.html", "professionals", {"vocabulary"}),
    ("en_public_patient.html", "public", {"markup", "address"}),
    ("fr_public_patient.html", "public", {"markup", "address"}),
    ("en_both.html", "both", {"markup"}),
    ("fr_both.html", "both", {"breadcrumb"}),
])
def test_fixture_audiences(name: str, expected: str, signals: set[str]) -> None:
    found = report(name)["facts"]["audience"]
    assert found["audience"] == expected, found
    assert signals <= {e["signal"] for e in found["evidence"]}, found["evidence"]


@pytest.mark.parametrize(("gate", "lang"), [
    ("For healthcare professionals only", "en"),
    ("This site is intended only for UK health care professionals.", "en"),
    ("Are you a healthcare professional?", "en"),
    ("Ce site est réservé aux professionnels de santé.", "fr"),
    ("Informations destinées exclusivement aux professionnels de santé", "fr"),
    ("Êtes-vous un professionnel de santé ?", "fr"),
    ("Diese Informationen richten sich ausschließlich an medizinische Fachkreise.", "de"),
    ("Información dirigida exclusivamente a profesionales sanitarios", "es"),
])
def test_gates_and_banners_make_a_professional_page(gate: str, lang: str) -> None:
    found = audience_of(page(f"<div class=\"banner\">{gate}</div><main><p>Text.</p></main>", lang=lang))
    assert found["audience"] == "professionals" and found["gate"], found


@pytest.mark.parametrize(("link", "lang"), [("Vous êtes professionnel de santé ?", "fr"),
                                            ("Are you a healthcare professional?", "en")])
def test_a_question_in_a_link_leads_elsewhere_and_is_no_gate(link: str, lang: str) -> None:
    found = audience_of(page(f"<header><a href=\"/pro\">{link}</a></header><main><p>Text.</p></main>", lang=lang))
    assert found["gate"] is None and found["audience"] is None


@pytest.mark.parametrize(("button", "lang"), [("Je suis un professionnel de santé", "fr"),
                                              ("I am a healthcare professional", "en")])
def test_a_confirmation_counts_even_as_a_link(button: str, lang: str) -> None:
    found = audience_of(page(f"<div><a href=\"/enter\">{button}</a></div><main><p>Text.</p></main>", lang=lang))
    assert found["gate"] == button and found["audience"] == "professionals"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://lab.example.com/hcp/products/x", "professionals"),
    ("https://labo.example.fr/professionnels-de-sante/produits/x", "professionals"),
    ("https://lab.example.com/patients/living-with-asthma", "public"),
    ("https://agency.example.gov/drugs/safety-information-patients-and-providers/x", "both"),
    ("https://lab.example.com/news/hcp", None),  # the page's own slug is not a section
    ("https://lab.example.com/providers", None),
])
def test_site_sections(url: str, expected: str | None) -> None:
    assert audience_of(page("<main><p>Text.</p></main>"), url)["audience"] == expected


@pytest.mark.parametrize(("markup", "expected"), [
    ('"audience": {"@type": "Patient"}', "public"),
    ('"audience": {"@type": "MedicalAudience", "audienceType": "Clinician"}', "professionals"),
    ('"medicalAudience": "https://schema.org/Clinician"', "professionals"),
    ('"medicalAudience": "MedicalResearcher"', "professionals"),
    ('"audience": {"@type": "MedicalAudience", "audienceType": "professionnels de santé"}', "professionals"),
    ('"audience": {"@type": "Audience", "audienceType": "patients and caregivers"}', "public"),
    ('"audience": {"@type": "PeopleAudience"}', "public"),
    ('"audience": [{"@type": "Patient"}, {"@type": "MedicalAudience", "audienceType": "Clinician"}]', "both"),
    ('"audience": {"@type": "BusinessAudience"}', None),
])
def test_markup(markup: str, expected: str | None) -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "MedicalWebPage", '
            f'"name": "x", {markup}}}</script>')
    assert audience_of(page("<main><p>Text.</p></main>", head=head))["audience"] == expected


def test_declared_beats_placed_and_placed_beats_inferred() -> None:
    gate = "<div>For healthcare professionals only</div>"
    assert audience_of(page(gate + "<main><p>Talk to your doctor.</p></main>"))["audience"] == "professionals"
    url = "https://lab.example.com/patients/x"
    body = "<main><p>" + " ".join(["pharmacokinetics posology bioavailability cytochrome placebo"] * 40) + \
           " word" * 200 + "</p></main>"
    found = audience_of(page(body), url)
    assert found["vocabulary"]["dense"] and found["audience"] == "public" and found["tier"] == "placed"


def _vocabulary_page(hits: int, distinct: int, words: int) -> str:
    terms = ["pharmacokinetics", "posology", "bioavailability", "cytochrome", "placebo", "excipients"][:distinct]
    used = [terms[i % distinct] for i in range(hits)]
    return page("<main><p>" + " ".join(used + ["word"] * (words - hits)) + ".</p></main>")


@pytest.mark.parametrize(("hits", "distinct", "words", "dense"), [
    (4, 4, 1000, True),    # 4.0 per 1,000 words: at the threshold
    (3, 3, 1000, False),   # 3.0 per 1,000 and three terms: below both
    (5, 3, 1000, False),   # dense enough but three different terms only
    (4, 4, 1001, False),   # 3.996 per 1,000: just below
    (1, 1, 149, False),    # too short to judge
    (4, 4, 150, True),
])
def test_technical_vocabulary_thresholds(hits: int, distinct: int, words: int, dense: bool) -> None:
    found = audience_of(_vocabulary_page(hits, distinct, words))
    assert found["vocabulary"]["dense"] is dense, found["vocabulary"]
    assert (found["audience"] == "professionals") is dense


def test_french_technical_vocabulary() -> None:
    body = "<main><p>" + " ".join(["posologie pharmacocinétique contre-indications demi-vie clairance"] * 3) + \
           " mot" * 300 + "</p></main>"
    assert audience_of(page(body, lang="fr"))["vocabulary"]["distinct"] == 5


def test_a_page_that_shows_nothing_has_no_audience() -> None:
    found = audience_of(page("<main><p>Drink water and sleep well.</p></main>"))
    assert found["audience"] is None and found["evidence"] == []


# ---------------------------------------------------------------- checks that follow the audience

@pytest.mark.parametrize(("name", "status", "key"), [
    ("en_professional_gated.html", "not_applicable", "na_professional"),
    ("fr_professional_gated.html", "not_applicable", "na_professional"),
    ("en_public_patient.html", "pass", "pass_en"),
    ("fr_public_patient.html", "pass", "pass_fr"),
])
def test_readability_targets_apply_to_patient_pages_only(name: str, status: str, key: str) -> None:
    result = check_result(report(name), "structure.readability")
    assert (result["status"], result["message_key"]) == (status, key), result
    if key == "na_professional":  # the audience's signals are in the facts; the check's kind is a count
        assert result["evidence"] is None


def test_the_same_text_for_professionals_is_not_held_to_patient_targets() -> None:
    hard = ("<main><p>" + " ".join(["Pharmacokinetic characterisation of the investigational compound demonstrated "
                                    "considerable interindividual variability attributable to polymorphic "
                                    "cytochrome metabolism and concomitant medication."] * 12) + "</p></main>")
    public = check_result(audit_html(page(hard)), "structure.readability")
    gated = check_result(audit_html(page("<div>For healthcare professionals only</div>" + hard)),
                         "structure.readability")
    assert public["status"] == "fail" and gated["message_key"] == "na_professional"


@pytest.mark.parametrize(("name", "status", "key"), [
    ("en_professional_gated.html", "pass", "pass_gated"),
    ("fr_professional_gated.html", "pass", "pass_gated"),
    ("en_professional_ungated.html", "warn", "warn_ungated"),
    ("fr_professional_ungated.html", "warn", "warn_ungated"),
    ("en_public_patient.html", "pass", "pass"),
])
def test_prescription_promotion_follows_the_audience(name: str, status: str, key: str) -> None:
    result = check_result(report(name), "trust.prescription-promotion")
    assert (result["status"], result["message_key"]) == (status, key), result


def test_a_professional_page_that_promotes_nothing_owes_no_gate() -> None:
    body = ("<main><p>" + " ".join(["Pharmacokinetics, posology, bioavailability, cytochrome and placebo data "
                                    "for tadalafil in renal impairment."] * 20) + "</p></main>")
    result = check_result(audit_html(page(body)), "trust.prescription-promotion")
    assert (result["status"], result["message_key"]) == ("pass", "pass_professional")


# ---------------------------------------------------------------- the fix

@pytest.mark.parametrize(("name", "expected"), [
    ("en_professional_gated.html", {"@type": "MedicalAudience", "audienceType": "Clinician"}),
    ("fr_professional_ungated.html", {"@type": "MedicalAudience", "audienceType": "Clinician"}),
    ("fr_both.html", [{"@type": "MedicalAudience", "audienceType": "Clinician"}, {"@type": "Patient"}]),
])
def test_the_fix_proposes_the_audience_the_page_shows(name: str, expected) -> None:
    fix = fix_html((AUDIENCE / name).read_bytes())
    nodes = fix["jsonld"]["@graph"]
    page_node = next(n for n in nodes if "audience" in n)
    assert page_node["audience"] == expected
    change = next(c for c in fix["changes"] if c["property"] == "audience")
    assert change["action"] == "add" and "the audience the page shows" in change["reason"]
    assert not any(m["property"] == "audience" for m in fix["missing"])


def test_the_fix_invents_no_audience_and_keeps_a_declared_one() -> None:
    bare = fix_html(page("<main><h1>Sleep</h1><p>Sleep well and drink water.</p></main>"))
    assert not any("audience" in n for n in bare["jsonld"]["@graph"])
    declared = fix_html((AUDIENCE / "fr_public_patient.html").read_bytes())
    node = next(n for n in declared["jsonld"]["@graph"] if "audience" in n)
    assert node["audience"]["audienceType"] == "Patients"
    assert any(c["property"] == "audience" and c["action"] == "keep" for c in declared["changes"])


# ---------------------------------------------------------------- gates generated from the data

def _phrases(topic: str) -> list[tuple[str, list[str]]]:
    from scoring import langdata

    out = []
    for key in {k for lang in langdata.languages() for k, v in langdata.load(topic, lang).items()
                if isinstance(v, list) and not k.endswith(("_words", "_names", "_sites", "_codes"))
                and not k.startswith("audience_type")}:
        out.append((key, [p for phrase in langdata.words(topic, key) for p in expand(phrase)]))
    return out


def _patterns(topic: str):
    from scoring.facts import regulatory

    module = aud if topic == "audience" else regulatory
    for key, phrases in _phrases(topic):
        yield key, phrases, module._pattern(key)
    if topic == "compliance":
        phrases = dict(_phrases(topic))["visa_labels"]
        yield "visa", phrases, regulatory._pattern("visa_labels", regulatory._VISA_TEMPLATE, regulatory._VISA_EXTRA)


def _random_text(rng: random.Random, phrases: list[str]) -> str:
    alphabet = "abcdeéèfghiıİſßklmnopqrstuvwxyzABCDÉRY0123456789 -’'\n:.,°/"
    pieces = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.6:
            phrase = list(rng.choice(phrases))
            if rng.random() < 0.3:
                phrase[rng.randrange(len(phrase))] = rng.choice(alphabet)
            pieces.append("".join(c.upper() if rng.random() < 0.2 else c for c in phrase))
        else:
            pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
    return rng.choice([" ", "  ", "\n", "-", " - ", ""]).join(pieces)


@pytest.mark.parametrize("topic", ["audience", "compliance"])
def test_window_searches_agree_with_the_full_regex_on_random_text(topic: str) -> None:
    rng = random.Random(7)
    for key, phrases, pattern in _patterns(topic):
        for _ in range(400):
            text = _random_text(rng, phrases)
            full = [m.span() for m in pattern.pattern.finditer(text)]
            assert [m.span() for m in pattern.finditer(text)] == full, (key, text)
            assert [m.span() for m in pattern.finditer(Prepared(text))] == full, (key, text)
        assert pattern.search(phrases[0]), (key, phrases[0])  # every list finds its own phrases


def test_window_searches_agree_on_every_corpus_page() -> None:
    pages = sorted((CORPUS_PAGES).glob("*.html")) if CORPUS_PAGES.is_dir() else []
    if not pages:
        pytest.skip("../shared is not available")
    for path in pages:
        body = Page.parse(path.read_bytes()).body_text
        for topic in ("audience", "compliance"):
            for key, _, pattern in _patterns(topic):
                assert [m.span() for m in pattern.finditer(body)] == \
                    [m.span() for m in pattern.pattern.finditer(body)], (path.name, key)


def test_every_phrase_is_found_by_its_own_pattern() -> None:
    from scoring.facts import regulatory

    for topic, module in (("audience", aud), ("compliance", regulatory)):
        for key, phrases in _phrases(topic):
            for phrase in phrases:
                assert module._pattern(key).search(f"… {phrase} …"), (topic, key, phrase)


def test_data_files_exist_in_english_and_french() -> None:
    data = Path(aud.__file__).parents[1] / "lang"  # scoring/lang/<code>/
    for topic in ("audience", "compliance"):
        assert (data / "en" / f"{topic}.json").is_file() and (data / "fr" / f"{topic}.json").is_file()


def test_window_searches_agree_when_anchors_are_everywhere() -> None:
    from scoring import phrase_windows

    text = " ".join(["Réservé aux professionnels de santé", "your professional x"] * (phrase_windows.MAX_WINDOWS))
    pattern = aud._pattern("professional_gates")
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.pattern.finditer(text)]
    assert len(list(pattern.finditer(text))) == phrase_windows.MAX_WINDOWS
