"""API keys: only their SHA-256 hashes are stored.

A key looks like ``hg_<43 url-safe characters>`` (256 random bits).  Redis holds
``<prefix>:key:<sha256 hex of the key>`` as a hash with ``name``, ``created`` (ISO 8601,
UTC), ``prefix`` (the first 10 characters of the key, shown by ``keys list`` so a person
can tell keys apart; it does not let anyone rebuild the key), ``tenant`` (whose audits and
batches the key reads and creates) and ``scopes`` (space-separated, see :mod:`service.tenants`).
Records stored before tenants existed are read as their own tenant with the default scopes.
The key itself is printed once by ``healthgeo keys create`` and never stored or logged.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from ...store import as_text, text_mapping
from .tenants import SCOPES, Identity, UnknownScopes, own_tenant, parse_scopes

__all__ = ["KeyAdminError", "create_key", "hash_key", "identity_of", "list_keys", "lookup", "revoke", "valid_name"]

KEY_PREFIX = "hg_"
SHOWN_CHARS = 10
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class KeyAdminError(Exception):
    """A key operation that cannot be done: one line for the user, worded by ``code`` and ``params``
    (service/messages ``keys.<code>``) in the user's language; ``str()`` is the English."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        from ...messages import text

        return text(f"keys.{self.code}", lang, **self.params)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def valid_name(name: str) -> bool:
    return bool(_NAME_RE.match(name or ""))


def _redis_key(prefix: str, digest: str) -> str:
    return f"{prefix}:key:{digest}"


def identity_of(record: dict[str, str], digest: str) -> Identity:
    """The tenant and scopes of a stored key record (older records: own tenant, default scopes)."""
    try:
        scopes = parse_scopes(record.get("scopes"))
    except ValueError:  # a record edited by hand: the least it can mean
        scopes = ()
    return Identity(record.get("tenant") or own_tenant(digest), scopes)


def list_keys(r: Any, prefix: str = "healthgeo") -> list[dict[str, str]]:
    """Every stored key's record (``name``, ``created``, ``prefix``, ``tenant``, ``scopes``, ``hash``), oldest
    first; records stored before tenants existed show the tenant and scopes they are read with."""
    out = []
    for rkey in r.scan_iter(match=f"{prefix}:key:*", count=500):
        rkey = as_text(rkey)
        digest = rkey.rsplit(":", 1)[1]
        record = text_mapping(r.hgetall(rkey))
        if record:
            record["hash"] = digest
            who = identity_of(record, digest)
            record["tenant"], record["scopes"] = who.tenant, " ".join(who.scopes)
            out.append(record)
    out.sort(key=lambda rec: (rec.get("created", ""), rec.get("name", "")))
    return out


def create_key(r: Any, name: str, prefix: str = "healthgeo", *, tenant: str | None = None,
               scopes: list[str] | tuple[str, ...] | None = None) -> tuple[str, dict[str, str]]:
    """Make a key for ``name`` (unique); returns ``(key, record)``.  Only the hash is stored.

    ``tenant``: whose audits and batches the key works with (default: a tenant of its own);
    ``scopes``: ``audit``, ``batch``, ``admin`` (default: audit and batch).
    """
    if not valid_name(name):
        raise KeyAdminError("invalid-name", name=name)
    if tenant is not None and not valid_name(tenant):
        raise KeyAdminError("invalid-tenant", name=tenant)
    try:
        granted = parse_scopes(scopes)
    except UnknownScopes as e:
        raise KeyAdminError("unknown-scope", unknown=e.unknown, count=len(e.unknown), allowed=list(SCOPES)) from None
    if not granted:
        raise KeyAdminError("no-scope")
    if any(rec.get("name") == name for rec in list_keys(r, prefix)):
        raise KeyAdminError("name-taken", name=name)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    digest = hash_key(key)
    record = {"name": name, "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "prefix": key[:SHOWN_CHARS],
              "tenant": tenant or own_tenant(digest), "scopes": " ".join(granted)}
    r.hset(_redis_key(prefix, digest), mapping=record)
    return key, record


def lookup(r: Any, key: str, prefix: str = "healthgeo") -> dict[str, str] | None:
    """The record for a presented key, or None.  Raises the client's errors when Redis is down."""
    if not key or len(key) > 256:
        return None
    raw = r.hgetall(_redis_key(prefix, hash_key(key)))
    return text_mapping(raw) if raw else None


def revoke(r: Any, name_or_prefix: str, prefix: str = "healthgeo") -> dict[str, str]:
    """Delete the one key whose name, shown prefix or hash prefix matches; returns its record."""
    token = (name_or_prefix or "").strip()
    if not token:
        raise KeyAdminError("name-a-key")
    records = list_keys(r, prefix)
    matches = [rec for rec in records if rec.get("name") == token]
    if not matches:
        matches = [rec for rec in records
                   if (len(token) >= 4 and rec.get("prefix", "").startswith(token))
                   or token.startswith(rec.get("prefix", "\0")) or (len(token) >= 8 and rec["hash"].startswith(token))]
    if not matches:
        raise KeyAdminError("no-match", token=token)
    if len(matches) > 1:
        raise KeyAdminError("several", token=token, names=[rec.get("name", "?") for rec in matches])
    rec = matches[0]
    r.delete(_redis_key(prefix, rec["hash"]))
    return rec
