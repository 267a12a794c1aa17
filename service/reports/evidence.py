"""A check's evidence as short readable lines in the reader's language, one way per kind (scoring/evidence.py).

Used by the page report and the command line's text output: no key dumps, passages quoted whole or cut at a word.
"""

from __future__ import annotations

import re
from typing import Any

from scoring.i18n import engine_messages, finding_message, format_message, supported_language

from .env import ui_strings

MAX_LINES = 8
MAX_TEXT = 200
_HEADING = re.compile(r"h[1-6]")


_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """At most ``limit`` characters, cut between words with an ellipsis."""
    text = _SPACES.sub(" ", str(text)).strip()  # no-break spaces stay: French puts them before : ; « »
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


def evidence_lines(evidence: Any, lang: str) -> list[str]:
    """The lines that show ``evidence`` (a normalised evidence dict, or null) to a reader of ``lang``."""
    if not isinstance(evidence, dict) or evidence.get("kind") not in _RENDER:
        return []
    lang = supported_language(lang)
    t = ui_strings(lang)
    e = t["evidence_text"]

    def say(key: str, **params: Any) -> str:
        return format_message(e[key], params, lang)

    def quoted(text: Any) -> str:
        return t["quoted"].format(text=shorten(text))

    lines = _RENDER[evidence["kind"]](evidence, t, e, say, quoted, lang)
    return [line for line in lines if line][:MAX_LINES]


def _links(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    lines = []
    for link in ev["items"]:
        line = say("link", text=shorten(link["text"], 80), url=link["url"]) if link.get("text") else link["url"]
        category = link.get("category")
        label = t["kinds"].get(category) or e["link_categories"].get(category) if category else None
        lines.append(say("with_detail", line=line, detail=label) if label else line)
    return lines


def _people(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    lines = []
    for person in ev["items"]:
        who = ", ".join([person["name"], *person.get("credentials", [])])
        detail = e["roles"].get(person.get("role"), "")
        source = e["sources"].get(person.get("source") or "")
        line = say("with_detail", line=who, detail=f"{detail}, {source}" if source else detail)
        if person.get("text") and person["text"] != person["name"]:
            line = t["labelled"].format(label=line, value=quoted(person["text"]))
        lines.append(line)
    return lines


def _dates(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    lines = []
    for item in ev["items"]:
        label = e["date_types"].get(item.get("type") or "", e["date_types"]["other"])
        line = t["labelled"].format(label=label, value=say("date", value=item["value"][:10]))
        shown = item.get("label") or item.get("text")  # the page's own words: its label, else the line itself
        lines.append(say("with_detail", line=line, detail=quoted(shown)) if shown else line)
    return lines


def _count(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    unit = e["units"].get(ev["unit"])
    if unit is None:
        return []
    line = format_message(unit["value"], {"value": ev["value"]}, lang)
    low, high = ev.get("minimum"), ev.get("maximum")
    bound = lambda n: format_message(unit["bound"], {"value": n}, lang)  # noqa: E731
    if low is not None and high is not None:
        line = say("with_detail", line=line, detail=say("range_between", minimum=bound(low), maximum=bound(high)))
    elif low is not None:
        line = say("with_detail", line=line, detail=say("range_at_least", minimum=bound(low)))
    elif high is not None:
        line = say("with_detail", line=line, detail=say("range_at_most", maximum=bound(high)))
    if ev.get("text"):
        line = t["labelled"].format(label=line, value=quoted(ev["text"]))
    return [line]


def _markup(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    lines = []
    rich = engine_messages(lang).get("rich_results", {})  # Google's rich-result codes
    for item in ev["items"]:
        where = ", ".join(x for x in (item.get("path"), item.get("syntax")) if x)
        if item.get("line"):
            where = ", ".join(x for x in (where, say("line", line=item["line"])) if x)
        severity = e["severities"].get(item["severity"], item["severity"])
        localized = finding_message(item, lang)
        if localized is not None:
            message = localized
        elif isinstance(item.get("params"), dict) and item["code"] in rich:
            message = format_message(rich[item["code"]], item["params"], lang)
        elif lang == "en":
            message = item["message"]
        else:  # the validator's sentence is English: show what and where, by code
            subject = item.get("property") or item.get("type")
            message = say("markup_what", property=subject, code=item["code"]) if subject else \
                say("markup_code", code=item["code"])
        line = t["labelled"].format(label=severity, value=shorten(message, 300))
        lines.append(say("with_detail", line=line, detail=where) if where else line)
    return lines


def _comparison(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    def values(items: list[str]) -> str:
        shown = [format_message("{v}", {"v": v}, lang) for v in items[:3]]
        return ", ".join(quoted(v) for v in shown) or e["nothing"]

    return [_side_by_side(item, e, say, values) for item in ev["items"]]


# Comparison codes that are not markup against page: the raw HTML against the rendered page
# (access.server-rendered), an AI crawler's answer against a browser's (access.bot-responses: the verdict as code).
_RAW_VS_RENDERED = ("rendered-only", "rendered-only-share")
_RAW_ONLY = ("app-shell", "raw-only")


def _side_by_side(item: dict, e: dict, say, values) -> str:
    code, name = item.get("code"), item["property"]
    fact = e["rendered_facts"].get(name, name)
    if code in _RAW_VS_RENDERED:
        return say("raw_vs_rendered", property=fact, markup=values(item["markup"]), page=values(item["page"]))
    if code in _RAW_ONLY:
        return say("raw_only", property=fact, markup=values(item["markup"]))
    if code in e["bot_verdicts"]:
        return say("bot_answer", agent=name, verdict=e["bot_verdicts"][code],
                   status=", ".join(item["markup"]) or "-", browser=", ".join(item["page"]) or "-")
    return say("disagreement", property=name, markup=values(item["markup"]), page=values(item["page"]))


def _texts(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    return [quoted(text) for text in ev["items"]]


def _terms(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    return [", ".join(ev["items"])]


def _quotations(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    return [say("quotation", text=quoted(q["text"]), speaker=q["speaker"]) if q.get("speaker")
            else say("with_detail", line=quoted(q["text"]), detail=e["no_speaker"]) for q in ev["items"]]


def _excerpts(ev: dict, t: dict, e: dict, say, quoted, lang: str) -> list[str]:
    lines = []
    for item in ev["items"]:
        terms = item.get("terms") or []
        if terms and all(_HEADING.fullmatch(term) for term in terms):
            label = " → ".join(term.upper() for term in terms)
            lines.append(t["labelled"].format(label=label, value=quoted(item["text"])))
        elif item.get("label") and item["label"].casefold() != item["text"].casefold():
            lines.append(t["labelled"].format(label=shorten(item["label"], 80), value=quoted(item["text"])))
        elif terms:
            lines.append(say("with_detail", line=quoted(item["text"]), detail=", ".join(terms)))
        else:
            lines.append(quoted(item["text"]))
    return lines


_RENDER = {"links": _links, "people": _people, "dates": _dates, "count": _count, "markup": _markup,
           "comparison": _comparison, "texts": _texts, "terms": _terms, "quotations": _quotations,
           "excerpts": _excerpts}
