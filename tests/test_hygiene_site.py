"""Canonical and hreflang across a site batch (service/batches/hygiene_site.py): a canonical URL that answers a 404
or a redirect, hreflang pairs that are not reciprocal; in the summary JSON and the site report, EN and FR.

The end-to-end test runs a real batch (a worker process, Redis) over a small English/French site served from
127.0.0.1; the others feed page records to the pure summary."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from schemas.batches import SummarySchema
from service.batches.hygiene_site import SiteHygiene, page_hygiene
from service.batches.service import create_batch
from service.batches.summary import build_summary, summary_for
from service.reports.site import render_site_report

_PROSE = {
    "en": ("Asthma is a common lung condition that causes occasional breathing difficulties. It affects people of all "
           "ages and often starts in childhood, although it can also develop for the first time in adults. There is "
           "no cure, but simple treatments help keep the symptoms under control."),
    "fr": ("L’asthme est une maladie respiratoire fréquente qui provoque des difficultés à respirer par épisodes. Il "
           "touche les personnes de tout âge et commence souvent dans l’enfance, mais il peut aussi apparaître chez "
           "l’adulte. On ne le guérit pas, mais des traitements simples contrôlent les symptômes."),
}


def _html(lang: str, title: str, canonical: str, alternates: dict[str, str]) -> str:
    links = "".join(f'<link rel="alternate" hreflang="{code}" href="{href}">' for code, href in alternates.items())
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{canonical}">{links}</head><body><main><article><h1>{title}</h1>'
            f"<p>{_PROSE[lang]}</p><p>{_PROSE[lang]}</p></article></main></body></html>")


def _site(server: HTTPServer) -> dict[str, str]:
    """Serve the site; returns its page URLs by name."""
    u = {name: server.url_for(path) for name, path in (
        ("asthma", "/en/asthma"), ("asthme", "/fr/asthme"), ("hay_fever", "/en/hay-fever"),
        ("rhume", "/fr/rhume-des-foins"), ("old_hay_fever", "/en/hay-fever-2019"), ("copd", "/en/copd"),
        ("old_copd", "/copd.html"))}
    pages = {
        # a reciprocal pair: no finding
        "/en/asthma": _html("en", "Asthma", u["asthma"], {"en": u["asthma"], "fr": u["asthme"]}),
        "/fr/asthme": _html("fr", "Asthme", u["asthme"], {"fr": u["asthme"], "en": u["asthma"]}),
        # canonical to a page that answers 404; names a French version that does not name it back
        "/en/hay-fever": _html("en", "Hay fever", u["old_hay_fever"], {"en": u["hay_fever"], "fr": u["rhume"]}),
        "/fr/rhume-des-foins": _html("fr", "Rhume des foins", u["rhume"], {"fr": u["rhume"]}),
        # canonical to an old address that redirects here
        "/en/copd": _html("en", "COPD", u["old_copd"], {}),
    }
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/llms.txt").respond_with_data("", status=404)
    for path, html in pages.items():
        server.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8")
    server.expect_request("/en/hay-fever-2019").respond_with_data("Not found", status=404)
    server.expect_request("/copd.html").respond_with_data("", status=301, headers={"Location": u["copd"]})
    return u


def test_a_batch_reports_canonical_to_404_and_redirect_and_non_reciprocal_hreflang(env, server):
    u = _site(server)
    env.start_worker()
    urls = [u[name] for name in ("asthma", "asthme", "hay_fever", "rhume", "old_hay_fever", "copd", "old_copd")]
    batch = create_batch(env.rt, {"urls": urls})
    final = env.wait(batch["id"], timeout=120)
    assert final["state"] == "done" and final["counts"]["failed"] == 1, final
    summary = summary_for(env.rt, batch["id"])
    hygiene = SummarySchema().dump(summary)["hygiene"]  # the API's contract keeps it
    assert hygiene["canonical_to_missing"] == {"count": 1, "examples": [
        {"url": u["hay_fever"], "canonical": u["old_hay_fever"], "status": 404}]}
    assert hygiene["canonical_to_redirect"] == {"count": 1, "examples": [
        {"url": u["copd"], "canonical": u["old_copd"], "final_url": u["copd"]}]}
    assert hygiene["hreflang_not_reciprocal"] == {"count": 1, "examples": [
        {"url": u["hay_fever"], "hreflang": "fr", "target": u["rhume"]}]}
    english = render_site_report(summary, lang="en")
    assert "Pages whose canonical URL answers 404 or 410 (1)" in english
    assert "Language versions that do not link back (hreflang) (1)" in english
    assert u["old_copd"] in english
    french = render_site_report(summary, lang="fr")
    assert "Pages dont l’URL canonique redirige (1)" in french
    assert "Versions linguistiques qui ne renvoient pas à la page (hreflang) (1)" in french


def _record(url: str, *, canonical: str | None = None, hreflang: dict[str, str] | None = None,
            final_url: str | None = None, state: str = "done", status: int = 200) -> dict:
    report = {"facts": {"hygiene": {
        "canonicals": [{"href": canonical, "url": canonical}] if canonical else [],
        "hreflang": [{"lang": code, "href": href, "url": href} for code, href in (hreflang or {}).items()]}}}
    record = {"url": url, "state": state, "final_url": final_url or (url if state == "done" else None),
              "status": status, "score": 80.0 if state == "done" else None, "grade": "B" if state == "done" else None,
              "section": "/", "categories": {}, "failed_checks": [], "warned_checks": [], "na_checks": []}
    if state == "done":
        record["hygiene"] = page_hygiene(report)
    else:
        record["error"] = {"code": "http-error", "status": status, "message": f"HTTP {status}"}
    return record


A, B, C = "https://www.example-sante.fr/fr/asthme", "https://www.example-sante.fr/en/asthma", \
    "https://www.example-sante.fr/de/asthma"


def _findings(*records: dict) -> dict:
    site = SiteHygiene()
    for record in records:
        site.add(record)
    return site.findings()


def test_reciprocal_pairs_and_pages_outside_the_batch_give_no_finding():
    found = _findings(_record(A, canonical=A, hreflang={"fr": A, "en": B, "de": C}),
                      _record(B, canonical=B, hreflang={"en": B, "fr": A, "de": C}))  # C: not in the batch
    assert all(f["count"] == 0 for f in found.values()), found


def test_a_page_named_back_through_its_canonical_or_final_url_is_reciprocal():
    found = _findings(_record(A + "?ref=nav", canonical=A, hreflang={"fr": A, "en": B}),
                      _record(B, hreflang={"en": B, "fr": A}))
    assert found["hreflang_not_reciprocal"]["count"] == 0


def test_each_missing_return_link_counts_once_per_pair():
    found = _findings(_record(A, canonical=A, hreflang={"fr": A, "en": B, "de": C}),
                      _record(B, canonical=B), _record(C, canonical=C, hreflang={"de": C, "fr": A}))
    assert found["hreflang_not_reciprocal"] == {"count": 1, "examples": [{"url": A, "hreflang": "en", "target": B}]}


def test_canonical_to_a_410_and_to_a_redirect_and_a_500_is_not_missing():
    old, moved, broken = A + "-2019", A + "-old", A + "-broken"
    found = _findings(_record(A, canonical=old), _record(old, state="failed", status=410),
                      _record(B, canonical=moved), _record(moved, final_url=B),
                      _record(C, canonical=broken), _record(broken, state="failed", status=500))
    assert found["canonical_to_missing"]["examples"] == [{"url": A, "canonical": old, "status": 410}]
    assert found["canonical_to_redirect"]["examples"] == [{"url": B, "canonical": moved, "final_url": B}]


def test_summary_without_findings_says_so_in_both_languages():
    batch = {"id": "b_test", "state": "done", "mode": "urls", "start": A, "created_at": "2026-12-05T06:00:00Z",
             "counts": {"done": 2}}
    summary = build_summary(batch, [_record(A, canonical=A, hreflang={"fr": A, "en": B}),
                                    _record(B, canonical=B, hreflang={"en": B, "fr": A})])
    assert summary["hygiene"]["hreflang_not_reciprocal"]["count"] == 0
    assert "every audited language version links back" in render_site_report(summary, lang="en")
    assert "chaque version linguistique auditée renvoie à la page" in render_site_report(summary, lang="fr")
