"""The reports' Jinja2 environment (autoescape on), their UI strings and number/date formatting."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from scoring.i18n import format_message, supported_language

_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _asset(name: str) -> str:
    return resources.files("service.reports").joinpath("assets", name).read_text(encoding="utf-8")


# The inline style and script are constant, so the HTTP routes can allow exactly them by hash (CSP).
STYLE = _asset("report.css")
SCRIPT = _asset("report.js")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src {_csp_hash(STYLE)}; script-src {_csp_hash(SCRIPT)}; "
                           "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@cache
def ui_strings(lang: str) -> dict[str, Any]:
    """The report chrome's strings (``service/reports/i18n/<lang>.json``)."""
    path = resources.files("service.reports").joinpath("i18n", f"{supported_language(lang)}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def ui_text(key: str, lang: str, **params: Any) -> str:
    """The UI string ``key`` in ``lang`` with ``params`` filled in (numbers and plurals in that language): the one
    renderer of the messages the command line and the crawl summaries say."""
    return format_message(ui_strings(lang)[key], params, lang)


def format_number(value: Any, lang: str, digits: int = 0) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def format_percent(value: Any, lang: str) -> str:
    if not isinstance(value, int | float):
        return "–"
    return f"{value * 100:.0f}\u202f%" if lang == "fr" else f"{value * 100:.0f}%"


def format_date(value: Any, lang: str) -> str:
    """``2026-03-01...`` as ``1 March 2026`` / ``1er mars 2026``; anything else unchanged."""
    match = _ISO.match(str(value or ""))
    if not match:
        return str(value or "")
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return str(value)
    if lang == "fr":
        return f"{'1er' if day == 1 else day}\u00a0{_FR_MONTHS[month - 1]} {year}"
    return f"{day}\u00a0{_EN_MONTHS[month - 1]} {year}"


def safe_href(url: Any) -> str | None:
    """Links only to http(s) URLs and site paths: a crawled URL must never become ``javascript:``."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if text.lower().startswith(("http://", "https://")) or (text.startswith("/") and not text.startswith("//")):
        return text
    # an export file written near the report, by relative path: no colon, so never a scheme
    if re.fullmatch(r"(?:[\w.-]+/)*[\w.-]+\.(csv|jsonl)", text):
        return text
    return None


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("service.reports", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True,
                      undefined=ChainableUndefined)  # summaries from other producers may lack optional keys
    env.globals.update(STYLE=Markup(STYLE), SCRIPT=Markup(SCRIPT))
    env.filters.update(safe_href=safe_href)
    return env


def render(template: str, **context: Any) -> str:
    lang = context["lang"]
    context.setdefault("t", ui_strings(lang))
    context.setdefault("num", lambda v, digits=0: format_number(v, lang, digits))
    context.setdefault("pct", lambda v: format_percent(v, lang))
    context.setdefault("date", lambda v: format_date(v, lang))
    return environment().get_template(template).render(**context)
