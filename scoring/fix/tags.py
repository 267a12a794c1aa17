"""Start tags read from a page's text as written, for edits that leave every other character as it was.

The scan reads the text as libxml2 does: nothing inside comments or the raw text of scripts, styles and the like is
a tag, and only a quote right after "=" opens an attribute value (a ">" inside it is no end). Lines count "\\n" only,
as libxml2 does, so a line here is an element's ``sourceline`` in the parsed tree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# one "<" first, so that `re` jumps from one "<" to the next; a start tag's attributes as atomic tokens (linear)
_NEXT = re.compile(r"""<(?:(!--)|[!?/]|([a-zA-Z][^\s/>]*+)"""
                   r"""(?>\s++|=\s*+"(?>[^"]*+"|)|=\s*+'(?>[^']*+'|)|=|[^\s>=]++)*+(>)?)""")
_RAW_END = {name: re.compile(rf"</{name}[\s/>]", re.I)
            for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")}
_GAP = re.compile(r"[\s/]*+")
_NAME = re.compile(r"[^\s/>][^\s/>=]*+")
_EQUALS = re.compile(r"\s*+=\s*+")
_UNQUOTED = re.compile(r"[^\s>]*+")
_TOKEN = re.compile(r"[^\t\n\f\r ]++")  # the ASCII whitespace that separates itemprop / property tokens
TAG_QUOTE_LENGTH = 200  # a start tag quoted in a report is cut here


@dataclass(frozen=True)
class StartTag:
    name: str  # lower case
    start: int  # offset of "<"
    end: int  # offset after ">"
    line: int  # the line of "<"
    end_line: int  # the line of ">" (libxml2's sourceline for the element)


@dataclass(frozen=True)
class Attribute:
    name: str  # lower case
    start: int  # offset of the name
    end: int  # offset after the value (or the name)
    value_start: int | None  # the value inside its quotes; None for an attribute without "="
    value_end: int | None


def start_tags(text: str, lines: set[int] | None = None) -> Iterator[StartTag]:
    """The start tags of ``text`` in order; with ``lines``, only those that begin or end on one of them."""
    last_line = max(lines) if lines else None
    pos = counted = 0
    line = 1
    while True:
        m = _NEXT.search(text, pos)
        if m is None:
            return
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if last_line is not None and line > last_line:
            return
        if m.group(1) or m.group(2) is None:  # a comment, a bogus comment (<!x>, <?x>) or an end tag
            end = text.find("-->" if m.group(1) else ">", m.end())
            pos = len(text) if end < 0 else end + (3 if m.group(1) else 1)
            continue
        if m.group(3) is None:  # a start tag the text never closes
            return
        name = m.group(2).lower()
        end_line = line + text.count("\n", m.start(), m.end())
        if lines is None or line in lines or end_line in lines:
            yield StartTag(name, m.start(), m.end(), line, end_line)
        pos = m.end()
        if name in _RAW_END:
            close = _RAW_END[name].search(text, pos)
            pos = len(text) if close is None else close.start()


def attributes(text: str, tag: StartTag) -> list[Attribute] | None:
    """The attributes of a start tag in order (names lower-cased); None when a quoted value is never closed."""
    out: list[Attribute] = []
    pos = tag.start + 1 + len(tag.name)
    last = tag.end - 1  # the ">"
    while True:
        pos = _GAP.match(text, pos, last).end()
        if pos >= last:
            return out
        name_end = _NAME.match(text, pos, last).end()
        name = text[pos:name_end].lower()
        equals = _EQUALS.match(text, name_end, last)
        if equals is None:
            out.append(Attribute(name, pos, name_end, None, None))
            pos = name_end
            continue
        value = equals.end()
        if value < last and text[value] in "\"'":
            close = text.find(text[value], value + 1, last)
            if close < 0:
                return None
            out.append(Attribute(name, pos, close + 1, value + 1, close))
            pos = close + 1
        else:
            value_end = _UNQUOTED.match(text, value, last).end()
            out.append(Attribute(name, pos, value_end, value, value_end))
            pos = value_end


def attribute(text: str, tag: StartTag, name: str) -> Attribute | None:
    """The tag's first attribute of that name (the one a parser keeps)."""
    for attr in attributes(text, tag) or ():
        if attr.name == name:
            return attr
    return None


def attribute_values(text: str, tag: StartTag) -> dict[str, str]:
    """The attributes as lxml holds them: the first of each name, entities decoded, a bare name as ""."""
    out: dict[str, str] = {}
    for attr in attributes(text, tag) or ():
        if attr.name not in out:
            out[attr.name] = "" if attr.value_start is None else html.unescape(text[attr.value_start:attr.value_end])
    return out


def token_spans(text: str, attr: Attribute) -> list[tuple[int, int]]:
    if attr.value_start is None:
        return []
    return [m.span() for m in _TOKEN.finditer(text, attr.value_start, attr.value_end)]


def carries(text: str, tag: StartTag, name: str, token: str, as_written: Callable[[str], str] = str) -> bool:
    """The tag's ``name`` attribute holds ``token`` (entities decoded; ``as_written`` reads the text's characters
    in the page's own encoding, for text decoded as latin-1)."""
    attr = attribute(text, tag, name)
    return attr is not None and any(html.unescape(as_written(text[a:b])) == token for a, b in token_spans(text, attr))


def quote_tag(tag_text: str) -> str:
    """A start tag as a report quotes it: as written, cut after TAG_QUOTE_LENGTH characters."""
    return tag_text if len(tag_text) <= TAG_QUOTE_LENGTH else tag_text[:TAG_QUOTE_LENGTH - 1] + "…"


def find_tag(text: str, tags: list[StartTag], name: str, token: str, quoted: str,
             as_written: Callable[[str], str] = str) -> StartTag | None:
    """The one tag of ``tags`` (those beginning on a line) whose ``name`` attribute holds ``token`` and which is
    quoted as ``quoted``; None when there is none or more than one (a removal never guesses)."""
    found = [t for t in tags if quote_tag(as_written(text[t.start:t.end])) == quoted
             and carries(text, t, name, token, as_written)]
    return found[0] if len(found) == 1 else None


def without_tokens(text: str, tag: StartTag, drops: set[tuple[str, str]],
                   as_written: Callable[[str], str] = str) -> str:
    """The start tag's text with each (attribute, token) of ``drops`` taken out: the token and the space before it
    (after it, for a first token), or the whole attribute and the space before it when no token is left."""
    cuts: list[tuple[int, int]] = []
    for name in sorted({n for n, _ in drops}):
        attr = attribute(text, tag, name)
        if attr is None:
            continue
        spans = token_spans(text, attr)
        gone = [i for i, (a, b) in enumerate(spans) if (name, html.unescape(as_written(text[a:b]))) in drops]
        if not gone:
            continue
        if len(gone) == len(spans):
            start = attr.start
            while start > tag.start and text[start - 1] in " \t\n\f\r":
                start -= 1
            cuts.append((start, attr.end))
            continue
        first_kept = min(set(range(len(spans))) - set(gone))
        for i in gone:  # before the first token kept: the token and the space after it; later, the space before it
            cuts.append((spans[i][0], spans[i + 1][0]) if i < first_kept else (spans[i - 1][1], spans[i][1]))
    out = text[tag.start:tag.end]
    for a, b in sorted(cuts, reverse=True):
        out = out[:a - tag.start] + out[b - tag.start:]
    return out
