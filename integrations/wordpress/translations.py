"""The plugin's translations: the .po files are the source; this builds what WordPress loads from them.

    python integrations/wordpress/translations.py          # writes healthgeo-<locale>.mo (PHP strings) and
                                                           # healthgeo-<locale>-healthgeo-editor.json (the panel)
    python integrations/wordpress/translations.py --check  # exit 1 when a string is untranslated or a file stale

Strings are found in the code the way WordPress's tools find them: the gettext calls (``__``, ``_e``, ``_x``,
``esc_html__``...) with the ``healthgeo`` text domain.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import struct
import sys
from pathlib import Path

PLUGIN = Path(__file__).resolve().parent / "healthgeo"
LANGUAGES = PLUGIN / "languages"
DOMAIN = "healthgeo"
EDITOR_HANDLE = "healthgeo-editor"
EDITOR_SCRIPT = PLUGIN / "assets" / "editor.js"

_STRING = r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(r"\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*" + _STRING + r"\s*,\s*'healthgeo'")
_CONTEXT_CALL = re.compile(r"\b_x\(\s*" + _STRING + r"\s*,\s*" + _STRING + r"\s*,\s*'healthgeo'")
_PO_LINE = re.compile(r'^(msgctxt|msgid|msgstr)\s+(".*")$')


def _literal(token: str) -> str:
    """A PHP or JS string literal's value (single-quoted PHP strings only unescape \\' and \\\\)."""
    if token.startswith("'"):
        return token[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    return ast.literal_eval(token)


def strings_in(path: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every translatable string in a PHP or JS file; context '' when none."""
    text = path.read_text(encoding="utf-8")
    found = {("", _literal(m.group(1))) for m in _CALL.finditer(text)}
    found |= {(_literal(m.group(2)), _literal(m.group(1))) for m in _CONTEXT_CALL.finditer(text)}
    return found


def code_strings() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """All the plugin's strings, and those of the editor script."""
    every: set[tuple[str, str]] = set()
    for path in sorted(PLUGIN.rglob("*.php")) + [EDITOR_SCRIPT]:
        every |= strings_in(path)
    return every, strings_in(EDITOR_SCRIPT)


def read_po(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The header fields and the translations, by (context, msgid)."""
    entries: dict[tuple[str, str], str] = {}
    current: dict[str, str] = {}
    last = ""

    def flush() -> None:
        if "msgid" in current:
            entries[(current.get("msgctxt", ""), current["msgid"])] = current.get("msgstr", "")

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        match = _PO_LINE.match(line)
        if match:
            if match.group(1) in ("msgctxt", "msgid") and "msgstr" in current:
                flush()
                current = {}
            last = match.group(1)
            current[last] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and last:
            current[last] += ast.literal_eval(line)
        elif not line:
            flush()
            current, last = {}, ""
    header_text = entries.pop(("", ""), "")
    header = dict(part.split(": ", 1) for part in header_text.splitlines() if ": " in part)
    return header, entries


def _key(context: str, msgid: str) -> str:
    return f"{context}\x04{msgid}" if context else msgid


def mo_bytes(header: dict[str, str], entries: dict[tuple[str, str], str]) -> bytes:
    """A GNU .mo file (little-endian, no hash table), keys sorted as gettext requires."""
    items = {"": "".join(f"{k}: {v}\n" for k, v in header.items())}
    items.update({_key(c, m): t for (c, m), t in entries.items() if t})
    keys = sorted(items, key=lambda k: k.encode("utf-8"))
    ids = b"".join(k.encode("utf-8") + b"\0" for k in keys)
    strs = b"".join(items[k].encode("utf-8") + b"\0" for k in keys)
    count = len(keys)
    ids_start = 7 * 4 + 16 * count
    strs_start = ids_start + len(ids)
    offsets, id_at, str_at = [], ids_start, strs_start
    for k in keys:
        offsets.append((len(k.encode("utf-8")), id_at, len(items[k].encode("utf-8")), str_at))
        id_at += len(k.encode("utf-8")) + 1
        str_at += len(items[k].encode("utf-8")) + 1
    # No hash table (size 0), placed where the strings begin: WordPress reads the strings from the hash offset.
    out = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, ids_start)
    out += b"".join(struct.pack("<2I", length, at) for length, at, _, _ in offsets)
    out += b"".join(struct.pack("<2I", length, at) for _, _, length, at in offsets)
    return out + ids + strs


def jed_json(header: dict[str, str], entries: dict[tuple[str, str], str], wanted: set[tuple[str, str]],
             locale: str) -> str:
    """The JED 1.x document wp_set_script_translations() loads for the editor script."""
    messages: dict[str, object] = {"": {"domain": "messages", "lang": locale,
                                        "plural-forms": header.get("Plural-Forms", "nplurals=2; plural=(n > 1);")}}
    for context, msgid in sorted(wanted):
        translated = entries.get((context, msgid), "")
        if translated:
            messages[_key(context, msgid)] = [translated]
    document = {"translation-revision-date": header.get("PO-Revision-Date", ""), "generator": "healthgeo",
                "domain": "messages", "locale_data": {"messages": messages}}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def outputs() -> dict[Path, bytes]:
    """Every file built from the .po files, by path."""
    _, editor = code_strings()
    built: dict[Path, bytes] = {}
    for po in sorted(LANGUAGES.glob(f"{DOMAIN}-*.po")):
        locale = po.stem.removeprefix(f"{DOMAIN}-")
        header, entries = read_po(po)
        built[LANGUAGES / f"{DOMAIN}-{locale}.mo"] = mo_bytes(header, entries)
        built[LANGUAGES / f"{DOMAIN}-{locale}-{EDITOR_HANDLE}.json"] = jed_json(header, entries, editor,
                                                                                 locale).encode("utf-8")
    return built


def problems() -> list[str]:
    """Untranslated or unused strings, and built files that differ from their .po."""
    every, _ = code_strings()
    found = []
    for po in sorted(LANGUAGES.glob(f"{DOMAIN}-*.po")):
        _, entries = read_po(po)
        found += [f"{po.name}: untranslated {c + ' | ' if c else ''}{m!r}" for c, m in sorted(every)
                  if not entries.get((c, m))]
        found += [f"{po.name}: unused {c + ' | ' if c else ''}{m!r}" for c, m in sorted(set(entries) - every)]
    for path, data in outputs().items():
        if not path.exists() or path.read_bytes() != data:
            found.append(f"{path.name} is stale: run python integrations/wordpress/translations.py")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on a problem")
    args = parser.parse_args(argv)
    if not args.check:
        for path, data in outputs().items():
            path.write_bytes(data)
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
