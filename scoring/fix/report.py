"""What the fix reports besides the graph: values kept, what the page does not say, what it could not fix."""

from __future__ import annotations

from scoring.checks.markup import CORE_PROPERTIES, HEALTH_PROPERTIES
from scoring.fix.common import first_str, flat, page_family, said, types_of
from scoring.fix.removals import MarkupRemovals
from scoring.i18n import fix_message
from scoring.markup import vocab as V
from scoring.markup.rich_results import article_properties, rich_results
from scoring.markup.structured import structured_from_jsonld

# what each absent property costs, and who has to supply it
_CHECKS = {
    "author": ["markup.health-properties", "authorship.author-named", "authorship.markup-person"],
    "reviewedBy": ["markup.health-properties", "authorship.reviewer-named"],
    "lastReviewed": ["markup.health-properties", "authorship.review-date"],
    "dateModified": ["markup.health-properties", "authorship.review-date"],
    "citation": ["markup.health-properties", "sourcing.authoritative-citations"],
}


# the properties whose absence has its own message ("absent.<property>" in scoring/messages "fix")
_ABSENT = frozenset(("headline", "description", "author", "datePublished", "dateModified", "lastReviewed",
                     "reviewedBy", "publisher", "about", "audience", "inLanguage", "citation"))


class ReportMixin:
    """changes, missing and unfixed."""

    def report_kept(self, pn: dict) -> None:
        for key, value in pn.items():
            if not key.startswith("@") and key not in self.touched:
                self.change("keep", pn, key, value, said("existing-markup-valid"))

    def report_absent(self, pn: dict, pub: dict | None) -> None:
        wanted = HEALTH_PROPERTIES if self.is_health else CORE_PROPERTIES
        for prop in wanted:
            if pn.get(prop) or (prop == "headline" and pn.get("name")):
                continue
            if not V.expected_on(prop, types_of(pn)):
                continue
            message = self.absent_notes.get(prop) or (said(f"absent.{prop}") if prop in _ABSENT else
                                                      said("absent", property=prop))
            checks = _CHECKS.get(prop, ["markup.health-properties"])
            self.need(prop, message, checks + ["markup.rich-results"] * (prop in article_properties()))
        if pub is not None and not pub.get("logo") and not any(page_family(t) for t in types_of(pub)):
            if "Person" not in types_of(pub):
                self.need("publisher.logo", said("no-logo"), [])
        if not self.page_url:
            self.need("url", said("no-canonical"), [])

    def report_warnings(self, warnings: list[dict], pn: dict) -> None:
        """Warnings only the editor can clear. Those on the page node and its people are listed one by one;
        the rest (cited works, comments...) once per kind, with a count."""
        people = {v.get("@id"): v for prop in ("author", "reviewedBy") for v in flat(pn.get(prop))
                  if isinstance(v, dict)}
        main = {pn.get("@id")} | set(people)
        grouped: dict[tuple[str, str], list[dict]] = {}
        for w in warnings:
            code = w["code"]
            if code == "pending-term":
                continue
            if code == "author-missing-url" and w["node"] in main:
                name = first_str(people[w["node"]].get("name")) if w["node"] in people else None
                self.need("author.url", said("no-profile-link", name=name) if name else said("no-profile-link-author"),
                          ["markup.schema-valid", "authorship.markup-person", "authorship.author-profile"])
            elif code == "date-without-timezone" and w["node"] in main:
                self.need(w.get("property") or "date", said("finding-no-timezone"), ["markup.schema-valid"],
                          finding=w)
            elif w["node"] in main:
                self.need(w.get("property") or "@type", said("finding"), ["markup.schema-valid"], finding=w)
            else:
                grouped.setdefault((code, w.get("property") or "@type"), []).append(w)
        for (_code, prop), items in grouped.items():
            reason = said("finding-more", count=len(items) - 1) if len(items) > 1 else said("finding")
            self.need(prop, reason, ["markup.schema-valid"], finding=items[0])

    def report_unfixed(self, pn: dict) -> None:
        sd = self.facts["structured_data"]
        errors: dict[int, list[dict]] = {}  # an unfixed entry's errors, by its place in the list
        for f in list(sd["errors"]) + list(sd["warnings"]):
            code = f.get("code")
            syntax = f.get("syntax")
            if code == "microdata-syntax" or (syntax in ("microdata", "rdfa") and code not in
                                              ("pending-term", "multiple-page-types")):
                at = next((i for i, u in enumerate(self.unfixed)
                           if u["message"] == f["message"] and u["code"] == code), None)
                if at is None:
                    at = len(self.unfixed)
                    self.unfixed.append({"property": f.get("property") or "@type", "message": f["message"],
                                         "checks": ["markup.schema-valid"], "syntax": syntax, "code": code,
                                         "message_key": f.get("message_key"), "params": f.get("params") or {}})
                if f.get("severity") == "error" and self.unfixed[at]["syntax"] == syntax:
                    errors.setdefault(at, []).append(f)
        self.report_removals(errors)
        others = [n for n in self.data.nodes if n.get("@syntax") in ("microdata", "rdfa")
                  and any(page_family(t) for t in types_of(n))]
        if others and any(page_family(t) for t in types_of(pn)):
            syntaxes = sorted({n["@syntax"] for n in others})
            params = {"syntaxes": syntaxes, "types": sorted({t for n in others for t in types_of(n)})}
            self.unfixed.append({
                "property": "@type", "syntax": ", ".join(syntaxes), "code": "multiple-page-types",
                "message": fix_message("also-describes-page", params, "en"), "message_key": "also-describes-page",
                "params": params, "checks": ["markup.schema-valid"]})

    def report_removals(self, errors: dict[int, list[dict]]) -> None:
        """The attributes to take out of the page so that its microdata and RDFa validate, on the unfixed entries
        they clear (``remove``) and in ``changes``. Errors only: a statement the validator merely warns about (a
        bare-string author, a date without time zone) is still read, and may say what the JSON-LD does not."""
        if not errors:
            return
        finder = MarkupRemovals(self.page)
        done: set[tuple] = set()
        for at, findings in errors.items():
            found = finder.removals(findings)
            if not found:
                continue
            entry = self.unfixed[at]
            entry["remove"] = [removal for _, removal in found]
            for statement, removal in found:
                key = tuple(removal.values())
                if key in done:
                    continue
                done.add(key)
                finding = findings[0]
                reason = said("markup-statement-removed", syntax=entry["syntax"], line=removal["line"],
                              attribute=removal["attribute"], token=removal["value"], finding=finding["message"],
                              finding_key=finding.get("message_key"), finding_params=finding.get("params"))
                self.change("remove", None, statement.prop, statement.value, reason, path=entry["syntax"])

    def report_rich_results(self, jsonld: dict) -> None:
        """What Google's rich results still lack in the fixed graph: only the page can say it (a name, a logo,
        a rating), so each goes to `missing` under markup.rich-results rather than being made up."""
        fixed = rich_results(structured_from_jsonld(jsonld, self.page.url))["findings"]
        # what microdata, RDFa and data-vocabulary.org markup lack for Google stays for the editor to supply
        kept = [f for f in (self.facts.get("rich_results") or {}).get("findings", [])
                if f.get("syntax") in ("microdata", "rdfa") or f.get("code") == "deprecated-vocabulary"]
        for finding in fixed + kept:
            what = ".".join(str(p) for p in (finding.get("type"), finding.get("property")) if p) or finding["code"]
            self.need(what, said("finding"), ["markup.rich-results"], finding=finding)
