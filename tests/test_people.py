"""Byline search helpers: the bounded element text agrees with `element_text`."""

from __future__ import annotations

import pytest
from lxml import etree

from scoring import audit_html
from scoring.facts.people.bylines import (
    _AUTHOR_CLASS,
    _AUTHOR_CLASS_WORDS,
    _NEEDLES_ANYWHERE,
    _NEEDLES_AT_START,
    AUTHOR_BOX_MAX,
    AUTHOR_LABELS,
    AUTHOR_RE,
    FURNITURE_TITLE_MAX,
    HEADLINE_BLOCK_LEVELS,
    PROSE_MIN,
    REVIEW_LABELS,
    REVIEW_RE,
    _AfterMain,
    _author_boxes,
    _text_up_to,
)
from scoring.facts.people.credentials import ALL_CREDENTIALS
from scoring.facts.people.extract import DATELINE_PIECES, MAX_PEOPLE, extract_people
from scoring.facts.people.names import MAX_BYLINE_TEXT, parse_people, parse_person
from scoring.page.index import TextIndex, element_text
from scoring.page.model import Page

from .conftest import FIXTURES, SHARED

_SNIPPET = (
    b"<html><body><main><article><div class='byline'>By <a href='/a/jane'>Jane  Roe</a>, MD"
    b"<svg><text>icon</text></svg><button>Share</button><!-- c -->  <span> | \n Updated </span>"
    b"<script>var by = 1;</script>May 2, 2024</div><p>" + b"Words of the article body. " * 30 +
    b"</p></article></main></body></html>"
)


@pytest.mark.parametrize("data", [_SNIPPET, *(p.read_bytes() for p in sorted((FIXTURES / "pages").glob("*.html")))])
def test_text_up_to_is_element_text_when_short(data: bytes) -> None:
    page = Page.parse(data)
    for el in page.root.iter():
        text = element_text(el)
        for limit in (0, 20, 300, 10**9):
            assert _text_up_to(el, limit) == (text if len(text) <= limit else None)


def test_byline_with_skipped_tags_in_its_element() -> None:
    authors, _ = extract_people(Page.parse(_SNIPPET, "https://example.org/a"), None)
    assert [a["name"] for a in authors] == ["Jane Roe"]
    assert authors[0]["credentials"] == ["MD"]
    assert authors[0]["url"] == "https://example.org/a/jane"
    assert authors[0]["evidence"] == "By Jane Roe , MD | Updated May 2, 2024"  # no svg, button or script text


def test_after_main_in_document_order() -> None:
    root = etree.fromstring("<html><body><header><p id='before'>x</p></header><div><main><p id='inside'>x</p>"
                            "</main><p id='beside'>x</p></div><footer><p id='after'>x</p></footer></body></html>")
    main = root.find(".//main")
    after_main = _AfterMain(main)
    found = {el.get("id"): after_main(el) for el in root.iter("p")}
    assert found == {"before": False, "inside": False, "beside": True, "after": True}
    assert not after_main(main) and not after_main(root.find("body"))


def test_author_boxes_are_body_elements_with_an_author_class() -> None:
    root = etree.fromstring("<html><head><meta class='author'/></head><body class='byline'><div class='c-byline'>"
                            "<!-- author --><span class='Author'>x</span><a class='post-author__name'>y</a></div>"
                            "<p class='auteur'>z</p></body></html>")
    # any case ("Author"): the pre-test is generated from the same words as the pattern
    assert [el.get("class") for el in _author_boxes(root)] == ["c-byline", "Author", "post-author__name", "auteur"]
    assert list(_author_boxes(etree.fromstring("<div><body><p class='author'>x</p></body></div>"))) == []


# ---------------------------------------------------------------- bylines as a careful reader reads them

def _page(body: str, head: str = "", lang: str = "en") -> Page:
    article = "<p>" + ("Les faits de l'article, vérifiés et sourcés. " if lang == "fr" else
                       "The facts of the article, checked and sourced. ") * 20 + "</p>"
    html = (f"<html lang='{lang}'><head><title>Page</title>{head}</head><body><header><nav><a href='/'>Home</a>"
            f"</nav></header><main><article>{body}{article}</article></main></body></html>")
    return Page.parse(html.encode(), "https://example.org/health/article")


def _people(body: str, head: str = "", lang: str = "en", node: dict | None = None) -> tuple[list, list]:
    authors, reviewers = extract_people(_page(body, head, lang), node)
    return ([(a["name"], a["type"]) for a in authors], [(r["name"], r["credentials"]) for r in reviewers])


@pytest.mark.parametrize(("body", "lang", "expected"), [
    ("<h1>Why sleep matters</h1><p class='meta'>By April Fulton</p>", "en", [("April Fulton", "Person")]),
    ("<h1>Pourquoi dormir</h1><p class='meta'>Par Jeanne Martin</p>", "fr", [("Jeanne Martin", "Person")]),
    # a "par <name>" inside the date line
    ("<h1>Le sommeil</h1><p>Publié le 3 mars 2024 par Jeanne Martin</p>", "fr", [("Jeanne Martin", "Person")]),
    ("<h1>Sleep</h1><p>Updated March 3, 2024 by April Fulton</p>", "en", [("April Fulton", "Person")]),
    # organisation bylines stay organisations
    ("<h1>Asthma</h1><p>By Mayo Clinic staff</p>", "en", [("Mayo Clinic staff", "Organization")]),
    ("<h1>Asthme</h1><p>Par sudinfo.be</p>", "fr", [("sudinfo.be", "Organization")]),
    ("<h1>Ask us</h1><p>By Ask the Doctors</p>", "en", [("Ask the Doctors", "Organization")]),
    ("<h1>L'asthme</h1><p>Par La rédaction</p>", "fr", [("La rédaction", "Organization")]),
])
def test_plain_and_organisation_bylines(body: str, lang: str, expected: list) -> None:
    assert _people(body, lang=lang)[0] == expected


@pytest.mark.parametrize(("byline", "lang", "expected"), [
    ("By Ann Lee, Bob Stone, Carl Diaz, Dana Fox and Eve Hart", "en",
     ["Ann Lee", "Bob Stone", "Carl Diaz", "Dana Fox", "Eve Hart"]),
    ("Par Anne Leroy, Bruno Petit, Carla Diaz, Denis Roux et Eva Morel", "fr",
     ["Anne Leroy", "Bruno Petit", "Carla Diaz", "Denis Roux", "Eva Morel"]),
    ("Por Juan Pérez y María López", "es", ["Juan Pérez", "María López"]),
    # a month or weekday word: part of a name only between two names
    ("By Laura June Topolsky", "en", ["Laura June Topolsky"]),
    ("By Joe Wee Monday, 5 May 2024", "en", ["Joe Wee"]),
    ("Par Jeanne Martin lundi 3 mars 2024", "fr", ["Jeanne Martin"]),
    # "and" inside a job title is not a second person
    ("Written by Jane Roe, Head of Health and Nutrition Content", "en", ["Jane Roe"]),
    ("Rédigé par Jeanne Roux, Responsable Santé et Nutrition Infantile", "fr", ["Jeanne Roux"]),
    ("By Bruno (Henrique Zecchin) Rodrigues", "en", ["Bruno (Henrique Zecchin) Rodrigues"]),
    ("Par 肖春芳", "fr", ["肖春芳"]),
    ("By Stella Kim Stella Kim", "en", ["Stella Kim"]),
])
def test_names_and_lists_in_bylines(byline: str, lang: str, expected: list) -> None:
    authors, _ = _people(f"<h1>Title</h1><p>{byline}</p>", lang=lang)
    assert [name for name, _ in authors] == expected


@pytest.mark.parametrize(("line", "lang"), [
    ("Peer-reviewed by P Giacobbi, Jr., Z Reis, J Flett", "en"),
    ("Relu par P Giacobbi, Jr., Z Reis, J Flett", "fr"),
])
def test_every_reviewer_of_a_list(line: str, lang: str) -> None:
    _, reviewers = _people(f"<h1>Title</h1><p>By Ann Lee</p><p>{line}</p>", lang=lang)
    assert [name for name, _ in reviewers] == ["P Giacobbi", "Z Reis", "J Flett"]


@pytest.mark.parametrize(("byline", "lang"), [
    ("By Jane Roe. Experts: Stacy Ogbeide, PsyD", "en"),
    ("Par Jeanne Roux. Experts : Stacy Ogbeide, PsyD", "fr"),
])
def test_a_quoted_experts_credential_is_not_the_authors(byline: str, lang: str) -> None:
    authors, _ = extract_people(_page(f"<h1>Title</h1><p>{byline}</p>", lang=lang), None)
    assert authors[0]["credentials"] == []


@pytest.mark.parametrize(("lang", "label", "teaser"), [
    ("en", "By", "More from our health desk"),
    ("fr", "Par", "À lire aussi"),
])
def test_teasers_and_more_from_blocks_give_no_author(lang: str, label: str, teaser: str) -> None:
    cards = "".join(f"<div class='card'><a href='/story-{i}'><h3>Story {i}</h3></a><p>{label} {name}</p>"
                    "</div>" for i, name in enumerate(("Paul Gray", "Nina Hale", "Omar Reed")))
    body = (f"<div class='grid'>{cards}</div><h1>Title</h1><p class='meta'>{label} Jane Roe</p>"
            f"<section class='more-from'><h2>{teaser}</h2>{cards}</section>")
    assert _people(body, lang=lang)[0] == [("Jane Roe", "Person")]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("key", ["author", "dc.creator", "article:author", "parsely-author", "sailthru.author",
                                 "cXenseParse:author"])
def test_bylines_only_in_meta(key: str, lang: str) -> None:
    head = f"<meta name='{key}' content='Jeanne Martin'>"
    assert _people("<h1>Title</h1>", head, lang)[0] == [("Jeanne Martin", "Person")]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_meta_last_first_and_several_contributors(lang: str) -> None:
    head = ("<meta name='DC.Creator' content='Jong, Michiel de'><meta name='dc.contributor' content='Ann Lee'>"
            "<meta name='dc.contributor' content='Bob Stone'>")
    names = [name for name, _ in _people("<h1>Title</h1>", head, lang)[0]]
    assert names == ["Michiel de Jong", "Ann Lee", "Bob Stone"]


def test_meta_names_no_one_when_the_page_does() -> None:
    head = "<meta name='author' content='Example Media Group'>"
    assert _people("<h1>Title</h1><p>By Jane Roe</p>", head)[0] == [("Jane Roe", "Person")]


@pytest.mark.parametrize(("cls", "lang"), [("signature", "fr"), ("Author", "en"), ("post-Author__name", "en")])
def test_author_classes_in_any_case(cls: str, lang: str) -> None:
    assert _people(f"<h1>Title</h1><span class='{cls}'>Jeanne Martin</span>", lang=lang)[0] == \
        [("Jeanne Martin", "Person")]


# ---------------------------------------------------------------- gates and the one credential table

def _random_texts(count: int) -> list[str]:
    import random

    rng = random.Random(11)
    words = [p for ps in (AUTHOR_LABELS, REVIEW_LABELS) for p in ps.phrases] + \
        ["Jane", "Roe", "by", "BY", "Par", "relu", "écrit", "Rédigé", "Geprüft", ":", "|", "\n", "x", "İ", "ß"]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(count)]


def _benchmark_texts() -> list[str]:
    import gzip

    pages = sorted((SHARED / "benchmarks").glob("*/pages/*.html*")) if (SHARED / "benchmarks").is_dir() else []
    texts = []
    for path in pages:
        data = path.read_bytes()
        page = Page.parse(gzip.decompress(data) if path.suffix == ".gz" else data)
        texts.extend(str(t) for t in page.short_texts)
    return texts


@pytest.mark.parametrize("source", ["random", "benchmarks"])
def test_gated_label_search_finds_what_the_full_search_finds(source: str) -> None:
    texts = _random_texts(5000) if source == "random" else _benchmark_texts()
    if not texts:
        pytest.skip("../shared/benchmarks is absent")
    for gated in (AUTHOR_RE, REVIEW_RE):
        for text in texts:
            assert [m.span() for m in gated.finditer(text)] == [m.span() for m in gated.pattern.finditer(text)]
    # the text-node pre-test of the byline search holds every text where a label matches
    index = TextIndex(texts)
    found = set(index.find(_NEEDLES_AT_START, word_start=True)) | set(index.find(_NEEDLES_ANYWHERE))
    for i, text in enumerate(texts):
        if AUTHOR_RE.pattern.search(text) or REVIEW_RE.pattern.search(text):
            assert i in found, text


@pytest.mark.parametrize("credential", ALL_CREDENTIALS)
def test_people_validate_and_fix_read_one_credential_table(credential: str) -> None:
    from scoring.fix.people import _written_forms
    from scoring.markup.author_names import author_name_problems

    written = f"Jane Roe, {credential}"
    assert parse_person(written) == {"name": "Jane Roe", "credentials": [credential]}
    assert ("credential", credential) in author_name_problems(written)
    assert _written_forms(credential, "credential").search(written)


@pytest.mark.parametrize(("written", "canon"), [("Dr.", "Dr"), ("Docteur", "Dr"), ("Professeure", "Prof")])
def test_honorifics_from_the_table(written: str, canon: str) -> None:
    from scoring.fix.people import _written_forms
    from scoring.markup.author_names import author_name_problems

    assert parse_person(f"{written} Jeanne Roux")["credentials"] == [canon]
    assert author_name_problems(f"{written} Jeanne Roux")[0][0] == "honorific"
    assert _written_forms(canon, "honorific").search(f"{written} Jeanne Roux")


# ---------------------------------------------------------------- unlabelled bylines, labelled meta, placement

@pytest.mark.parametrize(("header", "lang", "expected"), [
    # a name line just above the date line, with no "By"/"Par"
    ("<h1>Sleep and memory</h1><p>Jane Roe</p><p><time>March 3, 2024</time></p>", "en", "Jane Roe"),
    ("<h1>Sommeil et mémoire</h1><div>Jeanne Roux</div><div>3 mars 2024</div>", "fr", "Jeanne Roux"),
    # syndicated: the outlet, the date, then the name
    ("<h1>Sleep and memory</h1><p>Medical Daily 9/21/2016 Lizette Borreli</p>", "en", "Lizette Borreli"),
    ("<h1>Sommeil et mémoire</h1><p>Santé Magazine 21/09/2016 Jeanne Roux</p>", "fr", "Jeanne Roux"),
])
def test_unlabelled_byline_beside_the_date(header: str, lang: str, expected: str) -> None:
    authors, _ = extract_people(_page(f"<header>{header}</header>", lang=lang), None)
    assert [(a["name"], a["where"]) for a in authors] == [(expected, "dateline")]


@pytest.mark.parametrize("header", ["<h1>Sleep</h1><p>Share this article</p><p>March 3, 2024</p>",
                                    "<h1>Sommeil</h1><p>Santé Magazine</p><p>3 mars 2024</p>"])
def test_a_date_line_without_a_name_gives_no_author(header: str) -> None:
    assert _people(f"<header>{header}</header>")[0] == []


@pytest.mark.parametrize(("head", "expected"), [
    ("<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Jane Roe'>", "Jane Roe"),
    ("<meta name='twitter:label2' content='Écrit par'><meta name='twitter:data2' content='Jeanne Roux'>",
     "Jeanne Roux"),
    ("<meta name='twitter:misc:Written by' content='Jane Roe'>", "Jane Roe"),
])
def test_labelled_meta_pairs(head: str, expected: str) -> None:
    assert _people("<h1>Title</h1>", head)[0] == [(expected, "Person")]


def test_other_labelled_meta_pairs_name_no_one() -> None:
    head = "<meta name='twitter:label1' content='Est. reading time'><meta name='twitter:data1' content='Jane Roe'>"
    assert _people("<h1>Title</h1>", head)[0] == []


_MARKED = {"author": [{"@type": ["Person"], "name": "Ann Lee"}]}


@pytest.mark.parametrize(("levels", "taken"), [(HEADLINE_BLOCK_LEVELS - 1, True), (HEADLINE_BLOCK_LEVELS, False)])
@pytest.mark.parametrize("label", ["By", "Par"])
def test_a_byline_against_the_markup_counts_only_beside_the_headline(levels: int, taken: bool, label: str) -> None:
    # the headline nested in `levels` divs, the byline a sibling of the outermost: they meet `levels + 1` up
    headline = "<div>" * levels + "<h1>Title</h1>" + "</div>" * levels
    authors, _ = _people(f"<div>{headline}<p>{label} Jane Roe</p></div>", node=_MARKED)
    assert (("Jane Roe", "Person") in authors) is taken
    assert ("Ann Lee", "Person") in authors


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_name_read_on_into_the_next_words_is_one_person(lang: str) -> None:
    body = "<h1>Title</h1><p class='byline'>By Emma Mackenzie</p><div class='author'>Emma Mackenzie Lifestyle</div>"
    assert _people(body.replace("By", "Par") if lang == "fr" else body, lang=lang)[0] == \
        [("Emma Mackenzie", "Person")]


@pytest.mark.parametrize(("prose", "lang"), [
    ("She was harmed from the ages of 14 to 17 by Jeffrey Stone, the court heard.", "en"),
    ("Elle a été suivie de 14 à 17 par Jean Dupont, selon le tribunal.", "fr"),
])
def test_a_bare_label_after_a_number_in_prose_is_no_byline(prose: str, lang: str) -> None:
    assert _people(f"<h1>Title</h1><p>{prose}</p>", lang=lang)[0] == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_specific_meta_convention_beats_the_generic_author_meta(lang: str) -> None:
    head = ("<meta name='author' content='Santé Plus Magazine'>"
            "<meta property='dc:creator twitter:site_name' content='Jeanne Roux'>")
    assert _people("<h1>Title</h1>", head, lang)[0] == [("Jeanne Roux", "Person")]


@pytest.mark.parametrize(("name", "lang"), [("Jane Roe", "en"), ("Jeanne Roux", "fr")])
def test_the_page_node_may_be_a_subtype_not_listed(name: str, lang: str) -> None:
    from scoring import audit_html

    graph = ('{"@context": "https://schema.org", "@type": "ReportageNewsArticle", "headline": "Title", '
             f'"author": {{"@type": "Person", "name": "{name}"}}}}')
    html = (f"<html lang='{lang}'><head><script type='application/ld+json'>{graph}</script></head><body><div "
            "itemscope itemtype='https://schema.org/NewsArticle'><span itemprop='author' itemscope "
            "itemtype='https://schema.org/Organization'><span itemprop='name'>Example Media</span></span>"
            "<h1>Title</h1><p>Words of the article.</p></div></body></html>")
    authors = audit_html(html)["facts"]["authors"]
    assert [a["name"] for a in authors] == [name]


@pytest.mark.parametrize(("site", "name"), [("Example Health", "Jane Roe"), ("Santé Exemple", "Jeanne Roux")])
def test_the_site_as_its_own_author_beside_a_person_is_the_publisher(site: str, name: str) -> None:
    node = {"author": [{"@type": ["Organization"], "name": site}], "publisher": {"@type": ["Organization"],
                                                                                "name": site}}
    head = f"<meta property='og:site_name' content='{site}'>"
    assert _people(f"<h1>Title</h1><p>By {name}</p>", head, node=node)[0] == [(name, "Person")]
    assert _people("<h1>Title</h1>", head, node=node)[0] == [(site, "Organization")]  # alone, it stays


@pytest.mark.parametrize(("title", "label", "lang"), [("More from Health", "By", "en"), ("À lire aussi", "Par", "fr")])
def test_a_block_titled_as_other_stories_gives_no_author(title: str, label: str, lang: str) -> None:
    cards = "".join(f"<li><a href='/story-{i}'>Story {i}</a><p>{label} {name}</p></li>"
                    for i, name in enumerate(("Paul Gray", "Nina Hale")))
    assert _people(f"<h1>Title</h1><p>Words.</p><section><h2>{title}</h2><ul>{cards}</ul></section>",
                   lang=lang)[0] == []
    assert _people(f"<h1>Title</h1><p>Words.</p><h2>{title}</h2><ul>{cards}</ul>", lang=lang)[0] == []


def test_the_author_class_pretest_holds_every_class_the_pattern_accepts() -> None:
    import random

    rng = random.Random(7)
    parts = [*_AUTHOR_CLASS_WORDS, "Author", "SIGNATURE", "name", "link", "-", "_", "__", " ", "c", "post"]
    for _ in range(5000):
        names = "".join(rng.choice(parts) for _ in range(rng.randint(1, 6)))
        root = etree.fromstring(f"<html><body><p class='{names}'>x</p></body></html>")
        if _AUTHOR_CLASS.search(names):
            assert [el.get("class") for el in _author_boxes(root)] == [names]


@pytest.mark.parametrize(("sentence", "lang"), [
    ("In his speech, he read out the programme written by Paul Gray for the session", "en"),
    ("Dans son discours, il a lu le programme rédigé par Paul Gray pour la session", "fr"),
])
def test_a_label_inside_a_paragraph_is_prose(sentence: str, lang: str) -> None:
    short = sentence[sentence.index(sentence.split()[-7]):]  # the label's words, in a text under PROSE_MIN
    padded = sentence + " " + "a" * (PROSE_MIN - len(sentence))  # one character over
    assert len(padded) == PROSE_MIN + 1 and len(short) <= PROSE_MIN
    assert _people(f"<h1>Title</h1><p>{padded}</p>", lang=lang)[0] == []
    assert _people(f"<h1>Title</h1><p>{short}</p>", lang=lang)[0] == [("Paul Gray", "Person")]


@pytest.mark.parametrize(("line", "lang"), [("This article was medically reviewed by Dr. Jane Roe, MD", "en"),
                                            ("Cet article a été relu par le Dr Jeanne Roux", "fr")])
def test_a_short_review_sentence_is_a_byline(line: str, lang: str) -> None:
    assert _people(f"<h1>Title</h1><p>{line}</p>", lang=lang)[1][0][0] in ("Jane Roe", "Jeanne Roux")


# ---------------------------------------------------------------- bounds, each at its boundary

@pytest.mark.parametrize(("extra", "expected"), [(0, "Jane Roe"), (1, "Jane Ro")])
def test_a_byline_text_is_read_up_to_its_bound(extra: int, expected: str) -> None:
    text = "," * (MAX_BYLINE_TEXT - len("Jane Roe") + extra) + "Jane Roe"
    assert [p["name"] for p in parse_people(text)] == [expected]


@pytest.mark.parametrize(("count", "kept"), [(MAX_PEOPLE, MAX_PEOPLE), (MAX_PEOPLE + 1, MAX_PEOPLE)])
def test_people_per_role_are_bounded(count: int, kept: int) -> None:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    head = "".join(f"<meta name='dc.contributor' content='Ann {letters[i % 26]}{letters[i // 26]}son'>"
                   for i in range(count))
    assert len(_people("<h1>Title</h1>", head)[0]) == kept


@pytest.mark.parametrize(("length", "furniture"), [(FURNITURE_TITLE_MAX, True), (FURNITURE_TITLE_MAX + 1, False)])
def test_a_furniture_title_is_short(length: int, furniture: bool) -> None:
    title = "More from " + "x" * (length - len("More from "))
    body = f"<h1>Title</h1><p>Words.</p><section><h2>{title}</h2><ul><li><p>By Paul Gray</p></li></ul></section>"
    assert (_people(body)[0] == []) is furniture


@pytest.mark.parametrize(("length", "found"), [(AUTHOR_BOX_MAX, True), (AUTHOR_BOX_MAX + 1, False)])
def test_an_author_box_is_short(length: int, found: bool) -> None:
    text = "Jeanne Roux" + " " + "·" * (length - len("Jeanne Roux") - 1)
    authors, _ = _people(f"<h1>Titre</h1><span class='auteur'>{text}</span>", lang="fr")
    assert (authors == [("Jeanne Roux", "Person")]) is found


@pytest.mark.parametrize(("before", "found"), [(DATELINE_PIECES - 2, True), (DATELINE_PIECES - 1, False)])
def test_the_dateline_is_looked_for_near_the_headline(before: int, found: bool) -> None:
    pieces = "".join(f"<span>Rubrique {i}</span>" for i in range(before))
    header = f"<header><h1>Sommeil</h1>{pieces}<p>Jeanne Roux</p><p>3 mars 2024</p></header>"
    assert (_people(header, lang="fr")[0] == [("Jeanne Roux", "Person")]) is found


@pytest.mark.parametrize(("name", "expected"), [("Felix Roe und Jörg Stone, dpa", ["Felix Roe", "Jörg Stone"]),
                                                ("Jeanne Roux et Paul Gray", ["Jeanne Roux", "Paul Gray"])])
def test_a_marked_up_person_naming_several(name: str, expected: list) -> None:
    node = {"author": [{"@type": ["Person"], "name": name, "url": "https://example.org/a/first"}]}
    authors, _ = extract_people(_page("<h1>Title</h1>"), node)
    assert [a["name"] for a in authors] == expected
    assert authors[0]["url"] == "https://example.org/a/first" and authors[1]["url"] is None


@pytest.mark.parametrize(("byline", "author", "reviewer"), [
    ("Par Claire Dubois. Relu par le Dr Paul Durand, pneumologue, le 2 décembre 2026.", "Claire Dubois", "Paul Durand"),
    ("By Claire Dubois. Reviewed by Dr. Paul Durand, MD, on December 2, 2026.", "Claire Dubois", "Paul Durand"),
])
def test_a_byline_sentence_ends_the_author_before_the_review_line(byline, author, reviewer):
    from scoring import audit_html

    html = (f"<html><head><title>Asthme</title></head><body><article><h1>Asthme : les traitements</h1>"
            f"<p class='byline'>{byline}</p><p>{'L’asthme est une maladie chronique des bronches. ' * 20}</p>"
            "</article></body></html>")
    facts = audit_html(html, url="https://exemple.fr/asthme")["facts"]
    assert [p["name"] for p in facts["authors"]] == [author]
    assert [p["name"] for p in facts["reviewers"]] == [reviewer]


@pytest.mark.parametrize(("byline", "names"), [
    ("Par Martin Roussel (avec Damien Lefort et Morgane Tissot)",
     ["Martin Roussel", "Damien Lefort", "Morgane Tissot"]),
    ("By Jane Roe, MD (with John Doe and Ann Lee)", ["Jane Roe", "John Doe", "Ann Lee"]),
])
def test_coauthors_in_parentheses_after_the_first_author(byline, names):
    page = (f'<html><body><article><h1>Asthme : les traitements</h1><p class="byline">{byline}</p>'
            "<p>" + "Texte de l’article. " * 40 + "</p></article></body></html>")
    people = audit_html(page)["facts"]["authors"]
    assert [p["name"] for p in people] == names


@pytest.mark.parametrize(("text", "people"), [
    # the serial comma's connector
    ("Jane Roe, PhD, and John Doe, MPH", [("Jane Roe", "Person", ["PhD"]), ("John Doe", "Person", ["MPH"])]),
    ("Anne Morel, psychologue, et Paul Roux", [("Anne Morel", "Person", ["psychologue"]), ("Paul Roux", "Person", [])]),
    # an elided particle glued to the name; Spanish "Dra."; a German doctor's title
    ("le Dr Anne d'Arvieux-Roche, pédiatre", [("Anne d'Arvieux-Roche", "Person", ["Dr", "pédiatre"])]),
    ("la Dra. Marta Gil Pardo", [("Marta Gil Pardo", "Person", ["Dr"])]),
    ("Dr. med. Katrin Roe", [("Katrin Roe", "Person", ["Dr"])]),
    # a date after the second name does not end the list before it; an affiliation does
    ("Jane Roe and John Doe March 14, 2024 at 4:45 p.m.", [("Jane Roe", "Person", []), ("John Doe", "Person", [])]),
    ("Jane Roe, John Doe Example University", [("Jane Roe", "Person", [])]),
    # an organisation in sentence case, opening with an organisation word; not when a person follows
    ("la Direction des maladies infectieuses", [("Direction des maladies infectieuses", "Organization", [])]),
    ("Example Clinic Associates", [("Example Clinic Associates", "Organization", [])]),
])
def test_health_bylines_names(text: str, people: list) -> None:
    assert [(p["name"], p["type"], p["credentials"]) for p in parse_people(text)] == people


def test_an_organisation_word_before_a_person_s_name_is_no_organisation() -> None:
    assert all(p["type"] == "Person" for p in parse_people("Health Press writer Jane Roe"))


@pytest.mark.parametrize(("box", "lang", "name"), [
    ("<h3>À propos de l'auteur</h3><p><strong>Anne Morel</strong></p><p>Anne Morel est diététicienne.</p>", "fr",
     "Anne Morel"),
    ("<h2>About the Author</h2><p><a href='/team/ann'>Ann van der Berg, PhD</a> is a sleep scientist.</p>", "en",
     "Ann van der Berg"),
    ("<h2>Über die Autorin</h2><img src='a.jpg'><p>Katrin Roe ist Apothekerin in Köln.</p>", "de", "Katrin Roe"),
    ("<h4>Sobre la autora:</h4><p>Marta Gil Pardo es enfermera. " + "Trabaja en un hospital. " * 30 + "</p>", "es",
     "Marta Gil Pardo"),
])
def test_a_box_titled_about_the_author_names_the_author(box: str, lang: str, name: str) -> None:
    html = (f'<html lang="{lang}"><body><main><article><h1>Title</h1><p>' + "Words of the article. " * 30 +
            f"</p><div class='bio'>{box}</div></article></main></body></html>")
    assert [p["name"] for p in audit_html(html)["facts"]["authors"]] == [name]


@pytest.mark.parametrize("box", [
    "<h2>About the author</h2><p>Our writers are health journalists.</p>",  # no name opens it
    "<h2>About the author of this study</h2><p>Jane Roe is a biologist.</p>",  # another title
    "<p>Read more about the author Jane Roe.</p>",  # a sentence, not a title
])
def test_no_author_from_what_is_not_an_author_box(box: str) -> None:
    html = ("<html lang='en'><body><main><article><h1>Title</h1><p>" + "Words of the article. " * 30 +
            f"</p>{box}</article></main></body></html>")
    assert audit_html(html)["facts"]["authors"] == []


def test_author_box_titles_pre_test_agrees_with_its_pattern() -> None:
    """The index search's needles are generated from the titles' phrase list: every text the pattern matches
    holds one of them (on every fixture page's texts and on the phrases themselves)."""
    from scoring.facts.people.bylines import _AUTHOR_BOX_NEEDLES, AUTHOR_BOX_TITLES
    from scoring.page.index import TextIndex

    texts = list(AUTHOR_BOX_TITLES.phrases.phrases) + [p.upper() for p in AUTHOR_BOX_TITLES.phrases.phrases]
    for path in sorted(FIXTURES.rglob("*.html")):
        texts += [str(t) for t in Page.parse(path.read_bytes()).short_texts]
    found = set(TextIndex(texts).find(_AUTHOR_BOX_NEEDLES))
    missed = [t for i, t in enumerate(texts) if AUTHOR_BOX_TITLES.pattern.search(t) and i not in found]
    assert not missed


def test_an_author_card_s_name_element_names_the_author() -> None:
    html = ("<html lang='en'><body><main><article><h1>Rosacea</h1><div class='author-card'><img src='z.jpg'>"
            "<div class='author-card__name'>Dr. Emily Zhao</div><div class='author-card__title'>Board-certified "
            "dermatologist</div></div><p>" + "Words of the article. " * 30 + "</p></article></main></body></html>")
    assert [p["name"] for p in audit_html(html)["facts"]["authors"]] == ["Emily Zhao"]
