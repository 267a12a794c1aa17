"""Importing this package registers every check, category by category."""

from . import access, access_render, authorship, hygiene, markup, rich_results, sourcing, structure, trust  # noqa: F401
