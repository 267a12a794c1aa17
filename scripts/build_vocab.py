#!/usr/bin/env python3
"""Build ``scoring/data/schemaorg-vocab.json`` from an official schema.org release file.

Usage (from the repository root)::

    python scripts/build_vocab.py [PATH/TO/schemaorg-all-https.jsonld] [--release 30.0] [--out FILE]

The input defaults to ``../shared/schemaorg/schemaorg-all-https.jsonld`` relative to the
repository root.  Use the "all" file (it also holds the attic terms, which lets the
validator say "retired" instead of "unknown").  The release number is taken from
``--release``, else from a ``SOURCES.json`` next to the input whose entry matches the
input's SHA-256, else from a ``releases/<N>/`` component of the path.

Output (compact JSON, sorted keys, one term per line, no descriptions, short names without
``https://schema.org/``)::

    {
      "release": "30.0",
      "source": {"file": "schemaorg-all-https.jsonld", "sha256": "..."},
      "types": {"MedicalWebPage": ["WebPage"], "Thing": [], "Date": ["DataType"], ...},
      "properties": {"lastReviewed": [["WebPage"], ["Date"]], ...},   # [domains, ranges]
      "enum_members": {"Clinician": ["MedicalAudienceType"], "True": ["Boolean"], ...},
      "superseded": {"aspect": "mainContentOfPage", ...},
      "sections": {"attic": [...], "pending": [...], "health-lifesci": [...], ...}
    }

Notes:
* ``types`` maps every class to its *direct* schema.org supertypes (rdfs:subClassOf);
  supertypes outside schema.org (rdfs:Class, fibo, cmns, ...) are dropped.  Data types
  (Boolean, Date, DateTime, Number, Text, Time, Quantity) are declared in the release
  as instances of ``schema:DataType``; here they are recorded as subtypes of
  ``DataType`` so that ancestry queries work uniformly (URL -> Text -> DataType).
* ``enum_members`` maps each enumeration member (a node whose ``@type`` is a
  schema.org class, e.g. ``Clinician`` of ``MedicalAudienceType``) to its enumeration
  type(s).  A few members are also classes (the MedicalSpecialty members such as
  ``Dermatology`` are subclasses of MedicalBusiness); they appear in both tables.
* ``sections`` lists the non-core terms by the schema.org section they belong to
  (schema:isPartOf): ``pending``, ``attic`` (retired), and the hosted extensions.
* Terms of other vocabularies present in the file (owl:equivalentClass targets such
  as ``unece:...``) are skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO_ROOT.parent / "shared" / "schemaorg" / "schemaorg-all-https.jsonld"
DEFAULT_OUTPUT = REPO_ROOT / "scoring" / "data" / "schemaorg-vocab.json"

PREFIXES = ("schema:", "https://schema.org/", "http://schema.org/")
SECTION_RE = re.compile(r"^https?://([a-z0-9-]+)\.schema\.org/?$")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _short(ref) -> str | None:
    """Short schema.org name of an ``{"@id": ...}`` reference or IRI string, else None."""
    iri = ref.get("@id") if isinstance(ref, dict) else ref
    if not isinstance(iri, str):
        return None
    for prefix in PREFIXES:
        if iri.startswith(prefix):
            return iri[len(prefix):]
    return None


def _shorts(value) -> list[str]:
    return sorted({s for s in (_short(v) for v in _as_list(value)) if s})


def build(graph: list[dict]) -> dict:
    types: dict[str, list[str]] = {}
    properties: dict[str, list[list[str]]] = {}
    enum_members: dict[str, list[str]] = {}
    superseded: dict[str, str] = {}
    sections: dict[str, set[str]] = {}

    for node in graph:
        name = _short(node.get("@id"))
        if not name:
            continue
        raw_types = _as_list(node.get("@type"))
        is_class = "rdfs:Class" in raw_types or "rdfs:subClassOf" in node
        is_property = "rdf:Property" in raw_types
        is_datatype = "schema:DataType" in raw_types
        member_of = [
            s for s in (_short(t) for t in raw_types) if s and s != "DataType"
        ]

        if is_property:
            properties[name] = [
                _shorts(node.get("schema:domainIncludes")),
                _shorts(node.get("schema:rangeIncludes")),
            ]
        elif is_class or is_datatype:
            supers = _shorts(node.get("rdfs:subClassOf"))
            if is_datatype and "DataType" not in supers:
                supers = sorted(supers + ["DataType"])
            types[name] = supers
        if member_of and not is_property:
            enum_members[name] = sorted(set(member_of))

        replacement = _shorts(node.get("schema:supersededBy"))
        if replacement:
            if len(replacement) > 1:
                raise SystemExit(f"{name}: several supersededBy values {replacement}")
            superseded[name] = replacement[0]

        for part in _as_list(node.get("schema:isPartOf")):
            iri = part.get("@id") if isinstance(part, dict) else part
            match = SECTION_RE.match(iri or "")
            if match:
                sections.setdefault(match.group(1), set()).add(name)

    # Sanity checks: every referenced schema.org term must be defined.
    known = set(types) | set(properties) | set(enum_members)
    missing = set()
    for supers in types.values():
        missing.update(s for s in supers if s not in types)
    for domains, ranges in properties.values():
        missing.update(s for s in domains + ranges if s not in types)
    for enums in enum_members.values():
        missing.update(s for s in enums if s not in types)
    missing.update(s for s in superseded.values() if s not in known)
    if missing:
        raise SystemExit(f"undefined terms referenced: {sorted(missing)}")
    for required in ("Thing", "DataType", "Text", "URL", "Date", "DateTime", "WebPage", "Role"):
        if required not in types:
            raise SystemExit(f"release file lacks {required}; is it a schema.org vocabulary file?")

    return {
        "types": types,
        "properties": properties,
        "enum_members": enum_members,
        "superseded": superseded,
        "sections": {k: sorted(v) for k, v in sections.items()},
    }


def _release_for(path: Path, sha256: str) -> str | None:
    sources = path.parent / "SOURCES.json"
    if sources.is_file():
        try:
            meta = json.loads(sources.read_text(encoding="utf-8"))
        except ValueError:
            meta = {}
        for entry in meta.get("files", []):
            if entry.get("sha256") == sha256 and meta.get("release"):
                return str(meta["release"])
    match = re.search(r"releases/(\d+(?:\.\d+)*)/", path.as_posix())
    return match.group(1) if match else None


def _compact(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def serialize(vocab: dict) -> str:
    """Compact, deterministic JSON with one term per line (readable diffs between releases)."""
    out = []
    for key in sorted(vocab):
        value = vocab[key]
        if isinstance(value, dict) and key != "source":
            entries = ",\n".join(f"{_compact(k)}:{_compact(value[k])}" for k in sorted(value))
            out.append(f"{_compact(key)}:{{\n{entries}\n}}")
        else:
            out.append(f"{_compact(key)}:{_compact(value)}")
    return "{\n" + ",\n".join(out) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT,
                        help=f"schema.org release JSON-LD (default: {DEFAULT_INPUT})")
    parser.add_argument("--release", help="release number, e.g. 30.0 (default: from SOURCES.json)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT,
                        help=f"output (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)

    raw = args.input.read_bytes()
    sha256 = hashlib.sha256(raw).hexdigest()
    release = args.release or _release_for(args.input, sha256)
    if not release:
        parser.error("cannot tell the release number; pass --release")
    data = json.loads(raw)
    vocab = build(data["@graph"])
    vocab["release"] = release
    vocab["source"] = {"file": args.input.name, "sha256": sha256}

    text = serialize(vocab)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(
        f"release {release}: {len(vocab['types'])} types, {len(vocab['properties'])} properties, "
        f"{len(vocab['enum_members'])} enumeration members, {len(vocab['superseded'])} superseded; "
        f"wrote {args.out} ({len(text.encode())} bytes)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
