import gzip
import json
import random
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from scoring.facts.dates import labels
from scoring.facts.dates.extract import extract_dates
from scoring.facts.dates.labels import LABEL_PHRASES, find_label
from scoring.facts.dates.text import parse_date, to_iso_date
from scoring.markup.structured import extract_structured
from scoring.page.index import TextIndex
from scoring.page.model import Page

FIXTURES = Path(__file__).parent / "fixtures" / "dates"
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
BENCHMARKS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
TODAY = date(2026, 6, 1)
PAGE_TYPES = ("MedicalWebPage", "NewsArticle", "BlogPosting", "ScholarlyArticle", "Article", "WebPage")


def page_node(data):
    for name in PAGE_TYPES:
        nodes = data.of_type(name)
        if nodes:
            return nodes[0]
    return None


def dates_of(html: str | bytes, url: str | None = None, **kwargs) -> dict:
    page = Page.parse(html, url)
    data = extract_structured(page.root, page.url)
    kwargs.setdefault("today", TODAY)
    return extract_dates(page, page_node(data), **kwargs)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def kinds(result: dict) -> list[tuple[str, str]]:
    return [(v["kind"], v["date"]) for v in result["visible"]]


# ------------------------------------------------------------------ to_iso_date

@pytest.mark.parametrize("value, expected", [
    ("2023-03-03", "2023-03-03"),
    ("2019-06-13T07:00:00.000Z", "2019-06-13T07:00:00+00:00"),
    ("2023-07-01T00:00:00-0400", "2023-07-01T00:00:00-04:00"),
    ("2021-11-01T08:00:00", "2021-11-01"),  # a time without a zone is not kept
    ("2024-03-01 05:00:00", "2024-03-01"),
    ("2017-04-26T08:00:00.0000000Z-05:00", "2017-04-26T08:00:00+00:00"),
    ("March 3, 2023", "2023-03-03"),
    ("Mar. 3, 2023", "2023-03-03"),
    ("Dec. 18, 2025", "2025-12-18"),
    ("Sept. 5, 2023", "2023-09-05"),
    ("3 March 2023", "2023-03-03"),
    ("12 Jan 2026", "2026-01-12"),
    ("Thu 27 Jul 2017", "2017-07-27"),
    ("3 mars 2023", "2023-03-03"),
    ("1er mars 2023", "2023-03-01"),
    ("18 juil. 2024 à 08:01", "2024-07-18"),
    ("30 août 2023", "2023-08-30"),
    ("21. April 2020", "2020-04-21"),
    ("12.03.2023", "2023-03-12"),
    ("27.1.2022", "2022-01-27"),
    ("03/12/2023", "2023-03-12"),  # month first by default
    ("13/03/2023", "2023-03-13"),  # the day cannot be 13th month
    ("Thu, 09/25/2025 - 11:38", "2025-09-25"),
    ("2017/01/30", "2017-01-30"),
    ("2023 Jan 7", "2023-01-07"),
    ("20170113", "2017-01-13"),
    ("8 Apr 2022, 1:46 p.m.", "2022-04-08"),
    ("April 2017", "2017-04-01"),
    (["not a date", "2024-02-06"], "2024-02-06"),
    (date(2020, 5, 1), "2020-05-01"),
])
def test_to_iso_date_formats(value, expected):
    assert to_iso_date(value, today=TODAY) == expected


def test_to_iso_date_day_first():
    assert to_iso_date("03/12/2023", day_first=True, today=TODAY) == "2023-12-03"
    assert to_iso_date("03-09-2026", today=TODAY) == "2026-03-09"


@pytest.mark.parametrize("value", [
    "", None, "2013",  # a bare year is not a date
    "February 30, 2023", "2023-13-01", "31/31/2023",  # impossible
    "June 3, 1994",  # before 1995
    "2026-06-05",  # in the future (today is 2026-06-01 here)
    "le 12/02 à 11:30",  # no year
    "1 day ago", "il y a 2 jours",  # relative dates are not read
])
def test_to_iso_date_rejects(value):
    assert to_iso_date(value, today=TODAY) is None


def test_future_allowed_on_request_and_precision():
    assert to_iso_date("2099-01-01", today=TODAY, allow_future=True) == "2099-01-01"
    assert parse_date("Last reviewed January 2023", today=TODAY) == ("2023-01-01", "month")
    assert parse_date("2023-07-01T00:00:00-04:00", today=TODAY)[1] == "time"
    assert parse_date("March 3, 2023", today=TODAY)[1] == "day"


# ------------------------------------------------------------------ fixtures


def test_english_byline_meta_time_and_review():
    result = dates_of(fixture("en_health_article.html"), "https://health.example.com/iron-deficiency")
    assert result["date_published"] == "2021-05-04T09:30:00-04:00"  # meta beats <time>
    assert result["date_modified"] == "2025-12-18"
    assert result["last_reviewed"] == "2023-03-03"
    assert result["sources"] == {"date_published": "meta", "date_modified": "visible",
                                 "last_reviewed": "visible"}
    # not read: the nav, the prose ("published online Feb. 16, 2023"), a source's date after a
    # reference, the related-articles sidebar and the site footer
    assert kinds(result) == [("updated", "2025-12-18"), ("published", "2021-05-04"),
                             ("reviewed", "2023-03-03")]
    first = result["visible"][0]
    assert first["label"] == "Updated on" and first["text"] == "Updated on Dec. 18, 2025"


def test_labelled_time_element_without_meta():
    html = fixture("en_health_article.html").replace(
        '<meta property="article:published_time" content="2021-05-04T09:30:00-04:00">', "")
    result = dates_of(html)
    assert result["date_published"] == "2021-05-04"
    assert result["sources"]["date_published"] == "time"


@pytest.mark.parametrize("body, expected", [
    # the article's own footer holds its dates; the site footer, navigation and asides do not
    ("<article><p>Text.</p><footer>Updated on March 3, 2024</footer></article>", [("updated", "2024-03-03")]),
    ("<article><p>Text.</p></article><footer>Updated on March 3, 2024</footer>", []),
    ("<nav>Updated on March 3, 2024</nav><article><p>Text.</p></article>", []),
    ("<article><aside>Published March 3, 2024</aside><p>Text.</p></article>", []),
    # a label inside a link belongs to another page
    ('<article><a href="/other">Updated on March 3, 2024</a><p>Text.</p></article>', []),
    # the date in the next text node, past a hidden one; the date in the text node before the label
    ("<article><p><span>Updated on</span><button>Share</button><b>March 3, 2024</b></p></article>",
     [("updated", "2024-03-03")]),
    ("<article><p><b>March 3, 2024</b><span>| Updated</span></p></article>", [("updated", "2024-03-03")]),
])
def test_where_visible_dates_are_read(body: str, expected: list) -> None:
    assert kinds(dates_of(f'<html lang="en"><body>{body}</body></html>', use_htmldate=False)) == expected


@pytest.mark.parametrize("lang, line, expected", [
    # a byline line whose second sentence is the date label
    ("en", "By Dr Jane Roe, pulmonologist. Published March 3, 2024.", [("published", "2024-03-03")]),
    ("fr", "Par le Dr Jean Martin, pneumologue. Publié le 3 mars 2024.", [("published", "2024-03-03")]),
    ("fr", "Par Marie Dupont. Mis à jour le 4 avril 2025.", [("updated", "2025-04-04")]),
    # prose: a label word opening a later sentence of a paragraph is not the page's date
    ("en", "The trial ended in 2019. Published in The Lancet, it showed that inhaled steroids cut the number of "
           "severe attacks by half in adults. Updated guidance followed two years later, in March 2021.", []),
    # a label inside a sentence is no label
    ("en", "By Jane Roe, who published March 3, 2024 data.", []),
    # a separated part of the line, however far in; a label followed by a name gives way to a later one
    ("fr", "Rédigé par Camille Roux | Validé par le Dr Jean Martin, médecin généraliste | Mis à jour le 12 mars 2024",
     [("updated", "2024-03-12")]),
    ("en", "By the Example Health Editorial Team · Published May 14, 2023", [("published", "2023-05-14")]),
    ("es", "Por Ana Ruiz | Revisado médicamente por la Dra. Marta Gil | Actualizado el 3 de marzo de 2024",
     [("updated", "2024-03-03")]),
    ("fr", "Écrit par Yann Le Bris, journaliste santé · Mis en ligne le 18.01.2024", [("published", "2024-01-18")]),
    # the connector before the date, not a particle of the name
    ("fr", "Relu par le Pr Hervé Le Guen, cardiologue, le 4 février 2024.", [("reviewed", "2024-02-04")]),
    # a month in figures after a label; a leaflet's last revision; a French document's revision is an update
    ("en", "Last reviewed: 03/2024", [("reviewed", "2024-03-01")]),
    ("de", "Stand: 02.2024", [("updated", "2024-02-01")]),
    ("en", "This leaflet was last revised in November 2023.", [("updated", "2023-11-01")]),
    ("fr", "Date de dernière révision : 02/2024", [("updated", "2024-02-01")]),
    ("fr", "Dernière révision médicale : 5 mars 2024", [("reviewed", "2024-03-05")]),
    ("fr", "Dernière mise à jour de la notice : 18/07/2023", [("updated", "2023-07-18")]),
    ("en", "Original: Aug. 2, 2022", [("published", "2022-08-02")]),
    # a hyphen inside a name or a date is no separator
    ("fr", "Par Jean-Paul Roux-Martin, diététicien-nutritionniste chez Example Santé, publié", []),
])
def test_a_date_label_opening_a_later_part_of_a_byline(lang: str, line: str, expected: list) -> None:
    html = f'<html lang="{lang}"><body><article><h1>Asthma</h1><p>{line}</p><p>Asthma is a long-term disease of ' \
           f'the airways that affects many people.</p></article></body></html>'
    assert kinds(dates_of(html, use_htmldate=False)) == expected


def test_time_element_classified_by_class():
    html = """<html lang="en"><body><article><h1>Title</h1>
      <div class="post-meta"><time class="entry-date published" datetime="2022-10-05T08:00:00+02:00">Oct 5</time>
      <time class="updated" datetime="2023-01-09T10:00:00+01:00">Jan 9</time></div>
      <p>Text of the article, long enough to be the main content of this small page.</p></article>
      <ul class="list"><li><a href="/other"><time datetime="2024-01-01">Jan 1</time> Other story</a></li></ul>
      </body></html>"""
    result = dates_of(html)
    assert result["date_published"] == "2022-10-05T08:00:00+02:00"
    assert result["date_modified"] == "2023-01-09T10:00:00+01:00"
    assert result["sources"] == {"date_published": "time", "date_modified": "time"}
    assert result["last_reviewed"] is None


def test_french_labels_day_first():
    result = dates_of(fixture("fr_article.html"), "https://sante.example.fr/carence-fer")
    assert result["date_published"] == "2023-02-03"  # 03/02/2023 read day first
    assert result["date_modified"] == "2024-03-12"
    assert result["last_reviewed"] == "2024-03-01"  # "Relu et validé par le Dr … le 1er mars 2024"
    assert result["sources"] == {"date_published": "visible", "date_modified": "visible",
                                 "last_reviewed": "visible"}
    assert kinds(result) == [("published", "2023-02-03"), ("updated", "2024-03-12"),
                             ("reviewed", "2024-03-01")]


def test_french_label_on_english_page_is_day_first():
    html = '<html lang="en"><body><main><p>Publié le 03/02/2023</p><p>Some text here.</p></main></body></html>'
    assert dates_of(html)["date_published"] == "2023-02-03"


def test_german_labels():
    html = """<html lang="de"><body><main><h1>Paxlovid</h1><p>Veröffentlicht am 21. April 2020</p>
      <p>Letzte Aktualisierung: 28.01.2022</p>
      <ul><li>Fachinformation Paxlovid <a href="https://example.org/fi">PDF</a> (Stand: 27.1.2022)</li></ul>
      </main></body></html>"""
    result = dates_of(html)
    assert result["date_published"] == "2020-04-21"
    assert result["date_modified"] == "2022-01-28"
    assert kinds(result) == [("published", "2020-04-21"), ("updated", "2022-01-28")]


def test_next_review_is_not_last_reviewed():
    result = dates_of(fixture("en_gb_review.html"))
    assert result["last_reviewed"] == "2023-03-04"  # en-GB: day first
    assert ("next_review", "2099-03-04") in kinds(result)
    only_next = fixture("en_gb_review.html").replace("Page last reviewed: 04/03/2023<br>", "")
    result = dates_of(only_next)
    assert result["last_reviewed"] is None
    assert kinds(result) == [("next_review", "2099-03-04")]


def test_jsonld_dates_and_future_dates_ignored():
    result = dates_of(fixture("jsonld_dates.html"))
    # datePublished 2099-01-01 is in the future: the meta tag is used instead
    assert result["date_published"] == "2019-11-14T08:00:00+00:00"
    assert result["date_modified"] == "2024-02-06T15:21:22+00:00"  # first of a list, fraction dropped
    assert result["last_reviewed"] == "2024-01-15"
    assert result["sources"] == {"date_published": "meta", "date_modified": "markup",
                                 "last_reviewed": "markup"}
    assert result["visible"] == []  # "Updated on March 7, 2099" is in the future
    assert result["precision"] == {"date_published": "time", "date_modified": "time", "last_reviewed": "day"}


def test_nothing_is_copied_between_fields():
    html = """<html lang="en"><head><meta property="article:published_time" content="2020-02-02"></head>
      <body><main><p>Published on February 2, 2020</p><p>Medically reviewed by Dr. Ann Lee</p></main></body></html>"""
    result = dates_of(html, use_htmldate=False)
    assert result["date_published"] == "2020-02-02"
    assert result["date_modified"] is None
    assert result["last_reviewed"] is None


def test_reviewed_by_name_on_date():
    html = """<html lang="en"><body><main><h1>Flu</h1>
      <p>Medically Reviewed by Hansa D. Bhargava, MD on March 03, 2020</p></main></body></html>"""
    result = dates_of(html)
    assert result["last_reviewed"] == "2020-03-03"
    assert result["visible"][0]["kind"] == "reviewed"


def test_news_dateline():
    result = dates_of(fixture("en_news_dateline.html"))
    assert result["date_published"] == "2015-02-23"
    assert result["sources"]["date_published"] == "visible"
    assert result["visible"][0]["label"] is None and result["visible"][0]["where"] == "dateline"
    assert result["last_reviewed"] is None  # "Reviewed by <name>" carries no date


def test_the_update_date_the_page_shows_beats_the_markup_s():
    node = '{"@context":"https://schema.org","@type":"Article","dateModified":"2025-01-10T23:05:10+01:00"}'
    html = (f'<html lang="fr"><head><script type="application/ld+json">{node}</script></head><body><article>'
            '<h1>Apnée</h1><p>Publié le 4 juin 2023 · Mis à jour le 9 octobre 2024</p></article></body></html>')
    assert dates_of(html, use_htmldate=False)["date_modified"] == "2024-10-09"
    same_day = html.replace("9 octobre 2024", "10 janvier 2025")
    assert dates_of(same_day, use_htmldate=False)["date_modified"] == "2025-01-10T23:05:10+01:00"
    same_month = html.replace("Mis à jour le 9 octobre 2024", "Mis à jour : janvier 2025")
    assert dates_of(same_month, use_htmldate=False)["date_modified"] == "2025-01-10T23:05:10+01:00"


@pytest.mark.parametrize(("line", "expected"), [
    ("Par Hugo Lemaire | 4 min de lecture | 12.03.2024", "2024-03-12"),  # the date's own part of the line
    ("Par Hugo Lemaire, journaliste au service santé depuis 2010, le 12.03.2024", None),  # too many words beside
])
def test_an_unlabelled_date_in_a_separated_byline_line(line: str, expected: str | None) -> None:
    html = (f'<html lang="fr"><body><article><h1>Sommeil</h1><p>{line}</p><p>'
            + "Les adolescents dorment moins. " * 10 + '</p></article></body></html>')
    assert dates_of(html, use_htmldate=False)["date_published"] == expected


def test_htmldate_does_not_read_a_labelled_day_the_other_way_round():
    html = ('<html lang="en-US"><body><main><h1>Atrial fibrillation</h1><p>' + "An irregular heart rhythm. " * 20 +
            '</p><p>Last updated: 6/12/2023</p></main></body></html>')
    result = dates_of(html)
    assert (result["date_published"], result["date_modified"]) == (None, "2023-06-12")


def test_htmldate_fallback_leaves_the_tree_alone():
    # the date sits after the article, away from the headline: only htmldate reads it
    html = """<html lang="en"><head><title>Sleep training</title></head><body><main>
      <h1>A parent's guide to sleep training</h1>
      <p>Sleep training helps babies learn to fall asleep on their own, and parents often ask when it is best to
      start and which method suits their family.</p>
      <p>Most paediatricians suggest waiting until a baby is four to six months old, when night feeds drop and a
      regular rhythm of naps appears.</p>
      <p>Written by Angela Holliday-Bell, MD</p><p class="date">May 25, 2023</p></main></body></html>"""
    page = Page.parse(html)
    before = etree.tostring(page.root)
    result = extract_dates(page, None, today=TODAY)
    assert etree.tostring(page.root) == before
    assert result["date_published"] == "2023-05-25"
    assert result["sources"] == {"date_published": "htmldate"}
    assert extract_dates(page, None, today=TODAY, use_htmldate=False)["date_published"] is None


def test_empty_page():
    result = dates_of("<html><body><p>Hello</p></body></html>")
    assert result == {"date_published": None, "date_modified": None, "last_reviewed": None,
                      "visible": [], "sources": {}, "precision": {}}


# ------------------------------------------------------------------ the real corpus

# Checked by reading each page.
KNOWN = {
    "001-healthline-50-super-healthy-foods.html": {
        "date_published": "2019-06-13T07:00:00+00:00", "date_modified": "2023-06-27T00:00:00+00:00",
        "last_reviewed": "2023-06-27T00:00:00+00:00",
        "visible": [("updated", "2023-06-27"), ("reviewed", "2023-06-27")]},
    "004-healthline-plant-based-diet-guide.html": {
        "date_published": "2018-06-12T07:00:00+00:00", "date_modified": "2025-03-07"},
    "006-onmeda-paxlovid-de.html": {  # the "(Stand: …)" of its references are not the page's
        "last_reviewed": "2022-01-28T00:00:00+01:00", "visible": [("updated", "2022-01-28")]},
    "010-webmd-peanut-allergy-babies.html": {"date_published": "2015-02-23", "last_reviewed": None},
    "011-webmd-superbugs.html": {"date_published": "2015-04-17"},
    "014-clinicaltrials-gov-nct03746262.html": {"date_published": "2018-11-19", "date_modified": "2018-11-21"},
    "021-harvard-nutritionsource-healthy-eating-plate.html": {
        "date_modified": "2025-08-05T16:06:56-04:00", "last_reviewed": "2023-01-01"},
    "025-hrsa-oral-health.html": {"last_reviewed": "2025-04-14T12:00:00+00:00"},
    "026-patient-info-weight-loss-habits.html": {
        "date_published": "2024-09-03", "date_modified": "2026-01-12", "last_reviewed": None,
        "visible": [("updated", "2026-01-12"), ("next_review", "2029-01-11"), ("published", "2024-09-03")]},
    "037-gelbe-liste-chininum-salicylicum-de.html": {"date_modified": "2021-11-01"},
    "040-ansm-notice-tadalafil-teva-fr.html": {"date_modified": "2018-01-22"},
    "053-lemonde-politique-fr.html": {"visible": [("published", "2023-08-30"), ("updated", "2023-08-30")]},
    "054-lesechos-voitures-neuves-fr.html": {
        "date_published": "2024-07-18T08:01:58+02:00", "date_modified": "2024-07-18T09:06:30+02:00"},
}


@pytest.fixture(scope="module")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    results = {}
    for entry in manifest:
        page = Page.parse((CORPUS / entry["file"]).read_bytes(), entry.get("original_url"))
        data = extract_structured(page.root, page.url)
        before = etree.tostring(page.root)
        results[Path(entry["file"]).name] = extract_dates(page, page_node(data))
        assert etree.tostring(page.root) == before, entry["file"]
    return results


def test_corpus_runs_and_is_well_formed(corpus):
    assert len(corpus) >= 50
    for name, result in corpus.items():
        for field in ("date_published", "date_modified", "last_reviewed"):
            value = result[field]
            if value is not None:
                assert date.fromisoformat(value[:10]) <= date.today(), (name, field)
                assert result["sources"][field] in ("markup", "meta", "time", "visible", "headline", "url",
                                                   "htmldate")
        for entry in result["visible"]:
            assert set(entry) - {"where"} == {"label", "kind", "date", "text"}  # where: an unlabelled date's place
            assert entry["kind"] in ("published", "updated", "reviewed", "next_review")


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_corpus_known_dates(corpus, name):
    result = corpus[name]
    for field, expected in KNOWN[name].items():
        if field == "visible":
            assert kinds(result) == expected
        else:
            assert result[field] == expected, field


# ------------------------------------------------------------------ issue 11: dates on pages never seen

EN_TEXT = ("<p>Iron deficiency is the most common nutritional deficiency in the world. It mostly affects women and "
           "young children, who need more iron than other people do.</p>"
           "<p>Tiredness, pale skin and shortness of breath are its usual signs; a blood test confirms it.</p>")
FR_TEXT = ("<p>La carence en fer est la carence nutritionnelle la plus fréquente au monde. Elle touche surtout les "
           "femmes et les jeunes enfants, qui ont besoin de plus de fer que les autres.</p>"
           "<p>La fatigue, la pâleur et l'essoufflement en sont les signes habituels ; une prise de sang la "
           "confirme.</p>")


def en_page(article: str, head: str = "", before: str = "", after: str = "", lang: str = "en-US") -> str:
    return (f'<html lang="{lang}"><head><title>Iron deficiency</title>{head}</head><body>{before}<main><article>'
            f"<h1>Iron deficiency: signs and treatment</h1>{article}</article></main>{after}</body></html>")


def fr_page(article: str, head: str = "", before: str = "", after: str = "", lang: str = "fr") -> str:
    return (f'<html lang="{lang}"><head><title>Carence en fer</title>{head}</head><body>{before}<main><article>'
            f"<h1>Carence en fer : signes et traitement</h1>{article}</article></main>{after}</body></html>")


@pytest.mark.parametrize("html", [
    en_page(EN_TEXT, after='<footer><p class="updated">Last updated on May 5, 2024.</p></footer>'),
    fr_page(FR_TEXT, after='<footer><p class="maj">Dernière mise à jour le 5 mai 2024.</p></footer>'),
])
def test_an_update_date_is_never_the_publication_date(html):
    # the site footer's update line is not the article's, and htmldate's reading of it as a publication is dropped
    result = dates_of(html)
    assert result["date_published"] is None
    assert result["date_modified"] is None


@pytest.mark.parametrize("html, published, modified", [
    (en_page("<p>Article Date: 03/04/2020</p>" + EN_TEXT), "2020-03-04", None),  # en-US: month first
    (fr_page("<p>Date de l'article : 03/04/2020</p>" + FR_TEXT), "2020-04-03", None),
    (en_page(EN_TEXT + "<p>This page last modified on 5 May 2021</p>"), None, "2021-05-05"),
    (fr_page(FR_TEXT + "<p>Cette page a été modifiée le 5 mai 2021</p>"), None, "2021-05-05"),
])
def test_labels_unseen_before(html, published, modified):
    result = dates_of(html, use_htmldate=False)
    assert (result["date_published"], result["date_modified"]) == (published, modified)
    assert set(result["sources"].values()) == {"visible"}


@pytest.mark.parametrize("html", [
    en_page('<p class="meta">March 3, 2020 | Updated: May 5, 2021</p>' + EN_TEXT),
    fr_page('<p class="meta">3 mars 2020 | Mis à jour : 5 mai 2021</p>' + FR_TEXT),
    en_page('<div class="meta"><span>By Jane Roe</span> <span>Updated:</span> <span>May 5, 2021</span> '
            '<span>March 3, 2020</span></div>' + EN_TEXT),
    fr_page('<div class="meta"><span>Par Jeanne Roux</span> <span>Mis à jour :</span> <span>5 mai 2021</span> '
            '<span>3 mars 2020</span></div>' + FR_TEXT),
])
def test_update_label_beside_the_publication_date(html):
    result = dates_of(html)
    assert result["date_published"] == "2020-03-03"
    assert result["date_modified"] == "2021-05-05"
    assert result["sources"] == {"date_published": "headline", "date_modified": "visible"}


@pytest.mark.parametrize("html, expected", [
    # a syndicated byline: source, date and author on one line, no label
    (en_page('<div class="byline">Health Daily 9/21/2016 Jane Roe</div>' + EN_TEXT), "2016-09-21"),
    (fr_page('<div class="signature">Le Quotidien Santé 09/10/2016 Jeanne Roux</div>' + FR_TEXT), "2016-10-09"),
])
def test_numeric_date_on_the_byline_line(html, expected):
    result = dates_of(html)
    assert result["date_published"] == expected
    assert result["sources"] == {"date_published": "headline"}
    assert result["visible"][0]["kind"] == "published"


@pytest.mark.parametrize("html", [
    en_page("<p>By Jane Roe</p><p>March 3, 2020</p>" + EN_TEXT,
            before='<header class="site-header"><span class="date">Monday, June 1, 2026</span>'
                   '<a href="/">Health News</a></header>'),
    fr_page("<p>Par Jeanne Roux</p><p>3 mars 2020</p>" + FR_TEXT,
            before='<header class="site-header"><span class="date">Lundi 1 juin 2026</span>'
                   '<a href="/">Santé Info</a></header>'),
])
def test_the_site_header_date_is_the_visit_day_not_the_post_date(html):
    assert dates_of(html)["date_published"] == "2020-03-03"


PRODUCT_EN = """<html lang="en-US"><head><title>Iron tablets 65 mg</title>
  <meta property="og:image" content="https://shop.example.com/uploads/2021/03/iron.jpg"></head><body>
  <header><a href="/">Pharmacy</a></header><main><h1>Iron tablets 65 mg, 100 tablets</h1>
  <p>Price: $12.99. In stock.</p><p>Iron supplements treat iron deficiency anaemia. Take one tablet a day with food,
  or as your doctor tells you. Do not take more than the recommended dose.</p>
  <div class="customer-reviews"><h2>Customer reviews</h2><div class="review"><p>No stomach upset.</p>
  <p>Anna, March 3, 2024</p></div><div class="review"><p>Works well.</p><span class="review-date">12/02/2023</span>
  </div></div></main><footer>© 2019 Pharmacy Inc.</footer></body></html>"""
PRODUCT_FR = """<html lang="fr"><head><title>Fer 65 mg</title>
  <meta property="og:image" content="https://pharma.example.fr/uploads/2021/03/fer.jpg"></head><body>
  <header><a href="/">Pharmacie</a></header><main><h1>Fer 65 mg, 100 comprimés</h1>
  <p>Prix : 12,99 €. En stock.</p><p>Les compléments de fer traitent l'anémie par carence en fer. Prenez un comprimé
  par jour au cours d'un repas, ou selon l'avis de votre médecin.</p>
  <div class="avis-clients"><h2>Avis clients</h2><div class="avis"><p>Très bien toléré.</p>
  <p>Anne, le 3 mars 2024</p></div><div class="avis"><p>Efficace.</p><span class="date">12/02/2023</span></div>
  </div></main><footer>© 2019 Pharmacie SA</footer></body></html>"""


@pytest.mark.parametrize("html", [PRODUCT_EN, PRODUCT_FR])
def test_a_product_page_without_a_date_gets_none(html):
    # customer reviews carry their own dates; none is the page's
    result = dates_of(html)
    assert (result["date_published"], result["date_modified"], result["last_reviewed"]) == (None, None, None)


@pytest.mark.parametrize("html, expected, source", [
    (en_page(EN_TEXT, head='<meta property="article:published_time" content="2019-02-01T10:00:00-05:00">'
                           '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article",'
                           ' "headline": "Iron", "datePublished": "2023-05-05T10:00:00-05:00"}</script>'),
     "2019-02-01T10:00:00-05:00", "meta"),
    (fr_page('<p>Publié le 3 février 2019</p><p><time itemprop="datePublished" datetime="2023-05-05">5 mai 2023</time>'
             "</p>" + FR_TEXT), "2019-02-03", "visible"),
])
def test_the_original_publication_date_wins_over_a_later_one(html, expected, source):
    result = dates_of(html)
    assert result["date_published"] == expected
    assert result["sources"]["date_published"] == source


def test_draft_date_created_does_not_beat_date_published():
    # newsroom CMSs fill dateCreated with the draft's date, days or months before publication
    html = en_page(EN_TEXT, head='<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
                                 '"NewsArticle", "headline": "Iron", "dateCreated": "2024-04-05T17:40:42+02:00", '
                                 '"datePublished": "2024-04-30T16:00:34+02:00"}</script>')
    assert dates_of(html)["date_published"] == "2024-04-30T16:00:34+02:00"
    alone = html.replace(', "datePublished": "2024-04-30T16:00:34+02:00"', "")
    assert dates_of(alone)["date_published"] == "2024-04-05T17:40:42+02:00"


@pytest.mark.parametrize("html, expected", [
    # the page's other timestamps give its offset: 23:30 UTC is 00:30 the next day in London in summer
    (en_page(EN_TEXT, lang="en-GB", head='<meta property="article:published_time" content="2023-08-30T23:30:00Z">'
                                         '<meta property="article:modified_time" content="2023-09-02T10:00:00+01:00">'),
     "2023-08-31T00:30:00+01:00"),
    # no offset anywhere, but the page shows the day: the page's own day, not the UTC one
    (fr_page("<p>Publié le 31 août 2023 à 00h30</p>" + FR_TEXT,
             head='<meta property="article:published_time" content="2023-08-30T22:30:00Z">'), "2023-08-31"),
])
def test_the_day_is_the_page_s_local_day(html, expected):
    assert dates_of(html)["date_published"] == expected


@pytest.mark.parametrize("html", [
    # a date line closing the article: past the headline's lines, in no element htmldate's fast search reads
    en_page(EN_TEXT + "<p>Iron-rich foods include red meat, beans, lentils, tofu and dark green leafy vegetables such"
            " as spinach.</p><p>3 March 2020</p>"),
    fr_page(FR_TEXT + "<p>Les aliments riches en fer sont la viande rouge, les haricots, les lentilles, le tofu et les "
            "légumes à feuilles vert foncé.</p><p>3 mars 2020</p>"),
])
def test_htmldate_extensive_search_dates_what_the_page_writes(html):
    result = dates_of(html)
    assert result["date_published"] == "2020-03-03"
    assert result["sources"] == {"date_published": "htmldate"}


@pytest.mark.parametrize("html", [
    en_page(EN_TEXT, after="<footer><p>© 1998 Iron Health Foundation</p></footer>"),
    fr_page(FR_TEXT, after="<footer><p>© 1998 Fondation Santé Fer</p></footer>"),
])
def test_no_date_invented_from_a_copyright_year(html):
    assert dates_of(html)["date_published"] is None


@pytest.mark.parametrize("html", [
    en_page(EN_TEXT + "<h2>References</h2><ul><li>Roe J. Iron and fatigue. <i>Blood Reviews</i>. August 18, 2020."
            " [Epub ahead of print].</li></ul>"),
    fr_page(FR_TEXT + "<h2>Références</h2><ul><li>Roux J. Fer et fatigue. <i>La Revue du Praticien</i>. 18 août "
            "2020. [Publication en ligne].</li></ul>"),
])
def test_a_cited_study_s_date_is_not_the_page_s(html):
    # htmldate's extensive search reads any date in the text; a reference list dates its sources
    assert dates_of(html)["date_published"] is None


@pytest.mark.parametrize("html, expected", [
    # "en" alone, but og:locale says Britain: day first
    (en_page("<p>Published: 03/04/2021</p>" + EN_TEXT, lang="en",
             head='<meta property="og:locale" content="en_GB">'), "2021-04-03"),
    # an English template on a French site
    (fr_page("<p>Publié : 03/04/2021</p>" + FR_TEXT, lang="en", head='<meta property="og:locale" content="fr_FR">'),
     "2021-04-03"),
    (en_page("<p>Published: 03/04/2021</p>" + EN_TEXT, lang="en-US"), "2021-03-04"),
])
def test_numeric_order_from_the_locale(html, expected):
    assert dates_of(html, use_htmldate=False)["date_published"] == expected


def test_ambiguous_numeric_date_read_the_way_the_meta_tags_confirm():
    html = en_page("<p>Updated 03/04/2021</p>" + EN_TEXT, lang="en",
                   head='<meta property="article:modified_time" content="2021-04-03T10:00:00+01:00">')
    assert kinds(dates_of(html)) == [("updated", "2021-04-03")]


@pytest.mark.parametrize("html, expected", [
    (en_page("<p>Posted by Jane Roe, Ann Lee and Tom Poe on 2019-02-15</p>" + EN_TEXT), "2019-02-15"),
    (fr_page("<p>Publié par Jeanne Roux et Anne Lee le 15/02/2019</p>" + FR_TEXT), "2019-02-15"),
    (fr_page("<p>Publicado el 3 de marzo de 2024</p>" + FR_TEXT, lang="es"), "2024-03-03"),
])
def test_published_by_names_on_a_date(html, expected):
    result = dates_of(html, use_htmldate=False)
    assert result["date_published"] == expected
    assert result["sources"] == {"date_published": "visible"}


@pytest.mark.parametrize("html", [
    en_page('<p><em>Originally published at </em><a href="https://blog.example.org/">blog.example.org</a>'
            "<em> on November 18, 2011.</em></p>" + EN_TEXT,
            head='<meta property="article:published_time" content="2015-02-24T19:56:33Z">'),
    fr_page('<p><em>Publié sur </em><a href="https://blog.example.org/">blog.example.org</a>'
            "<em> le 18 novembre 2011.</em></p>" + FR_TEXT,
            head='<meta property="article:published_time" content="2015-02-24T19:56:33Z">'),
])
def test_a_date_published_elsewhere_is_not_this_page_s(html):
    assert dates_of(html)["date_published"] == "2015-02-24T19:56:33+00:00"


# ------------------------------------------------------------------ the label gate cannot drift from its pattern

def _spans(match):
    return None if match is None else (match.span(), match.lastgroup)


def _assert_gate_agrees(texts: list[str]) -> None:
    """The gated search finds what the full search finds, text by text and through the page's text index."""
    hits = set(TextIndex(texts).find(labels.KEYWORDS))
    for index, text in enumerate(texts):
        full = labels.LABEL.search(text)
        assert _spans(find_label(text)) == _spans(full), text
        if full is not None:
            assert index in hits, text


def test_label_gate_agrees_on_random_text():
    rng = random.Random(11)
    pool = [p for p in LABEL_PHRASES.phrases] + [
        "le", "on", "by", "par", "3 mars 2024", "March 3, 2024", ":", "|", "Dr Jane Roe", "ſtand:", "İ", "ı", "K",
        "PUBLIÉ", "Mis-à-jour", "dernière", "Überprüft", "date", "Fecha", "ß", "ﬁ", "é", "\u00a0", "\n"]
    texts = []
    for _ in range(4000):
        words = [rng.choice(pool) for _ in range(rng.randint(1, 6))]
        text = " ".join(w.upper() if rng.random() < 0.2 else w for w in words)
        if rng.random() < 0.3:  # damage a letter: a near miss must be judged the same way by both
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice("aeıİſx-é ") + text[at + 1:]
        texts.append(text)
    _assert_gate_agrees(texts)


def _benchmark_pages():
    for suite in ("fundus", "readability", "extruct"):
        for path in sorted((BENCHMARKS / suite).rglob("*.htm*")):
            data = path.read_bytes()
            yield gzip.decompress(data) if path.suffix == ".gz" else data


def test_label_gate_agrees_on_every_benchmark_page():
    if not (BENCHMARKS / "fundus").is_dir():
        pytest.skip("../shared/benchmarks is not available")
    pages = 0
    for html in _benchmark_pages():
        _assert_gate_agrees([str(text) for text in Page.parse(html).short_texts])
        pages += 1
    assert pages > 300


@pytest.mark.parametrize("extra, found", [(0, True), (1, False)])
def test_a_label_opening_a_later_sentence_is_read_up_to_the_byline_length(extra: int, found: bool) -> None:
    tail = ". Published March 3, 2024."
    head = "By Dr Jane Roe, pulmonologist at the " + "x" * 200
    line = head[:labels._BYLINE_MAX - len(tail) + extra] + tail
    assert len(line) == labels._BYLINE_MAX + extra
    html = f'<html lang="en"><body><article><h1>Asthma</h1><p>{line}</p><p>Asthma is a long-term disease of ' \
           f'the airways that affects many people.</p></article></body></html>'
    assert kinds(dates_of(html, use_htmldate=False)) == ([("published", "2024-03-03")] if found else [])
