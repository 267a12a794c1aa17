"""Phrase lists compile into a regex and a generated pre-test that never disagree."""

import random

import pytest

from scoring import langdata
from scoring.phrases import GatedPattern, PhraseSet, expand

LABELS = ["(medically |clinically |)reviewed by", "rédigé par", "écrit par", "by", "auteur :", "fact-checked by"]


def test_expand_alternatives_and_optional_groups():
    assert sorted(expand("(medically |)reviewed (by|par)")) == sorted(
        ["medically reviewed by", "medically reviewed par", "reviewed by", "reviewed par"])


def test_pattern_tolerates_case_spacing_hyphens_and_missing_accents():
    pattern = GatedPattern(LABELS)
    for text in ("Medically  Reviewed By Dr Jane Roe", "REDIGE PAR Marie", "Rédigé\npar Marie", "fact checked by X",
                 "Fact-Checked by X"):
        assert pattern.search(text), text
    assert not pattern.search("Baby food")  # "by" inside a word is not the label


def test_anchor_is_the_longest_plain_run():
    assert PhraseSet(["rédigé par"]).anchors == ("dig",)  # accented letters never sit in an anchor
    assert PhraseSet(["written by", "by"]).anchors == ("by",)  # "written" is covered by the shorter "by"


def _random_text(rng: random.Random, phrases: tuple[str, ...]) -> str:
    pieces = []
    alphabet = "abcdeéèfghiıİſklmnopqrstuvwxyzABCDÉRY -’'\n:.,"
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.3:
            phrase = rng.choice(phrases)
            pieces.append("".join(c.upper() if rng.random() < 0.3 else c for c in phrase))
        elif roll < 0.5:  # a phrase with one character changed
            phrase = list(rng.choice(phrases))
            phrase[rng.randrange(len(phrase))] = rng.choice(alphabet)
            pieces.append("".join(phrase))
        else:
            pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))))
    return rng.choice([" ", "", "\n", "-"]).join(pieces)


@pytest.mark.parametrize("seed", range(5))
def test_gated_search_finds_exactly_what_the_full_search_finds(seed):
    rng = random.Random(seed)
    pattern = GatedPattern(LABELS)
    for _ in range(3000):
        text = _random_text(rng, pattern.phrases.phrases)
        full = pattern.pattern.search(text)
        gated = pattern.search(text)
        assert (full and full.span()) == (gated and gated.span()), text


def test_every_language_file_loads_and_months_cover_twelve():
    assert {"en", "fr", "de", "es"} <= set(langdata.languages())
    for lang in ("en", "fr", "de", "es"):
        months = langdata.load("calendar", lang)["months"]
        assert set(months.values()) == set(range(1, 13)), lang
