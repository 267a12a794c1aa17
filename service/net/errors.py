"""Why a fetch failed: :class:`FetchError` and its stable codes (:data:`ERROR_CODES`)."""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR_CODES", "FetchError"]


ERROR_CODES = (
    "bad-url",
    "bad-scheme",
    "blocked-address",
    "dns-error",
    "connect-error",
    "timeout",
    "too-many-redirects",
    "redirect-loop",
    "too-large",
    "not-html",
    "http-error",
    "tls-error",
    "decode-error",  # corrupt gzip/deflate stream, or a content-encoding we cannot decode
)


class FetchError(Exception):
    """A fetch that did not produce a usable response.  ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.url = url
        self.status = status

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "message": self.message, "url": self.url}
        if self.status is not None:
            d["status"] = self.status
        return d

    def __repr__(self) -> str:
        return f"FetchError({self.code!r}, {self.message!r}, url={self.url!r}, status={self.status!r})"
