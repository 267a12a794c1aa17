"""The command line's default language."""

from __future__ import annotations

import os

from scoring.i18n import supported_language


def default_language() -> str:
    """``HEALTHGEO_LANG`` (en or fr) when set, else English: the default of every --lang."""
    return supported_language(os.environ.get("HEALTHGEO_LANG") or "en")
