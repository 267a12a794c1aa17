"""API-key authentication and per-key rate limits.

* ``Authorization: Bearer <key>`` on every ``/v1/`` route; ``/healthz``, ``/readyz``,
  ``/metrics``, ``/openapi.json`` and ``/docs`` are open.  A missing or unknown key gets a
  401 problem with ``WWW-Authenticate: Bearer``.
* A key acts for its tenant (``g.identity``, see :mod:`service.tenants`); ``/v1/audits`` needs
  the ``audit`` scope and ``/v1/batches`` the ``batch`` scope, else a 403 problem.
* Failed authentications are counted per client address (``HEALTHGEO_AUTH_FAIL_LIMIT``): past
  the limit, every authenticated route answers that address 429 with ``Retry-After`` until the
  window moves on, whatever key it sends (so guessing keys gains nothing).
* Keys are looked up by their SHA-256 in Redis on every request (a revoked key stops working
  at once).  While Redis is down, keys verified in the last ``KEY_GRACE`` seconds by this
  worker are still accepted; others get a 503 problem (the key cannot be checked).
* ``HEALTHGEO_AUTH=disabled`` turns keys off, and then only loopback clients are served:
  any other client gets a 403 problem (gunicorn_conf also refuses to bind elsewhere); everything
  then belongs to one local tenant.
* flask-limiter counts per key (per client address when auth is disabled) in Redis, with an
  in-memory fallback while Redis is down; a breach is a 429 problem with ``Retry-After``.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from typing import Any

from flask import Flask, g, request
from flask_limiter import Limiter
from limits import parse as parse_limit

from ...store import Store, StoreUnavailable, limiter_storage_uri
from ..problems import ApiError, localized_problem
from .keys import hash_key, identity_of
from .tenants import LOCAL, Identity

__all__ = ["KEY_GRACE", "PUBLIC_PREFIXES", "ROUTE_SCOPES", "current_identity", "init_security"]

log = logging.getLogger("healthgeo.auth")

KEY_GRACE = 300.0
PUBLIC_PREFIXES = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")
# other /v1 routes (checks) need a key only
ROUTE_SCOPES = (("/v1/audits", "audit"), ("/v1/pages", "audit"), ("/v1/batches", "batch"))
_BEARER = 'Bearer realm="healthgeo"'
_NOBODY = Identity("", ())  # what a view sees if no identity was set: nothing


def current_identity() -> Identity:
    """The identity the current request acts for (set by the authentication hook)."""
    return g.get("identity") or _NOBODY


def _scope_needed(path: str) -> str | None:
    for prefix, scope in ROUTE_SCOPES:
        if path == prefix or path.startswith(prefix + "/"):
            return scope
    return None


def _is_public(path: str) -> bool:
    if path == "/":  # the front door leads to the documentation
        return True
    return any(path == p or path.startswith(p + "/") for p in PUBLIC_PREFIXES)


def _loopback(addr: str | None) -> bool:
    if not addr:
        return False
    try:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


class _KeyCache:
    """Keys this worker verified recently: accepted while Redis is down, for KEY_GRACE seconds."""

    def __init__(self, grace: float = KEY_GRACE):
        self.grace = grace
        self._seen: dict[str, tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()

    def remember(self, digest: str, record: dict[str, str]) -> None:
        with self._lock:
            self._seen[digest] = (time.monotonic(), record)
            if len(self._seen) > 10_000:
                self._seen.pop(next(iter(self._seen)))

    def forget(self, digest: str) -> None:
        with self._lock:
            self._seen.pop(digest, None)

    def recall(self, digest: str) -> dict[str, str] | None:
        with self._lock:
            entry = self._seen.get(digest)
        if entry and time.monotonic() - entry[0] < self.grace:
            return entry[1]
        return None


def _authenticate(store: Store, cache: _KeyCache) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if not header:
        raise localized_problem(401, "unauthenticated", headers={"WWW-Authenticate": _BEARER})
    if scheme.lower() != "bearer" or not token:
        raise localized_problem(401, "unauthenticated", key="unauthenticated.scheme",
                                headers={"WWW-Authenticate": _BEARER})
    digest = hash_key(token)
    record: dict[str, str] | None
    try:
        record = store.key_record(digest)
        if record is None:
            cache.forget(digest)
        else:
            cache.remember(digest, record)
    except StoreUnavailable:
        record = cache.recall(digest)
        if record is None:
            raise localized_problem(503, "auth-unavailable", headers={"Retry-After": "5"}) from None
    if record is None:
        raise localized_problem(401, "invalid-key", headers={"WWW-Authenticate": _BEARER + ', error="invalid_token"'})
    g.api_key_name = record.get("name", "?")
    g.client_id = "key:" + digest[:32]
    g.identity = identity_of(record, digest)


def _authorize(identity: Identity) -> None:
    scope = _scope_needed(request.path)
    if scope is not None and not identity.may(scope):
        raise localized_problem(403, "insufficient-scope", path=request.path, scope=scope,
                                scopes=", ".join(identity.scopes) or "-",
                                headers={"WWW-Authenticate": f'{_BEARER}, error="insufficient_scope", '
                                                             f'scope="{scope}"'})


class _FailedAuthentications:
    """Failed authentications per client address, in the limiter's storage (Redis, else memory)."""

    def __init__(self, limiter: Limiter, limit: str, prefix: str):
        self.limiter = limiter
        self.item = parse_limit(limit)
        self.namespace = f"{prefix}:authfail"

    def refuse_if_over(self, addr: str) -> None:
        try:
            over = not self.limiter.limiter.test(self.item, self.namespace, addr)
            reset = self.limiter.limiter.get_window_stats(self.item, self.namespace, addr).reset_time if over else 0
        except Exception:  # noqa: BLE001 - storage trouble: authentication itself still answers
            return
        if over:
            retry = max(1, math.ceil(reset - time.time()))
            raise localized_problem(429, "auth-rate-limited", limit=str(self.item),
                                    headers={"Retry-After": str(retry)})

    def count(self, addr: str) -> None:
        try:
            self.limiter.limiter.hit(self.item, self.namespace, addr)
        except Exception:  # noqa: BLE001 - storage trouble: the 401 is answered anyway
            log.warning("failed authentication not counted", extra={"event": "auth.count_failed"})


class _Limits:
    def __init__(self, limiter: Limiter):
        self.limiter = limiter

    def retry_after(self) -> int | None:
        try:
            lim = self.limiter.current_limit
            if lim is None:
                return None
            return max(1, int(lim.reset_at - time.time()))
        except Exception:  # noqa: BLE001 - storage trouble: the caller uses a default
            return None


def init_security(app: Flask, store: Store, config: dict[str, Any]) -> Limiter:
    auth_disabled = config["AUTH"] == "disabled"
    key_cache = _KeyCache()
    failures: list[_FailedAuthentications] = []  # set once the limiter exists (below)

    @app.before_request
    def _guard():
        if auth_disabled:
            if not _loopback(request.remote_addr):
                raise localized_problem(403, "loopback-only")
            g.client_id = "addr:" + (request.remote_addr or "?")
            g.api_key_name = None
            g.identity = LOCAL
            return None
        if _is_public(request.path) or request.method == "OPTIONS":
            return None
        addr = request.remote_addr or "?"
        failures[0].refuse_if_over(addr)
        try:
            _authenticate(store, key_cache)
        except ApiError as e:
            if e.status == 401:
                failures[0].count(addr)
            raise
        _authorize(g.identity)
        return None

    storage_uri = limiter_storage_uri(store.client) if store.client is not None else None
    timeout = float(config.get("REDIS_TIMEOUT", 1.0))
    limiter = Limiter(
        key_func=lambda: g.get("client_id") or "addr:" + (request.remote_addr or "?"),
        application_limits=[config["RATE_LIMIT"]],  # one allowance per key across every /v1 route
        application_limits_exempt_when=lambda: not request.path.startswith("/v1/"),
        storage_uri=storage_uri or "memory://",
        storage_options={"socket_timeout": timeout, "socket_connect_timeout": timeout} if storage_uri else {},
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        key_prefix=f"{store.prefix}:rl",
        strategy="moving-window",
    )
    limiter.init_app(app)
    failures.append(_FailedAuthentications(limiter, config["AUTH_FAIL_LIMIT"], store.prefix))
    app.extensions["healthgeo.limiter"] = _Limits(limiter)
    return limiter
