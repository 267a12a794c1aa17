"""Statistics: sentences carrying figures (rates, "1 in 5", "x times more", "per 100,000", millions, ratios)
and whether a source is cited beside them."""

from __future__ import annotations

import re

from scoring.facts.sourcing.citations import TEXT_MARKER
from scoring.facts.sourcing.patterns import lang_mapping, lang_words, match_heads, unaccented
from scoring.page.main import HEADING_TAGS
from scoring.phrases import PhraseSet, phrase_pattern

MAX_STATISTICS = 400

_NUMW = "(?:" + phrase_pattern(tuple(lang_mapping("number_words"))) + ")"
# the value of a number word, written with or without its accents ("funf" is read as "fünf")
_NUM_VALUE = {unaccented(k).lower(): v for k, v in lang_mapping("number_words").items()}
# Statistics are found from their trigger: a number (then the words right after or before it
# are checked with anchored patterns), or one of a few words ("twice", "half", "fois"...).
# Scanning every block with one big alternation costs ~7 ms a page; this costs ~0.1 ms.
# "1 000 000" (thin or no-break spaces too), else "12", "3.5", "1,000.5". The first digit is
# taken out of the alternation so that `re` skips to the digits instead of trying both
# alternatives at every character (same matches as \d{1,3}(?:[ ]\d{3})+(?![\d,.])|\d+(?:[.,]\d+)*).
_NUMBER = re.compile(r"\d(?:\d{0,2}(?:[\u00a0\u202f ]\d{3})+(?![\d,.])|\d*(?:[.,]\d+)*)")
_A_PCT = re.compile(r"\s?(?:%|‰|percent\b|per\s?cent\b|pour\s?cents?\b|prozent\b)", re.I)
_A_BIG = re.compile(r"\s*(?:million|billion|trillion|millions|milliards?|Millionen|Milliarden|Mio\.|Mrd\.)(?!\w)",
                    re.I)
_A_RATIO = re.compile(
    r"\s+(?:[a-zà-ÿ]{3,}\s+)?(?:" + phrase_pattern(lang_words("ratio_connectors")) + r")\s+"
    r"(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})*|" + _NUMW + r")\b",
    re.I)
_TIMES_TAIL = (r"\s*-?\s*(?:" + phrase_pattern(lang_words("statistic_multipliers")) + r")\s+(?:"
               + phrase_pattern(lang_words("statistic_comparatives")) + r")\b")
_A_TIMES = re.compile(_TIMES_TAIL, re.I)
_A_FOLD = re.compile(r"(?:[\s-]?fold\b|x\s+(?:more|higher|greater|less|lower|the)\b)", re.I)
_A_COUNT = re.compile(
    r"\s+(?:(?!(?:for|of|in|with|to|and|or|per|pour|de|des|et|from|at|by|on)\s)[\w-]+\s+)?(?:people|adults|children|kids|patients|participants|deaths|cases|Americans|individuals|"
    r"women|men|persons|respondents|subjects|volunteers|infections|hospitali[sz]ations|births|teens|adolescents|"
    r"students|personnes|décès|cas|enfants|adultes|femmes|hommes|morts|malades|habitants|Menschen|Patienten|"
    r"Fälle|Todesfälle|Kinder|Erwachsene|Probanden|Teilnehmer)\b", re.I)
# any of the five patterns above (all re.I): a number that fails it skips them
_A_ANY = re.compile("|".join(f"(?:{rx.pattern})" for rx in (_A_PCT, _A_BIG, _A_RATIO, _A_TIMES, _A_FOLD)), re.I)
_B_PER = re.compile(r"\b(?:[Pp]er|[Pp]our|pro|je|[Ff]or\s+every|sur)\s+$")
_B_ORATIO = re.compile(r"(?:\b(?i:odds\s+ratio|hazard\s+ratio|relative\s+risk|risk\s+ratio|rate\s+ratio|"
                       r"rapport\s+de\s+cotes|risque\s+relatif)|\b(?:a?OR|a?HR|RR|IRR))\s*[=:,]?\s*\(?\s*$")
_B_PVAL = re.compile(r"\b[pP]\s*(?:<|=|≤)\s*\.?$")
_PER_BASES = frozenset({100, 1000, 10000, 100000, 1000000})
# Statistics written in words. Each alternative holds one phrase of a list (its mandatory part), and the
# pre-test is generated from those lists: a text holding none of their anchors cannot match.
_STAT_LISTS = {name: lang_words("statistic_" + name) for name in (
    "multiplied", "fold", "per", "change", "fractions", "half", "quantifiers")}


def _group(key: str) -> str:
    """A non-capturing group matching one phrase of a sourcing.json list."""
    return "(?:" + phrase_pattern(lang_words(key)) + ")"


_WORD_STAT = re.compile(
    r"(?P<ratio>\b(?P<r1>" + _NUMW + r")\s+(?:[a-zà-ÿ]{3,}\s+)?" + _group("ratio_connectors")
    + r"\s+(?P<r2>" + _NUMW + r")\b)"
    r"|(?P<mult>\b" + _group("statistic_multiplied") + r"\s+(?:\d+|" + _NUMW + r")\b)"
    r"|(?P<times>\b(?:" + _NUMW + "|" + _group("statistic_quantifiers") + ")" + _TIMES_TAIL + r")"
    r"|(?P<fold>\b" + _group("statistic_fold") + r"\b)"
    r"|(?P<per>\b" + _group("statistic_per") + r"\b)"
    r"|(?P<likely>\b" + _group("statistic_change") + r"\b)"
    r"|(?P<frac>\b" + _group("statistic_fractions") + r"\b"
    r"|\b" + _group("fraction_qualifiers") + r"\s*" + _group("fraction_counts") + r"[\s-]+" + _group("fraction_nouns")
    + r"\b|\b" + _group("half_qualifiers") + r"\s+" + _group("statistic_half") + r"\b"
    r"(?!\s+(?:your|a|an|my|our|the\s+plate|it|them|this|that)\b))",
    re.I,
)
# The pre-tests, generated from the lists that build the pattern. A ratio counts only when its second number
# is larger than its first ("one in five"), so at least 2: that number word stands in the text as a whole word
# (spaces before, a word boundary after), spelt with or without its accents. Every other alternative holds one
# phrase of its list (the multiplier word for "three times more").
_RATIO_SECOND = frozenset(
    variant for word, value in lang_mapping("number_words").items() if value >= 2
    for variant in {word.lower(), unaccented(word).lower()})
_TOKEN = re.compile(r"\w+")
_WORD_STAT_GATE = PhraseSet([*lang_words("statistic_multipliers"), *lang_words("fraction_nouns")] + [
    p for name in ("multiplied", "fold", "per", "change", "fractions", "half") for p in _STAT_LISTS[name]])
# A _WORD_STAT match starts at a word whose first two letters, lower-cased, are one of these (derived from the
# pattern itself): trying the pattern only at those words finds the same matches ~8x faster, as with re.I
# `re` tries its alternatives at every word of the text. None: the pattern's starts could not be read.
_WORD_STAT_HEADS = match_heads(_WORD_STAT)
_WORD_HEAD = re.compile(r"\b[^\W\d_]{2}")
_PCT_BAD_AFTER = re.compile(
    r"\s*(?:off\b|confidence|credible|CI\b|IC\b|intervalle|Konfidenz|de\s+(?:réduction|remise)|discount|rabatt|cocoa|cacao|dark\b|milk|lait|lean\b|juice|jus\b|"
    r"cotton|coton|wool|abv\b|alcohol|vol\b|proof\b|natural|naturel|pure\b|whole\b|cashback)",
    re.I,
)
_PCT_BAD_BEFORE = re.compile(
    r"(?:\b(?:save|saving|savings|discounts?|économisez|remises?|réductions?|promos?|soldes|rabatt|sparen)\b[^.!?]{0,20}"
    r"|\bvous\s+reste\s+|\bup\s+to\s+-|-)$", re.I)
_HUNDRED_PCT_OK = re.compile(r"\s*(?:of|des?|du|der|die|das|[.,;:)]|$)", re.I)
_UNIT_AFTER = re.compile(
    r"\s*(?:g|gr|grams?|grammes?|gramm|ml|kcal|calories?|kilocalories?|kg|mg|kj|servings?|portions?|€|\$|"
    r"dollars?|euros?|words?|mots)\b", re.I)
_TIME_AFTER = re.compile(
    r"\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|secs?|jours?|semaines?|mois|ans|"
    r"années?|heures?|Minuten|Stunden|Tagen?|Wochen|Monaten|Jahren?)\b", re.I)
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥]|US\$|USD|EUR|CHF)\s*$")
_CURRENCY_AFTER = re.compile(r"\s*(?:de\s+|d['’])?(?:dollars?|euros?|usd|eur|€|\$|£|pounds|livres|dollar|franken)",
                             re.I)
_REPEAT_BEFORE = re.compile(r"(?:repeat|répétez|répéter|wiederholen)\s*$", re.I)
_DIGIT = re.compile(r"\d")
PROSE_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "div", "figcaption", "td", "th"})
STAT_SKIP_TAGS = frozenset({"pre"}) | frozenset(HEADING_TAGS)
# Citations in text: author-year and attributions.
UPPER_LETTERS = "A-ZÀ-ÖØ-Ý"
_AUTHOR_YEAR = re.compile(
    r"\((?:[^()]{0,80}?\b(?:et\s+al\.?|and|&|und|et|u\.\s*a\.)\s*[^()]{0,40}?|[" + UPPER_LETTERS
    + r"][\w'’-]+(?:\s+[" + UPPER_LETTERS + r"][\w'’-]+)?)[,\s]+(?:19|20)\d{2}[a-z]?(?:[;,][^()]{0,80})?\)"
    r"|\b[" + UPPER_LETTERS + r"][\w'’-]+\s+et\s+al\.?,?\s*\(?(?:19|20)\d{2}"
    r"|\b[" + UPPER_LETTERS + r"][\w'’-]{2,}(?:\s+(?:and|&|et|und)\s+[" + UPPER_LETTERS
    + r"][\w'’-]+)?\s+\((?:19|20)\d{2}[a-z]?\)"
)
# Attributions in text. Each pattern holds one phrase of a list of scoring/lang/*/sourcing.json and is
# tried only when that list's generated pre-test passes: one alternation over every block costs ~35 µs per
# 200 characters, a substring pre-test far less.
_CAPITAL = "[" + UPPER_LETTERS + "]"
_ATTRIBUTIONS = tuple((PhraseSet(lang_words(key)), re.compile(rx.replace("{phrases}", "(?i:" + phrase_pattern(
    lang_words(key)) + ")"))) for key, rx in (
    ("attribution_phrases",
     r"\b{phrases}\s+(?:(?i:the|la|le|les|des|du|dem|der|den|a|an|its|their|el|los)\s+|(?i:l['’])\s*)?"
     r"(?:[\w-]+\s+){0,3}?" + _CAPITAL + r"[\w&'’.-]+"),
    ("source_labels", r"\b{phrases}\s*:\s*\S"),
    ("study_published",
     r"\b(?i:" + phrase_pattern(lang_words("study_nouns")) + r")\s+{phrases}\s+(?i:in|by|dans|par|en|au|por)\s+"
     r"(?:(?i:the|la|le|les|l['’]|el)\s*)?\S"),
    ("researchers",
     r"\b{phrases}\s+(?i:at|from|de|du|des|of|der|vom|von|an\s+der|del)\s+(?:(?i:the|la|le|l['’]|der|dem|el)\s*)?"
     + _CAPITAL),
    ("study_nouns_located", r"\b{phrases}\s+(?i:im|in|der|des|von)\s+" + _CAPITAL),
    ("finding_verbs",
     r"\b(?!(?:A|An|The|One|This|That|Another|Some|Many|Recent|New|In|Our|Une?|La|Le|Cette|Ein|Eine|Die|Der)\b)"
     + _CAPITAL + r"[\w&'’.-]+(?:\s+[\w'’-]+){0,4}?\s+(?i:report|study|survey|analysis|data|review|poll|census|"
     r"trial|rapport|étude|enquête|Studie|Bericht|estudio|informe)\s+{phrases}\b"),
))


def cites_in_text(text: str) -> bool:
    """An author-year citation, a [12] marker or a named attribution in the text."""
    if "[" in text and TEXT_MARKER.search(text):
        return True
    if ("19" in text or "20" in text) and _AUTHOR_YEAR.search(text):
        return True
    for phrases, rx in _ATTRIBUTIONS:
        if phrases.possible(text) and rx.search(text):
            return True
    return False


def _number_value(token: str) -> float | None:
    digits = token.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in digits and "." not in digits and len(digits.rsplit(",", 1)[1]) == 3:
        digits = digits.replace(",", "")  # 1,000
    elif "." in digits and "," not in digits and len(digits.rsplit(".", 1)[1]) == 3 and digits.count(".") > 1:
        digits = digits.replace(".", "")  # 1.000.000
    digits = digits.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def statistic(text: str) -> str | None:
    """The first figure in a text that is a statistic (not a date, price, dose or list number), or None."""
    if _DIGIT.search(text):
        figure = _number_statistic(text)
        if figure:
            return figure
    if _WORD_STAT_GATE.possible(text) or _ratio_possible(text):
        for m in _word_stat_matches(text):
            if m.lastgroup == "ratio":
                v1 = _NUM_VALUE.get(unaccented(m.group("r1")).lower(), 0)
                v2 = _NUM_VALUE.get(unaccented(m.group("r2")).lower(), 0)
                if not v1 or v2 <= v1:
                    continue
            elif m.lastgroup == "times" and _REPEAT_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                continue
            return m.group(0)
    return None


def _ratio_possible(text: str) -> bool:
    """False only when no word of the text can be the second number of a counted ratio."""
    low = text.lower()
    if len(low) != len(text) or "ı" in low or "ſ" in low:
        return True  # letters that case-insensitive matching reads otherwise than lower() does
    return not _RATIO_SECOND.isdisjoint(_TOKEN.findall(low))


def _word_stat_matches(text: str):
    """The matches of ``_WORD_STAT.finditer(text)``, the pattern tried only at the words that can start one."""
    if _WORD_STAT_HEADS is None or "ı" in text or "ſ" in text or "İ" in text:
        # re.I matches these to i and s, str.lower() does not: the heads would miss them
        yield from _WORD_STAT.finditer(text)
        return
    pos = 0
    for head in _WORD_HEAD.finditer(text):
        start = head.start()
        if start >= pos and head.group().lower() in _WORD_STAT_HEADS:
            m = _WORD_STAT.match(text, start)
            if m:
                yield m
                pos = m.end()  # finditer goes on after the match


def _number_statistic(text: str) -> str | None:
    for m in _NUMBER.finditer(text):
        start, end = m.span()
        if start and (text[start - 1].isalpha() or text[start - 1] in "_-/#≥≤<>="):
            continue  # B12, H1N1, COVID-19, 2/3 handled by the words around it
        token = m.group(0)
        after = text[end:end + 60]
        if _A_ANY.match(after):  # most numbers have none of these words after them: one test, not five
            a = _A_PCT.match(after)
            if a:
                if _PCT_BAD_AFTER.match(after, a.end()) or _PCT_BAD_BEFORE.search(text, max(0, start - 40), start):
                    continue
                if token in ("100", "100.0", "100,0") and not _HUNDRED_PCT_OK.match(after, a.end()):
                    continue
                return token + a.group(0)
            a = _A_BIG.match(after)
            if a:
                if _CURRENCY_BEFORE.search(text[max(0, start - 5):start]) or _CURRENCY_AFTER.match(after, a.end()):
                    continue
                return token + a.group(0)
            a = _A_RATIO.match(after)
            if a:
                v1 = _number_value(token)
                r2 = a.group(1).lower()
                r2 = unaccented(r2)
                v2 = _NUM_VALUE.get(r2) if r2 in _NUM_VALUE else _number_value(r2)
                if v1 and v2 and v2 > v1 and v1 == int(v1) and not (len(r2) == 4 and 1900 <= v2 <= 2100) \
                        and not _TIME_AFTER.match(after, a.end()):
                    return token + a.group(0)
                continue
            a = _A_TIMES.match(after)
            if a:
                if _REPEAT_BEFORE.search(text[max(0, start - 20):start]):
                    continue
                return token + a.group(0)
            a = _A_FOLD.match(after)
            if a:
                return token + a.group(0)
        before = text[max(0, start - 30):start]
        if before:
            if before[-1].isspace() and _B_PER.search(before):  # \s+$: the cheap test first
                value = _number_value(token)
                if value in _PER_BASES and not _UNIT_AFTER.match(after):
                    return before[_B_PER.search(before).start():] + token
            if ("." in token or "," in token) and _B_ORATIO.search(before):
                return before[_B_ORATIO.search(before).start():] + token
            if ("=" in before or "<" in before or "≤" in before) and _B_PVAL.search(before) \
                    and (token.startswith("0") or before.endswith(".")):
                return before[_B_PVAL.search(before).start():] + token
        a = after[:1].isspace() and _A_COUNT.match(after)
        if a and (len(token) >= 5 or 2 <= len(token) <= 3) and not _CURRENCY_BEFORE.search(text, max(0, start - 5),
                                                                                               start):
            value = _number_value(token)
            if value is not None and value >= 10:
                return token + a.group(0)
    return None
