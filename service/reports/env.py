"""The reports' Jinja2 environment (autoescape on), their UI strings and number/date formatting."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from scoring.i18n import format_message, supported_language
from scoring.i18n import format_number as engine_number

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
    return engine_number(value, f",.{digits}f", lang)


def format_percent(value: Any, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return engine_number(value, ".0%", lang)


def _iso_day(value: Any) -> date | None:
    match = _ISO.match(str(value or ""))
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def format_date(value: Any, lang: str) -> str:
    """``2026-03-01...`` as the language writes it (CLDR, through Babel: "March 1, 2026", "1 mars 2026");
    anything else unchanged."""
    day = _iso_day(value)
    return babel_date(day, "long", locale=supported_language(lang)) if day else str(value or "")


def format_day_month(value: Any, lang: str) -> str:
    """``2026-03-01...`` as a day and month without the year ("Mar 1", "1 mars"), for a chart's axis."""
    day = _iso_day(value)
    return format_skeleton("MMMd", day, locale=supported_language(lang)) if day else str(value or "")


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
