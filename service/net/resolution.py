"""Resolving a host once (with a time limit) and keeping only the addresses the policy admits: the connection is
then pinned to them, so DNS rebinding between the check and the use is impossible."""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any

from .deadline import Deadline
from .errors import FetchError
from .policy import (
    METADATA_ADDRESSES,
    METADATA_HOSTNAMES,
    FetchPolicy,
    IPAddress,
    address_allowed,
    classify_address,
    host_allowed,
)
from .target import Target, parse_target

__all__ = ["check_destination", "resolve"]


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


def resolve(target: Target, policy: FetchPolicy, deadline: Deadline) -> list[IPAddress]:
    """Resolve once and return the addresses we may connect to, or raise blocked-address."""
    host_ok = host_allowed(target.host, target.port, policy)
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
        allowed = address_allowed(ip, target.port, policy) or (host_ok and ip not in METADATA_ADDRESSES)
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
    target = parse_target(url)
    return resolve(target, policy, Deadline(policy.connect_timeout))
