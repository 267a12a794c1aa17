"""The service's own messages (service/messages): every key in English and French, the same placeholders, French
typography."""

from __future__ import annotations

import re

import pytest

from scoring.i18n import translation_problems
from service.messages import LANGUAGES, catalogue, message


def test_every_message_exists_in_every_language_with_the_same_placeholders():
    for lang in LANGUAGES:
        assert translation_problems(catalogue("en"), catalogue(lang)) == [], lang
    for key, entry in catalogue("en").items():  # a problem has a title and a detail; a sentence is a string
        assert isinstance(entry, str) or set(entry) == {"title", "detail"}, key


@pytest.mark.parametrize("key", sorted(catalogue("fr")))
def test_french_typography(key):
    entry = catalogue("fr")[key]
    for text in ([entry] if isinstance(entry, str) else entry.values()):
        assert not re.search(r"(?<![\u00a0\u202f])[:;?!](?=\s|$)", text), text
        assert "'" not in text, text


def test_numbers_follow_the_language():
    assert "0.5 s" in message("audit_timeout", "en", seconds=0.5)[1]
    assert "0,5\u00a0s" in message("audit_timeout", "fr", seconds=0.5)[1]
    assert "20 s" in message("audit_timeout", "en", seconds=20.0)[1]
    assert message("audit_timeout", "de", seconds=1.0) == message("audit_timeout", "en", seconds=1.0)
