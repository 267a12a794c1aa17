"""Applying the fix: the JSON-LD rendered as a safe <script>, spliced into the page's HTML in place of its
JSON-LD blocks, and the microdata and RDFa statements the fix removes taken out of their start tags (string-level
edits that leave everything else as it was)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from scoring.fix.tags import StartTag, find_tag, start_tags, without_tokens
from scoring.page.parse import decode_html


def _ascii(script: str) -> str:
    """The same script with every non-ASCII character as a JSON escape (they only occur inside strings)."""
    def esc(m: re.Match) -> str:
        code = ord(m.group(0))
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"
    return re.sub(r"[^\x00-\x7f]", esc, script)


def render_script(jsonld: dict, ascii_only: bool = False) -> str:
    """A ready-to-paste script element. ``<``, ``>`` and ``&`` inside values are written as \\u003c,
    \\u003e and \\u0026, so neither ``</script>`` nor ``<!--`` can appear in it."""
    body = json.dumps(jsonld, ensure_ascii=ascii_only, indent=2)
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{body}\n</script>'


_SCAN = re.compile(r"<!--|<(script|style|textarea|title|xmp)\b[^>]*>|</head\s*>|<body\b|<html\b[^>]*>", re.I)


_TYPE_ATTR = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


_ENDS = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("script", "style", "textarea", "title", "xmp")}


def _scan(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """(spans of the JSON-LD script elements, where to insert): markup inside comments and scripts is skipped."""
    blocks: list[tuple[int, int]] = []
    head_close = body_open = html_end = None
    pos = 0
    while True:
        m = _SCAN.search(text, pos)
        if m is None:
            break
        token = m.group(0)
        if token == "<!--":
            end = text.find("-->", m.end())
            pos = len(text) if end < 0 else end + 3
            continue
        tag = (m.group(1) or "").lower()
        if tag:
            end_m = _ENDS[tag].search(text, m.end())
            end = end_m.end() if end_m else len(text)
            if tag == "script":
                attr = _TYPE_ATTR.search(token)
                kind = next((g for g in attr.groups() if g is not None), "") if attr else ""
                if kind.strip().lower() == "application/ld+json":
                    blocks.append((m.start(), end))
            pos = end
            continue
        low = token[:6].lower()
        if low.startswith("</head") and head_close is None:
            head_close = m.start()
        elif low.startswith("<body") and body_open is None:
            body_open = m.start()
        elif low.startswith("<html") and html_end is None:
            html_end = m.end()
        pos = m.end()
    insert = head_close if head_close is not None else body_open if body_open is not None else html_end
    return blocks, insert


def fix_removals(fix: dict) -> list[dict]:
    """The removals of a fix (``remove`` of its ``unfixed`` entries), ready for ``apply_fix``."""
    return [r for item in fix.get("unfixed") or () for r in item.get("remove") or ()]


def _removal_edits(text: str, removals: Iterable[dict], as_written: Callable[[str], str]) -> list[tuple[int, int, str]]:
    """Each removal's start tag with its tokens taken out. A removal whose tag is not found as quoted, on its line,
    exactly once (the page changed since the fix) is skipped: an edit never guesses."""
    wanted = [r for r in removals if isinstance(r, dict) and isinstance(r.get("line"), int)
              and all(isinstance(r.get(k), str) for k in ("attribute", "value", "tag"))]
    if not wanted:
        return []
    lines = {r["line"] for r in wanted}
    on_line: dict[int, list[StartTag]] = {}
    for tag in start_tags(text, lines):
        if tag.line in lines:
            on_line.setdefault(tag.line, []).append(tag)
    drops: dict[StartTag, set[tuple[str, str]]] = {}
    for r in wanted:
        tag = find_tag(text, on_line.get(r["line"], []), r["attribute"], r["value"], r["tag"], as_written)
        if tag is not None:
            drops.setdefault(tag, set()).add((r["attribute"], r["value"]))
    return [(tag.start, tag.end, without_tokens(text, tag, pairs, as_written)) for tag, pairs in drops.items()]


def _splice(text: str, script: str, removals: Iterable[dict] = (),
            as_written: Callable[[str], str] = str) -> str:
    blocks, insert = _scan(text)
    edits: list[tuple[int, int, str]] = []
    for start, end in blocks:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip() and line_end < len(text):
            start, end = line_start, line_end + 1  # the block had its own line(s): remove them
        edits.append((start, end, ""))
    if insert is None:
        insert = 0
    for start, end, _ in edits:
        if start < insert < end:
            insert = end
    prefix = "" if insert == 0 or text[insert - 1] == "\n" else "\n"
    edits.append((insert, insert, f"{prefix}{script}\n"))
    edits += [e for e in _removal_edits(text, removals, as_written)
              if not any(start < e[1] and e[0] < end for start, end in blocks)]
    out = text
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1] - e[0]), reverse=True):
        out = out[:start] + new + out[end:]
    return out


def apply_fix(html: str | bytes, script: str, removals: Iterable[dict] = ()) -> str:
    """The page with its JSON-LD blocks removed, ``script`` inserted before ``</head>`` and each of ``removals``
    (``fix_removals(fix)``) taken out of its start tag.

    String-level edits: everything else (the rest of the microdata and RDFa, comments, whitespace) is left as it
    was. Bytes are decoded as the audit decodes them.
    """
    text = decode_html(html)[0] if isinstance(html, bytes) else html
    return _splice(text, script, removals)


def apply_fix_bytes(data: bytes, script: str, charset: str | None = None, removals: Iterable[dict] = ()) -> bytes:
    """``apply_fix`` on the raw bytes: every byte outside the replaced blocks and the edited start tags is kept
    as it was.

    UTF-8 pages get the script in UTF-8; other ASCII-compatible encodings get it with non-ASCII
    characters escaped (\\uXXXX), which JSON reads the same.
    """
    _, encoding = decode_html(data, charset)
    if encoding.startswith("utf-16"):
        text = decode_html(data, charset)[0]
        bom = data[:2]
        return bom + _splice(text, _ascii(script), removals).encode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + apply_fix_bytes(data[3:], script, "utf-8", removals)
    piece = script.encode("utf-8").decode("latin-1") if encoding == "utf-8" else _ascii(script)

    def as_written(chars: str) -> str:  # the page's characters, from their bytes read one to a character
        return chars.encode("latin-1").decode(encoding, errors="replace")

    return _splice(data.decode("latin-1"), piece, removals, as_written).encode("latin-1")
