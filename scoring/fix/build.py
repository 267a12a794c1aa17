"""JSON-LD an editor can paste: the page's markup merged, corrected and completed from the page itself.

``build_fix(ctx)`` returns::

    {"jsonld":  {"@context": "https://schema.org", "@graph": [...]},
     "script":  '<script type="application/ld+json">...</script>'  (pretty-printed; <, > and & escaped),
     "changes": [{"action": "add"|"correct"|"keep"|"remove", "path", "property", "value", "reason"}, ...],
     "missing": [{"property", "message", "checks": [check ids]}, ...],
     "unfixed": [{"property", "message", "checks", "syntax", "code", "remove"?: [...]}, ...]}

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
* The output is validated with ``scoring.markup.validate``; whatever still fails is removed (or renamed:
  superseded terms, case slips) and each removal is listed in ``changes``. Warnings that only the
  editor can clear (no profile link, a date without time zone) go to ``missing``.
* Microdata and RDFa stay in the page but for the statements the validator rejects: their problems
  (and a second page node they would make) are listed in ``unfixed``, and each error the fix can pin
  to one attribute token of one start tag carries ``remove``: ``[{"attribute": "itemprop" | "property",
  "value": <token>, "line", "tag": <the start tag as written>}]`` (``scoring.fix.removals``), also
  recorded in ``changes``. Warnings get none: their statements are still read. The JSON-LD page node
  never reuses a microdata ``itemid``, so the two are not merged back on a new audit.

``apply_fix(html, script, fix_removals(fix))`` removes the page's ``application/ld+json`` blocks, inserts
the script before ``</head>`` and takes each removal's token out of its tag, leaving the rest of the
document as it was.
"""

from __future__ import annotations

from typing import Any

from scoring.fix.apply import render_script
from scoring.fix.breadcrumbs import BreadcrumbsMixin
from scoring.fix.citations import CitationsMixin
from scoring.fix.common import (
    CONTEXT,
    HTML_ENTITY,
    Said,
    first_str,
    flat,
    org_family,
    origin_of,
    real_id,
    said,
    summary,
    types_of,
    unescape_entities,
    walk_nodes,
)
from scoring.fix.dates import DatesMixin
from scoring.fix.organisation import OrganisationMixin
from scoring.fix.page_node import PageNodeMixin
from scoring.fix.people import PeopleMixin
from scoring.fix.repair import RepairMixin
from scoring.fix.report import ReportMixin
from scoring.i18n import fix_message
from scoring.page.model import Page
from scoring.pipeline import gather

__all__ = ["build_fix", "fix_html"]


class _Fixer(PageNodeMixin, OrganisationMixin, DatesMixin, PeopleMixin, CitationsMixin, BreadcrumbsMixin,
             RepairMixin, ReportMixin):
    """One page's fix: each part of the graph is a mixin of its own module; run() puts them in order."""

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
        self.origin = origin_of(self.page_url)

    # ---------------------------------------------------------- records

    def where(self, node: dict | None) -> str:
        if node is None:
            return ""
        ident = real_id(node)
        if ident:
            return ident
        types = types_of(node)
        return types[0] if types else "node"

    def change(self, action: str, node: dict | None, prop: str | None, value: Any, reason: Said,
               path: str | None = None) -> None:
        """Record a change; ``reason`` (code, params) is kept with its English text (``scoring.i18n.localize_fix``
        renders it in another language)."""
        code, params = reason
        self.changes.append({"action": action, "path": path or self.where(node), "property": prop,
                             "value": summary(value), "reason": fix_message(code, params, "en"),
                             "reason_code": code, "reason_params": params})

    def need(self, prop: str, message: Said, checks: list[str], *, finding: dict | None = None) -> None:
        """Record what the page does not say; ``finding``: the validator finding the message adds to."""
        code, params = message
        if finding is not None:
            params = {**params, "finding_key": finding.get("message_key") or finding.get("code"),
                      "finding_params": finding.get("params") or {}, "finding": finding.get("message") or ""}
        text = fix_message(code, params, "en")
        for item in self.missing:
            if item["property"] == prop and item["message"] == text:
                return
        self.missing.append({"property": prop, "message": text, "checks": checks, "message_key": code,
                             "params": params})

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
        for t in types_of(node):
            if t not in out["@type"]:
                out["@type"].append(t)
        for key, value in node.items():
            if key.startswith("@") or key in out:
                continue
            if isinstance(value, dict):
                out[key] = self.copy(value, keep_id)
            elif isinstance(value, list):
                items = [self.copy(v, keep_id) if isinstance(v, dict) else v for v in flat(value)]
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
        for node in walk_nodes(nodes):
            for key, value in node.items():
                if key.startswith("@") or (isinstance(value, str) and "&" not in value):
                    continue
                items = flat(value)
                if not any(isinstance(v, str) and "&" in v and HTML_ENTITY.search(v) for v in items):
                    continue
                fixed = [unescape_entities(v) if isinstance(v, str) else v for v in items]
                node[key] = fixed if isinstance(value, list) else fixed[0]
                self.change("correct", node, key, node[key], said("html-entities"))

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
            name = first_str(publisher.get("name"))
            if name and any(org_family(t) for t in types_of(publisher)):
                website["name"] = name
                self.change("add", website, "name", name, said("publisher-name"))
        self.fill_page(pn, website, publisher, tops)
        graph: list[dict] = []
        for node in [website, publisher, pn] + tops:
            if node is not None and all(node is not g for g in graph):
                graph.append(node)
        for node in graph:
            if node is not pn and node is not website and node is not publisher:
                self.change("keep", node, None, node, said("existing-node"))
        nodes = self.people_elsewhere(graph, pn)
        nodes = self.drop_foreign(graph, nodes)
        warnings = self.validate(graph, nodes)
        self.report_kept(pn)
        self.report_absent(pn, publisher)
        self.report_warnings(warnings, pn)
        self.report_unfixed(pn)
        jsonld = {"@context": CONTEXT, "@graph": self.serialise(graph)}
        script = render_script(jsonld)
        self.report_rich_results(jsonld)
        return {"jsonld": jsonld, "script": script, "changes": self.changes,
                "missing": self.missing, "unfixed": self.unfixed}

    def report_broken_blocks(self) -> None:
        for err in self.facts["structured_data"]["errors"]:
            if err.get("code") == "jsonld-syntax":
                action = "correct" if err.get("repaired") else "remove"
                code = "broken-block-repaired" if err.get("repaired") else "broken-block-replaced"
                reason = said(code, line=err.get("line") or 0, finding=err["message"],
                              finding_key=err.get("message_key"), finding_params=err.get("params"))
                self.change(action, None, None, None, reason, path="JSON-LD")

    # ---------------------------------------------------------- output

    def serialise(self, graph: list[dict]) -> list[dict]:
        top_ids = {i for i in (real_id(n) for n in graph) if i}
        emitted: set[str] = set()

        path: set[int] = set()  # the nodes being written, from the top: a cycle stops at a reference

        def node_out(node: dict, top: bool) -> dict | None:
            ident = real_id(node)
            if not top and ident and (ident in top_ids or ident in emitted):
                return {"@id": ident}
            if id(node) in path:
                return {"@id": ident} if ident else None
            if ident:
                emitted.add(ident)
            out: dict = {}
            types = types_of(node)
            if types:
                out["@type"] = types[0] if len(types) == 1 else types
            if ident:
                out["@id"] = ident
            path.add(id(node))
            for key, value in node.items():
                if key.startswith("@"):
                    continue
                if isinstance(value, list):
                    items = [node_out(v, False) if isinstance(v, dict) else v for v in flat(value)]
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


def build_fix(ctx) -> dict:
    """The ready-to-paste JSON-LD for an audited page, with what changed and what the editor must supply."""
    return _Fixer(ctx).run()


def fix_html(html: str | bytes, url: str | None = None, charset: str | None = None) -> dict:
    """Parse a page and build its fix without running the checks."""
    return build_fix(gather(Page.parse(html, url, charset)))


