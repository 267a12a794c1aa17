"""schema.org markup: hygiene that helps machines understand the page; it must match the page."""

from __future__ import annotations

from ..markup.page_node import HEALTH_PAGE_TYPES
from .base import Threshold, check, failed, not_applicable, passed, warned

HEALTH_PROPERTIES = ("headline", "description", "author", "datePublished", "dateModified", "lastReviewed",
                     "reviewedBy", "publisher", "about", "audience", "inLanguage", "citation")
CORE_PROPERTIES = ("headline", "description", "author", "datePublished", "dateModified", "publisher",
                   "inLanguage")


@check("markup.page-type",
       title="Declares a health page type in schema.org",
       how_to_fix="Mark the page up as MedicalWebPage (JSON-LD) with the article's properties; Healthgeo's fix "
                  "gives the ready-to-paste graph.",
       messages={"pass": "Page type {types}.",
                 "warn": "Page marked up as {types}, not as a health page type (MedicalWebPage).",
                 "warn_generic": "Page marked up as {types}.",
                 "fail": "No schema.org page or article type."},
       reads=("structured_data", "topic"))
def page_type(ctx):
    types = ctx.facts["structured_data"]["page_type"]
    if not types:
        return failed(evidence=ctx.facts["structured_data"]["types"][:10])
    shown = ", ".join(types)
    if not ctx.is_health or any(t in HEALTH_PAGE_TYPES for t in types):
        return passed(types=shown)
    return warned(types=shown)


@check("markup.health-properties",
       title="Gives the properties that matter for a health page",
       how_to_fix="Add to the page node: headline, description, author, datePublished, dateModified, "
                  "lastReviewed, reviewedBy, publisher, about, audience, inLanguage and citation.",
       messages={"pass": "All key properties present.",
                 "warn": "Missing: {missing}.",
                 "fail": "Missing most key properties: {missing}.",
                 "na": "No page node to describe."},
       reads=("page_node", "topic"),
       thresholds={"max_missing_health": Threshold(len(HEALTH_PROPERTIES) // 2, "a failure when more than half "
                                                   "of the 12 health-page properties are missing", "properties"),
                   "max_missing_core": Threshold(len(CORE_PROPERTIES) // 2, "a failure when more than half of the "
                                                 "7 core properties are missing (other pages)", "properties")})
def health_properties(ctx, threshold):
    node = ctx.page_node
    if node is None:
        return not_applicable()
    wanted = HEALTH_PROPERTIES if ctx.is_health else CORE_PROPERTIES
    most = threshold["max_missing_health"] if ctx.is_health else threshold["max_missing_core"]
    missing = [p for p in wanted if not node.get(p) and not (p == "headline" and node.get("name"))]
    if not missing:
        return passed()
    if len(missing) > most:
        return failed(missing=", ".join(missing), evidence=missing)
    return warned(missing=", ".join(missing), evidence=missing)


@check("markup.jsonld-syntax",
       title="JSON-LD parses without errors",
       how_to_fix="Fix the JSON-LD blocks so they are strict JSON: no comments, CDATA wrappers, trailing "
                  "commas or text after the closing brace.",
       messages={"pass": "{blocks, plural, one {# JSON-LD block parses} other {# JSON-LD blocks parse}} cleanly.",
                 "warn": "{count, plural, one {# JSON-LD block needed} other {# JSON-LD blocks needed}} repair: "
                         "{first}",
                 "fail": "{count, plural, one {# JSON-LD block is} other {# JSON-LD blocks are}} broken and "
                         "ignored: {first}",
                 "na": "No JSON-LD on the page."},
       reads=("structured_data", "data"))
def jsonld_syntax(ctx):
    errors = [e for e in ctx.facts["structured_data"]["errors"] if e.get("code") == "jsonld-syntax"]
    if not ctx.data.jsonld_blocks:
        return not_applicable()
    broken = [e for e in errors if not e["repaired"]]
    if broken:
        return failed(count=len(broken), first=broken[0]["message"], evidence=broken)
    if errors:
        return warned(count=len(errors), first=errors[0]["message"], evidence=errors)
    return passed(blocks=ctx.data.jsonld_blocks)


@check("markup.schema-valid",
       title="Markup is valid against the schema.org vocabulary",
       how_to_fix="Fix each error listed (unknown types or properties, properties on the wrong type, malformed "
                  "dates or URLs), or paste Healthgeo's corrected JSON-LD.",
       messages={"pass": "No schema.org error.",
                 "warn": "{warnings, plural, one {# warning} other {# warnings}}: {first}",
                 "fail": "{errors, plural, one {# schema.org error} other {# schema.org errors}}: {first}",
                 "na": "No structured data."},
       reads=("structured_data", "data"))
def schema_valid(ctx):
    data = ctx.facts["structured_data"]
    if not ctx.data.nodes:
        return not_applicable()
    errors = [e for e in data["errors"] if e.get("code") not in ("jsonld-syntax", "microdata-syntax")]
    if errors:
        return failed(errors=len(errors), first=errors[0]["message"], evidence=errors[:10])
    # pending terms (jobTitle, hasCredential) are used by Google and are not a defect
    warnings = [w for w in data["warnings"] if w.get("code") != "pending-term"]
    if warnings:
        return warned(warnings=len(warnings), first=warnings[0]["message"], evidence=warnings[:10])
    return passed()


@check("markup.consistent-with-page",
       title="Markup agrees with the visible page",
       how_to_fix="Make the markup say what the page says: same headline, authors, reviewer, dates, language "
                  "and URL. Markup that contradicts the page is worse than none.",
       messages={"pass": "Markup agrees with the page ({compared, plural, one {# value} other {# values}} compared).",
                 "warn": "{count, plural, one {# disagreement} other {# disagreements}}: {first}.",
                 "fail": "{count, plural, one {# disagreement} other {# disagreements}}: {first}.",
                 "na": "No markup values to compare."},
       reads=("structured_data",))
def consistent_with_page(ctx):
    findings = ctx.facts["structured_data"].get("consistency", [])
    compared = ctx.facts["structured_data"].get("consistency_compared", 0)
    if not compared:
        return not_applicable()
    if not findings:
        return passed(compared=compared)
    serious = [f for f in findings if f["severity"] == "error"]
    outcome = failed if serious else warned
    return outcome(count=len(findings), first=findings[0]["message"], evidence=findings)
