"""Build tests/fixtures/reports/site_summary.json: a site summary as /work/contract-site-summary.md
describes it, from real audits of our fixture pages (each page in a few variants, under made-up URLs).

    python scripts/build_site_fixture.py

The site report is built and tested against this file until batches (issue 5) produce real ones.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import audit_html  # noqa: E402
from service.net.robots import crawler_access  # noqa: E402

ORIGIN = "https://sante.example"
PAGES = {  # fixture -> section it is published under
    "en_good_article": "/conditions/", "en_mixed_article": "/conditions/", "en_poor_article": "/offers/",
    "fr_good_article": "/maladies/", "fr_poor_article": "/offres/", "fr_recipe": "/recettes/",
}
VARIANTS = {  # what each variant removes from the page, to spread the scores as a real site does
    "": [],
    "-sans-balisage": [r'<script type="application/ld\+json">.*?</script>'],
    "-sans-description": [r'<meta name="description"[^>]*>'],
    "-brouillon": [r'<script type="application/ld\+json">.*?</script>', r'<meta name="description"[^>]*>',
                   r"<time[^>]*>.*?</time>"],
}
ROBOTS = "User-agent: GPTBot\nDisallow: /\n\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n"


def audits() -> list[dict]:
    reports = []
    for name, section in PAGES.items():
        html = (ROOT / "tests" / "fixtures" / "pages" / f"{name}.html").read_text(encoding="utf-8")
        for suffix, patterns in VARIANTS.items():
            page = html
            for pattern in patterns:
                page = re.sub(pattern, "", page, flags=re.S | re.I)
            url = f"{ORIGIN}{section}{name.replace('_', '-')}{suffix}"
            report = audit_html(page, url)
            report["section"] = "/" + section.strip("/").split("/")[0] + "/"
            reports.append(report)
    return reports


def summary(reports: list[dict]) -> dict:
    scores = [r["score"] for r in reports]
    histogram = [{"from": low, "to": low + 9 if low < 90 else 100,
                  "count": sum(1 for s in scores if low <= s < low + 10 or (low == 90 and s == 100))}
                 for low in range(0, 100, 10)]
    categories = {}
    for name in reports[0]["categories"]:
        values = [r["categories"][name]["score"] for r in reports if r["categories"][name]["score"] is not None]
        categories[name] = {"mean": round(statistics.fmean(values), 1) if values else None, "pages": len(values)}
    checks = []
    for check in reports[0]["checks"]:
        results = [(r["url"], next(c for c in r["checks"] if c["id"] == check["id"])) for r in reports]
        failed = [url for url, c in results if c["status"] == "fail"]
        warned = sum(1 for _, c in results if c["status"] == "warn")
        if failed or warned:
            checks.append({"id": check["id"], "category": check["category"], "title": check["title"],
                           "failed": len(failed), "warned": warned,
                           "applicable": sum(1 for _, c in results if c["status"] != "not_applicable"),
                           "pages": failed[:20]})
    checks.sort(key=lambda c: (-c["failed"], -c["warned"], c["id"]))
    worst = sorted(reports, key=lambda r: (r["score"], r["url"]))[:20]
    sections = defaultdict(list)
    for r in reports:
        sections[r["section"]].append(r)
    grades = Counter(r["grade"] for r in reports)
    return {
        "batch_id": "b_fixture01", "state": "done", "mode": "sitemap", "start": f"{ORIGIN}/sitemap.xml",
        "created_at": "2026-05-04T09:12:00Z", "finished_at": "2026-05-04T09:13:41Z",
        "counts": {"discovered": len(reports) + 3, "queued": 0, "running": 0, "done": len(reports), "failed": 2,
                   "skipped_robots": 1},
        "pages_per_second": 4.2,
        "score": {"mean": round(statistics.fmean(scores), 1), "median": round(statistics.median(scores), 1),
                  "histogram": histogram, "grades": {g: grades.get(g, 0) for g in "ABCDEF"}},
        "categories": categories,
        "checks": checks,
        "worst_pages": [{"url": r["url"], "score": r["score"], "grade": r["grade"],
                         "categories": {k: v["score"] for k, v in r["categories"].items()},
                         "failed_checks": [c["id"] for c in r["checks"] if c["status"] == "fail"]} for r in worst],
        "sections": [{"section": name, "pages": len(rs),
                      "mean_score": round(statistics.fmean(r["score"] for r in rs), 1),
                      "failed": sum(1 for r in rs for c in r["checks"] if c["status"] == "fail"),
                      "top_failed_checks": [{"id": i, "failed": n} for i, n in Counter(
                          c["id"] for r in rs for c in r["checks"] if c["status"] == "fail").most_common(3)]}
                     for name, rs in sorted(sections.items())],
        "errors": [{"url": f"{ORIGIN}/maladies/ancienne-page", "code": "http-error", "status": 404,
                    "message": "HTTP 404"},
                   {"url": f"{ORIGIN}/conditions/slow-page", "code": "timeout", "status": None,
                    "message": "no answer within 10 s"}],
        "site": {
            "origin": ORIGIN,
            "robots": crawler_access(ROBOTS, f"{ORIGIN}/", 200),
            "llms_txt": False,
            "sitemaps": [{"url": f"{ORIGIN}/sitemap.xml", "kind": "index", "status": 200, "entries": 2, "error": None},
                         {"url": f"{ORIGIN}/sitemap-fr.xml", "kind": "urlset", "status": 200, "entries": 14,
                          "error": None},
                         {"url": f"{ORIGIN}/sitemap-en.xml", "kind": "urlset", "status": 200, "entries": 13,
                          "error": None}],
            "sitemap_errors": [],
            "duplicate_titles": [{"title": "Maigrir vite", "urls": [f"{ORIGIN}/offres/fr-poor-article",
                                                                    f"{ORIGIN}/offres/fr-poor-article-brouillon"]}],
            "duplicate_h1": [],
        },
        "exports": {"csv": "/v1/batches/b_fixture01/export.csv", "jsonl": "/v1/batches/b_fixture01/export.jsonl"},
    }


if __name__ == "__main__":
    out = ROOT / "tests" / "fixtures" / "reports" / "site_summary.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary(audits()), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out)
