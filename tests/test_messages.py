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


def _params(template: str, count: int) -> dict:
    from scoring.i18n import placeholders

    # a list where the template lists ("{names:and}"), else the count
    return {name: ["Alpha", "Beta"][:count] if spec == "and" else count for name, spec in placeholders(template)}


@pytest.mark.parametrize("count", [0, 1, 2])
def test_every_service_message_renders_in_both_languages(count):
    from scoring.i18n import format_message

    for key, entry in catalogue("en").items():
        for part in ({"": entry} if isinstance(entry, str) else entry):
            rendered = {}
            for lang in LANGUAGES:
                template = catalogue(lang)[key] if isinstance(entry, str) else catalogue(lang)[key][part]
                rendered[lang] = format_message(template, _params(template, count), lang)
                assert rendered[lang].strip() and "{" not in rendered[lang] and "plural," not in rendered[lang], \
                    (key, part, lang, rendered[lang])
            # a French text equal to the English one is a forgotten translation (identifiers excepted)
            assert rendered["fr"] != rendered["en"] or not re.search(r"[a-z]{4,} [a-z]{4,}", rendered["en"]), \
                (key, part)


def test_field_and_page_errors_speak_the_readers_language():
    from service.messages import field_message, localized_records, page_error_message

    assert field_message("Missing data for required field.", "fr") == "Champ obligatoire manquant."
    assert field_message("Must be one of: facts, checks, fix.", "fr") == \
        "Doit être l’une des valeurs suivantes\u00a0: facts, checks, fix."
    assert field_message("Missing data for required field.", "en") == "Missing data for required field."
    assert field_message("something nobody wrote down", "fr") == "something nobody wrote down"
    assert page_error_message({"code": "http-error", "status": 404, "message": "HTTP 404"}, "fr") == \
        "la page a répondu HTTP 404"
    assert page_error_message({"code": "mystery", "message": "as stored"}, "fr") == "as stored"
    records = [{"url": "u", "error": {"code": "not-html", "status": 200, "message": "x"}}, {"url": "v", "error": None}]
    assert [r["error"] and r["error"]["message"] for r in localized_records(records, "fr")] == [
        "la réponse n’est pas un document HTML", None]
