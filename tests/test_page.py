"""The page model: decoding, the one parse, visible text, main content."""

import pytest

from scoring.page.index import element_text, has_attribute, texts_with
from scoring.page.model import Page

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}"><title>Fièvre de l'enfant</title></head>
<body><nav><a href="/">Accueil</a></nav>
<main><h1>Fièvre de l'enfant</h1><p>La fièvre est une réaction normale de défense de l'organisme.</p>
<p>Consultez votre médecin si elle dure plus de trois jours.<script>var x = "caché";</script></p></main>
<noscript>Activez JavaScript</noscript><footer>© Hôpital</footer></body></html>"""


@pytest.mark.parametrize("charset, data", [
    ("utf-8", ARTICLE.format(charset="utf-8").encode("utf-8")),
    ("windows-1252", ARTICLE.format(charset="windows-1252").encode("cp1252")),
    ("utf-8", b"\xef\xbb\xbf" + ARTICLE.format(charset="utf-8").encode("utf-8")),
    ("utf-8", b'<?xml version="1.0" encoding="utf-8"?>\n' + ARTICLE.format(charset="utf-8").encode("utf-8")),
])
def test_bytes_decode_to_the_same_page_whatever_the_charset(charset, data):
    page = Page.parse(data)
    assert page.title == "Fièvre de l'enfant"
    assert page.h1 == ["Fièvre de l'enfant"]
    assert "défense de l'organisme" in page.main_text


def test_transport_charset_wins_over_a_missing_meta():
    html = "<html><body><main><p>Médecin généraliste à Paris, consultations sans rendez-vous.</p></main></body></html>"
    page = Page.parse(html.encode("cp1252"), charset="iso-8859-1")
    assert "Médecin généraliste" in page.main_text


@pytest.mark.parametrize("html", [b"", b"  \n ", b"<!DOCTYPE html>", b"<html", b"<!-- only a comment -->",
                                  "<?xml version='1.0'?>"])
def test_empty_documents_are_empty_pages(html):
    page = Page.parse(html)
    assert page.blocks == [] and page.links == [] and page.title == "" and page.text_nodes == []


def test_body_text_leaves_out_scripts_and_noscript_but_keeps_footer():
    page = Page.parse(ARTICLE.format(charset="utf-8").encode())
    assert "caché" not in page.body_text
    assert "Activez JavaScript" not in page.body_text
    assert "© Hôpital" in page.body_text
    assert "Consultez votre médecin" in page.body_text


def test_main_text_is_the_article_not_the_navigation():
    page = Page.parse(ARTICLE.format(charset="utf-8").encode())
    assert page.main.tag == "main"
    assert "Accueil" not in page.main_text
    assert "caché" not in page.main_text


def test_element_text_spaces_inline_elements_and_skips_scripts():
    page = Page.parse("<html><body><p>Dose<b>maximale</b> : 3 g<script>x()</script> par jour</p></body></html>")
    assert element_text(page.root.find(".//p")) == "Dose maximale : 3 g par jour"


def test_texts_with_finds_words_at_word_starts_only():
    texts = ["Written by Jane Roe", "A baby study", "Publié par", "RELU PAR le Dr Martin"]
    assert texts_with(texts, ("by",), word_start=True) == [0]
    assert texts_with(texts, ("by",)) == [0, 1]
    assert texts_with(texts, ("par", "relu"), word_start=True) == [2, 3]
    assert texts_with([], ("by",)) == []


def test_texts_with_survives_letters_that_grow_when_lowered():
    texts = ["İstanbul", "reviewed by Dr Roe"]  # "İ".lower() is two characters
    assert texts_with(texts, ("reviewed",)) == [1]


@pytest.mark.parametrize("html", [
    b'<html><body><div ITEMSCOPE itemtype="https://schema.org/MedicalWebPage"></div></body></html>',
    '<html><body><div itemscope itemtype="https://schema.org/MedicalWebPage"></div></body></html>',
    '<html><body><div itemscope></div></body></html>'.encode("utf-16"),
])
def test_attribute_probe_finds_attributes_whatever_the_case_or_encoding(html):
    page = Page.parse(html)
    assert has_attribute(page.root, "itemscope")
    assert not has_attribute(page.root, "typeof")


def test_attribute_probe_is_not_fooled_by_text_that_names_the_attribute():
    page = Page.parse(b"<html><body><p>Add itemscope and typeof to your markup.</p></body></html>")
    assert not has_attribute(page.root, "itemscope") and not has_attribute(page.root, "typeof")
