"""The official schema.org 30.0 examples must validate; mutated copies must not.

Reads ``../shared/schemaorg/schemaorg-all-examples.txt`` (outside the repository; the
tests skip when it is absent).  Each block starts with ``TYPES:`` and has the sections
``PRE-MARKUP:``, ``MICRODATA:``, ``RDFA:`` and ``JSON:``; every JSON section holding
JSON-LD (in a ``<script>`` or bare) is converted to our node format and validated.

Two converters are exercised:

* ``local``: a small JSON-LD reader in this file, so the validator is tested on its own;
* ``structured``: the real extractor ``scoring.markup.structured.extract_structured`` (when it
  exists), so extractor and validator are tested together.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from scoring.markup import vocab
from scoring.markup.validate import validate_nodes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLES_FILE = SHARED / "schemaorg" / "schemaorg-all-examples.txt"

try:
    from lxml import html as lxml_html

    from scoring.markup.structured import extract_structured
except ImportError:  # extractor not there (yet)
    extract_structured = None

CONVERTERS = ["local", "structured"]

# Examples that do not validate, with the reason and the only error codes allowed for them.
# "genuine": the example itself is wrong for schema.org (it must keep failing, so the list
# stays honest); otherwise the failure comes from one converter's limits and may disappear.
EXCEPTIONS: dict[str, tuple[str, frozenset[str], bool]] = {
    "eg-0485": ("uses the W3C Verifiable Credentials v2 @context (issuer, credentialSubject, proof...), "
                "terms of another vocabulary that neither converter resolves",
                frozenset({"unknown-property", "unknown-type"}), False),
    "eg-0486": ("W3C Verifiable Credentials v2 @context, as eg-0485",
                frozenset({"unknown-property", "unknown-type"}), False),
    "eg-0488": ("W3C Verifiable Credentials v2 @context (type VerifiableCredential), as eg-0485",
                frozenset({"unknown-property", "unknown-type"}), False),
    "eg-0318": ("genuinely wrong: a language map {\"en\": ..., \"fr\": ...} as the value of name, which the "
                "schema.org context does not declare (@container @language), so en/fr/de read as properties",
                frozenset({"unknown-property"}), True),
    "eg-0291": ("genuinely wrong: a Recommendation has both \"@type\" and \"type\": \"Best for the Money\"; "
                "\"type\" is an alias of @type in the schema.org context, so this is a second, unknown type",
                frozenset({"unknown-property", "unknown-type"}), True),
    "eg-0293": ("genuinely wrong: same Recommendation markup as eg-0291",
                frozenset({"unknown-property", "unknown-type"}), True),
    # Valid JSON-LD: the schema.org context aliases "id" to @id and "type" to @type.
    # The local converter knows this; scoring.markup.structured does not (yet).
    "eg-0215": ("\"type\" alias of @type (schema.org context); extractor limitation",
                frozenset({"unknown-property"}), False),
    "eg-0282": ("\"type\" alias of @type (schema.org context); extractor limitation",
                frozenset({"unknown-property"}), False),
    "eg-0301": ("\"type\" alias of @type (schema.org context); extractor limitation",
                frozenset({"unknown-property"}), False),
    "eg-4468a": ("\"id\"/\"type\" aliases of @id/@type (schema.org context); extractor limitation",
                 frozenset({"unknown-property"}), False),
    "eg-4468b": ("\"type\" alias of @type (schema.org context); extractor limitation",
                 frozenset({"unknown-property"}), False),
}


# ---------------------------------------------------------------- examples file

def load_examples() -> list[tuple[str, str]]:
    """(example id, JSON-LD text) for every example whose JSON section holds JSON-LD."""
    if not EXAMPLES_FILE.is_file():
        return []
    text = EXAMPLES_FILE.read_text(encoding="utf-8")
    out = []
    for block in re.split(r"^TYPES:", text, flags=re.M)[1:]:
        head, _, rest = block.partition("\n")
        ident = head.split()[0].lstrip("#") if head.split() else f"block{len(out)}"
        parts = re.split(r"^(PRE-MARKUP|MICRODATA|RDFA|JSON):[ \t]*$", rest, flags=re.M)
        sections = dict(zip(parts[1::2], parts[2::2], strict=False))
        body = sections.get("JSON", "").strip()
        if "application/ld+json" in body:
            scripts = re.findall(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", body, flags=re.S)
            out.extend((ident if len(scripts) == 1 else f"{ident}#{i}", s) for i, s in enumerate(scripts))
        elif body.startswith(("{", "[")):
            out.append((ident, body))
        # else: "No JSON-LD", "This example is in microdata only", ...
    return out


EXAMPLES = load_examples()
needs_examples = pytest.mark.skipif(not EXAMPLES, reason=f"{EXAMPLES_FILE} not available")


def base_id(example_id: str) -> str:
    return example_id.split("#")[0]


# ---------------------------------------------------------------- local JSON-LD converter

_SCHEMA = ("https://schema.org/", "http://schema.org/", "https://www.schema.org/", "http://www.schema.org/")


def _is_schema_iri(value) -> bool:
    return isinstance(value, str) and value.rstrip("/").replace("http://", "https://").replace(
        "www.", "") in ("https://schema.org", "https://schema.org/docs/jsonldcontext.json",
                        "https://schema.org/docs/jsonldcontext.jsonld")


def _context(ctx, inherited: dict) -> dict:
    out = dict(inherited)
    for item in ctx if isinstance(ctx, list) else [ctx]:
        if isinstance(item, str):
            out["@schema"] = out.get("@schema") or _is_schema_iri(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@vocab":
                    out["@schema"] = _is_schema_iri(value)
                elif isinstance(value, str):
                    out[key] = value
    return out


def _term(term: str, ctx: dict) -> str:
    for prefix in _SCHEMA:
        if term.startswith(prefix):
            return term[len(prefix):]
    if ":" in term:
        prefix, _, rest = term.partition(":")
        if prefix == "schema" or _is_schema_iri(ctx.get(prefix)) or (ctx.get(prefix) or "") in _SCHEMA:
            return rest
    return term


def local_nodes(data) -> list[dict]:
    """JSON-LD (already parsed) -> merged node list, with @id references shared."""
    index: dict[str, dict] = {}
    top: list[dict] = []

    def node_of(obj: dict, ctx: dict) -> dict:
        if "@context" in obj:
            ctx = _context(obj["@context"], ctx)
        aliases = ctx.get("@schema")  # the schema.org context maps id -> @id, type -> @type
        raw_types = obj.get("@type", obj.get("type") if aliases else None)
        types = [_term(t, ctx) for t in (raw_types if isinstance(raw_types, list) else [raw_types])
                 if isinstance(t, str)]
        if aliases and "@type" in obj and isinstance(obj.get("type"), str):
            types.append(obj["type"])  # colliding keywords: keep both, as a processor would reject it
        node: dict = {"@type": types, "@syntax": "json-ld"}
        ident = obj.get("@id", obj.get("id") if aliases else None)
        if isinstance(ident, str):
            node["@id"] = ident
        for key, value in obj.items():
            if key.startswith("@") or (aliases and key in ("id", "type")):
                continue
            values = [value_of(v, ctx) for v in (value if isinstance(value, list) else [value])]
            values = [v for v in values if v is not None]
            if values:
                node[_term(key, ctx)] = values if isinstance(value, list) else values[0]
        if isinstance(ident, str) and len(node) > 3:
            if ident in index:
                index[ident].update({k: v for k, v in node.items() if k not in index[ident]})
                return index[ident]
            index[ident] = node
        return node

    def value_of(value, ctx):
        if isinstance(value, dict):
            if "@value" in value:
                return value["@value"]
            if "@list" in value:
                return [value_of(v, ctx) for v in value["@list"]]
            return node_of(value, ctx)
        return value

    def walk_top(obj, ctx):
        if isinstance(obj, list):
            for item in obj:
                walk_top(item, ctx)
            return
        if not isinstance(obj, dict):
            return
        if "@context" in obj:
            ctx = _context(obj["@context"], ctx)
        if "@graph" in obj:
            walk_top(obj["@graph"], ctx)
            return
        if set(obj) - {"@context"}:
            node = node_of(obj, ctx)
            if all(node is not n for n in top):
                top.append(node)

    walk_top(data, {})

    def resolve(value, seen):
        if isinstance(value, list):
            return [resolve(v, seen) for v in value]
        if not isinstance(value, dict):
            return value
        if set(value) <= {"@id", "@type", "@syntax"} and not value.get("@type"):
            return index.get(value.get("@id"), value)
        if id(value) not in seen:
            seen.add(id(value))
            for key in [k for k in value if not k.startswith("@")]:
                value[key] = resolve(value[key], seen)
        return value

    seen: set[int] = set()
    return [resolve(n, seen) for n in top]


def convert(text: str, converter: str) -> list[dict]:
    if converter == "local":
        return local_nodes(json.loads(text))
    if extract_structured is None:
        pytest.skip("scoring.markup.structured.extract_structured not available")
    doc = lxml_html.fromstring(
        '<html><head><script type="application/ld+json">' + text + "</script></head><body></body></html>")
    return extract_structured(doc, None).nodes


# ---------------------------------------------------------------- tests

@needs_examples
def test_examples_found():
    # 479 JSON-LD examples in release 30.0 (507 blocks; 28 have no JSON-LD)
    assert len(EXAMPLES) >= 400
    assert len({base_id(i) for i, _ in EXAMPLES}) == len(EXAMPLES)
    assert set(EXCEPTIONS) <= {base_id(i) for i, _ in EXAMPLES}


@needs_examples
@pytest.mark.parametrize("converter", CONVERTERS)
@pytest.mark.parametrize("example_id, text", EXAMPLES, ids=[i for i, _ in EXAMPLES])
def test_example_has_no_error(example_id, text, converter):
    nodes = convert(text, converter)
    assert nodes, "no node extracted"
    errors, _ = validate_nodes(nodes)
    exception = EXCEPTIONS.get(base_id(example_id))
    if exception is None:
        assert errors == [], "\n".join(f"{f['code']} at {f['node']}: {f['message']}" for f in errors)
        return
    reason, allowed, genuine = exception
    unexpected = [f for f in errors if f["code"] not in allowed]
    assert unexpected == [], f"listed exception ({reason}) has other errors: {unexpected}"
    if genuine:
        assert errors, f"listed as genuinely wrong ({reason}) but validates: remove it from EXCEPTIONS"


# ---------------------------------------------------------------- mutations

def _walk(nodes):
    seen: set[int] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for key, value in node.items():
            if key.startswith("@"):
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    stack.append(item)


def _known(node) -> list[str]:
    return [t for t in node.get("@type", []) if vocab.is_type(t)]


def _date_only(prop: str) -> bool:
    rng = vocab.ranges(prop)
    return bool(rng) and rng <= {"Date", "DateTime"}


def _date_property_for(types) -> str | None:
    for prop in ("dateCreated", "startDate", "birthDate", "foundingDate", "validFrom", "datePosted",
                 "lastReviewed", "expires", "dateIssued"):
        if vocab.expected_on(prop, types) and _date_only(prop):
            return prop
    return None


def mutate_unknown_property(nodes):
    node = next((n for n in _walk(nodes) if _known(n)), None)
    if node is None:
        return None
    node["fooBarBaz"] = "x"
    return node, "fooBarBaz", "unknown-property", "error"


def mutate_wrong_type(nodes):
    for node in _walk(nodes):
        types = _known(node)
        for prop in ("lastReviewed", "birthDate", "recipeYield"):
            if types and not vocab.expected_on(prop, types):
                node[prop] = "2024-01-01"
                return node, prop, "property-not-expected", "error"
    return None


def mutate_bad_date(nodes):
    nodes_list = list(_walk(nodes))
    for node in nodes_list:  # prefer an existing date value of the example
        for key, value in list(node.items()):
            if not key.startswith("@") and isinstance(value, str) and _date_only(key) and _known(node) \
                    and vocab.expected_on(key, _known(node)):
                node[key] = "31/12/2024"
                return node, key, "invalid-date", "error"
    for node in nodes_list:
        prop = _date_property_for(_known(node)) if _known(node) else None
        if prop:
            node[prop] = "31/12/2024"
            return node, prop, "invalid-date", "error"
    return None


def mutate_bare_string_author(nodes):
    for node in _walk(nodes):
        if _known(node) and vocab.expected_on("author", _known(node)):
            node["author"] = "Dr. Jane Roe, MD"
            return node, "author", "unexpected-value-type", "warning"
    return None


MUTATIONS = [mutate_unknown_property, mutate_wrong_type, mutate_bad_date, mutate_bare_string_author]


@needs_examples
@pytest.mark.parametrize("converter", CONVERTERS)
@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
def test_mutations_are_caught(mutation, converter):
    applied = 0
    missed = []
    for example_id, text in EXAMPLES:
        if base_id(example_id) in EXCEPTIONS:
            continue
        nodes = copy.deepcopy(convert(text, converter))
        result = mutation(nodes)
        if result is None:
            continue
        node, prop, code, severity = result
        applied += 1
        errors, warnings = validate_nodes(nodes)
        findings = errors if severity == "error" else warnings
        if not any(f["code"] == code and f["property"] == prop for f in findings):
            missed.append((example_id, prop, [(f["code"], f["property"]) for f in errors + warnings]))
        if prop == "author":
            assert any(f["code"] == "author-name-has-title" for f in warnings), example_id
    assert missed == [], f"{len(missed)} of {applied} mutations not caught: {missed[:5]}"
    assert applied >= 100, f"only {applied} examples could be mutated"
