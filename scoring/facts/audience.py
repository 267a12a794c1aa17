"""Who the page speaks to: health professionals (B2B), patients and the public (B2C), or both.

French and EU rules split health communication by audience (CSP L.5122-6: a prescription medicine may be
presented to professionals, never advertised to the public), and the readability targets for patient material
do not fit text written for clinicians. The audience is read from what the page itself shows, strongest first:

1. declared: schema.org ``audience`` / ``medicalAudience`` (Patient, MedicalAudience with audienceType,
   Clinician...), and a professional gate or banner ("Réservé aux professionnels de santé", "Are you a
   healthcare professional?");
2. placed: the site section the page sits in (the URL's folders, the breadcrumb's labels), a scholarly page
   type, and sentences that address a patient ("talk to your doctor", "Notice : information de l'utilisateur");
3. inferred: a density of technical vocabulary in the style of a summary of product characteristics (for
   professionals), markup of a place of care patients visit (for the public).

The first tier that says anything decides; when it points both ways the audience is "both". Nothing said:
``None`` (the checks then keep treating the page as written for the public, the cautious reading).
Words and phrases live in ``lang/<code>/audience.json``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from scoring import langdata
from scoring.facts.regulatory import extract_compliance
from scoring.markup.graph import StructuredData
from scoring.page.model import Page
from scoring.page.text import letter_words
from scoring.phrase_windows import Prepared, WindowedPattern, prepared

PROFESSIONALS, PUBLIC, BOTH = "professionals", "public", "both"
# Technical vocabulary makes a professional page when it is dense and varied: on ../shared/corpus the journal
# articles hold 5 such terms per 1,000 words (4 to 8 different ones), patient pages and health news 0 to 3.4
# (at most 3 different ones); our SmPC-style fixtures over 20.
TECHNICAL_PER_1000 = 4.0
TECHNICAL_DISTINCT = 4
TECHNICAL_MIN_WORDS = 150
MAX_TECHNICAL_HITS = 2000  # enough to decide; bounds the count on a huge page
MAX_AUDIENCE_TEXT = 300  # an audienceType is a few words; markup can hold megabytes in one value
SCHOLARLY_TYPES = ("ScholarlyArticle", "MedicalScholarlyArticle")
# A page presenting a place of care (opening hours, address, booking) is read by the people who go there. Its
# markup is often site-wide, so it only speaks when nothing stronger does (the last tier).
PROVIDER_TYPES = ("Physician", "Hospital", "MedicalClinic", "Dentist", "Pharmacy", "Optician")
_SCHEMA_PREFIX = re.compile(r"^https?://schema\.org/", re.I)
_PATH_SPLIT = re.compile(r"[^a-zà-ÿ]+")
_TIERS = (("declared", ("markup", "gate")), ("placed", ("section", "breadcrumb", "page_type", "address")),
          ("inferred", ("vocabulary", "provider")))


@cache
def _pattern(key: str, lang: str | None = None) -> WindowedPattern:
    """A list of every language, or of ``lang``'s alone (the article's vocabulary is in its own language)."""
    own = lang in langdata.languages() and langdata.load("audience", lang)  # a language with no audience words: all
    return WindowedPattern(langdata.words("audience", key, (lang,) if own else None))


@cache
def _word_set(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in langdata.words("audience", key))


def _classify_text(text: str) -> set[str]:
    """The sides an audienceType text names ("Clinician", "patients and caregivers")."""
    low = " ".join(text[:MAX_AUDIENCE_TEXT].lower().replace("_", " ").split())
    sides = set()
    if any(term == low or re.search(rf"(?<!\w){re.escape(term)}(?!\w)", low)
           for term in _word_set("audience_type_professional")):
        sides.add(PROFESSIONALS)
    if any(term == low or re.search(rf"(?<!\w){re.escape(term)}(?!\w)", low)
           for term in _word_set("audience_type_public")):
        sides.add(PUBLIC)
    return sides


def _classify_value(value: Any) -> set[str]:
    """The sides one value of ``audience`` / ``medicalAudience`` names."""
    if isinstance(value, list):
        return set().union(*map(_classify_value, value[:20])) if value else set()
    if isinstance(value, str):
        name = _SCHEMA_PREFIX.sub("", value.strip())
        if name in ("Clinician", "MedicalResearcher"):
            return {PROFESSIONALS}
        if name == "Patient":
            return {PUBLIC}
        return _classify_text(name)
    if not isinstance(value, dict):
        return set()
    types = set(value.get("@type") or ())
    sides = set()
    if "Patient" in types:
        sides.add(PUBLIC)
    for key in ("audienceType", "name"):
        sides |= _classify_value(value.get(key)) if value.get(key) else set()
    if not sides and "PeopleAudience" in types:
        sides.add(PUBLIC)
    return sides


def _markup_signals(page_node: dict | None) -> list[dict]:
    signals = []
    for prop in ("audience", "medicalAudience"):
        value = (page_node or {}).get(prop)
        for side in sorted(_classify_value(value)) if value is not None else ():
            signals.append({"signal": "markup", "side": side, "text": prop})
    return signals


def _gate(page: Page) -> str | None:
    """A professional gate, banner or interstitial. A question in a link ("Vous êtes professionnel de santé ?"
    in a header) leads to the professionals' space and says nothing of this page; a confirmation ("I am a
    healthcare professional") counts wherever it is, buttons and links included."""
    body = prepared(page, "body_text")
    confirm = _pattern("professional_confirmations").search(body)
    if confirm:
        return confirm.group(0)
    pattern = _pattern("professional_gates")
    link_texts = None
    for count, match in enumerate(pattern.finditer(body)):
        if count >= 20:
            break
        if link_texts is None:
            link_texts = [" ".join(link.text.lower().split()) for link in page.links
                          if pattern.possible(link.text)]
        found = " ".join(match.group(0).lower().split())
        if not any(found in link for link in link_texts):
            return match.group(0)
    return None


def _words_sides(words: list[str]) -> set[str]:
    sides = set()
    if not _word_set("professional_words").isdisjoint(words):
        sides.add(PROFESSIONALS)
    if not _word_set("public_words").isdisjoint(words):
        sides.add(PUBLIC)
    return sides


def _section_signals(url: str | None) -> list[dict]:
    """The site folders the page sits in (every path segment but the page's own)."""
    if not url:
        return []
    try:
        path = urlsplit(url).path
    except ValueError:  # "http://[x": no folders to read
        return []
    segments = [s for s in path.lower().split("/") if s][:-1]
    signals = []
    for segment in segments[:8]:
        for side in sorted(_words_sides([w for w in _PATH_SPLIT.split(segment) if w])):
            signals.append({"signal": "section", "side": side, "text": f"/{segment}/"})
    return signals


def nodes_by_type(data: StructuredData, wanted: tuple[str, ...]) -> dict[str, list[dict]]:
    """The graph's nodes of the wanted types, in one walk (the types this module and regulatory.py read)."""
    found: dict[str, list[dict]] = {}
    wanted_set = set(wanted)
    for node in data.iter_nodes():
        for type_name in wanted_set.intersection(node.get("@type", ())):
            found.setdefault(type_name, []).append(node)
    return found


WANTED_TYPES = ("BreadcrumbList", "Drug", *PROVIDER_TYPES)


def _breadcrumb_labels(nodes: dict[str, list[dict]]) -> list[str]:
    """The labels of the breadcrumb's ancestors: its markup's items but the last (the page). A visible trail
    without markup is not read: finding it costs a walk of the whole tree (a fifth of this module's time) and
    the URL's folders usually say the same."""
    labels: list[str] = []
    for node in nodes.get("BreadcrumbList", [])[:3]:
        items = node.get("itemListElement") or []
        items = items if isinstance(items, list) else [items]
        for item in items[:-1][:12]:
            if isinstance(item, dict):
                target = item.get("item")
                name = item.get("name") or (target.get("name") if isinstance(target, dict) else None)
                if isinstance(name, str):
                    labels.append(name)
    return [label[:120] for label in labels[:12]]


def _breadcrumb_signals(nodes: dict[str, list[dict]]) -> list[dict]:
    signals = []
    for label in _breadcrumb_labels(nodes):
        for side in sorted(_words_sides(letter_words(label))):
            signals.append({"signal": "breadcrumb", "side": side, "text": label})
    return signals


def _vocabulary(page: Page, language: str | None = None) -> dict:
    """Technical terms of the article, in its language: how many, how varied, per 1,000 words."""
    pattern = _pattern("technical_terms", language)
    count, distinct = 0, set()
    for match in pattern.finditer(prepared(page, "main_text")):
        count += 1
        distinct.add(" ".join(match.group(0).lower().split()))
        if count >= MAX_TECHNICAL_HITS:
            break
    words = page.word_count
    per_1000 = 1000 * count / words if words else 0.0
    dense = words >= TECHNICAL_MIN_WORDS and per_1000 >= TECHNICAL_PER_1000 and len(distinct) >= TECHNICAL_DISTINCT
    return {"count": count, "distinct": len(distinct), "per_1000_words": round(per_1000, 1), "dense": dense,
            "terms": sorted(distinct)[:10]}


def extract_audience(page: Page, data: StructuredData, page_node: dict | None, language: str | None = None,
                     nodes: dict[str, list[dict]] | None = None) -> dict:
    """{audience, evidence, signals}: audience is "professionals", "public", "both" or None. ``language`` (the
    page's) picks the article's vocabulary and patient phrases; gates are read in every language."""
    nodes = nodes_by_type(data, WANTED_TYPES) if nodes is None else nodes
    gate = _gate(page)
    vocabulary = _vocabulary(page, language)
    # a form or a listing (a booking page) has little article text: read the whole page then, as topic does
    public = _pattern("public_phrases", language)
    shown = prepared(page, "main_text" if page.word_count >= 100 else "body_text")
    address = public.search(Prepared(f"{page.title}\n{' '.join(page.h1)}")) or public.search(shown)
    page_types = [t for t in (page_node or {}).get("@type", ()) if t in SCHOLARLY_TYPES]
    evidence = _markup_signals(page_node)
    if gate:
        evidence.append({"signal": "gate", "side": PROFESSIONALS, "text": gate[:160]})
    evidence += _section_signals(page.url) + _breadcrumb_signals(nodes)
    if page_types:
        evidence.append({"signal": "page_type", "side": PROFESSIONALS, "text": page_types[0]})
    if address:
        evidence.append({"signal": "address", "side": PUBLIC, "text": address.group(0)[:160]})
    if vocabulary["dense"]:
        evidence.append({"signal": "vocabulary", "side": PROFESSIONALS,
                         "text": ", ".join(vocabulary["terms"][:5])})
    providers = sorted(t for t in PROVIDER_TYPES if t in nodes)
    if providers:
        evidence.append({"signal": "provider", "side": PUBLIC, "text": ", ".join(providers)})
    audience, tier = None, None
    for name, kinds in _TIERS:
        sides = {e["side"] for e in evidence if e["signal"] in kinds}
        if sides:
            audience, tier = (BOTH if len(sides) > 1 else sides.pop()), name
            break
    return {"audience": audience, "tier": tier, "evidence": evidence[:12], "gate": gate[:160] if gate else None,
            "vocabulary": vocabulary}


def audience_node(facts: dict) -> dict | list | None:
    """The schema.org ``audience`` the page shows (for the fix), or None when it shows none: a Patient for the
    public, a MedicalAudience of type Clinician for professionals, both for both. Declared by nothing but
    the page's own evidence, never by default."""
    audience = (facts.get("audience") or {}).get("audience")
    professional = {"@type": "MedicalAudience", "audienceType": "Clinician"}
    public = {"@type": "Patient"}
    return {PROFESSIONALS: professional, PUBLIC: public, BOTH: [professional, public]}.get(audience)


def audience_reason(facts: dict) -> dict[str, list[dict[str, str]]]:
    """Why the fix proposes its audience: the evidence that decided it (the params of the fix's reason)."""
    audience = facts.get("audience") or {}
    shown, seen = [], set()
    for item in audience.get("evidence", ()):
        if item["signal"] in dict(_TIERS).get(audience.get("tier"), ()) and item["text"] not in seen:
            seen.add(item["text"])
            shown.append(item)
    # each signal worded by scoring/messages "audience_signals" in the reader's language
    return {"signals": [{"code": e["signal"], "text": e["text"][:60]} for e in shown[:3]]}


def audience_facts(page: Page, data: StructuredData, page_node: dict | None, facts: dict) -> dict:
    """The facts this module adds to ``build_facts``: ``audience`` and ``compliance``."""
    nodes = nodes_by_type(data, WANTED_TYPES)
    audience = extract_audience(page, data, page_node, facts.get("language"), nodes)
    return {"audience": audience, "compliance": extract_compliance(page, nodes.get("Drug", []), facts)}
