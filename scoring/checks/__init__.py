"""Importing this package registers every check, category by category."""

from . import (  # noqa: F401  (registers every check)
    access,
    access_render,
    authorship,
    compliance,
    hygiene,
    markup,
    rich_results,
    sourcing,
    structure,
    trust,
)
