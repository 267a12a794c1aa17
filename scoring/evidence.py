"""Evidence in one documented shape per kind, so that integrations never special-case a check.

Checks return whatever raw evidence is natural to them (lists of URLs, people, findings...). The audit maps it
here, at one place, by the kind each check declares in :data:`CHECK_EVIDENCE`. Every normalised evidence is a dict
with ``kind`` and, except ``count``, ``items``; ``schemas/evidence.py`` documents each kind for the API:

- ``links``: [{url, text, category}]; category: a citation kind (``scoring/data/sources.json``), ``contact``,
  ``about``, ``privacy``, ``sponsored``, or for hygiene ``canonical``, ``page`` (the audited URL), ``og_url``,
  ``alternate`` (a language version, its hreflang code as text) or ``image``; null when unknown.
- ``people``: [{name, role (author|reviewer), credentials, url, source, text}]; text: the byline as written.
- ``dates``: [{value (ISO), type (published|updated|reviewed|next_review), label, text}].
- ``count``: {value, unit, minimum, maximum, text}: a figure and the range the check accepts (either bound null).
- ``markup``: [{code, severity, message, syntax, path, type, property, line}]: validator and syntax findings
  (with ``message_key`` and ``params`` when the message is rendered per language).
- ``comparison``: [{property, markup, page, severity, code, message}]: markup values against the page's (with
  ``message_key``, ``source`` and ``params``, as above); for access.server-rendered the raw HTML's against the
  rendered page's, for access.bot-responses an AI crawler's answer (HTTP status) against a browser's, the
  crawler's verdict as code.
- ``texts``: [str]: passages of the page (headings, statistics).
- ``terms``: [str]: identifiers shown as they are (schema.org types and properties, crawlers, directives).
- ``quotations``: [{text, speaker}].
- ``excerpts``: [{text, label, terms}]: a passage, the label that introduces it, the words that matter in it.

A check without evidence keeps ``null``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from scoring.checks.base import REGISTRY

EVIDENCE_KINDS = ("links", "people", "dates", "count", "markup", "comparison", "texts", "terms", "quotations",
                  "excerpts")
UNITS = ("characters", "references", "subheadings", "long_sentence_share", "grade_level", "kandel_moles")
LIST_CAP = 10  # evidence illustrates; the facts hold everything
MAX_PASSAGE = 200  # characters of a quoted passage, cut at a word

Normaliser = Callable[[Any, dict[str, Any], Any], dict[str, Any] | None]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _as_list(raw: Any) -> list:
    if raw is None:
        return []
    return raw if isinstance(raw, list) else [raw]


def _items(kind: str, items: list) -> dict[str, Any] | None:
    return {"kind": kind, "items": items[:LIST_CAP]} if items else None


def _link(entry: Any, category: str | None = None) -> dict[str, Any]:
    if isinstance(entry, dict):
        return {"url": str(entry.get("url") or ""), "text": _text(entry.get("text")),
                "category": entry.get("kind") or category}
    return {"url": str(entry), "text": None, "category": category}


def links(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    return _items("links", [_link(e) for e in _as_list(raw) if e])


def _disclosure_links(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    """Contact, about and privacy links, each with the category it was found as."""
    found = (ctx.facts.get("disclosures") or {}) if ctx is not None else {}
    categories = {}
    for category in ("contact", "about", "privacy"):
        for entry in found.get(f"{category}_links") or []:
            categories.setdefault(entry.get("url"), category)
    return _items("links", [_link(e, categories.get(e.get("url") if isinstance(e, dict) else e))
                            for e in _as_list(raw) if e])


def _sponsorship_links(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    """What made the page look sponsored: its rel=sponsored links, then the shops it links to in the text."""
    if not raw or ctx is None:
        return None
    signals = raw.get("signals", []) if isinstance(raw, dict) else raw
    found = ctx.facts.get("disclosures") or {}  # saved facts of a re-scored audit may lack a part
    items = [_link(url, "sponsored") for url in found.get("sponsored_links") or []] if "links" in signals else []
    if "shops" in signals:
        items += [_link(c) for c in ctx.facts.get("citations") or []
                  if c.get("kind") == "commercial" and not c.get("in_references")]
    return _items("links", items)


def _role_of(name: str, ctx: Any) -> str:
    reviewers = ctx.facts.get("reviewers") or [] if ctx is not None else []
    return "reviewer" if any(r.get("name") == name for r in reviewers) else "author"


def people(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    items = []
    for entry in _as_list(raw):
        if isinstance(entry, dict):
            name = _text(entry.get("name"))
            if not name:
                continue
            credentials = entry.get("credentials")
            url = entry.get("url")
            items.append({"name": name, "role": _role_of(name, ctx),
                          "credentials": [str(c) for c in credentials] if isinstance(credentials, list) else [],
                          "url": url if isinstance(url, str) else None,
                          "source": _text(entry.get("source") or ("markup" if "@type" in entry else None)),
                          "text": _text(entry.get("evidence"))})
        elif _text(entry):  # a name as marked up
            items.append({"name": _text(entry), "role": _role_of(str(entry), ctx), "credentials": [], "url": None,
                          "source": "markup", "text": None})
    return _items("people", items)


def dates(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    items = [{"value": str(d.get("date") or ""), "type": d.get("kind"), "label": _text(d.get("label")),
              "text": _text(d.get("text"))} for d in _as_list(raw) if isinstance(d, dict) and d.get("date")]
    return _items("dates", items)


def _count(value: Any, unit: str, bounds: tuple[Any, Any] = (None, None), text: Any = None) -> dict[str, Any]:
    return {"kind": "count", "value": value, "unit": unit, "minimum": bounds[0], "maximum": bounds[1],
            "text": _text(text)}


def _threshold(check_id: str, name: str) -> int | float:
    """A check's declared threshold (the registry's value, so the evidence states the range the check used)."""
    return REGISTRY[check_id].thresholds[name].value


def _length(check_id: str) -> Normaliser:
    def normalise(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
        if not raw:
            return None
        bounds = (_threshold(check_id, "min_length"), _threshold(check_id, "max_length"))
        return _count(len(str(raw)), "characters", bounds, raw)
    return normalise


def _from_params(kind: str, build: Callable[[dict[str, Any], Any], Any]) -> Normaliser:
    """Evidence some checks state only in their message's figures (a date, a passage, a measure)."""
    def normalise(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
        if raw not in (None, "", [], {}) and kind in NORMALISERS:  # a count is only ever built from params
            return NORMALISERS[kind](raw, params, ctx)
        built = build(params, ctx)
        return None if built is None else built if kind == "count" else _items(kind, built)
    return normalise


def _review_date(params: dict[str, Any], ctx: Any) -> list | None:
    kind = "updated" if "warn_updated" in params.get("_key", "") else "reviewed"
    return [{"value": str(params["date"]), "type": kind, "label": None, "text": None}] if params.get("date") else None


def _passage(params: dict[str, Any], ctx: Any) -> list | None:
    if not params.get("text"):
        return None
    found = (ctx.facts.get("disclosures") or {}) if ctx is not None else {}
    passages = [str(found.get(k)) for k in ("disclaimer", "conflict_of_interest") if found.get(k)]
    return [{"text": _window(_whole(str(params["text"]), passages)), "label": None, "terms": []}]


def _window(text: str) -> str:
    """A window the engine cut around a phrase, without the words it cut in two at either end."""
    words = text.split()
    if len(words) < 4:
        return text
    inner = " ".join(words[1:-1] if not text.endswith("…") else words[1:])
    return "…" + inner + ("" if inner.endswith("…") else "…")


def _subheadings(params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    per_section = _threshold("structure.subheadings", "words_per_section")
    share = _threshold("structure.subheadings", "min_share_of_expected")
    if not isinstance(params.get("words"), int):
        return None
    return _count(params.get("count", 0), "subheadings", (max(1, int(params["words"] // per_section * share)), None))


def _sentences(params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    share = params.get("share")
    warn_share = _threshold("structure.sentence-length", "warn_share")
    return None if share is None else _count(share, "long_sentence_share", (None, warn_share))


def _readability(params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    max_grade = _threshold("structure.readability", "max_grade_en")
    min_km = _threshold("structure.readability", "min_kandel_moles_fr")
    if params.get("grade") is not None:
        return _count(params["grade"], "grade_level", (None, max_grade))
    if params.get("km") is not None:
        return _count(params["km"], "kandel_moles", (min_km, None))
    return None


def _languages(params: dict[str, Any], ctx: Any) -> list | None:
    found = [str(params[k]) for k in ("declared", "detected") if params.get(k)]
    return list(dict.fromkeys(found)) or None


def _references(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("count"), int):
        return None
    return _count(raw["count"], "references", (1, None), raw.get("heading"))


_MARKUP_FIELDS = ("syntax", "path", "type", "property")


def markup(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    items = []
    for finding in _as_list(raw):
        if not isinstance(finding, dict):
            continue
        item = {"code": str(finding.get("code") or "unknown"), "severity": finding.get("severity") or "error",
                "message": str(finding.get("message") or "")}
        item.update({k: _text(finding.get(k)) for k in _MARKUP_FIELDS})
        item["line"] = finding.get("line") if isinstance(finding.get("line"), int) else None
        if isinstance(finding.get("params"), dict):  # a finding rendered per language from its code
            item["params"] = finding["params"]
            if finding.get("message_key"):
                item["message_key"] = str(finding["message_key"])
        items.append(item)
    return _items("markup", items)


def _values(value: Any) -> list[str]:
    return [str(v) for v in _as_list(value) if v not in (None, "")]


def comparison(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    items = [{"property": str(f.get("property") or ""), "markup": _values(f.get("markup")),
              "page": _values(f.get("page")), "severity": f.get("severity") or "error",
              "code": str(f.get("code") or "markup-page-mismatch"), "message": str(f.get("message") or ""),
              **({"message_key": str(f.get("message_key") or ""), "source": "consistency", "params": f["params"]}
                 if isinstance(f.get("params"), dict) else {})}
             for f in _as_list(raw) if isinstance(f, dict)]
    return _items("comparison", items)


def texts(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    return _items("texts", [t for t in (_text(e) for e in _as_list(raw)) if t])


def terms(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    if isinstance(raw, dict):  # robots directives with their figures
        raw = raw.get("directives") or []
    return _items("terms", [t for t in (_text(e) for e in _as_list(raw)) if t])


def _whole(text: str, passages: list[str]) -> str:
    """A passage a check cut to a length, back to a word boundary: the whole passage when it is short enough,
    else its first words and an ellipsis (never a word cut in two)."""
    whole = next((p for p in passages if p.startswith(text)), text) if passages else text
    if len(whole) <= MAX_PASSAGE:
        return whole
    cut = whole[:MAX_PASSAGE + 1].rsplit(None, 1)[0].rstrip(" ,;:")
    return cut + "…"


def _facts_texts(ctx: Any, name: str) -> list[str]:
    if ctx is None:
        return []
    return [str(entry.get("text") or "") for entry in ctx.facts.get(name) or [] if isinstance(entry, dict)]


def _statistics(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    passages = _facts_texts(ctx, "statistics")
    return _items("texts", [_whole(t, passages) for t in (_text(e) for e in _as_list(raw)) if t])


def quotations(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    passages = _facts_texts(ctx, "quotations")
    items = [{"text": _whole(str(q["text"]), passages), "speaker": _text(q.get("speaker"))}
             for q in _as_list(raw) if isinstance(q, dict) and _text(q.get("text"))]
    return _items("quotations", items)


_HEADING_JUMP = re.compile(r"H(\d) -> H(\d) (.*)", re.S)


def excerpts(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    items = []
    for entry in _as_list(raw):
        if isinstance(entry, dict) and _text(entry.get("text")):
            words = [str(t) for t in _as_list(entry.get("terms"))] or [entry.get(k) for k in ("drug", "phrase")
                                                                       if entry.get(k)]
            items.append({"text": _whole(str(entry["text"]), []), "label": _text(entry.get("label")),
                          "terms": words})
        elif isinstance(entry, str) and (jump := _HEADING_JUMP.fullmatch(entry)):
            items.append({"text": jump[3], "label": None, "terms": [f"h{jump[1]}", f"h{jump[2]}"]})
        elif _text(entry):
            items.append({"text": str(entry), "label": None, "terms": []})
    return _items("excerpts", items)


# --- access.server-rendered: the raw HTML (``markup`` side) against the rendered page (``page`` side) --------------
_RENDERED_FACTS = {"text": "words", "author": "authors", "date": "date", "jsonld": "jsonld_types"}


def _rendering(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    """Each fact found only after JavaScript ran (``rendered-only``), the words when a share of them is
    (``rendered-only-share``); an application shell's raw HTML alone (``app-shell``: its words, mount point and
    noscript text); an unrendered page's raw words (``raw-only``)."""
    if not isinstance(raw, dict):
        return None
    if "rendered" in raw:
        missing = raw.get("missing") or []
        items = [_side_by_side(_RENDERED_FACTS[fact], raw["raw"], raw["rendered"], "error", "rendered-only")
                 for fact in missing if fact in _RENDERED_FACTS]
        if "text" not in missing and params.get("_key") == "warn_partial":
            items.insert(0, _side_by_side("words", raw["raw"], raw["rendered"], "warning", "rendered-only-share"))
        return _items("comparison", items)
    if "shell" in raw:
        return _items("comparison", [_one_side(name, raw.get(name), "app-shell")
                                     for name in ("words", "mount_point", "noscript") if raw.get(name) is not None])
    return _items("comparison", [_one_side("words", raw.get("words"), "raw-only")])


def _version(summary: dict, name: str) -> list[str]:
    if name == "date":
        return _values([summary.get("date_published"), summary.get("date_modified")])
    return _values(summary.get(name))


def _side_by_side(name: str, raw: dict, rendered: dict, severity: str, code: str) -> dict[str, Any]:
    return {"property": name, "markup": _version(raw, name), "page": _version(rendered, name),
            "severity": severity, "code": code, "message": ""}


def _one_side(name: str, value: Any, code: str) -> dict[str, Any]:
    return {"property": name, "markup": _values(value), "page": [], "severity": "warning", "code": code,
            "message": ""}


# --- access.bot-responses: each crawler's answer (``markup`` side) against the browser's (``page`` side) ---------
_REFUSED = ("blocked", "challenged")


def _bot_answers(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    """The crawlers that did not get the page a browser gets, each with its verdict as code."""
    if not isinstance(raw, list):
        return None
    probe = ((ctx.facts.get("access") or {}).get("bots") or {}) if ctx is not None else {}
    browser = probe.get("browser") or {}
    items = [{"property": str(bot.get("agent") or ""), "markup": _values(bot.get("status")),
              "page": _values(browser.get("status")), "severity": "error" if bot.get("verdict") in _REFUSED
              else "warning", "code": str(bot.get("verdict") or "unknown"), "message": ""}
             for bot in raw if isinstance(bot, dict) and bot.get("verdict") != "served"]
    return _items("comparison", items)


# --- markup.rich-results: Google's findings, then the notices (retired features, types without a rich result) --

def _rich_results(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    notices = [{**n, "severity": "warning"} for n in raw.get("notices") or [] if isinstance(n, dict)]
    found = [{"path": f.get("node"), **f} for f in (raw.get("findings") or []) + notices if isinstance(f, dict)]
    return markup(found, params, ctx)


# --- compliance.*: the medicines a rule applies to; the legal notice's links; visas and promotional passages ------

def _medicines(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    return terms(raw.get("medicines") if isinstance(raw, dict) else None, params, ctx)


def _legal_notice(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    return links(raw, params, ctx) if isinstance(raw, list) else None  # not applicable: the jurisdiction facts


def _advertising(raw: Any, params: dict[str, Any], ctx: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    visas = [{"text": _whole(str(v["text"]), []), "label": None, "terms": [str(v["number"])]}
             for v in raw.get("visas") or [] if isinstance(v, dict) and _text(v.get("text"))]
    promotion = excerpts(raw.get("promotion") or [], params, ctx)
    return _items("excerpts", visas + (promotion["items"] if promotion else []))


NORMALISERS: dict[str, Normaliser] = {"links": links, "people": people, "dates": dates, "markup": markup,
                                      "comparison": comparison, "texts": texts, "terms": terms,
                                      "quotations": quotations, "excerpts": excerpts}



# The evidence kind of every check (a test keeps it complete), and the mapping when the kind's own does not fit.
CHECK_EVIDENCE: dict[str, tuple[str, Normaliser | None]] = {
    "access.ai-crawlers": ("terms", None),
    "access.search-crawlers": ("terms", None),
    "access.llms-txt": ("terms", None),
    "authorship.author-named": ("people", None),
    "authorship.author-credentials": ("people", None),
    "authorship.author-profile": ("people", None),
    "authorship.reviewer-named": ("people", None),
    "authorship.review-date": ("dates", _from_params("dates", _review_date)),
    "authorship.markup-person": ("people", None),
    "markup.page-type": ("terms", None),
    "markup.health-properties": ("terms", None),
    "markup.jsonld-syntax": ("markup", None),
    "markup.schema-valid": ("markup", None),
    "markup.consistent-with-page": ("comparison", None),
    "sourcing.authoritative-citations": ("links", None),
    "sourcing.references-section": ("count", _references),
    "sourcing.citations-near-claims": ("links", None),
    "sourcing.sourced-statistics": ("texts", _statistics),
    "sourcing.attributed-quotations": ("quotations", None),
    "sourcing.weak-sources": ("links", None),
    "structure.single-h1": ("texts", None),
    "structure.heading-levels": ("excerpts", None),
    "structure.subheadings": ("count", _from_params("count", _subheadings)),
    "structure.question-headings": ("texts", None),
    "structure.summary": ("excerpts", None),
    "structure.lists-tables": ("count", None),  # its figures are in params; nothing to point at
    "structure.paragraph-length": ("count", None),  # idem
    "structure.sentence-length": ("count", _from_params("count", _sentences)),
    "structure.readability": ("count", _from_params("count", _readability)),
    "structure.title": ("count", _length("structure.title")),
    "structure.meta-description": ("count", _length("structure.meta-description")),
    "structure.lang-attribute": ("terms", _from_params("terms", _languages)),
    "trust.sponsorship-disclosure": ("links", _sponsorship_links),
    "trust.conflict-of-interest": ("excerpts", _from_params("excerpts", _passage)),
    "trust.medical-disclaimer": ("excerpts", _from_params("excerpts", _passage)),
    "trust.contact-about": ("links", _disclosure_links),
    "trust.privacy-policy": ("links", _disclosure_links),
    "trust.visible-dates": ("dates", None),
    "trust.prescription-promotion": ("excerpts", None),
    "trust.snippet-access": ("terms", None),
    "access.server-rendered": ("comparison", _rendering),
    "access.bot-responses": ("comparison", _bot_answers),
    "markup.rich-results": ("markup", _rich_results),
    "compliance.pharmacovigilance": ("terms", _medicines),
    "compliance.legal-notice": ("links", _legal_notice),
    "compliance.medicine-advertising": ("excerpts", _advertising),
    # hygiene: the checks give links as {url, text, kind} (kind: canonical, page, og_url, alternate with its
    # hreflang code as text, image) and social cards as excerpts whose term is the meta's property
    "hygiene.canonical": ("links", None),
    "hygiene.hreflang": ("links", None),
    "hygiene.social-cards": ("excerpts", None),
    "hygiene.image-alt": ("links", None),
    "hygiene.link-texts": ("links", None),
}


def evidence_kind(check_id: str) -> str:
    """The kind a check's evidence takes (``texts`` for a check the table does not know yet)."""
    return CHECK_EVIDENCE.get(check_id, ("texts", None))[0]


def normalise_evidence(check_id: str, raw: Any, params: dict[str, Any] | None = None, ctx: Any = None, *,
                       status: str | None = None, key: str = "") -> dict[str, Any] | None:
    """A check's raw evidence in its kind's shape, or None when there is nothing to show (a check that does not
    apply shows only what it returned itself)."""
    empty = raw in (None, "", [], {})
    kind, normaliser = CHECK_EVIDENCE.get(check_id, ("texts", None))
    if empty and (status == "not_applicable" or normaliser is None):
        return None
    normaliser = normaliser or NORMALISERS.get(kind)
    return normaliser(raw, {**(params or {}), "_key": key}, ctx) if normaliser else None
