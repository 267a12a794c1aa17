"""The rules version follows the engine's code and data: any change to them is a new version."""

import shutil
from pathlib import Path

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


def test_every_declared_threshold_lives_in_a_file_the_digest_covers(tmp_path):
    """Thresholds are declared in the check modules (and their reasons in checks/i18n): moving one is a new version."""
    import inspect

    from scoring.checks.base import REGISTRY

    for check in REGISTRY.values():
        if check.thresholds:
            source = Path(inspect.getsourcefile(check.func.__wrapped__)).resolve()
            assert source.is_relative_to(ENGINE) and source.suffix == ".py", (check.id, source)
    copy = tmp_path / "scoring"
    shutil.copytree(ENGINE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    structure = copy / "checks" / "structure.py"
    text = structure.read_text()
    assert text.count('Threshold(8, "NIH') == 1
    structure.write_text(text.replace('Threshold(8, "NIH', 'Threshold(9, "NIH'))
    assert rules_digest(copy) != rules_digest(ENGINE)
