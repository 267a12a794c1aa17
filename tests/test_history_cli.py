"""``healthgeo audit --compare`` and ``healthgeo crawl --compare``: changes read from saved outputs, offline, in the
chosen language; ``--max-drop N`` fails a pipeline when a page lost more than N points."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from service.cli.main import main
from tests import redis_helper
from tests.batch_helpers import FAST_ENV, ROOT, cleanup_rq
from tests.sitesim import SimSite
from tests.test_compare import GOOD, URL, _changed, _without_reviewer
from tests.test_history_batches import degraded


@pytest.fixture
def pages(tmp_path):
    before, after = tmp_path / "before.html", tmp_path / "after.html"
    before.write_text(_without_reviewer(GOOD), encoding="utf-8")
    after.write_text(_changed(GOOD), encoding="utf-8")
    return before, after


@pytest.fixture
def previous(pages, tmp_path, capsys):
    saved = tmp_path / "previous.json"
    assert main(["audit", str(pages[0]), "--url", URL, "--format", "json", "-o", str(saved)]) == 0
    capsys.readouterr()
    return saved


def _json_audit(page, *extra: str, capsys) -> tuple[int, dict]:
    status = main(["audit", str(page), "--url", URL, "--format", "json", *extra])
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("lang", "heading", "lines"), [
    ("en", "Since the last audit", ["Medical reviewer added: Paul Smith.", "2 authoritative citations lost.",
                                    "Now failing: JSON-LD parses without errors."]),
    ("fr", "Depuis le dernier audit", ["Relecteur médical ajouté\u00a0: Paul Smith.", "2 sources de référence perdues.",
                                       "Désormais en échec\u00a0: Le JSON-LD est analysé sans erreur."]),
])
def test_audit_compare_prints_each_change_in_the_chosen_language(pages, previous, capsys, lang, heading, lines):
    assert main(["audit", str(pages[1]), "--url", URL, "--compare", str(previous), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert heading in out
    for line in lines:
        assert line in out


def test_audit_compare_in_json_carries_the_changes(pages, previous, capsys):
    status, report = _json_audit(pages[1], "--compare", str(previous), capsys=capsys)
    assert status == 0
    assert report["compared_to"] == str(pages[0])  # a CLI report has no id: its INPUT names it
    codes = {c["code"] for c in report["changes"]["facts"]}
    assert {"reviewers-added", "citations-removed", "markup-errors-changed"} <= codes
    assert "Medical reviewer added: Paul Smith." in report["changes"]["lines"]


def test_max_drop_fails_only_beyond_the_allowed_loss(pages, previous, capsys):
    _, report = _json_audit(pages[1], "--compare", str(previous), capsys=capsys)
    drop = -report["changes"]["score"]["delta"]
    assert drop > 5
    assert _json_audit(pages[1], "--compare", str(previous), "--max-drop", f"{drop}", capsys=capsys)[0] == 0
    status, _ = _json_audit(pages[1], "--compare", str(previous), "--max-drop", f"{drop - 0.1:.1f}", capsys=capsys)
    assert status == 1
    # a page that gained points never trips the limit
    saved = previous.parent / "worse.jsonl"
    assert main(["audit", str(pages[1]), "--url", URL, "--format", "jsonl", "-o", str(saved)]) == 0
    assert main(["audit", str(pages[0]), "--url", URL, "--compare", str(saved), "--max-drop", "0"]) == 0


def test_the_drop_is_said_on_stderr(pages, previous, capsys):
    assert main(["audit", str(pages[1]), "--url", URL, "--compare", str(previous), "--max-drop", "5",
                 "--lang", "fr"]) == 1
    err = capsys.readouterr().err
    assert "Une page a perdu" in err and "plus que les 5,0 permis" in err


def test_compare_errors_are_one_line_and_status_2(pages, tmp_path, capsys):
    assert main(["audit", str(pages[1]), "--max-drop", "5"]) == 2
    assert "--max-drop needs --compare" in capsys.readouterr().err
    assert main(["audit", str(pages[1]), "--compare", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    assert main(["audit", str(pages[1]), "--compare", str(junk)]) == 2
    assert "not a saved healthgeo output" in capsys.readouterr().err


def test_compare_errors_speak_french(pages, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("HEALTHGEO_LANG", raising=False)
    assert main(["audit", str(pages[1]), "--max-drop", "5", "--lang", "fr"]) == 2
    assert "--max-drop demande --compare FICHIER" in capsys.readouterr().err
    assert main(["audit", str(pages[1]), "--compare", str(tmp_path / "absent.json"), "--lang", "fr"]) == 2
    assert "absent.json\u00a0: fichier introuvable" in capsys.readouterr().err
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    assert main(["audit", str(pages[1]), "--compare", str(junk), "--lang", "fr"]) == 2
    assert "ce n’est pas une sortie enregistrée de healthgeo" in capsys.readouterr().err
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    assert main(["audit", str(pages[1]), "--compare", str(empty), "--lang", "fr"]) == 2
    assert "aucun rapport d’audit dedans" in capsys.readouterr().err
    assert main(["audit", str(pages[0]), str(pages[1]), "--format", "html", "--lang", "fr"]) == 2
    assert "--format html écrit un seul rapport" in capsys.readouterr().err


def _crawl(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "crawl", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_crawl_compare_finds_the_regressed_pages_and_max_drop_fails(tmp_path):
    prefix, queue = redis_helper.new_prefix(), "hgtest-q-" + redis_helper.new_prefix()
    env = {**os.environ, **FAST_ENV, "REDIS_URL": redis_helper.redis_url(), "HEALTHGEO_KEY_PREFIX": prefix,
           "HEALTHGEO_BATCH_QUEUE": queue}
    try:
        with SimSite(pages=40, crawl_delay=0.01, hang_seconds=2) as site:
            good = [p for p, page in site.pages.items() if page.template in ("condition", "drug")
                    and page.quality == "good"]  # the edit below costs these pages over 10 points
            others = [p for p, page in site.pages.items() if page.template == "news"]
            assert len(good) >= 2 and len(others) >= 2
            paths = good[:2] + others[:2]
            urls = tmp_path / "urls.txt"
            urls.write_text("\n".join(site.base_url + p for p in paths) + "\n")
            first = _crawl(["--urls", str(urls), "-o", str(tmp_path / "before.jsonl"), "--workers", "1"], env)
            assert first.returncode == 0, first.stderr
            for path in paths[:2]:  # two pages lose their markup and subheadings
                site._html[path] = degraded(site.page_html(path).decode("utf-8")).encode("utf-8")
            second = _crawl(["--urls", str(urls), "-o", str(tmp_path / "after.jsonl"), "--workers", "1",
                             "--compare", str(tmp_path / "before.jsonl"), "--max-drop", "5", "--lang", "fr"], env)
            assert second.returncode == 1, second.stderr
            assert "0 page améliorée, 2 pages en recul, 0 nouvelle page, 0 page disparue" in second.stdout
            for path in paths[:2]:
                assert site.base_url + path in second.stdout
            assert "Une page a perdu" in second.stderr
            lenient = _crawl(["--urls", str(urls), "--workers", "1", "--compare", str(tmp_path / "before.jsonl"),
                              "--max-drop", "100"], env)
            assert lenient.returncode == 0, lenient.stderr
            assert "2 pages regressed" in lenient.stdout
    finally:
        import redis

        conn = redis.Redis.from_url(redis_helper.redis_url())
        cleanup_rq(conn, queue, prefix)
        redis_helper.cleanup(prefix)
