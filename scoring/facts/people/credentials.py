"""The one credential and honorific table (``data/credentials.json``), read by people, validate and fix.

A credential is written once in its usual form ("PhD"); its dotted and spaced forms ("Ph.D.", "Ph. D.")
are recognised from it. ``canonical`` maps any written form to the table's form.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

_TABLE = json.loads((Path(__file__).resolve().parents[2] / "data" / "credentials.json").read_text(encoding="utf-8"))

HEALTH_CREDENTIALS: tuple[str, ...] = tuple(_TABLE["health"])
OTHER_CREDENTIALS: tuple[str, ...] = tuple(_TABLE["other"])
ALL_CREDENTIALS: tuple[str, ...] = HEALTH_CREDENTIALS + OTHER_CREDENTIALS
NON_HEALTH_CREDENTIALS = frozenset(OTHER_CREDENTIALS)
UPPER_ONLY = frozenset(_TABLE["upper_only"])  # ordinary words or initials too: only in capitals
AFTER_COMMA_ONLY = frozenset(_TABLE["after_comma_only"])  # the most ambiguous: only after a comma
# lower-case written form (without its final dot) -> canonical honorific ("docteur" -> "Dr")
HONORIFICS: dict[str, str] = dict(_TABLE["honorifics"])
SOCIAL_TITLES: tuple[str, ...] = tuple(_TABLE["social"])


def credential_key(token: str) -> str:
    """A written credential reduced to compare: "Ph.D." and "PHD" give "PHD"."""
    return token.replace(".", "").replace(" ", "").upper()


_CANON = {credential_key(c): c for c in ALL_CREDENTIALS}


def canonical(token: str) -> str | None:
    """The table's form of a written credential, or None when it is not one."""
    return _CANON.get(credential_key(token))


def honorific(token: str) -> str | None:
    """The canonical honorific ("Dr", "Prof", "Pr") of a written one ("Docteur", "dr."), or None."""
    return HONORIFICS.get(token.rstrip(".").casefold())


def written_forms(canon: str) -> str:
    """Regex source for the ways a credential is written: each letter may be followed by a dot and a space."""
    return "".join(re.escape(ch) + (r"(?:\.\s?)?" if ch.isalnum() else "") for ch in canon)


@cache
def honorific_forms(canon: str) -> tuple[str, ...]:
    """The written forms of a canonical honorific, longest first."""
    return tuple(sorted((k for k, v in HONORIFICS.items() if v == canon), key=len, reverse=True))


def dotted_form(canon: str) -> str:
    """Regex source for a credential written with a dot after each letter ("M.D.", "D. O.")."""
    return "".join(re.escape(ch) + (r"\.\s?" if ch.isalnum() else "") for ch in canon)
