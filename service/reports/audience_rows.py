"""Rows of the site report's "audience and compliance by section" table, from ``summary["audience"]``."""

from __future__ import annotations

from typing import Any

from scoring.i18n import texts

KINDS = ("professionals", "public", "both", "unknown")


def audience_rows(audience: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The table's columns and rows, check titles in ``lang``; None for a summary without the split (older
    batches), so the report shows no empty section."""
    if not audience or not audience.get("sections"):
        return None
    titles = texts(lang)
    sections = []
    for section in audience["sections"]:
        findings = [{**f, "title": titles.get(f["id"], {}).get("title") or f["id"]}
                    for f in section.get("compliance") or []]
        sections.append({**section, "findings": findings})
    return {"kinds": KINDS, "sections": sections, "total": audience.get("audience") or {}}
