"""The sourcing phrase lists (scoring/lang/<code>/sourcing.json) and the pre-tests read from a pattern's parse tree."""

from __future__ import annotations

import re
import unicodedata
from re import _constants as _sre  # the parse tree of a pattern: private, but stable since 3.11
from re import _parser as _sre_parser

from scoring import langdata


def lang_words(key: str) -> tuple[str, ...]:
    """A phrase list of scoring/lang/<code>/sourcing.json, across every language."""
    return langdata.words("sourcing", key)


def lang_mapping(key: str) -> dict:
    return langdata.mapping("sourcing", key)


def unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def match_heads(pattern: re.Pattern[str], n: int = 2) -> frozenset[str] | None:
    """The first n characters (lower case) a match of the pattern can start with, read from its parse tree;
    None when the pattern can start otherwise than with n letters the tree names (then try everywhere)."""
    try:
        return frozenset(_heads(list(_sre_parser.parse(pattern.pattern, pattern.flags)), n))
    except ValueError:
        return None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """For each top-level alternative of the pattern, its longest run of plain characters that every match of
    that alternative holds (lower case): a text holding none of them cannot match. None when an alternative
    has no such run of two characters or more (then no pre-test is possible)."""
    tree = list(_sre_parser.parse(pattern.pattern, pattern.flags))
    branches = tree[0][1][1] if len(tree) == 1 and tree[0][0] is _sre.BRANCH else [tree]
    out: set[str] = set()
    for branch in branches:
        best = run = ""
        for op, av in branch:
            if op is _sre.LITERAL:
                run += chr(av).lower()
                best = max(best, run, key=len)
            else:
                run = ""
        if len(best) < 2:
            return None
        out.add(best)
    return tuple(sorted(out))


def _heads(items: list, n: int) -> set[str]:
    if n == 0:
        return {""}
    if not items:
        raise ValueError("a match can be shorter than the heads")
    (op, av), rest = items[0], list(items[1:])
    if op is _sre.AT:  # \b
        return _heads(rest, n)
    if op is _sre.SUBPATTERN:
        return _heads(list(av[3]) + rest, n)
    if op is _sre.BRANCH:
        return set().union(*(_heads(list(alt) + rest, n) for alt in av[1]))
    if op is _sre.LITERAL:
        chars = {chr(av)}
    elif op is _sre.IN and all(o in (_sre.LITERAL, _sre.RANGE) for o, _ in av):
        chars = {chr(a) for o, a in av if o is _sre.LITERAL}
        chars |= {chr(x) for o, a in av if o is _sre.RANGE for x in range(a[0], a[1] + 1)}
    else:
        raise ValueError(f"cannot tell how {op} starts")
    return {ch.lower() + tail for ch in chars for tail in _heads(rest, n - 1)}
