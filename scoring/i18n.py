"""Check texts in every supported language: English from the check decorators, others from
``checks/i18n/<lang>.json`` (``{check_id: {title, how_to_fix, messages: {key: template}, thresholds: {name:
reason}}}``, plus ``_generic`` for the messages any check may return).

Checks only ever return a ``message_key`` and ``params``; this module renders them in the reader's
language, with the number and date conventions of that language (French: decimal comma, narrow
no-break space before ``%``, dates spelled out). The English rendering is the one the engine stores.
"""

from __future__ import annotations

import json
import re
import string
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from .checks.base import GENERIC_MESSAGES, REGISTRY
from .facts.language import language_name

LIST_SHOWN = 6  # items of a list parameter written out; the rest are counted
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
GENERIC = "_generic"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SPEC = re.compile(r"(?P<sign>\+)?,?(?:\.(?P<digits>\d+))?(?P<kind>[fd%]?)")  # "," groups: CLDR always does
# ICU MessageFormat plural blocks, the notation translators know: {count, plural, one {# source} other {# sources}}
_PLURAL_HEAD = re.compile(r"\{\s*(?P<name>\w+)\s*,\s*plural\s*,\s*")
_PLURAL_SELECTOR = re.compile(r"\s*(?P<key>=\d+|zero|one|two|few|many|other)\s*\{")
_PLURAL_CLOSE = re.compile(r"\s*\}")


def supported_language(lang: str | None) -> str:
    """``lang`` when supported (``fr``, ``fr-FR``, ``FR``), else English."""
    primary = (lang or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def english_texts() -> dict[str, dict[str, Any]]:
    texts: dict[str, dict[str, Any]] = {GENERIC: {"messages": dict(GENERIC_MESSAGES)}}
    for check in REGISTRY.values():
        texts[check.id] = {"title": check.title, "how_to_fix": check.how_to_fix, "messages": dict(check.messages)}
        if check.thresholds:
            texts[check.id]["thresholds"] = {name: t.reason for name, t in check.thresholds.items()}
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
        if "thresholds" in base:
            merged[check_id]["thresholds"] = {**base["thresholds"], **local.get("thresholds", {})}
    return merged


class _Formatter(string.Formatter):
    """``str.format`` with the reader's number and date conventions (CLDR data, through Babel)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.params: dict[str, Any] = {}

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.params = kwargs
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool):
            return super().format_field(value, format_spec)
        if format_spec.startswith("@"):  # "{repairs:@jsonld_repairs}": codes worded by that section of messages
            return self.worded(value, format_spec[1:])
        if format_spec == "language":  # "{page_language:language}": a language code named in the reader's words
            return language_name(value, self.lang)
        if format_spec == "raw":  # "{text:raw}": a value quoted as written (a date string stays as the page wrote it)
            return "" if value is None else str(value)
        if isinstance(value, list | tuple):  # "{types}": A, B or C; "{names:and}": A, B and C
            shown = [self.format_field(v, "") for v in value[:LIST_SHOWN]]
            if len(value) > LIST_SHOWN:
                shown.append("\u2026")
            style = "standard" if format_spec == "and" else "or"
            return format_list(shown, style=style, locale=self.lang) if shown else ""
        if value is None:
            return ""
        if isinstance(value, int | float):
            return format_number(value, format_spec, self.lang)
        if isinstance(value, str) and (m := _ISO_DATE.match(value)):
            year, month, day = (int(g) for g in m.groups())
            try:
                return format_date(date(year, month, day), "long", locale=self.lang)
            except ValueError:
                return value
        return super().format_field(value, format_spec)


    def worded(self, codes: Any, section: str) -> str:
        """Each code in the words of ``section`` as a list: its template filled from the same parameters, or
        from the item's own when the item is ``{"code": ..., <params>}`` (one quoted text per item)."""
        words = engine_messages(self.lang).get(section, {})
        shown = []
        for item in codes if isinstance(codes, list | tuple) else [codes]:
            own = isinstance(item, dict)
            code, params = (item.get("code"), {**self.params, **item}) if own else (item, self.params)
            shown.append(format_message(words[code], params, self.lang) if code in words else str(code))
        return format_list(shown, style="standard", locale=self.lang) if shown else ""


def format_number(value: float, format_spec: str, lang: str) -> str:
    """A number in ``lang``'s conventions; ``format_spec`` keeps its Python meaning (``.1f``, ``.0%``, ``d``)."""
    spec = _SPEC.fullmatch(format_spec or "")
    if spec is None:  # an unusual spec: Python's own rendering
        return format(value, format_spec)
    if spec["sign"] and value >= 0:  # "+.1f": a change, signed either way
        return "+" + format_number(value, format_spec[1:], lang)
    digits = int(spec["digits"]) if spec["digits"] else None
    if spec["kind"] == "%":
        pattern = Locale.parse(lang).percent_formats[None].pattern
        if digits:
            pattern = pattern.replace("0", "0." + "0" * digits, 1)
        return format_percent(value, pattern, locale=lang)
    if digits is not None:
        return format_decimal(round(value, digits), "#,##0" + ("." + "0" * digits if digits else ""), locale=lang)
    return format_decimal(value, locale=lang)


def _plural_block(template: str, start: int) -> tuple[int, str, dict[str, str]] | None:
    """The ICU plural block opening at ``start`` (``{n, plural, one {...} other {...}}``): (end, name, forms)."""
    head = _PLURAL_HEAD.match(template, start)
    if not head:
        return None
    forms: dict[str, str] = {}
    pos = head.end()
    while True:
        selector = _PLURAL_SELECTOR.match(template, pos)
        if not selector:
            break
        depth, i = 1, selector.end()
        while i < len(template) and depth:
            depth += {"{": 1, "}": -1}.get(template[i], 0)
            i += 1
        if depth:
            return None
        forms[selector["key"]] = template[selector.end():i - 1]
        pos = i
    close = _PLURAL_CLOSE.match(template, pos)
    if not close or "other" not in forms:
        return None
    return close.end(), head["name"], forms


def plural_blocks(template: str) -> list[tuple[int, int, str, dict[str, str]]]:
    """Every plural block of a template: [(start, end, parameter, {selector: text})]."""
    out, pos = [], 0
    while (pos := template.find("{", pos)) != -1:
        block = _plural_block(template, pos)
        if block:
            out.append((pos, block[0], block[1], block[2]))
            pos = block[0]
        else:
            pos += 1
    return out


def _expand_plurals(template: str, params: dict[str, Any], lang: str) -> str:
    """Replace each plural block by the form ``lang``'s plural rules choose for its number (``#`` = the number)."""
    if ", plural," not in template:
        return template
    out, pos = [], 0
    while (brace := template.find("{", pos)) != -1:
        block = _plural_block(template, brace)
        if block is None:
            out.append(template[pos:brace + 1])
            pos = brace + 1
            continue
        end, name, forms = block
        count = params[name]
        category = f"={count}" if f"={count}" in forms else Locale.parse(lang).plural_form(abs(count))
        text = forms.get(category, forms["other"])
        out.append(template[pos:brace] + text.replace("#", "{" + name + "}"))
        pos = end
    out.append(template[pos:])
    return "".join(out)


def format_message(template: str, params: dict[str, Any], lang: str) -> str:
    """A template filled in ``lang``: plural blocks chosen by the language's rules, numbers and dates localised."""
    lang = supported_language(lang)
    return _Formatter(lang).format(_expand_plurals(template, params, lang), **params)


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


def topic_reason(topic: dict[str, Any], lang: str) -> str:
    """Why the page is (not) health content (``facts["topic"]``), in ``lang``; a report saved before reasons
    had codes keeps its English text."""
    if topic.get("reason_code"):
        return engine_message("topic", topic["reason_code"], topic.get("reason_params") or {}, lang)
    return str(topic.get("reason") or "")


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
                params = result.get("params") or {}
                if params.get("reason_code"):  # not health content: the topic's reason, in ``lang`` too
                    params = item["params"] = {**params, "reason": topic_reason(params, lang)}
                item["message"] = message(result["id"], result["message_key"], params, lang)
        evidence = result.get("evidence")
        if isinstance(evidence, dict) and evidence.get("kind") in ("markup", "comparison"):
            items = evidence.get("items") or []
            local_items = localize_findings(items, lang)
            item["evidence"] = {**evidence, "items": local_items}
            # "{first}" quotes the first finding's sentence: say it in the reader's language too
            first = (result.get("params") or {}).get("first")
            if first and items and items[0].get("message") == first and local_items[0].get("message") != first:
                params = {**result["params"], "first": local_items[0]["message"]}
                item["message"] = message(result["id"], result["message_key"], params, lang)
        out.append(item)
    return out


def localize_report(report: dict[str, Any], lang: str) -> dict[str, Any]:
    """A shallow copy of an audit report whose checks speak ``lang``, with ``lang`` recorded."""
    lang = supported_language(lang)
    out = dict(report)
    if "checks" in report:
        out["checks"] = localize_results(report["checks"], lang)
    if report.get("limits"):
        out["limits"] = localize_limits(report["limits"], lang)
    topic = (report.get("facts") or {}).get("topic")
    if lang != DEFAULT_LANGUAGE and isinstance(topic, dict) and topic.get("reason_code"):
        out["facts"] = {**report["facts"], "topic": {**topic, "reason": topic_reason(topic, lang)}}
    structured = (out.get("facts") or {}).get("structured_data")
    if lang != DEFAULT_LANGUAGE and isinstance(structured, dict):
        local = {key: localize_findings(structured[key], lang) for key in ("errors", "warnings", "consistency")
                 if isinstance(structured.get(key), list)}
        out["facts"] = {**out["facts"], "structured_data": {**structured, **local}}
    rich = (report.get("facts") or {}).get("rich_results")
    if lang != DEFAULT_LANGUAGE and isinstance(rich, dict):
        local = {key: localize_findings(rich[key], lang) for key in ("findings", "notices")
                 if isinstance(rich.get(key), list)}
        out["facts"] = {**out.get("facts", report["facts"]), "rich_results": {**rich, **local}}
    if isinstance(report.get("fix"), dict) and lang != DEFAULT_LANGUAGE:
        out["fix"] = localize_fix(report["fix"], lang)
    out["lang"] = lang
    return out


def fix_message(code: str, params: dict[str, Any], lang: str) -> str:
    """A fix reason or missing-item message (scoring/messages "fix") in ``lang``; a validator finding it
    quotes (params ``finding_key``, ``finding_params``, English ``finding``) is rendered in ``lang`` too."""
    if "finding_key" in params:
        quoted = finding_message({"message_key": params["finding_key"], "params": params.get("finding_params")}, lang)
        params = {**params, "finding": quoted or params.get("finding", "")}
    return engine_message("fix", code, params, lang)


def localize_fix(fix: dict[str, Any], lang: str) -> dict[str, Any]:
    """A fix (``scoring.fix.build_fix``) whose reasons and messages speak ``lang`` (new dicts; input untouched).
    Entries without a code (a fix stored before codes existed) keep their English text."""
    lang = supported_language(lang)
    out = dict(fix)
    out["changes"] = [{**c, "reason": fix_message(c["reason_code"], c.get("reason_params") or {}, lang)}
                      if c.get("reason_code") else c for c in fix.get("changes") or []]
    out["missing"] = [{**m, "message": fix_message(m["message_key"], m.get("params") or {}, lang)}
                      if m.get("message_key") else m for m in fix.get("missing") or []]
    out["unfixed"] = localize_findings(fix.get("unfixed") or [], lang)
    return out


FINDING_SECTIONS = ("validate", "consistency", "rich_results", "fix")  # where a finding's message_key is looked up


def finding_message(finding: dict[str, Any], lang: str) -> str | None:
    """A validator, consistency or rich-results finding's sentence in ``lang`` from its ``message_key`` (or
    ``code``) and ``params``; None when it has no parameters or no template (its English ``message`` stands)."""
    params = finding.get("params")
    if not isinstance(params, dict):
        return None
    key = finding.get("message_key") or finding.get("code")
    sections = ("consistency",) if finding.get("source") == "consistency" else FINDING_SECTIONS
    if finding.get("feature") is not None or finding.get("doc"):  # Google's rich results first
        sections = ("rich_results", *(s for s in sections if s != "rich_results"))
    for section in sections:
        if key in engine_messages(DEFAULT_LANGUAGE).get(section, {}):
            try:
                return engine_message(section, key, params, lang)
            except (KeyError, IndexError, ValueError):
                continue  # the same key in another section, with other parameters
    return None


def localize_findings(findings: list[Any], lang: str) -> list[Any]:
    """Findings (validator, consistency, evidence items) with ``message`` in ``lang`` (new dicts)."""
    lang = supported_language(lang)
    out = []
    for finding in findings:
        text = finding_message(finding, lang) if isinstance(finding, dict) else None
        out.append({**finding, "message": text} if text is not None else finding)
    return out


def catalogue(lang: str = DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
    """Every check's metadata (as ``scoring.catalogue()``) with title, how_to_fix and the reasons of its
    thresholds in ``lang``."""
    table = texts(lang)
    out = []
    for c in REGISTRY.values():
        meta = c.metadata()
        reasons = table[c.id].get("thresholds", {})
        meta["thresholds"] = {name: {**t, "reason": reasons.get(name, t["reason"])}
                              for name, t in meta["thresholds"].items()}
        out.append({**meta, "title": table[c.id]["title"], "how_to_fix": table[c.id]["how_to_fix"]})
    return out


def placeholders(template: str) -> list[tuple[str, str]]:
    """The ``(field, format_spec)`` pairs of a template, sorted: what must match across languages
    (a plural block counts as its parameter)."""
    names = [name for _, _, name, _ in plural_blocks(template)]
    plain = _expand_plurals(template, dict.fromkeys(names, 2), "en") if names else template
    fields = {(field, spec or "") for _, field, spec, _ in string.Formatter().parse(plain) if field is not None}
    return sorted(fields | {(name, "") for name in names})


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


@cache
def engine_messages(lang: str) -> dict[str, dict[str, str]]:
    """The engine's other messages (``scoring/messages/<lang>.json``), by section and code (shared: read only)."""
    path = resources.files("scoring").joinpath("messages", f"{supported_language(lang)}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("_about", None)
    return data


def engine_message(section: str, code: str, params: dict[str, Any], lang: str) -> str:
    """One engine message in ``lang`` (English when ``lang`` lacks it; a test keeps both complete)."""
    template = engine_messages(lang).get(section, {}).get(code)
    if template is None:
        lang, template = DEFAULT_LANGUAGE, engine_messages(DEFAULT_LANGUAGE)[section][code]
    return format_message(template, params, lang)


def comparison_lines(comparison: dict[str, Any], lang: str) -> list[str]:
    """A page comparison (``scoring.compare.compare_reports``) as sentences in ``lang``, the most telling first."""
    lang = supported_language(lang)
    titles = {check_id: t["title"] for check_id, t in texts(lang).items() if "title" in t}
    say = lambda code, **params: engine_message("compare", code, params, lang)  # noqa: E731
    lines = []
    score = comparison["score"]
    if score["delta"] is not None:
        lines.append(say("score", **score))
    if comparison["rules_changed"]:
        lines.append(say("rules-changed", **comparison["rules_version"]))
    rescored = comparison.get("rescored")
    if rescored:
        lines.append(say("rescored", count=len(rescored["rescored"]), kept=len(rescored["kept"]) +
                         len(rescored["skipped"]), before=rescored["score_before"], after=rescored["score_rescored"]))
    lines += [say("started-failing", title=titles.get(c, c)) for c in comparison["checks"]["started_failing"]]
    lines += [say("stopped-failing", title=titles.get(c, c)) for c in comparison["checks"]["stopped_failing"]]
    for change in comparison["facts"]:
        params = dict(change["params"])
        if "field" in params:
            params["field_label"] = engine_message("compare", "field." + params["field"], {}, lang)
        lines.append(say(change["code"], **params))
    if comparison.get("fix"):
        lines.append(say("fix-" + comparison["fix"]["status"], **comparison["fix"]))
    return lines


def site_comparison_lines(comparison: dict[str, Any], lang: str, *, limit: int = 10) -> list[str]:
    """A site comparison (``scoring.compare.compare_sites``) as sentences in ``lang``: the counts, then the pages
    that fell most and the checks whose failing-page count moved most (at most ``limit`` of each)."""
    lang = supported_language(lang)
    titles = {check_id: t["title"] for check_id, t in texts(lang).items() if "title" in t}
    say = lambda code, **params: engine_message("compare", code, params, lang)  # noqa: E731
    pages = comparison["pages"]
    kinds = ("improved", "regressed", "new", "gone")
    lines = [", ".join(say("site-" + kind, count=len(pages[kind])) for kind in kinds)]
    if comparison.get("rules_changed"):
        lines.append(say("site-rules-changed"))
    lines += [say("page-delta", **entry) for entry in pages["regressed"][:limit]]
    for check in comparison["checks"][:limit]:
        code = "check-failing-more" if check["delta"] > 0 else "check-failing-less"
        title = titles.get(check["id"], check["id"])
        lines.append(say(code, title=title, before=check["before"], after=check["after"]))
    return lines


@cache
def limit_templates() -> dict[str, dict[str, str]]:
    """The texts of the caps that bite (scoring/data/limits.json), per language."""
    return json.loads(resources.files("scoring").joinpath("data", "limits.json").read_text(encoding="utf-8"))


def limit_message(code: str, params: dict[str, Any], lang: str = "en") -> str:
    """The limit finding `code` in `lang` (English when the language has no text for it)."""
    lang = supported_language(lang)
    templates = limit_templates()
    template = templates.get(lang, {}).get(code) or templates["en"][code]
    return format_message(template, params, lang)


def localize_limits(findings: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Limit findings (code, count, limit) with their message in `lang` (new dicts)."""
    return [{**item, "message": limit_message(item["code"], item, lang)} for item in findings]
