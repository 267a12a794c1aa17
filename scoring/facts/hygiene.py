"""Hygiene facts: what SEO crawlers (Lighthouse, Screaming Frog) report on a page, read once from the parsed Page.

Canonical links (all of them: two that disagree are an error), hreflang alternates, Open Graph and Twitter card
metas, the article's images with and without a text alternative, and the article's links whose whole text says
nothing of their target ("read more", "cliquez ici"). Pure: a Page in, JSON-ready facts out.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from scoring import langdata
from scoring.limits import MAX_HREFLANG, MAX_LINKS
from scoring.page.main import is_furniture
from scoring.page.model import Page
from scoring.phrases import PhraseSet, phrase_pattern

SOCIAL_KEYS = ("og:title", "og:description", "og:image", "og:url", "twitter:card")
# A link text longer than this is a sentence, never a bare "read more": the pattern is not tried on it.
VAGUE_TEXT_MAX = 40
EXAMPLES = 5  # evidence kept per finding
VALUE_MAX = 300  # characters kept of a meta value or URL in the facts


class _VagueLinkTexts:
    """The phrases of scoring/lang/*/hygiene.json ``vague_link_texts`` as one pattern matched against a
    link's whole text (punctuation and symbols around it ignored) and the pre-test generated from the same list."""

    def __init__(self) -> None:
        raw = langdata.words("hygiene", "vague_link_texts")
        self.phrases = PhraseSet(raw)
        # \W around the phrase: "Read more »", "(ici)", "→ En savoir plus…"; no nested quantifier
        self.pattern = re.compile(r"[\W_]*(?:" + phrase_pattern(raw) + r")[\W_]*", re.I)

    def matches(self, text: str) -> bool:
        if len(text) > VAGUE_TEXT_MAX or not self.phrases.possible(text):
            return False
        return self.pattern.fullmatch(text) is not None


VAGUE_LINK_TEXTS = _VagueLinkTexts()


def normalize_url(url: str | None) -> str | None:
    """A URL as compared for "same page": scheme and host lower case, default port and fragment dropped, an empty
    path as "/". None for what is not an absolute http(s) URL."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def href_kind(href: str) -> str:
    """How a canonical or hreflang href is written: "absolute" (an http(s) URL with its host, what Google asks of
    both), "relative" (a reference the page's URL completes) or "invalid" (another scheme, "ftp:",
    "javascript:", or an address urllib cannot read, "http://[::1")."""
    if normalize_url(href) is not None:
        return "absolute"
    try:
        return "invalid" if urlsplit(href).scheme else "relative"
    except ValueError:
        return "invalid"  # "http://[::1": a scheme with a broken host


def _resolve(base: str | None, href: str) -> str:
    """`href` against the page's URL; as written when either is not a URL urllib can read ("http://[::1")."""
    try:
        return urljoin(base, href) if base else href
    except ValueError:
        return href


def _head_links(page: Page) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Every rel=canonical link and every hreflang alternate: the href as written and as resolved."""
    canonicals: list[dict[str, str]] = []
    alternates: list[dict[str, str]] = []
    count = extra = 0
    for el in page.root.iter("link"):
        count += 1
        if count > MAX_LINKS:
            page.limits.hit("links", int(page.root.xpath("count(//link)")), MAX_LINKS)
            break
        rel = (el.get("rel") or "").lower().split()  # most links are styles, icons, preloads: URLs left alone
        is_canonical = "canonical" in rel
        if not (is_canonical or ("alternate" in rel and el.get("hreflang") is not None)):
            continue
        href = (el.get("href") or "").strip()
        if not href:
            continue
        entry = {"href": href[:VALUE_MAX], "url": _resolve(page.url, href)[:VALUE_MAX]}
        if is_canonical:
            canonicals.append(entry)
        elif len(alternates) < MAX_HREFLANG:
            alternates.append({"lang": el.get("hreflang").strip()[:35], **entry})
        else:
            extra += 1
    if extra:
        page.limits.hit("hreflang", MAX_HREFLANG + extra, MAX_HREFLANG)
    return canonicals, alternates


def _social(page: Page) -> dict[str, str]:
    """The Open Graph and Twitter card values the page gives (first of each, trimmed)."""
    found = {}
    for key in SOCIAL_KEYS:
        value = page.meta_first(key)
        if value:
            found[key] = value[:VALUE_MAX]
    return found


def _outside_furniture(el: etree._Element, main: etree._Element, memo: dict[Any, bool]) -> bool:
    """True when no element between `el` and the main content is furniture (share bars, related teasers).
    Each ancestor is judged once a page: linear in the main content's size."""
    path = []
    node = el.getparent()
    answer = True
    while node is not None and node is not main:
        known = memo.get(node)
        if known is not None:
            answer = known
            break
        path.append(node)
        if is_furniture(node):
            answer = False
            break
        node = node.getparent()
    for ancestor in path:
        memo[ancestor] = answer
    return answer


def _is_tracking_pixel(img: etree._Element) -> bool:
    return img.get("width") in ("0", "1") and img.get("height") in ("0", "1")


def _has_text_alternative(img: etree._Element) -> bool:
    """An alt attribute (empty marks a decorative image), a decorative role, or an accessible name (axe-core's
    image-alt rule, which Lighthouse runs)."""
    if img.get("alt") is not None:
        return True
    if (img.get("role") or "").strip().lower() in ("presentation", "none") or img.get("aria-hidden") == "true":
        return True
    return bool((img.get("aria-label") or "").strip() or (img.get("aria-labelledby") or "").strip())


def _images(page: Page, memo: dict[Any, bool]) -> dict[str, Any]:
    total = described = decorative = 0
    missing: list[str] = []
    for img in page.main.iter("img"):
        if _is_tracking_pixel(img) or not _outside_furniture(img, page.main, memo):
            continue
        total += 1
        if _has_text_alternative(img):
            described += 1
            decorative += img.get("alt", "x").strip() == ""
        elif len(missing) < EXAMPLES:
            missing.append((img.get("src") or img.get("data-src") or "")[:VALUE_MAX])
    return {"total": total, "with_alt": described, "decorative": decorative, "missing": missing}


def _link_texts(page: Page, memo: dict[Any, bool]) -> dict[str, Any]:
    """The article's links whose whole text says nothing; a link named by its aria-label is judged by that."""
    total = vague = 0
    examples: list[dict[str, str]] = []
    for link in page.links:
        if not link.in_main or not _outside_furniture(link.element, page.main, memo):
            continue
        total += 1
        name = (link.element.get("aria-label") or "").strip() or link.text
        if VAGUE_LINK_TEXTS.matches(name):
            vague += 1
            if len(examples) < EXAMPLES:
                examples.append({"text": name, "url": link.url[:VALUE_MAX]})
    return {"total": total, "vague": vague, "examples": examples}


def extract_hygiene(page: Page) -> dict[str, Any]:
    """The hygiene facts of a page: canonical links, hreflang alternates, social cards, images, link texts."""
    canonicals, alternates = _head_links(page)
    memo: dict[Any, bool] = {}
    return {"canonicals": canonicals, "hreflang": alternates, "social": _social(page),
            "images": _images(page, memo), "link_texts": _link_texts(page, memo)}
