"""Compliance: what health law asks a page to show, each check with the text it comes from.

Its own category (not a group in trust): these are legal obligations an agency reviews with its client's
regulatory team, apart from how ready a page is for generative search; a category only counts where one of its
rules applies, so a page no rule concerns (an English article naming no medicine) scores as before.
Sponsorship and influencer labels (loi n° 2023-451) stay in trust.sponsorship-disclosure, which reads the
same disclosure facts. Facts: ``facts["compliance"]`` (scoring/regulatory.py) and ``facts["audience"]``.
"""

from __future__ import annotations

from .base import Outcome, check, failed, not_applicable, passed, warned

PHARMACOVIGILANCE_RULE = ("Directive 2001/83/EC art. 59(1)(o) (EU); CSP art. R.5121-150 and following (France); "
                          "21 CFR 201.57(a)(11) (US)")
LEGAL_NOTICE_RULE = "LCEN, loi n° 2004-575 du 21 juin 2004, art. 6"
ADVERTISING_RULE = "CSP art. L.5122-8 and R.5122-3 (public, visa GP); CSP art. L.5122-9 (professionals, visa PM)"
PROFESSIONALS = "professionals"


@check("compliance.pharmacovigilance",
       title="Tells readers how to report a side effect (pages about a medicine)",
       how_to_fix="Say how to report a side effect and link to the reporting system: signalement-sante.gouv.fr or "
                  "the ANSM (France), FDA MedWatch (US), the MHRA Yellow Card (UK), the national agency listed by "
                  "the EMA, or the laboratory's pharmacovigilance contact.",
       messages={"pass_link": "Side-effect reporting linked: {url}.",
                 "pass_text": "Side-effect reporting named: \u201c{text}\u201d.",
                 "warn_invitation": "Invites readers to report side effects (\u201c{text}\u201d) but names no "
                                    "reporting system or contact.",
                 "warn": "About a medicine ({drug}) but says nothing of reporting side effects (good practice; "
                         "required in leaflets by Directive 2001/83/EC art. 59(1)(o)).",
                 "fail_document": "A leaflet or product information for a medicine ({drug}) without the invitation "
                                  "to report side effects (Directive 2001/83/EC art. 59(1)(o); 21 CFR 201.57).",
                 "fail_advertising": "Advertising for a medicine ({drug}) without a way to report side effects "
                                     "(CSP art. R.5122-3; Directive 2001/83/EC art. 59(1)(o)).",
                 "na": "Does not apply: the page is not about a medicine."},
       reads=("compliance",), rule=PHARMACOVIGILANCE_RULE)
def pharmacovigilance(ctx) -> Outcome:
    compliance = ctx.facts["compliance"]
    medicines, advertising = compliance["medicines"], compliance["advertising"]
    advertised = advertising["is_advertising"] and bool(medicines["named"])
    if not (medicines["about"] or advertised):
        return not_applicable()
    report = compliance["pharmacovigilance"]
    evidence = {"medicines": medicines["named"][:5], "reasons": medicines["reasons"]}
    if report["links"]:
        return passed("pass_link", url=report["links"][0][:160], evidence={**evidence, "links": report["links"]})
    if report["destination"]:
        return passed("pass_text", text=report["destination"][:120], evidence=evidence)
    if report["invitation"]:
        return warned("warn_invitation", text=report["invitation"][:120], evidence=evidence)
    drug = (medicines["named"] or medicines["markup"] or [medicines["document"] or ""])[0][:80]
    if medicines["document"]:
        return failed("fail_document", drug=drug, evidence=evidence)
    if advertised:
        return failed("fail_advertising", drug=drug, evidence=evidence)
    return warned(drug=drug, evidence=evidence)


@check("compliance.legal-notice",
       title="Links to its legal notice (French sites)",
       how_to_fix="Link every page (footer) to a \u2018Mentions l\u00e9gales\u2019 page naming the publisher (name, "
                  "address, contact), the publication director and the host (LCEN, loi n\u00b0 2004-575, art. 6).",
       messages={"pass": "Legal notice linked: \u201c{text}\u201d.",
                 "pass_identity": "The page names its publisher: \u201c{text}\u201d.",
                 "fail": "No link to a legal notice (\u201cMentions l\u00e9gales\u201d), which French sites owe "
                         "their readers (LCEN, loi n\u00b0 2004-575, art. 6).",
                 "na": "Does not apply: not a French site (French-language page at a French or generic address)."},
       reads=("compliance",), rule=LEGAL_NOTICE_RULE)
def legal_notice(ctx) -> Outcome:
    compliance = ctx.facts["compliance"]
    if not compliance["jurisdiction"]["french_site"]:
        return not_applicable(evidence=compliance["jurisdiction"])
    notice = compliance["legal_notice"]
    if notice["links"]:
        return passed(text=notice["links"][0]["text"] or notice["links"][0]["url"][:80], evidence=notice["links"])
    if notice["identity"]:
        return passed("pass_identity", text=notice["identity"][:120])
    return failed()


@check("compliance.medicine-advertising",
       title="Medicine advertising shows its ANSM visa and mandatory notice (France)",
       how_to_fix="Advertising for a medicine in France needs the ANSM's prior visa and shows its number: to the "
                  "public the visa GP with the notice \u2018Ceci est un m\u00e9dicament\u2026 Lisez attentivement la "
                  "notice\u2019 (CSP L.5122-8, R.5122-3); to health professionals the visa PM (CSP L.5122-9). A "
                  "prescription medicine may not be advertised to the public at all (CSP L.5122-6).",
       messages={"pass_public": "Advertising to the public with its visa ({visa}) and the mandatory notice.",
                 "pass_professional": "Advertising to health professionals with its visa ({visa}).",
                 "warn_notice": "Advertising to the public with a visa ({visa}) but without the full mandatory "
                                "notice (\u201cCeci est un m\u00e9dicament\u201d and the invitation to read the "
                                "leaflet; CSP art. R.5122-3).",
                 "fail_public": "Promotes a medicine ({drug}) to the public without an ANSM visa number "
                                "(CSP art. L.5122-8).",
                 "fail_professional": "Advertising to health professionals for a medicine ({drug}) without its "
                                      "visa mention (CSP art. L.5122-9).",
                 "na": "Does not apply: no advertising for a medicine on a French site."},
       reads=("compliance", "audience"), rule=ADVERTISING_RULE)
def medicine_advertising(ctx) -> Outcome:
    compliance = ctx.facts["compliance"]
    advertising = compliance["advertising"]
    if not (compliance["jurisdiction"]["french_site"] and advertising["is_advertising"]):
        return not_applicable()
    visas = [v for v in advertising["visas"] if v["number"]]
    evidence = {"visas": visas, "promotion": advertising["promotion"][:3]}
    drug = advertising["promotion"][0]["drug"] if advertising["promotion"] else ""
    if ctx.facts["audience"]["audience"] == PROFESSIONALS:
        if visas:
            return passed("pass_professional", visa=visas[0]["text"][:80], evidence=evidence)
        return failed("fail_professional", drug=drug, evidence=evidence)
    if not visas:
        return failed("fail_public", drug=drug, evidence=evidence)
    if advertising["medicine_statement"] and advertising["leaflet_invitation"]:
        return passed("pass_public", visa=visas[0]["text"][:80], evidence=evidence)
    return warned("warn_notice", visa=visas[0]["text"][:80], evidence=evidence)


def professional_presentation(ctx) -> Outcome:
    """trust.prescription-promotion on a page for health professionals: promoting a prescription medicine to
    them is allowed (CSP L.5122-6 forbids it to the public only), behind a gate that keeps the public out. A
    journal article naming a medicine promotes nothing and owes no gate."""
    audience = ctx.facts["audience"]
    compliance = ctx.facts["compliance"]
    prescription = compliance["medicines"]["prescription"]
    hits = ctx.facts["disclosures"]["prescription_promotion"]
    promoted = [h["drug"] for h in hits] or (prescription if compliance["advertising"]["is_advertising"] else [])
    if audience["gate"]:
        return passed("pass_gated", gate=audience["gate"][:120], evidence=promoted[:5])
    if promoted:
        return warned("warn_ungated", drug=promoted[0], evidence=hits or promoted[:5])
    return passed("pass_professional")
