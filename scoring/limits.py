"""Caps on what one pathological page may cost, and the findings that say when one bit.

Every audit must cost at most linear time and bounded memory, whatever the page's shape. Where an algorithm
cannot be made linear, or the shape is absurd for an article, the engine reads the first N items and records
a finding: the report's `limits` list says what was cut ("the page has 200,000 links; the first 20,000 were
read"), in English and French (`data/limits.json`). A cap never raises and is never silent.

Each value sits far above what real pages hold (figures: the 58 corpus pages and extruct's samples, largest
seen in brackets), so a cap only bites on pages built to hurt, or broken.
"""

from __future__ import annotations

from typing import Any

# Attributes on one element (24). libxml2 checks each new attribute against all the previous ones of its
# element: 100,000 attributes took over 90 s to parse. The excess is cut before the parse.
MAX_ATTRIBUTES = 256
# Element nesting depth: libxml2's own limit (it stops parsing there); reported, not chosen by us.
MAX_ELEMENT_DEPTH = 256
# Elements read, in document order (4,523; the longest encyclopaedia articles reach 30,000 to 60,000). Every step
# walks elements (main content, bylines, references, dates; 10 to 30 us each): the tree is cut after this many.
MAX_ELEMENTS = 60000
# JSON-LD blocks on a page (14). Each block is parsed, repaired and merged on its own.
MAX_JSONLD_BLOCKS = 100
# Nesting depth of objects and arrays inside one JSON-LD block (9). Deeper values are dropped, so no walk of
# the graph recurses further (Python's recursion limit is 1,000 frames).
MAX_JSONLD_DEPTH = 32
# schema.org nodes in the merged graph, all syntaxes (90). References make paths as long as the node count,
# and the graph's walkers recurse along paths; the fix and validation read every node.
MAX_GRAPH_NODES = 300
# Values of one property of one node (a few dozen: FAQ answers, citations). 200 nodes each linking to 200 others
# made the merge and the fix walk 40,000 links.
MAX_PROPERTY_VALUES = 500
# Links read (1,627).
MAX_LINKS = 20000
# hreflang alternates kept (41): one per language version; the largest international sites list a few hundred.
# Each is kept in the report's facts and judged pairwise across a site batch.
MAX_HREFLANG = 500
# Visible text nodes of the body read (1,758): bylines, dates, disclosures and the body text come from them, and
# each costs a Python object (6 us): 180,000 of them took a second before anything read them.
MAX_TEXT_NODES = 20000
# Text blocks of the main content read (218): paragraphs, list items, headings, cells. Every text check reads
# each block (sentences, words, statistics, citations): about 0.1 ms a block, so 5,000 blocks cost 0.5 s.
MAX_BLOCKS = 5000


class Limits:
    """The caps that bit on one page, in the order met; one finding per cap."""

    __slots__ = ("_found",)

    def __init__(self) -> None:
        self._found: dict[str, dict[str, Any]] = {}

    def hit(self, code: str, count: int, limit: int) -> None:
        """Record that the page holds `count` items where `limit` were read (the largest count is kept)."""
        found = self._found.get(code)
        if found is None or count > found["count"]:
            self._found[code] = {"code": code, "count": count, "limit": limit}

    def __bool__(self) -> bool:
        return bool(self._found)

    def __contains__(self, code: str) -> bool:
        return code in self._found

    def merge(self, other: Limits) -> None:
        for item in other._found.values():
            self.hit(item["code"], item["count"], item["limit"])

    def findings(self) -> list[dict[str, Any]]:
        """JSON-ready findings: code, count and limit (scoring.i18n.localize_limits adds the message)."""
        return [dict(item) for item in self._found.values()]
