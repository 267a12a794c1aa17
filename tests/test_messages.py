"""The service's own messages (service/messages): every key in English and French, the same placeholders, French
typography."""

from __future__ import annotations

import re
import string

import pytest

from service.messages import LANGUAGES, catalogue, message


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_exists_in_every_language_with_the_same_placeholders():
    english = catalogue("en")
    for lang in LANGUAGES:
        other = catalogue(lang)
        assert set(other) == set(english), lang
        for key, entry in english.items():
            assert set(other[key]) == {"title", "detail"}, (lang, key)
            assert _placeholders(other[key]["detail"]) == _placeholders(entry["detail"]), (lang, key)


@pytest.mark.parametrize("key", sorted(catalogue("fr")))
def test_french_typography(key):
    for text in catalogue("fr")[key].values():
        assert not re.search(r"(?<![\u00a0\u202f])[:;?!](?=\s|$)", text), text
        assert "'" not in text, text


def test_numbers_follow_the_language():
    assert "0.5 s" in message("audit_timeout", "en", seconds=0.5)[1]
    assert "0,5\u00a0s" in message("audit_timeout", "fr", seconds=0.5)[1]
    assert "20 s" in message("audit_timeout", "en", seconds=20.0)[1]
    assert message("audit_timeout", "de", seconds=1.0) == message("audit_timeout", "en", seconds=1.0)
