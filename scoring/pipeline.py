"""Gather once: parse the page, read its structured data, find the page's node and its facts.

Both the audit (checks, then the fix) and `healthgeo fix` (the fix alone) start from the one context built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.facts.gather import build_facts
from scoring.markup.graph import StructuredData
from scoring.markup.page_node import find_page_node
from scoring.markup.structured import extract_structured
from scoring.page.model import Page


@dataclass
class AuditContext:
    """What a check reads: the parsed page, its graph and its facts."""

    page: Page
    data: StructuredData
    facts: dict[str, Any]
    page_node: dict | None

    @property
    def is_health(self) -> bool:
        return bool(self.facts["topic"]["is_health"])


def gather(page: Page, *, fetch: dict | None = None, access: dict | None = None) -> AuditContext:
    """Page -> structured data -> page node -> facts: the context every check and the fix read."""
    data = extract_structured(page.root, page.url)
    page_node = find_page_node(data)
    facts = build_facts(page, data, page_node, fetch=fetch, access=access)
    return AuditContext(page, data, facts, page_node)
