"""Safe outbound HTTP fetcher (SSRF-hardened).

When a user hands us a URL, *our* server fetches it, so the fetcher must not become a
door into the network the server runs in.  The rules, in order:

* only ``http`` and ``https``; no credentials in the URL;
* the host is resolved here, once (``socket.getaddrinfo``; IPv4 literals in odd spellings
  such as ``2130706433``, ``0x7f.1``, ``0177.0.0.1`` or ``127.1`` are normalised the way
  the C resolver does it), and every resulting address is classified: loopback, private,
  link-local, multicast, reserved, unspecified, IPv4-mapped IPv6, 6to4 / NAT64 addresses
  embedding a non-public IPv4, and cloud-metadata addresses and names are refused unless
  the operator's allow-list (:attr:`FetchPolicy.allow`) admits them;
* the connection goes to the address that was checked (urllib3 pool whose host is the
  IP itself, a custom connection class that never calls the resolver again), with the
  original ``Host`` header and, for https, SNI and certificate checks against the
  original host name -- so DNS rebinding between check and use is impossible;
* redirects are followed here (at most ``max_redirects``), every hop re-checked from the
  top (scheme, host, address); loops are detected;
* the body is streamed: ``max_bytes`` is enforced on the bytes on the wire as they
  arrive, ``max_decompressed`` on the decoded output (gzip/deflate bombs are cut off
  after at most 64 KiB past the limit); a total deadline spans DNS, all hops and the body.

Errors raise :class:`FetchError` with a stable ``code`` (see :data:`ERROR_CODES`).
:func:`post` sends a body (webhooks) under the same rules, without following redirects.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import os
import re
import socket
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util.timeout import Timeout

from ..version import package_version

__all__ = [
    "ERROR_CODES",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "USER_AGENT",
    "check_destination",
    "classify_address",
    "fetch",
    "fetch_text",
    "origin_of",
    "parse_content_type",
    "post",
    "sniffs_as_html",
]

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

_PROJECT_URL = "https://github.com/healthgeo/healthgeo"


USER_AGENT = f"HealthgeoBot/{package_version()} (+{_PROJECT_URL})"

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_MAX_URL_LENGTH = 8192


# --------------------------------------------------------------------------- errors


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


# --------------------------------------------------------------------------- policy


def _parse_allow(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(p.strip().lower() for p in value.split(",") if p.strip())


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and the allow-list for outbound fetches.

    ``allow`` holds host names (exact, case-insensitive; ``.example.org`` or
    ``*.example.org`` also matches sub-domains) and IP addresses / CIDR networks
    (``127.0.0.1``, ``10.0.0.0/8``, ``::1``), each with an optional port: ``127.0.0.1:8080``,
    ``intranet.example:8443``, ``[::1]:8080``, ``[10.0.0.0/8]:8080``.  Without a port an entry
    opens the default ports (80 and 443) only, so an allowed host's other services (a database,
    Redis) stay closed, redirects included; ``:*`` opens every port (for tests and development).
    A host name match admits every address the name resolves to; a network admits the resolved
    addresses inside it.  Cloud-metadata addresses are only admitted by an entry naming that
    exact address (a /32 or /128).
    """

    allow: tuple[str, ...] = ()
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_decompressed: int = 20 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    html_only: bool = True
    ca_certs: str | None = None  # CA bundle for https; default: certifi's, else the system's

    def __post_init__(self) -> None:
        allow = self.allow
        if isinstance(allow, str):
            allow = _parse_allow(allow)
        allow = tuple(str(a).strip().lower() for a in allow if str(a).strip())
        _compile_allow(allow)  # validate early: a typo in the allow-list is a config error
        object.__setattr__(self, "allow", allow)
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"FetchPolicy.{name} must be > 0")
        for name in ("max_bytes", "max_decompressed"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchPolicy.{name} must be > 0")
        if self.max_redirects < 0:
            raise ValueError("FetchPolicy.max_redirects must be >= 0")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchPolicy:
        """Build a policy from ``HEALTHGEO_FETCH_*`` environment variables.

        ``HEALTHGEO_FETCH_ALLOW`` (comma-separated hosts / CIDRs), ``HEALTHGEO_FETCH_TIMEOUT``
        (total seconds), ``HEALTHGEO_FETCH_CONNECT_TIMEOUT``, ``HEALTHGEO_FETCH_READ_TIMEOUT``,
        ``HEALTHGEO_FETCH_MAX_BYTES``, ``HEALTHGEO_FETCH_MAX_DECOMPRESSED``,
        ``HEALTHGEO_FETCH_MAX_REDIRECTS``, ``HEALTHGEO_FETCH_CA_BUNDLE``.
        """
        env = os.environ if env is None else env
        kw: dict[str, Any] = {"allow": _parse_allow(env.get("HEALTHGEO_FETCH_ALLOW"))}
        spec = {
            "HEALTHGEO_FETCH_TIMEOUT": ("total_timeout", float),
            "HEALTHGEO_FETCH_CONNECT_TIMEOUT": ("connect_timeout", float),
            "HEALTHGEO_FETCH_READ_TIMEOUT": ("read_timeout", float),
            "HEALTHGEO_FETCH_MAX_BYTES": ("max_bytes", int),
            "HEALTHGEO_FETCH_MAX_DECOMPRESSED": ("max_decompressed", int),
            "HEALTHGEO_FETCH_MAX_REDIRECTS": ("max_redirects", int),
        }
        for var, (name, conv) in spec.items():
            raw = env.get(var, "").strip()
            if raw:
                try:
                    kw[name] = conv(raw)
                except ValueError:
                    raise ValueError(f"{var}={raw!r} is not a valid {conv.__name__}") from None
        ca = env.get("HEALTHGEO_FETCH_CA_BUNDLE", "").strip()
        if ca:
            kw["ca_certs"] = ca
        return cls(**kw)


_HOSTNAME_RE = re.compile(r"^(\*\.|\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$")
DEFAULT_PORTS = frozenset({80, 443})
_BRACKETED_RE = re.compile(r"^\[([^\]]+)\](?::([^:]*))?$")


@dataclass(frozen=True)
class _AllowEntry:
    """One allow-list entry: a host name, a name suffix or a network, and the ports it opens (None: all)."""

    name: str | None = None
    suffix: str | None = None
    net: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    ports: frozenset[int] | None = DEFAULT_PORTS

    def opens(self, port: int) -> bool:
        return self.ports is None or port in self.ports


def _split_port(entry: str) -> tuple[str, frozenset[int] | None]:
    """``host[:port]``, ``[v6 or v6/cidr][:port]`` -> (host, ports); a bare IPv6 address has no port."""
    bracketed = _BRACKETED_RE.match(entry)
    if bracketed:
        host, port = bracketed.group(1), bracketed.group(2)
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    else:
        host, port = entry, None
    if port is None:
        return host, DEFAULT_PORTS
    if port == "*":
        return host, None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"fetch allow-list entry {entry!r} has an invalid port {port!r} (1-65535 or *)")
    return host, frozenset({int(port)})


@functools.lru_cache(maxsize=64)
def _compile_allow(allow: tuple[str, ...]) -> tuple[_AllowEntry, ...]:
    entries: list[_AllowEntry] = []
    for entry in allow:
        host, ports = _split_port(entry.strip().lower())
        try:
            entries.append(_AllowEntry(net=ipaddress.ip_network(host, strict=False), ports=ports))
            continue
        except ValueError:
            pass
        if not _HOSTNAME_RE.match(host):
            raise ValueError(f"fetch allow-list entry {entry!r} is neither a host name nor an IP/CIDR")
        if host.startswith("*."):
            entries.append(_AllowEntry(suffix=host[1:].rstrip("."), ports=ports))
        elif host.startswith("."):
            entries.append(_AllowEntry(suffix=host.rstrip("."), ports=ports))
        else:
            entries.append(_AllowEntry(name=host.rstrip("."), ports=ports))
    return tuple(entries)


def _host_allowed(host: str, port: int, policy: FetchPolicy) -> bool:
    return any(e.opens(port) and (host == e.name or (e.suffix is not None and host.endswith(e.suffix)))
               for e in _compile_allow(policy.allow))


# --------------------------------------------------------------------------- address rules

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle ...
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure WireServer
    )
)
METADATA_HOSTNAMES = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
    }
)

_N = ipaddress.ip_network
# Own tables of special-purpose blocks (IANA registries), so the verdict does not depend on
# which patch release of Python's ipaddress module is installed.  First match wins.
_V4_BLOCKS = (
    (_N("0.0.0.0/32"), "unspecified"),
    (_N("0.0.0.0/8"), "reserved"),
    (_N("10.0.0.0/8"), "private"),
    (_N("100.64.0.0/10"), "private"),  # shared address space (carrier-grade NAT)
    (_N("127.0.0.0/8"), "loopback"),
    (_N("169.254.0.0/16"), "link-local"),
    (_N("172.16.0.0/12"), "private"),
    (_N("192.0.0.0/24"), "reserved"),
    (_N("192.0.2.0/24"), "reserved"),
    (_N("192.88.99.0/24"), "reserved"),
    (_N("192.168.0.0/16"), "private"),
    (_N("198.18.0.0/15"), "reserved"),
    (_N("198.51.100.0/24"), "reserved"),
    (_N("203.0.113.0/24"), "reserved"),
    (_N("224.0.0.0/4"), "multicast"),
    (_N("240.0.0.0/4"), "reserved"),  # includes 255.255.255.255
)
_V6_BLOCKS = (
    (_N("::/128"), "unspecified"),
    (_N("::1/128"), "loopback"),
    (_N("64:ff9b:1::/48"), "private"),
    (_N("100::/64"), "reserved"),
    (_N("2001::/23"), "reserved"),  # includes Teredo 2001::/32
    (_N("2001:db8::/32"), "reserved"),
    (_N("3fff::/20"), "reserved"),
    (_N("5f00::/16"), "reserved"),
    (_N("fc00::/7"), "private"),
    (_N("fe80::/10"), "link-local"),
    (_N("fec0::/10"), "private"),  # deprecated site-local
    (_N("ff00::/8"), "multicast"),
)
_V6_GLOBAL_UNICAST = _N("2000::/3")
_NAT64 = _N("64:ff9b::/96")


def classify_address(ip: IPAddress | str) -> str | None:
    """Return why ``ip`` must not be fetched (an address class), or None if it is public.

    Classes: ``cloud metadata``, ``unspecified``, ``loopback``, ``private``, ``link-local``,
    ``multicast``, ``reserved``, ``IPv4-mapped (...)``, ``6to4 (...)``, ``NAT64 (...)``.
    """
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%", 1)[0])
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            ip = ipaddress.IPv6Address(ip.compressed.split("%", 1)[0])
        mapped = ip.ipv4_mapped
        if mapped is not None:
            inner = classify_address(mapped)
            return f"IPv4-mapped ({inner} {mapped})" if inner else f"IPv4-mapped ({mapped})"
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            inner = classify_address(embedded)
            return f"NAT64 ({inner} {embedded})" if inner else None
        if ip.sixtofour is not None:
            inner = classify_address(ip.sixtofour)
            return f"6to4 ({inner} {ip.sixtofour})" if inner else None
        for net, label in _V6_BLOCKS:
            if ip in net:
                return label
        if ip not in _V6_GLOBAL_UNICAST:
            return "reserved"
        return None
    for net, label in _V4_BLOCKS:
        if ip in net:
            return label
    if not ip.is_global:  # belt and braces: whatever else Python knows to be special
        return "reserved"
    return None


def _address_allowed(ip: IPAddress, port: int, policy: FetchPolicy) -> bool:
    nets = [e.net for e in _compile_allow(policy.allow) if e.net is not None and e.opens(port)]
    if not nets:
        return False
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)
    for cand in candidates:
        for net in nets:
            if cand.version != net.version or cand not in net:
                continue
            if cand in METADATA_ADDRESSES and net.num_addresses != 1:
                continue
            return True
    return False


_NUMERIC_V4_RE = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)


def _literal_address(host: str) -> IPAddress | None:
    """An IP literal in the host, normalised as inet_aton/getaddrinfo would, else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_V4_RE.match(host) and any(c.isdigit() for c in host):
        try:
            # inet_aton accepts the legacy forms: 2130706433, 0x7f.1, 0177.0.0.1, 127.1
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


# --------------------------------------------------------------------------- URL parsing


@dataclass(frozen=True)
class _Target:
    url: str  # normalised, without fragment: used for loop detection and reporting
    scheme: str
    host: str  # ASCII (IDNA), lower case, no trailing dot, no brackets
    port: int
    host_header: str
    path: str  # path + query, as sent on the request line
    literal: IPAddress | None


def _parse_target(url: str) -> _Target:
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
        literal = _literal_address(host)
    default_port = 443 if scheme == "https" else 80
    if port == 0:
        raise FetchError("bad-url", "invalid port 0", url=url)
    port = port or default_port
    shown = f"[{host}]" if isinstance(literal, ipaddress.IPv6Address) else host
    authority = shown if port == default_port else f"{shown}:{port}"
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(
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
    t = _parse_target(url)
    return f"{t.scheme}://{t.host_header}"


# --------------------------------------------------------------------------- resolution


class _Deadline:
    def __init__(self, seconds: float):
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, url: str, what: str = "fetch") -> float:
        left = self.remaining()
        if left <= 0:
            raise FetchError("timeout", f"{what} exceeded the total time limit of {self.seconds:g} s", url=url)
        return left

    def elapsed_ms(self) -> int:
        return int((time.monotonic() - self.start) * 1000)


def _getaddrinfo(host: str, port: int, timeout: float) -> list[tuple]:
    """socket.getaddrinfo with a time limit (the C call itself has none)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        except BaseException as e:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = e

    t = threading.Thread(target=run, name="healthgeo-dns", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise TimeoutError(f"DNS lookup for {host} took longer than {timeout:.3g} s")
    if "error" in box:
        raise box["error"]
    return box["result"]


def _resolve(target: _Target, policy: FetchPolicy, deadline: _Deadline) -> list[IPAddress]:
    """Resolve once and return the addresses we may connect to, or raise blocked-address."""
    host_ok = _host_allowed(target.host, target.port, policy)
    if target.host in METADATA_HOSTNAMES and not host_ok:
        raise FetchError("blocked-address", f"{target.host} is a cloud metadata host", url=target.url)
    if target.literal is not None:
        addrs: list[IPAddress] = [target.literal]
    elif target.host == "localhost" or target.host.endswith(".localhost"):
        addrs = [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
    else:
        left = deadline.check(target.url, "DNS lookup")
        try:
            infos = _getaddrinfo(target.host, target.port, min(policy.connect_timeout, left))
        except TimeoutError as e:
            raise FetchError("timeout", str(e), url=target.url) from None
        except (socket.gaierror, UnicodeError, OSError) as e:
            raise FetchError("dns-error", f"cannot resolve {target.host}: {e}", url=target.url) from None
        addrs = []
        for info in infos:
            try:
                ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            except (ValueError, IndexError):
                continue
            if ip not in addrs:
                addrs.append(ip)
        if not addrs:
            raise FetchError("dns-error", f"{target.host} has no usable address", url=target.url)
    admitted: list[IPAddress] = []
    refusals: list[str] = []
    for ip in addrs:
        reason = classify_address(ip)
        allowed = _address_allowed(ip, target.port, policy) or (host_ok and ip not in METADATA_ADDRESSES)
        if reason is None or allowed:
            admitted.append(ip)
        else:
            refusals.append(f"{ip} is {reason}")
    if not admitted:
        what = target.host if target.literal is None else "address"
        raise FetchError(
            "blocked-address",
            f"{what}: " + "; ".join(refusals) + f" (not allowed on port {target.port}; see HEALTHGEO_FETCH_ALLOW)",
            url=target.url,
        )
    return admitted


def check_destination(url: str, policy: FetchPolicy) -> list[IPAddress]:
    """The addresses a request to ``url`` would go to, checked like :func:`fetch` checks them (nothing is sent).

    Raises :class:`FetchError` (``bad-url``, ``bad-scheme``, ``blocked-address``, ``dns-error``,
    ``timeout``) for a URL no request could ever reach under ``policy``: callers refuse it up front.
    """
    target = _parse_target(url)
    return _resolve(target, policy, _Deadline(policy.connect_timeout))


# --------------------------------------------------------------------------- pinned connections


def _pinned_socket(conn: HTTPConnection) -> socket.socket:
    """Connect to the literal IP the pool was built with; never consults the resolver."""
    ip = ipaddress.ip_address(conn._dns_host.strip("[]"))
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        for opt in conn.socket_options or ():
            sock.setsockopt(*opt)
        timeout = conn.timeout
        if isinstance(timeout, int | float):
            sock.settimeout(timeout)
        sock.connect((str(ip), conn.port))
    except TimeoutError as e:
        sock.close()
        raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out") from e
    except OSError as e:
        sock.close()
        raise NewConnectionError(conn, f"Failed to establish a new connection: {e}") from e
    sys.audit("http.client.connect", conn, conn.host, conn.port)
    return sock


class _PinnedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _pinned_socket(self)


class _PinnedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _pinned_socket(self)


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


def _ca_bundle(policy: FetchPolicy) -> str | None:
    if policy.ca_certs:
        return policy.ca_certs
    try:
        import certifi

        return certifi.where()
    except ImportError:  # pragma: no cover - certifi ships with requests
        return None


def _error_from_urllib3(e: BaseException, url: str) -> FetchError:
    if isinstance(e, MaxRetryError) and e.reason is not None:
        e = e.reason
    if isinstance(e, SSLError):
        return FetchError("tls-error", f"TLS failure: {e}", url=url)
    if isinstance(e, NewConnectionError):  # (a subclass of ConnectTimeoutError: test it first)
        return FetchError("connect-error", f"cannot connect: {_reason(e)}", url=url)
    if isinstance(e, ConnectTimeoutError):
        return FetchError("timeout", "connect timed out", url=url)
    if isinstance(e, ReadTimeoutError | TimeoutError):
        return FetchError("timeout", "read timed out", url=url)
    if isinstance(e, ProtocolError):
        return FetchError("connect-error", f"connection failed: {_reason(e)}", url=url)
    if isinstance(e, LocationParseError):
        return FetchError("bad-url", str(e), url=url)
    return FetchError("connect-error", f"connection failed: {_reason(e)}", url=url)


def _reason(e: BaseException) -> str:
    """The operating system's words for a failure ("Connection refused"), never urllib3's internal names."""
    seen: BaseException | None = e
    for _ in range(8):  # the cause chain is short; bounded all the same
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    msg = str(e)
    msg = msg.split(": ", 1)[1] if msg.startswith("<") and ": " in msg else msg
    return _INTERNAL_PREFIX.sub("", msg)


_INTERNAL_PREFIX = re.compile(r"^\w+\((?:host|pool)=[^)]*\)(?::\s*)?")


def _request(
    target: _Target,
    addrs: list[IPAddress],
    policy: FetchPolicy,
    headers: dict[str, str],
    deadline: _Deadline,
    method: str = "GET",
    body: bytes | None = None,
) -> tuple[urllib3.HTTPResponse, HTTPConnectionPool]:
    last: FetchError | None = None
    for ip in addrs:
        left = deadline.check(target.url)
        timeout = Timeout(connect=min(policy.connect_timeout, left), read=min(policy.read_timeout, left))
        if target.scheme == "https":
            pool: HTTPConnectionPool = _PinnedHTTPSPool(
                str(ip),
                target.port,
                timeout=timeout,
                maxsize=1,
                retries=False,
                cert_reqs="CERT_REQUIRED",
                ca_certs=_ca_bundle(policy),
                server_hostname=target.host,
                assert_hostname=target.host,
            )
        else:
            pool = _PinnedHTTPPool(str(ip), target.port, timeout=timeout, maxsize=1, retries=False)
        try:
            resp = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=headers,
                retries=False,
                redirect=False,
                assert_same_host=False,
                timeout=timeout,
                preload_content=False,
                decode_content=False,
                release_conn=False,
            )
            return resp, pool
        except (HTTPError, OSError) as e:
            pool.close()
            err = _error_from_urllib3(e, target.url)
            if err.code == "timeout" and deadline.remaining() <= 0:
                raise FetchError(
                    "timeout", f"exceeded the total time limit of {deadline.seconds:g} s", url=target.url
                ) from None
            # Connection-level failures: try the next checked address; anything else is final.
            if isinstance(e, NewConnectionError | ConnectTimeoutError) and not isinstance(e, SSLError):
                last = err
                continue
            raise err from None
    assert last is not None
    raise last


# --------------------------------------------------------------------------- body


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


def _read_body(
    resp: urllib3.HTTPResponse,
    target: _Target,
    policy: FetchPolicy,
    max_bytes: int,
    deadline: _Deadline,
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
            err = _error_from_urllib3(e, url)
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


def _header_dict(resp: urllib3.HTTPResponse) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in resp.headers:
        out[key.lower()] = ", ".join(resp.headers.getlist(key))
    return out


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    accept: str = "text/html,application/xhtml+xml",
    html_only: bool | None = None,
    raise_for_status: bool = True,
    max_bytes: int | None = None,
    max_decompressed: int | None = None,
) -> FetchResult:
    """Fetch ``url`` under ``policy``; see the module docstring for the rules.

    ``max_bytes`` and ``max_decompressed`` override the policy's limits for this request (sitemaps
    may hold 50 MB uncompressed by their protocol, more than a page).

    ``html_only`` (default: ``policy.html_only``) refuses 2xx responses whose content type
    is not text/html or application/xhtml+xml (``not-html``); a missing content type is
    accepted only if the body sniffs as HTML.  A status >= 400 raises ``http-error`` unless
    ``raise_for_status=False``, in which case the (size-limited) result is returned.
    """
    html_only = policy.html_only if html_only is None else html_only
    max_bytes = policy.max_bytes if max_bytes is None else max_bytes
    deadline = _Deadline(policy.total_timeout)
    target = _parse_target(url)
    headers = {
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    redirects: list[dict[str, Any]] = []
    visited = {target.url}
    while True:
        addrs = _resolve(target, policy, deadline)
        headers["Host"] = target.host_header
        resp, pool = _request(target, addrs, policy, headers, deadline)
        try:
            location = resp.headers.get("location")
            if resp.status in REDIRECT_STATUSES and location:
                try:
                    location = location.encode("latin-1").decode("utf-8")
                except UnicodeError:
                    pass
                redirects.append({"url": target.url, "status": resp.status})
                next_url = urljoin(target.url, location.strip())
                if len(redirects) > policy.max_redirects:
                    raise FetchError(
                        "too-many-redirects",
                        f"more than {policy.max_redirects} redirects",
                        url=next_url,
                        status=resp.status,
                    )
                nxt = _parse_target(next_url)
                if nxt.url in visited:
                    raise FetchError(
                        "redirect-loop", f"redirect loop back to {nxt.url}", url=nxt.url, status=resp.status
                    )
                visited.add(nxt.url)
                target = nxt
                continue

            status = resp.status
            if status >= 400 and raise_for_status:
                raise FetchError("http-error", f"HTTP {status}", url=target.url, status=status)
            resp_headers = _header_dict(resp)
            mime, _charset = parse_content_type(resp_headers.get("content-type"))
            check_html = html_only and 200 <= status < 300
            if check_html and mime is not None and mime not in HTML_TYPES:
                raise FetchError("not-html", f"content type {mime} is not HTML", url=target.url, status=status)
            body = _read_body(resp, target, policy, max_bytes, deadline, max_decompressed)
            if check_html and mime is None and body and not sniffs_as_html(body):
                raise FetchError(
                    "not-html",
                    "no content type, and the body does not look like HTML",
                    url=target.url,
                    status=status,
                )
            return _result(url, target, resp, resp_headers, body, redirects, deadline)
        finally:
            resp.close()
            pool.close()


def _result(
    url: str,
    target: _Target,
    resp: urllib3.HTTPResponse,
    headers: dict[str, str],
    body: bytes,
    redirects: list[dict[str, Any]],
    deadline: _Deadline,
) -> FetchResult:
    mime, charset = parse_content_type(headers.get("content-type"))
    return FetchResult(
        url=url,
        final_url=target.url,
        status=resp.status,
        headers=headers,
        content_type=mime,
        charset=charset,
        body=body,
        redirects=redirects,
        x_robots_tag=[v.strip() for v in resp.headers.getlist("x-robots-tag") if v.strip()],
        elapsed_ms=deadline.elapsed_ms(),
    )


def post(
    url: str,
    policy: FetchPolicy,
    body: bytes,
    *,
    content_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
    max_bytes: int = 64 * 1024,
) -> FetchResult:
    """POST ``body`` to ``url`` under the same rules as :func:`fetch` (scheme, address classes
    and allow-list, pinned resolution, timeouts, total deadline, size limits).

    Redirects are not followed: a 3xx comes back as the result, since re-sending a body to
    another address is the caller's decision.  HTTP statuses are returned, never raised;
    network and policy failures raise :class:`FetchError`.  ``max_bytes`` bounds the
    response body read (a webhook receiver's answer is short).
    """
    deadline = _Deadline(policy.total_timeout)
    target = _parse_target(url)
    sent = {
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Accept": "*/*",
        "Content-Type": content_type,
        "Connection": "close",
        **(headers or {}),
    }
    addrs = _resolve(target, policy, deadline)
    resp, pool = _request(target, addrs, policy, sent, deadline, method="POST", body=body)
    try:
        resp_headers = _header_dict(resp)
        data = _read_body(resp, target, policy, max_bytes, deadline)
        return _result(url, target, resp, resp_headers, data, [], deadline)
    finally:
        resp.close()
        pool.close()


def fetch_text(
    url: str,
    policy: FetchPolicy,
    accept: str = "text/plain,*/*",
    max_bytes: int | None = None,
    *,
    raise_for_status: bool = True,
) -> FetchResult:
    """Fetch a non-HTML resource (robots.txt, llms.txt, sitemaps) with the same address rules."""
    return fetch(
        url,
        policy,
        accept=accept,
        html_only=False,
        raise_for_status=raise_for_status,
        max_bytes=max_bytes,
    )
