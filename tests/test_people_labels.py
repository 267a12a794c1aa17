"""Authors the way a careful reader finds them on unseen pages: the site marked up as its own author, label-value
pairs without "By", reviewers with their profession and date (issue 11). Small pages of our own, EN and FR."""

from __future__ import annotations

import pytest

from scoring.facts.people.extract import extract_people
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
