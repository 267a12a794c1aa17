"""Language detection from stopword frequencies, and language-tag normalisation.

Pure Python, no downloads, no model files. Detection samples at most the first
~2,000 words of the text and counts how many of them are common function words
("stopwords") of each supported language. Function words make up 30-50 % of any
running text, so even a paragraph of a few dozen words gives a clear signal.

Supported: en, fr, de, es, it, nl, pt.
"""

from __future__ import annotations

import re
from collections import Counter

from babel import Locale, UnknownLocaleError

from scoring.page.text import MAX_WORDS, letter_words

__all__ = ["MIN_WORDS", "SUPPORTED_LANGUAGES", "detect_language", "normalize_lang"]

#: Below this many words, ``detect_language`` returns ``(None, 0.0)``.
MIN_WORDS = 20

# Frequent function words per language. Words shared between languages are fine:
# a hit on a word listed for k languages counts 1/k towards each of them, so the
# distinctive words ("the", "und", "het", "não", "della"...) decide.
_STOPWORDS: dict[str, str] = {
    "en": """
        the of and to in is that it for was with as on be are by this or from at have an
        not which but they you we he she his her their has had were been can will would
        should may more if your its than also these those who what when there about into
        all some such do does how our other only most many after before them then because
        while during being could any each very between through
    """,
    "fr": """
        le la les de des du un une et est en que qui dans pour pas sur au aux avec ce ces
        cette il elle ils elles sont par plus ne se son sa ses leur leurs nous vous mais ou
        où été être peut comme aussi très sans chez entre donc fait cela ça lors notre votre
        même tout tous toutes d l qu c j n y peuvent doit ont avoir ainsi après avant
        était sous si dont
    """,
    "de": """
        der die das und ist nicht ein eine einer einen eines dem den des zu mit sich auf für
        von im auch es sie wird werden sind bei oder wie aus nach dass daß kann können wenn nur
        noch über zum zur aber vor um sein hat haben ich wir ihr ihre durch sehr diese dieser
        dieses unter schon bis mehr als war man sollte sollten wurde wurden keine kein
    """,
    "es": """
        el la los las de del y en que un una es por con para se no su sus al lo como más pero
        o son este esta estos estas ha han entre cuando muy sin sobre también hay puede ser le
        les ya donde desde todo todos fue está están ese esa porque hasta nos pueden debe
        otros otras
    """,
    "it": """
        il lo la i gli le di del della dei delle dello degli e è un una uno che per in con non
        si da dal dalla al alla nel nella sono come più ma anche questo questa ha hanno essere
        può se suo sua loro molto tra fra ci ne o quando perché cui dopo sulla sul l dell all
        nell sia stato tutti possono deve ed
    """,
    "nl": """
        de het een en van in is dat op te zijn met voor niet die aan er ook als bij door om
        naar maar dan of wordt worden uit kan je ze we hij zij wat nog over hun deze dit geen
        meer heeft hebben was werd tot wel veel zo u ons onze moet kunnen tussen zich
    """,
    "pt": """
        o a os as de do da dos das e é em no na nos nas um uma que para por com não se ao aos
        à mais como mas ou seu sua seus suas são foi ser pelo pela também muito este esta isso
        isto ele ela eles quando entre pode tem têm há já sobre sem até está estão nem depois
        lhe podem deve
    """,
}

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(_STOPWORDS)


def _build_weights() -> dict[str, tuple[tuple[int, float], ...]]:
    owners: dict[str, list[int]] = {}
    for idx, words in enumerate(_STOPWORDS.values()):
        for word in set(words.split()):
            owners.setdefault(word, []).append(idx)
    return {w: tuple((i, 1.0 / len(langs)) for i in langs) for w, langs in owners.items()}


# word -> ((language index, weight), ...)
_WEIGHTS = _build_weights()

def detect_language(text: str, *, words: list[str] | None = None) -> tuple[str | None, float]:
    """Guess the language of ``text``.

    Returns ``(ISO 639-1 code, confidence in 0..1)``, or ``(None, 0.0)`` when the
    text has fewer than ``MIN_WORDS`` words or contains no known function word.
    Confidence combines how clearly the best language beats the runner-up with how
    many of the words are function words at all (low for word lists, tables, or
    a language that is not supported). A caller that already holds ``letter_words(text)``,
    or at least its first ``MAX_WORDS`` words, passes them as ``words``.
    """
    if not text:
        return None, 0.0
    tokens = letter_words(text) if words is None else words
    if len(tokens) > MAX_WORDS:
        tokens = tokens[:MAX_WORDS]
    n = len(tokens)
    if n < MIN_WORDS:
        return None, 0.0

    scores = [0.0] * len(_STOPWORDS)
    hits = 0
    weights = _WEIGHTS
    counts = Counter(tokens)
    # Only the stopwords among the distinct words, picked in C and in the same order (float sums).
    for word in filter(weights.__contains__, counts):
        count = counts[word]
        owners = weights[word]
        hits += count
        for idx, weight in owners:
            scores[idx] += weight * count
    if hits == 0:
        return None, 0.0

    ranked = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    best, second = scores[ranked[0]], scores[ranked[1]]
    if best <= 0.0:
        return None, 0.0
    margin = (best - second) / best
    # Normal prose has >= 25 % function words; fewer means a weaker signal.
    coverage = min(1.0, (hits / n) / 0.25)
    # Margins above ~0.5 are already unambiguous.
    confidence = min(1.0, margin / 0.5) * coverage
    return SUPPORTED_LANGUAGES[ranked[0]], round(confidence, 2)


# ISO 639-2 (T and B) codes and deprecated ISO 639-1 codes of common languages.
_ALIASES = {
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "spa": "es",
    "ita": "it",
    "nld": "nl",
    "dut": "nl",
    "por": "pt",
    "pol": "pl",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "nob": "nb",
    "fin": "fi",
    "rus": "ru",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "ara": "ar",
    "tur": "tr",
    "ell": "el",
    "gre": "el",
    "ces": "cs",
    "cze": "cs",
    "ron": "ro",
    "rum": "ro",
    "hun": "hu",
    "cat": "ca",
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
}
_TAG_RE = re.compile(r"[A-Za-z]{2,3}")


def normalize_lang(tag: str | None) -> str | None:
    """Reduce a language tag to its lower-case ISO 639-1 primary code.

    ``"en-US"``, ``"fr_FR"``, ``"FR"``, ``" de-DE "`` -> ``"en"``, ``"fr"``, ``"fr"``,
    ``"de"``. Common three-letter codes (``"fra"``, ``"eng"``) and deprecated codes
    (``"iw"``) are mapped. Returns ``None`` for ``None``, empty or malformed tags and
    for tags without a two-letter equivalent (``"x-default"``, ``"*"``, ``"haw"``).
    """
    if not tag or not isinstance(tag, str):
        return None
    primary = re.split(r"[-_\s.;,]", tag.strip(), maxsplit=1)[0]
    if not _TAG_RE.fullmatch(primary):
        return None
    primary = primary.lower()
    primary = _ALIASES.get(primary, primary)
    return primary if len(primary) == 2 else None


def language_name(code: object, lang: str) -> str:
    """A BCP 47 code as the language's name in ``lang`` (CLDR, through Babel): "en" is "anglais" in French,
    "fr-FR" "français (France)"; a code CLDR does not know stays as written."""
    try:
        return Locale.parse(str(code), sep="-").get_display_name(lang) or str(code)
    except (ValueError, TypeError, UnknownLocaleError):
        return str(code)
