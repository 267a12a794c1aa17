"""Gather once: every fact the checks need, computed from the one Page."""

from __future__ import annotations

import re
from typing import Any

from scoring.facts.audience import audience_facts
from scoring.facts.dates.extract import extract_dates
from scoring.facts.disclosures import extract_disclosures, extract_robots
from scoring.facts.hygiene import extract_hygiene
from scoring.facts.language import detect_language, normalize_lang
from scoring.facts.people.extract import extract_people
from scoring.facts.readability import readability
from scoring.facts.sourcing.extract import extract_sourcing
from scoring.facts.topic import health_signal
from scoring.markup.consistency import compare_markup_with_page
from scoring.markup.graph import StructuredData, export_nodes
from scoring.markup.rich_results import rich_results
from scoring.markup.validate import validate_nodes
from scoring.page.index import element_text, texts_with
from scoring.page.main import HEADING_TAGS
from scoring.page.model import WORD_SAMPLE, Page
from scoring.page.text import MAX_WORDS

SUMMARY_LABEL = re.compile(
    r"(key (?:points|takeaways|facts|messages)|summary|in (?:brief|short|a nutshell)|at a glance|quick facts|"
    r"takeaways?|tl;?dr|bottom line|highlights|the essentials|"
    r"l['’]essentiel|en bref|à retenir|ce qu['’]il faut retenir|points? clés?|résumé|en résumé|synthèse|"
    r"das wichtigste|auf einen blick|zusammenfassung|kurz ?gesagt)",
    re.I,
)
# Lower-case substrings, one of which every SUMMARY_LABEL match holds: they pick the few class names worth the regex.
_SUMMARY_ANCHORS = ("key ", "summary", "in brief", "in short", "in a nutshell", "glance", "quick facts", "takeaway",
                    "tl;dr", "tldr", "bottom line", "highlights", "essentials", "essentiel", "en bref", "retenir",
                    "clé", "résumé", "synthèse", "wichtigste", "blick", "zusammenfassung", "gesagt")

def detect_page_language(page: Page) -> dict:
    """The page's language, declared and checked against the text."""
    declared = normalize_lang(page.html_lang) or normalize_lang(page.meta_first("content-language", "og:locale"))
    words = None
    # detection reads the first MAX_WORDS words of a longer window: the same words, when they are all there
    if page.main_text and (len(page.main_words) > MAX_WORDS or len(page.main_text) <= WORD_SAMPLE):
        words = page.main_words
    detected, confidence = detect_language(page.main_text or page.title, words=words)
    language = declared
    mismatch = False
    if detected and confidence >= 0.5 and declared and detected != declared:
        language, mismatch = detected, True
    elif not declared:
        language = detected
    return {"language": language, "declared": page.html_lang, "detected": detected,
            "confidence": round(confidence, 2), "mismatch": mismatch,
            "source": None if language is None else "declared" if declared and not mismatch else "detected"}


def _structure_facts(page: Page) -> dict:
    tags = [b.tag for b in page.blocks]
    list_items = tags.count("li")
    tables = sum(1 for _ in page.main.iter("table"))
    return {"headings": [{"level": level, "text": text[:160]} for level, text in page.headings],
            "paragraphs": sum(1 for t in tags if t in ("p", "div")),
            "list_items": list_items, "lists": sum(1 for _ in page.main.iter("ul", "ol")),
            "tables": tables, "main_content": page.main_method}


def _summary(page: Page) -> dict | None:
    """A summary or key points near the top: a labelled box or a list before the second heading."""
    for block in page.blocks[:40]:
        if block.tag in HEADING_TAGS or block.tag in ("p", "div", "strong"):
            match = SUMMARY_LABEL.match(block.text)
            if match and len(block.text) < 400:
                return {"label": match.group(0), "text": block.text[:200]}
    boxes = list(page.main.iter("div", "section", "aside"))
    hints = [f"{el.get('class') or ''} {el.get('id') or ''}" for el in boxes]
    spaced = [hint.replace("-", " ").replace("_", " ") for hint in hints]
    for index in texts_with(spaced, _SUMMARY_ANCHORS):
        if SUMMARY_LABEL.search(spaced[index]):
            text = element_text(boxes[index])
            if 40 < len(text) < 3000:
                return {"label": hints[index].strip()[:40], "text": text[:200]}
    return None


def build_facts(page: Page, data: StructuredData, page_node: dict | None, *, fetch: dict | None = None,
                access: dict | None = None) -> dict[str, Any]:
    """Every fact about the page; `page_node` is `find_page_node(data)`, found once by the caller."""
    lang = detect_page_language(page)
    authors, reviewers = extract_people(page, page_node)
    dates = extract_dates(page, page_node)
    sourcing = extract_sourcing(page, lang["language"])
    types = data.types
    description = page.meta_first("description", "og:description", "twitter:description")
    facts: dict[str, Any] = {
        "url": page.url,
        "canonical": page.canonical,
        "language": lang["language"],
        "language_detail": lang,
        "title": page.title,
        "meta_description": description,
        "h1": page.h1,
        "word_count": page.word_count,
        # a form or a listing has little article text: judge the topic from the whole page then
        "topic": (health_signal(page.main_text, lang["language"], types, words=page.main_words)
                  if page.word_count >= 100 else
                  health_signal(f"{page.title} {page.body_text}", lang["language"], types)),
        "authors": authors,
        "reviewers": reviewers,
        "date_published": dates["date_published"],
        "date_modified": dates["date_modified"],
        "last_reviewed": dates["last_reviewed"],
        "dates": dates,
        "citations": sourcing["citations"],
        "references_section": sourcing["references_section"],
        "references": sourcing.get("references"),
        "statistics": sourcing["statistics"],
        "quotations": sourcing["quotations"],
        "weak_sources": sourcing.get("weak_sources", []),
        "structure": _structure_facts(page),
        "summary": _summary(page),
        "structured_data": {
            "types": types,
            "syntaxes": data.syntaxes,
            "page_type": (page_node or {}).get("@type", []),
            "nodes": export_nodes(data.nodes),
            "errors": list(data.errors),
            "warnings": [],
        },
        "rich_results": rich_results(data, page.root),
        "readability": readability([b.text for b in page.text_blocks], lang["language"],
                                   language_source=lang["source"]),
        "disclosures": extract_disclosures(page),
        "robots": extract_robots(page, (fetch or {}).get("x_robots_tag")),
        "hygiene": extract_hygiene(page),
    }
    facts.update(audience_facts(page, data, page_node, facts))
    sd = facts["structured_data"]
    errors, warnings = validate_nodes(data.nodes)
    sd["errors"].extend(errors)
    sd["warnings"].extend(warnings)
    sd["consistency"], sd["consistency_compared"] = compare_markup_with_page(page_node, facts)
    if fetch is not None:
        facts["fetch"] = fetch
    if access is not None:
        facts["access"] = access
    return facts
