"""Who is asking: the tenant a request acts for and what its key may do.

Every stored audit and batch records the tenant that created it; a tenant sees only its own
(anything else answers 404, exactly as if it did not exist).  Scopes say which routes a key may
call: ``audit`` (``/v1/audits``), ``batch`` (``/v1/batches``) and ``admin`` (every route, and
every tenant's audits and batches: for operators).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ADMIN", "DEFAULT_SCOPES", "Identity", "LOCAL", "LOCAL_TENANT", "SCOPES", "UnknownScopes", "own_tenant",
           "parse_scopes"]

SCOPES = ("audit", "batch", "admin")
DEFAULT_SCOPES = ("audit", "batch")  # a key made without --scope, and keys stored before scopes existed
ADMIN = "admin"
LOCAL_TENANT = "local"  # everything, when authentication is disabled (local use)


def own_tenant(digest: str) -> str:
    """The tenant of a key created without ``--tenant``: its own, named after the key's hash."""
    return "key-" + digest[:12]


class UnknownScopes(ValueError):
    """Scope names that do not exist (``unknown``)."""

    def __init__(self, unknown: list[str]) -> None:
        self.unknown = unknown
        super().__init__(f"unknown scope(s) {', '.join(map(repr, unknown))}: use {', '.join(SCOPES)}")


def parse_scopes(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Scopes from a stored record (``"audit batch"``) or a list; unknown names raise ValueError."""
    if value is None:
        return DEFAULT_SCOPES
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    unknown = [s for s in items if s not in SCOPES]
    if unknown:
        raise UnknownScopes(unknown)
    return tuple(s for s in SCOPES if s in items)


@dataclass(frozen=True)
class Identity:
    """The tenant a request acts for and its key's scopes."""

    tenant: str
    scopes: tuple[str, ...] = DEFAULT_SCOPES

    @property
    def admin(self) -> bool:
        return ADMIN in self.scopes

    def may(self, scope: str) -> bool:
        return self.admin or scope in self.scopes

    def sees(self, owner: str | None) -> bool:
        """True when this identity may know that something owned by ``owner`` exists.

        Records stored before owners existed (``owner`` None) are visible to admin keys only.
        """
        return self.admin or (owner is not None and owner == self.tenant)


LOCAL = Identity(LOCAL_TENANT, SCOPES)
