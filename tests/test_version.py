"""The rules version follows the engine's code and data: any change to them is a new version."""

import shutil

import scoring
from scoring.version import ENGINE, RELEASE, rules_digest


def test_version_names_the_release_and_the_rules_digest():
    assert scoring.RULES_VERSION == f"{RELEASE}+{rules_digest()}"


def test_a_changed_threshold_or_language_file_changes_the_version(tmp_path):
    copy = tmp_path / "scoring"
    shutil.copytree(ENGINE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = rules_digest(copy)
    assert before == rules_digest(ENGINE)
    weights = copy / "weights.py"
    weights.write_text(weights.read_text() + "\n# a changed weight\n")
    after_code = rules_digest(copy)
    calendar = copy / "lang" / "fr" / "calendar.json"
    calendar.write_text(calendar.read_text().replace("janvier", "janvierr"))
    assert len({before, after_code, rules_digest(copy)}) == 3
