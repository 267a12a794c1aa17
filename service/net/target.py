"""The URL as the fetcher will request it: only http(s), no credentials, an IDNA host or an IP literal in its
normalised form, the port, the ``Host`` header and the request path."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import FetchError
from .policy import IPAddress, literal_address

__all__ = ["Target", "origin_of", "parse_target"]


_MAX_URL_LENGTH = 8192


@dataclass(frozen=True)
class Target:
    url: str  # normalised, without fragment: used for loop detection and reporting
    scheme: str
    host: str  # ASCII (IDNA), lower case, no trailing dot, no brackets
    port: int
    host_header: str
    path: str  # path + query, as sent on the request line
    literal: IPAddress | None


def parse_target(url: str) -> Target:
    if not isinstance(url, str) or not url.strip():
        raise FetchError("bad-url", "empty URL", url=url if isinstance(url, str) else None)
    url = url.strip()
    if len(url) > _MAX_URL_LENGTH:
        raise FetchError("bad-url", f"URL longer than {_MAX_URL_LENGTH} characters", url=url[:200])
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise FetchError("bad-url", "URL contains whitespace or control characters", url=url)
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise FetchError("bad-url", f"unparseable URL: {e}", url=url) from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise FetchError("bad-url", "URL must be absolute (http:// or https://)", url=url)
    if scheme not in ("http", "https"):
        raise FetchError("bad-scheme", f"scheme {scheme!r} is not allowed (only http and https)", url=url)
    if "@" in parts.netloc:
        raise FetchError("bad-url", "credentials in URLs are not allowed", url=url)
    try:
        port = parts.port
    except ValueError:
        raise FetchError("bad-url", "invalid port", url=url) from None
    raw_host = parts.hostname or ""
    if not raw_host:
        raise FetchError("bad-url", "URL has no host", url=url)
    literal: IPAddress | None = None
    if "[" in parts.netloc:  # bracketed IPv6 literal
        try:
            literal = ipaddress.IPv6Address(raw_host.split("%", 1)[0])
        except ValueError:
            raise FetchError("bad-url", f"invalid IPv6 literal {raw_host!r}", url=url) from None
        host = literal.compressed
    else:
        try:
            host = raw_host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise FetchError("bad-url", f"invalid host name {raw_host!r}", url=url) from None
        host = host.rstrip(".")
        if not host or not re.fullmatch(r"[a-z0-9_.-]+", host) or ".." in host:
            raise FetchError("bad-url", f"invalid host name {raw_host!r}", url=url)
        literal = literal_address(host)
    default_port = 443 if scheme == "https" else 80
    if port == 0:
        raise FetchError("bad-url", "invalid port 0", url=url)
    port = port or default_port
    shown = f"[{host}]" if isinstance(literal, ipaddress.IPv6Address) else host
    authority = shown if port == default_port else f"{shown}:{port}"
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        url=f"{scheme}://{authority}{path}",
        scheme=scheme,
        host=host,
        port=port,
        host_header=authority,
        path=path,
        literal=literal,
    )


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) URL, normalised (lower case, IDNA, default port
    dropped).  Raises FetchError (``bad-url`` / ``bad-scheme``) like :func:`fetch` would."""
    t = parse_target(url)
    return f"{t.scheme}://{t.host_header}"
