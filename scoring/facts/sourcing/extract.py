"""Sourcing signals of a page: cited sources, a references section, statistics and quotations.

The GEO study (Aggarwal et al., KDD 2024) measured the largest gains in generative-answer
visibility for adding quotations (+41%), statistics (+31%) and cited sources (+28%); the JAMA
benchmark and DISCERN ask for references. This module reads those signals from a parsed
:class:`~scoring.page.model.Page` without re-parsing it:

* ``citations``: outbound links of the main content and of the references section (plus DOIs
  and PMIDs written as plain text there), de-duplicated and classified with
  :func:`scoring.facts.sourcing.sources.classify_url`;
* ``references_section`` / ``references``: a "References" / "Sources" / "Références" /
  "Quellen"... heading followed by sources, or a container whose id/class says so
  (``ref-list``, ``references``, ``article-sources``...), anywhere in the body except the
  navigation and footer furniture;
* ``statistics``: sentences of the main content carrying figures (rates, "1 in 5", "x times
  more", "per 100,000", millions, ratios), each with whether its block cites a source;
* ``quotations``: ``<blockquote>``/``<q>`` and quoted passages of 6+ words in prose, with the
  speaker when one is named nearby;
* ``weak_sources``: shop or social-media links presented as evidence.

Patterns cover English, French, German and Spanish whatever ``lang`` says (phrase lists in
``scoring/lang/<code>/sourcing.json``, each compiled with the pre-test that guards it): pages mix languages and the
declared language is often wrong. The page is walked once (its blocks); beyond them, only the
containers, headings and bold labels that may open a reference section are read.
"""

from __future__ import annotations

import re

from scoring.facts.readability import split_sentences
from scoring.facts.sourcing.citations import (
    EXPONENT_BEFORE,
    FILE_EXTS,
    GENERIC_TEXT,
    MARKER_CLASS,
    MARKER_FRAGMENT,
    MARKER_TEXT,
    UNSEEN,
    Citations,
    clean_url,
    is_share,
    is_specific_link,
    own_ids,
    own_site_guess,
    redirect_target,
    text_identifiers,
    work_ids,
)
from scoring.facts.sourcing.quotations import (
    MAX_QUOTATIONS,
    NORM_TEXT,
    QUOTE_CHARS,
    WORD_RE,
    add_quote,
    attribution,
    blockquote,
    prose_quotes,
    resolve_speaker,
)
from scoring.facts.sourcing.references import BLOCK_TAGS, Section, find_reference_sections, section_stats
from scoring.facts.sourcing.sites import site_of
from scoring.facts.sourcing.sources import classify_url
from scoring.facts.sourcing.statistics import MAX_STATISTICS, PROSE_TAGS, STAT_SKIP_TAGS, cites_in_text, statistic
from scoring.page.index import clean_text, element_text, text_of
from scoring.page.main import HEADING_TAGS
from scoring.page.model import Page

__all__ = ["extract_sourcing"]

WEAK_KINDS = frozenset({"commercial", "social"})
# Words of a claim: a shop or social link beside one is presented as evidence.
_CLAIM = re.compile(
    r"\b(?:stud(?:y|ies)|research|evidence|trials?|showed|shown|found|finds|suggests?|proves?|proven|"
    r"according|linked|associated|reduces?|reduced|increases?|increased|lowers?|raises?|causes?|prevents?|cures?|"
    r"helps?|improves?|risks?|effective|benefits?|boosts?|protects?|fights?|treats?|heals?|safe|percent|"
    r"étude|selon|montre|prouvé|réduit|augmente|risque|efficace|bienfaits?|protège|soigne|guérit|"
    r"Studie|zeigt|laut|Risiko|wirksam|senkt|erhöht)\b|%", re.I)


# --------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------


def _block_sentence(text: str, needle: str) -> str:
    if not needle:
        return text[:300]
    for sentence in split_sentences(text):
        if needle in sentence:
            return sentence[:300]
    return text[:300]


def extract_sourcing(page: Page, lang: str | None = None) -> dict:
    """Citations, references section, statistics and quotations of a parsed page.

    Returns a dict:

    * ``citations``: ``[{url, text, kind, authoritative, in_references, source_name}]``, at most
      :data:`MAX_CITATIONS`, in document order (main content first, then references outside it);
      ``citations_total`` counts them all;
    * ``references_section`` (bool) and ``references``: ``{heading, count, sections}`` or None;
    * ``statistics``: ``[{text, has_citation, figure}]`` (one per sentence), with
      ``statistics_total`` and ``statistics_cited``;
    * ``quotations``: ``[{text, attributed, speaker}]``; ``speaker`` may be None when only a
      pronoun names it and no speaker was named just before;
    * ``weak_sources``: ``[{url, text, kind, source_name, in_references, context}]``.

    ``lang`` is accepted for the caller's convenience; the patterns cover English, French, German
    and Spanish whatever it says.
    """
    url_page = page.url
    page_host = page.host
    page_site = site_of(page_host) if page_host else own_site_guess(page)
    link_by_el = {link.element: link for link in page.links}

    valid_sections: list[tuple[Section, int]] = []
    for s in find_reference_sections(page):
        count, ok = section_stats(s, page_site)
        if ok:
            valid_sections.append((s, count))
    ref_roots = [r for s, _ in valid_sections for r in s.roots]

    cites = Citations(own_ids(page))
    blocks = page.blocks
    block_index = {b.element: b.index for b in blocks}
    ref_blocks = set()
    for root in ref_roots:
        for d in root.iter(BLOCK_TAGS):
            if d in block_index:
                ref_blocks.add(d)

    item_cache: dict = {}
    item_entries: dict = {}

    def ref_item(a):
        """The reference entry (list item, paragraph...) holding a link."""
        node = a.getparent()
        found = None
        for _ in range(4):
            if node is None:
                break
            tag = node.tag
            if tag == "li":
                return node
            if found is None and tag in ("p", "dd", "cite", "tr"):
                found = node
            node = node.getparent()
        return found

    def item_text(item) -> str | None:
        if item is None:
            return None
        text = item_cache.get(item)
        if text is None:
            text = item_cache[item] = clean_text(text_of(item))[:200]
        return text

    # per URL, what consider() derives from it: a third of the links repeat a URL
    # (reference lists inside the main content are walked twice)
    url_parts: dict[str, tuple[str, str, str, str, str] | None] = {}
    url_ids: dict[str, tuple[str, ...] | None] = {}  # None: a share link or a file

    def consider(a, in_refs: bool, prose_text: str | None) -> bool:
        """Record a link as a citation when it is one; True when it is outbound."""
        link = link_by_el.get(a)
        if link is None:
            return False
        url = link.url
        parts = url_parts.get(url, UNSEEN)
        if parts is UNSEEN:
            cleaned = clean_url(url)
            parts = None if cleaned is None else (*cleaned, site_of(cleaned[2]))
            if parts is not None and parts[4] == page_site:
                # the site's own click counter or redirect (/click?url=https://other.org/...): a reader who
                # follows it reaches the other site, which is what the page cites
                target = redirect_target(cleaned[0])
                cleaned = clean_url(target) if target else None
                if cleaned is not None and site_of(cleaned[2]) != page_site:
                    parts = (*cleaned, site_of(cleaned[2]))
            url_parts[url] = parts
        if parts is None:
            return False
        clean, key, host, path, site = parts
        if page_site is not None:
            outbound = site != page_site
        else:
            outbound = (a.get("href") or "").lstrip().lower().startswith(("http://", "https://", "//"))
        ids = url_ids.get(url, UNSEEN)
        if ids is UNSEEN:
            ids = url_ids[url] = (None if is_share(clean) or path.endswith(FILE_EXTS)
                                  else work_ids(clean))
        if ids is None or (ids and cites.own and cites.is_own(ids)):
            return False
        if not outbound and not ids:
            return False
        # a link naming another work (DOI, PMID, PMCID) is a citation even on the page's own site
        outbound = True
        text = link.text
        item = None
        if in_refs:
            item = ref_item(a)
            if ids and item is not None:
                # one reference entry with DOI + PubMed + PMC links is one citation
                entry = item_entries.get(item)
                if entry is not None:
                    cites.alias(entry, key, ids)
                    return outbound
            if not text or GENERIC_TEXT.match(text):
                text = item_text(item) or text
        prose = None
        if prose_text is not None and text and len(text) < 0.8 * len(prose_text):
            prose = (prose_text, text)
        entry = cites.add(clean, key, text[:300], in_refs, prose, ids)
        if ids and item is not None and entry is not None:
            item_entries[item] = entry
        return outbound

    statistics: list[dict] = []
    stats_seen: set[str] = set()
    stats_total = stats_cited = 0
    quotes: list[dict] = []
    quote_keys: list[str] = []
    speaker_state: dict = {"name": None, "at": -99}

    # blockquotes: collect their blocks so prose scanning does not repeat them
    bq_blocks: set = set()
    blockquotes = []
    for bq in page.main.iter("blockquote"):
        inside = [block_index[d] for d in bq.iter() if d in block_index]
        if not inside:
            continue
        bq_blocks.update(blocks[i].element for i in inside)
        blockquotes.append((bq, min(inside), max(inside)))

    for block in blocks:
        el = block.element
        in_refs = el in ref_blocks
        tag = block.tag
        text = block.text
        is_heading = tag in HEADING_TAGS
        prose_text = text if (tag in PROSE_TAGS and not is_heading and len(text) > 40) else None
        outbound = False
        marker = False
        for node in el.iter("a", "sup", "span"):
            ntag = node.tag
            if ntag == "span":
                if not marker and (node.get("data-cite") is not None or node.get("data-footnote") is not None
                                   or MARKER_CLASS.search(node.get("class") or "")):
                    marker = True
                continue
            if ntag == "a":
                href = node.get("href") or ""
                if "#" in href:
                    frag = href.split("#", 1)[1]
                    if href.startswith("#") or (url_page and href.split("#", 1)[0] in url_page):
                        if MARKER_FRAGMENT.match(frag) or MARKER_TEXT.match(text_of(node).strip()):
                            marker = True
                        continue
                if consider(node, in_refs, prose_text):
                    outbound = True
            elif not marker:
                st = text_of(node).strip()
                if st and MARKER_TEXT.match(st):
                    prev = node.getprevious()
                    before = (prev.tail if prev is not None else node.getparent().text) or ""
                    if not EXPONENT_BEFORE.search(before):
                        marker = True
        if in_refs or is_heading:
            continue
        # plain-text DOIs / PMIDs in the content
        if "10." in text or "PMID" in text:
            text_identifiers(text, cites, False)
        if tag in STAT_SKIP_TAGS:
            continue
        # statistics (table cells only when they hold a sentence)
        if (tag != "td" and tag != "th" or len(text.split()) >= 6) and statistic(text):
            cited = None
            for sentence in split_sentences(text):
                figure = statistic(sentence)
                if figure is None:
                    continue
                key = NORM_TEXT.sub(" ", sentence.lower()).strip()
                if key in stats_seen:
                    continue
                stats_seen.add(key)
                if cited is None:
                    cited = outbound or marker or cites_in_text(text)
                stats_total += 1
                stats_cited += cited
                if len(statistics) < MAX_STATISTICS:
                    statistics.append({"text": sentence[:400], "has_citation": cited, "figure": figure})
        # quotations in prose
        if el not in bq_blocks and ("“" in text or "«" in text or "„" in text or '"' in text):
            prev_text = blocks[block.index - 1].text if block.index > 0 else ""
            for q in prose_quotes(text, prev_text):
                add_quote(quotes, quote_keys, resolve_speaker(q, speaker_state, block.index))

    # references outside the main blocks
    for root in ref_roots:
        for a in root.iter("a"):
            href = a.get("href") or ""
            if href.startswith("#"):
                continue
            consider(a, True, None)
        text_identifiers(" ".join(root.itertext()), cites, True)

    # blockquotes and <q>
    for bq, first, last in blockquotes:
        q = blockquote(bq, blocks, first, last)
        if q is not None:
            add_quote(quotes, quote_keys, q)
    for qel in page.main.iter("q"):
        node = qel.getparent()
        depth = 0
        while node is not None and depth < 8 and node not in block_index:
            node = node.getparent()
            depth += 1
        if node is None or node not in block_index or node in ref_blocks:
            continue
        text = element_text(qel).strip(QUOTE_CHARS)
        if len(WORD_RE.findall(text)) <= 5:
            continue
        full = element_text(node)
        idx = full.find(text)
        before = full[:idx] if idx >= 0 else ""
        after = full[idx + len(text):] if idx >= 0 else ""
        attributed, speaker = attribution(before, after.lstrip("\"”»“"))
        add_quote(quotes, quote_keys, {"text": text[:600], "attributed": attributed, "speaker": speaker})

    # classify
    citations = []
    weak = []
    for entry in cites.entries:
        sc = classify_url(entry["url"])
        text = entry["text"]
        citation = {"url": entry["url"], "text": text, "kind": sc.kind, "authoritative": sc.authoritative,
                    "in_references": entry["in_references"], "source_name": sc.name or sc.domain}
        citations.append(citation)
        if sc.kind in WEAK_KINDS and (entry["in_references"] or entry["_prose"]) \
                and is_specific_link(entry["url"], sc.kind):
            context = _block_sentence(*entry["_prose"]) if entry["_prose"] else None
            if entry["in_references"] or _CLAIM.search(context):
                weak.append({"url": entry["url"], "text": text, "kind": sc.kind,
                             "source_name": citation["source_name"], "in_references": entry["in_references"],
                             "context": context})

    references = None
    if valid_sections:
        heading = next((s.heading for s, _ in valid_sections if s.heading), None)
        references = {"heading": heading, "count": sum(c for _, c in valid_sections),
                      "sections": len(valid_sections)}

    quotes = quotes[:MAX_QUOTATIONS]
    return {
        "citations": citations,
        "citations_total": cites.total,
        "references_section": bool(valid_sections),
        "references": references,
        "statistics": statistics,
        "statistics_total": stats_total,
        "statistics_cited": stats_cited,
        "quotations": quotes,
        "weak_sources": weak,
    }


