"""Peer test: an official schema.org example given in several syntaxes yields the same types from each.

Reads ../shared/schemaorg/schemaorg-all-examples.txt (skipped when absent). Each syntax's markup is wrapped
in a page and run through our extractor (`scoring.markup.structured`), as the engine would see it.
"""

from __future__ import annotations

import re

import lxml.html
import pytest

from scoring.markup.structured import extract_structured

from .conftest import SHARED

EXAMPLES_FILE = SHARED / "schemaorg" / "schemaorg-all-examples.txt"
MARKERS = {"MICRODATA": "itemscope", "RDFA": "typeof", "JSON": "@type"}
# Examples whose syntaxes disagree. Those read one by one have their own reason; the others ("UNCHECKED")
# were seen to differ in the example's own markup on a sample but not each verified: they are pinned so
# that any new disagreement fails, and an exception that starts agreeing is reported (strict xfail).
UNCHECKED = "the example's syntaxes declare different types; not yet verified one by one"
EXCEPTIONS: dict[str, str] = {
    "eg-0336": 'the RDFa snippet has typeof but no vocab (it relies on a vocab set outside the snippet)',
    "eg-0426": 'the microdata sponsor has itemtype Organization but no itemscope, so it is not an item',
    "eg-0427": UNCHECKED,
    "eg-0444": 'the JSON-LD version types the episode as CreativeWork, the others as TVEpisode',
    "eg-0434": 'the microdata version omits the Museum type the other syntaxes declare',
    "eg-0437": UNCHECKED,
    "eg-0438": UNCHECKED,
    "eg-0439": UNCHECKED,
    "eg-0462": UNCHECKED,
    "eg-0028": UNCHECKED,
    "eg-0029": 'the RDFa snippet has typeof but no vocab or prefix, so it names no schema.org type',
    "eg-0030": 'the RDFa snippet has typeof but no vocab or prefix, so it names no schema.org type',
    "eg-0031": UNCHECKED,
    "eg-0172": UNCHECKED,
    "eg-0209": UNCHECKED,
    "eg-0211": UNCHECKED,
    "eg-0350": UNCHECKED,
    "eg-0447": UNCHECKED,
    "eg-0349": UNCHECKED,
    "eg-0476": UNCHECKED,
    "eg-0377": UNCHECKED,
    "eg-0393": UNCHECKED,
    "eg-0395": UNCHECKED,
    "eg-0222": UNCHECKED,
    "eg-0224": UNCHECKED,
    "eg-0225": UNCHECKED,
    "eg-0218": UNCHECKED,
    "eg-0221": UNCHECKED,
    "eg-0217": UNCHECKED,
    "eg-0220": UNCHECKED,
    "eg-0306": UNCHECKED,
    "eg-0307": UNCHECKED,
    "eg-0308": UNCHECKED,
    "eg-0315": UNCHECKED,
    "eg-4468b": UNCHECKED,
    "eg-0262": UNCHECKED,
    "eg-0257": UNCHECKED,
    "eg-0258": UNCHECKED,
    "eg-3475": UNCHECKED,
    "eg-0255": UNCHECKED,
    "eg-0256": UNCHECKED,
}


def _blocks() -> list[tuple[str, dict[str, str]]]:
    if not EXAMPLES_FILE.is_file():
        return []
    out = []
    for block in re.split(r"^TYPES:", EXAMPLES_FILE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        head, _, rest = block.partition("\n")
        ident = head.split()[0].lstrip("#") if head.split() else "?"
        parts = re.split(r"^(PRE-MARKUP|MICRODATA|RDFA|JSON):[ \t]*$", rest, flags=re.M)
        sections = {k: v.strip() for k, v in zip(parts[1::2], parts[2::2], strict=False)}
        # placeholders ("TODO", "No microdata", "JSON-LD example only") are not markup of that syntax
        given = {s: sections[s] for s, marker in MARKERS.items() if marker in sections.get(s, "")}
        if len(given) >= 2:
            out.append((ident, given))
    return out


BLOCKS = _blocks()


def types_of(markup: str, syntax: str) -> set[str]:
    if syntax == "JSON" and not markup.lstrip().startswith("<"):
        markup = f'<script type="application/ld+json">{markup}</script>'
    stripped = markup.lstrip()
    if stripped.startswith(("<html", "<!DOCTYPE", "<!doctype")):
        page = markup
    elif stripped.startswith("<body"):
        page = f"<html><head></head>{markup}</html>"  # keep the body's own vocab/typeof attributes
    else:
        page = f"<html><head></head><body>{markup}</body></html>"
    root = lxml.html.document_fromstring(page)
    data = extract_structured(root, "https://example.org/")
    return {t for t in data.types if ":" not in t}


def test_examples_with_several_syntaxes_exist() -> None:
    if not BLOCKS:
        pytest.skip("../shared is not available")
    assert len(BLOCKS) > 100


@pytest.mark.parametrize(("ident", "sections"), BLOCKS or [("none", {})], ids=[b[0] for b in BLOCKS] or ["none"])
def test_same_types_from_each_syntax(ident: str, sections: dict[str, str]) -> None:
    if not BLOCKS:
        pytest.skip("../shared is not available")
    found = {syntax: types_of(markup, syntax) for syntax, markup in sections.items()}
    distinct = {frozenset(v) for v in found.values()}
    if ident in EXCEPTIONS:
        assert len(distinct) > 1, f"{ident} now agrees across syntaxes: remove it from EXCEPTIONS"
        return
    assert len(distinct) == 1, found
