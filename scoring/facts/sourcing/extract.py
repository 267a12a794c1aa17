"""Sourcing signals of a page: cited sources, a references section, statistics and quotations.

The GEO study (Aggarwal et al., KDD 2024) measured the largest gains in generative-answer
visibility for adding quotations (+41%), statistics (+31%) and cited sources (+28%); the JAMA
benchmark and DISCERN ask for references. This module reads those signals from a parsed
:class:`~scoring.page.model.Page` without re-parsing it:

* ``citations``: outbound links of the main content and of the references section (plus DOIs
  and PMIDs written as plain text there), de-duplicated and classified with
  :func:`scoring.facts.sourcing.sources.classify_url`;
* ``references_section`` / ``references``: a "References" / "Sources" / "Références" /
  "Quellen"... heading followed by sources, or a container whose id/class says so
  (``ref-list``, ``references``, ``article-sources``...), anywhere in the body except the
  navigation and footer furniture;
* ``statistics``: sentences of the main content carrying figures (rates, "1 in 5", "x times
  more", "per 100,000", millions, ratios), each with whether its block cites a source;
* ``quotations``: ``<blockquote>``/``<q>`` and quoted passages of 6+ words in prose, with the
  speaker when one is named nearby;
* ``weak_sources``: shop or social-media links presented as evidence.

Patterns cover English, French, German and Spanish whatever ``lang`` says (phrase lists in
``scoring/lang/<code>/sourcing.json``, each compiled with the pre-test that guards it): pages mix languages and the
declared language is often wrong. The page is walked once (its blocks); beyond them, only the
containers, headings and bold labels that may open a reference section are read.
"""

from __future__ import annotations

import re
import unicodedata
from re import _constants as _sre  # the parse tree of a pattern: private, but stable since 3.11
from re import _parser as _sre_parser
from urllib.parse import unquote, urlsplit

from scoring import langdata
from scoring.facts.sourcing.sources import classify_url, doi_from_text, ids_from_url, shared_domains, strip_doi_tail
from scoring.page.model import HEADING_TAGS, Page, clean_text, element_text, is_furniture, text_of
from scoring.phrases import PhraseSet, phrase_pattern

try:
    from scoring.facts.readability import split_sentences
except ImportError:  # pragma: no cover - readability is part of the package
    _FALLBACK_SPLIT = re.compile(r"(?<=[.!?…])[\"”»’)]*\s+(?=[\"“«(\[]?[A-ZÀ-Ý0-9])")

    def split_sentences(text: str) -> list[str]:
        return [s for s in _FALLBACK_SPLIT.split(text) if s.strip()]

try:  # the Public Suffix List, through the `tld` package (a dependency of courlan)
    from tld import get_tld as _get_tld
except ImportError:  # pragma: no cover
    _get_tld = None

__all__ = ["MAX_CITATIONS", "extract_sourcing", "same_site", "site_of"]

MAX_CITATIONS = 300
MAX_STATISTICS = 400
MAX_QUOTATIONS = 100
WEAK_KINDS = frozenset({"commercial", "social"})

def _lang_words(key: str) -> tuple[str, ...]:
    """A phrase list of scoring/lang/<code>/sourcing.json, across every language."""
    return langdata.words("sourcing", key)


def _lang_mapping(key: str) -> dict:
    return langdata.mapping("sourcing", key)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def match_heads(pattern: re.Pattern[str], n: int = 2) -> frozenset[str] | None:
    """The first n characters (lower case) a match of the pattern can start with, read from its parse tree;
    None when the pattern can start otherwise than with n letters the tree names (then try everywhere)."""
    try:
        return frozenset(_heads(list(_sre_parser.parse(pattern.pattern, pattern.flags)), n))
    except ValueError:
        return None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """For each top-level alternative of the pattern, its longest run of plain characters that every match of
    that alternative holds (lower case): a text holding none of them cannot match. None when an alternative
    has no such run of two characters or more (then no pre-test is possible)."""
    tree = list(_sre_parser.parse(pattern.pattern, pattern.flags))
    branches = tree[0][1][1] if len(tree) == 1 and tree[0][0] is _sre.BRANCH else [tree]
    out: set[str] = set()
    for branch in branches:
        best = run = ""
        for op, av in branch:
            if op is _sre.LITERAL:
                run += chr(av).lower()
                best = max(best, run, key=len)
            else:
                run = ""
        if len(best) < 2:
            return None
        out.add(best)
    return tuple(sorted(out))


def _heads(items: list, n: int) -> set[str]:
    if n == 0:
        return {""}
    if not items:
        raise ValueError("a match can be shorter than the heads")
    (op, av), rest = items[0], list(items[1:])
    if op is _sre.AT:  # \b
        return _heads(rest, n)
    if op is _sre.SUBPATTERN:
        return _heads(list(av[3]) + rest, n)
    if op is _sre.BRANCH:
        return set().union(*(_heads(list(alt) + rest, n) for alt in av[1]))
    if op is _sre.LITERAL:
        chars = {chr(av)}
    elif op is _sre.IN and all(o in (_sre.LITERAL, _sre.RANGE) for o, _ in av):
        chars = {chr(a) for o, a in av if o is _sre.LITERAL}
        chars |= {chr(x) for o, a in av if o is _sre.RANGE for x in range(a[0], a[1] + 1)}
    else:
        raise ValueError(f"cannot tell how {op} starts")
    return {ch.lower() + tail for ch in chars for tail in _heads(rest, n - 1)}


# --------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------

_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "gouv", "nhs", "or", "ne", "go"})
_site_cache: dict[str, str] = {}


def site_of(host: str) -> str:
    """The site a host belongs to: its registrable domain (Public Suffix List), without ``www.``.

    ``www.cdc.gov`` and ``stacks.cdc.gov`` are both ``cdc.gov``; under the public-sector domains that
    many publishers share (``nih.gov``, ``gov.uk``, ``europa.eu``..., listed in data/sources.json) the
    site is the host: ``pubmed.ncbi.nlm.nih.gov`` and ``pmc.ncbi.nlm.nih.gov`` are two sites.
    """
    site = _site_cache.get(host)
    if site is not None:
        return site
    h = host.lower().strip().rstrip(".")
    if h.startswith("www."):
        h = h[4:]
    labels = h.split(".")
    fld = None
    if h and not _IPV4.match(h) and len(labels) > 1:
        if _get_tld is not None:
            res = _get_tld(h, fix_protocol=True, fail_silently=True, as_object=True)
            fld = res.fld if res else None
        else:  # crude fallback: example.co.uk, example.com
            n = 3 if len(labels) > 2 and labels[-2] in _SECOND_LEVEL else 2
            fld = ".".join(labels[-n:])
    site = fld or h
    shared = shared_domains()
    for n in range(2, len(labels)):  # the host's proper suffixes of two labels and more
        if ".".join(labels[-n:]) in shared:
            site = h
            break
    if len(_site_cache) > 50000:
        _site_cache.clear()
    _site_cache[host] = site
    return site


def same_site(host_a: str, host_b: str) -> bool:
    return bool(host_a) and bool(host_b) and site_of(host_a) == site_of(host_b)


# --------------------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------------------

_SHARE = re.compile(
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed|send))|twitter\.com/(?:intent|share|home\?status)|x\.com/(?:intent|share|home\?status)"
    r"|linkedin\.com/(?:shareArticle|sharing|cws/share)|pinterest\.[a-z.]+/pin/create|reddit\.com/submit"
    r"|(?:api\.|web\.)?whatsapp\.com/send|wa\.me/|t\.me/share|telegram\.me/share|addtoany\.com|sharethis\.com"
    r"|tumblr\.com/(?:share|widgets/share)|mix\.com/add|getpocket\.com/(?:save|edit)|flipboard\.com/bookmarklet"
    r"|plus\.google\.com/share|buffer\.com/add|news\.ycombinator\.com/submitlink|bsky\.app/intent"
    r"|scholar\.google\.[a-z.]+/|google\.[a-z.]+/(?:search|url)\b|bing\.com/search|/scholar_lookup",
    re.I,
)
# the pre-test of _SHARE, read from the pattern itself: one plain run each of its alternatives must hold
_SHARE_LITERALS = required_literals(_SHARE)
_TRACKING_PARAM = ("utm_", "fbclid=", "gclid=", "mc_cid=", "mc_eid=", "_hsenc=", "_hsmi=", "dclid=", "msclkid=")
_TRACKING_IN_QUERY = re.compile("|".join(map(re.escape, _TRACKING_PARAM)))  # any(t in query ...), in one scan
_AUTHORITY_END = re.compile(r"[/?#]")
_FILE_EXTS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".ico", ".css", ".js")
_SHARE_SITES = frozenset({
    "facebook.com", "twitter.com", "x.com", "linkedin.com", "pinterest.com", "pinterest.fr", "reddit.com",
    "whatsapp.com", "wa.me", "t.me", "telegram.me", "addtoany.com", "sharethis.com", "tumblr.com", "mix.com",
    "getpocket.com", "flipboard.com", "google.com", "google.fr", "google.de", "google.co.uk", "bing.com",
    "buffer.com", "ycombinator.com", "bsky.app",
})
_GENERIC_TEXT = re.compile(
    r"^(?:https?://\S+|www\.\S+|\[?(?:doi|pubmed|pmc|pubmed central|article|full text|abstract|link|here|source|"
    r"crossref|medline|google scholar|cas|pdf|view|view article|read more|ici|lien|\d+)\]?\.?)$",
    re.I,
)


def _clean_url(url: str) -> tuple[str, str, str, str] | None:
    """(cleaned url, dedup key, host, lower-case path) for an http(s) URL; None for anything else.

    Cleaning drops the fragment and tracking parameters (utm_*, fbclid...); the key also drops
    the scheme, ``www.`` and a trailing slash. Plain string operations: urlsplit is 3x slower.
    """
    head = url[:8].lower()
    if head.startswith("https://"):
        start = 8
    elif head.startswith("http://"):
        start = 7
    else:
        return None
    authority_end = _AUTHORITY_END.search(url, start)
    end = authority_end.start() if authority_end else len(url)
    netloc = url[start:end]
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        return None
    host = host.partition(":")[0].rstrip(".").lower()
    if not host or "." not in host or " " in host:
        return None
    rest = url[end:]
    hash_at = rest.find("#")
    if hash_at >= 0:
        rest = rest[:hash_at]
    path, _, query = rest.partition("?")
    if query and _TRACKING_IN_QUERY.search(query):
        query = "&".join(p for p in query.split("&") if not p.lower().startswith(_TRACKING_PARAM))
    cleaned = url[:start].lower() + netloc.lower() + path + ("?" + query if query else "")
    key = (host[4:] if host.startswith("www.") else host) + path.rstrip("/") + ("?" + query if query else "")
    return cleaned, key, host, path.lower()


# Fragments and texts of footnote / reference markers.
_MARKER_FRAGMENT = re.compile(
    r"^(?:ref|cite|cit|fn|footnote|endnote|note|bib|b\d|r\d|cr\d|en\d|ftn|_ftn|edn|_edn|source)", re.I)
_MARKER_TEXT = re.compile(r"^[\[(]?\s*\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*\s*[\])]?$")
_MARKER_CLASS = re.compile(r"inline-citation|citation-ref|cite-ref|footnote-ref|fn-ref|ref-link|reference-link")
_TEXT_MARKER = re.compile(r"\[\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*\]")
_EXPONENT_BEFORE = re.compile(r"(?:\d|\b(?:c?m|km|mm|µm|ft|in|x|10))\s*$")

# --------------------------------------------------------------------------------------
# References sections
# --------------------------------------------------------------------------------------

_REF_HEADINGS = PhraseSet(_lang_words("reference_headings"))
_REF_WORD = "(?:" + phrase_pattern(_lang_words("reference_headings")) + ")"
_REF_HEADING = re.compile(
    r"^(?:[\dIVX]{1,4}[.)]?\s+)?"
    r"(?:(?:key|other|selected|additional|article|our|study|scientific|show|view|all|more|cited|research|"
    r"principales?|autres|nos|weitere|verwendete)\s+){0,2}"
    + _REF_WORD
    + r"(?:\s*(?:&|and|et|und|/|,)\s*(?:" + _REF_WORD + r"|resources|ressources|notes|links|liens|weblinks))?"
    r"\s*(?:\(\d+\))?\s*[:.]?$",
    re.I,
)


def _ref_heading(text: str) -> bool:
    if not text or len(text) > 70:
        return False
    return _REF_HEADINGS.possible(text) and _REF_HEADING.match(text.rstrip(" :.")) is not None


_REF_CLASSES = PhraseSet(_lang_words("reference_classes"))
_REF_CLASS = re.compile(r"(?:^|[\s_-])(?:" + phrase_pattern(_lang_words("reference_classes")) + r")(?:$|[\s_-])", re.I)
_BLOCK_TAGS = ("p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre", "div",
               "h1", "h2", "h3", "h4", "h5", "h6")
_REF_HINT_TAGS = ("div", "section", "ol", "ul", "aside", "footer", "dl", "details", "article")
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SECTION_STOP_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_YEARISH = re.compile(r"\b(?:19|20)\d{2}\b|\bet al\b|\bdoi\b|\bPMID\b|https?://", re.I)
_DOI_IN_TEXT = re.compile(r"(?<![\w.])10\.\d{4,9}/[^\s\"'<>]+")
_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")

# --------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------

_NUMW = "(?:" + phrase_pattern(tuple(_lang_mapping("number_words"))) + ")"
# the value of a number word, written with or without its accents ("funf" is read as "fünf")
_NUM_VALUE = {_unaccented(k).lower(): v for k, v in _lang_mapping("number_words").items()}
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
    r"\s+(?:[a-zà-ÿ]{3,}\s+)?(?:" + phrase_pattern(_lang_words("ratio_connectors")) + r")\s+"
    r"(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})*|" + _NUMW + r")\b",
    re.I)
_TIMES_TAIL = (r"\s*-?\s*(?:" + phrase_pattern(_lang_words("statistic_multipliers")) + r")\s+(?:"
               + phrase_pattern(_lang_words("statistic_comparatives")) + r")\b")
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
_STAT_LISTS = {name: _lang_words("statistic_" + name) for name in (
    "multiplied", "fold", "per", "change", "fractions", "half", "quantifiers")}


def _group(key: str) -> str:
    """A non-capturing group matching one phrase of a sourcing.json list."""
    return "(?:" + phrase_pattern(_lang_words(key)) + ")"


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
    variant for word, value in _lang_mapping("number_words").items() if value >= 2
    for variant in {word.lower(), _unaccented(word).lower()})
_TOKEN = re.compile(r"\w+")
_WORD_STAT_GATE = PhraseSet([*_lang_words("statistic_multipliers"), *_lang_words("fraction_nouns")] + [
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
_PROSE_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "div", "figcaption", "td", "th"})
_STAT_SKIP_TAGS = frozenset({"pre"}) | frozenset(HEADING_TAGS)

# Citations in text: author-year and attributions.
_UC = "A-ZÀ-ÖØ-Ý"
_AUTHOR_YEAR = re.compile(
    r"\((?:[^()]{0,80}?\b(?:et\s+al\.?|and|&|und|et|u\.\s*a\.)\s*[^()]{0,40}?|[" + _UC + r"][\w'’-]+(?:\s+[" + _UC
    + r"][\w'’-]+)?)[,\s]+(?:19|20)\d{2}[a-z]?(?:[;,][^()]{0,80})?\)"
    r"|\b[" + _UC + r"][\w'’-]+\s+et\s+al\.?,?\s*\(?(?:19|20)\d{2}"
    r"|\b[" + _UC + r"][\w'’-]{2,}(?:\s+(?:and|&|et|und)\s+[" + _UC + r"][\w'’-]+)?\s+\((?:19|20)\d{2}[a-z]?\)"
)
# Attributions in text. Each pattern holds one phrase of a list of scoring/lang/*/sourcing.json and is
# tried only when that list's generated pre-test passes: one alternation over every block costs ~35 µs per
# 200 characters, a substring pre-test far less.
_CAPITAL = "[" + _UC + "]"
_ATTRIBUTIONS = tuple((PhraseSet(_lang_words(key)), re.compile(rx.replace("{phrases}", "(?i:" + phrase_pattern(
    _lang_words(key)) + ")"))) for key, rx in (
    ("attribution_phrases",
     r"\b{phrases}\s+(?:(?i:the|la|le|les|des|du|dem|der|den|a|an|its|their|el|los)\s+|(?i:l['’])\s*)?"
     r"(?:[\w-]+\s+){0,3}?" + _CAPITAL + r"[\w&'’.-]+"),
    ("source_labels", r"\b{phrases}\s*:\s*\S"),
    ("study_published",
     r"\b(?i:" + phrase_pattern(_lang_words("study_nouns")) + r")\s+{phrases}\s+(?i:in|by|dans|par|en|au|por)\s+"
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


def _cites_in_text(text: str) -> bool:
    """An author-year citation, a [12] marker or a named attribution in the text."""
    if "[" in text and _TEXT_MARKER.search(text):
        return True
    if ("19" in text or "20" in text) and _AUTHOR_YEAR.search(text):
        return True
    for phrases, rx in _ATTRIBUTIONS:
        if phrases.possible(text) and rx.search(text):
            return True
    return False


# --------------------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------------------

# A straight quote opens a passage when no word character or quote precedes it: the test
# comes after the quote (a 2-character look-behind) so that every alternative starts with a
# quote character and `re` skips to those instead of trying the look-behind everywhere.
_QUOTED = re.compile(
    r"“(?P<a>[^“”]{8,1200}?)”|«\s*(?P<b>[^«»]{8,1200}?)\s*»|„(?P<c>[^„“”]{8,1200}?)[“”]"
    r"|\"(?<![\w\"]\")(?P<d>[^\"]{8,1200}?)\"(?![\w\"])"
)
_VERB = (
    r"(?:said|says|say|explains|explained|told|tells|noted|notes|adds|added|writes|wrote|stated|states|recalls|"
    r"recalled|warns|warned|continued|continues|argues|argued|commented|comments|observed|observes|pointed\s+out|"
    r"points\s+out|suggests|suggested|asserts|asserted|remarked|acknowledged|acknowledges|emphasized|emphasizes|"
    r"emphasised|emphasises|stressed|stresses|concluded|concludes|admits|admitted|insisted|insists|advises|"
    r"advised|recommends|recommended|shared|shares|described|describes|cautions|cautioned|reports|reported|"
    r"a\s+déclaré|déclare|a\s+dit|dit|explique|expliquait|a\s+expliqué|affirme|a\s+affirmé|souligne|a\s+souligné|"
    r"précise|a\s+précisé|indique|a\s+indiqué|ajoute|a\s+ajouté|confie|a\s+confié|estime|a\s+estimé|assure|"
    r"a\s+assuré|rappelle|a\s+rappelé|observe|poursuit|insiste|commente|note|raconte|détaille|prévient|avertit|"
    r"reconnaît|résume|témoigne|conclut|martèle|analyse|conseille|recommande|nuance|juge|lance|dénonce|regrette|"
    r"s['’]inquiète|considère|a\s+mis\s+en\s+garde|met\s+en\s+garde|prévenait|confiait|ajoutait|déclarait|"
    r"believes|thinks|argued|cautions|explaining|saying|adding|noting|writing|told\s+\w+|"
    r"sagt|sagte|erklärt|erklärte|betont|betonte|meint|meinte|berichtet|berichtete|ergänzt|warnt|warnte)"
)
_NAME_WORD = r"(?:[" + _UC + r"][\w'’-]+|[" + _UC + r"]\.)"
_NAME = (
    r"(?:(?:Dr|Dre|Drs|Pr|Prof|Mr|Mrs|Ms|Mme|Mlle|Me|M)\.?\s+|(?:[Dd]octeur|[Pp]rofesseur|[Pp]rofessor|[Dd]octor)"
    r"\s+)?" + _NAME_WORD + r"(?:\s+(?:(?:de|du|des|van|von|der|da|di|del|le|la|bin|ben)\s+)?" + _NAME_WORD + r"){0,3}"
)
_PRONOUN = r"(?:he|she|il|elle|er|sie|t-il|t-elle)"
_AFTER_VERB_NAME = re.compile(
    r"^[\s,.;:!?—–-]*(?:" + _VERB + r")(?:-t-(?:il|elle))?\s+(?:(?:le|la|l['’]|the)\s+)?(?:[\w'’-]+,?\s+){0,5}?(?P<n>"
    + _NAME + r")")
_AFTER_NAME_VERB = re.compile(r"^[\s,.;:!?—–-]*(?P<n>" + _NAME + r")(?:,[^,.!?]{0,80},)?\s+(?:" + _VERB + r")\b")
_AFTER_NOUN_VERB = re.compile(
    r"^[\s,.;:!?—–-]*(?P<n>(?i:the|a|an|le|la|l['’]|un|une|der|die|das)\s*(?:[a-zà-ÿ-]+\s+){0,2}?[a-zà-ÿ-]{3,})\s+"
    r"(?:" + _VERB + r"|described|wrote)\b")
_AFTER_DASH = re.compile(r"^\s*[—–-]\s*(?P<n>" + _NAME + r")")
_AFTER_PRONOUN = re.compile(
    r"^[\s,.;:!?—–-]*(?:" + _PRONOUN + r"\s+(?:" + _VERB + r")|(?:" + _VERB + r")(?:\s+|-)" + _PRONOUN + r")\b")
_BEFORE_NAME_VERB = re.compile(
    r"(?P<n>" + _NAME + r")(?:,[^,.!?“”\"«»]{0,80},)?\s+(?:(?:also|then|later|aussi|encore)\s+)?(?:" + _VERB
    + r")\b[^.!?“”\"«»]{0,60}$")
_BEFORE_ACCORDING = re.compile(
    r"\b(?i:according\s+to|selon|laut|d['’]après|in\s+the\s+words\s+of|as\s+put\s+by)\s+(?:(?:le|la|the)\s+|l['’]\s*)?"
    r"(?:[\w'’-]+,?\s+){0,4}?(?P<n>" + _NAME + r")[^.!?“”\"«»]{0,60}$")
_BEFORE_SAID = re.compile(
    r"(?P<n>" + _NAME + r"|\b(?:he|she|il|elle|er|sie))\s+(?:(?:also|then|aussi)\s+)?(?:" + _VERB
    + r")(?:\s+(?:\w+\s+){0,3}?(?:[" + _UC + r"][\w.]+|him|her|me|us|them))?\s*[.:]\s*$")
_BEFORE_PRONOUN_VERB = re.compile(
    r"\b(?:he|she|il|elle|er|sie)\s+(?:(?:also|then|aussi)\s+)?(?:" + _VERB + r")\b[^.!?“”\"«»]{0,60}$")
_INCISE = re.compile(
    r"[,;]\s*(?:(?:" + _VERB + r")-t-(?:il|elle)|(?:" + _VERB + r")\s+(?:(?:le|la|l['’])\s*)?(?P<n>" + _NAME
    + r"))\s*[,.;]")
_PRONOUNS = frozenset({"he", "she", "il", "elle", "er", "sie"})
_TITLED = re.compile(r"\b(?:Dr|Dre|Pr|Prof|Mr|Mrs|Ms|Mme|M)\.?\s+[" + _UC + r"]")
_PERSON = re.compile(
    r"(?:(?:Dr|Dre|Pr|Prof|Mr|Mrs|Ms|Mme|M)\.?\s+" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2}"
    r"|[" + _UC + r"][a-zà-ÿ'’-]+\s+(?:(?:de|du|van|von|le|la)\s+)?[" + _UC + r"][\w'’-]+)"
    r"(?=,|\s+[a-zà-ÿ])")
_BEFORE_VERB_ONLY = re.compile(r"\b(?:" + _VERB + r")\b[^.!?“”\"«»]{0,40}[:,]\s*$")
_TITLE_CUE = re.compile(r"(?:titled|entitled|intitulée?|called|named|appelée?|nommée?|book|livre|film|report|"
                        r"rapport|campaign|campagne|programme|program|motto|slogan|rubriques?|sections?|chapitre|"
                        r"chapter|paragraphe|heading|voir|see)\s*[:,]?\s*$", re.I)
_SPEAKER_STOP = frozenset(
    """The This That These Those It Its He She They We You I But And Or So In On At As For If When While What Why How
    A An Le La Les Il Elle Ils Elles Nous Vous Je Mais Et Ou Dans Sur Pour Selon Quand Un Une Der Die Das Er Sie Es
    Wir Und Aber In Im Am According After Before Then Also Her His Their Our My Your Ce Cette Ces""".split()
)
_BOX_LABEL = re.compile(
    r"(?:summary|bottom\s+line|key\s+(?:takeaways?|points)|takeaways?|in\s+summary|note|tip|important|warning|"
    r"caution|résumé|en\s+bref|à\s+retenir|l['’]essentiel|attention|conseil|astuce|bon\s+à\s+savoir|fazit|"
    r"zusammenfassung|wichtig|hinweis|tipp)\b\s*:?\s", re.I)
_BOX_CLASS = re.compile(r"summary|takeaway|callout|tip|note|alert|warning|info-?box|highlight", re.I)
_CLAIM = re.compile(
    r"\b(?:stud(?:y|ies)|research|evidence|trials?|showed|shown|found|finds|suggests?|proves?|proven|"
    r"according|linked|associated|reduces?|reduced|increases?|increased|lowers?|raises?|causes?|prevents?|cures?|"
    r"helps?|improves?|risks?|effective|benefits?|boosts?|protects?|fights?|treats?|heals?|safe|percent|"
    r"étude|selon|montre|prouvé|réduit|augmente|risque|efficace|bienfaits?|protège|soigne|guérit|"
    r"Studie|zeigt|laut|Risiko|wirksam|senkt|erhöht)\b|%", re.I)
_SOCIAL_EMBED = re.compile(r"tweet|instagram|tiktok|facebook|embed|social", re.I)
_NORM_TEXT = re.compile(r"[\W_]+")
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_QUOTE_CHARS = "“”«»„\"'‘’ \u00a0"


# --------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------

class _Citations:
    """De-duplicating collector (normalised URL, DOI and PMID keys). A link or identifier naming the page's
    own work (its DOI, or a resource under it: ``<doi>/email``, ``<doi>.ris``) is not recorded."""

    __slots__ = ("by_key", "entries", "own", "own_dois", "total")

    def __init__(self, own: frozenset[str] = frozenset()) -> None:
        self.by_key: dict[str, dict] = {}
        self.entries: list[dict] = []
        self.total = 0
        self.own = own
        self.own_dois = tuple(k for k in own if k.startswith("doi:"))

    def is_own(self, ids: tuple[str, ...]) -> bool:
        for k in ids:
            if k in self.own:
                return True
            for doi in self.own_dois:
                if k.startswith(doi) and k[len(doi):len(doi) + 1] in ("/", "."):
                    return True
        return False

    def alias(self, entry: dict, key: str, ids: tuple[str, ...]) -> None:
        self.by_key.setdefault(key, entry)
        for k in ids:
            self.by_key.setdefault(k, entry)

    def add(self, url: str, key: str, text: str, in_refs: bool, prose: tuple[str, str] | None,
            ids: tuple[str, ...] = ()) -> dict | None:
        if ids and self.own and self.is_own(ids):
            return None
        entry = self.by_key.get(key)
        if entry is None:
            for k in ids:
                entry = self.by_key.get(k)
                if entry is not None:
                    break
        if entry is not None:
            if in_refs:
                entry["in_references"] = True
            if prose and not entry["_prose"]:
                entry["_prose"] = prose
            if (not entry["text"] or _GENERIC_TEXT.match(entry["text"])) and text and not _GENERIC_TEXT.match(text):
                entry["text"] = text
            self.alias(entry, key, ids)
            return entry
        self.total += 1
        entry = {"url": url, "text": text, "in_references": in_refs, "_prose": prose}
        if len(self.entries) < MAX_CITATIONS:
            self.entries.append(entry)  # past the cap: counted and de-duplicated, not listed
        self.by_key[key] = entry
        for k in ids:
            self.by_key[k] = entry
        return entry


_UNSEEN = object()


def _ids(url: str | None) -> tuple[str, ...]:
    """The keys of the work a URL names: its DOI, PMID and PMCID, wherever they sit (path or query)."""
    if not url:
        return ()
    low = url.lower()
    if "10." not in low and "pubmed" not in low and "ncbi" not in low and "pm" not in low:
        return ()
    out = []
    doi, pmid, pmcid = ids_from_url(url)
    if doi:
        out.append("doi:" + doi.lower())
    if pmid:
        out.append("pmid:" + pmid)
    if pmcid:
        out.append("pmc:" + pmcid.upper())
    return tuple(out)


def _is_inside(el, ancestors: set) -> bool:
    node = el
    while node is not None:
        if node in ancestors:
            return True
        node = node.getparent()
    return False


def _furniture_context(el, main_chain: dict) -> bool:
    """True when el sits in navigation, a site footer or sidebar-like furniture.

    Only the ancestors below the first one that also holds the main content count: broken
    markup can put a whole page inside a menu button, and that must not hide the references.
    ``main_chain`` maps the main element and its ancestors to True for main itself.
    """
    chain = []
    node = el.getparent()
    while node is not None and node not in main_chain:
        chain.append(node)
        node = node.getparent()
    inside_main = node is not None and main_chain[node]
    in_article = inside_main
    for anc in reversed(chain):  # outermost first
        tag = anc.tag
        if tag in ("article", "main") or anc.get("role") in ("main", "article"):
            in_article = True
            continue
        if tag == "nav" or anc.get("role") == "navigation":
            return True
        if tag == "footer":
            if not in_article:
                return True
            continue
        if tag in ("header", "aside") or anc.get("aria-hidden") == "true" or anc.get("hidden") is not None:
            continue
        if is_furniture(anc):
            return True
    return False


def _main_chain(page: Page) -> dict:
    chain = {page.main: True}
    node = page.main.getparent()
    while node is not None:
        chain[node] = False
        node = node.getparent()
    return chain


def _following_section(heading, level: int, body) -> list:
    """Elements after a heading that belong to its section (climbing out of wrappers when needed)."""
    node = heading
    for _ in range(4):
        siblings = []
        had_list = False
        sib = node.getnext()
        while sib is not None and len(siblings) < 60:
            tag = sib.tag
            if isinstance(tag, str):
                if tag in _HEADING_LEVEL and _HEADING_LEVEL[tag] <= level:
                    return siblings
                if level >= 7 and _bold_title(sib):
                    return siblings
                stop = False
                for h in sib.iter(*_SECTION_STOP_TAGS):
                    if _HEADING_LEVEL[h.tag] <= level:
                        stop = True
                        break
                if stop:
                    if not siblings and _has_items(sib):
                        # heading and list share a wrapper with a later heading: take the part before it
                        siblings.append(sib)
                    return siblings
                if had_list and tag in ("p", "div") and next(sib.iter("a"), None) is None \
                        and not _YEARISH.search(text_of(sib)):
                    return siblings  # a disclaimer or note after the list of sources
                if tag in ("ol", "ul", "dl"):
                    had_list = True
                siblings.append(sib)
            sib = sib.getnext()
        if any(clean_text(text_of(s)) for s in siblings):
            return siblings
        parent = node.getparent()
        if parent is None or parent is body or parent.tag in ("body", "html"):
            break
        node = parent
    return []


def _has_items(el) -> bool:
    for _ in el.iter("li", "p"):
        return True
    return False


def _bold_title(el) -> bool:
    if el.tag not in ("p", "div"):
        return False
    for child in el:
        if child.tag in ("strong", "b") and _ref_heading(clean_text(text_of(child))):
            return True
    return False


class _Section:
    __slots__ = ("heading", "roots")

    def __init__(self, heading: str | None, roots: list) -> None:
        self.heading = heading
        self.roots = roots


def _section_heading(root) -> str | None:
    for h in root.iter("h2", "h3", "h4", "h5", "h6", "strong", "b", "caption", "legend", "summary"):
        text = element_text(h)
        if text and len(text) < 80 and (h.tag in _HEADING_LEVEL or _ref_heading(text)):
            return text
        break
    prev = root.getprevious()
    if prev is not None and prev.tag in _HEADING_LEVEL:
        text = clean_text(text_of(prev))
        if text and len(text) < 80:
            return text
    for el in root.iter("div", "span", "p"):
        cls = el.get("class") or ""
        if "heading" in cls or "title" in cls:
            text = clean_text(text_of(el))
            if text and len(text) < 60:
                return text
    return None


def _find_reference_sections(page: Page) -> list[_Section]:
    root = page.root
    body = root.find("body")
    if body is None:
        body = root
    main_chain = _main_chain(page)
    sections: list[_Section] = []
    # 1. containers whose id/class says references / sources / footnotes
    containers = []
    for el in body.iter(_REF_HINT_TAGS):
        hint = el.get("class")
        if hint and not _REF_CLASSES.possible(hint):
            hint = None
        ident = el.get("id")
        if ident and _REF_CLASSES.possible(ident):
            hint = f"{ident} {hint or ''}"
        if not hint:
            continue
        if _REF_CLASS.search(hint) and "btn" not in hint and "button" not in hint:
            containers.append(el)
    if containers:
        chosen = set()
        for el in containers:  # document order: outer before inner
            if _is_inside(el.getparent(), chosen):
                continue
            if _furniture_context(el, main_chain):
                continue
            chosen.add(el)
            sections.append(_Section(_section_heading(el), [el]))
    covered = {s.roots[0] for s in sections}
    # 2. headings and bold title paragraphs
    for h in body.iter("h2", "h3", "h4", "h5", "h6"):
        text = text_of(h)
        if len(text) > 70:
            text = element_text(h)  # <style> inside headings happens (CSS-in-JS)
        else:
            text = clean_text(text)
        if not _ref_heading(text):
            continue
        if covered and _is_inside(h, covered):
            continue
        if _furniture_context(h, main_chain):
            continue
        roots = _following_section(h, _HEADING_LEVEL[h.tag], body)
        if roots:
            sections.append(_Section(text.rstrip(" :."), roots))
    for b in body.iter("strong", "b"):
        text = text_of(b)
        if len(text) > 60:
            continue
        text = clean_text(text)
        para = b.getparent()
        if para is None or para.tag not in ("p", "div"):
            continue
        if not _ref_heading(text):
            continue
        if covered and _is_inside(para, covered):
            continue
        if _furniture_context(para, main_chain):
            continue
        para_text = clean_text(text_of(para))
        if len(para_text) > len(text) + 10:
            roots = [para]  # "Sources: CDC, WHO..." in the same paragraph
        else:
            roots = _following_section(para, 7, body)
        if roots:
            sections.append(_Section(text.rstrip(" :."), roots))
    if len(sections) < 2:
        return sections
    # keep the outermost of nested sections (a heading's section often wraps the list that
    # the class hint found), borrowing the inner one's heading when the outer has none
    # per section, per root: the root and its ancestors
    chains = []
    for sec in sections:
        per_root = []
        for r in sec.roots:
            chain = set()
            node = r
            while node is not None:
                chain.add(node)
                node = node.getparent()
            per_root.append(chain)
        chains.append(per_root)
    kept: list[_Section] = []
    for i, sec in enumerate(sections):
        outer = None
        for j, other in enumerate(sections):
            if i == j:
                continue
            others = set(other.roots)
            # inside: every root of this section is, or sits in, a root of the other one
            if not all(chain & others for chain in chains[i]):
                continue
            if j > i and others == set(sec.roots):
                continue  # the same section found twice: keep the first
            outer = other
            break
        if outer is None:
            kept.append(sec)
        elif outer.heading is None and sec.heading:
            outer.heading = sec.heading
    return kept


_OWN_ID_META = ("citation_doi", "prism.doi", "dc.identifier", "bepress_citation_doi", "citation_pmid")


def _redirect_target(url: str) -> str | None:
    """The absolute http(s) URL a link's query hands on (``?url=https%3A%2F%2F...``), if any."""
    query = url.partition("?")[2]
    if "http" not in query:
        return None
    for part in query.split("&"):
        value = unquote(part.partition("=")[2])
        if value.startswith(("http://", "https://")):
            return value
    return None


def _own_ids(page: Page) -> frozenset[str]:
    """The work the page itself is: the DOI, PMID or PMCID of its address or canonical, or of the meta
    tags scholarly pages carry (citation_doi, dc.identifier...). Links to it are not citations."""
    own = set(_ids(page.url)) | set(_ids(page.canonical))
    for name in _OWN_ID_META:
        for value in page.meta.get(name, ()):
            doi = doi_from_text(value)
            if doi:
                own.add("doi:" + doi.lower())
            elif name == "citation_pmid" and value.isdigit():
                own.add("pmid:" + value)
    return frozenset(own)


def _own_site_guess(page: Page) -> str | None:
    """With no URL known, the page's own site: the one the links of the site's furniture (menus, header,
    footer: the links outside the article) point to most, when one leads. Its links are not citations."""
    counts: dict[str, int] = {}
    for link in page.links:
        if link.in_main:
            continue
        cleaned = _clean_url(link.url)
        if cleaned is None:
            continue
        site = site_of(cleaned[2])
        if site in _SHARE_SITES:
            continue
        counts[site] = counts.get(site, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None  # no site leads: a footer of partner or social links
    return max(counts, key=counts.__getitem__)


def _section_stats(section: _Section, page_site: str | None) -> tuple[int, bool]:
    """(entry count, looks like sources)."""
    items = 0
    paras = 0
    evidence = False
    for r in section.roots:
        for el in r.iter("li", "p", "a", "cite"):
            tag = el.tag
            if tag == "li":
                items += 1
            elif tag == "p":
                paras += 1
            elif tag == "a" and not evidence:
                href = el.get("href") or ""
                if href.startswith(("http://", "https://", "//")):
                    try:
                        host = urlsplit(href if not href.startswith("//") else "http:" + href).hostname or ""
                    except ValueError:
                        continue
                    site = site_of(host)
                    if (not page_site or site != page_site or _ids(href)) and not _is_share(href):
                        evidence = True
            elif tag == "cite":
                evidence = True
    if not evidence:
        text = " ".join(text_of(r) for r in section.roots)
        evidence = bool(_YEARISH.search(text)) and bool(text.strip())
    count = items or paras or len(section.roots)
    return count, evidence


def _is_share(url: str) -> bool:
    low = url.lower()
    if _SHARE_LITERALS is not None and len(low) == len(url) and low.isascii():
        for literal in _SHARE_LITERALS:  # a plain loop: cheaper than any() over a generator
            if literal in low:
                break
        else:
            return False
    return _SHARE.search(url) is not None


def _block_sentence(text: str, needle: str) -> str:
    if not needle:
        return text[:300]
    for sentence in split_sentences(text):
        if needle in sentence:
            return sentence[:300]
    return text[:300]


def extract_sourcing(page: Page, lang: str | None = None) -> dict:
    """Citations, references section, statistics and quotations of a parsed page.

    Returns a dict:

    * ``citations``: ``[{url, text, kind, authoritative, in_references, source_name}]``, at most
      :data:`MAX_CITATIONS`, in document order (main content first, then references outside it);
      ``citations_total`` counts them all;
    * ``references_section`` (bool) and ``references``: ``{heading, count, sections}`` or None;
    * ``statistics``: ``[{text, has_citation, figure}]`` (one per sentence), with
      ``statistics_total`` and ``statistics_cited``;
    * ``quotations``: ``[{text, attributed, speaker}]``; ``speaker`` may be None when only a
      pronoun names it and no speaker was named just before;
    * ``weak_sources``: ``[{url, text, kind, source_name, in_references, context}]``.

    ``lang`` is accepted for the caller's convenience; the patterns cover English, French, German
    and Spanish whatever it says.
    """
    url_page = page.url
    page_host = page.host
    page_site = site_of(page_host) if page_host else _own_site_guess(page)
    link_by_el = {link.element: link for link in page.links}

    valid_sections: list[tuple[_Section, int]] = []
    for s in _find_reference_sections(page):
        count, ok = _section_stats(s, page_site)
        if ok:
            valid_sections.append((s, count))
    ref_roots = [r for s, _ in valid_sections for r in s.roots]

    cites = _Citations(_own_ids(page))
    blocks = page.blocks
    block_index = {b.element: b.index for b in blocks}
    ref_blocks = set()
    for root in ref_roots:
        for d in root.iter(_BLOCK_TAGS):
            if d in block_index:
                ref_blocks.add(d)

    item_cache: dict = {}
    item_entries: dict = {}

    def ref_item(a):
        """The reference entry (list item, paragraph...) holding a link."""
        node = a.getparent()
        found = None
        for _ in range(4):
            if node is None:
                break
            tag = node.tag
            if tag == "li":
                return node
            if found is None and tag in ("p", "dd", "cite", "tr"):
                found = node
            node = node.getparent()
        return found

    def item_text(item) -> str | None:
        if item is None:
            return None
        text = item_cache.get(item)
        if text is None:
            text = item_cache[item] = clean_text(text_of(item))[:200]
        return text

    # per URL, what consider() derives from it: a third of the links repeat a URL
    # (reference lists inside the main content are walked twice)
    url_parts: dict[str, tuple[str, str, str, str, str] | None] = {}
    url_ids: dict[str, tuple[str, ...] | None] = {}  # None: a share link or a file

    def consider(a, in_refs: bool, prose_text: str | None) -> bool:
        """Record a link as a citation when it is one; True when it is outbound."""
        link = link_by_el.get(a)
        if link is None:
            return False
        url = link.url
        parts = url_parts.get(url, _UNSEEN)
        if parts is _UNSEEN:
            cleaned = _clean_url(url)
            parts = None if cleaned is None else (*cleaned, site_of(cleaned[2]))
            if parts is not None and parts[4] == page_site:
                # the site's own click counter or redirect (/click?url=https://other.org/...): a reader who
                # follows it reaches the other site, which is what the page cites
                target = _redirect_target(cleaned[0])
                cleaned = _clean_url(target) if target else None
                if cleaned is not None and site_of(cleaned[2]) != page_site:
                    parts = (*cleaned, site_of(cleaned[2]))
            url_parts[url] = parts
        if parts is None:
            return False
        clean, key, host, path, site = parts
        if page_site is not None:
            outbound = site != page_site
        else:
            outbound = (a.get("href") or "").lstrip().lower().startswith(("http://", "https://", "//"))
        ids = url_ids.get(url, _UNSEEN)
        if ids is _UNSEEN:
            ids = url_ids[url] = (None if _is_share(clean) or path.endswith(_FILE_EXTS)
                                  else _ids(clean))
        if ids is None or (ids and cites.own and cites.is_own(ids)):
            return False
        if not outbound and not ids:
            return False
        # a link naming another work (DOI, PMID, PMCID) is a citation even on the page's own site
        outbound = True
        text = link.text
        item = None
        if in_refs:
            item = ref_item(a)
            if ids and item is not None:
                # one reference entry with DOI + PubMed + PMC links is one citation
                entry = item_entries.get(item)
                if entry is not None:
                    cites.alias(entry, key, ids)
                    return outbound
            if not text or _GENERIC_TEXT.match(text):
                text = item_text(item) or text
        prose = None
        if prose_text is not None and text and len(text) < 0.8 * len(prose_text):
            prose = (prose_text, text)
        entry = cites.add(clean, key, text[:300], in_refs, prose, ids)
        if ids and item is not None and entry is not None:
            item_entries[item] = entry
        return outbound

    statistics: list[dict] = []
    stats_seen: set[str] = set()
    stats_total = stats_cited = 0
    quotes: list[dict] = []
    quote_keys: list[str] = []
    speaker_state: dict = {"name": None, "at": -99}

    # blockquotes: collect their blocks so prose scanning does not repeat them
    bq_blocks: set = set()
    blockquotes = []
    for bq in page.main.iter("blockquote"):
        inside = [block_index[d] for d in bq.iter() if d in block_index]
        if not inside:
            continue
        bq_blocks.update(blocks[i].element for i in inside)
        blockquotes.append((bq, min(inside), max(inside)))

    for block in blocks:
        el = block.element
        in_refs = el in ref_blocks
        tag = block.tag
        text = block.text
        is_heading = tag in HEADING_TAGS
        prose_text = text if (tag in _PROSE_TAGS and not is_heading and len(text) > 40) else None
        outbound = False
        marker = False
        for node in el.iter("a", "sup", "span"):
            ntag = node.tag
            if ntag == "span":
                if not marker and (node.get("data-cite") is not None or node.get("data-footnote") is not None
                                   or _MARKER_CLASS.search(node.get("class") or "")):
                    marker = True
                continue
            if ntag == "a":
                href = node.get("href") or ""
                if "#" in href:
                    frag = href.split("#", 1)[1]
                    if href.startswith("#") or (url_page and href.split("#", 1)[0] in url_page):
                        if _MARKER_FRAGMENT.match(frag) or _MARKER_TEXT.match(text_of(node).strip()):
                            marker = True
                        continue
                if consider(node, in_refs, prose_text):
                    outbound = True
            elif not marker:
                st = text_of(node).strip()
                if st and _MARKER_TEXT.match(st):
                    prev = node.getprevious()
                    before = (prev.tail if prev is not None else node.getparent().text) or ""
                    if not _EXPONENT_BEFORE.search(before):
                        marker = True
        if in_refs or is_heading:
            continue
        # plain-text DOIs / PMIDs in the content
        if "10." in text or "PMID" in text:
            _text_identifiers(text, cites, False)
        if tag in _STAT_SKIP_TAGS:
            continue
        # statistics (table cells only when they hold a sentence)
        if (tag != "td" and tag != "th" or len(text.split()) >= 6) and _statistic(text):
            cited = None
            for sentence in split_sentences(text):
                figure = _statistic(sentence)
                if figure is None:
                    continue
                key = _NORM_TEXT.sub(" ", sentence.lower()).strip()
                if key in stats_seen:
                    continue
                stats_seen.add(key)
                if cited is None:
                    cited = outbound or marker or _cites_in_text(text)
                stats_total += 1
                stats_cited += cited
                if len(statistics) < MAX_STATISTICS:
                    statistics.append({"text": sentence[:400], "has_citation": cited, "figure": figure})
        # quotations in prose
        if el not in bq_blocks and ("“" in text or "«" in text or "„" in text or '"' in text):
            prev_text = blocks[block.index - 1].text if block.index > 0 else ""
            for q in _prose_quotes(text, prev_text):
                _add_quote(quotes, quote_keys, _resolve_speaker(q, speaker_state, block.index))

    # references outside the main blocks
    for root in ref_roots:
        for a in root.iter("a"):
            href = a.get("href") or ""
            if href.startswith("#"):
                continue
            consider(a, True, None)
        _text_identifiers(" ".join(root.itertext()), cites, True)

    # blockquotes and <q>
    for bq, first, last in blockquotes:
        q = _blockquote(bq, blocks, first, last)
        if q is not None:
            _add_quote(quotes, quote_keys, q)
    for qel in page.main.iter("q"):
        node = qel.getparent()
        depth = 0
        while node is not None and depth < 8 and node not in block_index:
            node = node.getparent()
            depth += 1
        if node is None or node not in block_index or node in ref_blocks:
            continue
        text = element_text(qel).strip(_QUOTE_CHARS)
        if len(_WORDS.findall(text)) <= 5:
            continue
        full = element_text(node)
        idx = full.find(text)
        before = full[:idx] if idx >= 0 else ""
        after = full[idx + len(text):] if idx >= 0 else ""
        attributed, speaker = _attribution(before, after.lstrip("\"”»“"))
        _add_quote(quotes, quote_keys, {"text": text[:600], "attributed": attributed, "speaker": speaker})

    # classify
    citations = []
    weak = []
    for entry in cites.entries:
        sc = classify_url(entry["url"])
        text = entry["text"]
        citation = {"url": entry["url"], "text": text, "kind": sc.kind, "authoritative": sc.authoritative,
                    "in_references": entry["in_references"], "source_name": sc.name or sc.domain}
        citations.append(citation)
        if sc.kind in WEAK_KINDS and (entry["in_references"] or entry["_prose"]) and _specific(entry["url"], sc.kind):
            context = _block_sentence(*entry["_prose"]) if entry["_prose"] else None
            if entry["in_references"] or _CLAIM.search(context):
                weak.append({"url": entry["url"], "text": text, "kind": sc.kind,
                             "source_name": citation["source_name"], "in_references": entry["in_references"],
                             "context": context})

    references = None
    if valid_sections:
        heading = next((s.heading for s, _ in valid_sections if s.heading), None)
        references = {"heading": heading, "count": sum(c for _, c in valid_sections),
                      "sections": len(valid_sections)}

    quotes = quotes[:MAX_QUOTATIONS]
    return {
        "citations": citations,
        "citations_total": cites.total,
        "references_section": bool(valid_sections),
        "references": references,
        "statistics": statistics,
        "statistics_total": stats_total,
        "statistics_cited": stats_cited,
        "quotations": quotes,
        "weak_sources": weak,
    }


def _specific(url: str, kind: str) -> bool:
    """A shop or social link that points at something (a post, a product), not a home or profile page."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if kind == "social":
        return len(segments) >= 2 or bool(parts.query)
    return bool(segments) or bool(parts.query)


def _text_identifiers(text: str, cites: _Citations, in_refs: bool) -> None:
    if "10." in text:
        for m in _DOI_IN_TEXT.finditer(text):
            doi = _trim_doi(m.group(0))
            if doi is None:
                continue
            key = "doi:" + doi.lower()
            cites.add("https://doi.org/" + doi, key, "doi:" + doi, in_refs, None, (key,))
    if "PMID" in text:
        for m in _PMID_IN_TEXT.finditer(text):
            pmid = m.group(1)
            key = "pmid:" + pmid
            cites.add(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", key, "PMID: " + pmid, in_refs, None, (key,))


def _trim_doi(doi: str) -> str | None:
    doi = strip_doi_tail(doi)
    slash = doi.find("/")
    if slash < 0 or slash == len(doi) - 1:
        return None
    return doi


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


def _statistic(text: str) -> str | None:
    """The first figure in a text that is a statistic (not a date, price, dose or list number), or None."""
    if _DIGIT.search(text):
        figure = _number_statistic(text)
        if figure:
            return figure
    if _WORD_STAT_GATE.possible(text) or _ratio_possible(text):
        for m in _word_stat_matches(text):
            if m.lastgroup == "ratio":
                v1 = _NUM_VALUE.get(_unaccented(m.group("r1")).lower(), 0)
                v2 = _NUM_VALUE.get(_unaccented(m.group("r2")).lower(), 0)
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
                r2 = _unaccented(r2)
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


def _clean_speaker(name: str | None) -> str | None:
    if not name:
        return None
    words = name.strip(" ,.;:").split()
    while words and words[0] in _SPEAKER_STOP:
        words.pop(0)
    while words and words[-1] in _SPEAKER_STOP:
        words.pop()
    if not words:
        return None
    speaker = " ".join(words).rstrip(".,;:")
    if speaker.endswith(("'s", "’s")):
        speaker = speaker[:-2]
    return speaker or None


def _attribution(before: str, after: str, quoted: str = "", guillemets: bool = False) -> tuple[bool, str | None]:
    """Whether a quotation is attributed, from the text just before and after it, and the speaker.

    A speaker of None with True means a pronoun ("she says"): the caller resolves it to the
    last named speaker.
    """
    after = after[:160]
    for rx in (_AFTER_VERB_NAME, _AFTER_NAME_VERB, _AFTER_DASH):
        m = rx.match(after)
        if m:
            speaker = _clean_speaker(m.group("n"))
            if speaker:
                return True, speaker
    if _AFTER_PRONOUN.match(after):
        return True, None
    m = _AFTER_NOUN_VERB.match(after)
    if m:
        return True, m.group("n").strip()
    if quoted:
        # French incise inside the guillemets: « ..., souligne-t-elle. ... » / « ..., explique le Dr Martin, ... »
        m = _INCISE.search(quoted)
        if m:
            return True, _clean_speaker(m.group("n")) if m.group("n") else None
    # the sentence the quote sits in, and the one before when the quote opens a sentence
    before = before[-160:]
    cut = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind(".\u00a0"))
    current = before[cut + 2:] if cut >= 0 else before
    if not current.strip():
        if cut >= 0:
            m = _BEFORE_SAID.search(before, max(0, cut - 100))
            if m:
                return True, None if m.group("n").lower() in _PRONOUNS else _clean_speaker(m.group("n"))
        return False, None
    for rx in (_BEFORE_ACCORDING, _BEFORE_NAME_VERB):
        m = rx.search(current)
        if m:
            speaker = _clean_speaker(m.group("n"))
            if speaker:
                return True, speaker
    if _BEFORE_VERB_ONLY.search(current) or _BEFORE_PRONOUN_VERB.search(current):
        return True, None
    # a person named earlier in the same sentence: "Sophie Binet a mis le président en garde « ... »"
    # (guillemets and German quotes only: English prose names organisations the same way)
    if guillemets or _TITLED.search(current):
        names = [m for m in _PERSON.finditer(current) if _clean_speaker(m.group(0))]
        if names and (guillemets or _TITLED.match(names[-1].group(0))):
            return True, _clean_speaker(names[-1].group(0))
    return False, None


def _looks_like_title(text: str, before: str) -> bool:
    words = _WORDS.findall(text)
    if len(words) <= 5:
        return True
    if _TITLE_CUE.search(before[-40:]):
        return True
    long_words = [w for w in words if len(w) > 3]
    if long_words and len(words) <= 15 and not re.search(r"[.!?,;]", text[:-1]):
        caps = sum(1 for w in long_words if w[0].isupper())
        if caps / len(long_words) >= 0.7:
            return True
    return False


def _prose_quotes(text: str, prev_text: str) -> list[dict]:
    """Quoted passages of a prose block with their attribution.

    In a paragraph such as “A,” says Dr Roe. “B.” the second passage has no attribution of
    its own and belongs to the same speaker: it is merged into the first when the two are
    close, or inherits the speaker otherwise. A short quote (a title or a term, not counted)
    still passes its speaker on.
    """
    out: list[dict] = []
    last: dict | None = None  # last attributed passage, counted or not
    for m in _QUOTED.finditer(text):
        quoted = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").strip()
        before = text[:m.start()]
        after = text[m.end():]
        guillemets = m.group("b") is not None or m.group("c") is not None
        attributed, speaker = _attribution(before if last is None else text[last["_end"]:m.start()], after, quoted,
                                           guillemets)
        if _looks_like_title(quoted, before):
            if attributed:
                last = {"speaker": speaker, "_end": m.end(), "_pronoun": speaker is None, "counted": False}
            continue
        if last is not None:
            gap = text[last["_end"]:m.start()]
            own_after = _attribution("", after, quoted)[0]
            if not own_after and (not attributed or _attribution("", gap)[1] in (None, last["speaker"])):
                if last["counted"] and len(gap) < 80:
                    last["text"] = (last["text"] + " " + quoted)[:600]
                    last["_end"] = m.end()
                    continue
                attributed, speaker = True, last["speaker"]
        elif not attributed and not before.strip() and prev_text.rstrip().endswith(":"):
            attributed, speaker = _attribution(prev_text, "")
        q = {"text": quoted[:600], "attributed": attributed, "speaker": speaker, "_end": m.end(),
             "_pronoun": attributed and speaker is None, "counted": True}
        out.append(q)
        if attributed:
            last = q
    for q in out:
        q.pop("counted")
    return out


def _resolve_speaker(q: dict, state: dict, index: int) -> dict:
    """Give "she says" quotes the last speaker named a few blocks above; remember named speakers."""
    pronoun = q.pop("_pronoun", False)
    q.pop("_end", None)
    if q["speaker"]:
        if q["speaker"][0].isupper():
            state["name"], state["at"] = q["speaker"], index
    elif pronoun and state["name"] and index - state["at"] <= 6:
        q["speaker"] = state["name"]
        state["at"] = index
    return q


def _blockquote(bq, blocks, first: int, last: int) -> dict | None:
    cls = f"{bq.get('class') or ''} {bq.get('id') or ''}"
    if _SOCIAL_EMBED.search(cls):
        return None
    parts: list[str] = []
    speaker_text = None
    for child in bq.iter("footer", "cite", "figcaption"):
        speaker_text = element_text(child)
        if speaker_text:
            break
    _collect_quote_text(bq, parts)
    text = clean_text(" ".join(parts)).strip(_QUOTE_CHARS)
    if len(_WORDS.findall(text)) <= 5 or _BOX_LABEL.match(text) or _BOX_CLASS.search(cls):
        return None  # a summary / tip / warning box styled as a blockquote
    parent = bq.getparent()
    if not speaker_text and parent is not None and parent.tag == "figure":
        cap = parent.find("figcaption")
        if cap is not None:
            speaker_text = element_text(cap)
    if speaker_text:
        return {"text": text[:600], "attributed": True, "speaker": _speaker_from_caption(speaker_text)}
    m = re.search(r"[—–-]\s*(" + _NAME + r")[^—–]{0,80}$", text)
    if m and m.start() > 0:
        speaker = _clean_speaker(m.group(1))
        if speaker:
            return {"text": text[:m.start()].strip(_QUOTE_CHARS + "—–- ")[:600], "attributed": True,
                    "speaker": speaker}
    # the blocks around it: "Dr Smith explains:" before, "— Dr Smith" / "said Dr Smith" after
    before = blocks[first - 1].text if first else ""
    after = blocks[last + 1].text if last + 1 < len(blocks) else ""
    attributed, speaker = _attribution(before if before.rstrip().endswith(":") else "", after[:160])
    if not attributed:
        inner = [_resolve_speaker(q, {"name": None, "at": 0}, 0) for q in _prose_quotes(text, "")
                 if q["attributed"]]
        if inner:
            attributed, speaker = True, inner[0]["speaker"]
    return {"text": text[:600], "attributed": attributed, "speaker": speaker}


def _collect_quote_text(el, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in ("footer", "cite", "figcaption", "script", "style", "button") and tag:
            _collect_quote_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def _speaker_from_caption(text: str) -> str | None:
    text = text.strip(" —–-―~\u00a0")
    name = re.split(r",|\s[—–-]\s|\(", text, maxsplit=1)[0].strip()
    return _clean_speaker(name[:80]) or (text[:80] or None)


def _add_quote(quotes: list[dict], keys: list[str], q: dict) -> None:
    """Add a quotation unless it repeats one already seen (pull-quotes repeat the text)."""
    key = _NORM_TEXT.sub(" ", q["text"].lower()).strip()
    if not key:
        return
    for i, other in enumerate(keys):
        if key == other or (len(key) >= 30 and key in other) or (len(other) >= 30 and other in key):
            if q["attributed"] and not quotes[i]["attributed"]:
                quotes[i]["attributed"] = True
                quotes[i]["speaker"] = q["speaker"]
            return
    keys.append(key)
    quotes.append(q)
