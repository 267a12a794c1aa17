"""Trust facts: sponsorship labels, conflicts of interest, medical disclaimer, contact/about/privacy
links, promotion of prescription medicines, and robots directives that keep a page out of AI answers."""

from __future__ import annotations

import re
from functools import cache

from scoring import langdata
from scoring.facts.topic import terms
from scoring.page.index import TextIndex, clean_text
from scoring.page.model import WORD_SAMPLE, Page
from scoring.phrases import PhraseSet, fold, phrase_pattern

_SPONSORED_REL = ("sponsored",)


class _Phrases:
    """One phrase list of scoring/lang/*/disclosures.json: its pattern (``template`` around the phrases)
    and the substring pre-test generated from the same list (scoring.phrases)."""

    def __init__(self, key: str, template: str) -> None:
        raw = langdata.words("disclosures", key)
        self.phrases = PhraseSet(raw)
        self.pattern = re.compile(template.replace("{phrases}", phrase_pattern(raw)), re.I)
        # per number of separators (a space or hyphen matches a run of them), the most other characters a
        # phrase with that many separators holds (each matches one character)
        longest: dict[int, int] = {}
        for phrase in self.phrases.phrases:
            seps = sum(c in " -" for c in phrase)
            longest[seps] = max(longest.get(seps, 0), len(phrase) - seps)
        self._lengths = tuple(longest.items())

    def max_length(self, separator_run: int) -> int:
        """The longest match possible in a text whose longest run of spaces and hyphens is separator_run (the
        template adds nothing but look-arounds)."""
        return max(fixed + seps * separator_run for seps, fixed in self._lengths)


_SPONSORSHIP = _Phrases("sponsorship", r"\b(?:{phrases})\b")
_COI = _Phrases("conflict_of_interest", r"\b(?:{phrases})")
_DISCLAIMER = _Phrases("disclaimer", r"(?:{phrases})")
_LINK_KINDS = {"contact": _Phrases("contact_links", r"(?:{phrases})"),
               "about": _Phrases("about_links", r"(?:{phrases})\b"),
               "privacy": _Phrases("privacy_links", r"(?:{phrases})")}
_LINK_TRIGGERS = tuple(a for kind in _LINK_KINDS.values() for a in kind.phrases.anchors)
_SEPARATOR_RUN = re.compile(r"[\s\-‐‑]{2,}")


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


class _Text:
    """A text as the window searches read it, prepared once for all of them: its case-folded form (None when
    its positions would not be the text's) and its longest run of spaces and hyphens."""

    __slots__ = ("folded", "separator_run", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        folded = fold(text)
        self.folded = folded if folded is not None and len(folded) == len(text) else None
        self.separator_run = max((len(m.group()) for m in _SEPARATOR_RUN.finditer(text)), default=1)


def _search_near(phrases: _Phrases, prepared: _Text) -> str | None:
    """First match of the pattern, searched only in windows around the occurrences of the anchors generated
    from its phrases: every match holds one, and no match is longer than the phrases allow given the text's
    longest run of spaces and hyphens, so the windows hold every match and the answer is the full search's.
    Overlapping windows are merged, so no stretch of text is searched twice."""
    text, folded, separator_run = prepared.text, prepared.folded, prepared.separator_run
    if folded is None:
        match = phrases.pattern.search(text)  # positions of the folded text would not be the text's
        return clean_text(text[max(0, match.start() - 60):match.end() + 60]) if match else None
    reach = phrases.max_length(separator_run)
    windows = []
    for anchor in phrases.phrases.anchors:
        pos = folded.find(anchor)
        while pos != -1:
            # a match holding this occurrence starts at most `reach - len(anchor)` before it and ends at most
            # `reach` after its start; one more character lets the pattern's closing look-around see the text
            windows.append((max(0, pos + len(anchor) - reach), pos + reach + 1))
            pos = folded.find(anchor, pos + 1)
    windows.sort()
    merged: list[list[int]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        end = min(end, len(text))
        match = phrases.pattern.search(text, start, end)
        while match and match.end() == end < len(text) and phrases.pattern.match(text, match.start()) is None:
            match = phrases.pattern.search(text, match.start() + 1, end)  # a match the window's end made up
        if match:
            return clean_text(text[max(0, match.start() - 60):match.end() + 60])
    return None


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


def extract_disclosures(page: Page, page_text: str) -> dict:
    head = page.main_text[:1500] + " " + " ".join(page.h1)
    sponsored_links = [link.url for link in page.links if link.in_main and "sponsored" in link.rel.split()]
    label = _search_near(_SPONSORSHIP, _Text(head)) or _search_near(_SPONSORSHIP, _Text(page.main_text))
    links = _links_by_kind(page)
    promotion = _prescription_promotion(page)
    whole = _Text(page_text)  # prepared once for the two searches of the page's text
    return {
        "sponsorship_label": label,
        "sponsored_links": sponsored_links[:10],
        "conflict_of_interest": _search_near(_COI, whole),
        "disclaimer": _search_near(_DISCLAIMER, whole),
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
