"""What the fetcher may reach: the limits and allow-list of :class:`FetchPolicy` (hosts, networks, ports) and
the classes of addresses it refuses (loopback, private, link-local, cloud metadata, embedded IPv4...)."""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..version import package_version

__all__ = [
    "DEFAULT_PORTS",
    "IPAddress",
    "METADATA_ADDRESSES",
    "METADATA_HOSTNAMES",
    "USER_AGENT",
    "FetchPolicy",
    "address_allowed",
    "classify_address",
    "host_allowed",
    "literal_address",
]


_PROJECT_URL = "https://github.com/healthgeo/healthgeo"


USER_AGENT = f"HealthgeoBot/{package_version()} (+{_PROJECT_URL})"


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


def host_allowed(host: str, port: int, policy: FetchPolicy) -> bool:
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


def address_allowed(ip: IPAddress, port: int, policy: FetchPolicy) -> bool:
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


def literal_address(host: str) -> IPAddress | None:
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
