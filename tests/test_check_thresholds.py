"""Checks declare what they read and the numbers they decide by; these tests hold the declarations to the truth.

- `reads`: every check runs on every fixture page through a context that refuses undeclared facts or context parts,
  and each declared read is used on some page.
- `thresholds`: no deciding number is left in a check body; every declared threshold is tested at its boundary
  (the value that just passes and the one that just fails), from small contexts of facts, in English and French
  where language matters. The boundary values are written here, from each threshold's source, not read back from
  the declaration: a changed threshold must fail a test (`scripts/mutate_thresholds.py` proves it does).
- The grade cut-offs of the score, at their boundaries.
"""

from __future__ import annotations

import ast
import copy
import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import scoring.checks
from scoring import catalogue
from scoring.checks.base import CONTEXT_PARTS, REGISTRY, Check, Threshold
from scoring.checks.base import check as declare_check
from scoring.facts.gather import build_facts
from scoring.i18n import catalogue as i18n_catalogue
from scoring.i18n import english_texts, translation_file, translation_problems
from scoring.markup.page_node import find_page_node
from scoring.markup.structured import extract_structured
from scoring.page.model import Page
from scoring.weights import grade

from .conftest import FIXTURES, SHARED

PAGES = sorted(FIXTURES.rglob("*.html"))
CHECK_MODULES = sorted(p for p in Path(scoring.checks.__file__).parent.glob("*.py")
                       if p.name not in ("__init__.py", "base.py"))


class UndeclaredRead(AssertionError):
    """A check read a fact or a context part its declaration does not name."""


class StrictFacts(Mapping):
    """The facts, as far as a check's `reads` allows; records what was read. Raises (not KeyError, which `.get`
    would swallow) on anything else, and refuses to be iterated."""

    def __init__(self, facts: Mapping[str, Any], check: Check, read: set[str]) -> None:
        self._facts, self._check, self._read = facts, check, read

    def _allow(self, key: str) -> None:
        if key not in self._check.reads:
            raise UndeclaredRead(f"{self._check.id} reads facts[{key!r}] but declares reads={self._check.reads}")
        self._read.add(key)

    def __getitem__(self, key: str) -> Any:
        self._allow(key)
        return self._facts[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._allow(key)
        return self._facts.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._allow(str(key))
        return key in self._facts

    def __iter__(self) -> Iterator[str]:
        raise UndeclaredRead(f"{self._check.id} iterates over every fact")

    def __len__(self) -> int:
        raise UndeclaredRead(f"{self._check.id} counts the facts")


class StrictContext:
    """An audit context for one check: facts and context parts guarded by its `reads`."""

    def __init__(self, check: Check, facts: Mapping[str, Any], page_node: dict | None = None, data: Any = None,
                 page: Any = None) -> None:
        self.read: set[str] = set()
        self._check = check
        self._parts = {"page_node": page_node, "data": data, "page": page}
        self.facts = StrictFacts(facts, check, self.read)

    def _part(self, name: str) -> Any:
        if name not in self._check.reads:
            raise UndeclaredRead(f"{self._check.id} reads ctx.{name} but declares reads={self._check.reads}")
        self.read.add(name)
        return self._parts[name]

    page_node = property(lambda self: self._part("page_node"))
    data = property(lambda self: self._part("data"))
    page = property(lambda self: self._part("page"))

    @property
    def is_health(self) -> bool:  # as AuditContext.is_health: a read of the topic fact
        return bool(self.facts["topic"]["is_health"])


def _contexts(paths: list[Path]) -> list[tuple[str, dict, dict | None, Any, Page]]:
    out = []
    for path in paths:
        page = Page.parse(path.read_bytes(), "https://example.org/page")
        data = extract_structured(page.root, page.url)
        node = find_page_node(data)
        out.append((path.stem, build_facts(page, data, node), node, data, page))
    return out


def _reads_on(contexts: list[tuple[str, dict, dict | None, Any, Page]]) -> dict[str, set[str]]:
    """What each check read on these pages; fails on the first undeclared read."""
    used: dict[str, set[str]] = {check_id: set() for check_id in REGISTRY}
    for check in REGISTRY.values():
        for name, facts, node, data, page in contexts:
            ctx = StrictContext(check, facts, node, data, page)
            try:
                check.func(ctx)
            except UndeclaredRead as error:
                raise AssertionError(f"{error} (page {name})") from None
            used[check.id] |= ctx.read
    return used


# --- reads ------------------------------------------------------------------------------------------------------

def test_every_check_reads_only_what_it_declares_and_uses_every_declared_read() -> None:
    used = _reads_on(_contexts(PAGES))
    for check in REGISTRY.values():
        for facts, _ in RARE_BRANCHES.get(check.id, []) + [
                case for (check_id, _), cases in BOUNDARIES.items() if check_id == check.id for case in cases]:
            used[check.id] |= _run_strict(check.id, facts).read
        assert used[check.id] == set(check.reads), \
            f"{check.id} declares {sorted(check.reads)}, reads {sorted(used[check.id])}"


def test_every_check_reads_only_what_it_declares_on_the_corpus() -> None:
    corpus = Path(os.environ.get("HEALTHGEO_SHARED") or SHARED) / "corpus" / "pages"
    if not corpus.is_dir():
        pytest.skip("../shared is not available (HEALTHGEO_SHARED)")
    _reads_on(_contexts(sorted(corpus.glob("*.html"))))


def test_rare_branches_give_their_outcome() -> None:
    for check_id, cases in RARE_BRANCHES.items():
        for facts, expected in cases:
            assert _status(check_id, facts) == expected, (check_id, facts)


def test_declared_reads_name_facts_or_context_parts() -> None:
    _, facts, *_ = _contexts(PAGES[:1])[0]
    known = set(facts) | {"access"} | set(CONTEXT_PARTS)  # `access` exists only on URL audits
    for check in REGISTRY.values():
        assert set(check.reads) <= known, (check.id, set(check.reads) - known)


def test_a_lying_declaration_is_caught() -> None:
    check = REGISTRY["structure.readability"]
    ctx = StrictContext(check, {"readability": {"words": 10}, "language": "en", "title": "x"})
    with pytest.raises(UndeclaredRead):
        ctx.facts["title"]
    with pytest.raises(UndeclaredRead):
        ctx.facts.get("title")
    with pytest.raises(UndeclaredRead):
        ctx.page_node  # noqa: B018


# --- no deciding number in a body -------------------------------------------------------------------------------

def _numbers_outside_slices(node: ast.AST, in_slice: bool = False) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float) and not in_slice:
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _numbers_outside_slices(child, in_slice or (isinstance(node, ast.Subscript) and
                                                               child is node.slice))


@pytest.mark.parametrize("module", CHECK_MODULES, ids=lambda p: p.stem)
def test_no_deciding_number_stays_in_a_check_module(module: Path) -> None:
    """0 and 1 are definitions (none, exactly one); slices cut evidence; every other number is a threshold."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            body = ast.Module(body=node.body, type_ignores=[])
            found += [(n.lineno, n.value) for n in _numbers_outside_slices(body) if n.value not in (0, 1)]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            found += [(n.lineno, n.value) for n in _numbers_outside_slices(node)]
    assert not found, f"{module.name}: numbers (line, value) to declare as thresholds: {found}"


# --- thresholds at their boundaries -----------------------------------------------------------------------------

def _citations(count: int, *, kind: str = "study", authoritative: bool = True) -> list[dict]:
    return [{"url": f"https://pubmed.ncbi.nlm.nih.gov/{100 + i}/", "kind": kind, "authoritative": authoritative,
             "in_references": False} for i in range(count)]


def _statistics(cited: int, total: int) -> list[dict]:
    return [{"text": f"{i + 10}% des patients", "has_citation": i < cited} for i in range(total)]


def _headings(*levels: int, question: bool = False) -> dict:
    text = "What causes migraine?" if question else "Les causes de la migraine"
    return {"headings": [{"level": lv, "text": text} for lv in levels], "lists": 0, "tables": 0}


def _readability(lang: str, **values: Any) -> dict:
    return {"readability": {"language": lang, "words": 500, **values}, "language": lang}


def _days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _robots(max_snippet: int | None = None, data_nosnippet: int = 0) -> dict:
    return {"robots": {"noindex": False, "nosnippet": False, "max_snippet": max_snippet,
                       "data_nosnippet": data_nosnippet, "directives": []}}


def _page_node(missing: int, wanted: tuple[str, ...]) -> dict:
    return {prop: "x" for prop in wanted[missing:]}


def _sponsorship(shop_links: int) -> dict:
    return {"disclosures": {"sponsorship_label": None, "sponsored_links": []},
            "citations": _citations(shop_links, kind="commercial", authoritative=False)}


def _visible_dates(days: int) -> dict:
    return {"dates": {"visible": [{"label": "Mis à jour le", "date": _days_ago(days)}]},
            "date_modified": _days_ago(days), "last_reviewed": None, "date_published": None,
            "topic": {"is_health": True, "reason": "health terms"}}



# --- access.server-rendered ---
def _rendering(share: float, missing: tuple[str, ...] = ()) -> dict:
    """A page compared raw against rendered (facts.access.rendering), `share` of its words only after JavaScript."""
    side = {"words": 400, "authors": ["Anna Lee"], "date_published": "2026-01-10", "date_modified": None,
            "jsonld_blocks": 1, "jsonld_types": ["MedicalWebPage"], "title": "Asthma"}
    raw = {**side, "words": round(400 * (1 - share))}
    return {"access": {"rendering": {"compared": True, "rendered_only_share": share, "missing": list(missing),
                                     "raw": raw, "rendered": side}}}


# hygiene: the facts of scoring/facts/hygiene.py, one part given, the others empty
def _hygiene(**parts: Any) -> dict:
    empty = {"canonicals": [], "hreflang": [], "social": {},
             "images": {"total": 0, "with_alt": 0, "decorative": 0, "missing": []},
             "link_texts": {"total": 0, "vague": 0, "examples": []}}
    return {"hygiene": {**empty, **parts}}


def _images(described: int, total: int) -> dict:
    missing = [f"/img/photo-{i}.jpg" for i in range(min(total - described, 5))]
    return _hygiene(images={"total": total, "with_alt": described, "decorative": 0, "missing": missing})


def _vague_links(vague: int, lang: str) -> dict:
    text = "Read more" if lang == "en" else "En savoir plus"
    examples = [{"text": text, "url": f"/page-{i}"} for i in range(min(vague, 5))]
    return _hygiene(link_texts={"total": 12, "vague": vague, "examples": examples})


def _alternates(page: str, *codes: str) -> dict:
    entries = [{"lang": code, "href": f"{page}/{code}", "url": f"{page}/{code}"} for code in codes]
    return _hygiene(hreflang=entries)


EN_TITLE, FR_TITLE = "Migraine: symptoms and treatment of a common headache", "Migraine : les traitements"
HEALTH_PROPERTIES = scoring.checks.markup.HEALTH_PROPERTIES
CORE_PROPERTIES = scoring.checks.markup.CORE_PROPERTIES
HEALTH, NOT_HEALTH = {"is_health": True, "reason": "health terms"}, {"is_health": False, "reason": "no terms"}

# (check id, threshold) -> [(facts, expected status)], both sides of the boundary; page_node under "_page_node"
BOUNDARIES: dict[tuple[str, str], list[tuple[dict, str]]] = {
    ("sourcing.authoritative-citations", "min_words"): [
        ({"word_count": 150, "citations": []}, "fail"),
        ({"word_count": 149, "citations": []}, "not_applicable")],
    ("sourcing.authoritative-citations", "words_per_citation"): [  # expected = round(words / 400)
        ({"word_count": 599, "citations": _citations(1)}, "pass"),
        ({"word_count": 600, "citations": _citations(1)}, "warn")],
    ("sourcing.authoritative-citations", "max_expected"): [
        ({"word_count": 10_000, "citations": _citations(8)}, "pass"),
        ({"word_count": 10_000, "citations": _citations(7)}, "warn")],
    ("sourcing.references-section", "min_words"): [
        ({"references_section": False, "references": None, "word_count": 200}, "fail"),
        ({"references_section": False, "references": None, "word_count": 199}, "not_applicable")],
    ("sourcing.citations-near-claims", "min_words"): [
        ({"citations": [], "statistics": [], "word_count": 150}, "fail"),
        ({"citations": [], "statistics": [], "word_count": 149}, "not_applicable")],
    ("sourcing.sourced-statistics", "min_words"): [
        ({"statistics": [], "word_count": 300}, "warn"),
        ({"statistics": [], "word_count": 299}, "not_applicable")],
    ("sourcing.sourced-statistics", "min_cited_share"): [
        ({"statistics": _statistics(50, 100), "word_count": 2000}, "pass"),
        ({"statistics": _statistics(49, 100), "word_count": 2000}, "warn")],
    ("sourcing.attributed-quotations", "min_words"): [
        ({"quotations": [], "word_count": 300}, "warn"),
        ({"quotations": [], "word_count": 299}, "not_applicable")],
    ("authorship.review-date", "max_age_days"): [
        ({"last_reviewed": _days_ago(3 * 365), "date_modified": None}, "pass"),
        ({"last_reviewed": _days_ago(3 * 365 + 1), "date_modified": None}, "warn")],
    ("structure.heading-levels", "min_headings"): [
        ({"structure": _headings(1, 3)}, "warn"),
        ({"structure": _headings(3)}, "not_applicable")],
    ("structure.subheadings", "min_words"): [
        ({"word_count": 300, "structure": _headings(1)}, "fail"),
        ({"word_count": 299, "structure": _headings(1)}, "not_applicable")],
    ("structure.subheadings", "words_per_section"): [  # expected = words // 300, warned under half of it
        ({"word_count": 2990, "structure": _headings(*[2] * 4)}, "pass"),
        ({"word_count": 3000, "structure": _headings(*[2] * 4)}, "warn")],
    ("structure.subheadings", "min_share_of_expected"): [
        ({"word_count": 30_000, "structure": _headings(*[2] * 50)}, "pass"),
        ({"word_count": 30_000, "structure": _headings(*[2] * 49)}, "warn")],
    ("structure.question-headings", "min_subheadings"): [
        ({"structure": _headings(2, 2, 2)}, "warn"),
        ({"structure": _headings(2, 2)}, "not_applicable")],
    ("structure.summary", "min_words"): [
        ({"summary": None, "word_count": 400}, "warn"),
        ({"summary": None, "word_count": 399}, "not_applicable")],
    ("structure.lists-tables", "min_words"): [
        ({"structure": _headings(1), "word_count": 300}, "warn"),
        ({"structure": _headings(1), "word_count": 299}, "not_applicable")],
    ("structure.paragraph-length", "max_avg_words"): [
        ({"readability": {"avg_paragraph_length": 200, "long_paragraphs": 0}}, "pass"),
        ({"readability": {"avg_paragraph_length": 200.1, "long_paragraphs": 0}}, "fail")],
    ("structure.sentence-length", "min_sentences"): [
        ({"readability": {"long_sentence_share": 0.1, "sentences": 5}}, "pass"),
        ({"readability": {"long_sentence_share": 0.1, "sentences": 4}}, "not_applicable")],
    ("structure.sentence-length", "warn_share"): [
        ({"readability": {"long_sentence_share": 0.25, "sentences": 40}}, "pass"),
        ({"readability": {"long_sentence_share": 0.26, "sentences": 40}}, "warn")],
    ("structure.sentence-length", "fail_share"): [
        ({"readability": {"long_sentence_share": 0.5, "sentences": 40}}, "warn"),
        ({"readability": {"long_sentence_share": 0.51, "sentences": 40}}, "fail")],
    ("structure.readability", "min_words"): [
        (_readability("en", words=100, flesch_kincaid_grade=6.0), "pass"),
        (_readability("en", words=99, flesch_kincaid_grade=6.0), "not_applicable"),
        (_readability("fr", words=100, kandel_moles=70.0), "pass"),
        (_readability("fr", words=99, kandel_moles=70.0), "not_applicable")],
    ("structure.readability", "max_grade_en"): [
        (_readability("en", flesch_kincaid_grade=8.0), "pass"),
        (_readability("en", flesch_kincaid_grade=8.1), "warn")],
    ("structure.readability", "fail_grade_en"): [
        (_readability("en", flesch_kincaid_grade=12.0), "warn"),
        (_readability("en", flesch_kincaid_grade=12.1), "fail")],
    ("structure.readability", "min_kandel_moles_fr"): [
        (_readability("fr", kandel_moles=60.0), "pass"),
        (_readability("fr", kandel_moles=59.9), "warn")],
    ("structure.readability", "fail_kandel_moles_fr"): [
        (_readability("fr", kandel_moles=45.0), "warn"),
        (_readability("fr", kandel_moles=44.9), "fail")],
    ("structure.title", "min_length"): [
        ({"title": "Migraine : aide"}, "pass"), ({"title": "Migraine: help"}, "warn")],
    ("structure.title", "max_length"): [
        ({"title": EN_TITLE + "x" * (65 - len(EN_TITLE))}, "pass"),
        ({"title": FR_TITLE + "." * (66 - len(FR_TITLE))}, "warn")],
    ("structure.meta-description", "min_length"): [
        ({"meta_description": "La migraine : les symptômes, les causes et les traitements qui marchent"[:70]},
         "pass"),
        ({"meta_description": "Migraine: the symptoms, the causes and the treatments that work for you"[:69]},
         "warn")],
    ("structure.meta-description", "max_length"): [
        ({"meta_description": ("Migraine: symptoms, causes and treatments. " * 4)[:160]}, "pass"),
        ({"meta_description": ("Migraine : symptômes, causes et traitements. " * 4)[:161]}, "warn")],
    ("markup.health-properties", "max_missing_health"): [
        ({"_page_node": _page_node(6, HEALTH_PROPERTIES), "topic": HEALTH}, "warn"),
        ({"_page_node": _page_node(7, HEALTH_PROPERTIES), "topic": HEALTH}, "fail")],
    ("markup.health-properties", "max_missing_core"): [
        ({"_page_node": _page_node(3, CORE_PROPERTIES), "topic": NOT_HEALTH}, "warn"),
        ({"_page_node": _page_node(4, CORE_PROPERTIES), "topic": NOT_HEALTH}, "fail")],
    ("trust.sponsorship-disclosure", "min_shop_links"): [
        ({**_sponsorship(2), "_page_node": {}}, "pass"),
        ({**_sponsorship(3), "_page_node": {}}, "fail")],
    ("trust.visible-dates", "stale_after_days"): [
        (_visible_dates(3 * 365), "pass"), (_visible_dates(3 * 365 + 1), "warn")],
    ("trust.snippet-access", "min_max_snippet"): [
        (_robots(max_snippet=50), "pass"), (_robots(max_snippet=49), "warn")],
    ("trust.snippet-access", "max_data_nosnippet"): [
        (_robots(data_nosnippet=3), "pass"), (_robots(data_nosnippet=4), "warn")],
    # --- access.server-rendered: a fifth of the words only after JavaScript: a part AI crawlers never see ---
    ("access.server-rendered", "partial_share"): [
        (_rendering(0.199), "pass"), (_rendering(0.2), "warn")],
    # hygiene
    ("hygiene.image-alt", "pass_share"): [  # Lighthouse: one image without a text alternative is enough
        (_images(100, 100), "pass"), (_images(99, 100), "warn")],
    ("hygiene.image-alt", "fail_below_share"): [  # half described still warns, under half fails
        (_images(50, 100), "warn"), (_images(49, 100), "fail")],
    ("hygiene.link-texts", "max_vague_to_warn"): [
        (_vague_links(2, "en"), "warn"), (_vague_links(3, "en"), "fail"),
        (_vague_links(2, "fr"), "warn"), (_vague_links(3, "fr"), "fail")],
}

# branches no fixture page reaches, so that every declared read is seen used
RARE_BRANCHES: dict[str, list[tuple[dict, str]]] = {
    "structure.readability": [  # no language in the readability facts: the page's language decides the formula
        ({"readability": {"language": None, "words": 500, "kandel_moles": 70.0}, "language": "fr"}, "pass")],
    "hygiene.hreflang": [  # no canonical: the page's own URL is looked for among the language versions
        ({**_alternates("https://example.org/asthma", "en", "x-default"), "url": "https://example.org/asthma/en"},
         "pass"),
        ({**_alternates("https://example.org/asthme", "fr", "x-default"), "url": "https://example.org/asthme"},
         "fail")],
}

DECLARED = [(c.id, name) for c in REGISTRY.values() for name in c.thresholds]


def _run_strict(check_id: str, facts: dict) -> StrictContext:
    check = REGISTRY[check_id]
    facts = dict(facts)
    ctx = StrictContext(check, facts, page_node=facts.pop("_page_node", None))
    ctx.outcome = check.func(ctx)
    return ctx


def _status(check_id: str, facts: dict) -> str:
    return _run_strict(check_id, facts).outcome.status


@pytest.mark.parametrize(("check_id", "name"), DECLARED, ids=[f"{c}:{n}" for c, n in DECLARED])
def test_every_declared_threshold_holds_at_its_boundary(check_id: str, name: str) -> None:
    cases = BOUNDARIES.get((check_id, name))
    assert cases, f"{check_id} declares threshold {name!r}: add its boundary cases to BOUNDARIES"
    assert len({status for _, status in cases}) >= 2, "a boundary has a passing side and a failing side"
    for facts, expected in cases:
        assert _status(check_id, facts) == expected, (check_id, name, facts, expected)


def test_every_boundary_case_names_a_declared_threshold() -> None:
    assert set(BOUNDARIES) <= set(DECLARED), set(BOUNDARIES) - set(DECLARED)


def test_titles_and_descriptions_at_their_lengths_in_both_languages() -> None:
    for key in ("title", "meta-description"):
        lengths = [len(next(iter(f.values()))) for (c, _), cases in BOUNDARIES.items()
                   if c == f"structure.{key}" for f, _ in cases]
        assert sorted(lengths) == ([14, 15, 65, 66] if key == "title" else [69, 70, 160, 161])


# --- grades -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("score", "letter"), [
    (100, "A"), (90, "A"), (89.9, "B"), (80, "B"), (79.9, "C"), (70, "C"), (69.9, "D"), (60, "D"), (59.9, "E"),
    (50, "E"), (49.9, "F"), (0, "F"),
])
def test_grade_cut_offs_at_their_boundaries(score: float, letter: str) -> None:
    assert grade(score) == letter


# --- catalogue and French reasons -------------------------------------------------------------------------------

def test_catalogue_gives_reads_and_thresholds_and_french_reasons() -> None:
    english = {c["id"]: c for c in catalogue()}
    french = {c["id"]: c for c in i18n_catalogue("fr")}
    for check in REGISTRY.values():
        assert english[check.id]["reads"] == list(check.reads)
        assert {n: t["value"] for n, t in french[check.id]["thresholds"].items()} == check.threshold_values()
        for name, threshold in check.thresholds.items():
            assert english[check.id]["thresholds"][name] == threshold.describe()
            assert french[check.id]["thresholds"][name]["reason"] != threshold.reason, (check.id, name)


def test_a_missing_french_threshold_reason_is_reported() -> None:
    french = copy.deepcopy(translation_file("fr"))
    del french["structure.readability"]["thresholds"]["max_grade_en"]
    assert translation_problems(english_texts(), french) == ["missing: structure.readability.thresholds.max_grade_en"]


# --- the declaration itself -------------------------------------------------------------------------------------

def test_a_check_body_uses_the_declared_value_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _readability("en", flesch_kincaid_grade=8.5)
    assert _status("structure.readability", facts) == "warn"
    check = REGISTRY["structure.readability"]
    moved = {**check.thresholds, "max_grade_en": replace(check.thresholds["max_grade_en"], value=9)}
    monkeypatch.setitem(REGISTRY, check.id, replace(check, thresholds=moved))
    assert _status("structure.readability", facts) == "pass"


@pytest.mark.parametrize(("declaration", "error"), [
    ({"reads": "word_count"}, TypeError),                                     # a string, not a tuple of names
    ({"thresholds": {"min_words": 300}}, TypeError),                         # a bare number, no reason
])
def test_malformed_declarations_are_refused(declaration: dict, error: type) -> None:
    with pytest.raises(error):
        declare_check("structure.title", title="t", how_to_fix="f", messages={}, **declaration)


def test_a_threshold_is_a_number_with_a_reason_and_the_body_takes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TypeError):
        Threshold(True, "a flag is not a threshold")
    with pytest.raises(ValueError):
        Threshold(3, " ")
    monkeypatch.delitem(REGISTRY, "structure.title")
    register = declare_check("structure.title", title="t", how_to_fix="f", messages={},
                             thresholds={"min_length": Threshold(15, "reason")})
    with pytest.raises(TypeError, match="takes \\(ctx, threshold\\)"):
        register(lambda ctx: None)  # declares a threshold its body cannot receive
    with pytest.raises(TypeError, match="takes \\(ctx, threshold\\)"):
        declare_check("structure.title", title="t", how_to_fix="f", messages={})(lambda ctx, threshold: None)
    assert "structure.title" not in REGISTRY  # the refusals registered nothing
