"""Both reports opened in headless Chromium (Debian's ``chromium``): key elements visible, the copy
button and the table sort work, and the console stays free of errors. Screenshots go to tests/artifacts/.

Locally the test skips when Chromium or Playwright is missing; in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from scoring import audit_html
from service.reports import render_page_report, render_site_report
from tests.conftest import FIXTURES

CHROMIUM = os.environ.get("HEALTHGEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_report(browser, tmp_path):
    """Write ``html`` to a file, open it, and collect console errors and page errors."""
    contexts = []

    def open_(html: str, name: str):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        return page, errors

    yield open_
    for context in contexts:
        context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_page_report_in_chromium(open_report, lang):
    report = audit_html((FIXTURES / "pages" / "en_mixed_article.html").read_bytes(), "https://example.org/allergies")
    page, errors = open_report(render_page_report(report, lang=lang), f"page-{lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("svg.gauge").is_visible()
    assert page.locator("svg.gauge title").text_content().startswith("Score" if lang == "en" else "Score de")
    assert page.locator("svg.bars rect").count() == 2 * len(report["categories"])
    first_failed = page.locator("li.check.fail").first
    assert first_failed.is_visible()
    expected = "Names a medical reviewer" if lang == "en" else "Nomme un relecteur médical"
    assert first_failed.locator("h3").text_content() == expected
    code = page.locator("#jsonld")
    assert code.is_visible() and '"@type": "MedicalWebPage"' in code.text_content()
    # the copy button: keyboard focus, click, live region announces, clipboard holds the JSON-LD
    button = page.get_by_role("button", name="Copy the JSON-LD" if lang == "en" else "Copier le JSON-LD")
    button.focus()
    assert page.evaluate("document.activeElement.className") == "copy"
    page.keyboard.press("Enter")
    status = page.locator("#copy-status")
    status.filter(has_text="Copied" if lang == "en" else "Copié").wait_for(timeout=3000)
    assert "application/ld+json" in page.evaluate("navigator.clipboard.readText()")
    _shot(page, f"page-report-{lang}")
    page.emulate_media(media="print")
    assert not page.locator("button.copy").is_visible()  # print stylesheet hides the controls
    assert errors == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_site_report_in_chromium(open_report, lang):
    summary = json.loads((FIXTURES / "reports" / "site_summary.json").read_text(encoding="utf-8"))
    page, errors = open_report(render_site_report(summary, lang=lang), f"site-{lang}")
    assert page.locator("svg.histogram").is_visible()
    assert page.locator("svg.histogram rect").count() == len(summary["score"]["histogram"])
    assert page.locator("svg.bars").is_visible()
    table = page.locator("#worst-table")
    assert table.is_visible()
    scores = lambda: [float(v) for v in table.locator("tbody tr td:nth-child(2)").evaluate_all(  # noqa: E731
        "cells => cells.map(c => c.dataset.value)")]
    assert scores() == sorted(scores())  # worst first, as the summary gives them
    header = table.locator("thead th").nth(1)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert scores() == sorted(scores(), reverse=True)
    first_check = summary["checks"][0]
    row = page.locator(f'[id="check-{first_check["id"]}"]')
    row.locator("summary").click()
    assert row.locator("a").first.is_visible()
    assert row.locator("a").first.get_attribute("href") == first_check["pages"][0]
    _shot(page, f"site-report-{lang}")
    assert errors == []
