"""Trust facts: sponsorship labels, conflicts of interest, medical disclaimer, contact/about/privacy
links, promotion of prescription medicines, and robots directives that keep a page out of AI answers."""

from __future__ import annotations

import re
from functools import cache

from scoring import langdata
from scoring.facts.topic import terms
from scoring.page.index import TextIndex, clean_text
from scoring.page.model import WORD_SAMPLE, Page
from scoring.phrase_windows import Prepared, WindowedPattern, prepared
from scoring.phrases import fold

_SPONSORED_REL = ("sponsored",)


def _phrases(key: str, template: str) -> WindowedPattern:
    """One phrase list of scoring/lang/*/disclosures.json: its pattern (``template`` around the phrases, adding
    nothing but look-arounds) searched in the windows its generated anchors open (scoring.phrase_windows)."""
    return WindowedPattern(langdata.words("disclosures", key), template)


_SPONSORSHIP = _phrases("sponsorship", r"\b(?:{phrases})\b")
_COI = _phrases("conflict_of_interest", r"\b(?:{phrases})")
_DISCLAIMER = _phrases("disclaimer", r"(?:{phrases})")
_LINK_KINDS = {"contact": _phrases("contact_links", r"(?:{phrases})"),
               "about": _phrases("about_links", r"(?:{phrases})\b"),
               "privacy": _phrases("privacy_links", r"(?:{phrases})")}
_LINK_TRIGGERS = tuple(a for kind in _LINK_KINDS.values() for a in kind.phrases.anchors)


def _links_by_kind(page: Page) -> dict[str, list[dict]]:
    """Contact, about and privacy links, by link text or URL path. The anchors generated from the phrase lists,
    searched in C over all link texts and all URLs at once, pick the few candidate links; the patterns then run
    on those only."""
    found: dict[str, list[dict]] = {"contact": [], "about": [], "privacy": []}
    links = page.links
    candidates = set(TextIndex([link.text for link in links]).find(_LINK_TRIGGERS))
    candidates.update(TextIndex([link.url for link in links]).find(_LINK_TRIGGERS))
    # letters case-insensitive matching reads otherwise than lower() does: such links are always tried
    if fold(" ".join(link.text + link.url for link in links)) is None:
        candidates.update(i for i, link in enumerate(links) if fold(link.text + link.url) is None)
    for index in sorted(candidates):
        link = links[index]
        path = link.url.split("?", 1)[0].split("#", 1)[0]
        line = f"{link.text} {path[path.find('/', 8):] if '://' in path else path}"
        for kind, phrases in _LINK_KINDS.items():
            if len(found[kind]) < 3 and phrases.pattern.search(line) \
                    and all(f["url"] != link.url for f in found[kind]):
                found[kind].append({"url": link.url, "text": link.text[:80]})
    return found


def _snippet(pattern: WindowedPattern, text: Prepared) -> str | None:
    """The first match of the pattern with 60 characters each side, or None."""
    match = pattern.search(text)
    return clean_text(text.text[max(0, match.start() - 60):match.end() + 60]) if match else None


@cache
def _drug_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.I)


@cache
def _promotion_pattern() -> re.Pattern[str]:
    phrases = [p for values in terms()["promotion_phrases"].values() for p in values]
    return re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b", re.I)


def _prescription_promotion(page: Page) -> list[dict]:
    """Blocks naming a prescription medicine in promotional words. The article's words pick the names it
    mentions, a substring scan the blocks holding them; the regexes run on those blocks only."""
    words = set(page.main_words)
    rest = page.main_text[WORD_SAMPLE - 40:].lower()  # past the sample (and a name cut at its end)
    present = tuple(name for name in terms()["prescription_drugs"] if name in words or name in rest)
    if not present:
        return []
    drugs, promo = _drug_pattern(present), _promotion_pattern()
    found = []
    for block in page.text_blocks:
        lowered = block.text.lower()
        if not any(name in lowered for name in present):
            continue
        drug = drugs.search(block.text)
        hit = promo.search(block.text) if drug else None
        if hit:
            found.append({"drug": drug.group(1), "phrase": hit.group(1), "text": block.text[:240]})
            if len(found) >= 5:
                break
    return found


def extract_disclosures(page: Page) -> dict:
    """Sponsorship label (the article's head first), conflicts of interest and disclaimer (the whole visible
    text), contact, about and privacy links, and promotion of prescription medicines."""
    head = page.main_text[:1500] + " " + " ".join(page.h1)
    sponsored_links = [link.url for link in page.links if link.in_main and "sponsored" in link.rel.split()]
    label = _snippet(_SPONSORSHIP, Prepared(head)) or _snippet(_SPONSORSHIP, prepared(page, "main_text"))
    links = _links_by_kind(page)
    promotion = _prescription_promotion(page)
    whole = prepared(page, "body_text")  # prepared once a page, for these searches and the audience's
    return {
        "sponsorship_label": label,
        "sponsored_links": sponsored_links[:10],
        "conflict_of_interest": _snippet(_COI, whole),
        "disclaimer": _snippet(_DISCLAIMER, whole),
        "contact_links": links["contact"],
        "about_links": links["about"],
        "privacy_links": links["privacy"],
        "prescription_promotion": promotion,
    }


_MAX_SNIPPET = re.compile(r"max-snippet\s*:\s*(-?\d+)", re.I)


def extract_robots(page: Page, x_robots_tag: list[str] | None = None) -> dict:
    """meta robots/googlebot directives, X-Robots-Tag, and data-nosnippet use."""
    directives: list[str] = []
    for key in ("robots", "googlebot", "bingbot", "googlebot-news"):
        for value in page.meta.get(key, []):
            directives.extend(d.strip().lower() for d in value.split(",") if d.strip())
    for value in x_robots_tag or []:
        # "googlebot: noindex" applies to that agent only; keep it, it still hides the page from Google
        directives.extend(d.strip().lower() for d in value.split(",") if d.strip())
    joined = " ".join(directives)
    max_snippet = None
    match = _MAX_SNIPPET.search(joined)
    if match:
        max_snippet = int(match.group(1))
    nosnippet_elements = page.root.xpath("count(//@data-nosnippet)")
    return {
        "directives": sorted(set(directives)),
        "noindex": "noindex" in joined or "none" in directives,
        "nosnippet": "nosnippet" in joined,
        "max_snippet": max_snippet,
        "data_nosnippet": int(nosnippet_elements),
    }
