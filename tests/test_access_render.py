"""Raw vs rendered and AI crawlers at the door: the engine's comparison, shell detection and verdicts (pure),
then the API and the command line against a small site served from 127.0.0.1.

The site serves one article twice: rendered on the server (/ssr/asthma), and as a client-side application
whose script fetches the article from a JSON endpoint (/csr/asthma). It answers 403 to GPTBot's user agent
and a challenge page to CCBot's. Tests that drive Chromium skip when it is absent locally and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scoring import audit_html
from scoring.facts.bot_access import bot_verdicts, summarize_response
from scoring.facts.rendering import MISSING_SHARE, RenderFacts, compare_rendering
from scoring.i18n import localize_report
from service.api.app import create_app
from service.api.auth.keys import create_key
from service.net.policy import FetchPolicy
from service.reports.evidence import evidence_lines
from tests import redis_helper
from tests.conftest import FIXTURES, check_result

RENDER = FIXTURES / "render"
ARTICLE = json.loads((RENDER / "article.json").read_text(encoding="utf-8"))
CHROMIUM = os.environ.get("HEALTHGEO_CHROMIUM") or "/usr/bin/chromium"


def _ssr_html(a: dict) -> bytes:
    """The same article as app.js builds it, rendered on the server."""
    body = "".join(f"<p>{p}</p>" for p in a["paragraphs"])
    ld = json.dumps({"@context": "https://schema.org", "@type": "MedicalWebPage", "headline": a["headline"],
                     "datePublished": a["published"], "author": {"@type": "Person", "name": a["author"]}})
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Asthma in adults | Healthy Lungs'
            f'</title><script type="application/ld+json">{ld}</script></head><body><div id="root"><main><article>'
            f'<h1>{a["headline"]}</h1><p class="byline">By {a["author"]}</p><p>Published <time datetime="'
            f'{a["published"]}">{a["published_text"]}</time></p>{body}</article></main></div></body></html>'
            ).encode()


CHALLENGE = (b"<!doctype html><html><head><title>Just a moment...</title></head><body><div id='cf-challenge'>"
             b"Checking your browser before accessing the site.</div></body></html>")


class _Site(BaseHTTPRequestHandler):
    hits: list[tuple[str, str]]

    def do_GET(self):  # noqa: N802 (http.server's name)
        agent = self.headers.get("User-Agent", "")
        self.hits.append((self.path, agent))
        status, ctype, body = 200, "text/html; charset=utf-8", b""
        if "GPTBot" in agent:
            status, body = 403, b"<html><body><h1>403 Forbidden</h1></body></html>"
        elif "CCBot" in agent:
            status, body = 403, CHALLENGE
        elif self.path == "/ssr/asthma":
            body = _ssr_html(ARTICLE)
        elif self.path == "/csr/asthma":
            body = (RENDER / "en_shell.html").read_bytes()
        elif self.path == "/static/app.js":
            ctype, body = "text/javascript", (RENDER / "app.js").read_bytes()
        elif self.path == "/api/article.json":
            ctype, body = "application/json", json.dumps(ARTICLE).encode()
        elif self.path == "/leaky":
            port = self.server.other_port  # type: ignore[attr-defined]
            body = (f"<html><body><h1>Leaky</h1><p id=out>start</p><script>"
                    f"fetch('http://10.0.0.1/admin').catch(function(){{}});"
                    f"fetch('http://127.0.0.1:{port}/secret').then(function(r){{return r.text()}})"
                    f".then(function(t){{document.getElementById('out').textContent=t}}).catch(function(){{}});"
                    f"</script></body></html>").encode()
        elif self.path == "/secret":
            body = b"internal secret"
        else:
            status, body = 404, b"<html><body>not found</body></html>"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(hits: list) -> ThreadingHTTPServer:
    handler = type("Site", (_Site,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site():
    hits: list[tuple[str, str]] = []
    other_hits: list[tuple[str, str]] = []
    main, other = _serve(hits), _serve(other_hits)
    main.other_port = other.server_address[1]  # type: ignore[attr-defined]
    yield {"base": f"http://127.0.0.1:{main.server_address[1]}", "port": main.server_address[1], "hits": hits,
           "other_port": other.server_address[1], "other_hits": other_hits}
    main.shutdown()
    other.shutdown()


def _policy(site) -> FetchPolicy:
    # only the site's own port: the second local server stands for an internal service the page must not reach
    # generous: a loaded machine answers late; no test here waits for these to expire
    return FetchPolicy(allow=(f"127.0.0.1:{site['port']}",), connect_timeout=10, read_timeout=10, total_timeout=30)


def _chromium_or_skip() -> None:
    from service.net.render import render_unavailable

    reason = render_unavailable(CHROMIUM)
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}: CI must run the rendering tests (.ci/run installs chromium)")
        pytest.skip(reason)


# --------------------------------------------------------------------------- engine: application shells


@pytest.mark.parametrize("name", ["en_shell.html", "fr_shell.html"])
def test_shell_is_flagged_from_raw_html(name):
    report = audit_html((RENDER / name).read_bytes(), "https://example.org/asthma")
    result = check_result(report, "access.server-rendered")
    assert result["status"] == "warn" and result["message_key"] == "warn_shell"
    shown = {item["property"]: item["markup"] for item in result["evidence"]["items"]}
    assert result["evidence"]["kind"] == "comparison"
    assert shown["mount_point"][0] in ("div#root", "app-root")
    assert "JavaScript" in shown["noscript"][0]
    french = check_result(localize_report(report, "fr"), "access.server-rendered")
    assert "coquille d’application" in french["message"]


@pytest.mark.parametrize("name", ["fr_article.html", "../pages/en_good_article.html"])
def test_server_rendered_page_is_not_a_shell(name):
    html = (RENDER / name).read_bytes()
    assert check_result(audit_html(html, "https://example.org/a"), "access.server-rendered")["status"] == \
        "not_applicable"  # an HTML audit that is not a shell: nothing to say
    url_audit = audit_html(html, "https://example.org/a", access={"robots": None})
    assert check_result(url_audit, "access.server-rendered")["message_key"] == "pass_raw"


def test_a_mount_point_with_its_content_or_without_scripts_is_not_a_shell():
    filled = b"<html><body><div id='root'>" + b"<p>Asthma narrows the airways of the lungs.</p>" * 20 + \
        b"</div><script src='/app.js'></script></body></html>"
    no_script = b"<html><body><div id='root'></div><noscript>Please enable JavaScript.</noscript></body></html>"
    for html in (filled, no_script):
        assert check_result(audit_html(html), "access.server-rendered")["status"] == "not_applicable"


# --------------------------------------------------------------------------- engine: the comparison


def _facts(n_words: int, *, authors=(), date=None, types=()) -> RenderFacts:
    article = tuple(f"w{i}" for i in range(n_words))
    return RenderFacts(article_words=article, body_words=article, authors=tuple(authors), date_published=date,
                       date_modified=None, jsonld_blocks=1 if types else 0, jsonld_types=tuple(types), title="t")


def _rendered_with_share(share: float) -> tuple[RenderFacts, RenderFacts]:
    """A raw page holding all but ``share`` of the rendered page's 1,000 words."""
    rendered = _facts(1000)
    raw_words = rendered.article_words[:1000 - round(share * 1000)]
    raw = RenderFacts(raw_words, raw_words, (), None, None, 0, (), "t")
    return raw, rendered


def _check_with(comparison: dict) -> dict:
    report = audit_html((FIXTURES / "pages" / "en_good_article.html").read_bytes(), "https://example.org/a",
                        access={"robots": None, "rendering": comparison})
    return check_result(report, "access.server-rendered")


PARTIAL_SHARE = 0.2  # a fifth of the article's words only after JavaScript: warned (the threshold's reason)


@pytest.mark.parametrize(("share", "status", "key"), [
    (0.0, "pass", "pass_rendered"),
    (PARTIAL_SHARE - 0.001, "pass", "pass_rendered"),
    (PARTIAL_SHARE, "warn", "warn_partial"),
    (MISSING_SHARE - 0.001, "warn", "warn_partial"),
    (MISSING_SHARE, "fail", "fail_text"),
    (1.0, "fail", "fail_text"),
])
def test_rendered_only_share_at_each_threshold(share, status, key):
    comparison = compare_rendering(*_rendered_with_share(share))
    assert comparison["rendered_only_share"] == pytest.approx(share, abs=0.0005)
    result = _check_with(comparison)
    assert (result["status"], result["message_key"]) == (status, key)


@pytest.mark.parametrize(("raw", "rendered", "missing"), [
    (_facts(50), _facts(50, authors=["Dr Anna Lee"]), ["author"]),
    (_facts(50, authors=["dr anna  LEE"]), _facts(50, authors=["Dr Anna Lee"]), []),
    (_facts(50), _facts(50, date="2026-02-10"), ["date"]),
    (_facts(50, types=["WebSite"]), _facts(50, types=["WebSite", "MedicalWebPage"]), ["jsonld"]),
    (_facts(50, types=["WebSite", "MedicalWebPage"]), _facts(50, types=["MedicalWebPage"]), []),
    (_facts(0), _facts(50, authors=["A B"], date="2026-01-01", types=["Article"]), ["text", "author", "date",
                                                                                  "jsonld"]),
])
def test_facts_present_only_after_rendering(raw, rendered, missing):
    comparison = compare_rendering(raw, rendered)
    assert comparison["missing"] == missing
    result = _check_with(comparison)
    assert result["status"] == ("fail" if missing else "pass")
    if missing:
        assert result["message_key"] == f"fail_{missing[0]}"
        items = result["evidence"]["items"]
        assert [i["code"] for i in items] == ["rendered-only"] * len(missing)
        assert all(i["markup"] != i["page"] for i in items)


def test_failure_message_counts_the_other_missing_facts_in_both_languages():
    comparison = compare_rendering(_facts(0), _facts(50, authors=["A B"], date="2026-01-01"))
    report = audit_html(b"<html><body><p>x</p></body></html>", "https://example.org/a",
                        access={"robots": None, "rendering": comparison})
    english = check_result(report, "access.server-rendered")["message"]
    french = check_result(localize_report(report, "fr"), "access.server-rendered")["message"]
    assert "100%" in english and "(and 2 other facts)" in english
    assert "100\u00a0%" in french and "(et 2 autres éléments)" in french


# --------------------------------------------------------------------------- engine: bot verdicts


PAGE = _ssr_html(ARTICLE)


@pytest.mark.parametrize(("response", "verdict"), [
    (summarize_response(200, "text/html", PAGE), "served"),
    (summarize_response(403, "text/html", b"<html><body>Forbidden</body></html>"), "blocked"),
    (summarize_response(403, "text/html", CHALLENGE), "challenged"),
    (summarize_response(200, "text/html", CHALLENGE), "challenged"),
    (summarize_response(200, "text/html", b"<html><body><p>Welcome to our shop. Buy now.</p></body></html>"),
     "different"),
    (summarize_response(200, "application/pdf", b"%PDF-1.4"), "different"),
    (summarize_response(None, None, b"", error="timeout"), "error"),
])
def test_bot_verdicts(response, verdict):
    result = bot_verdicts(summarize_response(200, "text/html", PAGE), {"GPTBot": response})
    assert result["comparable"] and result["bots"][0]["verdict"] == verdict


def test_a_marker_the_browser_also_gets_is_no_challenge():
    with_form = PAGE.replace(b"</body>", b"<div class='g-recaptcha'></div></body>")
    result = bot_verdicts(summarize_response(200, "text/html", with_form),
                          {"GPTBot": summarize_response(200, "text/html", with_form)})
    assert result["bots"][0]["verdict"] == "served"


@pytest.mark.parametrize(("verdicts", "status"), [
    (["served", "served"], "pass"),
    (["served", "blocked"], "warn"),
    (["served", "different"], "warn"),
    (["blocked", "challenged"], "fail"),
])
def test_bot_responses_check(verdicts, status):
    bots = {"comparable": True, "browser": {"status": 200},
            "bots": [{"agent": f"Bot{i}", "verdict": v, "status": 200} for i, v in enumerate(verdicts)]}
    report = audit_html(PAGE, "https://example.org/a", access={"robots": None, "bots": bots})
    assert check_result(report, "access.bot-responses")["status"] == status
    na = audit_html(PAGE, "https://example.org/a", access={"robots": None, "bots": {**bots, "comparable": False}})
    assert check_result(na, "access.bot-responses")["message_key"] == "na_browser"


NB = "\u00a0"


def test_crawler_answers_are_evidence_beside_the_browsers_in_both_languages():
    bots = {"comparable": True, "browser": {"status": 200},
            "bots": [{"agent": "GPTBot", "verdict": "blocked", "status": 403},
                     {"agent": "ClaudeBot", "verdict": "served", "status": 200},
                     {"agent": "PerplexityBot", "verdict": "challenged", "status": 200}]}
    result = check_result(audit_html(PAGE, "https://example.org/a", access={"robots": None, "bots": bots}),
                          "access.bot-responses")
    assert result["evidence"]["kind"] == "comparison"
    shown = [(i["property"], i["code"], i["severity"], i["markup"], i["page"]) for i in result["evidence"]["items"]]
    assert shown == [("GPTBot", "blocked", "error", ["403"], ["200"]),
                     ("PerplexityBot", "challenged", "error", ["200"], ["200"])]
    assert evidence_lines(result["evidence"], "en")[0] == "GPTBot: refused (HTTP 403; a browser got HTTP 200)"
    assert evidence_lines(result["evidence"], "fr")[0] == \
        f"GPTBot{NB}: refusé (HTTP 403{NB}; un navigateur a reçu HTTP 200)"


def test_raw_and_rendered_sides_read_as_sentences_in_both_languages():
    comparison = compare_rendering(_facts(50), _facts(50, authors=["Anna Lee"]))
    evidence = _check_with(comparison)["evidence"]
    assert evidence_lines(evidence, "en") == ["author: raw HTML nothing, rendered page “Anna Lee”"]
    assert evidence_lines(evidence, "fr") == [f"auteur{NB}: HTML brut rien, page rendue «{NB}Anna Lee{NB}»"]
    partial = _check_with(compare_rendering(*_rendered_with_share(0.3)))
    assert partial["message_key"] == "warn_partial"
    assert [(i["property"], i["code"]) for i in partial["evidence"]["items"]] == [("words", "rendered-only-share")]


# --------------------------------------------------------------------------- API and CLI on a local site


@pytest.fixture
def make_client(prefix, tmp_path):
    def make(policy: FetchPolicy):
        app = create_app({"REDIS_URL": redis_helper.redis_url(), "KEY_PREFIX": prefix,
                          "DATA_DIR": str(tmp_path / "var"), "TESTING": True, "FETCH_POLICY": policy})
        r = redis_helper.client()
        key, _ = create_key(r, "render", prefix)
        r.close()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return client

    return make


def test_probe_reports_each_bot(site, make_client):
    client = make_client(_policy(site))
    response = client.post("/v1/audits", json={"url": site["base"] + "/ssr/asthma", "probe_bots": True})
    assert response.status_code == 201, response.get_json()
    probe = response.get_json()["facts"]["access"]["bots"]
    verdicts = {b["agent"]: b["verdict"] for b in probe["bots"]}
    assert verdicts["GPTBot"] == "blocked" and verdicts["CCBot"] == "challenged"
    assert verdicts["OAI-SearchBot"] == verdicts["ClaudeBot"] == verdicts["PerplexityBot"] == "served"
    assert set(verdicts) == {"GPTBot", "OAI-SearchBot", "ChatGPT-User", "ClaudeBot", "Claude-User",
                             "PerplexityBot", "CCBot", "Applebot"}
    check = check_result(response.get_json(), "access.bot-responses")
    assert check["status"] == "warn" and "GPTBot (blocked)" in check["message"]
    agents = {agent for path, agent in site["hits"] if path == "/ssr/asthma"}
    assert any("GPTBot/1.1" in a for a in agents) and any("Chrome/" in a for a in agents)


def test_without_probe_the_check_does_not_apply(site, make_client):
    client = make_client(_policy(site))
    body = client.post("/v1/audits", json={"url": site["base"] + "/ssr/asthma"}).get_json()
    assert check_result(body, "access.bot-responses")["status"] == "not_applicable"
    assert check_result(body, "access.server-rendered")["message_key"] == "pass_raw"


def test_render_unavailable_is_a_422_in_both_languages(site, make_client, monkeypatch):
    monkeypatch.setenv("HEALTHGEO_CHROMIUM", "/nonexistent/chromium")
    client = make_client(_policy(site))
    before = len(site["hits"])
    for lang, title in (("en", "Rendering is unavailable"), ("fr", "Rendu indisponible")):
        response = client.post(f"/v1/audits?lang={lang}", json={"url": site["base"] + "/csr/asthma",
                                                                  "render": True})
        assert response.status_code == 422
        problem = response.get_json()
        assert problem["type"].endswith("/render-unavailable") and problem["title"] == title
    assert len(site["hits"]) == before  # refused before any fetch
    # without render the same page is audited, its shell flagged from the raw HTML alone
    body = client.post("/v1/audits", json={"url": site["base"] + "/csr/asthma"}).get_json()
    assert check_result(body, "access.server-rendered")["message_key"] == "warn_shell"


def test_render_and_probe_need_a_url_audit(make_client):
    client = make_client(FetchPolicy())
    response = client.post("/v1/audits", json={"html": PAGE.decode(), "render": True})
    assert response.status_code == 422
    assert any(e["field"] == "render" for e in response.get_json()["errors"])


def test_render_tells_server_rendered_from_client_rendered(site, make_client):
    _chromium_or_skip()
    client = make_client(_policy(site))
    ssr = client.post("/v1/audits", json={"url": site["base"] + "/ssr/asthma", "render": True}).get_json()
    csr = client.post("/v1/audits", json={"url": site["base"] + "/csr/asthma", "render": True}).get_json()
    ok = check_result(ssr, "access.server-rendered")
    assert ok["status"] == "pass" and ok["message_key"] == "pass_rendered", ok
    bad = check_result(csr, "access.server-rendered")
    assert bad["status"] == "fail" and bad["message_key"] == "fail_text", bad
    evidence = {item["property"]: item for item in bad["evidence"]["items"]}
    assert list(evidence) == ["words", "authors", "date", "jsonld_types"]
    assert evidence["words"]["markup"] == ["0"] and int(evidence["words"]["page"][0]) > 150
    assert evidence["authors"]["page"] == ["Anna Lee"] and evidence["authors"]["markup"] == []
    assert "MedicalWebPage" in evidence["jsonld_types"]["page"]
    # the audit's facts are the raw page's (what AI crawlers see)
    assert csr["facts"]["word_count"] < 10 and csr["facts"]["authors"] == []
    render_info = csr["facts"]["access"]["rendering"]["render"]
    assert render_info["requests"] >= 2 and render_info["refused"] == []


def test_renderer_refuses_blocked_addresses_asked_by_page_script(site):
    _chromium_or_skip()
    from service.net.render import render_page

    before = len(site["other_hits"])
    url = site["base"] + "/leaky"
    raw = _fetch_raw(url)
    result = render_page(url, raw, _policy(site), chromium=CHROMIUM)
    refused = {r["url"]: r["code"] for r in result.refused}
    assert refused["http://10.0.0.1/admin"] == "blocked-address"
    assert refused[f"http://127.0.0.1:{site['other_port']}/secret"] == "blocked-address"
    assert len(site["other_hits"]) == before  # the internal service saw nothing
    assert "internal secret" not in result.html


def test_the_browser_has_no_network_of_its_own(site):
    """Launched as the renderer launches it but without interception: a page cannot be reached at all."""
    _chromium_or_skip()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from service.net.render import LAUNCH_ARGS

    before = len(site["other_hits"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        try:
            page = browser.new_page()
            with pytest.raises(PlaywrightError):
                page.goto(f"http://127.0.0.1:{site['other_port']}/secret", timeout=10_000)
        finally:
            browser.close()
    assert len(site["other_hits"]) == before


def _fetch_raw(url: str) -> bytes:
    from urllib.request import urlopen

    with urlopen(url, timeout=30) as response:  # noqa: S310 (the test's own local server)
        return response.read()


def test_cli_probe_bots_and_render_refused(site, tmp_path, capsys, monkeypatch):
    from service.cli.main import main

    monkeypatch.setenv("HEALTHGEO_FETCH_ALLOW", f"127.0.0.1:{site['port']}")
    out = tmp_path / "report.json"
    assert main(["audit", site["base"] + "/ssr/asthma", "--probe-bots", "--format", "json", "-o", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {b["agent"]: b["verdict"] for b in report["facts"]["access"]["bots"]["bots"]}["GPTBot"] == "blocked"
    capsys.readouterr()
    assert main(["audit", site["base"] + "/csr/asthma", "--render", "--chromium", "/nonexistent/chromium",
                 "--lang", "fr"]) == 2
    assert "le rendu est indisponible ici" in capsys.readouterr().err




# --------------------------------------------------------------------------- the site summary and report


def test_site_summary_counts_pages_invisible_without_javascript_and_bots_turned_away():
    from scoring.facts.rendering import compare_html
    from service.batches.access_summary import site_access_lines
    from service.batches.pages import page_record
    from service.batches.summary import build_summary
    from service.reports import render_site_report

    article = ARTICLE
    shell = (RENDER / "en_shell.html").read_bytes()

    records = []
    for i, (raw, refused) in enumerate(((shell, {"GPTBot": "blocked"}), (_ssr_html(article), {}),
                                        (shell, {"GPTBot": "blocked", "CCBot": "challenged"}))):
        access = {"robots": None, "rendering": compare_html(raw, _ssr_html(article), "https://example.org/a"),
                  "bots": {"comparable": True, "browser": {"status": 200},
                           "bots": [{"agent": a, "verdict": v} for a, v in refused.items()]}}
        report = audit_html(raw, f"https://example.org/p{i}", access=access)
        records.append(page_record(f"https://example.org/p{i}", 0, report, audit_id=None, fetch={}))
    batch = {"id": "b_1", "state": "done", "mode": "urls", "start": "https://example.org/", "created_at": "x",
             "counts": {}}
    site = build_summary(batch, records)["site"]
    assert site["javascript"]["rendered_pages"] == 3 and site["javascript"]["invisible_pages"] == 2
    assert site["javascript"]["invisible_examples"] == ["https://example.org/p0", "https://example.org/p2"]
    refused = {e["agent"]: e for e in site["ai_bots"]["refused"]}
    assert refused["GPTBot"]["pages"] == 2 and refused["CCBot"]["challenged"] == 1
    assert site["ai_bots"]["probed_pages"] == 3
    english, french = site_access_lines(site, "en"), site_access_lines(site, "fr")
    assert english[0].startswith("2 pages of 3 rendered are invisible without JavaScript")
    assert french[0].startswith("2 pages sur 3 rendues sont invisibles sans JavaScript")
    assert any(line.startswith("GPTBot: turned away on 2 pages of 3") for line in english)
    html = render_site_report({**build_summary(batch, records)}, lang="fr")
    assert "JavaScript et robots d’IA" in html and "refoulé sur 2 pages" in html


def test_batch_with_probe_bots_records_and_summarises_the_bots_turned_away(site, env):
    from service.batches.jobs import run_discovery, run_pages
    from service.batches.queries import iter_records
    from service.batches.service import create_batch
    from service.batches.summary import summary_for

    ssr, csr = site["base"] + "/ssr/asthma", site["base"] + "/csr/asthma"
    batch = create_batch(env.rt, {"urls": [ssr, csr], "probe_bots": True})
    run_discovery(env.rt, batch["id"])
    run_pages(env.rt, batch["id"], [[ssr, 0], [csr, 0]])
    records = {r["url"]: r for r in iter_records(env.rt, batch["id"])}
    assert records[ssr]["state"] == "done", records[ssr]
    assert records[ssr]["bots_refused"] == {"GPTBot": "blocked", "CCBot": "challenged"}
    assert "access.bot-responses" in records[ssr]["warned_checks"]
    assert "access.server-rendered" in records[csr]["warned_checks"]  # a shell, flagged from its raw HTML
    site_summary = summary_for(env.rt, batch["id"])["site"]
    assert {e["agent"]: e["pages"] for e in site_summary["ai_bots"]["refused"]} == {"GPTBot": 2, "CCBot": 2}
    assert site_summary["javascript"]["shell_pages"] == 1


def test_batch_with_render_is_refused_without_chromium(env, monkeypatch):
    monkeypatch.setenv("HEALTHGEO_CHROMIUM", "/nonexistent/chromium")
    app = create_app({**env.config_overrides(), "TESTING": True})
    r = redis_helper.client()
    key, _ = create_key(r, "render-batch", env.prefix)
    r.close()
    client = app.test_client()
    response = client.post("/v1/batches?lang=fr", json={"urls": ["https://example.org/a"], "render": True},
                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["type"].endswith("/render-unavailable")
    assert response.get_json()["title"] == "Rendu indisponible"
