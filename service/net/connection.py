"""HTTP connections pinned to a checked address: urllib3 pools whose host is the IP itself and a connection
class that never calls the resolver, with the original ``Host``, SNI and certificate name."""

from __future__ import annotations

import ipaddress
import re
import socket
import sys

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

from .deadline import Deadline
from .errors import FetchError
from .policy import FetchPolicy, IPAddress
from .target import Target

__all__ = ["error_from_urllib3", "send_request"]


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


def error_from_urllib3(e: BaseException, url: str) -> FetchError:
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


def send_request(
    target: Target,
    addrs: list[IPAddress],
    policy: FetchPolicy,
    headers: dict[str, str],
    deadline: Deadline,
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
            err = error_from_urllib3(e, target.url)
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
