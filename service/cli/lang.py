"""The command line's language: its default, and the one a command line asks for."""

from __future__ import annotations

import os
from collections.abc import Sequence

from scoring.i18n import supported_language


def default_language() -> str:
    """``HEALTHGEO_LANG`` (en or fr) when set, else English: the default of every --lang."""
    return supported_language(os.environ.get("HEALTHGEO_LANG") or "en")


def requested_language(argv: Sequence[str]) -> str:
    """The language a command line asks for: its ``--lang X`` or ``--lang=X`` (the last one, as argparse keeps),
    else :func:`default_language`; known before parsing, so that the help and argparse's errors speak it too."""
    asked = None
    for position, arg in enumerate(argv):
        if arg == "--":  # what follows is an input, not an option
            break
        if arg == "--lang" and position + 1 < len(argv):
            asked = argv[position + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return supported_language(asked) if asked else default_language()
