"""The references section: a "References" / "Sources" / "Quellen"... heading followed by sources, or a
container whose id or class says so, anywhere in the body except the navigation and footer furniture."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scoring.facts.sourcing.citations import is_share, work_ids
from scoring.facts.sourcing.patterns import lang_words
from scoring.facts.sourcing.sites import site_of
from scoring.page.index import clean_text, element_text, text_of
from scoring.page.main import is_furniture
from scoring.page.model import Page
from scoring.phrases import PhraseSet, phrase_pattern

_REF_HEADINGS = PhraseSet(lang_words("reference_headings"))
_REF_WORD = "(?:" + phrase_pattern(lang_words("reference_headings")) + ")"
_REF_HEADING = re.compile(
    r"^(?:[\dIVX]{1,4}[.)]?\s+)?"
    r"(?:(?:key|other|selected|additional|article|our|study|scientific|show|view|all|more|cited|research|"
    r"principales?|autres|nos|weitere|verwendete)\s+){0,2}"
    + _REF_WORD
    + r"(?:\s*(?:&|and|et|und|/|,)\s*(?:" + _REF_WORD + r"|resources|ressources|notes|links|liens|weblinks))?"
    r"\s*(?:\(\d+\))?\s*[:.]?$",
    re.I,
)


def _ref_heading(text: str) -> bool:
    if not text or len(text) > 70:
        return False
    return _REF_HEADINGS.possible(text) and _REF_HEADING.match(text.rstrip(" :.")) is not None


_REF_CLASSES = PhraseSet(lang_words("reference_classes"))
_REF_CLASS = re.compile(r"(?:^|[\s_-])(?:" + phrase_pattern(lang_words("reference_classes")) + r")(?:$|[\s_-])", re.I)
BLOCK_TAGS = ("p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre", "div",
               "h1", "h2", "h3", "h4", "h5", "h6")
_REF_HINT_TAGS = ("div", "section", "ol", "ul", "aside", "footer", "dl", "details", "article")
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SECTION_STOP_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_YEARISH = re.compile(r"\b(?:19|20)\d{2}\b|\bet al\b|\bdoi\b|\bPMID\b|https?://", re.I)


def _is_inside(el, ancestors: set) -> bool:
    node = el
    while node is not None:
        if node in ancestors:
            return True
        node = node.getparent()
    return False


def _furniture_context(el, main_chain: dict) -> bool:
    """True when el sits in navigation, a site footer or sidebar-like furniture.

    Only the ancestors below the first one that also holds the main content count: broken
    markup can put a whole page inside a menu button, and that must not hide the references.
    ``main_chain`` maps the main element and its ancestors to True for main itself.
    """
    chain = []
    node = el.getparent()
    while node is not None and node not in main_chain:
        chain.append(node)
        node = node.getparent()
    inside_main = node is not None and main_chain[node]
    in_article = inside_main
    for anc in reversed(chain):  # outermost first
        tag = anc.tag
        if tag in ("article", "main") or anc.get("role") in ("main", "article"):
            in_article = True
            continue
        if tag == "nav" or anc.get("role") == "navigation":
            return True
        if tag == "footer":
            if not in_article:
                return True
            continue
        if tag in ("header", "aside") or anc.get("aria-hidden") == "true" or anc.get("hidden") is not None:
            continue
        if is_furniture(anc):
            return True
    return False


def _main_chain(page: Page) -> dict:
    chain = {page.main: True}
    node = page.main.getparent()
    while node is not None:
        chain[node] = False
        node = node.getparent()
    return chain


def _following_section(heading, level: int, body) -> list:
    """Elements after a heading that belong to its section (climbing out of wrappers when needed)."""
    node = heading
    for _ in range(4):
        siblings = []
        had_list = False
        sib = node.getnext()
        while sib is not None and len(siblings) < 60:
            tag = sib.tag
            if isinstance(tag, str):
                if tag in _HEADING_LEVEL and _HEADING_LEVEL[tag] <= level:
                    return siblings
                if level >= 7 and _bold_title(sib):
                    return siblings
                stop = False
                for h in sib.iter(*_SECTION_STOP_TAGS):
                    if _HEADING_LEVEL[h.tag] <= level:
                        stop = True
                        break
                if stop:
                    if not siblings and _has_items(sib):
                        # heading and list share a wrapper with a later heading: take the part before it
                        siblings.append(sib)
                    return siblings
                if had_list and tag in ("p", "div") and next(sib.iter("a"), None) is None \
                        and not _YEARISH.search(text_of(sib)):
                    return siblings  # a disclaimer or note after the list of sources
                if tag in ("ol", "ul", "dl"):
                    had_list = True
                siblings.append(sib)
            sib = sib.getnext()
        if any(clean_text(text_of(s)) for s in siblings):
            return siblings
        parent = node.getparent()
        if parent is None or parent is body or parent.tag in ("body", "html"):
            break
        node = parent
    return []


def _has_items(el) -> bool:
    for _ in el.iter("li", "p"):
        return True
    return False


def _bold_title(el) -> bool:
    if el.tag not in ("p", "div"):
        return False
    for child in el:
        if child.tag in ("strong", "b") and _ref_heading(clean_text(text_of(child))):
            return True
    return False


class Section:
    __slots__ = ("heading", "roots")

    def __init__(self, heading: str | None, roots: list) -> None:
        self.heading = heading
        self.roots = roots


def _section_heading(root) -> str | None:
    for h in root.iter("h2", "h3", "h4", "h5", "h6", "strong", "b", "caption", "legend", "summary"):
        text = element_text(h)
        if text and len(text) < 80 and (h.tag in _HEADING_LEVEL or _ref_heading(text)):
            return text
        break
    prev = root.getprevious()
    if prev is not None and prev.tag in _HEADING_LEVEL:
        text = clean_text(text_of(prev))
        if text and len(text) < 80:
            return text
    for el in root.iter("div", "span", "p"):
        cls = el.get("class") or ""
        if "heading" in cls or "title" in cls:
            text = clean_text(text_of(el))
            if text and len(text) < 60:
                return text
    return None


def find_reference_sections(page: Page) -> list[Section]:
    root = page.root
    body = root.find("body")
    if body is None:
        body = root
    main_chain = _main_chain(page)
    sections: list[Section] = []
    # 1. containers whose id/class says references / sources / footnotes
    containers = []
    for el in body.iter(_REF_HINT_TAGS):
        hint = el.get("class")
        if hint and not _REF_CLASSES.possible(hint):
            hint = None
        ident = el.get("id")
        if ident and _REF_CLASSES.possible(ident):
            hint = f"{ident} {hint or ''}"
        if not hint:
            continue
        if _REF_CLASS.search(hint) and "btn" not in hint and "button" not in hint:
            containers.append(el)
    if containers:
        chosen = set()
        for el in containers:  # document order: outer before inner
            if _is_inside(el.getparent(), chosen):
                continue
            if _furniture_context(el, main_chain):
                continue
            chosen.add(el)
            sections.append(Section(_section_heading(el), [el]))
    covered = {s.roots[0] for s in sections}
    # 2. headings and bold title paragraphs
    for h in body.iter("h2", "h3", "h4", "h5", "h6"):
        text = text_of(h)
        if len(text) > 70:
            text = element_text(h)  # <style> inside headings happens (CSS-in-JS)
        else:
            text = clean_text(text)
        if not _ref_heading(text):
            continue
        if covered and _is_inside(h, covered):
            continue
        if _furniture_context(h, main_chain):
            continue
        roots = _following_section(h, _HEADING_LEVEL[h.tag], body)
        if roots:
            sections.append(Section(text.rstrip(" :."), roots))
    for b in body.iter("strong", "b"):
        text = text_of(b)
        if len(text) > 60:
            continue
        text = clean_text(text)
        para = b.getparent()
        if para is None or para.tag not in ("p", "div"):
            continue
        if not _ref_heading(text):
            continue
        if covered and _is_inside(para, covered):
            continue
        if _furniture_context(para, main_chain):
            continue
        para_text = clean_text(text_of(para))
        if len(para_text) > len(text) + 10:
            roots = [para]  # "Sources: CDC, WHO..." in the same paragraph
        else:
            roots = _following_section(para, 7, body)
        if roots:
            sections.append(Section(text.rstrip(" :."), roots))
    if len(sections) < 2:
        return sections
    # keep the outermost of nested sections (a heading's section often wraps the list that
    # the class hint found), borrowing the inner one's heading when the outer has none
    # per section, per root: the root and its ancestors
    chains = []
    for sec in sections:
        per_root = []
        for r in sec.roots:
            chain = set()
            node = r
            while node is not None:
                chain.add(node)
                node = node.getparent()
            per_root.append(chain)
        chains.append(per_root)
    kept: list[Section] = []
    for i, sec in enumerate(sections):
        outer = None
        for j, other in enumerate(sections):
            if i == j:
                continue
            others = set(other.roots)
            # inside: every root of this section is, or sits in, a root of the other one
            if not all(chain & others for chain in chains[i]):
                continue
            if j > i and others == set(sec.roots):
                continue  # the same section found twice: keep the first
            outer = other
            break
        if outer is None:
            kept.append(sec)
        elif outer.heading is None and sec.heading:
            outer.heading = sec.heading
    return kept


def section_stats(section: Section, page_site: str | None) -> tuple[int, bool]:
    """(entry count, looks like sources)."""
    items = 0
    paras = 0
    evidence = False
    for r in section.roots:
        for el in r.iter("li", "p", "a", "cite"):
            tag = el.tag
            if tag == "li":
                items += 1
            elif tag == "p":
                paras += 1
            elif tag == "a" and not evidence:
                href = el.get("href") or ""
                if href.startswith(("http://", "https://", "//")):
                    try:
                        host = urlsplit(href if not href.startswith("//") else "http:" + href).hostname or ""
                    except ValueError:
                        continue
                    site = site_of(host)
                    if (not page_site or site != page_site or work_ids(href)) and not is_share(href):
                        evidence = True
            elif tag == "cite":
                evidence = True
    if not evidence:
        text = " ".join(text_of(r) for r in section.roots)
        evidence = bool(_YEARISH.search(text)) and bool(text.strip())
    count = items or paras or len(section.roots)
    return count, evidence
