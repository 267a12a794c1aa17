"""schema.org validation of a merged structured-data graph, plus Google's markup guidance.

``validate_nodes(nodes) -> (errors, warnings)`` takes the top-level nodes produced by
``scoring.markup.structured`` (``@type`` list of short names, optional ``@id`` and ``@syntax``,
short property names mapping to one value or a list; a value is a str, int, float, bool
or a nested node; nodes referenced by ``@id`` may be the same object in several places).

Each finding is a dict::

    {"severity": "error" | "warning", "code": "<slug>", "source": "schema.org" | "google",
     "node": "<@id, or a path such as 'MedicalWebPage > author[0]'>", "path": "<path>",
     "type": "<the node's types, comma separated>", "property": "<property or None>",
     "message": "<plain English>", "syntax": "json-ld" | "microdata" | "rdfa" | None}

schema.org findings (semantics of the Schema Markup Validator, release in ``scoring.markup.vocab``):

* ``unknown-type``, ``unknown-property`` (error): not in the current vocabulary (core,
  pending and hosted extensions).  ``retired-term`` (error): the term was moved to the
  attic.  Names containing ``:`` or ``/`` belong to other vocabularies and are ignored.
* ``property-not-expected`` (error): the property's domain does not include any of the
  node's types or their supertypes.  Properties of a ``Role`` node that repeat the
  property the Role was reached by (``author`` > Role > ``author``) are accepted.
* ``invalid-date`` (error): a Date/DateTime/Time-only property whose text is not
  ISO 8601 (``2024``, ``2024-05``, ``2024-05-17``, ``2024-05-17T08:30[:00[.000]][Z|+02:00]``;
  a date-time is accepted where a Date is expected).
* ``invalid-url`` (error): a URL-only property whose text is neither an absolute
  http(s) URL nor a relative reference (no scheme, no whitespace).
* ``unexpected-value-type``: (error) a nested node whose types are not in the property's
  range (inheritance respected; Role values are allowed anywhere); a number/boolean or a
  non-numeric/non-boolean text where only numbers/booleans are expected; a schema.org
  enumeration IRI that is not a member of the expected enumeration.  (warning) a bare
  string for ``author``, ``publisher`` or ``reviewedBy``, where a Person or Organization
  is recommended.  Elsewhere text is accepted where a Thing is expected, as schema.org
  allows.  Enumeration values may be given as IRIs (``https://schema.org/InStock``) or
  short names (``InStock``).
* ``superseded-term``, ``pending-term`` (warning): for types, properties and
  enumeration values; the message names the replacement.

Google findings (``source: "google"``, all warnings):

* ``author-name-has-title``: ``author.name``/``reviewedBy.name`` (or a bare-string
  author/reviewer) contains an honorific, credential, job title or a byline prefix
  ("By", "Par", "Written by", "Rédigé par"); see ``google_author_problems``.
  Organization names are only checked for byline prefixes.
* ``author-not-person``: an ``author`` node that is not a Person or Organization (or is
  a ``Physician``, which schema.org defines as a medical business, not a person).
* ``author-missing-url``: a Person/Organization ``author`` without ``url`` or ``sameAs``.
* ``date-without-timezone``: a date-time value without a time zone on any property;
  and a plain date (no time, hence no zone) on ``datePublished``/``dateModified`` of a
  top-level node (the page or article itself), the fields for which Google asks for a
  date-time with time zone.  A plain date is fine on ``lastReviewed`` (its range is
  Date only), on other date properties, and on nested works (a citation's
  ``datePublished: "2017"``).
* ``multiple-page-types``: more than one top-level node typed as a WebPage (or a
  subtype), or one node with several page types that are not supertypes of one another
  (``WebPage`` + ``MedicalWebPage`` on one node is fine).

Author checks (not-person, missing-url) look at ``author`` only; the name check covers
``author`` and ``reviewedBy``.  These findings point at the author node (its ``@id`` or
a path such as ``MedicalWebPage > author[0]``) with ``property`` "name", "@type" or
"url"; for a bare-string author they point at the parent node with ``property`` "author".
A node reached from several places is validated once (the first path is reported).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from scoring.markup import vocab as V
from scoring.markup.author_names import author_name_problems
from scoring.markup.literals import BOOLEAN_TEXT, NUMBER_RE, date_kind, url_ok

__all__ = ["validate_nodes"]

SCHEMA_IRI_PREFIXES = ("https://schema.org/", "http://schema.org/", "https://www.schema.org/",
                       "http://www.schema.org/")
BARE_STRING_WARN = frozenset({"author", "publisher", "reviewedBy"})
GOOGLE_NAME_PROPS = frozenset({"author", "reviewedBy"})
GOOGLE_DATE_TIME_PROPS = frozenset({"datePublished", "dateModified"})
_DATE_KINDS = frozenset({"Date", "DateTime", "Time"})
_NUMBER_KINDS = frozenset({"Number", "Integer", "Float"})

# ------------------------------------------------------------------ vocabulary caches

class _Prop:
    __slots__ = ("name", "domains", "ranges", "superseded", "pending",
                 "text_ok", "date", "url", "number", "boolean", "enums", "thing_only", "quiet_text")


@cache  # known properties only (a bounded set)
def _prop(name: str) -> _Prop:
    """Per-property facts, computed once (only called for known properties)."""
    info = _Prop()
    info.name = name
    info.domains = V.domains(name)
    rng = V.ranges(name)
    info.ranges = rng
    info.superseded = V.superseded_by(name)
    info.pending = V.is_pending(name)
    datatypes = {r for r in rng if V.is_datatype(r)}
    things = rng - datatypes
    checkable = {r for r in datatypes if r in _DATE_KINDS or r in _NUMBER_KINDS or r in ("URL", "Boolean")}
    # Text (and its non-URL subtypes), Quantity types, any Thing type, or no range: text is fine
    info.text_ok = not rng or bool(things) or bool(datatypes - checkable)
    info.thing_only = bool(rng) and not datatypes
    info.date = frozenset(rng & _DATE_KINDS)
    info.url = "URL" in rng
    info.number = bool(rng & _NUMBER_KINDS)
    info.boolean = "Boolean" in rng
    info.enums = frozenset(t for t in things if "Enumeration" in V.ancestors(t))
    # no text value of the property is ever reported (_check_literal would find nothing): most of them
    info.quiet_text = not rng or (info.text_ok and not info.date and not info.enums and name not in GOOGLE_NAME_PROPS
                                  and not (info.thing_only and name in BARE_STRING_WARN))
    return info


@cache
def _terms_by_lower_case() -> dict[str, str]:
    lower: dict[str, str] = {}
    for term in sorted(V.terms()):
        lower.setdefault(term.lower(), term)
    return lower


def _suggestion(name: str) -> str | None:
    """The term ``name`` was meant to be, for a case slip (``medicalAudience``), else None."""
    match = _terms_by_lower_case().get(name.lower())
    return match if match and match != name else None


def _hint(name: str) -> str:  # " Did you mean X?" for a case slip, else ""
    return f" Did you mean {match}?" if (match := _suggestion(name)) else ""


def _unknown(kind: str, name: str) -> tuple[str, dict]:
    """The message key and params of an unknown term (with the suggestion when there is one)."""
    params = {"term": name, "release": V.release}
    return (f"{kind}-suggestion", {**params, "suggestion": m}) if (m := _suggestion(name)) else (kind, params)


def _is_foreign(name: str) -> bool:
    return ":" in name or "/" in name


def _schema_short(text: str) -> str | None:
    for prefix in SCHEMA_IRI_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return None


def _list(items) -> str:
    items = sorted(items)
    if len(items) > 6:
        items = items[:6] + [f"... ({len(items) - 6} more)"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


# ------------------------------------------------------------------ the walk

class _Run:
    __slots__ = ("errors", "warnings", "google_done")

    def __init__(self) -> None:
        self.errors: list[dict] = []
        self.warnings: list[dict] = []
        self.google_done: set[int] = set()

    def add(self, severity, code, source, label, path, types, prop, message, syntax, key=None, params=None) -> None:
        finding = {"severity": severity, "code": code, "source": source, "node": label, "path": path,
                   "type": ", ".join(types), "property": prop, "message": message, "syntax": syntax,
                   "message_key": key or code, "params": params or {}}
        (self.errors if severity == "error" else self.warnings).append(finding)


class _Types:
    """Facts about one list of @type names, cached per distinct list."""
    __slots__ = ("names", "known", "closure", "findings")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        known: list[str] = []
        findings: list[tuple] = []  # (severity, code, message, message_key, params)
        for t in names:
            if _is_foreign(t):
                continue
            if V.is_type(t):
                known.append(t)
                repl = V.superseded_by(t)
                if repl:
                    findings.append(("warning", "superseded-term",
                                     f"The type {t} is superseded by {repl}; use {repl} instead.",
                                     "superseded-type", {"term": t, "replacement": repl}))
                if V.is_pending(t):
                    findings.append(("warning", "pending-term",
                                     f"The type {t} is a pending schema.org term: it may still change and "
                                     "consumers may ignore it.", "pending-type", {"term": t}))
            elif V.is_attic(t):
                known.append(t)
                repl = V.superseded_by(t)
                findings.append(("error", "retired-term", f"The type {t} was retired from schema.org (attic)"
                                 + (f"; use {repl} instead." if repl else "."),
                                 "retired-type-replaced" if repl else "retired-type", {"term": t, "replacement": repl}))
            elif V.is_enum_member(t):
                findings.append(("error", "unknown-type",
                                 f"{t} is an enumeration value of {_list(V.enumerations_of(t))}, not a type.",
                                 "enum-value-as-type", {"term": t, "enumerations": sorted(V.enumerations_of(t))}))
            elif V.is_property(t):
                findings.append(("error", "unknown-type", f"{t} is a schema.org property, not a type.",
                                 "property-as-type", {"term": t}))
            else:
                findings.append(("error", "unknown-type",
                                 f"{t} is not a schema.org type (release {V.release}).{_hint(t)}",
                                 *_unknown("unknown-type", t)))
        self.known = tuple(known)
        self.closure = V.with_ancestors(known) if known else frozenset()
        self.findings = tuple(findings)


_NO_TYPES = ()


def _types_of(node: dict) -> _Types:
    raw = node.get("@type")
    if type(raw) is list:
        key = tuple(raw)
    elif isinstance(raw, str):
        key = (raw,)
    else:
        key = _NO_TYPES
    try:
        return _typeset(key)
    except TypeError:  # unhashable junk in @type
        return _typeset(tuple(t for t in key if isinstance(t, str)))


@lru_cache(maxsize=20000)  # type names come from untrusted markup: keep the cache bounded
def _typeset(key: tuple) -> _Types:
    return _Types(tuple(t for t in key if isinstance(t, str)))


def _flatten(value) -> list:
    if type(value) is not list:
        return [value]
    for v in value:
        if type(v) is list:
            break
    else:
        return value
    out: list = []
    for v in value:
        out.extend(_flatten(v))
    return out


def _node_types(node: dict) -> tuple[str, ...]:
    return _types_of(node).names


def _additional_types(node: dict) -> list[str]:
    """schema.org types named by ``additionalType`` (IRI or short name), used as extra types."""
    value = node.get("additionalType")
    if value is None:
        return []
    out = []
    for item in _flatten(value):
        if isinstance(item, dict):
            item = item.get("@id")
        if isinstance(item, str):
            short = _schema_short(item.strip())
            if short is not None and V.is_type(short):
                out.append(short)
    return out


def _known_closure(node: dict) -> tuple[tuple[str, ...], frozenset[str]]:
    """The node's known schema.org types (with those given by additionalType) and their closure."""
    info = _types_of(node)
    if "additionalType" in node:
        extra = _additional_types(node)
        if extra:
            known = info.known + tuple(extra)
            return known, V.with_ancestors(known)
    return info.known, info.closure


def _is_reference(node: dict) -> bool:
    for k in node:
        if k[:1] != "@":
            return False
    return True


def validate_nodes(nodes: list[dict]) -> tuple[list[dict], list[dict]]:
    """Validate a merged graph; returns (errors, warnings), each a list of finding dicts."""
    run = _Run()
    top = [n for n in nodes if isinstance(n, dict)]
    visited: set[int] = {id(n) for n in top}
    # stack items: (node, label path, inherited syntax, property the node was reached by, top-level?)
    stack: list[tuple[dict, str, str | None, str | None, bool]] = []
    for i in range(len(top) - 1, -1, -1):
        node = top[i]
        names = _node_types(node)
        stack.append((node, names[0] if names else f"node[{i}]", None, None, True))
    while stack:
        node, path, syntax, via, top_level = stack.pop()
        _check_node(run, node, path, syntax, via, top_level, visited, stack)
    _check_page_types(run, top)
    return run.errors, run.warnings


def _check_node(run: _Run, node: dict, path: str, syntax, via, top_level: bool, visited, stack) -> None:
    syntax = node.get("@syntax") or syntax
    ident = node.get("@id")
    label = ident if isinstance(ident, str) and ident else path
    tinfo = _types_of(node)
    types = tinfo.names
    for severity, code, message, key, params in tinfo.findings:
        run.add(severity, code, "schema.org", label, path, types, None, message, syntax, key, params)
    known, closure = _known_closure(node) if "additionalType" in node else (tinfo.known, tinfo.closure)
    is_role = "Role" in closure

    for key, value in node.items():
        if key[:1] == "@" or value is None:
            continue
        info = _property(run, key, label, path, types, syntax)
        if info is not None:
            if info.superseded:
                run.add("warning", "superseded-term", "schema.org", label, path, types, key,
                        f"The property {key} is superseded by {info.superseded}; "
                        f"use {info.superseded} instead.", syntax,
                        "superseded-property", {"term": key, "replacement": info.superseded})
            if info.pending:
                run.add("warning", "pending-term", "schema.org", label, path, types, key,
                        f"The property {key} is a pending schema.org term: it may still change and "
                        "consumers may ignore it.", syntax, "pending-property", {"term": key})
            if (closure and info.domains and info.domains.isdisjoint(closure)
                    and not (is_role and key == via)):
                run.add("error", "property-not-expected", "schema.org", label, path, types, key,
                        f"The property {key} is not expected on {_list(known)}; schema.org defines it "
                        f"for {_list(info.domains)} (and their subtypes).", syntax, "property-not-expected",
                        {"term": key, "types": sorted(known), "domains": sorted(info.domains)})

        is_list = type(value) is list
        for i, item in enumerate(_flatten(value) if is_list else (value,)):
            if isinstance(item, dict):
                child_path = f"{path} > {key}[{i}]" if is_list else f"{path} > {key}"
                if info is not None:
                    _check_node_value(run, info, item, label, path, types, syntax)
                    if key in GOOGLE_NAME_PROPS:
                        _google_author(run, key, item, child_path, item.get("@syntax") or syntax)
                if id(item) not in visited:
                    visited.add(id(item))
                    stack.append((item, child_path, syntax, key, False))
            elif info is not None and not (info.quiet_text and type(item) is str):
                _check_literal(run, info, item, label, path, types, syntax, top_level)


def _property(run: _Run, key: str, label, path, types, syntax) -> _Prop | None:
    """The facts of a current schema.org property; for any other key, what is wrong with it is recorded."""
    if _is_foreign(key):
        return None
    if V.is_property(key):
        return _prop(key)
    if V.is_attic(key):
        repl = V.superseded_by(key)
        run.add("error", "retired-term", "schema.org", label, path, types, key,
                f"The property {key} was retired from schema.org (attic)"
                + (f"; use {repl} instead." if repl else "."), syntax,
                "retired-property-replaced" if repl else "retired-property", {"term": key, "replacement": repl})
    elif V.is_type(key):
        run.add("error", "unknown-property", "schema.org", label, path, types, key,
                f"{key} is a schema.org type, not a property.{_hint(key)}", syntax, *_unknown("type-as-property", key))
    else:
        run.add("error", "unknown-property", "schema.org", label, path, types, key,
                f"{key} is not a schema.org property (release {V.release}).{_hint(key)}", syntax,
                *_unknown("unknown-property", key))
    return None


def _check_node_value(run: _Run, info: _Prop, child: dict, label, path, types, syntax) -> None:
    if not info.ranges:
        return
    child_known, child_closure = _known_closure(child)
    if not child_known:
        ident = child.get("@id")
        if info.enums and isinstance(ident, str) and _is_reference(child):
            _check_enum_iri(run, info, ident, label, path, types, syntax)
        return
    if "Role" in child_closure or not child_closure.isdisjoint(info.ranges):
        return
    run.add("error", "unexpected-value-type", "schema.org", label, path, types, info.name,
            f"The value of {info.name} is a {_list(child_known)}, but schema.org expects "
            f"{_list(info.ranges)}.", syntax, "unexpected-node-type",
            {"property": info.name, "given": sorted(child_known), "expected": sorted(info.ranges)})


def _check_enum_iri(run: _Run, info: _Prop, text: str, label, path, types, syntax) -> bool:
    """Check a schema.org IRI or short name given for an enumeration-typed property.

    Returns True when the text was recognised as an enumeration value (valid or not).
    """
    short = _schema_short(text)
    name = short if short is not None else text
    if not V.is_enum_member(name):
        if short is not None and not V.is_type(short) and not V.is_attic(short):
            run.add("error", "unexpected-value-type", "schema.org", label, path, types, info.name,
                    f"{text} is not a schema.org term; {info.name} expects a value of "
                    f"{_list(info.enums)}.", syntax, "not-a-schema-term",
                    {"text": text, "property": info.name, "expected": sorted(info.enums)})
            return True
        return False
    if V.with_ancestors(V.enumerations_of(name)).isdisjoint(info.ranges):
        if short is None and info.text_ok:
            return False  # a short word that happens to be a member of another enumeration
        run.add("error", "unexpected-value-type", "schema.org", label, path, types, info.name,
                f"{name} is a value of {_list(V.enumerations_of(name))}; {info.name} expects "
                f"{_list(info.ranges)}.", syntax, "enum-value-elsewhere",
                {"term": name, "enumerations": sorted(V.enumerations_of(name)), "property": info.name,
                 "expected": sorted(info.ranges)})
        return True
    repl = V.superseded_by(name)
    if repl:
        run.add("warning", "superseded-term", "schema.org", label, path, types, info.name,
                f"The value {name} is superseded by {repl}; use {repl} instead.", syntax,
                "superseded-value", {"term": name, "replacement": repl})
    if V.is_pending(name):
        run.add("warning", "pending-term", "schema.org", label, path, types, info.name,
                f"The value {name} is a pending schema.org term.", syntax, "pending-value", {"term": name})
    return True


def _check_literal(run: _Run, info: _Prop, value: Any, label, path, types, syntax, top_level: bool) -> None:
    prop = info.name
    if not info.ranges:
        return
    if isinstance(value, bool):
        if not (info.boolean or info.text_ok and not info.thing_only):
            run.add("error", "unexpected-value-type", "schema.org", label, path, types, prop,
                    f"The value of {prop} is a boolean, but schema.org expects {_list(info.ranges)}.", syntax,
                    "boolean-value", {"property": prop, "expected": sorted(info.ranges)})
        return
    if isinstance(value, (int, float)):
        if info.number or info.date and isinstance(value, int) and 1000 <= value <= 9999:
            return
        if info.text_ok and not info.thing_only:
            return
        run.add("error", "unexpected-value-type", "schema.org", label, path, types, prop,
                f"The value of {prop} is a number, but schema.org expects {_list(info.ranges)}.", syntax,
                "number-value", {"property": prop, "expected": sorted(info.ranges)})
        return
    if not isinstance(value, str):
        return
    text = value.strip()

    if info.enums and _check_enum_iri(run, info, text, label, path, types, syntax):
        return

    kind = tz = None
    if info.date:
        kind, tz = date_kind(text)
        if kind == "time" and "Time" not in info.date:
            kind = None
        if kind is None and not info.text_ok:
            run.add("error", "invalid-date", "schema.org", label, path, types, prop,
                    f"{prop} must be an ISO 8601 {_list(info.date)} (e.g. 2024-05-17 or "
                    f"2024-05-17T08:30:00+02:00); got {text!r}.", syntax,
                    "invalid-date", {"property": prop, "kinds": sorted(info.date), "text": text[:80]})
            return
        if kind == "datetime" and not tz:
            run.add("warning", "date-without-timezone", "google", label, path, types, prop,
                    f"{prop} {text!r} has a time but no time zone; add one (e.g. "
                    f"{text}+01:00 or {text}Z) so Google does not guess it.", syntax,
                    "datetime-without-timezone", {"property": prop, "text": text[:80]})
        elif kind == "date" and top_level and prop in GOOGLE_DATE_TIME_PROPS and "DateTime" in info.date:
            run.add("warning", "date-without-timezone", "google", label, path, types, prop,
                    f"{prop} {text!r} is a date without time or time zone; Google recommends a "
                    f"date-time with time zone (e.g. {text}T08:00:00+01:00).", syntax,
                    "date-without-time", {"property": prop, "text": text[:80]})
        if kind is not None:
            return

    if prop in GOOGLE_NAME_PROPS:
        _google_name(run, prop, text, False, label, path, types, prop, syntax)

    if info.text_ok:
        if info.thing_only and prop in BARE_STRING_WARN:
            expected = " or ".join(sorted(info.ranges, key=lambda r: (r != "Person", r)))
            run.add("warning", "unexpected-value-type", "schema.org", label, path, types, prop,
                    f"{prop} is a bare string ({text[:60]!r}) where a {expected} is recommended; "
                    "mark it up as a node with @type and name.", syntax,
                    "bare-string", {"property": prop, "text": text[:60], "expected": sorted(info.ranges)})
        return
    # only URL / Number / Boolean / Date kinds are acceptable from here
    if info.url and url_ok(text):
        return
    if info.number and NUMBER_RE.match(text):
        return
    if info.boolean and text.lower() in BOOLEAN_TEXT:
        return
    if info.url and not (info.number or info.boolean or info.date):
        run.add("error", "invalid-url", "schema.org", label, path, types, prop,
                f"{prop} must be an absolute http(s) URL or a relative path; got {text[:80]!r}.", syntax,
                "invalid-url", {"property": prop, "text": text[:80]})
        return
    run.add("error", "unexpected-value-type", "schema.org", label, path, types, prop,
            f"The value {text[:80]!r} of {prop} is not a valid {_list(info.ranges)}.", syntax,
            "invalid-value", {"property": prop, "text": text[:80], "expected": sorted(info.ranges)})


# ------------------------------------------------------------------ Google guidance

def _google_name(run: _Run, prop: str, name: str, org_only: bool, label, path, types, field, syntax) -> None:
    problems = author_name_problems(name)
    if org_only:
        problems = [p for p in problems if p[0] == "byline prefix"]
    if not problems:
        return
    parts = ", ".join(f'{kind} "{hit}"' for kind, hit in problems)
    run.add("warning", "author-name-has-title", "google", label, path, types, field,
            f"{prop} name {name[:80]!r} contains {parts}; Google asks for the name only "
            "(use honorificPrefix, honorificSuffix, jobTitle or hasCredential for the rest).", syntax,
            "author-name-has-title", {"property": prop, "name": name[:80], "parts": [hit for _, hit in problems]})


def _google_author(run: _Run, prop: str, child: dict, path: str, syntax) -> None:
    """Google's author guidance for one author/reviewedBy node (findings point at that node)."""
    if _is_reference(child) and not _node_types(child):
        return  # unresolved reference: nothing to check
    if id(child) in run.google_done:
        return
    run.google_done.add(id(child))
    types = _node_types(child)
    ident = child.get("@id")
    label = ident if isinstance(ident, str) and ident else path
    _, closure = _known_closure(child)
    if "Role" in closure:  # author > Role > author: check the wrapped values
        inner = child.get(prop)
        for i, item in enumerate(_flatten(inner) if inner is not None else ()):
            if isinstance(item, dict):
                _google_author(run, prop, item, f"{path} > {prop}[{i}]", item.get("@syntax") or syntax)
        return
    is_person = "Person" in closure
    is_org = "Organization" in closure
    physician = "Physician" in closure and not is_person
    names = child.get("name")
    for name in _flatten(names) if names is not None else ():
        if isinstance(name, str):
            _google_name(run, prop, name, is_org and not is_person and not physician,
                         label, path, types, "name", syntax)
    if prop != "author":
        return
    shown = ", ".join(types) or "(no @type)"
    if physician:
        run.add("warning", "author-not-person", "google", label, path, types, "@type",
                f"The author is typed {shown}; schema.org's Physician is a medical business (an "
                "organisation), not a person. Mark a human author up as Person (with jobTitle, "
                "hasCredential or honorificSuffix).", syntax, "author-physician", {"types": list(types)})
    elif not (is_person or is_org) and not any(_is_foreign(t) for t in types):
        run.add("warning", "author-not-person", "google", label, path, types, "@type",
                f"The author is typed {shown}; Google expects Person or Organization.", syntax,
                "author-not-person", {"types": list(types)})
    if (is_person or is_org) and not (child.get("url") or child.get("sameAs")):
        run.add("warning", "author-missing-url", "google", label, path, types, "url",
                "The author has neither url nor sameAs; Google recommends a link to a profile page "
                "(or sameAs to ORCID, a professional directory...) to identify the author.", syntax,
                "author-missing-url")


def _check_page_types(run: _Run, top: list[dict]) -> None:
    pages: list[tuple[dict, list[str]]] = []
    for node in top:
        page_types = [t for t in _types_of(node).known if V.is_subtype(t, "WebPage")]
        if page_types:
            pages.append((node, page_types))
    if not pages:
        return
    all_types = {t for _, ts in pages for t in ts}
    # keep the most specific: drop a type that is a supertype of another present type
    specific = sorted(t for t in all_types if not any(t in V.ancestors(o) for o in all_types if o != t))
    if len(pages) < 2 and len(specific) < 2:
        return
    labels = []
    for i, (node, ts) in enumerate(pages):
        ident = node.get("@id")
        labels.append(ident if isinstance(ident, str) and ident else f"{ts[0]} (node {i + 1})")
    syntaxes = sorted({n.get("@syntax") for n, _ in pages if n.get("@syntax")})
    if len(pages) > 1:
        message = (f"{len(pages)} top-level nodes are typed as web pages ({_list(all_types)}); describe the "
                   "page once, with a single page type, and merge the properties into it.")
        key, params = "multiple-page-nodes", {"count": len(pages), "types": sorted(all_types)}
    else:
        message = (f"One node has several page types ({_list(specific)}); Google reads one page type per "
                   "page: keep the most relevant one.")
        key, params = "several-page-types", {"types": specific}
    run.add("warning", "multiple-page-types", "google", "; ".join(labels), "", sorted(all_types), None,
            message, ", ".join(syntaxes) or None, key, params)
