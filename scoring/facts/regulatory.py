"""Compliance facts: what the French and international rules on health pages look for, as the page shows it.

- the medicines the page names and whether it is about one (the prescription names of
  ``data/health_terms.json`` that trust.prescription-promotion reads, the other medicines of
  ``lang/<code>/compliance.json``, Drug markup, leaflet and SmPC headings);
- how it tells readers to report a side effect (pharmacovigilance: signalement-sante.gouv.fr, ANSM, a
  laboratory's pharmacovigilance contact; FDA MedWatch, MHRA Yellow Card, EMA);
- its legal notice (LCEN art. 6, "Mentions légales") and whether French law holds the site at all;
- advertising for a medicine: promotional wording beside a medicine, the ANSM visa and the mandatory notice.

Phrases are data (``lang/<code>/compliance.json``), compiled with their pre-tests by scoring.phrases.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from urllib.parse import urlsplit

from scoring import langdata
from scoring.facts.language import detect_language
from scoring.facts.topic import terms
from scoring.page.index import TextIndex
from scoring.page.model import WORD_SAMPLE, Page
from scoring.page.text import letter_words
from scoring.phrase_windows import WORD_TEMPLATE, Prepared, WindowedPattern, prepared
from scoring.phrases import fold

MIN_MENTIONS = 3  # a medicine named three times in the article is what the page is about, not a passing mention
MAX_MATCHES = 5
# A visa label, then within a few characters the number ANSM gives ("Visa GP n° 21/04/60123456/GP/001").
_VISA_TEMPLATE = r"(?<!\w)(?:{phrases})[^\d\n]{0,24}(\d[\w/.\-]{2,40})?"
_VISA_EXTRA = 24 + 41  # what the template adds after the label: its gap and the number
_KIND = re.compile(r"(?<![a-z])(gp|pm)(?![a-z])", re.I)


@cache
def _pattern(key: str, template: str = WORD_TEMPLATE, extra: int = 0) -> WindowedPattern:
    return WindowedPattern(langdata.words("compliance", key), template, extra=extra)


@cache
def _medicine_names() -> tuple[frozenset[str], frozenset[str]]:
    """(prescription names, every medicine name), lower case."""
    prescription = frozenset(terms()["prescription_drugs"])
    return prescription, prescription | {n.lower() for n in langdata.words("compliance", "medicine_names")}


@cache
def _medicine_words() -> frozenset[str]:
    return frozenset(langdata.words("compliance", "medicine_words"))


@cache
def _sites() -> tuple[str, ...]:
    return tuple(langdata.words("compliance", "pharmacovigilance_sites"))


@cache
def _french_tlds() -> frozenset[str]:
    return frozenset(langdata.words("compliance", "french_country_codes"))


def _first(key: str, text: str | Prepared) -> str | None:
    match = _pattern(key).search(text)
    return match.group(0) if match else None


def _url_key(url: str) -> str:
    """Host (without www.) and path, lower case; a URL Python cannot split ("http://[x") is read as it is."""
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').removeprefix('www.')}{parts.path}".lower()
    except ValueError:
        return url.lower()


def _medicines(page: Page, drugs: list[dict]) -> dict:
    prescription, names = _medicine_names()
    words = page.main_words
    counts = Counter({name: words.count(name) for name in names.intersection(words)})  # both loops in C
    headline_words = set(letter_words(f"{page.title} {' '.join(page.h1)}"))
    headline = headline_words & names
    markup = []
    for node in drugs[:10]:
        name = node.get("name")
        markup.append(name if isinstance(name, str) else "Drug")
    document = _first("medicine_documents", f"{page.title}\n{page.main_text[:3000]}")  # a heading, near the top
    named = sorted(set(counts) | headline)
    reasons = []
    if markup:
        reasons.append("markup")
    if document:
        reasons.append("document")
    if headline:
        reasons.append("headline")
    # named often under a headline about medicines ("Unapproved GLP-1 drugs"): a page about those medicines;
    # named often in an article on something else (fasting, a news story): a mention, not the page's subject
    if any(n >= MIN_MENTIONS for n in counts.values()) and not headline_words.isdisjoint(_medicine_words()):
        reasons.append("mentions")
    return {"named": named[:20], "headline": sorted(headline),
            "prescription": [n for n in named if n in prescription][:20],
            "mentions": dict(counts.most_common(10)), "markup": markup, "document": document,
            "about": bool(reasons), "reasons": reasons}


class _LinkIndex:
    """The page's link texts and URLs, joined once for substring searches: the few candidate links a list's
    anchors (or sites) point at are the only ones its pattern reads."""

    def __init__(self, page: Page) -> None:
        self.links = page.links
        self.texts = TextIndex([link.text for link in self.links])
        self.urls = TextIndex([link.url for link in self.links])
        # letters that case-insensitive matching reads otherwise than lower() does: such links are always tried
        self.unfoldable = [i for i, link in enumerate(self.links) if fold(link.text + link.url) is None] \
            if fold(" ".join(link.text + link.url for link in self.links)) is None else []

    def candidates(self, text_needles: tuple[str, ...], url_needles: tuple[str, ...]) -> list:
        found = set(self.texts.find(text_needles)) | set(self.urls.find(url_needles)) | set(self.unfoldable)
        return [self.links[i] for i in sorted(found)]


def _pharmacovigilance(page: Page, index: _LinkIndex) -> dict:
    links = []
    destinations = _pattern("pharmacovigilance_destinations")
    anchors = destinations.phrases.anchors
    for link in index.candidates(anchors, (*_sites(), "pharmacovigilance")):
        key = _url_key(link.url) if "://" in link.url else link.url.lower()
        if key.startswith("mailto:") and "pharmacovigilance" in key:
            links.append(link.url)
        elif any(key.startswith(site) for site in _sites()) or destinations.search(link.text):
            links.append(link.url)
        if len(links) >= MAX_MATCHES:
            break
    body = prepared(page, "body_text")
    lowered = body.folded if body.folded is not None else body.text.lower()
    written = next((site for site in _sites() if site in lowered), None)
    return {"links": links, "destination": written or _first("pharmacovigilance_destinations", body),
            "invitation": _first("pharmacovigilance_invitations", body)}


def _legal_notice(page: Page, index: _LinkIndex) -> dict:
    pattern = _pattern("legal_notice_links", r"(?<!\w)(?:{phrases})")
    links = []
    for link in index.candidates(pattern.phrases.anchors, pattern.phrases.anchors):
        path = _url_key(link.url) if "://" in link.url else link.url
        if pattern.search(f"{link.text} {path}"):
            links.append({"url": link.url, "text": link.text[:80]})
            if len(links) >= 3:
                break
    return {"links": links, "identity": _first("publisher_identity", prepared(page, "body_text"))}


def _jurisdiction(page: Page, language: str | None) -> dict:
    """French law holds a French-language site unless its address is another country's (.be, .ch, .ca...).
    A form with too little article text to tell its language is read whole."""
    if language is None and page.body_text:
        detected, confidence = detect_language(page.body_text[:WORD_SAMPLE])
        language = detected if confidence >= 0.5 else None
    host = _url_key(page.url or "").split("/", 1)[0] if "://" in (page.url or "") else ""
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else None
    foreign = tld is not None and len(tld) == 2 and tld not in _french_tlds()
    return {"language": language, "tld": tld, "french_site": language == "fr" and not foreign}


def _advertising(page: Page, medicines: dict) -> dict:
    body = prepared(page, "body_text")
    visas = []
    for match in _pattern("visa_labels", _VISA_TEMPLATE, _VISA_EXTRA).finditer(body):
        label = match.group(0)
        kind = _KIND.search(label)
        visas.append({"text": label[:80], "number": match.group(1), "kind": kind.group(1).upper() if kind else None})
        if len(visas) >= MAX_MATCHES:
            break
    promotion = []
    named = medicines["named"]
    # on a page about a medicine, an offer anywhere sells it; elsewhere only an offer beside its name
    subject = (medicines["headline"] or named[:1]) if medicines["about"] else []
    if named:
        promo = _pattern("advertising_phrases")
        for block in page.text_blocks:
            lowered = block.text.lower()
            drug = next((n for n in named if n in lowered), None) or (subject[0] if subject else None)
            hit = promo.search(block.text) if drug else None
            if hit:
                promotion.append({"drug": drug, "phrase": hit.group(0), "text": block.text[:240]})
                if len(promotion) >= MAX_MATCHES:
                    break
    return {"visas": visas, "promotion": promotion,
            "medicine_statement": _first("medicine_statement", body),
            "leaflet_invitation": _first("leaflet_invitation", body),
            # a visa number is advertising declared; commercial wording beside a medicine the page is about is
            # advertising shown (beside a passing mention it is a question for trust.prescription-promotion)
            "is_advertising": any(v["number"] for v in visas) or bool(promotion and medicines["about"])}


_NO_ADVERTISING = {"visas": [], "promotion": [], "medicine_statement": None, "leaflet_invitation": None,
                   "is_advertising": False}


def extract_compliance(page: Page, drugs: list[dict], facts: dict) -> dict:
    """The facts the compliance checks read; ``drugs`` the graph's Drug nodes, ``facts`` those gathered so far
    (language).

    Each part is read only where its rule can apply (the checks say not_applicable elsewhere): advertising on
    a French site or beside a named medicine, side-effect reporting on a page about a medicine or advertising
    one, the legal notice on a French site; ``None`` otherwise. Most pages owe none of them, and reading them
    costs as much as the rest of this module."""
    medicines = _medicines(page, drugs)
    jurisdiction = _jurisdiction(page, facts.get("language"))
    french = jurisdiction["french_site"]
    advertising = _advertising(page, medicines) if french or medicines["named"] else dict(_NO_ADVERTISING)
    index = _LinkIndex(page) if french or medicines["about"] or advertising["is_advertising"] else None
    concerned = medicines["about"] or (advertising["is_advertising"] and medicines["named"])
    return {"medicines": medicines, "jurisdiction": jurisdiction, "advertising": advertising,
            "pharmacovigilance": _pharmacovigilance(page, index) if index and concerned else None,
            "legal_notice": _legal_notice(page, index) if index and french else None}
