"""Trust and compliance: JAMA disclosure and currency, HONcode, French rules (CSP L.5122-6,
loi 2023-451), and robots directives that keep a page out of AI answers."""

from __future__ import annotations

from datetime import date

from .base import Threshold, check, failed, passed, warned
from .compliance import professional_presentation


@check("trust.sponsorship-disclosure",
       title="Labels sponsored content",
       how_to_fix="Label paid or partner content at the top: 'Sponsored', 'Paid partnership', 'Publicité', "
                  "'Collaboration commerciale' (French law 2023-451), and mark paid links rel=\"sponsored\".",
       messages={"pass": "Sponsorship labelled: \u201c{label}\u201d.",
                 "pass_none": "No sign of sponsored content.",
                 "fail_links": "{count, plural, one {# rel=\"sponsored\" link} other {# rel=\"sponsored\" links}} "
                               "but no sponsorship label.",
                 "fail_shops": "{count, plural, one {# link to a shop} other {# links to shops}} in the text "
                               "but no sponsorship label.",
                 "fail_markup": "The markup names a sponsor or funder but the page shows no sponsorship label."},
       reads=("disclosures", "citations", "page_node"),
       thresholds={"min_shop_links": Threshold(3, "one or two shop links can be references; three or more in the "
                                                  "text look like paid placement", "links")})
def sponsorship_disclosure(ctx, threshold):
    disclosures = ctx.facts["disclosures"]
    label = disclosures["sponsorship_label"]
    # signals as codes (evidence) and the strongest one as the message: params stay free of English words
    signals = []
    if disclosures["sponsored_links"]:
        signals.append(("fail_links", len(disclosures["sponsored_links"])))
    commercial = [c for c in ctx.facts["citations"] if c["kind"] == "commercial" and not c["in_references"]]
    if len(commercial) >= threshold["min_shop_links"]:
        signals.append(("fail_shops", len(commercial)))
    node = ctx.page_node or {}
    if node.get("sponsor") or node.get("funder"):
        signals.append(("fail_markup", 1))
    evidence = {"signals": [key.removeprefix("fail_") for key, _ in signals],
                "sponsored_links": disclosures["sponsored_links"][:5]}
    if label:
        return passed(label=label[:120], evidence=evidence["signals"])
    if signals:
        key, count = signals[0]
        return failed(key, evidence=evidence, **({} if key == "fail_markup" else {"count": count}))
    return passed("pass_none")


@check("trust.conflict-of-interest",
       title="States conflicts of interest",
       how_to_fix="State the authors' links with industry where they are presented ('Disclosures: none' / "
                  "'Liens d'intérêts : aucun'; CSP L.4113-13 for health professionals).",
       messages={"pass": "Conflict-of-interest statement: \u201c{text}\u201d.",
                 "warn": "No conflict-of-interest statement."}, health_only=True,
       reads=("disclosures",))
def conflict_of_interest(ctx):
    text = ctx.facts["disclosures"]["conflict_of_interest"]
    if text:
        return passed(text=text[:120])
    return warned()


@check("trust.medical-disclaimer",
       title="Says it does not replace a health professional",
       how_to_fix="Add a short notice: 'This information does not replace the advice of a doctor or "
                  "pharmacist' / 'Ces informations ne remplacent pas l'avis d'un professionnel de santé'.",
       messages={"pass": "Disclaimer: \u201c{text}\u201d.",
                 "fail": "No medical disclaimer."}, health_only=True,
       reads=("disclosures",))
def medical_disclaimer(ctx):
    text = ctx.facts["disclosures"]["disclaimer"]
    if text:
        return passed(text=text[:160])
    return failed()


@check("trust.contact-about",
       title="Links to contact and about pages",
       how_to_fix="Link to a contact page and an 'About us' / 'Qui sommes-nous' page that says who publishes "
                  "the site and how it is funded.",
       messages={"pass": "Contact and about links found.",
                 "warn_no_about": "Contact link found, but no link to an about page.",
                 "warn_no_contact": "About link found, but no link to a contact page.",
                 "fail": "No contact or about link."},
       reads=("disclosures",))
def contact_about(ctx):
    d = ctx.facts["disclosures"]
    has_contact, has_about = bool(d["contact_links"]), bool(d["about_links"])
    evidence = d["contact_links"][:2] + d["about_links"][:2]
    if has_contact and has_about:
        return passed(evidence=evidence)
    if has_contact or has_about:
        return warned("warn_no_about" if has_contact else "warn_no_contact", evidence=evidence)
    return failed()


@check("trust.privacy-policy",
       title="Links to a privacy policy",
       how_to_fix="Link to the privacy policy from every page (footer).",
       messages={"pass": "Privacy policy linked.", "fail": "No privacy policy link."},
       reads=("disclosures",))
def privacy_policy(ctx):
    links = ctx.facts["disclosures"]["privacy_links"]
    return passed(evidence=links[:2]) if links else failed()


@check("trust.visible-dates",
       title="Shows when the page was published or updated",
       how_to_fix="Show a labelled date near the title ('Updated on 3 March 2026' / 'Mis à jour le "
                  "3 mars 2026') and keep health content current.",
       messages={"pass": "Visible date: {date} (the page says “{label}”).",
                 "pass_unlabelled": "Visible date: {date}, opening the article.",
                 "warn_hidden": "Dates only in markup or meta tags ({date}); none shown to readers.",
                 "warn_stale": "Last dated {date}: more than three years old.",
                 "fail": "No date at all."},
       reads=("dates", "date_modified", "last_reviewed", "date_published", "topic"),
       thresholds={"stale_after_days": Threshold(3 * 365, "JAMA's currency criterion: health content last dated "
                                                          "over three years ago is flagged as stale", "days")})
def visible_dates(ctx, threshold):
    dates = ctx.facts["dates"]
    visible = dates.get("visible") or []
    newest = max(filter(None, (ctx.facts["date_modified"], ctx.facts["last_reviewed"],
                               ctx.facts["date_published"])), default=None)
    if newest and ctx.is_health:
        try:
            if (date.today() - date.fromisoformat(newest[:10])).days > threshold["stale_after_days"]:
                return warned("warn_stale", date=newest[:10], evidence=visible[:3])
        except ValueError:
            pass
    if visible:
        first = visible[0]
        day = (first.get("date") or "")[:10]
        if not first.get("label"):  # a dateline: the page gives no label to quote
            return passed("pass_unlabelled", date=day, evidence=visible[:3])
        return passed(label=first["label"], date=day, evidence=visible[:3])
    if newest:
        return warned("warn_hidden", date=newest[:10])
    return failed()


@check("trust.prescription-promotion",
       title="No promotion of prescription medicines to the public",
       how_to_fix="Remove promotional wording (prices, 'buy', 'without prescription') next to prescription "
                  "medicines: advertising them to the public is not allowed (France: CSP L.5122-6). "
                  "Have these passages reviewed.",
       messages={"pass": "No promotional wording next to a prescription medicine.",
                 "warn": "{count, plural, one {# passage pairs} other {# passages pair}} a prescription "
                         "medicine ({drug}) with promotional wording "
                         "(\u201c{phrase}\u201d): flagged for human review.",
                 "pass_gated": "Written for health professionals, behind a gate (\u201c{gate}\u201d): presenting "
                               "prescription medicines to them is allowed.",
                 "pass_professional": "Written for health professionals, without promotion of a prescription medicine.",
                 "warn_ungated": "Promotes a prescription medicine ({drug}) to health professionals, but no gate "
                                 "(\u201cFor healthcare professionals only\u201d) keeps the public out."},
       health_only=True, reads=("disclosures", "audience", "compliance"))
def prescription_promotion(ctx):
    if (ctx.facts.get("audience") or {}).get("audience") == "professionals":  # L.5122-6: advertising to the public
        return professional_presentation(ctx)
    hits = ctx.facts["disclosures"]["prescription_promotion"]
    if not hits:
        return passed()
    return warned(count=len(hits), drug=hits[0]["drug"], phrase=hits[0]["phrase"], evidence=hits)


@check("trust.snippet-access",
       title="Lets search and AI engines index and quote the page",
       how_to_fix="Remove noindex / nosnippet from meta robots and X-Robots-Tag, and do not set max-snippet "
                  "below 50 characters on pages you want cited.",
       messages={"pass": "No directive keeps the page out of answers.",
                 "warn": "max-snippet:{max} or data-nosnippet limits what engines may quote.",
                 "fail": "{directive}: the page cannot appear or be quoted in AI answers."},
       reads=("robots",),
       thresholds={"min_max_snippet": Threshold(50, "a max-snippet under 50 characters leaves too little to "
                                                    "quote", "characters"),
                   "max_data_nosnippet": Threshold(3, "a few data-nosnippet spans hide page chrome; more hide "
                                                      "the content", "elements")})
def snippet_access(ctx, threshold):
    robots = ctx.facts["robots"]
    if robots["noindex"]:
        return failed(directive="noindex", evidence=robots["directives"])
    if robots["nosnippet"] or robots["max_snippet"] == 0:
        return failed(directive="nosnippet", evidence=robots["directives"])
    if (robots["max_snippet"] is not None and 0 < robots["max_snippet"] < threshold["min_max_snippet"]) or (
            robots["data_nosnippet"] > threshold["max_data_nosnippet"]):
        return warned(max=robots["max_snippet"], evidence=robots)
    return passed()
