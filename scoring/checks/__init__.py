"""Importing this package registers every check, category by category."""

from . import access, access_render, authorship, markup, sourcing, structure, trust  # noqa: F401
