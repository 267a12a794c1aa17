"""Raw HTML versus the rendered DOM: what a crawler that runs no JavaScript does not see.

The crawlers behind ChatGPT, Claude and Perplexity fetch the HTML and read it as it is (none of 500M+ GPTBot
and ClaudeBot fetches executed JavaScript in Vercel's and MERJ's study); Googlebot renders. So an audit reads
the raw page, and this module says what only the rendered page holds. It knows no browser: the service renders
and hands both documents (or their pages) here.

* :func:`render_facts` gathers, from one :class:`~scoring.page.Page`, the facts an AI crawler needs: the
  article's words, its authors, its dates and its JSON-LD;
* :func:`compare_rendering` compares the raw page's facts with the rendered page's: the share of the article's
  words found only after rendering and which facts exist only then;
* :func:`detect_app_shell` tells an application shell from the raw HTML alone (an empty mount point, script
  bundles, a ``<noscript>`` asking for JavaScript, almost no text), when no rendering was done.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from scoring import langdata
from scoring.facts.dates.extract import extract_dates
from scoring.facts.people.extract import extract_people
from scoring.markup.page_node import find_page_node
from scoring.markup.structured import extract_structured
from scoring.page.index import element_text, words
from scoring.page.model import Page
from scoring.phrases import GatedPattern

__all__ = ["MISSING_SHARE", "SHELL_MAX_WORDS", "RenderFacts", "compare_html", "compare_rendering",
           "detect_app_shell", "render_facts"]

# Share of the rendered article's words absent from the raw HTML. At half or more, a crawler that reads the raw
# HTML misses most of the article (the text counts as missing). The check's own line, a fifth, is declared with
# access.server-rendered (partial_share).
MISSING_SHARE = 0.5
# A shell shows a few words of chrome ("Loading...", a cookie notice); the shortest real article in our corpus
# and fixtures has over 150 words of body text.
SHELL_MAX_WORDS = 80
# A mount point is empty when it holds fewer words than this (a spinner's "Loading").
MOUNT_MAX_WORDS = 5
# Facts compared, in the order a message names the first missing one.
FACTS = ("text", "author", "date", "jsonld")
_WORD_CAP = 20_000  # words compared per page: far above an article, bounds the counters


@cache
def _shell_data() -> dict[str, Any]:
    return json.loads(resources.files("scoring").joinpath("data", "app_shell.json").read_text(encoding="utf-8"))


@cache
def _noscript_pattern() -> GatedPattern:
    return GatedPattern(langdata.words("access", "noscript_javascript"))


@dataclass(frozen=True)
class RenderFacts:
    """What a crawler needs from one version of the page (raw or rendered)."""

    article_words: tuple[str, ...]  # the main content's words, lower-cased
    body_words: tuple[str, ...]  # every visible word of the body, lower-cased
    authors: tuple[str, ...]
    date_published: str | None
    date_modified: str | None
    jsonld_blocks: int
    jsonld_types: tuple[str, ...]
    title: str | None

    def summary(self) -> dict[str, Any]:
        """The side-by-side evidence of one version."""
        return {"words": len(self.article_words), "authors": list(self.authors),
                "date_published": self.date_published, "date_modified": self.date_modified,
                "jsonld_blocks": self.jsonld_blocks, "jsonld_types": list(self.jsonld_types), "title": self.title}


def render_facts(page: Page) -> RenderFacts:
    """The crawler-relevant facts of one parsed page."""
    data = extract_structured(page.root, page.url)

    node = find_page_node(data)
    authors, _reviewers = extract_people(page, node)
    dates = extract_dates(page, node)
    jsonld_types = sorted({t for n in data.iter_nodes() if n.get("@syntax") == "json-ld" for t in n.get("@type") or ()})
    return RenderFacts(
        article_words=tuple(w.lower() for w in page.main_words[:_WORD_CAP]),
        body_words=tuple(w.lower() for w in words(page.body_text)[:_WORD_CAP]),
        authors=tuple(a["name"] for a in authors if a.get("name")),
        date_published=dates.get("date_published"),
        date_modified=dates.get("date_modified"),
        jsonld_blocks=data.jsonld_blocks,
        jsonld_types=tuple(jsonld_types),
        title=page.title,
    )


def _rendered_only_share(raw: RenderFacts, rendered: RenderFacts) -> float:
    """Share of the rendered article's words (counted with repeats) that the raw page's visible text lacks."""
    if not rendered.article_words:
        return 0.0
    available = Counter(raw.body_words)
    missing = 0
    for word in rendered.article_words:
        if available[word] > 0:
            available[word] -= 1
        else:
            missing += 1
    return missing / len(rendered.article_words)


def _names(values: tuple[str, ...]) -> set[str]:
    return {" ".join(v.casefold().split()) for v in values}


def compare_rendering(raw: RenderFacts, rendered: RenderFacts) -> dict[str, Any]:
    """What exists only in the rendered page: ``missing`` lists the facts (``text``, ``author``, ``date``,
    ``jsonld``) the rendered page has and the raw HTML lacks; ``rendered_only_share`` the share of the rendered
    article's words absent from the raw HTML; ``raw`` and ``rendered`` the evidence side by side."""
    share = _rendered_only_share(raw, rendered)
    missing: list[str] = []
    if share >= MISSING_SHARE:
        missing.append("text")
    if rendered.authors and not (_names(rendered.authors) & _names(raw.authors)):
        missing.append("author")
    if (rendered.date_published or rendered.date_modified) and not (raw.date_published or raw.date_modified):
        missing.append("date")
    if rendered.jsonld_blocks and set(rendered.jsonld_types) - set(raw.jsonld_types):
        missing.append("jsonld")
    return {"compared": True, "rendered_only_share": round(share, 3), "missing": missing,
            "raw": raw.summary(), "rendered": rendered.summary()}


def compare_html(raw_html: str | bytes, rendered_html: str | bytes, url: str | None = None, *,
                 charset: str | None = None) -> dict[str, Any]:
    """:func:`compare_rendering` of two documents of the same page (the fetched HTML in its ``charset``, the
    browser's DOM)."""
    return compare_rendering(render_facts(Page.parse(raw_html, url, charset)),
                             render_facts(Page.parse(rendered_html, url)))


def _mount_point(page: Page) -> str | None:
    data = _shell_data()
    ids, tags, classes = set(data["mount_ids"]), set(data["mount_tags"]), set(data["mount_classes"])
    body = page.root.find("body")
    for el in (body if body is not None else page.root).iter():
        if not isinstance(el.tag, str):
            continue
        el_id = el.get("id")
        el_classes = set((el.get("class") or "").split())
        if el.tag in tags or (el_id and el_id in ids) or (el_classes & classes):
            if len(words(element_text(el))) < MOUNT_MAX_WORDS:
                return el.tag + (f"#{el_id}" if el_id else "")
    return None


def detect_app_shell(page: Page) -> dict[str, Any]:
    """Signals that the raw HTML is a client-side application shell; ``shell`` is true when the body has almost
    no text, loads scripts and has an empty mount point or a ``<noscript>`` asking for JavaScript."""
    if page.word_count >= SHELL_MAX_WORDS:  # the article's words are body words: no shell, and no second count
        return {"shell": False, "words": page.word_count, "scripts": None, "mount_point": None, "noscript": None}
    body_words = len(words(page.body_text))
    scripts = sum(1 for el in page.root.iter("script") if el.get("src"))
    noscript = None
    for el in page.root.iter("noscript"):
        text = " ".join(" ".join(el.itertext()).split())[:300]
        if text and _noscript_pattern().search(text):
            noscript = text
            break
    mount = _mount_point(page) if body_words < SHELL_MAX_WORDS else None
    shell = body_words < SHELL_MAX_WORDS and scripts > 0 and (mount is not None or noscript is not None)
    return {"shell": shell, "words": body_words, "scripts": scripts, "mount_point": mount, "noscript": noscript}
