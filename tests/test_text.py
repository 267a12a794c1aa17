"""Word tokenising by token gives exactly what the regexes give."""

import random

import pytest

from scoring.facts.readability import _WORD_RE as READABILITY_WORD
from scoring.page.index import _WORD as PAGE_WORD
from scoring.page.text import _WORD_RE as LETTERS
from scoring.page.text import findall_by_token

PATTERNS = [(LETTERS, str.isalpha), (PAGE_WORD, str.isalnum), (READABILITY_WORD, str.isalnum)]
TEXTS = [
    "", "   ", "L'homme, âgé de 3,5 ans (COVID-19) : « fièvre » — à 38,5 °C…",
    "Don't stop: well-being, U.S. data, 1,000 cases, 2² and ½ dose; e.g. ‘quoted’ “words”.",
    "snake_case __init__ -dash- 'edge' İstanbul ſtrange K-9 x\u00a0y\u202fz",
]


@pytest.mark.parametrize(("pattern", "whole"), PATTERNS)
def test_same_words_as_the_regex(pattern, whole):
    rng = random.Random(7)
    alphabet = "ab é'’-.,_1²½ \u00a0\n«»()\"İſK"
    texts = TEXTS + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert findall_by_token(pattern, text, whole) == pattern.findall(text), text
