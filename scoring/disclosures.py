"""Trust facts: sponsorship labels, conflicts of interest, medical disclaimer, contact/about/privacy
links, promotion of prescription medicines, and robots directives that keep a page out of AI answers."""

from __future__ import annotations

import re
from functools import cache

from .page import WORD_SAMPLE, Page, TextIndex, clean_text
from .topic import terms

_SPONSOR_LABEL = re.compile(
    r"\b(sponsored(?: content| post| by)?|paid (?:partnership|post|content)|advertorial|partner content|"
    r"brand(?:ed)? content|presented by|in partnership with|affiliate links?|we may earn (?:a )?commission|"
    r"contenu sponsorisé|sponsorisé(?:e)? par|sponsorisé|collaboration commerciale|partenariat rémunéré|"
    r"publi-?rédactionnel|publireportage|en partenariat avec|liens? affiliés?|article sponsorisé|"
    r"publicité|anzeige|werbung|gesponsert)\b", re.I)
_COI = re.compile(
    r"\b(conflicts? of interests?|competing interests?|financial disclosures?|disclosures?\s*:|"
    r"(?:has|have|reports?|declares?) no (?:relevant )?(?:financial|conflicts?)|no financial relationships?|"
    r"liens? d['’]intérêts?|conflits? d['’]intérêts?|déclaration (?:publique )?d['’]intérêts?|"
    r"aucun lien d['’]intérêt|interessenkonflikt)", re.I)
_DISCLAIMER = re.compile(
    r"(not (?:intended )?(?:to be )?(?:a )?substitute for (?:professional )?(?:medical )?(?:advice|care|diagnosis)|"
    r"does not (?:provide|constitute|replace) (?:medical|professional)|(?:is|are) not medical advice|"
    r"for (?:general )?informational (?:and educational )?purposes only|for information(?:al)? only|"
    r"(?:consult|talk to|speak (?:to|with)|ask) (?:your|a) (?:doctor|physician|health ?care (?:provider|professional)|"
    r"pharmacist|gp)|seek (?:the )?advice of (?:your|a) (?:physician|doctor|qualified)|"
    r"ne (?:remplace|saurait remplacer|se substitue) (?:pas|en aucun cas)|à titre (?:purement )?informatif|"
    r"(?:consultez|demandez (?:conseil|l['’]avis) à|parlez[- ]en à) (?:votre|un) (?:médecin|pharmacien|professionnel)|"
    r"ersetzt (?:nicht|keinesfalls) (?:den|die|eine) (?:arzt|ärztliche|beratung)|fragen sie ihren arzt)", re.I)
_CONTACT = re.compile(r"contact|nous[- ]contacter|contactez|kontakt|impressum", re.I)
_ABOUT = re.compile(r"about(?:[- ]us)?\b|who we are|our team|qui sommes|à propos|a-propos|apropos|"
                    r"notre équipe|mentions[- ]légales|editorial[- ](?:policy|team)|über uns|ueber-uns", re.I)
_PRIVACY = re.compile(r"privacy|confidentialit|données personnelles|donnees-personnelles|rgpd|gdpr|"
                      r"datenschutz|cookie policy|politique de cookies", re.I)
_SPONSORED_REL = ("sponsored",)


_PAGE_LINK = re.compile(rf"(?P<contact>{_CONTACT.pattern})|(?P<about>{_ABOUT.pattern})|(?P<privacy>{_PRIVACY.pattern})",
                        re.I)
# Cheap substring anchors: the regexes above run only on windows around them (long pages, many patterns).
_ANCHORS = {
    "sponsor": ("sponsor", "paid", "advertorial", "partner", "brand", "presented by", "affili", "commission",
                "collaboration", "partenariat", "publi", "anzeige", "werbung", "gesponsert"),
    "coi": ("interest", "intérêt", "interet", "disclosure", "financial", "interessenkonflikt"),
    "disclaimer": ("substitute", "medical advice", "not medical", "professional", "informational",
                   "information only", "consult", "talk to", "speak", "ask ", "seek", "remplace", "substitue",
                   "informatif", "consultez", "demandez", "parlez", "ersetzt", "arzt"),
}
_WINDOW = 160


_LINK_TRIGGERS = ("contact", "kontakt", "impressum", "about", "propos", "qui-sommes", "qui sommes", "who we are",
                  "team", "équipe", "equipe", "mentions", "editorial", "über", "ueber", "privacy", "confidentialit",
                  "données", "donnees", "rgpd", "gdpr", "datenschutz", "cookie")


def _links_by_kind(page: Page) -> dict[str, list[dict]]:
    """Contact, about and privacy links, by link text or URL path. Substring triggers, searched in C over
    all link texts and all URLs at once, pick the few candidate links; the regex then runs on those only."""
    found: dict[str, list[dict]] = {"contact": [], "about": [], "privacy": []}
    links = page.links
    candidates = set(TextIndex([link.text for link in links]).find(_LINK_TRIGGERS))
    candidates.update(TextIndex([link.url for link in links]).find(_LINK_TRIGGERS))
    for index in sorted(candidates):
        link = links[index]
        path = link.url.split("?", 1)[0].split("#", 1)[0]
        line = f"{link.text} {path[path.find('/', 8):] if '://' in path else path}"
        for match in _PAGE_LINK.finditer(line):
            kind = match.lastgroup
            if kind and len(found[kind]) < 3 and all(f["url"] != link.url for f in found[kind]):
                found[kind].append({"url": link.url, "text": link.text[:80]})
    return found


def _search_near(pattern: re.Pattern[str], text: str, lowered: str, anchors: tuple[str, ...]) -> str | None:
    """First match of pattern in windows around the anchors: the same answer as a full search, far cheaper.
    Overlapping windows are merged, so no stretch of text is searched twice."""
    windows = []
    for anchor in anchors:
        pos = lowered.find(anchor)
        while pos != -1:
            windows.append((max(0, pos - _WINDOW), pos + len(anchor) + _WINDOW))
            pos = lowered.find(anchor, pos + 1)
    windows.sort()
    merged: list[list[int]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        match = pattern.search(text, start, end)
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
    main_lower, page_lower = page.main_text.lower(), page_text.lower()
    label = (_search_near(_SPONSOR_LABEL, head, head.lower(), _ANCHORS["sponsor"])
             or _search_near(_SPONSOR_LABEL, page.main_text, main_lower, _ANCHORS["sponsor"]))
    links = _links_by_kind(page)
    promotion = _prescription_promotion(page)
    return {
        "sponsorship_label": label,
        "sponsored_links": sponsored_links[:10],
        "conflict_of_interest": _search_near(_COI, page_text, page_lower, _ANCHORS["coi"]),
        "disclaimer": _search_near(_DISCLAIMER, page_text, page_lower, _ANCHORS["disclaimer"]),
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
