"""Authors the way a careful reader finds them on unseen pages: the site marked up as its own author, label-value
pairs without "By", reviewers with their profession and date (issue 11). Small pages of our own, EN and FR."""

from __future__ import annotations

import pytest

from scoring.facts.people.extract import extract_people
from scoring.facts.people.names import parse_people
from scoring.page.model import Page


def _page(body: str, head: str = "", lang: str = "en") -> Page:
    article = "<p>" + ("Les faits de l'article, vérifiés et sourcés. " if lang == "fr" else
                       "The facts of the article, checked and sourced. ") * 20 + "</p>"
    html = (f"<html lang='{lang}'><head><title>Page</title>{head}</head><body><header><nav><a href='/'>Home</a>"
            f"</nav></header><main><article>{body}{article}</article></main></body></html>")
    return Page.parse(html.encode(), "https://example.org/health/article")


def _authors(body: str, head: str = "", lang: str = "en", node: dict | None = None) -> list[tuple[str, str]]:
    authors, _ = extract_people(_page(body, head, lang), node)
    return [(a["name"], a["type"]) for a in authors]


def _reviewers(body: str, lang: str) -> list[dict]:
    return extract_people(_page(body, lang=lang), None)[1]


# ---------------------------------------------------------------- the site marked up as its own author

SITES = [("Kestrel Herald", "Jane Roe", "en", "By"), ("Courrier Vert", "Jeanne Roux", "fr", "Par")]  # read as names


def _site_node(site: str, kind: str) -> dict:
    return {"author": [{"@type": [kind], "name": site}], "publisher": {"@type": ["Organization"], "name": site}}


@pytest.mark.parametrize(("site", "name", "lang", "label"), SITES)
@pytest.mark.parametrize("kind", ["Person", "Organization"])
def test_a_visible_byline_beats_the_site_marked_up_as_author(site: str, name: str, lang: str, label: str,
                                                             kind: str) -> None:
    head = f"<meta property='og:site_name' content='{site}'>"
    body = f"<h1>Title</h1><p>{label} {name}</p>"
    assert _authors(body, head, lang, _site_node(site, kind)) == [(name, "Person")]


@pytest.mark.parametrize(("site", "name", "lang", "label"), SITES)
def test_a_meta_author_beats_the_site_marked_up_as_a_person(site: str, name: str, lang: str, label: str) -> None:
    head = f"<meta property='og:site_name' content='{site}'><meta name='author' content='{name}'>"
    assert _authors("<h1>Title</h1>", head, lang, _site_node(site, "Person")) == [(name, "Person")]


@pytest.mark.parametrize(("site", "name", "lang", "label"), SITES)
def test_the_site_stays_the_author_when_no_person_is_named(site: str, name: str, lang: str, label: str) -> None:
    head = f"<meta property='og:site_name' content='{site}'>"
    assert _authors("<h1>Title</h1>", head, lang, _site_node(site, "Person")) == [(site, "Person")]


def test_a_marked_up_person_who_is_not_the_site_keeps_their_place() -> None:
    node = {"author": [{"@type": ["Person"], "name": "John Doe"}], "publisher": {"name": "Example Health Times"}}
    head = "<meta property='og:site_name' content='Example Health Times'>"
    assert _authors("<h1>Title</h1>", head, "en", node) == [("John Doe", "Person")]


# ---------------------------------------------------------------- a label and its value, without "By" or a colon

HEADLINES = {"en": "Asthma in children", "fr": "L'asthme de l'enfant", "de": "Asthma bei Kindern",
             "es": "El asma infantil"}

@pytest.mark.parametrize(("body", "lang", "name"), [
    ("<dl class='facts'><dt>Author</dt><dd>Jane Roe</dd><dt>Published</dt><dd>March 3, 2026</dd></dl>", "en",
     "Jane Roe"),
    ("<p><span class='label'>Author</span> <span>Jane Roe</span></p>", "en", "Jane Roe"),
    ("<table><tr><th>Auteur</th><td>Jeanne Roux</td></tr></table>", "fr", "Jeanne Roux"),
    ("<p><span class='label'>Texte</span> <span>Jeanne Roux</span></p>", "fr", "Jeanne Roux"),
    ("<ul><li><strong>Auteure/Auteur</strong>\nJeanne Roux\n</li></ul>", "fr", "Jeanne Roux"),
    ("<ul><li><strong>Autorin/Autor</strong>\nRoman Novak\n</li></ul>", "de", "Roman Novak"),
    ("<p><strong>Autor(a)</strong> María López</p>", "es", "María López"),
])
def test_a_label_and_its_value_name_the_author(body: str, lang: str, name: str) -> None:
    assert _authors(f"<h1>{HEADLINES[lang]}</h1>{body}", lang=lang) == [(name, "Person")]


@pytest.mark.parametrize(("body", "lang"), [
    ("<p><strong>Text</strong> of the law, as voted in March.</p>", "en"),  # the value is no name
    ("<p><strong>Texte</strong> de la loi, voté en mars.</p>", "fr"),
    ("<p><strong>Authority</strong> Jane Roe</p>", "en"),  # not a label word, whole
    ("<p><strong>Auteurs célèbres</strong> Jeanne Roux</p>", "fr"),
    ("<aside class='related'><dl><dt>Author</dt><dd>Jane Roe</dd></dl></aside>", "en"),  # another story's card
    ("<aside class='related'><dl><dt>Auteur</dt><dd>Jeanne Roux</dd></dl></aside>", "fr"),
])
def test_no_author_from_a_label_without_a_name_or_outside_the_article(body: str, lang: str) -> None:
    assert _authors(f"<h1>{HEADLINES[lang]}</h1>{body}", lang=lang) == []


# ---------------------------------------------------------------- Korean and Japanese job titles after a name

@pytest.mark.parametrize(("text", "names"), [
    ("신현주 기자", ["신현주"]),
    ("박준석 기자 외 1명", ["박준석"]),  # "and 1 other"
    ("신현주 외 2명", ["신현주"]),
    ("山田太郎記者", ["山田太郎"]),  # the title glued to the name
    ("山田 太郎 記者", ["山田 太郎"]),
])
def test_a_job_title_after_a_cjk_name_is_no_part_of_it(text: str, names: list[str]) -> None:
    assert [p["name"] for p in parse_people(text)] == names


@pytest.mark.parametrize(("meta", "lang", "name"), [("신현주 기자", "ko", "신현주"),
                                                   ("山田太郎記者", "ja", "山田太郎")])
def test_a_meta_author_with_a_job_title_names_the_person(meta: str, lang: str, name: str) -> None:
    assert _authors("<h1>제목</h1>", f"<meta name='author' content='{meta}'>", lang) == [(name, "Person")]


# ---------------------------------------------------------------- a reviewer with a profession, and the review's date

REVIEW_LINES = [
    ("<h1>L'asthme de l'enfant</h1><p>Relu par le Dr Paul Durand, pneumologue, le 2 décembre 2026</p>", "fr",
     ("Paul Durand", ["Dr", "pneumologue"]), "2026-12-02"),
    ("<h1>Asthma in children</h1><p>Medically reviewed by Jane Roe, pulmonologist, on March 1, 2026</p>", "en",
     ("Jane Roe", ["pulmonologist"]), "2026-03-01"),
    ("<h1>Asthma in children</h1><p>Medically reviewed by Jane Roe, MD, on March 1, 2026</p>", "en",
     ("Jane Roe", ["MD"]), "2026-03-01"),
]
BROKEN_JSONLD = '<script type="application/ld+json">{"@type": "MedicalWebPage", "reviewedBy": {"name": ,}</script>'


@pytest.mark.parametrize(("body", "lang", "reviewer", "day"), REVIEW_LINES)
@pytest.mark.parametrize("head", ["", BROKEN_JSONLD])
def test_a_review_line_gives_the_reviewer_with_their_profession_and_the_review_date(
        body: str, lang: str, reviewer: tuple, day: str, head: str) -> None:
    from scoring import audit_html

    article = "<p>" + "The facts of the article, checked and sourced. " * 30 + "</p>"
    html = (f"<html lang='{lang}'><head><title>Page</title>{head}</head><body><main><article>{body}{article}"
            "</article></main></body></html>")
    facts = audit_html(html, url="https://example.org/health/asthma", include=("facts",))["facts"]
    assert [(r["name"], r["credentials"]) for r in facts["reviewers"]] == [reviewer]
    assert facts["last_reviewed"] == day and facts["date_published"] is None


# ---------------------------------------------------------------- a signature line: names alone, in bold

@pytest.mark.parametrize(("body", "lang", "names"), [
    ("<h1>Asthma in children</h1><p><strong>Jane Roe/John Doe</strong></p>", "en", ["Jane Roe", "John Doe"]),
    ("<h1>L'asthme de l'enfant</h1><p><em>Un enjeu pour les familles</em></p><p><strong>Jeanne Roux</strong></p>",
     "fr", ["Jeanne Roux"]),
])
def test_a_signature_line_names_the_authors_when_nothing_else_does(body: str, lang: str, names: list[str]) -> None:
    assert _authors(body, lang=lang) == [(name, "Person") for name in names]


@pytest.mark.parametrize(("body", "lang"), [
    ("<h1>Asthma in children</h1><p>By Mary Major</p><p><strong>Jane Roe</strong></p>", "en"),
    ("<h1>L'asthme de l'enfant</h1><p>Par Marie Majeur</p><p><strong>Jeanne Roux</strong></p>", "fr"),
])
def test_a_signature_line_gives_way_to_a_byline(body: str, lang: str) -> None:
    assert [name for name, _ in _authors(body, lang=lang)] == ["Mary Major" if lang == "en" else "Marie Majeur"]


@pytest.mark.parametrize(("body", "lang"), [
    ("<h1>Asthma in children</h1><p><strong>Important:</strong> see a doctor.</p>", "en"),
    ("<h1>L'asthme de l'enfant</h1><p><strong>Attention, danger</strong></p>", "fr"),
])
def test_bold_text_that_is_not_a_name_signs_nothing(body: str, lang: str) -> None:
    assert _authors(body, lang=lang) == []


@pytest.mark.parametrize(("host", "name", "lang", "label"), [("kestrelnews.org", "Jane Roe", "en", "By"),
                                                              ("courriervert.fr", "Jeanne Roux", "fr", "Par")])
def test_the_site_named_by_its_host_gives_way_to_a_person(host: str, name: str, lang: str, label: str) -> None:
    site = host.split(".")[0].title()
    html = (f"<html lang='{lang}'><head><title>Page</title></head><body><main><article><h1>Title</h1>"
            f"<p>{'Text of the article. ' * 30}</p><p><strong>{name}</strong></p></article></main></body></html>")
    page = Page.parse(html.encode(), f"https://www.{host}/health/article")
    node = {"author": [{"@type": ["Organization"], "name": site}]}
    assert [a["name"] for a in extract_people(page, node)[0]] == [name]
