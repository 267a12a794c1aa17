"""Structure and readability: GEO's "easy to understand" and "fluency" gains, NIH/AMA readability
targets for patient material, and what answer engines extract (headings, summaries, lists)."""

from __future__ import annotations

import math
import re

from .base import Threshold, check, failed, not_applicable, passed, warned

_QUESTION = re.compile(
    r"\?\s*$|^(what|why|how|when|who|which|where|can|does|do|is|are|should|will|"
    r"qu['’]est-ce|quoi|pourquoi|comment|quand|qui|quel(?:le)?s?|où|combien|peut-on|faut-il|est-ce|"
    r"was|warum|wie|wann|wer|welche)\b", re.I)


def _short(text: str) -> str:
    return text[:100]


def _subheadings(structure: dict) -> list[dict]:
    """The headings below the page's H1 (H2 to H6)."""
    return [h for h in structure["headings"] if h["level"] > 1]


@check("structure.single-h1",
       title="Has exactly one H1",
       how_to_fix="Give the page one <h1> holding the article's title; demote other H1s to H2.",
       messages={"pass": "One H1: \u201c{h1}\u201d.",
                 "warn": "{count, plural, one {# H1 heading} other {# H1 headings}}.",
                 "fail": "No H1 heading."},
       reads=("h1",))
def single_h1(ctx):
    h1 = ctx.facts["h1"]
    if len(h1) == 1:
        return passed(h1=_short(h1[0]))
    if not h1:
        return failed()
    return warned(count=len(h1), evidence=[_short(h) for h in h1[:5]])


@check("structure.heading-levels",
       title="Heading levels do not skip",
       how_to_fix="Nest headings in order (H2 under H1, H3 under H2) without skipping a level.",
       messages={"pass": "Heading levels follow each other.",
                 "warn": "{count, plural, one {# skipped heading level} other {# skipped heading levels}}, e.g. "
                         "H{before} then H{after} \u201c{text}\u201d.",
                 "na": "Fewer than two headings."},
       reads=("structure",),
       thresholds={"min_headings": Threshold(2, "a skipped level shows only between two headings", "headings")})
def heading_levels(ctx, threshold):
    headings = ctx.facts["structure"]["headings"]
    if len(headings) < threshold["min_headings"]:
        return not_applicable()
    jumps = [(a["level"], b) for a, b in zip(headings, headings[1:], strict=False) if b["level"] > a["level"] + 1]
    if not jumps:
        return passed()
    before, after = jumps[0]
    return warned(count=len(jumps), before=before, after=after["level"], text=_short(after["text"]),
                  evidence=[f"H{a} -> H{b['level']} {_short(b['text'])}" for a, b in jumps[:5]])


@check("structure.subheadings",
       title="Breaks the text into sections with subheadings",
       how_to_fix="Add an H2 every 200-300 words so each section answers one question.",
       messages={"pass": "{count, plural, one {# subheading} other {# subheadings}} for {words, plural, one {# "
                         "word} other {# words}}.",
                 "warn": "{count, plural, one {# subheading} other {# subheadings}} for {words, plural, one {# "
                         "word} other {# words}} (expected {expected}).",
                 "fail": "No subheading in {words, plural, one {# word} other {# words}}.",
                 "na": "Short page ({words, plural, one {# word} other {# words}})."},
       reads=("word_count", "structure"),
       thresholds={"min_words": Threshold(300, "Yoast: a text under 300 words needs no subheading", "words"),
                   "words_per_section": Threshold(300, "Yoast: a section over 300 words without a subheading "
                                                       "is long", "words"),
                   "min_share_of_expected": Threshold(0.5, "a warning below half the expected subheadings, "
                                                           "a failure only with none")})
def subheadings(ctx, threshold):
    words = ctx.facts["word_count"]
    count = len(_subheadings(ctx.facts["structure"]))
    if words < threshold["min_words"]:
        return not_applicable(words=words)
    expected = words // threshold["words_per_section"]
    if count == 0:
        return failed(words=words)
    if count < math.floor(expected * threshold["min_share_of_expected"]):
        return warned(count=count, words=words, expected=expected)
    return passed(count=count, words=words)


@check("structure.question-headings",
       title="Uses question-style headings",
       how_to_fix="Phrase some subheadings as the questions readers ask ('What are the symptoms of...?', "
                  "'Comment soulager... ?') and answer each right below.",
       messages={"pass": "{count, plural, one {# question heading} other {# question headings}}, e.g. "
                         "\u201c{example}\u201d.",
                 "warn": "No heading is phrased as a question.",
                 "na": "Fewer than three subheadings."},
       reads=("structure",),
       thresholds={"min_subheadings": Threshold(3, "with fewer subheadings, none phrased as a question is no "
                                                   "fault", "subheadings")})
def question_headings(ctx, threshold):
    headings = [h["text"] for h in _subheadings(ctx.facts["structure"])]
    if len(headings) < threshold["min_subheadings"]:
        return not_applicable()
    questions = [h for h in headings if _QUESTION.search(h)]
    if questions:
        return passed(count=len(questions), example=_short(questions[0]), evidence=questions[:5])
    return warned(evidence=headings[:5])


@check("structure.summary",
       title="Opens with a summary or key points",
       how_to_fix="Start with a short 'Key points' / 'L'essentiel' box or list that answers the main question "
                  "in two to four sentences.",
       messages={"pass": "Summary near the top: \u201c{label}\u201d.",
                 "warn": "No summary or key points near the top.",
                 "na": "Short page."},
       reads=("summary", "word_count"),
       thresholds={"min_words": Threshold(400, "a page under 400 words is short enough to need no summary",
                                          "words")})
def summary(ctx, threshold):
    found = ctx.facts["summary"]
    if found:
        return passed(label=_short(found["label"]), evidence=found)
    if ctx.facts["word_count"] < threshold["min_words"]:
        return not_applicable()
    return warned()


@check("structure.lists-tables",
       title="Uses lists or tables",
       how_to_fix="Put symptoms, steps, doses or comparisons in bulleted lists or tables.",
       messages={"pass": "{lists, plural, one {# list} other {# lists}} and {tables, plural, one {# table} "
                         "other {# tables}}.",
                 "warn": "No list or table in {words, plural, one {# word} other {# words}}.",
                 "na": "Short page."},
       reads=("structure", "word_count"),
       thresholds={"min_words": Threshold(300, "a page under 300 words is read at a glance without a list",
                                          "words")})
def lists_tables(ctx, threshold):
    structure = ctx.facts["structure"]
    if structure["lists"] or structure["tables"]:
        return passed(lists=structure["lists"], tables=structure["tables"])
    if ctx.facts["word_count"] < threshold["min_words"]:
        return not_applicable()
    return warned(words=ctx.facts["word_count"])


@check("structure.paragraph-length",
       title="Keeps paragraphs short",
       how_to_fix="Split paragraphs over 150 words; one idea per paragraph.",
       messages={"pass": "Paragraphs average {avg} words.",
                 "warn": "{long, plural, one {# paragraph} other {# paragraphs}} over 150 words.",
                 "fail": "Paragraphs average {avg} words.",
                 "na": "No paragraphs."},
       reads=("readability",),
       thresholds={"max_avg_words": Threshold(200, "Yoast: a paragraph over 200 words is a problem (150 a "
                                                   "warning, counted in the readability facts)", "words")})
def paragraph_length(ctx, threshold):
    read = ctx.facts["readability"]
    avg = read.get("avg_paragraph_length")
    if not avg:
        return not_applicable()
    if avg > threshold["max_avg_words"]:
        return failed(avg=avg)
    if read.get("long_paragraphs"):
        return warned(long=read["long_paragraphs"], avg=avg)
    return passed(avg=avg)


@check("structure.sentence-length",
       title="Keeps sentences short",
       how_to_fix="Keep sentences under 20 words; no more than a quarter of them longer.",
       messages={"pass": "{share:.0%} of sentences over 20 words.",
                 "warn": "{share:.0%} of sentences over 20 words (aim for 25% or less).",
                 "fail": "{share:.0%} of sentences over 20 words; sentences average {avg} words.",
                 "na": "Too few sentences."},
       reads=("readability",),
       thresholds={"min_sentences": Threshold(5, "a share of long sentences means little under five sentences",
                                              "sentences"),
                   "warn_share": Threshold(0.25, "Yoast: more than 25% of sentences over 20 words is a warning"),
                   "fail_share": Threshold(0.5, "half the sentences over 20 words: most readers lose the thread")})
def sentence_length(ctx, threshold):
    read = ctx.facts["readability"]
    share = read.get("long_sentence_share")
    if share is None or (read.get("sentences") or 0) < threshold["min_sentences"]:
        return not_applicable()
    if share > threshold["fail_share"]:
        return failed(share=share, avg=read.get("avg_sentence_length"))
    if share > threshold["warn_share"]:
        return warned(share=share)
    return passed(share=share)


@check("structure.readability",
       title="Reads easily for patients, in the page's language",
       how_to_fix="Use shorter sentences and everyday words; explain medical terms. Target: grade 8 or below "
                  "(English, Flesch-Kincaid), Kandel-Moles 60 or above (French).",
       messages={"pass_en": "Flesch-Kincaid grade {grade} (reading ease {ease}).",
                 "warn_en": "Flesch-Kincaid grade {grade}: above the grade-8 target for patients.",
                 "fail_en": "Flesch-Kincaid grade {grade}: hard for most patients (target 8).",
                 "pass_fr": "Kandel-Moles reading ease {km}.",
                 "warn_fr": "Kandel-Moles reading ease {km}: below the target of 60.",
                 "fail_fr": "Kandel-Moles reading ease {km}: hard for most patients (target 60).",
                 "na": "No readability formula for this language ({lang}) or too little text.",
                 "na_professional": "Written for health professionals: the patient readability targets do not "
                                    "apply."},
       reads=("readability", "language", "audience"),
       thresholds={"min_words": Threshold(100, "readability formulas are unstable on under 100 words", "words"),
                   "max_grade_en": Threshold(8, "NIH: patient material below 8th grade", "grade"),
                   "fail_grade_en": Threshold(12, "above grade 12 the text reads at college level: a failure, not a "
                                                  "warning", "grade"),
                   "min_kandel_moles_fr": Threshold(60, "Kandel-Moles adapts Flesch reading ease to French; Yoast "
                                                        "rates Flesch green from 60", "points"),
                   "fail_kandel_moles_fr": Threshold(45, "15 points under the target the text sits in the "
                                                         "difficult band of the scale (30-50)", "points")})
def readability_check(ctx, threshold):
    audience = ctx.facts.get("audience") or {}  # absent from reports saved before it existed
    if audience.get("audience") == "professionals":  # patient targets do not fit text for clinicians
        return not_applicable("na_professional", evidence=audience["evidence"][:3])
    read = ctx.facts["readability"]
    lang = read.get("language") or ctx.facts["language"]
    if (read.get("words") or 0) < threshold["min_words"]:
        return not_applicable(lang=lang)
    if lang == "en" and read.get("flesch_kincaid_grade") is not None:
        grade = read["flesch_kincaid_grade"]
        params = {"grade": grade, "ease": read.get("flesch_reading_ease")}
        if grade <= threshold["max_grade_en"]:
            return passed("pass_en", **params)
        return warned("warn_en", **params) if grade <= threshold["fail_grade_en"] else failed("fail_en", **params)
    if lang == "fr" and read.get("kandel_moles") is not None:
        km = read["kandel_moles"]
        if km >= threshold["min_kandel_moles_fr"]:
            return passed("pass_fr", km=km)
        return warned("warn_fr", km=km) if km >= threshold["fail_kandel_moles_fr"] else failed("fail_fr", km=km)
    return not_applicable(lang=lang)


@check("structure.title",
       title="Has a descriptive title of sensible length",
       how_to_fix="Write a <title> of 15-65 characters that names the topic as readers search for it.",
       messages={"pass": "Title of {length, plural, one {# character} other {# characters}}.",
                 "warn": "Title of {length, plural, one {# character} other {# characters}} (aim for 15-65).",
                 "fail": "No <title>."},
       reads=("title",),
       thresholds={"min_length": Threshold(15, "a shorter title cannot name the topic as readers search for it",
                                           "characters"),
                   "max_length": Threshold(65, "search results cut titles beyond about 65 characters",
                                           "characters")})
def title(ctx, threshold):
    return _length_check(ctx.facts["title"], threshold)


def _length_check(text: str | None, threshold: dict):
    if not text:
        return failed()
    outcome = passed if threshold["min_length"] <= len(text) <= threshold["max_length"] else warned
    return outcome(length=len(text), evidence=text)


@check("structure.meta-description",
       title="Has a meta description of sensible length",
       how_to_fix="Add <meta name=\"description\"> of 70-160 characters summarising the page's answer.",
       messages={"pass": "Meta description of {length, plural, one {# character} other {# characters}}.",
                 "warn": "Meta description of {length, plural, one {# character} other {# characters}} (aim for "
                         "70-160).",
                 "fail": "No meta description."},
       reads=("meta_description",),
       thresholds={"min_length": Threshold(70, "a shorter description says too little to be shown as the "
                                               "snippet", "characters"),
                   "max_length": Threshold(160, "search results cut descriptions beyond about 160 characters",
                                           "characters")})
def meta_description(ctx, threshold):
    return _length_check(ctx.facts["meta_description"], threshold)


@check("structure.lang-attribute",
       title="Declares the page's language correctly",
       how_to_fix="Set <html lang=\"..\"> to the language the article is written in (e.g. lang=\"fr\").",
       messages={"pass": "lang=\"{declared}\" matches the text.",
                 "warn": "lang=\"{declared}\" but the text reads as {detected}.",
                 "fail": "No lang attribute (the text reads as {detected}).",
                 "fail_undetected": "No lang attribute."},
       reads=("language_detail",))
def lang_attribute(ctx):
    detail = ctx.facts["language_detail"]
    if not detail["declared"]:
        if not detail["detected"]:
            return failed("fail_undetected")
        return failed(detected=detail["detected"])
    if detail["mismatch"]:
        return warned(declared=detail["declared"], detected=detail["detected"])
    return passed(declared=detail["declared"])
