"""Classify outbound links by the kind of source they point to.

The registry is data: ``scoring/data/sources.json`` (domains grouped by kind, plus suffix
rules such as ``.gov`` / ``.gouv.fr`` / ``.ac.uk`` and pattern rules such as ``univ-*.fr``).
It is loaded lazily, once, into dicts keyed by domain.  A lookup walks the host's suffixes
(``www.a.b.c`` -> ``a.b.c`` -> ``b.c`` -> ``c``) and stops at the first, i.e. most
specific, match: O(number of labels) dict lookups, no scan over the entries.

At one host suffix the order is: path entry (``ncbi.nlm.nih.gov`` + ``/pmc``), domain
entry, pattern rule, suffix rule.  A suffix rule matches only proper subdomains
(``cdc.gov`` matches rule ``gov``; the host ``gov`` does not).

Identifier kinds: a ``doi`` or ``pubmed`` URL that carries no article identifier (the
PubMed search page, the doi.org home page) is returned as kind ``other``, not
authoritative, keeping the entry's name and domain: it is navigation, not a source.

Public API::

    KINDS                                  # the 11 kind strings
    SourceClass(kind, authoritative, name, domain)   # frozen dataclass
    classify_url(url) -> SourceClass       # never raises on a str
    is_social(url) -> bool
    doi_from_url(url) -> str | None        # resolver URLs and publisher URLs with a DOI
    doi_from_text(text) -> str | None      # first bare DOI in text ("doi: 10.1000/xyz.")
    pmid_from_url(url) -> str | None       # PubMed / Europe PMC / legacy Entrez URLs
    pmcid_from_url(url) -> str | None      # "PMC1234567" from PMC / Europe PMC URLs
    ids_from_url(url) -> (doi, pmid, pmcid)  # the three above, the URL parsed once
    shared_domains() -> frozenset          # public-sector domains where a site is a host (nih.gov...)

For a registry hit, ``name``/``domain`` are the entry's.  For a suffix/pattern rule hit
or an unknown host, ``domain`` is the host without a leading ``www.`` and ``name`` is the
rule's name (or the host for unknown hosts).  Unparseable input gives
``SourceClass("other", False, "", "")``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote

SOURCES_PATH = Path(__file__).resolve().parents[2] / "data" / "sources.json"

KINDS: tuple[str, ...] = (
    "doi", "pubmed", "journal", "guideline", "government", "academic",
    "encyclopedia", "news", "commercial", "social", "other",
)
_KIND_SET = frozenset(KINDS)


@dataclass(frozen=True, slots=True)
class SourceClass:
    kind: str
    authoritative: bool
    name: str
    domain: str


_NO_HOST = SourceClass("other", False, "", "")


class _Registry:
    __slots__ = ("domains", "paths", "patterns", "shared", "suffixes")

    def __init__(self, data: dict) -> None:
        # domain -> SourceClass
        self.domains: dict[str, SourceClass] = {}
        # domain -> ((path prefix, SourceClass), ...) longest prefix first
        self.paths: dict[str, tuple[tuple[str, SourceClass], ...]] = {}
        # suffix after the first label -> ((label prefix, kind, authoritative, name), ...)
        self.patterns: dict[str, tuple[tuple[str, str, bool, str], ...]] = {}
        # suffix -> (kind, authoritative, name)
        self.suffixes: dict[str, tuple[str, bool, str]] = {}
        # public-sector domains shared by independent publishers (a site there is a host)
        self.shared: frozenset[str] = frozenset(
            _norm_domain(d) for d in data.get("shared_domains", {}).get("entries", ()))

        paths: dict[str, list[tuple[str, SourceClass]]] = {}
        for kind, group in data["sources"].items():
            _check_kind(kind, f"sources.{kind}")
            for e in group["entries"]:
                domain = _norm_domain(e["domain"])
                sc = SourceClass(kind, _bool(e["authoritative"], domain), str(e["name"]), domain)
                path = e.get("path")
                if path:
                    prefix = "/" + path.strip("/").lower()
                    lst = paths.setdefault(domain, [])
                    if any(p == prefix for p, _ in lst):
                        raise ValueError(f"sources.json: duplicate entry {domain}{prefix}")
                    lst.append((prefix, sc))
                else:
                    if domain in self.domains:
                        raise ValueError(f"sources.json: duplicate domain {domain}")
                    self.domains[domain] = sc
        self.paths = {d: tuple(sorted(v, key=lambda t: -len(t[0]))) for d, v in paths.items()}

        pats: dict[str, list[tuple[str, str, bool, str]]] = {}
        for r in data.get("pattern_rules", {}).get("entries", ()):
            pattern = r["pattern"].strip().lower()
            head, sep, rest = pattern.partition(".")
            if not sep or not head.endswith("*") or "*" in head[:-1] or "*" in rest:
                raise ValueError(f"sources.json: bad pattern {pattern!r} (want 'prefix*.suffix')")
            _check_kind(r["kind"], pattern)
            pats.setdefault(rest, []).append(
                (head[:-1], r["kind"], _bool(r["authoritative"], pattern), str(r["name"]))
            )
        self.patterns = {k: tuple(v) for k, v in pats.items()}

        for r in data.get("suffix_rules", {}).get("entries", ()):
            suffix = _norm_domain(r["suffix"])
            _check_kind(r["kind"], suffix)
            if suffix in self.suffixes:
                raise ValueError(f"sources.json: duplicate suffix rule {suffix}")
            self.suffixes[suffix] = (r["kind"], _bool(r["authoritative"], suffix), str(r["name"]))


def _check_kind(kind: str, where: str) -> None:
    if kind not in _KIND_SET:
        raise ValueError(f"sources.json: unknown kind {kind!r} at {where}")


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"sources.json: 'authoritative' must be true/false at {where}")
    return value


def _norm_domain(d: str) -> str:
    d = d.strip().strip(".").lower()
    if d.startswith("www."):
        d = d[4:]
    return d


@cache
def _registry() -> _Registry:
    with SOURCES_PATH.open(encoding="utf-8") as fh:
        return _Registry(json.load(fh))


def shared_domains() -> frozenset[str]:
    """Public-sector domains shared by many publishers (``nih.gov``, ``gov.uk``...), from sources.json."""
    return _registry().shared


# --------------------------------------------------------------------------- URL parsing

_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*\Z")
_HOST_BAD_RE = re.compile(r"[\s<>\"'`{}|^%]")
_AUTH_END = re.compile(r"[/?#\\]")


def _split(url: str) -> tuple[str, str, str] | None:
    """Return (host, path, query) for http(s)-like and scheme-less URLs, else None.

    Host is lower-cased, without userinfo, port, or trailing dot.  Path may be "".
    """
    s = url.strip()
    i = s.find("://")
    if i > 0:
        if not _SCHEME_RE.match(s, 0, i):
            return None
        rest = s[i + 3:]
    elif s.startswith("//"):
        rest = s[2:]
    else:
        # Scheme-less: "www.nhs.uk/conditions" is a host; "mailto:x", "doi:10..." are not.
        colon = s.find(":")
        if colon >= 0:
            slash = _AUTH_END.search(s)
            if slash is None or colon < slash.start():
                before = s[:colon]
                if "." not in before:  # a scheme ("mailto", "tel", "javascript") not a host
                    return None
        rest = s
    m = _AUTH_END.search(rest)
    if m is None:
        authority, tail = rest, ""
    else:
        authority, tail = rest[: m.start()], rest[m.start():]
    host = authority.rpartition("@")[2]
    if host.startswith("["):  # IPv6 literal: never in the registry
        return None
    host = host.partition(":")[0].rstrip(".").lower()
    if not host or "." not in host or _HOST_BAD_RE.search(host):
        return None
    q = tail.find("?")
    h = tail.find("#")
    if h >= 0:
        if q > h:
            q = -1
        tail = tail[:h]
    if q >= 0:
        return host, tail[:q], tail[q + 1:]
    return host, tail, ""


def _lookup(host: str, path: str) -> SourceClass:
    reg = _registry()
    domains, paths, patterns, suffixes = reg.domains, reg.paths, reg.patterns, reg.suffixes
    level = host
    first = True
    lpath: str | None = None
    while True:
        prules = paths.get(level)
        if prules is not None:
            if lpath is None:
                lpath = path.lower().replace("\\", "/")
            for prefix, sc in prules:
                if lpath.startswith(prefix) and (len(lpath) == len(prefix) or lpath[len(prefix)] == "/"):
                    return sc
        sc = domains.get(level)
        if sc is not None:
            return sc
        dot = level.find(".")
        if dot < 0:
            break
        rest = level[dot + 1:]
        prs = patterns.get(rest)
        if prs is not None:
            label = level[:dot]
            for prefix, kind, auth, name in prs:
                if label.startswith(prefix) and len(label) > len(prefix):
                    return SourceClass(kind, auth, name, _strip_www(host))
        if not first:
            rule = suffixes.get(level)
            if rule is not None:
                return SourceClass(rule[0], rule[1], rule[2], _strip_www(host))
        first = False
        level = rest
    # the last label alone (a bare TLD such as "gov") can only be a suffix rule
    if not first:
        rule = suffixes.get(level)
        if rule is not None:
            return SourceClass(rule[0], rule[1], rule[2], _strip_www(host))
    d = _strip_www(host)
    return SourceClass("other", False, d, d)


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


# --------------------------------------------------------------------------- identifiers

_DOI_TEXT_RE = re.compile(r"(?<![\w.])10\.\d{4,9}/[^\s\"'<>]+")
_DOI_URL_RE = re.compile(r"(?<![\w.])10\.\d{4,9}/[^\s\"'<>&]+")
_DOI_PREFIX_RE = re.compile(r"10\.\d{4,9}/")
_DOI_SCHEME_RE = re.compile(r"\s*(?:doi:|info:doi/)\s*", re.I)
_HTML_QUERY_TAIL = re.compile(r"&(?:amp;|[A-Za-z_][\w.\-]*=)")
# trailing path segments publishers append after the DOI
_PUBLISHER_TAIL = re.compile(
    r"/(?:full|abstract|abs|pdf|epdf|pdfdirect|fulltext|html|meta|epub|references|figures|tables|"
    r"metrics|citedby|suppl|supplementary|reader|summary)(?:/.*)?\Z",
    re.I,
)
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org", "doi.wiley.com"})


def strip_doi_tail(doi: str) -> str:
    """Drop sentence punctuation, quotes and unbalanced closing brackets that follow a DOI in text."""
    while doi:
        last = doi[-1]
        if last in ".,;:!?/\\'\"”»":
            doi = doi[:-1]
        elif last in ")]}":
            opener = {")": "(", "]": "[", "}": "{"}[last]
            if doi.count(opener) < doi.count(last):
                doi = doi[:-1]
            else:
                break
        else:
            break
    return doi


def _clean_doi(doi: str) -> str | None:
    m = _HTML_QUERY_TAIL.search(doi)
    if m:
        doi = doi[: m.start()]
    doi = strip_doi_tail(doi)
    prefix = _DOI_PREFIX_RE.match(doi)
    if prefix is None or len(doi) == prefix.end():
        return None
    return doi


def doi_from_text(text: str) -> str | None:
    """First DOI in free text ("doi: 10.1002/wps.20331." -> "10.1002/wps.20331"), or None."""
    if not text or "10." not in text:
        return None
    for m in _DOI_TEXT_RE.finditer(text):
        doi = _clean_doi(m.group(0))
        if doi:
            return doi
    return None


def doi_from_url(url: str) -> str | None:
    """DOI carried by a URL: doi.org/dx.doi.org resolvers, and publisher URLs that embed it
    (``/doi/10.1111/...``, ``/article/10.1007/...``, ``?doi=10...``).  Percent-encoding is
    decoded; trailing ``/full``, ``/abstract``, ``/pdf``... segments are dropped."""
    if not url or ("10." not in url and "%" not in url):
        return None
    parts = _split(url)
    if parts is None:
        return None
    return _doi_from_parts(parts)


def _doi_from_parts(parts: tuple[str, str, str]) -> str | None:
    host, path, query = parts
    path = unquote(path.replace("\\", "/"))
    if host in _DOI_HOSTS:
        p = _DOI_SCHEME_RE.sub("", path.lstrip("/"), count=1)
        if p.startswith("10."):
            return _clean_doi(p)
        return None
    m = _DOI_URL_RE.search(path)
    if m:
        doi = _PUBLISHER_TAIL.sub("", m.group(0))
        doi = _clean_doi(doi)
        if doi:
            return doi
    if query and "10." in unquote(query):
        for part in query.split("&"):
            value = unquote(part.partition("=")[2] if "=" in part else part)
            m = _DOI_URL_RE.search(value)
            if m:
                doi = _clean_doi(m.group(0))
                if doi:
                    return doi
    return None


NCBI_HOSTS = frozenset({
    "ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "pubmed.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov", "pubmed.gov", "www.pubmed.gov", "www.ncbi.nih.gov", "ncbi.nih.gov",
})
EPMC_HOSTS = frozenset({"europepmc.org", "www.europepmc.org"})
_DIGITS_RE = re.compile(r"\d{1,9}\Z")
_PMID_TERM_RE = re.compile(r"(?:pmid:?\s*)?(\d{1,9})\s*(?:\[(?:pmid|uid)\])?\Z", re.I)
_PMCID_RE = re.compile(r"pmc\d{1,9}\Z", re.I)


def _segments(path: str) -> list[str]:
    return [s for s in path.replace("\\", "/").split("/") if s]


def _query_params(query: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in query.replace("&amp;", "&").split("&"):
        k, _, v = part.partition("=")
        out.setdefault(unquote(k).lower(), unquote(v.replace("+", " ")))
    return out


def pmid_from_url(url: str) -> str | None:
    """PubMed ID from pubmed.ncbi.nlm.nih.gov/<id>, ncbi.nlm.nih.gov/pubmed/<id>, the old
    ``/pubmed/?term=<id>`` and Entrez ``list_uids=<id>`` forms, PMC ``/articles/pmid/<id>``
    and Europe PMC ``/article/MED/<id>``."""
    parts = _split(url) if url else None
    if parts is None:
        return None
    return _pmid_from_parts(parts)


def _pmid_from_parts(parts: tuple[str, str, str]) -> str | None:
    host, path, query = parts
    if host in NCBI_HOSTS:
        segs = _segments(path)
        low = [s.lower() for s in segs]
        if host.startswith("pubmed.") or host.endswith("pubmed.gov"):
            if segs and _DIGITS_RE.match(segs[0]):
                return segs[0]
            if not segs and query:
                return _pmid_term(_query_params(query).get("term", ""))
            return None
        if "pmid" in low:  # PMC: /articles/pmid/<id>/ or /pmc/articles/pmid/<id>/
            i = low.index("pmid")
            if i + 1 < len(segs) and _DIGITS_RE.match(segs[i + 1]):
                return segs[i + 1]
            return None
        if low and low[0] == "pubmed":
            if len(segs) > 1 and _DIGITS_RE.match(segs[1]):
                return segs[1]
            if query:
                return _pmid_term(_query_params(query).get("term", ""))
            return None
        if "entrez" in low and query:
            params = _query_params(query)
            if params.get("db", "pubmed").lower() == "pubmed":
                uid = params.get("list_uids") or params.get("uid") or ""
                uid = uid.split(",")[0].strip()
                if _DIGITS_RE.match(uid):
                    return uid
                # the search form of the same era: ?Db=pubmed&Cmd=ShowDetailView&TermToSearch=<id>
                return _pmid_term(params.get("termtosearch") or params.get("term") or "")
        return None
    if host in EPMC_HOSTS:
        segs = _segments(path)
        low = [s.lower() for s in segs]
        if "med" in low:
            i = low.index("med")
            if i > 0 and low[i - 1] in ("article", "abstract") and i + 1 < len(segs):
                if _DIGITS_RE.match(segs[i + 1]):
                    return segs[i + 1]
    return _query_id(query, "pmid=", _DIGITS_RE)


def _query_id(query: str, name: str, shape: re.Pattern[str]) -> str | None:
    """An identifier any site may carry as a query parameter of its own name (``?pmid=123``)."""
    if not query or name not in query.lower():
        return None
    value = _query_params(query).get(name[:-1], "").strip()
    return value if shape.match(value) else None


def _pmid_term(term: str) -> str | None:
    m = _PMID_TERM_RE.match(term.strip())
    return m.group(1) if m else None


def pmcid_from_url(url: str) -> str | None:
    """PMC ID ("PMC1234567") from PMC or Europe PMC article URLs."""
    parts = _split(url) if url else None
    if parts is None:
        return None
    return _pmcid_from_parts(parts)


def _pmcid_from_parts(parts: tuple[str, str, str]) -> str | None:
    host, path, query = parts
    if host in NCBI_HOSTS or host in EPMC_HOSTS:
        for seg in _segments(path):
            if _PMCID_RE.match(seg):
                return "PMC" + seg[3:]
    pmcid = _query_id(query, "pmcid=", _PMCID_RE)
    return "PMC" + pmcid[3:] if pmcid else None


def ids_from_url(url: str) -> tuple[str | None, str | None, str | None]:
    """(DOI, PMID, PMCID) of a URL, as doi_from_url, pmid_from_url and pmcid_from_url give them,
    parsing the URL once; PubMed and PMC IDs are looked for only on NCBI and Europe PMC hosts."""
    parts = _split(url) if url else None
    if parts is None:
        return None, None, None
    doi = _doi_from_parts(parts) if "10." in url or "%" in url else None
    if parts[0] not in NCBI_HOSTS and parts[0] not in EPMC_HOSTS and "pm" not in parts[2].lower():
        return doi, None, None
    return doi, _pmid_from_parts(parts), _pmcid_from_parts(parts)


def _is_europepmc_article(path: str) -> bool:
    # /article/MED/123, /abstract/MED/123, /article/PMC/PMC123, /article/PPR/PPR123, /articles/PMC123
    low = [s.lower() for s in _segments(path)]
    if len(low) >= 3 and low[0] in ("article", "abstract"):
        return True
    return len(low) >= 2 and low[0] == "articles"


# --------------------------------------------------------------------------- classify

def classify_url(url: str) -> SourceClass:
    """Classify a link by its host (and, for a few hosts, its path).  Never raises on str input."""
    if not isinstance(url, str) or not url:
        return _NO_HOST
    if "://" not in url:
        s = url.strip()
        if s.startswith("10.") or _DOI_SCHEME_RE.match(s):
            # a bare DOI ("10.1000/xyz", "doi:10.1000/xyz") names a DOI-registered work
            if doi_from_text(s):
                return _registry().domains["doi.org"]
    parts = _split(url)
    if parts is None:
        return _NO_HOST
    host, path, _query = parts
    sc = _lookup(host, path)
    kind = sc.kind
    if kind == "doi":  # as doi_from_url(url) is None, without parsing the URL again
        if ("10." not in url and "%" not in url) or _doi_from_parts(parts) is None:
            return SourceClass("other", False, sc.name, sc.domain)
    elif kind == "pubmed":
        if sc.domain == "europepmc.org":
            ok = _is_europepmc_article(path)
        else:
            ok = _pmid_from_parts(parts) is not None or _pmcid_from_parts(parts) is not None
        if not ok:
            return SourceClass("other", False, sc.name, sc.domain)
    return sc


def is_social(url: str) -> bool:
    """True if the link points to a social network / video / messaging platform."""
    return classify_url(url).kind == "social"
