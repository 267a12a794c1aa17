"""Signed webhook deliveries (a batch's summary, POSTed to its ``callback_url``).

What the receiver gets::

    POST <callback_url>
    Content-Type: application/json
    X-Healthgeo-Event: batch.finished
    X-Healthgeo-Delivery: <uuid, the same on every retry of one delivery>
    X-Healthgeo-Signature: sha256=<hex HMAC-SHA256 of the raw request body, keyed with the secret>

    <the JSON body, UTF-8>

Only the body is signed: the receiver computes ``HMAC-SHA256(secret, raw body bytes)`` and
compares it, in constant time, with the hex after ``sha256=`` (:func:`verify` does exactly
that).  The event and delivery headers are informational; the body carries the batch id and
its ``finished_at``, so a replayed delivery is the same summary again (and the delivery id
lets a receiver drop duplicates).

The callback URL is fetched under the same SSRF rules as every other outbound request
(:func:`service.net.fetch.post`): address classes and allow-list, pinned resolution, timeouts;
redirects are not followed.  Network errors, 5xx and 429 are retried with exponential
back-off (``Retry-After`` honoured when longer); other statuses are final.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from service.net.errors import FetchError
from service.net.fetch import post
from service.net.policy import FetchPolicy
from service.net.politeness import retry_after_seconds

__all__ = ["DELIVERY_HEADER", "EVENT_HEADER", "SIGNATURE_HEADER", "deliver", "encode", "sign", "verify"]

log = logging.getLogger("healthgeo.webhook")

SIGNATURE_HEADER = "X-Healthgeo-Signature"
EVENT_HEADER = "X-Healthgeo-Event"
DELIVERY_HEADER = "X-Healthgeo-Delivery"
MAX_PAUSE = 300.0  # a receiver's Retry-After cannot park a worker longer than this
# Refusals that another attempt cannot change.
_PERMANENT_CODES = frozenset({"bad-url", "bad-scheme", "blocked-address"})


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed) for ``payload``."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex HMAC-SHA256 of body keyed with secret>``: the signature header's value."""
    if not secret:
        raise ValueError("a webhook secret must not be empty")
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """True when ``header`` is the signature of ``body`` with ``secret`` (constant-time compare)."""
    if not header or not secret or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), header.strip().encode("ascii", "replace"))


def deliver(
    url: str,
    payload: dict[str, Any],
    *,
    secret: str,
    policy: FetchPolicy,
    attempts: int = 5,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    event: str = "batch.finished",
) -> dict[str, Any]:
    """POST ``payload`` as signed JSON to ``url``; retry network errors, 5xx and 429.

    The pause before attempt ``n + 1`` is ``backoff * 2 ** (n - 1)`` seconds, or the
    receiver's ``Retry-After`` when longer (at most :data:`MAX_PAUSE`).  Returns
    ``{"delivered": bool, "attempts": int, "status": int | None, "error": str | None}``;
    never raises for the receiver's or the network's behaviour.
    """
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    body = encode(payload)
    headers = {
        SIGNATURE_HEADER: sign(body, secret),
        EVENT_HEADER: event,
        DELIVERY_HEADER: uuid.uuid4().hex,
    }
    status: int | None = None
    error: str | None = None
    for attempt in range(1, attempts + 1):
        retry_after: float | None = None
        try:
            res = post(url, policy, body, headers=headers)
        except FetchError as e:
            status, error = e.status, f"{e.code}: {e.message}"
            if e.code in _PERMANENT_CODES:
                return _outcome(False, attempt, status, error, url)
        else:
            status = res.status
            if 200 <= status < 300:
                return _outcome(True, attempt, status, None, url)
            error = f"HTTP {status}"
            if 300 <= status < 400:
                where = res.headers.get("location")
                error += f" (redirect to {where} not followed)" if where else ""
                return _outcome(False, attempt, status, error, url)
            if status != 429 and status < 500:
                return _outcome(False, attempt, status, error, url)
            retry_after = retry_after_seconds(res.headers.get("retry-after"))
        if attempt < attempts:
            pause = backoff * 2 ** (attempt - 1)
            if retry_after is not None:
                pause = max(pause, retry_after)
            sleep(min(pause, MAX_PAUSE))
    return _outcome(False, attempts, status, error, url)


def _outcome(delivered: bool, attempts: int, status: int | None, error: str | None, url: str) -> dict[str, Any]:
    if not delivered:  # the host only: callback URLs often carry a token in their path or query
        log.warning("webhook to %s not delivered after %d attempt(s): %s", urlsplit(url).hostname, attempts, error)
    return {"delivered": delivered, "attempts": attempts, "status": status, "error": error}
