"""JSON-LD an editor can paste: the page's markup merged, corrected and completed from the page itself.

``build_fix(ctx)`` returns::

    {"jsonld":  {"@context": "https://schema.org", "@graph": [...]},
     "script":  '<script type="application/ld+json">...</script>'  (pretty-printed; <, > and & escaped),
     "changes": [{"action": "add"|"correct"|"keep"|"remove", "path", "property", "value", "reason"}, ...],
     "missing": [{"property", "message", "checks": [check ids]}, ...],
     "unfixed": [{"property", "message", "checks", "syntax", "code"}, ...]}

The graph: a ``WebSite`` (the site's origin), the publisher ``Organization`` (its logo only when the
markup declares one), the page node (``MedicalWebPage`` for health content; otherwise the page's
own type, or ``WebPage``) with headline, description, url, inLanguage, the three dates, author and
reviewedBy as ``Person`` nodes, publisher, isPartOf, about (kept), citation (``CreativeWork`` with a
DOI/PMID/PMCID ``identifier``) and breadcrumb; every other valid JSON-LD node of the page is kept.

Rules:

* Nothing is invented. Every value comes from the page's visible text, its meta tags, its links or
  its existing markup (a site origin and a canonical URL count as the page's own URLs). What the
  page does not say goes to ``missing`` with the checks it affects, for the editor to supply.
* Existing values are kept unless they are invalid or contradict the page: a headline unlike both
  the H1 and the title, a date that the page shows differently, a non-ISO date (corrected only
  when the page shows that date or its meta tags give it, otherwise removed), a url other than the canonical, an
  inLanguage other than the page's language, an author the page does not show when it shows
  another. Author names lose honorifics and credentials, which move to honorificPrefix,
  honorificSuffix and jobTitle as written on the page; bare-text authors become Person nodes.
* A health page's node becomes ``MedicalWebPage``; article types (Article, NewsArticle,
  BlogPosting...) stay on the node beside it so their properties stay valid, while other page
  types (WebPage, FAQPage...) and the other top-level JSON-LD nodes describing the same page are
  merged into it: one node per page.
* Dates are as precise as the page: one shown only to the month ("April 2017") is written 2017-04
  (or keeps the markup's own day in that month), never a made-up 1st, and ``missing`` asks for the
  full date. A time zone is never added. htmldate's guess is not used.
* The output is validated with ``scoring.validate``; whatever still fails is removed (or renamed:
  superseded terms, case slips) and each removal is listed in ``changes``. Warnings that only the
  editor can clear (no profile link, a date without time zone) go to ``missing``.
* Microdata and RDFa are left in the page: ``apply_fix`` only replaces JSON-LD blocks. Their
  own problems (and a second page node they would make) are listed in ``unfixed``; the JSON-LD
  page node never reuses a microdata ``itemid``, so the two are not merged back on a new audit.

``apply_fix(html, script)`` removes the page's ``application/ld+json`` blocks and inserts the script
before ``</head>``, leaving the rest of the document as it was.
"""

from __future__ import annotations

import html as _html
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from . import vocab as V
from .audience import audience_node, audience_reason
from .checks.markup import CORE_PROPERTIES, HEALTH_PROPERTIES
from .consistency import similar_text
from .credentials import HONORIFICS, honorific_forms, written_forms
from .dates import extract_dates, parse_date
from .facts import HEALTH_PAGE_TYPES
from .language import normalize_lang
from .names import PROFESSIONS, looks_like_person, parse_person, person_key
from .page import Page, decode_html, element_text, is_inside
from .sources import EPMC_HOSTS, NCBI_HOSTS, doi_from_url, pmcid_from_url, pmid_from_url
from .validate import author_name_problems, validate_nodes

__all__ = ["build_fix", "fix_html", "render_script", "apply_fix", "apply_fix_bytes", "MAX_CITATIONS"]

CONTEXT = "https://schema.org"
MAX_CITATIONS = 20
_TMP = "_:healthgeo-fix-"
_HONORIFIC_CANON = frozenset(HONORIFICS.values())
_PROFESSION_CANON = frozenset(PROFESSIONS.values())
_DATES = (("datePublished", "date_published", "published"), ("dateModified", "date_modified", "updated"),
          ("lastReviewed", "last_reviewed", "reviewed"))
_PAGE_DATE_SOURCES = frozenset({"meta", "time", "visible"})  # htmldate's guess is not the page's word
_HINT = re.compile(r"Did you mean (\w+)\?")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_CRUMB_STRIP = " \t\r\n\u00a0>›»/|·•…."

# what each absent property costs, and who has to supply it
_CHECKS = {
    "author": ["markup.health-properties", "authorship.author-named", "authorship.markup-person"],
    "reviewedBy": ["markup.health-properties", "authorship.reviewer-named"],
    "lastReviewed": ["markup.health-properties", "authorship.review-date"],
    "dateModified": ["markup.health-properties", "authorship.review-date"],
    "citation": ["markup.health-properties", "sourcing.authoritative-citations"],
}
_ABSENT = {
    "headline": "the page has neither an H1 nor a title to use as headline",
    "description": "the page has no meta description: write a one- or two-sentence summary of the page",
    "author": "no author is named on the page: show a byline with the author's name and mark it up",
    "datePublished": "no publication date on the page: show it ('Published on ...') and add datePublished",
    "dateModified": "no date of last update on the page: show it ('Updated on ...') and add dateModified",
    "lastReviewed": "no date of last medical review on the page: show it ('Medically reviewed on ...') and "
                    "add lastReviewed",
    "reviewedBy": "no medical reviewer is named on the page: have a health professional review it, name them "
                  "('Medically reviewed by ...') and add reviewedBy",
    "publisher": "the page does not name its publisher (no publisher markup, no og:site_name): add the "
                 "organisation behind the site as publisher",
    "about": "the markup does not say what the page is about: add about (e.g. a MedicalCondition or Drug "
             "with its name)",
    "audience": "no audience is declared: add audience (e.g. Patient, or a MedicalAudience) if the page "
                "targets one",
    "inLanguage": "the page's language is unknown: add lang to <html>",
    "citation": "the page cites no authoritative source (studies, guidelines, health agencies) to mark up as "
                "citation",
}


# ------------------------------------------------------------------ small helpers

def _flat(value: Any) -> list:
    """The values of a property as a new list, nested lists flattened."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [value]
    out: list = []
    for item in value:
        if isinstance(item, list):
            out.extend(_flat(item))
        else:
            out.append(item)
    return out


def _first_str(value: Any) -> str | None:
    if isinstance(value, str):  # the usual single value
        return value.strip() or None
    for item in _flat(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
    return None


def _real_id(node: dict) -> str | None:
    ident = node.get("@id")
    return ident if isinstance(ident, str) and ident and not ident.startswith(_TMP) else None


def _types(node: dict) -> list[str]:
    raw = node.get("@type")
    if not raw:
        return []
    if isinstance(raw, list):
        return [t for t in raw if isinstance(t, str)]
    return [raw] if isinstance(raw, str) else []


def _is_stub(node: dict) -> bool:
    return not _types(node) and all(k.startswith("@") for k in node)


def _party(node: dict) -> bool:
    """A Person or an Organization (or a subtype): what author, publisher and reviewedBy expect."""
    return any(not _foreign(t) and V.is_type(t) and (V.is_subtype(t, "Person") or V.is_subtype(t, "Organization"))
               for t in _types(node))


def _foreign(term: str) -> bool:
    return ":" in term or "/" in term


def _page_family(t: str) -> bool:
    return not _foreign(t) and V.is_type(t) and V.is_subtype(t, "WebPage")


def _org_family(t: str) -> bool:
    return not _foreign(t) and V.is_type(t) and V.is_subtype(t, "Organization")


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}/"


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _norm_url(url: str) -> str:
    """The comparison key of scoring.consistency: host without www, path without trailing slash."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url.strip()
    return f"{host}{parts.path.rstrip('/')}"


def _work_url_key(url: str) -> str:
    """A cited work known only by its URL: the page key with the query, which often names the work
    (`query.fcgi?list_uids=123`, `article.php?id=9`). A work with a DOI, PMID or PMCID is known by those."""
    query = url.partition("?")[2].partition("#")[0]
    return _norm_url(url) + ("?" + query if query else "")


def _summary(value: Any) -> Any:
    """A short JSON-safe picture of a value for the changes list."""
    if isinstance(value, list):
        items = [_summary(v) for v in value[:5]]
        return items + [f"... ({len(value) - 5} more)"] if len(value) > 5 else items
    if isinstance(value, dict):
        out: dict = {}
        ident = _real_id(value)
        if ident:
            out["@id"] = ident
        types = _types(value)
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        for key in ("name", "url", "headline"):
            text = _first_str(value.get(key))
            if text:
                out[key] = text[:200]
                break
        return out
    if isinstance(value, str) and len(value) > 300:
        return value[:297] + "..."
    return value


def _written(canon: str, kind: str, texts: list[str]) -> str:
    """A credential, honorific or profession as the page writes it ("M.D.", "Docteur", "pharmacienne")."""
    if not texts:
        return canon
    joined = "\n".join(texts)
    if _whole_word(canon).search(joined):
        return canon
    match = _written_forms(canon, kind).search(joined)
    return match.group(0).strip() if match else canon


# Compiled once per credential: the module-level regex cache is shared with the whole audit and page-made
# patterns push these out of it.
@lru_cache(maxsize=1024)
def _whole_word(canon: str) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(canon)}(?![\w])")


@lru_cache(maxsize=1024)
def _written_forms(canon: str, kind: str) -> re.Pattern:
    """The ways a page writes a canonical credential, honorific or profession (case-insensitive)."""
    if kind == "honorific":
        pattern = rf"(?<![\w])(?:{'|'.join(map(re.escape, honorific_forms(canon)))})\.?(?![\w])"
    elif kind == "profession":
        alts = sorted({k for k, v in PROFESSIONS.items() if v == canon}, key=len, reverse=True)
        pattern = rf"(?<![\w])(?:{'|'.join(map(re.escape, alts))})(?![\w])"
    else:
        pattern = rf"(?<![\w.]){written_forms(canon)}(?![\w])"
    return re.compile(pattern, re.I)


def _ascii(script: str) -> str:
    """The same script with every non-ASCII character as a JSON escape (they only occur inside strings)."""
    def esc(m: re.Match) -> str:
        code = ord(m.group(0))
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"
    return re.sub(r"[^\x00-\x7f]", esc, script)


def render_script(jsonld: dict, ascii_only: bool = False) -> str:
    """A ready-to-paste script element. ``<``, ``>`` and ``&`` inside values are written as \\u003c,
    \\u003e and \\u0026, so neither ``</script>`` nor ``<!--`` can appear in it."""
    body = json.dumps(jsonld, ensure_ascii=ascii_only, indent=2)
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{body}\n</script>'


# ------------------------------------------------------------------ the fixer

class _Fixer:
    def __init__(self, ctx) -> None:
        self.page: Page = ctx.page
        self.data = ctx.data
        self.facts: dict = ctx.facts
        self.source_node: dict | None = ctx.page_node
        self.is_health = bool(self.facts["topic"]["is_health"])
        self.changes: list[dict] = []
        self.missing: list[dict] = []
        self.unfixed: list[dict] = []
        self.absent_notes: dict[str, str] = {}
        self.memo: dict[int, dict] = {}
        self.by_id: dict[str, dict] = {}
        self._body_text: str | None = None
        self.copied_ampersand = False  # a copied string holds "&": it may carry an HTML entity
        self.ids: set[str] = set()
        self.persons: dict[str, dict] = {}
        self.touched: set[str] = set()
        self.page_url = self.facts.get("canonical") or self.page.url
        self.origin = _origin(self.page_url)

    # ---------------------------------------------------------- records

    def where(self, node: dict | None) -> str:
        if node is None:
            return ""
        ident = _real_id(node)
        if ident:
            return ident
        types = _types(node)
        return types[0] if types else "node"

    def change(self, action: str, node: dict | None, prop: str | None, value: Any, reason: str,
               path: str | None = None) -> None:
        self.changes.append({"action": action, "path": path or self.where(node), "property": prop,
                             "value": _summary(value), "reason": reason})

    def need(self, prop: str, message: str, checks: list[str]) -> None:
        for item in self.missing:
            if item["property"] == prop and item["message"] == message:
                return
        self.missing.append({"property": prop, "message": message, "checks": checks})

    # ---------------------------------------------------------- copying the existing graph

    def copy(self, node: dict, keep_id: bool) -> dict:
        """Working copy of an extracted node; shared nodes stay shared, cycles stay cycles, and nodes
        with the same @id become one node (as JSON-LD reads them)."""
        done = self.memo.get(id(node))
        if done is not None:
            return done
        json_ld = node.get("@syntax", "json-ld") == "json-ld"
        ident = node.get("@id") if (keep_id or json_ld) and isinstance(node.get("@id"), str) else None
        out = self.by_id.get(ident) if ident else None
        if out is None:
            out = {"@type": []}
            if ident:
                out["@id"] = ident
                self.by_id[ident] = out
                self.ids.add(ident)
        self.memo[id(node)] = out
        for t in _types(node):
            if t not in out["@type"]:
                out["@type"].append(t)
        for key, value in node.items():
            if key.startswith("@") or key in out:
                continue
            if isinstance(value, dict):
                out[key] = self.copy(value, keep_id)
            elif isinstance(value, list):
                items = [self.copy(v, keep_id) if isinstance(v, dict) else v for v in _flat(value)]
                if items:
                    out[key] = items
                    if not self.copied_ampersand:
                        self.copied_ampersand = any(isinstance(v, str) and "&" in v for v in items)
            elif value is not None:
                out[key] = value
                if isinstance(value, str) and "&" in value:
                    self.copied_ampersand = True
        return out

    def unescape(self, nodes: list[dict]) -> None:
        """Strings of the markup that carry HTML entities ("&amp;", "&bull;"): JSON needs none."""
        if not self.copied_ampersand:  # every string of the nodes was copied from the markup
            return
        for node in _walk(nodes):
            for key, value in node.items():
                if key.startswith("@") or (isinstance(value, str) and "&" not in value):
                    continue
                items = _flat(value)
                if not any(isinstance(v, str) and "&" in v and _ENTITY.search(v) for v in items):
                    continue
                fixed = [_unescape(v) if isinstance(v, str) else v for v in items]
                node[key] = fixed if isinstance(value, list) else fixed[0]
                self.change("correct", node, key, node[key], "HTML entities in a JSON-LD string: written as the "
                            "characters they stand for")

    def new_id(self, base: str) -> str:
        ident, n = base, 1
        while ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        return ident

    # ---------------------------------------------------------- the run

    def run(self) -> dict:
        tops = [self.copy(n, True) for n in self.data.nodes if n.get("@syntax", "json-ld") == "json-ld"]
        self.report_broken_blocks()
        pn = self.page_node(tops)
        self.unescape(tops + [pn])
        website = self.website(tops)
        publisher = self.publisher(tops, pn, website)
        if website is not None and not website.get("name") and publisher is not None:
            name = _first_str(publisher.get("name"))
            if name and any(_org_family(t) for t in _types(publisher)):
                website["name"] = name
                self.change("add", website, "name", name, "the publisher's name")
        self.fill_page(pn, website, publisher, tops)
        graph: list[dict] = []
        for node in [website, publisher, pn] + tops:
            if node is not None and all(node is not g for g in graph):
                graph.append(node)
        for node in graph:
            if node is not pn and node is not website and node is not publisher:
                self.change("keep", node, None, node, "existing node of the page's markup")
        nodes = self.people_elsewhere(graph, pn)
        nodes = self.drop_foreign(graph, nodes)
        warnings = self.validate(graph, nodes)
        self.report_kept(pn)
        self.report_absent(pn, publisher)
        self.report_warnings(warnings, pn)
        self.report_unfixed(pn)
        jsonld = {"@context": CONTEXT, "@graph": self.serialise(graph)}
        return {"jsonld": jsonld, "script": render_script(jsonld), "changes": self.changes,
                "missing": self.missing, "unfixed": self.unfixed}

    def report_broken_blocks(self) -> None:
        for err in self.facts["structured_data"]["errors"]:
            if err.get("code") == "jsonld-syntax":
                action = "correct" if err.get("repaired") else "remove"
                reason = err["message"] + ("; rewritten as strict JSON" if err.get("repaired") else
                                           "; the block is replaced")
                self.change(action, None, None, None, reason, path=f"JSON-LD block at line {err.get('line')}")

    # ---------------------------------------------------------- the page node

    def page_node(self, tops: list[dict]) -> dict:
        src = self.source_node
        if src is not None:
            pn = self.copy(src, False)
            if src.get("@syntax", "json-ld") != "json-ld":
                self.change("add", pn, None, pn, f"JSON-LD copy of the page's {src.get('@syntax')} "
                            f"{', '.join(_types(pn)) or 'node'} (the {src.get('@syntax')} stays in the page)")
            elif all(pn is not t for t in tops):
                tops.append(pn)
        else:
            pn = {"@type": ["MedicalWebPage" if self.is_health else "WebPage"]}
        if self.is_health:
            for other in [t for t in tops if t is not pn and any(_page_family(x) for x in _types(t))]:
                if self.same_page(other, pn):
                    self.merge(pn, other, tops)
        record = self.set_types(pn, src is None)
        if not _real_id(pn):
            types = _types(pn)
            suffix = "webpage" if any(_page_family(t) for t in types) or not types else types[0].lower()
            pn["@id"] = self.new_id(f"{self.page_url or ''}#{suffix}")
        self.change(*record)
        if self.is_health:
            self.drop_self_references(pn)
        return pn

    def same_page(self, other: dict, pn: dict) -> bool:
        for key in ("mainEntityOfPage", "isPartOf", "mainEntity", "about"):
            if any(v is other for v in _flat(pn.get(key))) or any(v is pn for v in _flat(other.get(key))):
                return True
        url = _first_str(other.get("url")) or (_real_id(other) or "").split("#")[0]
        if not url:
            return True
        return bool(self.page_url) and _norm_url(url) == _norm_url(self.page_url)

    def merge(self, pn: dict, other: dict, tops: list[dict]) -> None:
        for key, value in other.items():
            if not key.startswith("@") and key not in pn:
                pn[key] = value
        old_ids = {i for i in (_real_id(pn), _real_id(other)) if i}
        if _real_id(other):
            pn["@id"] = other["@id"]  # the page's own identifier: keep it on the page node
        pn["@type"] = _types(pn) + [t for t in _types(other) if t not in _types(pn)]
        tops[:] = [t for t in tops if t is not other]
        self.replace_references(tops + [pn], other, pn, old_ids)
        self.change("remove", other, None, other, "describes the same page: merged into the page node (one node "
                    "per page)")

    def replace_references(self, roots: list[dict], old: dict, new: dict, old_ids: set[str]) -> None:
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            for key, value in list(node.items()):
                if key.startswith("@"):
                    continue
                items = _flat(value)
                fixed = [new if (v is old or (isinstance(v, dict) and _is_stub(v) and v.get("@id") in old_ids))
                         else v for v in items]
                if any(a is not b for a, b in zip(fixed, items, strict=True)):
                    node[key] = fixed if isinstance(value, list) else fixed[0]
                stack.extend(v for v in fixed if isinstance(v, dict))

    def drop_self_references(self, pn: dict) -> None:
        own = {_real_id(pn)} | ({self.page_url} if self.page_url else set())
        own_keys: set[str] | None = None  # their comparison keys, made when a reference needs them
        for key in [k for k in pn if not k.startswith("@")]:
            kept = []
            values = _flat(pn[key])
            for v in values:
                is_self = v is pn
                if not is_self and key in ("mainEntityOfPage", "isPartOf", "mainEntity"):
                    ref = (_real_id(v) or _first_str(v.get("url")) or "") if isinstance(v, dict) else v
                    if isinstance(ref, str) and ref:
                        if ref not in own and own_keys is None:
                            own_keys = {_norm_url(u) for u in own if u}
                        is_self = ref in own or _norm_url(ref) in own_keys
                if is_self:
                    self.change("remove", pn, key, v, "points back at the page itself, which the node now is")
                else:
                    kept.append(v)
            if len(kept) == len(values):
                continue
            if kept:
                pn[key] = kept if len(kept) > 1 else kept[0]
            else:
                del pn[key]

    def set_types(self, pn: dict, new: bool) -> tuple:
        old = _types(pn)
        if self.is_health:
            if any(t in HEALTH_PAGE_TYPES for t in old):
                types = old
            else:
                types = ["MedicalWebPage"] + [t for t in old if not _page_family(t)]
        else:
            types = old or ["WebPage"]
        pn["@type"] = types
        self.touched.add("@type")
        if new:
            return ("add", pn, "@type", types, "the page has no schema.org page node"
                    + ("; health content is a MedicalWebPage" if self.is_health else ""))
        if types != old:
            kept = [t for t in old if t in types]
            return ("correct", pn, "@type", types, "health content is a MedicalWebPage"
                    + (f"; {', '.join(kept)} kept beside it so its properties stay valid" if kept else ""))
        return ("keep", pn, "@type", types, "the page's own type")

    # ---------------------------------------------------------- site and publisher

    def site_name(self) -> str | None:
        return self.page.meta_first("og:site_name", "application-name")

    def website(self, tops: list[dict]) -> dict | None:
        sites = [t for t in tops if "WebSite" in _types(t)]
        host = _host(self.page_url)
        site = next((s for s in sites if host and _host(_first_str(s.get("url")) or _real_id(s)) == host),
                    sites[0] if sites else None)
        if site is None:
            if not self.origin:
                return None
            site = {"@type": ["WebSite"], "@id": self.new_id(f"{self.origin}#website"), "url": self.origin}
            self.change("add", site, None, site, "the site the page belongs to (its origin)")
        else:
            if not _real_id(site):
                site["@id"] = self.new_id(f"{self.origin}#website" if self.origin else "#website")
            if not site.get("url") and self.origin:
                site["url"] = self.origin
                self.change("add", site, "url", self.origin, "the site's origin")
            self.change("keep", site, None, site, "the site's own WebSite node")
        if not site.get("name"):
            name = self.site_name()
            if name:
                site["name"] = name
                self.change("add", site, "name", name, "og:site_name")
        return site

    def publisher(self, tops: list[dict], pn: dict, site: dict | None) -> dict | None:
        values = _flat(pn.get("publisher"))
        pub = next((v for v in values if isinstance(v, dict) and v is not pn and _party(v)), None)
        if pub is None:
            text = next((v for v in values if isinstance(v, str) and v.strip()), None)
            if text:
                pub = {"@type": ["Organization"], "name": text.strip()}
                pn["publisher"] = pub
                self.touched.add("publisher")
                self.change("correct", pn, "publisher", pub, "the publisher was bare text; it becomes an "
                            "Organization")
        host = _host(self.page_url)
        if pub is None and host:
            pub = next((t for t in tops if any(_org_family(x) for x in _types(t))
                        and _host(_first_str(t.get("url")) or _real_id(t)) == host), None)
        if pub is None and site is not None:
            pub = next((v for v in _flat(site.get("publisher")) if isinstance(v, dict) and _party(v)), None)
        if pub is None:
            name = self.site_name()
            if not name:
                return None
            pub = {"@type": ["Organization"], "name": name}
            if self.origin:
                pub["url"] = self.origin
            self.change("add", None, None, pub, "og:site_name names the site's publisher",
                        path=self.pub_id(pub))
        if not _real_id(pub):
            self.pub_id(pub)
        if site is not None and not site.get("publisher"):
            site["publisher"] = pub
            self.change("add", site, "publisher", pub, "the site's publisher")
        return pub

    def pub_id(self, pub: dict) -> str:
        if not _real_id(pub):
            person = "Person" in _types(pub)
            base = (f"{self.page_url or ''}#publisher" if person else
                    f"{self.origin}#organization" if self.origin else "#organization")
            pub["@id"] = self.new_id(base)
        return pub["@id"]

    # ---------------------------------------------------------- filling the page node

    def fill_page(self, pn: dict, site: dict | None, pub: dict | None, tops: list[dict]) -> None:
        types = _types(pn)
        self.headline(pn)
        self.simple(pn, "description", self.facts.get("meta_description"), "the page's meta description")
        self.url(pn)
        self.language(pn)
        for prop, field, kind in _DATES:
            if V.expected_on(prop, types):
                self.date(pn, prop, field, kind)
        if not (pn.get("image") or pn.get("primaryImageOfPage")):
            image = self.page.meta_first("og:image", "twitter:image")
            if image and not image.startswith("data:"):
                self.set(pn, "image", self.page.absolute(image), "add", "the page's og:image")
        self.people(pn, "author", "authors")
        if V.expected_on("reviewedBy", types):
            self.people(pn, "reviewedBy", "reviewers")
        if pub is not None:
            current = _flat(pn.get("publisher"))
            if any(v is pub for v in current):
                if "publisher" not in self.touched:
                    self.touched.add("publisher")
                    self.change("keep", pn, "publisher", pub, "the page's publisher")
            else:
                self.set(pn, "publisher", pub, "correct" if current else "add",
                         "the site's publisher" if not current else "the publisher as an Organization node")
        if site is not None and not pn.get("isPartOf") and V.expected_on("isPartOf", types):
            self.set(pn, "isPartOf", site, "add", "the page belongs to the site")
        for prop in ("about", "audience"):
            if pn.get(prop):
                self.touched.add(prop)
                self.change("keep", pn, prop, pn[prop], "named by the page's markup")
        if not (pn.get("audience") or pn.get("medicalAudience")) and (shown := audience_node(self.facts)):
            self.set(pn, "audience", shown, "add", audience_reason(self.facts))
        self.citations(pn)
        if V.expected_on("breadcrumb", types):
            self.breadcrumb(pn, tops)

    def set(self, node: dict, prop: str, value: Any, action: str, reason: str) -> None:
        node[prop] = value
        self.touched.add(prop)
        self.change(action, node, prop, value, reason)

    def simple(self, pn: dict, prop: str, value: str | None, source: str) -> None:
        if pn.get(prop):
            self.touched.add(prop)
            self.change("keep", pn, prop, pn[prop], "existing markup")
        elif value:
            self.set(pn, prop, value, "add", source)

    def headline(self, pn: dict) -> None:
        h1 = self.facts["h1"][0] if self.facts.get("h1") else None
        shown = [t for t in (h1, self.facts.get("title")) if t]
        existing = _first_str(pn.get("headline"))
        if existing:
            if shown and not any(similar_text(existing, t) for t in shown):
                self.set(pn, "headline", shown[0], "correct", f"the headline \u201c{existing[:80]}\u201d matches "
                         "neither the H1 nor the title")
            else:
                self.touched.add("headline")
                self.change("keep", pn, "headline", existing, "matches the page")
            return
        name = _first_str(pn.get("name"))
        if name and (not shown or any(similar_text(name, t) for t in shown)) and not self.is_health:
            return
        if shown:
            self.set(pn, "headline", shown[0], "add", "the page's H1" if h1 else "the page's title")

    def url(self, pn: dict) -> None:
        existing = _first_str(pn.get("url"))
        canonical = self.facts.get("canonical")
        if existing:
            if canonical and _norm_url(existing) != _norm_url(canonical):
                self.set(pn, "url", canonical, "correct", f"{existing} differs from the canonical URL")
            else:
                self.touched.add("url")
                self.change("keep", pn, "url", existing, "the page's URL")
        elif self.page_url:
            self.set(pn, "url", self.page_url, "add", "the canonical URL" if canonical else "the page's URL")

    def language(self, pn: dict) -> None:
        lang = self.facts.get("language")
        declared = self.page.html_lang
        tag = declared if declared and normalize_lang(declared) == lang else lang
        existing = _first_str(pn.get("inLanguage"))
        if existing:
            if lang and normalize_lang(existing) != lang:
                self.set(pn, "inLanguage", tag, "correct", f"the page is in {lang}, not {existing}")
            else:
                self.touched.add("inLanguage")
                self.change("keep", pn, "inLanguage", existing, "the page's language")
        elif tag:
            self.set(pn, "inLanguage", tag, "add", "the page's <html lang>" if tag == declared else
                     "the language of the page's text")

    # ---------------------------------------------------------- dates

    def shown(self, kind: str) -> list[tuple[str, str]]:
        """(ISO date, precision) of each date the page shows with a label of this kind."""
        out = []
        for entry in self.facts["dates"].get("visible") or []:
            if entry.get("kind") != kind or not entry.get("date"):
                continue
            iso, precision = entry["date"], "day"
            text, label = entry.get("text") or "", entry.get("label") or ""
            at = text.find(label) if label else -1
            parsed = parse_date(text[at + len(label):] if at >= 0 else text, today=None) if text else None
            if parsed and parsed[0][:10] == iso[:10]:
                precision = parsed[1]
            out.append((iso, precision))
        return out

    @staticmethod
    def _as_written(iso: str, precision: str) -> str:
        return iso[:7] if precision == "month" else iso

    def page_date(self, field: str, page_only: bool) -> tuple[str, str] | None:
        """The date the page itself gives (meta, <time>, a label), never the markup's."""
        dates = self.facts["dates"]
        if dates["sources"].get(field) in _PAGE_DATE_SOURCES and self.facts.get(field):
            return self.facts[field], dates["precision"].get(field, "day")
        if page_only and dates["sources"].get(field) == "markup":
            redo = self.__dict__.get("_page_dates")
            if redo is None:
                redo = self._page_dates = extract_dates(self.page, None, use_htmldate=False)
            if redo["sources"].get(field) in _PAGE_DATE_SOURCES and redo.get(field):
                return redo[field], redo["precision"].get(field, "day")
        return None

    def date(self, pn: dict, prop: str, field: str, kind: str) -> None:
        shown = self.shown(kind)
        self._date(pn, prop, field, shown)
        monthly = [iso for iso, precision in shown if precision == "month"]
        value = _first_str(pn.get(prop))
        if monthly and value and value[:10] not in {iso[:10] for iso, _ in shown}:
            self.need(prop, f"the page gives only the month of this date ({monthly[0][:7]}): show the full date "
                      f"next to its label so that {prop} and the page agree to the day",
                      ["markup.consistent-with-page"])

    def visible_text_has(self, text: str) -> bool:
        if self._body_text is None:
            body = self.page.root.find("body")
            self._body_text = element_text(body if body is not None else self.page.root)
        return " ".join(text.split()) in self._body_text

    def _date(self, pn: dict, prop: str, field: str, shown: list[tuple[str, str]]) -> None:
        def agrees(iso: str) -> bool:
            return any(iso[:7] == s[:7] if p == "month" else iso[:10] == s[:10] for s, p in shown)

        days = ", ".join(sorted({self._as_written(iso, p)[:10] for iso, p in shown}))
        existing = pn.get(prop)
        text = _first_str(existing)
        if text is None and isinstance(existing, (int, float)) and not isinstance(existing, bool):
            text = str(existing)
        if text:
            if _date_ok(prop, text):
                if shown and not agrees(text):
                    iso, precision = shown[0]
                    self.set(pn, prop, self._as_written(iso, precision), "correct",
                             f"the page shows {days}, not {text[:10]}")
                else:
                    pn[prop] = text
                    self.touched.add(prop)
                    self.change("keep", pn, prop, text, "existing markup" + (", shown on the page" if shown else ""))
                return
            parsed = parse_date(text)
            if parsed and (agrees(parsed[0]) or self.visible_text_has(text)):
                self.set(pn, prop, self._as_written(*parsed), "correct",
                         f"{text!r} is not ISO 8601; the page shows the same date")
                return
            if shown:
                iso, precision = shown[0]
                self.set(pn, prop, self._as_written(iso, precision), "correct",
                         f"{text!r} is not ISO 8601; the page shows {days}")
                return
            found = self.page_date(field, True)
            if found and parsed and found[0][:10] == parsed[0][:10]:
                self.set(pn, prop, self._as_written(*found), "correct",
                         f"{text!r} is not ISO 8601; the page's meta tags give the same date")
                return
            del pn[prop]
            self.change("remove", pn, prop, text, f"{text!r} is not an ISO 8601 date and the page does not show "
                        "the date to confirm it")
            self.absent_notes[prop] = (f"the markup's {prop} {text!r} is not ISO 8601 and the page does not show "
                                       f"that date: show it on the page and give it as YYYY-MM-DD in {prop}")
            return
        if shown:
            iso, precision = shown[0]
            found = self.page_date(field, False)
            if found and found[0][:10] == iso[:10]:
                iso, precision = found
            self.set(pn, prop, self._as_written(iso, precision), "add", "the date shown on the page")
            return
        found = self.page_date(field, False)
        if found:
            source = self.facts["dates"]["sources"].get(field)
            self.set(pn, prop, self._as_written(*found), "add",
                     {"meta": "the page's meta tags", "time": "a <time> element of the page"}.get(source,
                                                                                                   "the page"))

    # ---------------------------------------------------------- people

    def people(self, pn: dict, prop: str, role: str) -> None:
        entries = self.facts.get(role) or []
        existing = _flat(pn.get(prop))
        shown_only = [e for e in entries if "markup" not in e["sources"] and "byline" in e["sources"]]
        keep, hidden = [], []
        for e in entries:
            if e["sources"] == ["markup"] and shown_only:
                hidden.append(e)
            elif e["sources"] == ["meta"] and any(x["sources"] != ["meta"] for x in entries):
                continue
            else:
                keep.append(e)
        hidden_keys = {person_key(e["name"]) for e in hidden}
        used: set[int] = set()
        values: list = []
        for n, entry in enumerate(keep, 1):
            key = person_key(entry["name"])
            match = next((i for i, v in enumerate(existing) if i not in used and _value_key(v) == key), None)
            if match is not None:
                used.add(match)
            values.append(self.person(pn, entry, key, existing[match] if match is not None else None, prop, n))
        for i, value in enumerate(existing):
            if i in used:
                continue
            vkey = _value_key(value)
            if vkey and vkey in hidden_keys:
                self.change("remove", pn, prop, value, f"the page shows {', '.join(e['name'] for e in shown_only)} "
                            f"as {role[:-1]}, not this person")
                continue
            if isinstance(value, str):
                value = self.bare_person(pn, prop, value) or value
            values.append(value)
        if values:
            pn[prop] = values[0] if len(values) == 1 else values
            self.touched.add(prop)
        elif prop in pn:
            del pn[prop]

    def bare_person(self, node: dict, prop: str, text: str, parsed: dict | None = None) -> dict | None:
        """A Person node for a bare-text name (``parsed``: parse_person(text), when the caller has it)."""
        if parsed is None:
            parsed = parse_person(text)
        if parsed and looks_like_person(parsed["name"]):
            person = {"@type": ["Person"], "name": parsed["name"]}
            self.add_credentials(person, parsed["credentials"], [text])
            self.change("correct", node, prop, person, "a bare-text person becomes a Person node")
            return person
        return None  # not clearly a person's name: left as the text it is

    def person(self, pn: dict, entry: dict, key: str, existing: Any, prop: str, n: int) -> dict:
        """The node for a person the page names (``key``: person_key of the entry's name)."""
        shared = self.persons.get(key)
        if shared is not None and (existing is None or existing is shared or isinstance(existing, str)):
            self.change("keep" if existing is not None else "add", pn, prop, shared,
                        f"the same person as in {'author' if prop != 'author' else 'reviewedBy'}")
            return shared
        kind = entry.get("type") or "Person"
        texts = [t for t in (entry.get("evidence"),) if t]
        if isinstance(existing, dict):
            node = existing
            if not _types(node):
                node["@type"] = [kind]
                self.change("correct", node, "@type", kind, "an untyped person or organisation")
            old = _first_str(node.get("name"))
            if old:
                texts.append(old)
        else:
            node = {"@type": [kind], "name": entry["name"]}
            old = existing.strip() if isinstance(existing, str) else None
            if old:
                texts.append(old)
        texts.extend(self.page.meta.get("author", []))
        url = entry.get("url")
        add_url = bool(url) and not node.get("url") and not node.get("sameAs")
        if add_url:
            node["url"] = url
        if not _real_id(node):
            node["@id"] = self.person_id(node, prop, n)
        what = "person" if kind == "Person" else "organisation"
        if old is None:
            node["name"] = entry["name"]
            self.change("add", pn, prop, node, f"{entry['name']} is named on the page "
                        f"({', '.join(entry['sources'])})")
        elif isinstance(existing, str):
            node["name"] = entry["name"]
            self.change("correct", pn, prop, node, f"the bare text {old!r} becomes a {kind} node"
                        + ("" if old == entry["name"] else " with the name only"))
        elif kind == "Person" and author_name_problems(old):
            problems = ", ".join(f"{k} {h!r}" for k, h in author_name_problems(old))
            node["name"] = entry["name"]
            self.change("correct", node, "name", entry["name"], f"Google asks for the name only; {problems} moved "
                        "to their own properties")
        else:
            self.change("keep", pn, prop, node, f"the {what} shown on the page"
                        if "byline" in entry["sources"] else f"the {what} of the existing markup")
        if add_url and old is not None:
            self.change("add", node, "url", url, "the profile the page links the name to")
        if kind == "Person":
            self.add_credentials(node, entry.get("credentials") or [], texts)
        for link in entry.get("same_as") or []:
            current = _flat(node.get("sameAs"))
            if link not in current:
                node["sameAs"] = current + [link] if current else link
        self.persons.setdefault(key, node)
        return node

    def add_credentials(self, node: dict, credentials: list[str], texts: list[str]) -> None:
        honor = [c for c in credentials if c in _HONORIFIC_CANON]
        jobs = [c for c in credentials if c in _PROFESSION_CANON and c not in honor]
        degrees = [c for c in credentials if c not in honor and c not in jobs]
        for prop, items, kind in (("honorificPrefix", honor[:1], "honorific"),
                                  ("honorificSuffix", degrees, "degree"), ("jobTitle", jobs, "profession")):
            if not items or node.get(prop):
                continue
            value = ", ".join(dict.fromkeys(_written(c, kind, texts) for c in items))
            node[prop] = value
            self.change("add", node, prop, value, "given with the name on the page")

    def person_id(self, node: dict, prop: str, n: int) -> str:
        url = _first_str(node.get("url"))
        host = _host(url) if url and url.startswith("http") else ""
        if host and host == _host(self.page_url):
            return self.new_id(url.split("#")[0] + "#person")
        role = "author" if prop == "author" else "reviewer"
        return self.new_id(f"{self.page_url or ''}#{role}-{n}")

    def people_elsewhere(self, graph: list[dict], pn: dict) -> list[dict]:
        """Bare-text authors and names with titles on the other nodes (reviews, cited works...).

        A text becomes a Person only when it reads as a clean name; anything doubtful stays text.
        Returns the graph's nodes in walk order: a node's changes here only add nodes among its own
        values, so the list is what a new walk of the graph would give."""
        nodes = []
        for node in _walk(graph):
            nodes.append(node)
            if node is pn:
                continue
            for prop in ("author", "reviewedBy", "publisher"):
                if prop not in node:
                    continue
                values = []
                for v in _flat(node[prop]):
                    if isinstance(v, str) and v.strip() and not v.startswith("http"):
                        if prop == "publisher":
                            v2 = {"@type": ["Organization"], "name": v.strip()}
                            self.change("correct", node, prop, v2, "bare-text publisher becomes an Organization")
                            v = v2
                        else:
                            parsed = parse_person(v)
                            if (parsed and looks_like_person(parsed["name"])
                                    and not author_name_problems(parsed["name"])):
                                v = self.bare_person(node, prop, v, parsed) or v
                    elif isinstance(v, dict) and "Person" in _types(v) and prop != "publisher":
                        name = _first_str(v.get("name"))
                        if name and author_name_problems(name):
                            parsed = parse_person(name)
                            if parsed and parsed["name"] != name and not author_name_problems(parsed["name"]):
                                v["name"] = parsed["name"]
                                self.add_credentials(v, parsed["credentials"], [name])
                                self.change("correct", v, "name", parsed["name"], "Google asks for the name only")
                    values.append(v)
                node[prop] = values if len(values) != 1 else values[0]
        return nodes

    # ---------------------------------------------------------- citations and breadcrumb

    def citations(self, pn: dict) -> None:
        existing = _flat(pn.get("citation"))
        seen: set[str] = set()
        for v in existing:
            if isinstance(v, str):
                seen.update(_work_keys(v, None))
            elif isinstance(v, dict):
                seen.update(_work_keys(_first_str(v.get("url")), v.get("identifier")))
        if existing:
            self.touched.add("citation")
            self.change("keep", pn, "citation", existing, "citations of the existing markup")
        links: set[str] | None = None  # the page's link URLs, only wanted for a work named by its identifier
        added = []
        for cite in self.facts.get("citations") or []:
            if len(existing) + len(added) >= MAX_CITATIONS:
                break
            if not cite.get("authoritative"):
                continue
            url = cite["url"]
            ids = _work_ids(url)
            keys = {f"{n}:{v}".lower() for n, v in ids}  # _work_keys(url, None), identifiers read once
            if url and not ids:
                keys.add(_work_url_key(url))
            if keys & seen:
                continue
            seen |= keys
            text = cite.get("text") or ""
            work: dict = {"@type": ["CreativeWork"]}
            named_by_identifier = text.startswith(("doi:", "PMID: "))
            if named_by_identifier and links is None:
                links = {link.url for link in self.page.links}
            if not named_by_identifier or url in links:
                work["url"] = url  # not for a resolver URL built from an identifier written in the text
            values = [{"@type": ["PropertyValue"], "propertyID": n, "value": v} for n, v in ids]
            if values:
                work["identifier"] = values[0] if len(values) == 1 else values
            if len(work) > 1:
                added.append(work)
        if added:
            values = existing + added
            pn["citation"] = values if len(values) > 1 else values[0]
            self.touched.add("citation")
            self.change("add", pn, "citation", added, f"{len(added)} authoritative sources the page cites")

    def breadcrumb(self, pn: dict, tops: list[dict]) -> None:
        if pn.get("breadcrumb"):
            self.touched.add("breadcrumb")
            self.change("keep", pn, "breadcrumb", pn["breadcrumb"], "the page's breadcrumb markup")
            return
        lists = [t for t in tops if "BreadcrumbList" in _types(t)]
        if lists:
            self.set(pn, "breadcrumb", lists[0], "add", "links the page's existing BreadcrumbList")
            return
        if any(n.get("@syntax") != "json-ld" for n in self.data.of_type("BreadcrumbList")):
            return  # the microdata/RDFa trail stays in the page
        crumbs = self.visible_breadcrumb()
        if not crumbs:
            return
        items = []
        for position, (name, url) in enumerate(crumbs, 1):
            item: dict = {"@type": ["ListItem"], "position": position, "name": name}
            if url:
                item["item"] = url
            items.append(item)
        trail = {"@type": ["BreadcrumbList"], "@id": self.new_id(f"{self.page_url or ''}#breadcrumb"),
                 "itemListElement": items}
        self.set(pn, "breadcrumb", trail, "add", "the breadcrumb shown on the page")

    def visible_breadcrumb(self) -> list[tuple[str, str | None]] | None:
        body = self.page.root.find("body")
        if body is None:
            body = self.page.root
        found = []
        for el in body.iter("nav", "ol", "ul", "div", "p"):
            hint = el.get("class")
            if (hint and "readcrumb" in hint) or (el.tag == "nav" and "readcrumb" in (el.get("aria-label") or "")):
                if el.get("aria-hidden") != "true" and el.get("hidden") is None:
                    found.append(el)
        for el in found:
            if any(other is not el and is_inside(other, el) for other in found):
                continue  # an inner list holds the trail itself
            crumbs = _crumbs(el, self.page)
            if len(crumbs) >= 2:
                return crumbs
        return None

    # ---------------------------------------------------------- cleaning and validation

    def drop_foreign(self, graph: list[dict], nodes: list[dict]) -> list[dict]:
        """Removes prefixed terms ("og:title") the schema.org context cannot read. ``nodes`` is the graph in
        walk order; so is the list returned, the graph having lost what hung only on a removed property."""
        if not any(":" in key and _prefixed(key) for node in nodes for key in node):
            for node in nodes:
                self.drop_foreign_types(node)
            return nodes
        nodes = []
        for node in _walk(graph):  # a node's properties go before its values are walked
            nodes.append(node)
            for key in [k for k in node if _prefixed(k)]:
                self.change("remove", node, key, node.pop(key), "a term of another vocabulary whose prefix the "
                            "schema.org @context does not define")
            self.drop_foreign_types(node)
        return nodes

    @staticmethod
    def drop_foreign_types(node: dict) -> None:
        types = _types(node)
        kept = [t for t in types if ":" not in t or t.startswith("http")]
        if kept != types:
            node["@type"] = kept

    def validate(self, graph: list[dict], nodes: list[dict]) -> list[dict]:
        """Validate the output (``nodes``: the graph in walk order); remove or rename what fails until nothing
        does. Returns the warnings."""
        labels: dict[str, list[dict]] = {}
        counter = 0
        for node in nodes:
            ident = node.get("@id")
            if not isinstance(ident, str) or not ident:
                counter += 1
                ident = node["@id"] = f"{_TMP}{counter}"
            labels.setdefault(ident, []).append(node)
        warnings: list[dict] = []
        for _ in range(6):
            errors, warnings = validate_nodes(graph)
            todo = errors + [w for w in warnings if w["code"] == "superseded-term"]
            changed = False
            for finding in todo:
                for node in labels.get(finding["node"], ()):
                    changed |= self.repair(node, finding, graph)
            if not changed:
                break
        for finding in errors:
            self.unfixed.append({"property": finding.get("property") or "@type", "message": finding["message"],
                                 "checks": ["markup.schema-valid"], "syntax": "json-ld", "code": finding["code"]})
        return warnings

    def repair(self, node: dict, finding: dict, graph: list[dict]) -> bool:
        code, prop, message = finding["code"], finding.get("property"), finding["message"]
        if prop is None:
            return self.repair_types(node, code, graph)
        if prop not in node:
            return False
        types = _types(node)
        if code == "superseded-term":
            repl = V.superseded_by(prop)
            if message.startswith("The property") and repl:
                self.rename(node, prop, repl, message)
                return True
            return self.replace_enum(node, prop)
        if code in ("unknown-property", "retired-term"):
            hint = _HINT.search(message)
            repl = hint.group(1) if hint else V.superseded_by(prop)
            if repl and V.is_property(repl) and V.expected_on(repl, types):
                self.rename(node, prop, repl, message)
            else:
                self.change("remove", node, prop, node.pop(prop), message)
            return True
        if code == "property-not-expected":
            self.change("remove", node, prop, node.pop(prop), message)
            return True
        return self.remove_bad_items(node, prop)

    def repair_types(self, node: dict, code: str, graph: list[dict]) -> bool:
        old = _types(node)
        new = []
        for t in old:
            if _foreign(t):
                new.append(t)
            elif V.is_attic(t) or (code == "superseded-term" and V.superseded_by(t)):
                repl = V.superseded_by(t)
                if repl and V.is_type(repl):
                    new.append(repl)
            elif V.is_type(t):
                new.append(t)
        if new == old:
            return False
        node["@type"] = new
        self.change("correct" if new else "remove", node, "@type", new or old,
                    "unknown, retired or superseded type" if code != "superseded-term" else "superseded type")
        if not new and any(node is g for g in graph):
            graph[:] = [g for g in graph if g is not node]
        return True

    def rename(self, node: dict, old: str, new: str, reason: str) -> None:
        value = node.pop(old)
        if new in node:
            current = _flat(node[new])
            merged = current + [v for v in _flat(value) if v not in current]
            node[new] = merged if len(merged) > 1 else merged[0]
        else:
            node[new] = value
        self.change("correct", node, new, value, f"renamed from {old}: {reason}")

    def replace_enum(self, node: dict, prop: str) -> bool:
        changed = False
        values = []
        for v in _flat(node[prop]):
            if isinstance(v, str):
                short = v.rsplit("/", 1)[-1]
                repl = V.superseded_by(short)
                if repl:
                    v = v[: len(v) - len(short)] + repl
                    changed = True
            values.append(v)
        if changed:
            node[prop] = values if len(values) > 1 else values[0]
            self.change("correct", node, prop, node[prop], "superseded enumeration value")
        return changed

    def remove_bad_items(self, node: dict, prop: str) -> bool:
        items = _flat(node[prop])
        keep = []
        for item in items:
            test = {"@type": _types(node), prop: item}
            if "additionalType" in node:
                test["additionalType"] = node["additionalType"]
            errors, _ = validate_nodes([test])
            bad = [e for e in errors if e.get("property") == prop and " > " not in (e.get("path") or "")]
            if bad:
                self.change("remove", node, prop, item, bad[0]["message"])
            else:
                keep.append(item)
        if len(keep) == len(items):
            return False
        if keep:
            node[prop] = keep if len(keep) > 1 else keep[0]
        else:
            del node[prop]
        return True

    # ---------------------------------------------------------- reports

    def report_kept(self, pn: dict) -> None:
        for key, value in pn.items():
            if not key.startswith("@") and key not in self.touched:
                self.change("keep", pn, key, value, "existing markup, valid")

    def report_absent(self, pn: dict, pub: dict | None) -> None:
        wanted = HEALTH_PROPERTIES if self.is_health else CORE_PROPERTIES
        for prop in wanted:
            if pn.get(prop) or (prop == "headline" and pn.get("name")):
                continue
            if not V.expected_on(prop, _types(pn)):
                continue
            message = self.absent_notes.get(prop) or _ABSENT.get(prop, f"the page gives no {prop}")
            self.need(prop, message, _CHECKS.get(prop, ["markup.health-properties"]))
        if pub is not None and not pub.get("logo") and not any(_page_family(t) for t in _types(pub)):
            if "Person" not in _types(pub):
                self.need("publisher.logo", "no publisher logo is declared in the page's markup (a favicon or "
                          "og:image is not a logo): add publisher.logo with the URL of the logo image", [])
        if not self.page_url:
            self.need("url", "the page gives no canonical URL: add <link rel=\"canonical\"> (or give the page's "
                      "URL) so the graph can use absolute identifiers", [])

    def report_warnings(self, warnings: list[dict], pn: dict) -> None:
        """Warnings only the editor can clear. Those on the page node and its people are listed one by one;
        the rest (cited works, comments...) once per kind, with a count."""
        people = {v.get("@id"): v for prop in ("author", "reviewedBy") for v in _flat(pn.get(prop))
                  if isinstance(v, dict)}
        main = {pn.get("@id")} | set(people)
        grouped: dict[tuple[str, str], list[dict]] = {}
        for w in warnings:
            code = w["code"]
            if code == "pending-term":
                continue
            if code == "author-missing-url" and w["node"] in main:
                name = _first_str(people[w["node"]].get("name")) if w["node"] in people else None
                self.need("author.url", f"no profile link (url or sameAs) is given for {name or 'the author'} on the "
                          "page: link the name to a profile page, ORCID or a professional directory",
                          ["markup.schema-valid", "authorship.markup-person", "authorship.author-profile"])
            elif code == "date-without-timezone" and w["node"] in main:
                self.need(w.get("property") or "date", w["message"] + " The page gives no time zone; add it if "
                          "you know it.", ["markup.schema-valid"])
            elif w["node"] in main:
                self.need(w.get("property") or "@type", w["message"], ["markup.schema-valid"])
            else:
                grouped.setdefault((code, w.get("property") or "@type"), []).append(w)
        for (_code, prop), items in grouped.items():
            more = f" (and {len(items) - 1} more like it on other nodes)" if len(items) > 1 else ""
            self.need(prop, items[0]["message"] + more, ["markup.schema-valid"])

    def report_unfixed(self, pn: dict) -> None:
        sd = self.facts["structured_data"]
        for f in list(sd["errors"]) + list(sd["warnings"]):
            code = f.get("code")
            syntax = f.get("syntax")
            if code == "microdata-syntax" or (syntax in ("microdata", "rdfa") and code not in
                                              ("pending-term", "multiple-page-types")):
                if any(u["message"] == f["message"] and u["code"] == code for u in self.unfixed):
                    continue
                self.unfixed.append({"property": f.get("property") or "@type", "message": f["message"],
                                     "checks": ["markup.schema-valid"], "syntax": syntax, "code": code})
        others = [n for n in self.data.nodes if n.get("@syntax") in ("microdata", "rdfa")
                  and any(_page_family(t) for t in _types(n))]
        if others and any(_page_family(t) for t in _types(pn)):
            syntaxes = sorted({n["@syntax"] for n in others})
            self.unfixed.append({
                "property": "@type", "syntax": ", ".join(syntaxes), "code": "multiple-page-types",
                "message": f"the page's {' and '.join(syntaxes)} also describes the page "
                           f"({', '.join(sorted({t for n in others for t in _types(n)}))}): once the JSON-LD is in "
                           "place, remove the itemscope/itemtype (or typeof) of that page node",
                "checks": ["markup.schema-valid"]})

    # ---------------------------------------------------------- output

    def serialise(self, graph: list[dict]) -> list[dict]:
        top_ids = {i for i in (_real_id(n) for n in graph) if i}
        emitted: set[str] = set()

        path: set[int] = set()  # the nodes being written, from the top: a cycle stops at a reference

        def node_out(node: dict, top: bool) -> dict | None:
            ident = _real_id(node)
            if not top and ident and (ident in top_ids or ident in emitted):
                return {"@id": ident}
            if id(node) in path:
                return {"@id": ident} if ident else None
            if ident:
                emitted.add(ident)
            out: dict = {}
            types = _types(node)
            if types:
                out["@type"] = types[0] if len(types) == 1 else types
            if ident:
                out["@id"] = ident
            path.add(id(node))
            for key, value in node.items():
                if key.startswith("@"):
                    continue
                if isinstance(value, list):
                    items = [node_out(v, False) if isinstance(v, dict) else v for v in _flat(value)]
                    items = [v for v in items if v is not None]
                    if items:
                        out[key] = items
                elif isinstance(value, dict):
                    item = node_out(value, False)
                    if item is not None:
                        out[key] = item
                elif value is not None:
                    out[key] = value
            path.remove(id(node))
            return out or None

        result = []
        for node in graph:
            item = node_out(node, True)
            if item:
                result.append(item)
        return result


# ------------------------------------------------------------------ module helpers

def _unescape(text: str) -> str:
    """Decode HTML entities, twice-escaped ones ("&amp;#34;") included."""
    for _ in range(3):
        new = _html.unescape(text)
        if new == text:
            break
        text = new
    return text


def _prefixed(key: str) -> bool:
    """A compact IRI of another vocabulary ("og:title"); full IRIs and JSON-LD keywords are not."""
    return ":" in key and not key.startswith("@") and not key.startswith("http")


def _walk(graph: list[dict]):
    seen: set[int] = set()
    stack = list(reversed(graph))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        children = []
        for key, value in node.items():
            if isinstance(value, dict):
                if not key.startswith("@"):
                    children.append(value)
            elif isinstance(value, list) and not key.startswith("@"):
                children.extend(v for v in _flat(value) if isinstance(v, dict))
        stack.extend(reversed(children))


# PubMed and PMC identifiers are only read from these hosts (and their www. or pubmed. forms): a URL that
# does not name one of them, in any case, has none, and the parsing is skipped.
_ID_HOSTS = tuple(sorted(h for h in NCBI_HOSTS | EPMC_HOSTS
                         if not any(o != h and o in h for o in NCBI_HOSTS | EPMC_HOSTS)))


def _work_ids(url: str) -> list[tuple[str, str]]:
    """("DOI" | "PMID" | "PMCID", identifier) for each identifier a cited URL carries."""
    doi = doi_from_url(url)
    low = url.lower()
    if any(host in low for host in _ID_HOSTS):
        pmid, pmcid = pmid_from_url(url), pmcid_from_url(url)
    else:
        pmid = pmcid = None
    return [(name, found) for name, found in (("DOI", doi), ("PMID", pmid), ("PMCID", pmcid)) if found]


def _work_keys(url: str | None, identifier: Any) -> set[str]:
    """Keys a cited work is known by: its URL and its DOI, PMID or PMCID."""
    keys: set[str] = set()
    if url:
        ids = _work_ids(url)
        keys.update(f"{name}:{found}".lower() for name, found in ids)
        if not ids:
            keys.add(_work_url_key(url))
    for item in _flat(identifier):
        if isinstance(item, dict):
            name, value = _first_str(item.get("propertyID")), _first_str(item.get("value"))
            if name and value:
                keys.add(f"{name}:{value}".lower())
    return keys


def _value_key(value: Any) -> str | None:
    if isinstance(value, str):
        parsed = parse_person(value)
        return person_key(parsed["name"]) if parsed else None
    if isinstance(value, dict):
        name = _first_str(value.get("name"))
        if not name:
            given, family = _first_str(value.get("givenName")), _first_str(value.get("familyName"))
            name = " ".join(x for x in (given, family) if x) or None
        if not name:
            return None
        types = _types(value)
        # as scoring.people reads markup: an organisation's name is taken whole
        org = any("Organization" in t or t in ("Physician", "Hospital") for t in types)
        parsed = None if org else parse_person(name)
        return person_key(parsed["name"] if parsed else name)
    return None


_DATE_CACHE: dict[tuple[str, str], bool] = {}


def _date_ok(prop: str, text: str) -> bool:
    """Does the validator accept this text as the property's date? (Asked, not re-implemented.)"""
    key = (prop, text)
    ok = _DATE_CACHE.get(key)
    if ok is None:
        errors, _ = validate_nodes([{"@type": ["WebPage"], prop: text}])
        ok = not any(e["code"] == "invalid-date" for e in errors)
        if len(_DATE_CACHE) > 4096:
            _DATE_CACHE.clear()
        _DATE_CACHE[key] = ok
    return ok




def _crumbs(container, page: Page) -> list[tuple[str, str | None]]:
    units = list(container.iter("li")) or list(container.iter("a"))
    crumbs: list[tuple[str, str | None]] = []
    for i, unit in enumerate(units):
        link = unit if unit.tag == "a" else unit.find(".//a[@href]")
        name = element_text(link if link is not None else unit).strip(_CRUMB_STRIP)
        if not name or len(name) > 120:
            continue
        href = (link.get("href") or "").strip() if link is not None else ""
        url = page.absolute(href) if href and not href.startswith(("#", "javascript:")) else None
        if url is None and i != len(units) - 1:
            continue  # only the last crumb (the page itself) may go without a link
        if crumbs and crumbs[-1] == (name, url):
            continue
        crumbs.append((name, url))
    return crumbs


def build_fix(ctx) -> dict:
    """The ready-to-paste JSON-LD for an audited page, with what changed and what the editor must supply."""
    return _Fixer(ctx).run()


def fix_html(html: str | bytes, url: str | None = None, charset: str | None = None) -> dict:
    """Parse a page and build its fix without running the checks."""
    from .audit import AuditContext
    from .facts import build_facts, find_page_node
    from .structured import extract_structured

    page = Page.parse(html, url, charset)
    data = extract_structured(page.root, page.url)
    page_node = find_page_node(data)
    return build_fix(AuditContext(page, data, build_facts(page, data, page_node), page_node))


# ------------------------------------------------------------------ applying the script

_SCAN = re.compile(r"<!--|<(script|style|textarea|title|xmp)\b[^>]*>|</head\s*>|<body\b|<html\b[^>]*>", re.I)
_TYPE_ATTR = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_ENDS = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("script", "style", "textarea", "title", "xmp")}


def _scan(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """(spans of the JSON-LD script elements, where to insert): markup inside comments and scripts is skipped."""
    blocks: list[tuple[int, int]] = []
    head_close = body_open = html_end = None
    pos = 0
    while True:
        m = _SCAN.search(text, pos)
        if m is None:
            break
        token = m.group(0)
        if token == "<!--":
            end = text.find("-->", m.end())
            pos = len(text) if end < 0 else end + 3
            continue
        tag = (m.group(1) or "").lower()
        if tag:
            end_m = _ENDS[tag].search(text, m.end())
            end = end_m.end() if end_m else len(text)
            if tag == "script":
                attr = _TYPE_ATTR.search(token)
                kind = next((g for g in attr.groups() if g is not None), "") if attr else ""
                if kind.strip().lower() == "application/ld+json":
                    blocks.append((m.start(), end))
            pos = end
            continue
        low = token[:6].lower()
        if low.startswith("</head") and head_close is None:
            head_close = m.start()
        elif low.startswith("<body") and body_open is None:
            body_open = m.start()
        elif low.startswith("<html") and html_end is None:
            html_end = m.end()
        pos = m.end()
    insert = head_close if head_close is not None else body_open if body_open is not None else html_end
    return blocks, insert


def _splice(text: str, script: str) -> str:
    blocks, insert = _scan(text)
    edits: list[tuple[int, int, str]] = []
    for start, end in blocks:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip() and line_end < len(text):
            start, end = line_start, line_end + 1  # the block had its own line(s): remove them
        edits.append((start, end, ""))
    if insert is None:
        insert = 0
    for start, end, _ in edits:
        if start < insert < end:
            insert = end
    prefix = "" if insert == 0 or text[insert - 1] == "\n" else "\n"
    edits.append((insert, insert, f"{prefix}{script}\n"))
    out = text
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1] - e[0]), reverse=True):
        out = out[:start] + new + out[end:]
    return out


def apply_fix(html: str | bytes, script: str) -> str:
    """The page with its JSON-LD blocks removed and ``script`` inserted before ``</head>``.

    A string-level edit: everything else (microdata, RDFa, comments, whitespace) is left as it was.
    Bytes are decoded as the audit decodes them.
    """
    text = decode_html(html)[0] if isinstance(html, bytes) else html
    return _splice(text, script)


def apply_fix_bytes(data: bytes, script: str, charset: str | None = None) -> bytes:
    """``apply_fix`` on the raw bytes: every byte outside the replaced blocks is kept as it was.

    UTF-8 pages get the script in UTF-8; other ASCII-compatible encodings get it with non-ASCII
    characters escaped (\\uXXXX), which JSON reads the same.
    """
    _, encoding = decode_html(data, charset)
    if encoding.startswith("utf-16"):
        text = decode_html(data, charset)[0]
        bom = data[:2]
        return bom + _splice(text, _ascii(script)).encode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + apply_fix_bytes(data[3:], script, "utf-8")
    piece = script.encode("utf-8").decode("latin-1") if encoding == "utf-8" else _ascii(script)
    return _splice(data.decode("latin-1"), piece).encode("latin-1")
