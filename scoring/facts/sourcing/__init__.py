"""Sourcing: citations, references section, statistics and quotations, and the registry of sources."""
