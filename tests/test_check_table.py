"""The README's check table is the registry's: ids, weights, titles and thresholds (scripts/check_table.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from scoring.checks.base import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("check_table", ROOT / "scripts" / "check_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_check_table_is_current() -> None:
    script = _script()
    assert script.readme_table(script.README.read_text(encoding="utf-8")) == script.render_table(), \
        "run python scripts/check_table.py --write"


def test_the_table_shows_each_threshold_with_its_value_and_reason() -> None:
    table = _script().render_table()
    row = next(line for line in table.splitlines() if line.startswith("| `structure.readability`"))
    assert "`max_grade_en` = 8 grade (NIH: patient material below 8th grade)" in row
    row = next(line for line in table.splitlines() if line.startswith("| `structure.sentence-length`"))
    assert "`warn_share` = 25% (Yoast" in row
    assert table.count("\n| `") == len(REGISTRY)  # one row a check
