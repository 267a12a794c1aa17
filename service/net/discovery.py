"""Which pages a site batch audits: URL normalisation, crawl scope, sitemaps, links to follow.

Nothing here fetches or parses HTML pages: sitemaps are fetched through the ``get`` callable
the caller passes in (the batch engine hands over its polite, SSRF-safe fetcher), and crawl
links come from the ``scoring.Page`` the engine has already parsed for the audit.

* :func:`normalize_url` gives every URL one spelling (w3lib's ``canonicalize_url`` plus the
  removal of tracking parameters and default ports) so that a page is audited once.
* :class:`Scope` says whether a URL belongs to the batch: same site, include/exclude
  patterns, no images/styles/scripts/archives.  PDFs stay in scope on purpose: a health
  site's leaflets are content its owner wants to hear about, so a listed or linked PDF is
  audited and recorded as a ``not-html`` error instead of silently dropped.
* :func:`read_sitemaps` reads sitemap indexes and urlsets (gzipped or not, namespaced or
  not, XML or plain text) safely: no entities, no network access from the parser, a cap on
  the decompressed size, loops and over-long files recorded as errors.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from lxml import etree
from w3lib.url import canonicalize_url, url_query_cleaner

__all__ = [
    "FALLBACK_SITEMAP_PATHS",
    "MAX_SITEMAP_BYTES",
    "MAX_URLS_PER_SITEMAP",
    "Found",
    "Scope",
    "SitemapResult",
    "links_to_follow",
    "normalize_url",
    "read_sitemaps",
    "sitemap_candidates",
]

MAX_URLS_PER_SITEMAP = 50_000  # sitemaps.org: at most 50,000 URLs ...
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # ... and 50 MiB uncompressed per file
MAX_SITEMAP_FILES = 1_000  # per batch: an index of indexes cannot make us fetch forever
MAX_INDEX_DEPTH = 4  # index -> index -> ... -> urlset; real sites use 1, rarely 2
FALLBACK_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml")
_MAX_URL_LENGTH = 8192

# Tracking parameters: they never change the page, only the analytics.  A conservative list:
# broader heuristics (courlan's, for instance, drops any parameter starting with "ref" or
# "ga") would merge distinct pages such as ?gallery=2 or ?reference=x.
_TRACKING_RE = re.compile(
    r"^(?:utm_|mtm_|pk_|oly_|hsa_|matomo_)|"
    r"^(?:fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|igshid|li_fat_id|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|_openstat|srsltid|vero_id|vero_conv|wickedid|xtor)$",
    re.IGNORECASE,
)

# Never pages: images, styles, scripts, fonts, media, archives, office files.
SKIP_EXTENSIONS = frozenset(
    """
    jpg jpeg png gif webp avif svg ico bmp tif tiff heic css js mjs map json woff woff2 ttf otf eot
    mp3 mp4 m4a m4v avi mov webm wav ogg ogv flac mkv zip gz tgz tar rar 7z bz2 xz dmg exe apk msi iso
    doc docx xls xlsx ppt pptx odt ods odp csv rss atom
    """.split()
)

# --------------------------------------------------------------------------- URLs


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical absolute form of an http(s) URL, or None when it is not one.

    Resolved against ``base``; scheme and host lower-cased (IDNA), default port, fragment and
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``...) dropped, query sorted,
    percent-encoding normalised, dot segments resolved, empty path made ``/``.  URLs with
    credentials are refused (the fetcher would refuse them too).
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > _MAX_URL_LENGTH:
        return None
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
            return None
        port = parts.port  # raises ValueError when out of range
        if parts.query:
            names = {name for name, _value in parse_qsl(parts.query, keep_blank_values=True)}
            tracking = [name for name in names if _TRACKING_RE.match(name)]
            if tracking:
                url = url_query_cleaner(url, tracking, remove=True, unique=False, keep_fragments=True)
        url = canonicalize_url(url, keep_fragments=False)
        parts = urlsplit(url)
        host = parts.hostname.rstrip(".")
    except (ValueError, UnicodeError):
        return None
    if not host:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != (443 if scheme == "https" else 80):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def _site_key(url: str) -> tuple[str, int] | None:
    """(host with ``www.`` folded, port) -- what "the same site" compares."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    return (host, 443 if port == 80 else port) if host else None  # http and https of one host are one site


def _extension(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


@dataclass
class Scope:
    """Which URLs belong to a batch.

    A URL is in scope when it is http(s), on the start URL's site (same host, ``www.``
    folded, same port; http and https alike), its path does not end in a non-page
    extension (:data:`SKIP_EXTENSIONS`), its path+query matches one of ``include`` (when
    given) and none of ``exclude`` (regular expressions, ``re.search``).  The start URL
    itself is always in scope, so that a crawl can begin.  ``max_depth`` bounds the crawl
    (links of the start page are depth 1); None means unbounded.
    """

    start_url: str
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_depth: int | None = None

    def __post_init__(self) -> None:
        start = normalize_url(self.start_url)
        if start is None:
            raise ValueError(f"start URL {self.start_url!r} is not an absolute http(s) URL")
        self._start = start
        self._site = _site_key(start)
        self._include = [_compile(p, "include") for p in self.include]
        self._exclude = [_compile(p, "exclude") for p in self.exclude]
        if self.max_depth is not None and self.max_depth < 0:
            raise ValueError("max_depth must be >= 0")

    def allows(self, url: str) -> bool:
        norm = normalize_url(url)
        return norm is not None and self._allows_normalized(norm)

    def _allows_normalized(self, norm: str) -> bool:
        if norm == self._start:
            return True
        if _site_key(norm) != self._site:
            return False
        parts = urlsplit(norm)
        if _extension(parts.path) in SKIP_EXTENSIONS:
            return False
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if self._include and not any(p.search(target) for p in self._include):
            return False
        return not any(p.search(target) for p in self._exclude)


def _compile(pattern: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"{what} pattern {pattern!r} is not a valid regular expression: {e}") from None


def links_to_follow(hrefs: Iterable[str], base_url: str, scope: Scope, depth: int) -> list[str]:
    """The links of a page at ``depth`` that a breadth-first crawl queues (at ``depth + 1``):
    normalised, in scope, first occurrence kept, none when ``depth + 1`` exceeds
    ``scope.max_depth``."""
    if scope.max_depth is not None and depth + 1 > scope.max_depth:
        return []
    out: dict[str, None] = {}
    for href in hrefs:
        url = normalize_url(href, base_url)
        if url is not None and url not in out and scope._allows_normalized(url):
            out[url] = None
    return list(out)


# --------------------------------------------------------------------------- sitemaps


@dataclass(frozen=True)
class Found:
    """A page to audit and where it was found (``sitemap``, ``crawl`` or ``list``)."""

    url: str
    lastmod: str | None = None
    source: str = "sitemap"
    depth: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SitemapResult:
    """Pages found in the sitemaps, the sitemap files read and the errors met.

    ``sitemaps``: ``{url, kind ("index" | "urlset" | None when unreadable), status, entries,
    error (a code or None)}``; ``errors``: ``{url, code, message}`` (the ``site.sitemaps`` and
    ``site.sitemap_errors`` of the batch summary).  ``out_of_scope`` counts listed URLs the
    scope refused; ``truncated`` is true when ``limit`` stopped the reading.
    """

    pages: list[Found] = field(default_factory=list)
    sitemaps: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    out_of_scope: int = 0
    truncated: bool = False


def sitemap_candidates(start_url: str, robots_sitemaps: Iterable[str]) -> list[str]:
    """The sitemaps to read: robots.txt's ``Sitemap:`` lines (normalised, deduplicated),
    else ``/sitemap.xml`` and ``/sitemap_index.xml`` on the start URL's origin."""
    listed = list(dict.fromkeys(u for u in (normalize_url(s) for s in robots_sitemaps) if u))
    if listed:
        return listed
    start = normalize_url(start_url)
    if start is None:
        raise ValueError(f"start URL {start_url!r} is not an absolute http(s) URL")
    return [urljoin(start, path) for path in FALLBACK_SITEMAP_PATHS]


class _SitemapError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# No DTDs, no entities, no network: a sitemap is data from a stranger.
_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True, remove_pis=True
)


def _gunzip(body: bytes, cap: int) -> bytes:
    out = bytearray()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = body
    try:
        while data and not d.eof:
            out += d.decompress(data, cap + 1 - len(out))
            if len(out) > cap:
                raise _SitemapError("too-large", f"decompressed sitemap exceeds {cap} bytes")
            data = d.unconsumed_tail
    except zlib.error as e:
        raise _SitemapError("decode-error", f"corrupt gzip data: {e}") from None
    if not d.eof:
        raise _SitemapError("decode-error", "truncated gzip data")
    return bytes(out)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _parse_sitemap(body: bytes, cap: int) -> tuple[str, list[tuple[str, str | None]], int]:
    """(kind, [(loc, lastmod)], number of entries) of a sitemap file; raises _SitemapError.

    Entries past :data:`MAX_URLS_PER_SITEMAP` are counted, not kept: memory stays bounded whatever
    the file holds.
    """
    if body[:2] == b"\x1f\x8b":  # gzip, whatever the file name or content type says
        body = _gunzip(body, cap)
    if len(body) > cap:
        raise _SitemapError("too-large", f"sitemap exceeds {cap} bytes")
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise _SitemapError("bad-xml", "empty sitemap")
    if not head.startswith(b"<"):  # sitemaps.org also allows a plain text file, one URL per line
        lines = (line.strip() for line in body.decode("utf-8", "replace").splitlines())
        locs = [line for line in lines if line and not line.startswith("#")]
        if not all(loc.lower().startswith(("http://", "https://")) for loc in locs):
            raise _SitemapError("bad-xml", "neither XML nor a text sitemap (one URL per line)")
        return "urlset", [(loc, None) for loc in locs[:MAX_URLS_PER_SITEMAP]], len(locs)
    try:
        root = etree.fromstring(body, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as e:
        raise _SitemapError("bad-xml", f"malformed XML: {e}") from None
    kind = _local(root.tag).lower()
    if kind not in ("sitemapindex", "urlset"):
        raise _SitemapError("not-sitemap", f"root element <{_local(root.tag)}> is neither <urlset> nor <sitemapindex>")
    entry_tag = "sitemap" if kind == "sitemapindex" else "url"
    entries: list[tuple[str, str | None]] = []
    total = 0
    for entry in root:
        if _local(entry.tag) != entry_tag:
            continue
        total += 1
        if total > MAX_URLS_PER_SITEMAP:
            continue
        loc = lastmod = None
        for child in entry:
            name = _local(child.tag)
            if name == "loc" and child.text:
                loc = child.text.strip()
            elif name == "lastmod" and child.text:
                lastmod = child.text.strip()[:64] or None
        entries.append((loc or "", lastmod))
    return ("index" if kind == "sitemapindex" else "urlset"), entries, total


def _is_ancestor(candidate: str, url: str, parents: dict[str, str]) -> bool:
    node: str | None = url
    while node is not None:
        if node == candidate:
            return True
        node = parents.get(node)
    return False


Getter = Callable[[str], tuple[int, bytes, str | None]]


def read_sitemaps(
    urls: Iterable[str],
    get: Getter,
    *,
    limit: int,
    scope: Scope | None = None,
    missing_ok: Collection[str] = (),
    max_bytes: int = MAX_SITEMAP_BYTES,
    max_files: int = MAX_SITEMAP_FILES,
) -> SitemapResult:
    """Read sitemaps breadth-first, following indexes, until ``limit`` pages are found.

    ``get(url)`` returns ``(status, body, content_type)`` or raises (an exception with a
    ``code``, such as ``service.net.fetch.FetchError``, keeps its code).  A sitemap that cannot be
    fetched or parsed is recorded in ``errors`` and the others are still read.  A 404 or 410
    on a URL listed in ``missing_ok`` (the guessed :data:`FALLBACK_SITEMAP_PATHS`) is not
    an error.  Pages are deduplicated by :func:`normalize_url` and, with ``scope``, filtered.
    """
    result = SitemapResult()
    queue: deque[tuple[str, int]] = deque()
    seen: set[str] = set()
    for url in urls:
        norm = normalize_url(url)
        if norm is None:
            result.errors.append({"url": url, "code": "bad-url", "message": "not an absolute http(s) URL"})
        elif norm not in seen:
            seen.add(norm)
            queue.append((norm, 0))
    missing = {normalize_url(u) for u in missing_ok}
    found: set[str] = set()
    parents: dict[str, str] = {}

    def fail(record: dict[str, Any], code: str, message: str) -> None:
        record["error"] = code
        result.errors.append({"url": record["url"], "code": code, "message": message})

    while queue and len(result.pages) < limit:
        url, depth = queue.popleft()
        if len(result.sitemaps) >= max_files:
            result.errors.append(
                {"url": url, "code": "too-many-sitemaps", "message": f"more than {max_files} sitemap files"}
            )
            result.truncated = True
            break
        record: dict[str, Any] = {"url": url, "kind": None, "status": None, "entries": 0, "error": None}
        result.sitemaps.append(record)
        try:
            status, body, _ctype = get(url)
        except Exception as e:  # noqa: BLE001 - any failure of one sitemap is recorded; the others go on
            fail(record, getattr(e, "code", None) or "fetch-error", getattr(e, "message", None) or str(e))
            continue
        record["status"] = status
        if status in (404, 410) and url in missing:
            continue
        if not 200 <= status < 300:
            fail(record, "http-error", f"HTTP {status}")
            continue
        try:
            kind, entries, total = _parse_sitemap(body, max_bytes)
        except _SitemapError as e:
            fail(record, e.code, e.message)
            continue
        record["kind"] = kind
        record["entries"] = total
        if total > MAX_URLS_PER_SITEMAP:  # the protocol's cap: the first 50,000 are read, the excess reported
            fail(record, "too-many-urls", f"{total} entries; sitemaps hold at most {MAX_URLS_PER_SITEMAP}")
        invalid = 0
        for loc, lastmod in entries:
            norm = normalize_url(loc)  # sitemaps.org: <loc> is absolute; a relative one is invalid
            if norm is None:
                invalid += 1
            elif kind == "index":
                if norm in seen:  # listed twice is harmless; an index reaching its own ancestor is a loop
                    if _is_ancestor(norm, url, parents):
                        fail(record, "sitemap-loop", f"{norm} refers back to an index that led here")
                elif depth + 1 > MAX_INDEX_DEPTH:
                    fail(record, "too-deep", f"sitemap indexes nested more than {MAX_INDEX_DEPTH} levels deep")
                else:
                    seen.add(norm)
                    parents[norm] = url
                    queue.append((norm, depth + 1))
            elif norm in found:
                continue
            elif scope is not None and not scope.allows(norm):
                result.out_of_scope += 1
            elif len(result.pages) < limit:
                found.add(norm)
                result.pages.append(Found(norm, lastmod, "sitemap", 0))
            else:
                result.truncated = True
                break
        if invalid:
            fail(record, "bad-url", f"{invalid} entries without a valid absolute http(s) <loc>")
    if queue:
        result.truncated = True
    return result
