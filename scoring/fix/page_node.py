"""The page node: found or made, merged with its duplicates, typed, and filled from the page."""

from __future__ import annotations

from typing import Any

from scoring.facts.audience import audience_node, audience_reason
from scoring.facts.language import normalize_lang
from scoring.fix.common import Said, first_str, flat, is_stub, norm_url, page_family, real_id, said, types_of
from scoring.fix.dates import DATES
from scoring.markup import vocab as V
from scoring.markup.consistency import similar_text
from scoring.markup.page_node import HEALTH_PAGE_TYPES


class PageNodeMixin:
    """The page's own node and its plain properties."""

    def page_node(self, tops: list[dict]) -> dict:
        src = self.source_node
        if src is not None:
            pn = self.copy(src, False)
            if src.get("@syntax", "json-ld") != "json-ld":
                self.change("add", pn, None, pn, said("jsonld-copy", syntax=src.get("@syntax"), types=types_of(pn)))
            elif all(pn is not t for t in tops):
                tops.append(pn)
        else:
            pn = {"@type": ["MedicalWebPage" if self.is_health else "WebPage"]}
        if self.is_health:
            for other in [t for t in tops if t is not pn and any(page_family(x) for x in types_of(t))]:
                if self.same_page(other, pn):
                    self.merge(pn, other, tops)
        record = self.set_types(pn, src is None)
        if not real_id(pn):
            types = types_of(pn)
            suffix = "webpage" if any(page_family(t) for t in types) or not types else types[0].lower()
            pn["@id"] = self.new_id(f"{self.page_url or ''}#{suffix}")
        self.change(*record)
        if self.is_health:
            self.drop_self_references(pn)
        return pn

    def same_page(self, other: dict, pn: dict) -> bool:
        for key in ("mainEntityOfPage", "isPartOf", "mainEntity", "about"):
            if any(v is other for v in flat(pn.get(key))) or any(v is pn for v in flat(other.get(key))):
                return True
        url = first_str(other.get("url")) or (real_id(other) or "").split("#")[0]
        if not url:
            return True
        return bool(self.page_url) and norm_url(url) == norm_url(self.page_url)

    def merge(self, pn: dict, other: dict, tops: list[dict]) -> None:
        for key, value in other.items():
            if not key.startswith("@") and key not in pn:
                pn[key] = value
        old_ids = {i for i in (real_id(pn), real_id(other)) if i}
        if real_id(other):
            pn["@id"] = other["@id"]  # the page's own identifier: keep it on the page node
        pn["@type"] = types_of(pn) + [t for t in types_of(other) if t not in types_of(pn)]
        tops[:] = [t for t in tops if t is not other]
        self.replace_references(tops + [pn], other, pn, old_ids)
        self.change("remove", other, None, other, said("same-page-merged"))

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
                items = flat(value)
                fixed = [new if (v is old or (isinstance(v, dict) and is_stub(v) and v.get("@id") in old_ids))
                         else v for v in items]
                if any(a is not b for a, b in zip(fixed, items, strict=True)):
                    node[key] = fixed if isinstance(value, list) else fixed[0]
                stack.extend(v for v in fixed if isinstance(v, dict))

    def drop_self_references(self, pn: dict) -> None:
        own = {real_id(pn)} | ({self.page_url} if self.page_url else set())
        own_keys: set[str] | None = None  # their comparison keys, made when a reference needs them
        for key in [k for k in pn if not k.startswith("@")]:
            kept = []
            values = flat(pn[key])
            for v in values:
                is_self = v is pn
                if not is_self and key in ("mainEntityOfPage", "isPartOf", "mainEntity"):
                    ref = (real_id(v) or first_str(v.get("url")) or "") if isinstance(v, dict) else v
                    if isinstance(ref, str) and ref:
                        if ref not in own and own_keys is None:
                            own_keys = {norm_url(u) for u in own if u}
                        is_self = ref in own or norm_url(ref) in own_keys
                if is_self:
                    self.change("remove", pn, key, v, said("self-reference"))
                else:
                    kept.append(v)
            if len(kept) == len(values):
                continue
            if kept:
                pn[key] = kept if len(kept) > 1 else kept[0]
            else:
                del pn[key]

    def set_types(self, pn: dict, new: bool) -> tuple:
        old = types_of(pn)
        if self.is_health:
            if any(t in HEALTH_PAGE_TYPES for t in old):
                types = old
            else:
                types = ["MedicalWebPage"] + [t for t in old if not page_family(t)]
        else:
            types = old or ["WebPage"]
        pn["@type"] = types
        self.touched.add("@type")
        if new:
            return ("add", pn, "@type", types, said("no-page-node-health" if self.is_health else "no-page-node"))
        if types != old:
            kept = [t for t in old if t in types]
            return ("correct", pn, "@type", types, said("health-page-type-kept", kept=kept) if kept
                    else said("health-page-type"))
        return ("keep", pn, "@type", types, said("own-type"))

    def fill_page(self, pn: dict, site: dict | None, pub: dict | None, tops: list[dict]) -> None:
        types = types_of(pn)
        self.headline(pn)
        self.simple(pn, "description", self.facts.get("meta_description"), said("meta-description"))
        self.url(pn)
        self.language(pn)
        for prop, field, kind in DATES:
            if V.expected_on(prop, types):
                self.date(pn, prop, field, kind)
        if not (pn.get("image") or pn.get("primaryImageOfPage")):
            image = self.page.meta_first("og:image", "twitter:image")
            if image and not image.startswith("data:"):
                self.set(pn, "image", self.page.absolute(image), "add", said("og-image"))
        self.people(pn, "author", "authors")
        if V.expected_on("reviewedBy", types):
            self.people(pn, "reviewedBy", "reviewers")
        if pub is not None:
            current = flat(pn.get("publisher"))
            if any(v is pub for v in current):
                if "publisher" not in self.touched:
                    self.touched.add("publisher")
                    self.change("keep", pn, "publisher", pub, said("page-publisher"))
            else:
                self.set(pn, "publisher", pub, "correct" if current else "add",
                         said("site-publisher") if not current else said("publisher-as-organization"))
        if site is not None and not pn.get("isPartOf") and V.expected_on("isPartOf", types):
            self.set(pn, "isPartOf", site, "add", said("part-of-site"))
        for prop in ("about", "audience"):
            if pn.get(prop):
                self.touched.add(prop)
                self.change("keep", pn, prop, pn[prop], said("named-by-markup"))
        if not (pn.get("audience") or pn.get("medicalAudience")) and (shown := audience_node(self.facts)):
            self.set(pn, "audience", shown, "add", said("audience-shown", **audience_reason(self.facts)))
        self.citations(pn)
        if V.expected_on("breadcrumb", types):
            self.breadcrumb(pn, tops)

    def set(self, node: dict, prop: str, value: Any, action: str, reason: Said) -> None:
        node[prop] = value
        self.touched.add(prop)
        self.change(action, node, prop, value, reason)

    def simple(self, pn: dict, prop: str, value: str | None, source: Said) -> None:
        if pn.get(prop):
            self.touched.add(prop)
            self.change("keep", pn, prop, pn[prop], said("existing-markup"))
        elif value:
            self.set(pn, prop, value, "add", source)

    def headline(self, pn: dict) -> None:
        h1 = self.facts["h1"][0] if self.facts.get("h1") else None
        shown = [t for t in (h1, self.facts.get("title")) if t]
        existing = first_str(pn.get("headline"))
        if existing:
            if shown and not any(similar_text(existing, t) for t in shown):
                self.set(pn, "headline", shown[0], "correct", said("headline-differs", headline=existing[:80]))
            else:
                self.touched.add("headline")
                self.change("keep", pn, "headline", existing, said("matches-page"))
            return
        name = first_str(pn.get("name"))
        if name and (not shown or any(similar_text(name, t) for t in shown)) and not self.is_health:
            return
        if shown:
            self.set(pn, "headline", shown[0], "add", said("page-h1" if h1 else "page-title"))

    def url(self, pn: dict) -> None:
        existing = first_str(pn.get("url"))
        canonical = self.facts.get("canonical")
        if existing:
            if canonical and norm_url(existing) != norm_url(canonical):
                self.set(pn, "url", canonical, "correct", said("url-differs", url=existing))
            else:
                self.touched.add("url")
                self.change("keep", pn, "url", existing, said("page-url"))
        elif self.page_url:
            self.set(pn, "url", self.page_url, "add", said("canonical-url" if canonical else "page-url"))

    def language(self, pn: dict) -> None:
        lang = self.facts.get("language")
        declared = self.page.html_lang
        tag = declared if declared and normalize_lang(declared) == lang else lang
        existing = first_str(pn.get("inLanguage"))
        if existing:
            if lang and normalize_lang(existing) != lang:
                self.set(pn, "inLanguage", tag, "correct", said("language-differs", language=lang,
                                                                    markup_language=existing))
            else:
                self.touched.add("inLanguage")
                self.change("keep", pn, "inLanguage", existing, said("page-language"))
        elif tag:
            self.set(pn, "inLanguage", tag, "add", said("html-lang" if tag == declared else "text-language"))
