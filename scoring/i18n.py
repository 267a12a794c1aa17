"""Check texts in every supported language: English from the check decorators, others from
``checks/i18n/<lang>.json`` (``{check_id: {title, how_to_fix, messages: {key: template}}}``, plus
``_generic`` for the messages any check may return).

Checks only ever return a ``message_key`` and ``params``; this module renders them in the reader's
language, with the number and date conventions of that language (French: decimal comma, narrow
no-break space before ``%``, dates spelled out). The English rendering is the one the engine stores.
"""

from __future__ import annotations

import json
import re
import string
from functools import cache
from importlib import resources
from typing import Any

from .checks.base import GENERIC_MESSAGES, REGISTRY

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
GENERIC = "_generic"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")


def supported_language(lang: str | None) -> str:
    """``lang`` when supported (``fr``, ``fr-FR``, ``FR``), else English."""
    primary = (lang or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def english_texts() -> dict[str, dict[str, Any]]:
    texts: dict[str, dict[str, Any]] = {GENERIC: {"messages": dict(GENERIC_MESSAGES)}}
    for check in REGISTRY.values():
        texts[check.id] = {"title": check.title, "how_to_fix": check.how_to_fix, "messages": dict(check.messages)}
    return texts


@cache
def translation_file(lang: str) -> dict[str, dict[str, Any]]:
    """The raw translation data for ``lang`` (not English)."""
    path = resources.files("scoring.checks").joinpath("i18n", f"{lang}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def texts(lang: str) -> dict[str, dict[str, Any]]:
    """Every check's title, how_to_fix and message templates in ``lang``; English fills any gap."""
    lang = supported_language(lang)
    english = english_texts()
    if lang == DEFAULT_LANGUAGE:
        return english
    translated = translation_file(lang)
    merged: dict[str, dict[str, Any]] = {}
    for check_id, base in english.items():
        local = translated.get(check_id, {})
        merged[check_id] = {"title": local.get("title", base.get("title")),
                            "how_to_fix": local.get("how_to_fix", base.get("how_to_fix")),
                            "messages": {**base["messages"], **local.get("messages", {})}}
    return merged


class _Formatter(string.Formatter):
    """``str.format`` with the reader's number and date conventions."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if self.lang != "fr":
            return super().format_field(value, format_spec)
        if isinstance(value, bool):
            return super().format_field(value, format_spec)
        if isinstance(value, int | float):
            if format_spec.endswith("%"):
                number = super().format_field(value * 100, format_spec[:-1] + "f")
                return number.replace(".", ",") + "\u202f%"
            text = super().format_field(value, format_spec)
            return text.replace(",", "\u202f").replace(".", ",") if "e" not in text else text
        if isinstance(value, str) and (m := _ISO_DATE.match(value)):
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12:
                return f"{'1er' if day == 1 else day}\u00a0{_FR_MONTHS[month - 1]} {year}"
        return super().format_field(value, format_spec)


def format_message(template: str, params: dict[str, Any], lang: str) -> str:
    lang = supported_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return template.format(**params)
    return _Formatter(lang).format(template, **params)


def message(check_id: str, key: str, params: dict[str, Any], lang: str) -> str:
    """One outcome's message in ``lang`` (the key itself when no template exists, as the engine does)."""
    table = texts(lang)
    template = table.get(check_id, {}).get("messages", {}).get(key) or table[GENERIC]["messages"].get(key)
    if template is None:
        return key
    try:
        return format_message(template, params, lang)
    except (KeyError, IndexError, ValueError):
        return format_message(template, params, DEFAULT_LANGUAGE) if lang != DEFAULT_LANGUAGE else key


def localize_results(results: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Check results with ``title``, ``how_to_fix`` and ``message`` in ``lang`` (new dicts; input untouched)."""
    lang = supported_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return [dict(r) for r in results]
    table = texts(lang)
    out = []
    for result in results:
        local = table.get(result["id"])
        item = dict(result)
        if local is not None:
            item["title"] = local["title"]
            item["how_to_fix"] = local["how_to_fix"]
            if result.get("message_key"):
                item["message"] = message(result["id"], result["message_key"], result.get("params") or {}, lang)
        out.append(item)
    return out


def localize_report(report: dict[str, Any], lang: str) -> dict[str, Any]:
    """A shallow copy of an audit report whose checks speak ``lang``, with ``lang`` recorded."""
    lang = supported_language(lang)
    out = dict(report)
    if "checks" in report:
        out["checks"] = localize_results(report["checks"], lang)
    if report.get("limits"):
        from .limits import localize_limits

        out["limits"] = localize_limits(report["limits"], lang)
    out["lang"] = lang
    return out


def catalogue(lang: str = DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
    """Every check's metadata (as ``scoring.catalogue()``) with title and how_to_fix in ``lang``."""
    table = texts(lang)
    return [{**c.metadata(), "title": table[c.id]["title"], "how_to_fix": table[c.id]["how_to_fix"]}
            for c in REGISTRY.values()]


def placeholders(template: str) -> list[tuple[str, str]]:
    """The ``(field, format_spec)`` pairs of a template, sorted: what must match across languages."""
    return sorted((field, spec or "") for _, field, spec, _ in string.Formatter().parse(template) if field is not None)


def translation_problems(reference: dict[str, Any], translated: dict[str, Any], path: str = "") -> list[str]:
    """Differences between two nested string tables: missing keys, stale keys, placeholders that differ.

    Used by the tests for the check texts and for the report chrome, so a forgotten or outdated
    translation fails the build instead of showing English (or a KeyError) to a French reader.
    """
    problems = []
    for key in reference.keys() - translated.keys():
        problems.append(f"missing: {path}{key}")
    for key in translated.keys() - reference.keys():
        problems.append(f"stale: {path}{key}")
    for key in reference.keys() & translated.keys():
        ref, tra = reference[key], translated[key]
        where = f"{path}{key}"
        if isinstance(ref, dict) and isinstance(tra, dict):
            problems += translation_problems(ref, tra, where + ".")
        elif isinstance(ref, str) and isinstance(tra, str):
            if not tra.strip():
                problems.append(f"empty: {where}")
            elif placeholders(ref) != placeholders(tra):
                problems.append(f"placeholders differ: {where}: {placeholders(ref)} != {placeholders(tra)}")
        else:
            problems.append(f"shape differs: {where}")
    return sorted(problems)


def check_translation_problems(lang: str) -> list[str]:
    """What ``checks/i18n/<lang>.json`` lacks, has in excess, or renders with other placeholders."""
    return translation_problems(english_texts(), translation_file(lang))
