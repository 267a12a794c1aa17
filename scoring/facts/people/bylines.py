"""Visible bylines: labelled texts (By, Par, Relu par, Geprüft von...) and author boxes, judged by where they sit
(the byline nearest the headline is the article's; teasers and site chrome are not)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from scoring import langdata
from scoring.facts.people.names import (
    looks_like_person,
    parse_people,
    parse_person,
    person_key,
)
from scoring.page.index import SKIP_TAGS, clean_text, element_text, text_of
from scoring.page.model import Page
from scoring.phrases import GatedPattern, PhraseSet, expand, index_needles

_LABEL_TEMPLATE = r"(?<![\w-])({phrases})(?!\w)\s*:?\s*"
AUTHOR_LABELS = PhraseSet(langdata.words("people", "author_labels") + langdata.words("people", "bare_labels"))
REVIEW_LABELS = PhraseSet(langdata.words("people", "review_labels"))
AUTHOR_RE = GatedPattern(AUTHOR_LABELS, _LABEL_TEMPLATE)
REVIEW_RE = GatedPattern(REVIEW_LABELS, _LABEL_TEMPLATE)
# "by", "par": ordinary words too, a byline only at the start of a line or after a separator
_BARE_LABELS = frozenset(p.casefold() for w in langdata.words("people", "bare_labels") for p in expand(w))
# what may come before a bare "by": a separator, nothing, or a date's year ("3 mars 2024 par")
_BYLINE_START = re.compile(r"[|•·/\n:]\s*$|^\W*$|\b\d{4},?\s*$")
PROSE_MIN = 100  # characters: a longer text is a paragraph, where a label after a lower-case word is prose
_PROSE_BEFORE = re.compile(r"(?<![\w-])[^\W\d_A-ZÀ-Þ][^\W\d_]*,?\s+$")  # a lower-case word just before: a sentence


class _AfterMain:
    """Whether elements come after the main content in document order (and are not inside it)."""

    __slots__ = ("main", "_branch_at")

    def __init__(self, main: etree._Element) -> None:
        self.main = main
        # each ancestor of main, with the position of its child on the way to main
        self._branch_at: dict[etree._Element, int] = {}
        child = main
        for node in main.iterancestors():
            self._branch_at[node] = node.index(child)
            child = node

    def __call__(self, el: etree._Element) -> bool:
        main, branch_at = self.main, self._branch_at
        if el is main or el in branch_at:
            return False
        child, node = el, el.getparent()
        while node is not None and node is not main and node not in branch_at:
            child, node = node, node.getparent()
        if node is None or node is main:
            return False
        return node.index(child) > branch_at[node]


BYLINE_MAX = 300  # characters of a byline's element text
AUTHOR_BOX_MAX = 80  # characters of an element classed as author whose text is a name


def _text_up_to(el: etree._Element, limit: int) -> str | None:
    """`element_text(el)` when it is at most `limit` characters long, else None: a big element (the whole
    article around a label word) is read only until it is known to be too long."""
    if not len(el):
        text = element_text(el)
        return text if len(text) <= limit else None
    pieces: list[str] = []
    most = 0  # the most characters the pieces so far make (element_text collapses spaces)
    for piece in visible_texts(el):
        pieces.append(piece)
        most += len(piece) + 1
        if most > limit:
            text = clean_text(" ".join(pieces))
            if len(text) > limit:
                return None
            pieces, most = [text], len(text)
    return clean_text(" ".join(pieces))


def visible_texts(el: etree._Element, skip: etree._Element | None = None) -> Iterator[str]:
    """The texts `element_text` joins, in order: those of scripts, styles, forms, buttons... (and of `skip`)
    left out."""
    if el.tag in SKIP_TAGS or el is skip:
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from visible_texts(child, skip)
        if child.tail:
            yield child.tail


def _needles(*phrase_sets: PhraseSet) -> tuple[set[str], set[str]]:
    """The text-node pre-test of label lists, generated from their phrases: per phrase, a plain ASCII word
    of it (a space in a phrase is at least one non-word character in the text, so the word starts a word
    there), none when one of its words already is a needle ("by" for "written by"), else its longest; a phrase
    without such a word gives its longest plain run, found anywhere ("daction" of "rédaction")."""
    at_start, anywhere = set(), set()
    phrases = sorted((p.casefold() for ps in phrase_sets for p in ps.phrases), key=lambda p: (len(p.split()), p))
    for phrase in phrases:
        words = [w for w in (w.rstrip(":") for w in phrase.split()) if w.isascii() and w.isalpha()]
        if any(w.startswith(needle) for w in words for needle in at_start):
            continue
        if words:
            at_start.add(max(words, key=len))
        elif not any(needle in phrase for needle in anywhere):
            anywhere.add(max(re.findall(r"[a-z]+", phrase), key=len))
    return at_start, anywhere


_NEEDLES_AT_START, _NEEDLES_ANYWHERE = _needles(AUTHOR_LABELS, REVIEW_LABELS)


def _has_label(text: str) -> bool:
    label = REVIEW_RE.search(text) or AUTHOR_RE.search(text)
    return label is not None and bool(text[label.end():].strip())


def _label_texts(page: Page) -> list[tuple[str, etree._Element]]:
    """Short texts of elements that hold a byline label, with their element: the label's text node's parent,
    or the nearest of its two ancestors whose text holds a label followed by something."""
    index = page.short_text_index
    hits = set(index.find(_NEEDLES_AT_START, word_start=True)) | set(index.find(_NEEDLES_ANYWHERE))
    out: list[tuple[str, etree._Element]] = []
    looked_at: set[etree._Element] = set()  # label words often share their container
    for hit in sorted(hits):
        node = page.short_texts[hit]
        container = node.getparent()
        if node.is_tail:
            container = container.getparent()
        below = None  # the text of the element below, whose labels were already looked for
        for _ in range(3):
            if container is None or container in looked_at:
                break
            looked_at.add(container)
            full = _text_up_to(container, BYLINE_MAX)
            if full is None:
                break
            if full != below and _has_label(full):  # a wrapper with its child's text holds no other label
                out.append((full, container))
                break
            below, container = full, container.getparent()
    return out


# in a class or id, anywhere: "c-comments", "relatedPosts"
_FURNITURE_CLASSES = ("comment", "related", "recommend", "newsletter", "promo", "cookie", "footer", "navbar", "menu",
                      "teaser", "more-from", "morefrom", "sidebar", "widget", "popular", "trending")
_FURNITURE_HINT = re.compile("|".join(_FURNITURE_CLASSES))

# the titles of blocks of other stories ("More from", "À lire aussi", "Mehr zum Thema"), from language data
FURNITURE_TITLES = GatedPattern(langdata.words("people", "furniture_words"))
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
FURNITURE_TITLE_MAX = 100  # characters


def _titled_as_furniture(node: etree._Element) -> bool:
    """Whether a block's title (its first child, or the heading just before it) names other stories."""
    titles = [node[0]] if len(node) else []
    previous = node.getprevious()
    if previous is not None:
        titles.append(previous)
    for title in titles:
        if isinstance(title.tag, str) and (title.tag in _HEADINGS or "title" in (title.get("class") or "")):
            text = _text_up_to(title, FURNITURE_TITLE_MAX) or ""  # a title is short: a longer one is read no further
            match = FURNITURE_TITLES.search(text)
            if match is not None and match.start() == 0:
                return True
    return False


def _in_furniture(el: etree._Element, page: Page) -> bool:
    """Site navigation, footers, comments and related-content blocks: their bylines are other stories'."""
    node = el
    while node is not None and node is not page.main:
        tag = node.tag
        if tag in ("nav", "footer") or node.get("role") in ("navigation", "contentinfo"):
            return True
        names, ident = node.get("class"), node.get("id")
        if (names or ident) and tag not in ("body", "html") and \
                _FURNITURE_HINT.search(f"{names or ''} {ident or ''}".lower()):
            return True
        if node is not el and _titled_as_furniture(node):
            return True
        node = node.getparent()
    return False


class Byline:
    """A visible candidate: its people, element, and the evidence."""

    __slots__ = ("people", "element", "evidence", "url_of", "late")

    def __init__(self, people: list[dict], element: etree._Element, evidence: str, url_of: dict, late: bool):
        self.people, self.element, self.evidence, self.url_of, self.late = people, element, evidence, url_of, late


def _links_of(el: etree._Element) -> list[etree._Element]:
    return [a for a in ([el] if el.tag == "a" else el.iter("a")) if a.get("href")]


def _url_for(name: str, links: list[etree._Element], page: Page) -> str | None:
    for link in links:
        linked = parse_person(clean_text(text_of(link)))
        if linked and person_key(linked["name"]) == person_key(name):
            url = page.absolute(link.get("href"))
            return url if url and url.startswith("http") else None
    return None


def _inside_any(matches: list[re.Match], position: int) -> bool:
    return any(m.start() <= position < m.end() for m in matches)


def _labelled_people(text: str, pattern: GatedPattern, skip: list[re.Match],
                     links: list[etree._Element]) -> list[dict]:
    """The people named after each label of `pattern` in a byline's text."""
    found: list[dict] = []
    for match in pattern.finditer(text):
        if _inside_any(skip, match.start()):
            continue
        label = " ".join(match.group(1).split()).casefold()
        bare = label in _BARE_LABELS
        before = text[:match.start()]
        if bare and before and not _BYLINE_START.search(before):
            continue  # "by" in the middle of a sentence is prose, not a byline
        if pattern is AUTHOR_RE and len(text) > PROSE_MIN and _PROSE_BEFORE.search(before):
            continue  # nor, in a paragraph, "... the speech written by ..."
        for person in parse_people(text[match.end():]):
            if person["type"] == "Organization" or looks_like_person(person["name"], strict=bare):
                found.append(_bounded_by_link(person, links))
    return found


def _bounded_by_link(person: dict, links: list[etree._Element]) -> dict:
    """A name read past its link's end is cut there: "By <a>Kelli Miller</a> WebMD Health News"."""
    for link in links:
        linked = parse_person(clean_text(text_of(link)))
        if linked and person["name"].startswith(linked["name"] + " "):
            return {**person, "name": linked["name"], "type": "Person"}  # not "Kelli Miller WebMD Health News"
    return person


def visible_bylines(page: Page, author_boxes: bool) -> tuple[list[Byline], list[Byline]]:
    """(author bylines, reviewer bylines) outside the page's furniture; elements classed as author count too
    when `author_boxes` and no label names an author (their scan costs a pass over the page)."""
    authors: list[Byline] = []
    reviewers: list[Byline] = []
    after_main = _AfterMain(page.main)
    for text, el in _label_texts(page):
        if _in_furniture(el, page):
            continue
        reviews = list(REVIEW_RE.finditer(text))
        late = after_main(el)
        links = _links_of(el)
        for target, people in ((reviewers, _labelled_people(text, REVIEW_RE, [], links)),
                               (authors, _labelled_people(text, AUTHOR_RE, reviews, links))):
            if people:
                target.append(Byline(people, el, text[:200], {p["name"]: _url_for(p["name"], links, page)
                                                               for p in people}, late))
    authors.extend(_label_value_bylines(page, after_main))
    if authors or not author_boxes:
        return authors, reviewers
    authors.extend(_titled_author_boxes(page, after_main))
    if authors:
        return authors, reviewers
    for el in _author_boxes(page.root):
        if not _AUTHOR_CLASS.search(el.get("class") or "") or _in_furniture(el, page):
            continue
        text = _text_up_to(el, AUTHOR_BOX_MAX)
        if not text or REVIEW_RE.search(text):
            continue
        match = AUTHOR_RE.search(text)
        rest = text[match.end():] if match and match.start() == 0 else text
        people = [p for p in parse_people(rest) if p["type"] == "Person" and looks_like_person(p["name"], True)]
        if people:
            links = _links_of(el)
            authors.append(Byline(people, el, text, {p["name"]: _url_for(p["name"], links, page) for p in people},
                                   after_main(el)))
    return authors, reviewers


# a label alone in its element, its value in the next ("<dt>Author</dt><dd>Jane Roe</dd>", "<strong>Autorin/Autor
# </strong> Roman X"): the label is looked up, whole, in the set of every written form of the data's label words
_VALUE_LABELS = frozenset(p.casefold() for w in langdata.words("people", "label_words") for p in expand(w))
_LABEL_TAGS = etree.XPath("/html/body//*[self::strong or self::b or self::dt or self::th or self::span or self::em"
                          " or self::label or self::small][not(*)]")
LABEL_MAX = 30  # characters of a label element's text
VALUE_MAX = 80  # characters of its value


def _is_value_label(text: str) -> bool:
    """Whether a short text is nothing but author label words: "Author", "Auteur :", "Autorin/Autor", "Autor(a)"."""
    pieces = text.replace("(", "").replace(")", "").rstrip(" :").casefold().split("/")
    return all(" ".join(piece.split()) in _VALUE_LABELS for piece in pieces)


def _value_after(label: etree._Element) -> tuple[str, etree._Element] | None:
    """The text just after a label: its tail when there is one, else its next element's (dd after dt, td after
    th), with the element that holds both."""
    tail = clean_text(label.tail or "")
    if tail:
        return (tail, label.getparent()) if len(tail) <= VALUE_MAX else None
    following = label.getnext()
    if following is None or not isinstance(following.tag, str):
        return None
    text = _text_up_to(following, VALUE_MAX)
    return (text, label.getparent()) if text else None


def _label_value_bylines(page: Page, after_main: _AfterMain) -> list[Byline]:
    """Bylines written as a label and its value, without "By" or a colon."""
    found: list[Byline] = []
    for label in _LABEL_TAGS(page.root):
        text = label.text or ""
        if not text.strip() or len(text) > LABEL_MAX or not _is_value_label(text):
            continue
        value = _value_after(label)
        if value is None or _in_furniture(value[1], page):
            continue
        people = [p for p in parse_people(value[0]) if p["type"] == "Person" and looks_like_person(p["name"], True)]
        if people:
            links = _links_of(value[1])
            found.append(Byline(people, value[1], f"{clean_text(text)} {value[0]}",
                                 {p["name"]: _url_for(p["name"], links, page) for p in people}, after_main(value[1])))
    return found


# the title of a box about the author ("About the author", "À propos de l'autrice"): a text that is nothing else
AUTHOR_BOX_TITLES = GatedPattern(PhraseSet(langdata.words("people", "author_box_titles")),
                                 r"^[^\w]*(?:{phrases})[\s:?.]*$")
_AUTHOR_BOX_NEEDLES = index_needles(AUTHOR_BOX_TITLES.phrases)
AUTHOR_BOX_TITLE_MAX = 60  # characters of the title
AUTHOR_BOX_READ = 300  # characters read of what follows the title: the name opens it
AUTHOR_BOX_SIBLINGS = 3  # elements after the title tried for the name (a photo, a caption...)
AUTHOR_BOX_EVIDENCE = 150  # characters of the box kept as evidence


def _text_start(el: etree._Element, limit: int) -> str:
    """The start of an element's text, about `limit` characters: a biography is read only as far as its name."""
    pieces: list[str] = []
    size = 0
    for piece in visible_texts(el):
        pieces.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return clean_text(" ".join(pieces))[:limit]


def _titled_author_boxes(page: Page, after_main: _AfterMain) -> list[Byline]:
    """Boxes about the author, titled as such, the name opening what follows: "<h3>À propos de l'auteur</h3>
    <p><strong>Jane Roe</strong></p>" or "<h2>About the Author</h2><p>Jane Roe, PhD, is a sleep scientist...</p>"."""
    found: list[Byline] = []
    for hit in page.short_text_index.find(_AUTHOR_BOX_NEEDLES):
        node = page.short_texts[hit]
        if node.is_tail or len(node) > AUTHOR_BOX_TITLE_MAX or not AUTHOR_BOX_TITLES.search(node):
            continue
        title = node.getparent()
        if _text_up_to(title, AUTHOR_BOX_TITLE_MAX) != clean_text(node) or _in_furniture(title, page):
            continue
        following = title.getnext()
        for _ in range(AUTHOR_BOX_SIBLINGS):
            if following is None:
                break
            text = _text_start(following, AUTHOR_BOX_READ) if isinstance(following.tag, str) else None
            if text:
                people = [p for p in parse_people(text)[:1]
                          if p["type"] == "Person" and looks_like_person(p["name"], strict=True)]
                if people:
                    links = _links_of(following)
                    found.append(Byline(people, following, f"{clean_text(node)} {text[:AUTHOR_BOX_EVIDENCE]}",
                                         {p["name"]: _url_for(p["name"], links, page) for p in people},
                                         after_main(following)))
                break
            following = following.getnext()
    return found


# classes that mark an author's name or box: the pre-test and the pattern come from the same words
_AUTHOR_CLASS_WORDS = ("author", "byline", "auteur", "autor", "signature")
_AUTHOR_CLASS_HINT = re.compile("|".join(_AUTHOR_CLASS_WORDS), re.I)  # the pre-test: any of the words, anywhere
_AUTHOR_CLASS = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(_AUTHOR_CLASS_WORDS) + r")(?:[-_]{1,2}(?:card|box|info|block|details))?"
    r"(?:[-_]{1,2}(?:name|link|title))?(?:$|\s)", re.I)

_BODY_CLASSES = etree.XPath("/html/body//*/@class")  # the class attributes of the body, in document order, in C


def _author_boxes(root: etree._Element) -> Iterator[etree._Element]:
    """Elements of the body whose class holds an author word, in document order."""
    for names in _BODY_CLASSES(root):
        if _AUTHOR_CLASS_HINT.search(names):
            yield names.getparent()


def headline_element(page: Page) -> etree._Element | None:
    """The article's headline: the first h1 in the main content, else the first h1 of the page."""
    first = None
    for h1 in page.root.iter("h1"):
        if first is None:
            first = h1
        node = h1
        while node is not None and node is not page.main:
            node = node.getparent()
        if node is page.main:
            return h1
    return first


def primary_byline(bylines: list[Byline], page: Page) -> Byline | None:
    """The article's own byline: of those inside or before the article, the one sharing the smallest block with
    its headline (a byline after the headline first, then the nearest); a byline after the article only when
    there is no other."""
    if not bylines:
        return None
    early = [b for b in bylines if not b.late] or bylines
    if len(early) == 1:
        return early[0]
    headline = headline_element(page)
    if headline is None:
        headline = page.main
    # the headline's ancestors: how far up each is, and its child on the way down to the headline
    height: dict[etree._Element, int] = {headline: 0}
    toward_headline: dict[etree._Element, etree._Element] = {}
    child = headline
    for up, node in enumerate(headline.iterancestors(), start=1):
        height[node], toward_headline[node] = up, child
        child = node

    def closeness(byline: Byline) -> tuple[int, int, int]:
        child, node = None, byline.element
        while node not in height:
            child, node = node, node.getparent()
        if child is None or node is headline:
            return (height[node], 0, 0)
        gap = node.index(child) - node.index(toward_headline[node])
        return (height[node], gap < 0, abs(gap))

    return min(early, key=closeness)


HEADLINE_BLOCK_LEVELS = 3  # a byline in the block of the headline's third ancestor sits with the headline


def near_headline(el: etree._Element, headline: etree._Element | None) -> bool:
    if headline is None:
        return False
    block = headline
    for _ in range(HEADLINE_BLOCK_LEVELS):
        if block.getparent() is None:
            break
        block = block.getparent()
    return el is block or any(node is block for node in el.iterancestors())
