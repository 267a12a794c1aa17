"""Request bodies capped however they arrive: with a Content-Length, chunked, or compressed.

Werkzeug checks ``MAX_CONTENT_LENGTH`` against Content-Length only: when the server says the input is
terminated (gunicorn sets ``wsgi.input_terminated`` for chunked bodies) it hands the raw stream over, so a
chunked body was read whole whatever its size.  :class:`BodyCap` wraps ``wsgi.input`` before Flask sees it:
reading past the cap raises 413 at once (nothing more is read), and a gzip or deflate body is decompressed
as it is read, its decompressed size capped too (never inflated whole first).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import LimitedStream

__all__ = ["BodyCap", "BodyUnreadable", "CappedStream", "DECODERS", "DecompressingStream", "MalformedBody",
           "UnsupportedEncoding"]

READ_CHUNK = 64 * 1024
DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class MalformedBody(ValueError):
    """The compressed body does not decompress (400)."""

    def __init__(self, encoding: str, reason: str):
        super().__init__(f"{encoding}: {reason}")
        self.encoding = encoding
        self.reason = reason


class BodyUnreadable(ValueError):
    """The body could not be read to its end (cut short, badly framed chunks): 400, not a server error."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:200]


class UnsupportedEncoding(ValueError):
    """A Content-Encoding we do not decode (415), raised when the body is read."""

    def __init__(self, encoding: str):
        super().__init__(encoding)
        self.encoding = encoding[:40]


class _Refused:
    """The body of a request whose Content-Encoding we cannot decode: reading it raises."""

    def __init__(self, encoding: str):
        self.encoding = encoding

    def read(self, size: int = -1) -> bytes:
        raise UnsupportedEncoding(self.encoding)

    readline = read


class CappedStream:
    """At most ``cap`` bytes of ``stream``; reading one byte more raises 413 (and reads no further)."""

    def __init__(self, stream: Any, cap: int):
        self._stream = stream
        self._left = cap
        self._done = False

    def read(self, size: int = -1) -> bytes:
        if self._done:
            return b""
        want = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        try:
            data = self._read_some(want) if size is None or size < 0 else self._stream.read(want)
        except (RequestEntityTooLarge, MalformedBody, UnsupportedEncoding, BodyUnreadable):
            raise
        except Exception as e:  # noqa: BLE001 - the server's reader failed on what the client sent
            self._done = True
            raise BodyUnreadable(str(e) or type(e).__name__) from None
        if len(data) > self._left:
            self._done = True
            raise RequestEntityTooLarge()
        self._left -= len(data)
        if not data and want:
            self._done = True
        return data

    def _read_some(self, want: int) -> bytes:
        """Read up to ``want`` bytes in chunks (a read of -1 would pull the whole input first)."""
        parts: list[bytes] = []
        got = 0
        while got < want:
            data = self._stream.read(min(READ_CHUNK, want - got))
            if not data:
                break
            parts.append(data)
            got += len(data)
        return b"".join(parts)

    def readline(self, size: int = -1) -> bytes:  # werkzeug's form parser reads lines; we serve no forms
        return self.read(READ_CHUNK if size is None or size < 0 else size)

    def __iter__(self):
        while chunk := self.read(READ_CHUNK):
            yield chunk


class DecompressingStream:
    """The decompressed bytes of a gzip or zlib/deflate ``stream``, produced as they are read.

    Each step inflates at most what the caller asked for (``max_length``), so a small bomb never expands
    past the cap in memory; concatenated gzip members are read one after the other.
    """

    def __init__(self, stream: Any, encoding: str):
        self._stream = stream
        self._encoding = encoding
        self._wbits = DECODERS[encoding]
        self._raw_fallback = encoding == "deflate"  # some clients send raw deflate without the zlib header
        self._decoder = zlib.decompressobj(self._wbits)
        self._pending = b""  # compressed bytes not yet given to the decoder
        self._started = False
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        size = READ_CHUNK if size is None or size < 0 else size
        out: list[bytes] = []
        got = 0
        while got < size and not (self._eof and not self._pending and not self._decoder.unconsumed_tail):
            if not self._pending and not self._decoder.unconsumed_tail:
                self._pending = self._stream.read(READ_CHUNK)
                if not self._pending:
                    self._finish()
                    break
            data = self._inflate(size - got)
            out.append(data)
            got += len(data)
        return b"".join(out)

    def _inflate(self, limit: int) -> bytes:
        source = self._decoder.unconsumed_tail or self._pending
        if source is self._pending:
            self._pending = b""
        try:
            data = self._decoder.decompress(source, limit)
        except zlib.error as e:
            if self._raw_fallback and not self._started:
                self._raw_fallback = False
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                self._pending = source
                return b""
            raise MalformedBody(self._encoding, str(e)) from None
        self._started = True
        if self._decoder.eof:
            rest = self._decoder.unused_data
            self._decoder = zlib.decompressobj(self._wbits)
            self._pending = rest.lstrip(b"\0")  # a next gzip member, or padding
            if not self._pending:
                self._eof = True
        return data

    def _finish(self) -> None:
        if self._started and not self._eof and not self._decoder.eof:
            raise MalformedBody(self._encoding, "the compressed body ends early")
        self._eof = True


class BodyCap:
    """WSGI middleware: every request body at most ``cap`` bytes on the wire and, when compressed, decoded.

    It replaces werkzeug's own limit (``MAX_CONTENT_LENGTH`` must stay unset): werkzeug's ``LimitedStream``
    stops at the maximum and returns what it read, so a longer chunked body was silently cut, not refused.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], cap: int):
        self.app = app
        self.cap = cap

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        stream = environ.get("wsgi.input")
        if stream is not None:
            environ["wsgi.input"] = self.wrap(environ, stream)
            environ["wsgi.input_terminated"] = True  # the stream below ends by itself: werkzeug reads it as is
        return self.app(environ, start_response)

    def wrap(self, environ: dict[str, Any], stream: Any) -> Any:
        encoding = (environ.get("HTTP_CONTENT_ENCODING") or "identity").strip().lower()
        raw_length = (environ.get("CONTENT_LENGTH") or "").strip()
        length = int(raw_length) if raw_length.isdigit() else None
        if length is not None:
            if length > self.cap:
                return CappedStream(stream, 0)  # 413 at the first read, without reading
            stream = LimitedStream(stream, length)  # never read past the declared length
        if encoding in ("", "identity"):
            return CappedStream(stream, self.cap)
        environ.pop("CONTENT_LENGTH", None)  # the decoded length is not known ahead
        environ.pop("HTTP_CONTENT_ENCODING", None)
        if encoding not in DECODERS:
            return _Refused(encoding)
        return CappedStream(DecompressingStream(CappedStream(stream, self.cap), encoding), self.cap)
