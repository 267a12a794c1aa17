"""Citations: outbound links and identifiers (DOI, PMID, PMCID) de-duplicated into one entry per cited work."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from scoring.facts.sourcing.patterns import required_literals
from scoring.facts.sourcing.sites import site_of
from scoring.facts.sourcing.sources import doi_from_text, ids_from_url, strip_doi_tail
from scoring.page.model import Page

MAX_CITATIONS = 300

_SHARE = re.compile(
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed|send))|twitter\.com/(?:intent|share|home\?status)|x\.com/(?:intent|share|home\?status)"
    r"|linkedin\.com/(?:shareArticle|sharing|cws/share)|pinterest\.[a-z.]+/pin/create|reddit\.com/submit"
    r"|(?:api\.|web\.)?whatsapp\.com/send|wa\.me/|t\.me/share|telegram\.me/share|addtoany\.com|sharethis\.com"
    r"|tumblr\.com/(?:share|widgets/share)|mix\.com/add|getpocket\.com/(?:save|edit)|flipboard\.com/bookmarklet"
    r"|plus\.google\.com/share|buffer\.com/add|news\.ycombinator\.com/submitlink|bsky\.app/intent"
    r"|scholar\.google\.[a-z.]+/|google\.[a-z.]+/(?:search|url)\b|bing\.com/search|/scholar_lookup",
    re.I,
)
# the pre-test of _SHARE, read from the pattern itself: one plain run each of its alternatives must hold
_SHARE_LITERALS = required_literals(_SHARE)
_TRACKING_PARAM = ("utm_", "fbclid=", "gclid=", "mc_cid=", "mc_eid=", "_hsenc=", "_hsmi=", "dclid=", "msclkid=")
_TRACKING_IN_QUERY = re.compile("|".join(map(re.escape, _TRACKING_PARAM)))  # any(t in query ...), in one scan
_AUTHORITY_END = re.compile(r"[/?#]")
FILE_EXTS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".ico", ".css", ".js")
_SHARE_SITES = frozenset({
    "facebook.com", "twitter.com", "x.com", "linkedin.com", "pinterest.com", "pinterest.fr", "reddit.com",
    "whatsapp.com", "wa.me", "t.me", "telegram.me", "addtoany.com", "sharethis.com", "tumblr.com", "mix.com",
    "getpocket.com", "flipboard.com", "google.com", "google.fr", "google.de", "google.co.uk", "bing.com",
    "buffer.com", "ycombinator.com", "bsky.app",
})
GENERIC_TEXT = re.compile(
    r"^(?:https?://\S+|www\.\S+|\[?(?:doi|pubmed|pmc|pubmed central|article|full text|abstract|link|here|source|"
    r"crossref|medline|google scholar|cas|pdf|view|view article|read more|ici|lien|\d+)\]?\.?)$",
    re.I,
)


def clean_url(url: str) -> tuple[str, str, str, str] | None:
    """(cleaned url, dedup key, host, lower-case path) for an http(s) URL; None for anything else.

    Cleaning drops the fragment and tracking parameters (utm_*, fbclid...); the key also drops
    the scheme, ``www.`` and a trailing slash. Plain string operations: urlsplit is 3x slower.
    """
    head = url[:8].lower()
    if head.startswith("https://"):
        start = 8
    elif head.startswith("http://"):
        start = 7
    else:
        return None
    authority_end = _AUTHORITY_END.search(url, start)
    end = authority_end.start() if authority_end else len(url)
    netloc = url[start:end]
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        return None
    host = host.partition(":")[0].rstrip(".").lower()
    if not host or "." not in host or " " in host:
        return None
    rest = url[end:]
    hash_at = rest.find("#")
    if hash_at >= 0:
        rest = rest[:hash_at]
    path, _, query = rest.partition("?")
    if query and _TRACKING_IN_QUERY.search(query):
        query = "&".join(p for p in query.split("&") if not p.lower().startswith(_TRACKING_PARAM))
    cleaned = url[:start].lower() + netloc.lower() + path + ("?" + query if query else "")
    key = (host[4:] if host.startswith("www.") else host) + path.rstrip("/") + ("?" + query if query else "")
    return cleaned, key, host, path.lower()


# Fragments and texts of footnote / reference markers.
MARKER_FRAGMENT = re.compile(
    r"^(?:ref|cite|cit|fn|footnote|endnote|note|bib|b\d|r\d|cr\d|en\d|ftn|_ftn|edn|_edn|source)", re.I)
MARKER_TEXT = re.compile(r"^[\[(]?\s*\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*\s*[\])]?$")
MARKER_CLASS = re.compile(r"inline-citation|citation-ref|cite-ref|footnote-ref|fn-ref|ref-link|reference-link")
TEXT_MARKER = re.compile(r"\[\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*\]")
EXPONENT_BEFORE = re.compile(r"(?:\d|\b(?:c?m|km|mm|µm|ft|in|x|10))\s*$")

_DOI_IN_TEXT = re.compile(r"(?<![\w.])10\.\d{4,9}/[^\s\"'<>]+")
_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")


class Citations:
    """De-duplicating collector (normalised URL, DOI and PMID keys). A link or identifier naming the page's
    own work (its DOI, or a resource under it: ``<doi>/email``, ``<doi>.ris``) is not recorded."""

    __slots__ = ("by_key", "entries", "own", "own_dois", "total")

    def __init__(self, own: frozenset[str] = frozenset()) -> None:
        self.by_key: dict[str, dict] = {}
        self.entries: list[dict] = []
        self.total = 0
        self.own = own
        self.own_dois = tuple(k for k in own if k.startswith("doi:"))

    def is_own(self, ids: tuple[str, ...]) -> bool:
        for k in ids:
            if k in self.own:
                return True
            for doi in self.own_dois:
                if k.startswith(doi) and k[len(doi):len(doi) + 1] in ("/", "."):
                    return True
        return False

    def alias(self, entry: dict, key: str, ids: tuple[str, ...]) -> None:
        self.by_key.setdefault(key, entry)
        for k in ids:
            self.by_key.setdefault(k, entry)

    def add(self, url: str, key: str, text: str, in_refs: bool, prose: tuple[str, str] | None,
            ids: tuple[str, ...] = ()) -> dict | None:
        if ids and self.own and self.is_own(ids):
            return None
        entry = self.by_key.get(key)
        if entry is None:
            for k in ids:
                entry = self.by_key.get(k)
                if entry is not None:
                    break
        if entry is not None:
            if in_refs:
                entry["in_references"] = True
            if prose and not entry["_prose"]:
                entry["_prose"] = prose
            if (not entry["text"] or GENERIC_TEXT.match(entry["text"])) and text and not GENERIC_TEXT.match(text):
                entry["text"] = text
            self.alias(entry, key, ids)
            return entry
        self.total += 1
        entry = {"url": url, "text": text, "in_references": in_refs, "_prose": prose}
        if len(self.entries) < MAX_CITATIONS:
            self.entries.append(entry)  # past the cap: counted and de-duplicated, not listed
        self.by_key[key] = entry
        for k in ids:
            self.by_key[k] = entry
        return entry


UNSEEN = object()


def work_ids(url: str | None) -> tuple[str, ...]:
    """The keys of the work a URL names: its DOI, PMID and PMCID, wherever they sit (path or query)."""
    if not url:
        return ()
    low = url.lower()
    if "10." not in low and "pubmed" not in low and "ncbi" not in low and "pm" not in low:
        return ()
    out = []
    doi, pmid, pmcid = ids_from_url(url)
    if doi:
        out.append("doi:" + doi.lower())
    if pmid:
        out.append("pmid:" + pmid)
    if pmcid:
        out.append("pmc:" + pmcid.upper())
    return tuple(out)


_OWN_ID_META = ("citation_doi", "prism.doi", "dc.identifier", "bepress_citation_doi", "citation_pmid")


def redirect_target(url: str) -> str | None:
    """The absolute http(s) URL a link's query hands on (``?url=https%3A%2F%2F...``), if any."""
    query = url.partition("?")[2]
    if "http" not in query:
        return None
    for part in query.split("&"):
        value = unquote(part.partition("=")[2])
        if value.startswith(("http://", "https://")):
            return value
    return None


def own_ids(page: Page) -> frozenset[str]:
    """The work the page itself is: the DOI, PMID or PMCID of its address or canonical, or of the meta
    tags scholarly pages carry (citation_doi, dc.identifier...). Links to it are not citations."""
    own = set(work_ids(page.url)) | set(work_ids(page.canonical))
    for name in _OWN_ID_META:
        for value in page.meta.get(name, ()):
            doi = doi_from_text(value)
            if doi:
                own.add("doi:" + doi.lower())
            elif name == "citation_pmid" and value.isdigit():
                own.add("pmid:" + value)
    return frozenset(own)


def own_site_guess(page: Page) -> str | None:
    """With no URL known, the page's own site: the one the links of the site's furniture (menus, header,
    footer: the links outside the article) point to most, when one leads. Its links are not citations."""
    counts: dict[str, int] = {}
    for link in page.links:
        if link.in_main:
            continue
        cleaned = clean_url(link.url)
        if cleaned is None:
            continue
        site = site_of(cleaned[2])
        if site in _SHARE_SITES:
            continue
        counts[site] = counts.get(site, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None  # no site leads: a footer of partner or social links
    return max(counts, key=counts.__getitem__)


def is_share(url: str) -> bool:
    low = url.lower()
    if _SHARE_LITERALS is not None and len(low) == len(url) and low.isascii():
        for literal in _SHARE_LITERALS:  # a plain loop: cheaper than any() over a generator
            if literal in low:
                break
        else:
            return False
    return _SHARE.search(url) is not None


def is_specific_link(url: str, kind: str) -> bool:
    """A shop or social link that points at something (a post, a product), not a home or profile page."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if kind == "social":
        return len(segments) >= 2 or bool(parts.query)
    return bool(segments) or bool(parts.query)


def text_identifiers(text: str, cites: Citations, in_refs: bool) -> None:
    if "10." in text:
        for m in _DOI_IN_TEXT.finditer(text):
            doi = _trim_doi(m.group(0))
            if doi is None:
                continue
            key = "doi:" + doi.lower()
            cites.add("https://doi.org/" + doi, key, "doi:" + doi, in_refs, None, (key,))
    if "PMID" in text:
        for m in _PMID_IN_TEXT.finditer(text):
            pmid = m.group(1)
            key = "pmid:" + pmid
            cites.add(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", key, "PMID: " + pmid, in_refs, None, (key,))


def _trim_doi(doi: str) -> str | None:
    doi = strip_doi_tail(doi)
    slash = doi.find("/")
    if slash < 0 or slash == len(doi) - 1:
        return None
    return doi
