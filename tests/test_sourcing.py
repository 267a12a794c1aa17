import json
from pathlib import Path

import pytest

from scoring.facts.sourcing.citations import MAX_CITATIONS
from scoring.facts.sourcing.extract import extract_sourcing
from scoring.facts.sourcing.sites import site_of
from scoring.page.model import Page

FIXTURES = Path(__file__).parent / "fixtures" / "sourcing"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"


def _load(name: str, url: str | None = None) -> dict:
    page = Page.parse((FIXTURES / name).read_bytes(), url)
    return extract_sourcing(page, None)


def _urls(result: dict) -> list[str]:
    return [c["url"] for c in result["citations"]]


# --------------------------------------------------------------------------- sites


def test_site_of_groups_subdomains_of_one_site():
    assert site_of("www.cdc.gov") == site_of("stacks.cdc.gov") == "cdc.gov"
    assert site_of("www.bbc.co.uk") == site_of("news.bbc.co.uk") == "bbc.co.uk"
    # under a public-sector domain many publishers share, a site is a host: PMC citing PubMed cites
    assert site_of("nccih.nih.gov") != site_of("pubmed.ncbi.nlm.nih.gov")
    assert site_of("pmc.ncbi.nlm.nih.gov") != site_of("pubmed.ncbi.nlm.nih.gov")
    assert site_of("www.ema.europa.eu") == site_of("ema.europa.eu") != site_of("ec.europa.eu")
    assert site_of("localhost") == "localhost"


# --------------------------------------------------------------------------- English article with references


@pytest.fixture(scope="module")
def en():
    return _load("en_references.html")


def test_references_section_and_count(en):
    assert en["references_section"] is True
    assert en["references"]["heading"] == "References"
    # the footer's "Sources" list is furniture, not a second section
    assert en["references"]["count"] == 5
    assert en["references"]["sections"] == 1


def test_reference_links_are_classified(en):
    by_url = {c["url"]: c for c in en["citations"]}
    doi = by_url["https://doi.org/10.1016/S0140-6736(21)01330-1"]
    assert doi["kind"] == "doi" and doi["authoritative"] and doi["in_references"]
    pubmed = by_url["https://pubmed.ncbi.nlm.nih.gov/29133354/"]
    assert pubmed["kind"] == "pubmed" and pubmed["in_references"]
    # a "PubMed" link text is replaced by the reference it belongs to
    assert pubmed["text"].startswith("Whelton PK")
    has = [c for c in en["citations"] if "has-sante.fr" in c["url"]]
    assert has and has[0]["kind"] == "guideline" and has[0]["source_name"] == "HAS"
    # fragment dropped
    assert "https://www.who.int/news-room/fact-sheets/detail/hypertension" in by_url


def test_plain_text_doi_and_pmid(en):
    urls = _urls(en)
    assert "https://doi.org/10.1038/s41569-021-00559-8" in urls
    assert "https://pubmed.ncbi.nlm.nih.gov/34050340/" in urls
    # the DOI written as the link text of a doi.org link is the same citation, once
    assert sum("S0140-6736(21)01330-1" in u for u in urls) == 1


def test_inline_citation_cleaned_and_deduplicated(en):
    cdc = [c for c in en["citations"] if "cdc.gov" in c["url"]]
    assert len(cdc) == 1
    assert cdc[0]["url"] == "https://www.cdc.gov/bloodpressure/facts.htm"  # utm_* dropped
    assert cdc[0]["in_references"] is False and cdc[0]["authoritative"]


def test_share_nav_footer_and_internal_links_do_not_count(en):
    urls = " ".join(_urls(en))
    assert "facebook.com" not in urls and "twitter.com" not in urls and "mailto" not in urls
    assert "https://www.who.int/" not in _urls(en)  # the navigation link
    assert "https://www.nih.gov/" not in _urls(en) and "instagram.com" not in urls  # footer furniture
    # same site: www, shop. and stacks. subdomains are internal
    assert "example-health.com" not in urls


def test_statistics_with_citations(en):
    assert en["statistics_total"] == 4
    assert en["statistics_cited"] == 4
    figures = [s["figure"] for s in en["statistics"]]
    assert "45%" in figures and "1.28 billion" in figures and "1 in 5" in figures
    texts = " ".join(s["text"] for s in en["statistics"])
    # blood pressure values, times, phone numbers, prices, addresses and steps are not statistics
    for not_a_statistic in ("130/80", "555-123-4567", "$45", "Step 1", "Step 2"):
        assert not_a_statistic not in texts


def test_blockquote_with_footer_and_prose_quote(en):
    quotes = {q["speaker"]: q for q in en["quotations"]}
    assert "Dr. Jane Roe" in quotes
    assert quotes["Dr. Jane Roe"]["attributed"]
    assert quotes["Dr. Jane Roe"]["text"].startswith("Lowering salt intake")
    assert "Dr. John Smith" in quotes
    # "Know Your Numbers" is a title (≤ 5 words), not a quotation
    assert all("Know Your Numbers" not in q["text"] for q in en["quotations"])
    assert len(en["quotations"]) == 2


def test_weak_sources_in_claims(en):
    weak = {w["url"]: w for w in en["weak_sources"]}
    assert set(weak) == {"https://www.youtube.com/watch?v=abc123XYZ", "https://www.amazon.com/dp/B000TEST01"}
    assert weak["https://www.amazon.com/dp/B000TEST01"]["kind"] == "commercial"
    assert "beetroot" in weak["https://www.youtube.com/watch?v=abc123XYZ"]["context"]


# --------------------------------------------------------------------------- uncited statistics, no page URL


@pytest.fixture(scope="module")
def uncited():
    return _load("en_uncited_statistics.html")


def test_uncited_statistics(uncited):
    assert uncited["statistics_total"] == 6
    assert uncited["statistics_cited"] == 0
    assert all(not s["has_citation"] for s in uncited["statistics"])
    figures = " ".join(s["figure"] for s in uncited["statistics"])
    for expected in ("35%", "twice as", "70 million", "1 in 10", "per 100,000", "40 percent"):
        assert expected in figures


def test_dates_prices_doses_phones_and_promotions_are_not_statistics(uncited):
    texts = " ".join(s["text"] for s in uncited["statistics"])
    for excluded in ("2019", "$120", "$3 million", "10 mg", "(555)", "30-minute", "blackout", "Save 20%",
                     "2 weeks", "18 °C"):
        assert excluded not in texts


def test_without_page_url_links_to_the_site_of_its_menu_are_its_own(uncited):
    urls = _urls(uncited)
    assert "https://www.sleepfoundation.org/insomnia" in urls
    # the menu's "Home" points to example.org: the page's own site, whose tips page is no citation
    assert "https://www.example.org/sleep-tips" not in urls
    assert not any("relative" in u for u in urls)
    assert uncited["references_section"] is False and uncited["references"] is None
    assert uncited["quotations"] == []


def test_with_page_url_same_site_links_are_internal():
    result = _load("en_uncited_statistics.html", "https://blog.example.org/sleep/ten-facts")
    assert _urls(result) == ["https://www.sleepfoundation.org/insomnia"]


# --------------------------------------------------------------------------- French


@pytest.fixture(scope="module")
def fr():
    return _load("fr_citations.html")


def test_french_quotations_attributed(fr):
    assert len(fr["quotations"]) == 2
    first, second = fr["quotations"]
    assert first["attributed"] and first["speaker"] == "Dr Martin"
    # « ... » explique le Dr Martin. « ... » : the second passage continues the first
    assert "retarder" in first["text"]
    # « ..., souligne-t-elle. » : the pronoun refers to the last named speaker
    assert second["attributed"] and second["speaker"] == "Dr Martin"
    # a programme title in guillemets is not a quotation
    assert all("Manger mieux" not in q["text"] for q in fr["quotations"])


def test_french_statistics(fr):
    figures = [s["figure"] for s in fr["statistics"]]
    assert "4 millions" in figures
    assert "Un adulte sur dix" in figures
    assert "multiplié par quatre" in figures
    assert any(f.startswith("Près d") for f in figures)
    assert fr["statistics_cited"] == fr["statistics_total"] == 5  # link, « selon l'OMS », author-year
    texts = " ".join(s["text"] for s in fr["statistics"])
    assert "500 mg" not in texts and "01 23 45" not in texts


def test_french_references_outside_main(fr):
    # the references box sits after the <article>, in a collapsible div
    assert fr["references_section"] is True
    assert fr["references"]["heading"] == "Références bibliographiques"
    assert fr["references"]["count"] == 3
    by_url = {c["url"]: c for c in fr["citations"]}
    assert by_url["https://doi.org/10.2337/dc19-1234"]["in_references"]
    has = [c for c in fr["citations"] if "has-sante.fr" in c["url"]][0]
    assert has["in_references"] and has["authoritative"] and has["kind"] == "guideline"
    who = [c for c in fr["citations"] if "who.int" in c["url"]][0]
    assert who["source_name"] == "WHO / OMS"
    urls = " ".join(_urls(fr))
    assert "sante-exemple.fr" not in urls and "facebook.com" not in urls


def test_citations_are_capped():
    links = "".join(f'<li><a href="https://site{i}.example.com/paper">Paper {i}</a> 2020.</li>' for i in range(400))
    html = (f"<html><body><article><h1>Big review</h1><p>{'Text. ' * 60}</p>"
            f"<h2>References</h2><ol>{links}</ol></article></body></html>")
    result = extract_sourcing(Page.parse(html, "https://www.example.org/review"), "en")
    assert len(result["citations"]) == MAX_CITATIONS
    assert result["citations_total"] == 400
    assert result["references"]["count"] == 400


def test_empty_page():
    result = extract_sourcing(Page.parse("<html><body><p>Hello.</p></body></html>"), None)
    assert result["citations"] == [] and result["statistics"] == [] and result["quotations"] == []
    assert result["references_section"] is False and result["weak_sources"] == []
    assert result["statistics_total"] == result["statistics_cited"] == 0


# --------------------------------------------------------------------------- real corpus

needs_corpus = pytest.mark.skipif(not (CORPUS / "manifest.json").exists(), reason="shared corpus not available")


@pytest.fixture(scope="module")
def corpus():
    if not (CORPUS / "manifest.json").exists():
        pytest.skip("shared corpus not available")
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    results = {}
    for entry in manifest:
        page = Page.parse((CORPUS / entry["file"]).read_bytes(), entry.get("original_url"),
                          entry.get("declared_charset"))
        results[Path(entry["file"]).name.split("-", 1)[0]] = extract_sourcing(page, entry.get("language"))
    return results


@needs_corpus
def test_corpus_runs_and_shapes(corpus):
    for key, result in corpus.items():
        if key.startswith("_"):
            continue
        assert len(result["citations"]) <= MAX_CITATIONS
        assert result["statistics_cited"] <= result["statistics_total"]
        for c in result["citations"]:
            assert c["url"].startswith(("http://", "https://")) and "#" not in c["url"]
            assert set(c) == {"url", "text", "kind", "authoritative", "in_references", "source_name"}
        for q in result["quotations"]:
            assert q["text"] and (q["attributed"] or q["speaker"] is None)


@needs_corpus
def test_corpus_pmc_article_references(corpus):
    pmc = corpus["018"]
    assert pmc["references_section"] and pmc["references"]["heading"] == "References"
    assert pmc["references"]["count"] == 37
    scholarly = [c for c in pmc["citations"] if c["in_references"] and c["kind"] in ("pubmed", "doi")]
    assert len(scholarly) >= 30
    # in-text [12] markers cite its statistics
    assert pmc["statistics_total"] >= 3 and pmc["statistics_cited"] == pmc["statistics_total"]


@needs_corpus
def test_corpus_journal_reference_lists(corpus):
    assert corpus["016"]["references"]["count"] == 87  # Springer
    assert corpus["017"]["references"]["count"] == 42  # Annals (ACP)
    nccih = corpus["023"]["references"]  # "Key References" + "Other References"
    assert nccih["heading"] == "Key References" and nccih["sections"] == 2


@needs_corpus
def test_corpus_healthline_cites_authoritative_sources(corpus):
    for key in ("001", "004"):  # sources in the collapsible "How we reviewed this article" box
        result = corpus[key]
        assert result["references_section"]
        assert sum(c["authoritative"] and c["in_references"] for c in result["citations"]) >= 10
    for key in ("002", "003"):  # older pages: studies linked inline
        result = corpus[key]
        assert sum(c["authoritative"] and not c["in_references"] for c in result["citations"]) >= 15
        assert result["statistics_total"] >= 10 and result["statistics_cited"] == result["statistics_total"]


@needs_corpus
def test_corpus_other_reference_sections(corpus):
    assert corpus["030"]["references"] == {"heading": "References", "count": 2, "sections": 1}
    assert corpus["056"]["references"]["heading"] == "Article Sources"  # Investopedia, inside broken markup
    assert corpus["031"]["references_section"]  # KFF footnotes
    assert not corpus["022"]["references_section"]  # CDC "Sources" box: share buttons and a content owner


@needs_corpus
def test_corpus_recipes_have_no_sources(corpus):
    for key in ("049", "050", "051", "052"):
        result = corpus[key]
        assert not result["references_section"]
        assert not any(c["authoritative"] for c in result["citations"])
        assert result["statistics_total"] == 0


@needs_corpus
def test_corpus_quotations(corpus):
    speakers = {q["speaker"] for q in corpus["011"]["quotations"]}  # WebMD: "..." says Eric Biondi, MD
    assert {"Eric Biondi", "Coombes"} <= speakers
    figaro = corpus["039"]  # « ... », rappelle ainsi Olivier Panisset, naturopathe
    assert "Olivier Panisset" in {q["speaker"] for q in figaro["quotations"]}
    assert any(s["figure"] == "90 %" for s in figaro["statistics"])
    kff = corpus["031"]
    assert kff["statistics_total"] >= 30 and kff["statistics_cited"] * 2 > kff["statistics_total"]


def test_pull_quote_counts_once_and_q_element():
    html = """<html><body><article><h1>Sleep and memory</h1>
    <p>Researchers tested 120 volunteers over two weeks in a sleep laboratory near the university campus.
    "Deep sleep is when the brain files away what it learned during the day," said Dr. Ana Lopez, who led the study.</p>
    <blockquote class="pullquote">
      <p>Deep sleep is when the brain files away what it learned during the day.</p>
    </blockquote>
    <p>Her colleague put it simply: <q>a short nap cannot replace a full night of rest</q>, he told reporters.</p>
    <p>Poor sleepers forgot 40% more words by the next morning [3], a result in line with Walker (2017).</p>
    <p>People who slept less than six hours were 30% more likely to catch a cold.</p>
    </article></body></html>"""
    result = extract_sourcing(Page.parse(html, "https://news.example.com/sleep"), "en")
    texts = [q["text"] for q in result["quotations"]]
    assert sum("Deep sleep is when the brain" in t for t in texts) == 1
    deep = next(q for q in result["quotations"] if "Deep sleep" in q["text"])
    assert deep["attributed"] and deep["speaker"] == "Dr. Ana Lopez"
    nap = next(q for q in result["quotations"] if "short nap" in q["text"])
    assert nap["attributed"]
    cited = {s["figure"]: s["has_citation"] for s in result["statistics"]}
    assert cited["40%"] is True  # [3] marker and an author-year citation
    assert cited["30%"] is False
    assert cited["120 volunteers"] is False


@pytest.mark.parametrize("url", [
    "https://doi.org/10.7759/cureus.33475", "https://doi.org/10.1000%2Fabc", "https://doi.org/",
    "https://link.springer.com/article/10.1007/s11926-017-0626-z/fulltext",
    "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0123456",
    "https://pubmed.ncbi.nlm.nih.gov/33397132/", "https://www.ncbi.nlm.nih.gov/pubmed/?term=33397132",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/pmc123/", "https://pmc.ncbi.nlm.nih.gov/articles/PMC9902068/",
    "https://www.ncbi.nlm.nih.gov/entrez/query.fcgi?db=pubmed&list_uids=123",
    "https://europepmc.org/article/MED/12345", "https://europepmc.org/article/PMC/PMC123",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/10.1000/xyz", "https://example.com/PMC123?doi=10.1000/x",
    "https://www.cdc.gov/nutrition/", "not a url", "", "mailto:a@b.c", "https://[::1]/10.1000/x",
])
def test_ids_from_url_parses_once_and_agrees(url):
    from scoring.facts.sourcing.sources import doi_from_url, ids_from_url, pmcid_from_url, pmid_from_url
    assert ids_from_url(url) == (doi_from_url(url), pmid_from_url(url), pmcid_from_url(url))


def _pattern_heads(items: list, n: int = 2) -> set[str]:
    """The first n characters (lower case) a match of a parsed pattern can start with."""
    from re import _constants as c  # the parse tree of a pattern: private, but stable since 3.11

    if n == 0:
        return {""}
    assert items, "the pattern can match fewer than n characters"
    (op, av), rest = items[0], list(items[1:])
    if op is c.AT:  # \b
        return _pattern_heads(rest, n)
    if op is c.SUBPATTERN:
        return _pattern_heads(list(av[3]) + rest, n)
    if op is c.BRANCH:
        return set().union(*(_pattern_heads(list(alt) + rest, n) for alt in av[1]))
    if op is c.LITERAL:
        chars = {chr(av)}
    elif op is c.IN:
        assert all(o in (c.LITERAL, c.RANGE) for o, _ in av), av
        chars = {chr(a) for o, a in av if o is c.LITERAL}
        chars |= {chr(x) for o, a in av if o is c.RANGE for x in range(a[0], a[1] + 1)}
    else:
        raise AssertionError(f"cannot tell how {op} starts")
    return {ch.lower() + tail for ch in chars for tail in _pattern_heads(rest, n - 1)}


def test_word_statistics_are_tried_at_every_word_that_can_start_one():
    from re import _parser

    from scoring.facts.sourcing.statistics import _WORD_STAT, _WORD_STAT_HEADS, _word_stat_matches

    assert _pattern_heads(list(_parser.parse(_WORD_STAT.pattern, _WORD_STAT.flags))) <= _WORD_STAT_HEADS
    for text in ("Smokers are TWO to three times more likely; one in five adults, about a third of them.",
                 "Le risque est multiplié par deux : près d’un quart des cas, la moitié des patients.",
                 "Das Risiko ist doppelt so hoch, einmal mehr als zwei von zehn. Repeat 3 times the dose.",
                 "İn ſeven of ten cases the rate doubled: halves the risk, ten-fold, for every thousand."):
        expected = [(m.span(), m.lastgroup) for m in _WORD_STAT.finditer(text)]
        assert expected
        assert [(m.span(), m.lastgroup) for m in _word_stat_matches(text)] == expected


def test_number_pattern_matches_as_the_plain_alternation():
    import random
    import re

    from scoring.facts.sourcing.statistics import _NUMBER

    plain = re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d,.])|\d+(?:[.,]\d+)*")
    rnd = random.Random(7)
    for _ in range(5000):
        text = "".join(rnd.choice("0123456789 ,.\u00a0\u202fa%-") for _ in range(rnd.randint(0, 30)))
        assert [m.span() for m in _NUMBER.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize(("text", "figure"), [
    ("The difference was significant (p < 0.05) in the trial.", "p < 0.05"),
    ("The odds ratio was OR = 1.45 for smokers.", "OR = 1.45"),
    ("Rates reached 12 per 100,000 adults.", "per 100,000"),
    ("Rates reached 12 per 100,000 g of food.", None),
    ("A 3-fold rise in cases.", "3-fold"),
    ("Some 2,500 patients were enrolled.", "2,500 patients"),
    ("Some 5 patients were enrolled.", None),
    ("3 out of 4 doctors agree.", "3 out of 4"),
    ("Repeat 3 times more slowly.", None),
    ("It rose 4 times more than expected.", "4 times more"),
    ("Prices fell 20% off.", None),
    ("Sales of 2 million units.", "2 million"),
    ("About 100 % of them.", "100 %"),
    ("In 2019, 2 in 2021 cases.", None),
])
def test_figure_of_each_kind(text, figure):
    from scoring.facts.sourcing.statistics import statistic

    assert statistic(text) == figure


def test_quoted_pattern_matches_as_with_the_look_behind_first():
    import random
    import re

    from scoring.facts.sourcing.quotations import _QUOTED

    plain = re.compile(r"“(?P<a>[^“”]{8,1200}?)”|«\s*(?P<b>[^«»]{8,1200}?)\s*»|„(?P<c>[^„“”]{8,1200}?)[“”]"
                       r"|(?<![\w\"])\"(?P<d>[^\"]{8,1200}?)\"(?![\w\"])")
    rnd = random.Random(11)
    for _ in range(5000):
        text = "".join(rnd.choice(['"', "“", "”", "«", "»", "„", "a", " ", "word ", "x", ".", "_"])
                       for _ in range(rnd.randint(0, 40)))
        assert [(m.span(), m.groups()) for m in _QUOTED.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], text
