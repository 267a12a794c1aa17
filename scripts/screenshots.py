"""Render the page and site reports from our fixtures and screenshot them in headless Chromium.

    python scripts/screenshots.py            # writes docs/page-report.png, docs/site-report.png (+ -fr)
    python scripts/screenshots.py --html     # also keeps the rendered HTML next to the images
    python scripts/screenshots.py --only page-report-since-last   # one image (here: the "since last audit" part)

Also docs/page-report-fr-fix.png (the French report's proposed JSON-LD, what it adds and what the page lacks) and
docs/cli-text.png (`healthgeo audit page.html -v` in a terminal, 100 columns, in colour) and
docs/page-report-fr-markup.png (the microdata attributes a French page must take out, with their lines).

Needs Debian's chromium (/usr/bin/chromium, or HEALTHGEO_CHROMIUM) and Playwright (the dev extra).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import audit_html  # noqa: E402
from scoring.rescore import compare_across_rules  # noqa: E402
from service.reports import render_page_report, render_site_report  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PAGE = FIXTURES / "pages" / "en_mixed_article.html"
PAGE_FR = FIXTURES / "pages" / "fr_poor_article.html"
SUMMARY = FIXTURES / "reports" / "site_summary.json"
VIEWPORT = {"width": 1200, "height": 1500}  # above the fold plus the first findings: what a reader sees first


def reports() -> dict[str, str]:
    summary = json.loads(SUMMARY.read_text(encoding="utf-8"))
    english = audit_html(PAGE.read_bytes(), "https://www.example-health.org/allergies/seasonal")
    french = audit_html(PAGE_FR.read_bytes(), "https://sante.example/offres/maigrir-vite")
    return {"page-report": render_page_report(english, lang="en"),
            "page-report-fr": render_page_report(french, lang="fr"),
            "site-report": render_site_report(summary, lang="en"),
            "site-report-fr": render_site_report(summary, lang="fr")}


SINCE_URL = "https://www.example-health.org/conditions/high-blood-pressure"
# Each image that shows one section only: its name and the section's CSS selector.
SECTIONS = {"page-report-since-last": "#since-last", "page-report-fr-fix": "#fix", "cli-text": "pre",
            "page-report-fr-markup": "#fix-unfixed"}
_ANSI = re.compile(r"\033\[(\d+)m(.*?)\033\[0m", re.S)
_TERMINAL_COLOURS = {"31": "#ff6b6b", "32": "#7bd88f", "33": "#ffd866", "90": "#8a8a8a", "1": "#ffffff"}


def cli_text() -> str:
    """The CLI's text output as a terminal would show it (its ANSI colours as spans), in a small HTML page."""
    from html import escape

    from service.cli.main import format_text

    report = audit_html((FIXTURES / "pages" / "en_poor_article.html").read_bytes(),
                        "https://www.example.org/weight-loss")
    text = escape(format_text(report, "dist/weight-loss.html", True, "en", width=100))
    body = _ANSI.sub(lambda m: f'<span style="color:{_TERMINAL_COLOURS.get(m[1], "#fff")};'
                               f'{"font-weight:bold" if m[1] == "1" else ""}">{m[2]}</span>', text)
    return ("<!DOCTYPE html><meta charset=utf-8><title>healthgeo audit</title><body style='margin:0;"
            "background:#1e1e1e'><pre style='margin:0;padding:16px 20px;color:#e8e8e8;background:#1e1e1e;"
            "font:14px/1.45 DejaVu Sans Mono,monospace;width:max-content'>"
            f"<span style='color:#8a8a8a'>$ healthgeo audit dist/weight-loss.html</span>\n{body}</pre>")


def since_last_report() -> str:
    """The page report of an edited page: a reviewer named, two sources unlinked, the JSON-LD broken."""
    page = (FIXTURES / "pages" / "en_good_article.html").read_text(encoding="utf-8")
    review = r' \| Medically reviewed by <a href="/team/paul-smith">Paul Smith, MD, PhD</a> on March 1, 2026'
    before = re.sub(r'\n  "reviewedBy": \{[^\n]*\},', "", re.sub(review, "", page))
    after = page
    for href in ("https://www.nice.org.uk/guidance/ng136", "https://pubmed.ncbi.nlm.nih.gov/29133356/"):
        after = re.sub(f'<a href="{re.escape(href)}">([^<]*)</a>', r"\1", after)
    after = after.replace('<script type="application/ld+json">\n{', '<script type="application/ld+json">\n{{', 1)
    old, new = audit_html(before, SINCE_URL), audit_html(after, SINCE_URL)
    old.update(id="a_3hTq9ZkRw2", created_at="2026-11-04T09:12:00Z")
    new.update(id="a_Vx81LmQe0c", created_at="2026-12-04T09:15:00Z", compared_to=old["id"])
    new["changes"] = compare_across_rules(old, new, old_id=old["id"])
    new["changes"]["compared_at"] = old["created_at"]
    return render_page_report(new, lang="en")


def broken_markup_report() -> str:
    """The French report of a page whose own microdata is wrong: which attributes to take out, line by line."""
    page = FIXTURES / "fix" / "fr_microdata_article.html"
    return render_page_report(audit_html(page.read_bytes(), "https://www.sante-pratique.example/infections/cystite"),
                              lang="fr")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNG files (default docs/)")
    parser.add_argument("--html", action="store_true", help="also write the rendered HTML files")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page, not the first screen")
    parser.add_argument("--only", metavar="NAME", help="only this image (e.g. page-report-since-last)")
    args = parser.parse_args()
    chromium = os.environ.get("HEALTHGEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        rendered = {**reports(), "page-report-since-last": since_last_report(), "cli-text": cli_text()}
        rendered["page-report-fr-fix"] = rendered["page-report-fr"]
        rendered["page-report-fr-markup"] = broken_markup_report()
        for name, html in rendered.items():
            if args.only and name != args.only:
                continue
            path = Path(out if args.html else tmp) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            page.goto(path.as_uri())
            if name in ("page-report-fr-fix", "page-report-fr-markup"):  # the fix's lists, unfolded
                page.evaluate("document.querySelectorAll('#fix details').forEach(d => d.open = true)")
            if name in SECTIONS:
                page.locator(SECTIONS[name]).screenshot(path=str(out / f"{name}.png"))
            else:
                page.screenshot(path=str(out / f"{name}.png"), full_page=args.full_page)
            print(out / f"{name}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
