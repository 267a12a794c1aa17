"""Gates that cannot drift: every substring pre-test of sourcing.py and disclosures.py is generated from the
phrase list its pattern is built from, and the gated search finds exactly what the full search finds, on
random text and on every page of ../shared (benchmarks and corpus, skipped when absent)."""

import gzip
import random
from functools import cache
from pathlib import Path

import pytest

from scoring.facts import disclosures
from scoring.facts.sourcing import citations, references, statistics
from scoring.page.model import Page
from scoring.phrase_windows import Prepared
from scoring.phrases import expand

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class _Always:
    @staticmethod
    def possible(text: str) -> bool:
        return True


def _ungated_statistics(texts: list[str], monkeypatch) -> list[str | None]:
    with monkeypatch.context() as m:
        m.setattr(statistics, "_WORD_STAT_GATE", _Always)
        m.setattr(statistics, "_ratio_possible", lambda text: True)
        m.setattr(statistics, "_WORD_STAT_HEADS", None)
        return [statistics.statistic(text) for text in texts]


def _full_search_near(phrases, text: str) -> str | None:
    match = phrases.pattern.search(text)
    return disclosures.clean_text(text[max(0, match.start() - 60):match.end() + 60]) if match else None


def _assert_gates_agree(texts: list[str], monkeypatch) -> None:
    assert [statistics.statistic(text) for text in texts] == _ungated_statistics(texts, monkeypatch)
    for text in texts:
        for phrases, rx in statistics._ATTRIBUTIONS:
            assert phrases.possible(text) or not rx.search(text), (rx.pattern[:40], text)
        short = text[:70]
        assert references._ref_heading(short) == bool(references._REF_HEADING.match(short.rstrip(" :."))), short
        assert references._REF_CLASSES.possible(short) or not references._REF_CLASS.search(short), short
        for phrases in (disclosures._SPONSORSHIP, disclosures._COI, disclosures._DISCLAIMER):
            assert disclosures._snippet(phrases, Prepared(text)) == _full_search_near(phrases, text), text
        low = text.lower()
        for kind in disclosures._LINK_KINDS.values():
            if kind.pattern.search(text):
                assert any(a in low for a in disclosures._LINK_TRIGGERS) or disclosures.fold(text) is None, text


def _all_phrases() -> list[str]:
    from scoring import langdata

    out = []
    for topic in ("sourcing", "disclosures"):
        for lang in langdata.languages():
            for key, value in langdata.load(topic, lang).items():
                if isinstance(value, list):
                    out += [p for phrase in value for p in expand(phrase)]
                elif isinstance(value, dict) and key == "number_words":
                    out += list(value)
    return out


def _random_text(rng: random.Random, phrases: list[str]) -> str:
    alphabet = "abcdeéèfghiıİſklmnopqrstuvwxyzABCDÉRY0123456789 -’'\n:.,%"
    pieces = []
    for _ in range(rng.randint(1, 10)):
        roll = rng.random()
        if roll < 0.4:
            phrase = rng.choice(phrases)
            pieces.append("".join(c.upper() if rng.random() < 0.2 else c for c in phrase))
        elif roll < 0.6:
            phrase = list(rng.choice(phrases))
            phrase[rng.randrange(len(phrase))] = rng.choice(alphabet)
            pieces.append("".join(phrase))
        else:
            pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))))
    return rng.choice([" ", "  ", "\n", "-", " - ", ""]).join(pieces)


@pytest.mark.parametrize("seed", range(4))
def test_gated_searches_agree_with_full_searches_on_random_text(seed, monkeypatch):
    rng = random.Random(seed)
    phrases = _all_phrases()
    _assert_gates_agree([_random_text(rng, phrases) for _ in range(1500)], monkeypatch)


def test_the_three_phrases_the_old_gates_missed():
    assert statistics.statistic("Le tabac multiplie le risque de cancer du poumon.") == "multiplie le risque"
    assert statistics.statistic("Une activité régulière divise le risque par deux.") == "divise le risque"
    assert statistics.statistic("Cases of measles rose threefold.") == "threefold"
    disclaimer = Prepared("This article does not replace medical care.")
    assert disclosures._snippet(disclosures._DISCLAIMER, disclaimer)


@cache
def _pages() -> list[Path]:
    roots = [SHARED / "corpus" / "pages", SHARED / "benchmarks"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*")
                  if p.name.endswith((".html", ".html.gz")) and "html5lib" not in p.parts)


def test_gated_searches_agree_with_full_searches_on_every_shared_page(monkeypatch):
    pages = _pages()
    if not pages:
        pytest.skip("../shared is not available")
    texts: dict[str, None] = {}  # distinct texts, in order: pages repeat their menus and footers
    for path in pages:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        try:
            page = Page.parse(raw)
        except ValueError:
            continue
        texts.update(dict.fromkeys(block.text for block in page.blocks))
        texts.update(dict.fromkeys(link.text for link in page.links))
        for phrases in (disclosures._SPONSORSHIP, disclosures._COI, disclosures._DISCLAIMER):
            body = page.body_text
            assert disclosures._snippet(phrases, Prepared(body)) == _full_search_near(phrases, body)
        for link in page.links:
            assert citations.is_share(link.url) == bool(citations._SHARE.search(link.url)), link.url
    _assert_gates_agree(list(texts), monkeypatch)


def test_share_link_pre_test_is_read_from_its_pattern():
    rng = random.Random(3)
    literals = citations._SHARE_LITERALS
    assert literals and "twitter.com/" in literals and "/scholar_lookup" in literals
    pieces = [*literals, "intent", "share", "sharer.php", "dialog/feed", "https://", "www.", "Google.fr/", "x.com",
              "/search?q=", "academic.example.org", "?", "&", "K", "ſ", "İ"]
    for _ in range(5000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        assert citations.is_share(url) == bool(citations._SHARE.search(url)), url
    assert citations.is_share("https://academic.example.org/scholar_lookup?title=x")  # any host, as the pattern says


STAT_PAGES = {
    "en": ("""<html lang="en"><head><title>Measles is back</title></head><body><main><h1>Measles is back</h1>
<p>Measles is one of the most contagious diseases known, and vaccination rates have fallen in many countries.</p>
<p>Between 2022 and 2024, cases of measles in Europe rose threefold.</p></main></body></html>""", {"threefold"}),
    "fr": ("""<html lang="fr"><head><title>Tabac et sport</title></head><body><main><h1>Tabac et sport</h1>
<p>Le tabac reste la première cause de décès évitable, devant l'alcool et la sédentarité.</p>
<p>Fumer un paquet par jour multiplie le risque de cancer du poumon.</p>
<p>À l'inverse, une activité physique régulière divise le risque de diabète de type 2.</p></main></body></html>""",
           {"multiplie le risque", "divise le risque"}),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_statistics_in_words_the_old_gates_missed_are_found_on_a_page(lang):
    from scoring import audit_html

    html, figures = STAT_PAGES[lang]
    report = audit_html(html, "https://health.example.org/page")
    assert figures <= {s["figure"] for s in report["facts"]["statistics"]}


DISCLAIMER_PAGES = {
    "en": """<html lang="en"><head><title>Back pain: what helps</title></head><body><main>
<h1>Back pain: what helps</h1><p>Most back pain gets better within a few weeks with gentle activity, heat and
simple pain relief.</p></main><footer><p>This article does not replace medical care.</p></footer></body></html>""",
    "fr": """<html lang="fr"><head><title>Mal de dos : ce qui aide</title></head><body><main>
<h1>Mal de dos : ce qui aide</h1><p>La plupart des douleurs de dos guérissent en quelques semaines avec une activité
douce, de la chaleur et des antalgiques simples.</p></main><footer><p>Ces informations ne remplacent pas une
consultation médicale.</p></footer></body></html>""",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_disclaimer_the_old_gates_missed_is_found_on_a_page(lang):
    from scoring import audit_html

    report = audit_html(DISCLAIMER_PAGES[lang], "https://health.example.org/page")
    assert report["facts"]["disclosures"]["disclaimer"]


def _disclosure_lists():
    from scoring import langdata

    patterns = {"sponsorship": disclosures._SPONSORSHIP, "conflict_of_interest": disclosures._COI,
                "disclaimer": disclosures._DISCLAIMER,
                **{f"{kind}_links": pattern for kind, pattern in disclosures._LINK_KINDS.items()}}
    for key, pattern in patterns.items():
        yield key, [p for phrase in langdata.words("disclosures", key) for p in expand(phrase)], pattern


@pytest.mark.parametrize("seed", range(2))
def test_disclosure_window_searches_agree_with_their_patterns_on_random_text(seed):
    """The disclosure lists are searched by scoring.phrase_windows: in the windows their anchors open, every
    match of the full pattern and nothing else; separators from one to past MAX_SEPARATORS."""
    from scoring.phrase_windows import MAX_SEPARATORS

    rng = random.Random(seed)
    for key, phrases, pattern in _disclosure_lists():
        for _ in range(300):
            text = _random_text(rng, phrases)
            if rng.random() < 0.2:
                text = text.replace(" ", rng.choice([" " * MAX_SEPARATORS, "-" * (MAX_SEPARATORS + 1), " \n "]))
            full = [m.span() for m in pattern.pattern.finditer(text)]
            assert [m.span() for m in pattern.finditer(Prepared(text))] == full, (key, text)
            assert pattern.possible(text) or not full, (key, text)
            assert disclosures._snippet(pattern, Prepared(text)) == _full_search_near(pattern, text), (key, text)


def test_every_disclosure_phrase_is_found_by_its_own_pattern():
    for key, phrases, pattern in _disclosure_lists():
        for phrase in phrases:
            assert pattern.search(f"… {phrase} …"), (key, phrase)
            assert pattern.search(Prepared(f"… {phrase.upper()} …")), (key, phrase)
