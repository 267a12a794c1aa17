"""Static and headless sites: `healthgeo audit` over folders and globs of built HTML, URLs from --base-url, and
JUnit XML that CI systems read (validated against the JUnit schema in tests/fixtures/junit/junit.xsd)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from service.cli.main import main
from service.cli.static_site import expand_inputs, page_url
from tests.conftest import FIXTURES, fixture_html

SCHEMA = etree.XMLSchema(etree.parse(str(FIXTURES / "junit" / "junit.xsd")))
BASE = "https://sante.example.org/"


def build_site(root: Path, pages: dict[str, str]) -> Path:
    """A static site generator's output: each page's HTML (a fixture) at its path under dist/."""
    dist = root / "dist"
    for path, fixture in pages.items():
        target = dist / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fixture_html(fixture))
    (dist / "assets").mkdir(exist_ok=True)
    (dist / "assets" / "site.css").write_text("body { margin: 0 }")
    return dist


SITE = {
    "index.html": "en_good_article.html",
    "sante/asthme/index.html": "fr_good_article.html",
    "blog/remede-miracle.html": "fr_poor_article.html",
}


def junit(capsys, *argv: str) -> tuple[int, etree._Element, str]:
    """Exit status, the JUnit document (checked against the schema) and standard error."""
    status = main(["audit", *argv, "--format", "junit"])
    captured = capsys.readouterr()
    document = etree.fromstring(captured.out.encode("utf-8"))
    SCHEMA.assertValid(document)
    return status, document, captured.err


def test_page_urls_follow_how_static_hosts_serve_files(tmp_path):
    dist = tmp_path / "dist"
    assert page_url(BASE, dist, dist / "index.html") == "https://sante.example.org/"
    assert page_url(BASE, dist, dist / "sante" / "asthme" / "index.html") == "https://sante.example.org/sante/asthme/"
    assert page_url(BASE, dist, dist / "blog" / "faq.html") == "https://sante.example.org/blog/faq.html"
    assert page_url("https://example.org/docs", dist, dist / "a b.html") == "https://example.org/docs/a%20b.html"


def test_a_folder_and_a_glob_give_every_html_file_once_with_its_url(tmp_path, monkeypatch):
    build_site(tmp_path, SITE)
    monkeypatch.chdir(tmp_path)
    by_folder, problems = expand_inputs(["dist"], BASE)
    by_glob, _ = expand_inputs(["dist/**/*.html", "dist/index.html"], BASE)
    assert problems == []
    assert by_folder == by_glob
    assert [(p.item, p.url) for p in by_folder] == [
        ("dist/blog/remede-miracle.html", "https://sante.example.org/blog/remede-miracle.html"),
        ("dist/index.html", "https://sante.example.org/"),
        ("dist/sante/asthme/index.html", "https://sante.example.org/sante/asthme/"),
    ]


def test_a_glob_matching_nothing_is_an_input_error(tmp_path, monkeypatch, capsys):
    build_site(tmp_path, SITE)
    monkeypatch.chdir(tmp_path)
    status, document, err = junit(capsys, "dist/**/*.htm", "dist/index.html")
    assert status == 2
    assert "healthgeo: dist/**/*.htm: no HTML file found" in err
    assert document.get("tests") == "1"


def test_junit_has_a_test_case_per_page_and_a_failure_per_failed_check(tmp_path, monkeypatch, capsys):
    build_site(tmp_path, SITE)
    monkeypatch.chdir(tmp_path)
    status, document, _ = junit(capsys, "dist", "--base-url", BASE)
    assert status == 0  # no --fail-under: failed checks are reported, the build is not gated
    cases = {case.get("name"): case for case in document.iter("testcase")}
    assert sorted(cases) == ["https://sante.example.org/", "https://sante.example.org/blog/remede-miracle.html",
                             "https://sante.example.org/sante/asthme/"]
    main(["audit", "dist/blog/remede-miracle.html", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    failed = [c["id"] for c in report["checks"] if c["status"] == "fail"]
    poor = cases["https://sante.example.org/blog/remede-miracle.html"]
    assert sorted(f.get("type") for f in poor.iter("failure")) == sorted(failed)
    assert len(failed) >= 5
    citations = poor.find("failure[@type='sourcing.authoritative-citations']")
    assert citations.get("message").startswith("Cites authoritative sources in proportion to its length: ")
    assert "fix: " in citations.text
    assert poor.find("system-out").text.startswith(f"score {report['score']:.0f}/100")
    assert cases["https://sante.example.org/"].find("failure") is None
    assert document.get("failures") == document.find("testsuite").get("failures") == "1"
    assert document.get("tests") == "3" and document.get("errors") == "0"


def test_junit_in_french(tmp_path, monkeypatch, capsys):
    build_site(tmp_path, SITE)
    monkeypatch.chdir(tmp_path)
    _, document, _ = junit(capsys, "dist/blog/*.html", "--lang", "fr", "--fail-under", "70")
    gate = document.find(".//failure[@type='fail-under']")
    assert gate.get("message").startswith("score de ") and gate.get("message").endswith(" sous le seuil de 70")
    citations = document.find(".//failure[@type='sourcing.authoritative-citations']")
    assert citations.get("message").startswith("Cite des sources de référence en proportion de sa longueur\u00a0: ")
    assert "correction\u00a0: " in citations.text


@pytest.mark.parametrize("offset, gated", [(0, False), (0.01, True)])
def test_fail_under_gates_at_its_boundary(tmp_path, monkeypatch, capsys, offset, gated):
    build_site(tmp_path, {"index.html": "fr_poor_article.html"})
    monkeypatch.chdir(tmp_path)
    main(["audit", "dist/index.html", "--format", "json"])
    score = json.loads(capsys.readouterr().out)["score"]
    status, document, _ = junit(capsys, "dist", "--fail-under", str(score + offset))
    assert status == (1 if gated else 0)
    assert (document.find(".//failure[@type='fail-under']") is not None) == gated


def test_bad_inputs_are_error_cases_and_odd_characters_stay_valid_xml(tmp_path, monkeypatch, capsys):
    dist = build_site(tmp_path, {"index.html": "en_good_article.html"})
    (dist / "empty.html").write_bytes(b"")
    (dist / "odd\x01name.html").write_bytes(fixture_html("fr_poor_article.html"))  # XML 1.0 cannot carry \x01
    monkeypatch.chdir(tmp_path)
    status, document, _ = junit(capsys, "dist")
    assert status == 2
    errors = document.findall(".//error")
    assert [e.getparent().get("name") for e in errors] == ["dist/empty.html"]
    assert errors[0].get("type") == "input" and "empty input" in errors[0].get("message")
    assert "dist/odd\ufffdname.html" in [case.get("name") for case in document.iter("testcase")]
    assert document.get("errors") == "1" and document.get("tests") == "3"


def test_the_schema_rejects_what_ci_systems_would_not_read():
    wrong = etree.fromstring(b"<testsuites><testsuite name='s' tests='1'><testcase name='p'>"
                             b"<system-out>x</system-out><failure message='m' type='t'/></testcase></testsuite>"
                             b"</testsuites>")
    assert not SCHEMA.validate(wrong)
    nameless = etree.fromstring(b"<testsuites><testsuite name='s' tests='1'><testcase/></testsuite></testsuites>")
    assert not SCHEMA.validate(nameless)


def test_a_static_site_build_is_gated_by_the_command_ci_runs(tmp_path):
    """What the README's GitHub Actions and GitLab CI jobs do: build, audit dist/ with --fail-under, keep the XML."""
    build_site(tmp_path, SITE)
    command = [sys.executable, "-m", "service.cli", "audit", "dist/**/*.html", "--base-url", BASE,
               "--fail-under", "70", "--format", "junit", "-o", "healthgeo-junit.xml"]
    root = Path(__file__).resolve().parents[1]
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    gated = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert gated.returncode == 1, gated.stderr
    document = etree.parse(str(tmp_path / "healthgeo-junit.xml"))
    SCHEMA.assertValid(document)
    assert [c.get("name") for c in document.iter("testcase") if c.find("failure[@type='fail-under']") is not None] \
        == ["https://sante.example.org/blog/remede-miracle.html"]

    (tmp_path / "dist" / "blog" / "remede-miracle.html").unlink()  # the editor withdraws the page
    passed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert passed.returncode == 0, passed.stderr
    SCHEMA.assertValid(etree.parse(str(tmp_path / "healthgeo-junit.xml")))
