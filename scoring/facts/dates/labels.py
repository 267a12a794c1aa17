"""Date labels in the visible text (Published, Mis à jour, Geprüft von, Revisado por...) and which parts of a
page hold other people's dates (comments, reviews, furniture)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from scoring import langdata
from scoring.facts.dates.text import (
    DATE_START,
    LABEL_LANGS,
    alternation,
)
from scoring.page.index import clean_text
from scoring.page.main import is_furniture
from scoring.phrases import PhraseSet, index_needles

DAY_FIRST_LANGS = frozenset({"fr", "de", "es"})
# label kinds in the order they are tried: "Next review due" is never a review date, "Reviewed by <name> on"
# before "Reviewed", and a generic "Date:" last
_LABEL_ORDER = ("next_review", "reviewed_by", "reviewed", "updated", "published_by", "published", "generic")
_KIND_OF = {"reviewed_by": "reviewed", "published_by": "published", "generic": "published"}
_NAME = r"\s+[^\n|•·]{2,80}?\s+"  # a reviewer's name between "reviewed by" and "on"


def _label_pattern() -> tuple[re.Pattern, list[tuple[str, str]], PhraseSet]:
    """One regex with a named group per (kind, language), and the phrase set whose generated pre-test guards it."""
    # "Updated by Jane Roe", "Published in The Lancet", "Originally published at example.com": who or where,
    # not when ("Published in 2019" and "Published at 10:30" still read)
    source = alternation(langdata.words("dates", "source_after_label", LABEL_LANGS))
    not_source = rf"(?![^\W_])(?!\s+(?:{source})(?:\s+[^\W\d_]|\s*$))"
    groups, kinds, everything = [], [], []
    for kind in _LABEL_ORDER:
        for lang in LABEL_LANGS:
            phrases = langdata.load("dates", lang).get(kind)
            if not phrases:
                continue
            everything.extend(phrases)
            body = PhraseSet(phrases).alternation
            if kind in ("reviewed_by", "published_by"):
                connectors = alternation(langdata.load("dates", lang).get("name_date_connectors", ()))
                # the connector before a date: "le" of "Relu par le Pr Hervé Le Guennec, le 4 février" is the last
                body = rf"(?:{body}){_NAME}(?:{connectors})(?=\s+{DATE_START})"
            elif kind == "generic":  # "Date:" or "Datum" alone: a bare "date" in a sentence is no label
                body = rf"(?:{body})(?=\s*[:：]|\s*$)"
            else:
                body = rf"(?:{body}){not_source}"
            groups.append(rf"(?P<g{len(kinds)}>(?<![^\W_]){body})")
            kinds.append((_KIND_OF.get(kind, kind), lang))
    return re.compile("|".join(groups), re.I), kinds, PhraseSet(everything)


LABEL, LABEL_KINDS, LABEL_PHRASES = _label_pattern()
# the generated pre-test, as lower-case needles for the page's text index; a text holding a character the
# pre-test cannot judge (phrases.fold) is always examined
KEYWORDS = index_needles(LABEL_PHRASES)
SITE_WIDE = re.compile(rf"\b(?:{PhraseSet(langdata.words('dates', 'site_wide', LABEL_LANGS)).alternation})\s*$",
                        re.I)


def find_label(text: str, pos: int = 0) -> re.Match | None:
    """The first date label in `text` from `pos`, searched only when the generated pre-test allows one."""
    return LABEL.search(text, pos) if LABEL_PHRASES.possible(text) else None


_LEAD_SKIP = re.compile(r"\s*(?:(?![(\[])[\W\d_]){0,4}\s*")
_SEPARATOR = re.compile(r"[|•·–—\-/]\s*")
# a separator between the parts of a byline line ("Par Jane Roe | Validé par le Dr John Doe | Mis à jour le …"):
# spaced, so that a hyphenated name or a numeric date is not one
BYLINE_SEPARATOR = re.compile(r"\s[|•·–—]\s*")
LEAD_MAX = 32
_NEXT_LABEL_WINDOW = 40  # "Publié le 30 août 2023 à 14h52, modifié le …"
DATELINE = re.compile(r"\s*(?:[A-Z][A-Z .'-]{1,30},\s+)?")
DATELINE_DASH = re.compile(r"\s*(?:--|—|–|\s-\s)")
MAX_TEXT = 250
# a byline line is short; in longer prose "… in 2019. Published in The Lancet" is not the page's date
_BYLINE_MAX = 160
_SENTENCE_START = re.compile(r"[.!?]\s+(?=[^\W\d_])")

SKIP_SUBTREE = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "select",
                           "textarea", "button", "nav", "aside", "object", "canvas"})

# class and id words of blocks holding other people's dated posts: comments, customer reviews
_OTHERS_BLOCKS = frozenset(langdata.words("dates", "others_blocks", LABEL_LANGS))
_HINT_SPLIT = str.maketrans("-_", "  ")


def others_block(el: etree._Element) -> bool:
    hint = f"{el.get('class') or ''} {el.get('id') or ''}"
    return len(hint) > 1 and not _OTHERS_BLOCKS.isdisjoint(hint.lower().translate(_HINT_SPLIT).split())


def in_furniture(el: etree._Element, main: etree._Element | None) -> bool:
    """True inside navigation, sidebars, hidden blocks, share bars, related lists, comments and reviews…"""
    node = el
    while node is not None and node.tag not in ("body", "html"):
        if node is not main and node.tag not in ("header", "footer", "time") and (is_furniture(node)
                                                                                  or others_block(node)):
            return True
        node = node.getparent()
    return False


def first_label(text: str) -> re.Match | None:
    """The label opening a text node, or opening a sentence or a separated part of a byline-sized one ("By Dr Jane
    Roe, pulmonologist. Published March 3, 2024.", "Par Jane Roe | Validé par le Dr John Doe | Mis à jour le 3 mars
    2024"); the label regex is costly, so it is only tried at these few places."""
    return next(labels_at_starts(text), None)


def labels_at_starts(text: str) -> Iterator[re.Match]:
    """The labels of `first_label`, the first first, then those further on (at most one per starting place)."""
    match = LABEL.match(text, _LEAD_SKIP.match(text).end())
    if match:
        yield match
    for sep in _SEPARATOR.finditer(text, 0, LEAD_MAX):
        match = LABEL.match(text, sep.end())
        if match:
            yield match
    if len(text) <= _BYLINE_MAX:
        for start in _SENTENCE_START.finditer(text):
            match = LABEL.match(text, start.end())
            if match:
                yield match
        for sep in BYLINE_SEPARATOR.finditer(text):
            match = LABEL.match(text, sep.end())
            if match:
                yield match


def next_label(text: str, pos: int) -> re.Match | None:
    """Another label shortly after a labelled date in the same text node."""
    window = text[:pos + _NEXT_LABEL_WINDOW]
    match = LABEL.search(window, pos)
    return LABEL.match(text, match.start()) if match else None


def label_snippet(*parts: str) -> str:
    text = clean_text(" ".join(parts))
    return text if len(text) <= 160 else text[:157] + "…"
