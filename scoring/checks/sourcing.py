"""Sourcing: GEO's largest measured gains (quotations +41%, statistics +31%, cited sources +28%)
and the JAMA attribution criterion."""

from __future__ import annotations

import re

from .base import Threshold, check, failed, not_applicable, passed, warned

# "Experts say" names nobody: a quotation counts as attributed only to a named speaker.
VAGUE_SPEAKER = re.compile(
    r"^(?:the |les |des |certains |some |many |most |our |nos )?(?:experts?|scientists?|researchers?|doctors?|"
    r"studies|study|specialists?|spécialistes?|scientifiques?|chercheurs?|médecins?|études?|people|gens|"
    r"customers?|clients?|clientes?|users?|utilisat\w+|members?|adhérent\w*)$", re.I)


def named_speaker(quote: dict) -> bool:
    speaker = (quote.get("speaker") or "").strip()
    return bool(quote.get("attributed")) and not (speaker and VAGUE_SPEAKER.match(speaker))


def _authoritative(ctx) -> list[dict]:
    return [c for c in ctx.facts["citations"] if c["authoritative"]]


@check("sourcing.authoritative-citations",
       title="Cites authoritative sources in proportion to its length",
       how_to_fix="Link each medical claim to its source: a study (DOI or PubMed), a guideline (HAS, NICE, WHO) "
                  "or a health authority (ANSM, CDC, NHS). Aim for one authoritative source per 400 words.",
       messages={"pass": "{count, plural, one {# authoritative source} other {# authoritative sources}} for "
                         "{words, plural, one {# word} other {# words}}.",
                 "warn": "Only {count, plural, one {# authoritative source} other {# authoritative sources}} "
                         "for {words, plural, one {# word} other {# words}} (expected at least {expected}).",
                 "fail": "No authoritative source is cited ({total, plural, one {# outbound link} other {# "
                         "outbound links}}, "
                         "none to a study, guideline "
                         "or health authority).",
                 "na": "Too little text to expect citations ({words, plural, one {# word} other {# words}})."},
       reads=("word_count", "citations"),
       thresholds={"min_words": Threshold(150, "under 150 words without a source, a page makes too few claims "
                                               "to expect one", "words"),
                   "words_per_citation": Threshold(400, "one authoritative source per ~400 words of health prose",
                                                   "words"),
                   "max_expected": Threshold(8, "past eight sources, more length asks for no more citations",
                                             "sources")})
def authoritative_citations(ctx, threshold):
    words = ctx.facts["word_count"]
    good = _authoritative(ctx)
    evidence = [{"url": c["url"], "kind": c["kind"]} for c in good[:10]]
    if words < threshold["min_words"] and not good:
        return not_applicable(words=words)
    expected = max(1, min(threshold["max_expected"], round(words / threshold["words_per_citation"])))
    if not good:
        return failed(total=len(ctx.facts["citations"]), evidence=evidence)
    if len(good) < expected:
        return warned(count=len(good), words=words, expected=expected, evidence=evidence)
    return passed(count=len(good), words=words, evidence=evidence)


@check("sourcing.references-section",
       title="Has a references section",
       how_to_fix="End the article with a 'References' (or 'Sources', 'Références') list naming each source "
                  "with a link, its DOI or PubMed id.",
       messages={"pass": "References section found ({count, plural, one {# entry} other {# entries}}).",
                 "fail": "No references or sources section.",
                 "na": "Too little text to expect a references section."}, health_only=True,
       reads=("references_section", "references", "word_count"),
       thresholds={"min_words": Threshold(200, "a page under 200 words is a note, not an article with "
                                               "references", "words")})
def references_section(ctx, threshold):
    if ctx.facts["references_section"]:
        refs = ctx.facts.get("references") or {}
        return passed(count=refs.get("count", "?"), evidence=refs)
    if ctx.facts["word_count"] < threshold["min_words"]:
        return not_applicable()
    return failed()


@check("sourcing.citations-near-claims",
       title="Places citations next to the claims they support",
       how_to_fix="Link the source inside the sentence that makes the claim (or add a numbered footnote), "
                  "not only in a list at the end.",
       messages={"pass": "{inline, plural, one {# citation sits} other {# citations sit}} in the text next to claims.",
                 "warn": "Sources are listed only at the end ({listed}); none is linked from the claims.",
                 "fail": "No citation in the text.",
                 "na": "No citations to place."},
       reads=("citations", "statistics", "word_count"),
       thresholds={"min_words": Threshold(150, "under 150 words without a source, a page makes too few claims "
                                               "to expect one", "words")})
def citations_near_claims(ctx, threshold):
    citations = [c for c in ctx.facts["citations"] if c["kind"] not in ("commercial", "social")]
    inline = [c for c in citations if not c["in_references"]]
    cited_stats = sum(1 for s in ctx.facts["statistics"] if s["has_citation"])
    if not citations and ctx.facts["word_count"] < threshold["min_words"]:
        return not_applicable()
    if inline or cited_stats:
        return passed(inline=max(len(inline), cited_stats), evidence=[c["url"] for c in inline[:5]])
    if citations:
        return warned(listed=len(citations))
    return failed()


@check("sourcing.sourced-statistics",
       title="Gives figures, each with its source",
       how_to_fix="Back key claims with figures (rates, risks, numbers of patients) and cite where each comes "
                  "from in the same sentence.",
       messages={"pass": "{cited} of {total, plural, one {# statistic carries} other {# statistics carry}} a source.",
                 "warn": "{uncited} of {total, plural, one {# statistic carries} other {# statistics carry}} no "
                         "source.",
                 "warn_none": "No statistics: figures make a page more quotable by generative engines.",
                 "fail": "{total, plural, one {The only statistic carries no source.} "
                         "other {None of the # statistics carries a source.}}",
                 "na": "Too little text to expect statistics."},
       reads=("statistics", "word_count"),
       thresholds={"min_words": Threshold(300, "a page under 300 words need not give figures", "words"),
                   "min_cited_share": Threshold(0.5, "a warning when fewer than half the figures carry their "
                                                     "source, a failure only when none does")})
def sourced_statistics(ctx, threshold):
    stats = ctx.facts["statistics"]
    if not stats:
        if ctx.facts["word_count"] < threshold["min_words"]:
            return not_applicable()
        return warned("warn_none")
    cited = [s for s in stats if s["has_citation"]]
    uncited = [s["text"][:160] for s in stats if not s["has_citation"]][:5]
    if not cited:
        return failed(total=len(stats), evidence=uncited)
    if len(cited) < threshold["min_cited_share"] * len(stats):
        return warned(uncited=len(stats) - len(cited), total=len(stats), evidence=uncited)
    return passed(cited=len(cited), total=len(stats), evidence=uncited)


@check("sourcing.attributed-quotations",
       title="Quotes named experts",
       how_to_fix="Quote a named expert or an official body, and say who they are: "
                  "\u201c...\u201d, says Dr Jane Roe, cardiologist at ...",
       messages={"pass": "{attributed, plural, one {# attributed quotation} other {# attributed quotations}}.",
                 "warn": "{unattributed} of {total, plural, one {# quotation names} other {# quotations name}} "
                         "no speaker.",
                 "warn_none": "No quotation from an expert: quotations are the strongest measured lever in "
                              "generative answers.",
                 "fail": "{total, plural, one {The only quotation names no speaker.} "
                         "other {None of the # quotations names its speaker.}}",
                 "na": "Too little text to expect quotations."},
       reads=("quotations", "word_count"),
       thresholds={"min_words": Threshold(300, "a page under 300 words need not quote anyone", "words")})
def attributed_quotations(ctx, threshold):
    quotes = ctx.facts["quotations"]
    if not quotes:
        if ctx.facts["word_count"] < threshold["min_words"]:
            return not_applicable()
        return warned("warn_none")
    attributed = [q for q in quotes if named_speaker(q)]
    evidence = [{"text": q["text"][:120], "speaker": q.get("speaker")} for q in quotes[:5]]
    if not attributed:
        return failed(total=len(quotes), evidence=evidence)
    if len(attributed) < len(quotes):
        return warned(unattributed=len(quotes) - len(attributed), total=len(quotes), evidence=evidence)
    return passed(attributed=len(attributed), evidence=evidence)


@check("sourcing.weak-sources",
       title="Does not present shops or social media as evidence",
       how_to_fix="Replace links to shops, affiliate pages or social posts used as evidence with the study, "
                  "guideline or authority behind the claim.",
       messages={"pass": "No commercial or social source presented as evidence.",
                 "warn": "{count, plural, one {# commercial or social link} other {# commercial or social "
                         "links}} presented as evidence.",
                 "fail": "{count, plural, one {# commercial or social link} other {# commercial or social links}} "
                         "presented as evidence, more than authoritative ones."},
       reads=("weak_sources", "citations"))
def weak_sources(ctx):
    weak = ctx.facts["weak_sources"]
    if not weak:
        return passed()
    evidence = [{"url": w["url"], "kind": w["kind"]} for w in weak[:8]]
    if len(weak) > len(_authoritative(ctx)):
        return failed(count=len(weak), evidence=evidence)
    return warned(count=len(weak), evidence=evidence)
