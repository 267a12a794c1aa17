"""Reading a response: the body streamed under the size caps on the wire and after decoding (gzip/deflate
bombs are cut off), the content type and charset, the HTML sniffing test, and :class:`FetchResult`."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError

from .connection import error_from_urllib3
from .deadline import Deadline
from .errors import FetchError
from .policy import FetchPolicy
from .target import Target

__all__ = ["HTML_TYPES", "FetchResult", "header_dict", "parse_content_type", "read_body", "sniffs_as_html"]


HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 64 * 1024


class _Decoder:
    """Incremental gzip/deflate decoder whose output per step is bounded (bomb-safe)."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self._sniffing = encoding == "deflate"
        self._pending = b""
        self._members = 0
        self._done = False
        if encoding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._obj = zlib.decompressobj()  # zlib-wrapped; raw-deflate fallback when sniffing
        else:
            raise ValueError(encoding)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._sniffing:
            # Some servers send raw deflate despite RFC 9110: look at the first two bytes.
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            self._sniffing = False
            try:
                zlib.decompressobj().decompress(data[:2])
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        yield from self._run(data)

    def _run(self, buf: bytes) -> Iterator[bytes]:
        while not self._done:
            try:
                out = self._obj.decompress(buf, _CHUNK)
            except zlib.error:
                if self._members:  # garbage after a complete gzip member: ignore, as browsers do
                    self._done = True
                    return
                raise
            if out:
                yield out
            buf = self._obj.unconsumed_tail
            if self._obj.eof:
                self._members += 1
                rest = self._obj.unused_data
                if rest and self.encoding != "deflate":
                    self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)  # next gzip member
                    buf = rest
                    continue
                self._done = True
                return
            if not buf and len(out) < _CHUNK:
                return

    def flush(self) -> Iterator[bytes]:
        if self._pending:
            data, self._pending, self._sniffing = self._pending, b"", False
            yield from self._run(data)
        if not self._done:
            yield from self._run(b"")
            out = self._obj.flush()
            if out:
                yield out


def _decoders(content_encoding: str, url: str) -> list[_Decoder]:
    encs = [e.strip().lower() for e in content_encoding.split(",")]
    encs = [e for e in encs if e and e != "identity"]
    decoders = []
    for enc in reversed(encs):  # applied in the order listed, so undone in reverse
        if enc not in ("gzip", "x-gzip", "deflate"):
            raise FetchError("decode-error", f"unsupported content-encoding {enc!r}", url=url)
        decoders.append(_Decoder(enc))
    return decoders


def read_body(
    resp: urllib3.HTTPResponse,
    target: Target,
    policy: FetchPolicy,
    max_bytes: int,
    deadline: Deadline,
    max_decompressed: int | None = None,
) -> bytes:
    url = target.url
    clen = resp.headers.get("content-length")
    if clen and clen.strip().isdigit() and int(clen) > max_bytes:
        raise FetchError(
            "too-large",
            f"Content-Length {int(clen)} exceeds the limit of {max_bytes} bytes",
            url=url,
            status=resp.status,
        )
    decoders = _decoders(resp.headers.get("content-encoding", ""), url)
    max_decoded = policy.max_decompressed if max_decompressed is None else max_decompressed
    raw_total = 0
    out = bytearray()

    def push(chunks: Iterator[bytes] | list[bytes], level: int) -> None:
        for chunk in chunks:
            if level < len(decoders):
                try:
                    push(decoders[level].feed(chunk), level + 1)
                except zlib.error as e:
                    raise FetchError("decode-error", f"corrupt {decoders[level].encoding} body: {e}", url=url) from None
            else:
                out.extend(chunk)
                if len(out) > max_decoded:
                    raise FetchError(
                        "too-large",
                        f"decoded body exceeds the limit of {max_decoded} bytes",
                        url=url,
                        status=resp.status,
                    )

    sock = getattr(resp.connection, "sock", None)
    while True:
        left = deadline.check(url, "reading the body")
        if sock is not None:
            try:
                sock.settimeout(max(0.001, min(policy.read_timeout, left)))
            except OSError:
                pass
        try:
            chunk = resp.read1(_CHUNK, decode_content=False)
        except (HTTPError, OSError) as e:
            err = error_from_urllib3(e, url)
            if err.code == "timeout" and deadline.remaining() <= 0:
                raise FetchError(
                    "timeout",
                    f"reading the body exceeded the total time limit of {deadline.seconds:g} s",
                    url=url,
                ) from None
            raise err from None
        if not chunk:
            break
        raw_total += len(chunk)
        if raw_total > max_bytes:
            raise FetchError(
                "too-large",
                f"body exceeds the limit of {max_bytes} bytes on the wire",
                url=url,
                status=resp.status,
            )
        push([chunk], 0)
    # flush the decoders outermost first, so each flush feeds the next one
    for level, dec in enumerate(decoders):
        try:
            push(dec.flush(), level + 1)
        except zlib.error as e:
            raise FetchError("decode-error", f"corrupt {dec.encoding} body: {e}", url=url) from None
    return bytes(out)


# --------------------------------------------------------------------------- results


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content_type: str | None
    charset: str | None
    body: bytes
    redirects: list[dict[str, Any]] = field(default_factory=list)
    x_robots_tag: list[str] = field(default_factory=list)
    elapsed_ms: int = 0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self, default_encoding: str = "utf-8") -> str:
        """The body decoded with the header charset (else ``default_encoding``), BOM removed."""
        body = self.body
        if body.startswith(b"\xef\xbb\xbf"):
            return body[3:].decode("utf-8", "replace")
        enc = self.charset or default_encoding
        try:
            return body.decode(enc, "replace")
        except LookupError:
            return body.decode(default_encoding, "replace")

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("body")
        d["body_bytes"] = len(self.body)
        return d


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``text/html; charset="UTF-8"`` -> (``text/html``, ``utf-8``)."""
    if not value or not value.strip():
        return None, None
    parts = value.split(";")
    mime = parts[0].strip().lower() or None
    charset = None
    for p in parts[1:]:
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset":
            v = v.strip().strip("\"'").strip().lower()
            charset = v or None
    return mime, charset


_HTML_SNIFF = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
)


def sniffs_as_html(body: bytes) -> bool:
    """The WHATWG MIME-sniffing test for HTML (leading whitespace, then a known tag)."""
    head = body[:1024]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip(b" \t\n\r\x0c").lower()
    for tag in _HTML_SNIFF:
        if head.startswith(tag):
            end = head[len(tag) : len(tag) + 1]
            if tag == b"<!--" or end in (b" ", b">"):
                return True
    return False


def header_dict(resp: urllib3.HTTPResponse) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in resp.headers:
        out[key.lower()] = ", ".join(resp.headers.getlist(key))
    return out
