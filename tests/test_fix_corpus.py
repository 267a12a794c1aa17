"""The fix on every real page of ../shared/corpus: the round trip holds and nothing is invented.

Round trip: the page as `--apply` writes it (its JSON-LD replaced by the fix's script, the microdata/RDFa
statements the fix removes taken out), audited again, has no schema.org error (microdata/RDFa errors the fix
lists in `unfixed` without a removal aside) and passes every markup check except those that `missing` or
`unfixed` name. Skipped when ../shared is not there.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from scoring.fix import apply_fix, fix_html, fix_removals

from .test_fix import invented_values, roundtrip_problems

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
if not (CORPUS / "pages").is_dir():
    pytest.skip("../shared/corpus is not available", allow_module_level=True)

PAGES = sorted(p.name for p in (CORPUS / "pages").glob("*.html"))


@cache
def _urls() -> dict[str, str | None]:
    path = CORPUS / "manifest.json"
    if not path.is_file():
        return {}
    return {Path(m["file"]).name: m.get("original_url") for m in json.loads(path.read_text("utf-8"))}


def _page(name: str) -> tuple[bytes, str | None]:
    return (CORPUS / "pages" / name).read_bytes(), _urls().get(name)


def test_corpus_is_there():
    assert len(PAGES) >= 50


@pytest.mark.parametrize("name", PAGES)
def test_round_trip(name):
    raw, url = _page(name)
    assert roundtrip_problems(raw, url) == []


@pytest.mark.parametrize("name", PAGES)
def test_nothing_invented(name):
    raw, url = _page(name)
    assert invented_values(raw, url, fix_html(raw, url)) == []


@pytest.mark.parametrize("name", PAGES)
def test_stable_on_its_own_output(name):
    raw, url = _page(name)
    fix = fix_html(raw, url)
    again = fix_html(apply_fix(raw, fix["script"], fix_removals(fix)), url)
    assert again["jsonld"] == fix["jsonld"]
