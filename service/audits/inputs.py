"""Reading CLI inputs (file, URL or stdin) into HTML, with one clear message per failure."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..reports.env import ui_text


class InputError(Exception):
    """A bad input: the message is one line for the user."""


@dataclass
class LoadedInput:
    name: str
    html: bytes
    url: str | None
    charset: str | None = None
    fetch: dict | None = None
    access: dict | None = None


_HTML_MARKERS = (b"<html", b"<!doctype html", b"<head", b"<body", b"<p", b"<div", b"<title", b"<article", b"<meta")


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    if b"\x00" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return any(marker in head for marker in _HTML_MARKERS)


def max_body() -> int:
    """The API's body cap (HEALTHGEO_MAX_BODY, 5 MB by default): the command line audits no bigger page."""
    from ..config.errors import ConfigError
    from ..config.settings import DEFAULTS, parse_bytes

    try:
        return parse_bytes(os.environ.get("HEALTHGEO_MAX_BODY") or DEFAULTS["MAX_BODY"], "HEALTHGEO_MAX_BODY")
    except ConfigError as exc:
        raise InputError(str(exc)) from None


def _read_capped(name: str, stream, lang: str = "en") -> bytes:
    """At most the body cap from `stream`: one byte more says the input is too large, without reading it all."""
    cap = max_body()
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise InputError(ui_text("cli_input_too_large", lang, item=name, limit=cap))
    return data


def missing_scheme(text: str) -> bool:
    """``example.org/page``: a web address typed without its ``https://``."""
    if not text or "://" in text or text.startswith(("/", ".", "~")) or any(c.isspace() for c in text):
        return False
    host = text.split("/", 1)[0].split("?", 1)[0].rsplit(":", 1)[0].lower()
    return host == "localhost" or ("." in host and not host.endswith((".html", ".htm", ".xhtml")))


def read_file(path_text: str, url: str | None = None, lang: str = "en") -> LoadedInput:
    path = Path(path_text)
    if not path.exists():
        raise InputError(ui_text("cli_no_scheme" if missing_scheme(path_text) else "cli_no_file", lang, item=path_text))
    if path.is_dir():
        raise InputError(ui_text("cli_is_directory", lang, item=path_text))
    try:
        with path.open("rb") as fh:
            data = _read_capped(path_text, fh, lang)
    except OSError as exc:
        raise InputError(ui_text("cli_cannot_read", lang, path=path_text, reason=exc.strerror or exc)) from None
    return _checked(path_text, data, url, lang=lang)


def read_stdin(url: str | None = None, lang: str = "en") -> LoadedInput:
    return _checked("-", _read_capped("-", sys.stdin.buffer, lang), url, lang=lang)


def _checked(name: str, data: bytes, url: str | None, charset: str | None = None, lang: str = "en") -> LoadedInput:
    if not data.strip():
        raise InputError(ui_text("cli_empty_input", lang, item=name))
    if not looks_like_html(data):
        raise InputError(ui_text("cli_not_html", lang, item=name))
    return LoadedInput(name, data, url, charset)


def fetch_reason(error, lang: str) -> str:
    """Why a fetch failed: its own detailed English words in English, the catalogue's sentence for its code in
    another language (the details are the network library's English)."""
    from ..messages import page_error_message

    if lang == "en":
        return error.message
    return page_error_message({"code": error.code, "status": error.status, "message": error.message}, lang)


def fetch_url(url: str, policy, cache=None, lang: str = "en") -> LoadedInput:
    """Fetch with the safe fetcher; read robots.txt and llms.txt for the access checks."""
    from ..net.errors import FetchError
    from ..net.fetch import fetch
    from ..net.robots import site_access

    try:
        result = fetch(url, policy)
    except FetchError as exc:
        if exc.code == "http-error" and exc.status:
            raise InputError(ui_text("cli_page_status", lang, item=url, status=exc.status)) from None
        raise InputError(ui_text("cli_fetch_failed", lang, item=url, reason=fetch_reason(exc, lang))) from None
    if result.status >= 400:
        raise InputError(ui_text("cli_page_status", lang, item=url, status=result.status))
    loaded = _checked(url, result.body, result.final_url, result.charset, lang)
    loaded.fetch = {"status": result.status, "final_url": result.final_url, "redirects": result.redirects,
                    "x_robots_tag": result.x_robots_tag, "content_type": result.content_type,
                    "elapsed_ms": result.elapsed_ms}
    loaded.access = site_access(result.final_url, policy, cache)
    return loaded
