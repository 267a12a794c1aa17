"""Render the page and site reports from our fixtures and screenshot them in headless Chromium.

    python scripts/screenshots.py            # writes docs/page-report.png, docs/site-report.png (+ -fr)
    python scripts/screenshots.py --html     # also keeps the rendered HTML next to the images

Needs Debian's chromium (/usr/bin/chromium, or HEALTHGEO_CHROMIUM) and Playwright (the dev extra).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import audit_html  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNG files (default docs/)")
    parser.add_argument("--html", action="store_true", help="also write the rendered HTML files")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page, not the first screen")
    args = parser.parse_args()
    chromium = os.environ.get("HEALTHGEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        for name, html in reports().items():
            path = Path(out if args.html else tmp) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            page.goto(path.as_uri())
            page.screenshot(path=str(out / f"{name}.png"), full_page=args.full_page)
            print(out / f"{name}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
