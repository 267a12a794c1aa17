"""Byline search helpers: the bounded element text agrees with `element_text`."""

from __future__ import annotations

import pytest
from lxml import etree

from scoring.page import Page, element_text
from scoring.people import _AfterMain, _author_boxes, _text_up_to, extract_people

from .conftest import FIXTURES

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
