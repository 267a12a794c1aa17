"""Every weight in one table. The README explains each from the evidence (docs: "How the score is built")."""

# Category weights: the JAMA benchmark's four criteria (authorship, attribution, disclosure, currency)
# and Google's health E-E-A-T guidance put expert authorship and sourcing first; the GEO study
# (Aggarwal et al., KDD 2024) measured the largest visibility gains from quotations, statistics and
# cited sources; markup helps machines understand but is not a ranking lever (Google Search Central).
CATEGORY_WEIGHTS: dict[str, float] = {
    "sourcing": 25,
    "authorship": 25,
    "structure": 20,
    "markup": 12,
    "trust": 18,
    "access": 15,  # only counted when the page was fetched by URL (robots.txt known)
    # legal obligations (LCEN, CSP, Directive 2001/83/EC), apart from GEO readiness; only counted where a rule
    # applies (a French site, a page about a medicine, advertising for one): most pages are not held to any
    "compliance": 10,
    # hygiene: what SEO crawlers report (canonical, hreflang, social cards, alt text, link texts). It helps
    # engines pick the right URL and read images and links, but no study ties it to being cited in AI answers
    # (Google: no special markup or optimisation is needed for AI features), so it weighs least.
    "hygiene": 8,
}

CHECK_WEIGHTS: dict[str, float] = {
    # sourcing: GEO "Cite Sources" +28% (+115% at rank 5), "Statistics" +31%, "Quotations" +41%
    "sourcing.authoritative-citations": 6,
    "sourcing.references-section": 3,
    "sourcing.citations-near-claims": 3,
    "sourcing.sourced-statistics": 4,
    "sourcing.attributed-quotations": 3,
    "sourcing.weak-sources": 2,
    # authorship: JAMA authorship; Google YMYL "written or reviewed by experts"
    "authorship.author-named": 5,
    "authorship.author-credentials": 4,
    "authorship.author-profile": 3,
    "authorship.reviewer-named": 5,
    "authorship.review-date": 3,
    "authorship.markup-person": 2,
    # structure: GEO "Easy-to-understand" +14%, "Fluency" +28%; NIH/AMA readability for patients
    "structure.single-h1": 2,
    "structure.heading-levels": 1,
    "structure.subheadings": 3,
    "structure.question-headings": 2,
    "structure.summary": 3,
    "structure.lists-tables": 2,
    "structure.paragraph-length": 2,
    "structure.sentence-length": 2,
    "structure.readability": 3,
    "structure.title": 2,
    "structure.meta-description": 2,
    "structure.lang-attribute": 1,
    # markup: hygiene and understanding; errors and disagreement with the page cost most
    "markup.page-type": 4,
    "markup.health-properties": 4,
    "markup.jsonld-syntax": 3,
    "markup.schema-valid": 4,
    "markup.consistent-with-page": 4,
    # Google's rich-result requirements: markup Google cannot use is wasted, but rich results are not a
    # lever for AI answers (Search Central: no special markup needed), so lighter than vocabulary validity
    "markup.rich-results": 2,
    # trust: JAMA disclosure and currency, HONcode complementarity/transparency/privacy, French law
    "trust.sponsorship-disclosure": 4,
    "trust.conflict-of-interest": 2,
    "trust.medical-disclaimer": 3,
    "trust.contact-about": 2,
    "trust.privacy-policy": 1,
    "trust.visible-dates": 3,
    "trust.prescription-promotion": 3,
    "trust.snippet-access": 5,
    # compliance: advertising a medicine without its visa is an offence (CSP L.5122-8/9); a leaflet owes the
    # invitation to report side effects (Directive 2001/83/EC art. 59), other pages about a medicine as good
    # practice; the legal notice (LCEN art. 6) is owed by every French site, and a publisher's identity is also
    # what readers and engines check first
    "compliance.medicine-advertising": 4,
    "compliance.pharmacovigilance": 3,
    "compliance.legal-notice": 2,
    # access: a page no AI crawler may read cannot be cited
    "access.ai-crawlers": 6,
    "access.search-crawlers": 6,
    "access.llms-txt": 1,
    # AI crawlers run no JavaScript (Vercel/MERJ: none of 500M+ GPTBot and ClaudeBot fetches did): an article
    # that exists only after rendering is as invisible to them as a blocked one, hence the weight of a robots.txt
    # block; a 403 or a challenge from the CDN blocks them whatever robots.txt says (field notes, issue 15)
    "access.server-rendered": 6,
    "access.bot-responses": 6,
    # hygiene: a wrong canonical or hreflang sends engines to another URL (Google's canonicalisation and
    # hreflang guidance), so they weigh most; cards, alt text and link texts help reading, not ranking
    "hygiene.canonical": 3,
    "hygiene.hreflang": 2,
    "hygiene.social-cards": 1,
    "hygiene.image-alt": 2,
    "hygiene.link-texts": 1,
}

GRADES: tuple[tuple[float, str], ...] = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (50, "E"), (0, "F"))


def grade(score: float) -> str:
    for floor, letter in GRADES:
        if score >= floor:
            return letter
    return "F"
