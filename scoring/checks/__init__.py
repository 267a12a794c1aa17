"""Importing this package registers every check, category by category."""

from . import access, authorship, compliance, markup, sourcing, structure, trust  # noqa: F401
