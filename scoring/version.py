"""The rules version: a name for everything that decides a report, so a stored report is never served
after the rules that made it changed.

It is the release name plus a digest of the engine's own code and data files (checks, thresholds,
weights, language data, source registry, vocabulary). Any edit to them gives a new version, hence new
cache keys, without anyone remembering to bump a number.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

RELEASE = "2026.12"
ENGINE = Path(__file__).resolve().parent
_SUFFIXES = (".py", ".json")


def rules_digest(root: Path = ENGINE) -> str:
    """sha256 (first 12 hex digits) over the relative paths and bytes of the engine's .py and .json files."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


RULES_VERSION = f"{RELEASE}+{rules_digest()}"
