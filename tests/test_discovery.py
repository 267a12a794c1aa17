"""URL discovery for site batches: normalisation, scope, sitemaps (served locally), crawl links."""

from __future__ import annotations

import gzip

import pytest
from werkzeug import Response

from service.net.discovery import (
    MAX_URLS_PER_SITEMAP,
    Found,
    Scope,
    links_to_follow,
    normalize_url,
    read_sitemaps,
    sitemap_candidates,
)
from service.net.fetch import fetch_text
from service.net.policy import FetchPolicy

# Generous: a loaded machine answers late; no test here waits for these to expire.
POLICY = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=10, total_timeout=30)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def safe_get(url: str) -> tuple[int, bytes, str | None]:
    """What the batch engine passes in: the safe fetcher, statuses returned rather than raised."""
    res = fetch_text(url, POLICY, accept="application/xml,text/xml,*/*", raise_for_status=False)
    return res.status, res.body, res.content_type


def urlset(*locs: str, lastmod: str | None = None) -> bytes:
    extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    body = "".join(f"<url><loc>{loc}</loc>{extra}</url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{body}</urlset>'.encode()


def index(*locs: str) -> bytes:
    body = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f"<sitemapindex {NS}>{body}</sitemapindex>".encode()


def table_get(files: dict[str, bytes | int]):
    """A get() over a dict: bytes are served with 200, an int is a bare status."""
    calls: list[str] = []

    def get(url: str) -> tuple[int, bytes, str | None]:
        calls.append(url)
        value = files.get(url, 404)
        return (value, b"", None) if isinstance(value, int) else (200, value, "application/xml")

    get.calls = calls
    return get


# --------------------------------------------------------------------------- normalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/../b?b=2&a=1#frag", "http://example.com/b?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://ex.com/p?utm_source=n&utm_medium=e&id=3&fbclid=z&gclid=y&_ga=1", "https://ex.com/p?id=3"),
        ("https://ex.com/p?gallery=2&reference=x", "https://ex.com/p?gallery=2&reference=x"),
        ("https://ex.com/p?b=1&a=2&a=1", "https://ex.com/p?a=1&a=2&b=1"),  # w3lib sorts repeated values too
        ("https://ex.com/%7euser/%c3%a9t%C3%A9", "https://ex.com/~user/%C3%A9t%C3%A9"),
        ("https://ex.com/été?q=a b", "https://ex.com/%C3%A9t%C3%A9?q=a+b"),
        ("https://Bücher.DE./", "https://xn--bcher-kva.de/"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ],
)
def test_normalize_url_canonical_form(url, expected):
    assert normalize_url(url) == expected


def test_normalize_url_resolves_against_base_and_refuses_non_http():
    base = "https://ex.com/dir/page?x=1"
    assert normalize_url("other", base) == "https://ex.com/dir/other"
    assert normalize_url("/root#top", base) == "https://ex.com/root"
    assert normalize_url("//cdn.ex.com/a", base) == "https://cdn.ex.com/a"
    for bad in ["mailto:a@ex.com", "javascript:void(0)", "ftp://ex.com/", "http://user:pw@ex.com/", "http:///x",
                "http://ex.com:99999/", "", "   ", "x" * 9000]:  # fmt: skip
        assert normalize_url(bad) is None, bad


def test_one_page_many_spellings_one_url():
    spellings = [
        "https://www.ex.com/conditions/asthma",
        "https://WWW.EX.COM:443/conditions/asthma#symptoms",
        "https://www.ex.com/conditions/./asthma?utm_source=newsletter",
        "https://www.ex.com/conditions/x/../asthma?fbclid=abc",
    ]
    assert len({normalize_url(u) for u in spellings}) == 1


# --------------------------------------------------------------------------- Scope


def test_scope_same_site_with_www_folded_and_both_schemes():
    scope = Scope("https://www.ex.com/")
    assert scope.allows("https://ex.com/a") and scope.allows("http://www.ex.com/b")
    assert not scope.allows("https://other.com/a")
    assert not scope.allows("https://sub.ex.com/a")
    assert not scope.allows("https://ex.com:8443/a")
    assert not scope.allows("mailto:x@ex.com")


def test_scope_skips_assets_but_keeps_pdfs():
    scope = Scope("https://ex.com/")
    for asset in ["/logo.PNG", "/site.css", "/app.js", "/font.woff2", "/dump.zip", "/video.mp4"]:
        assert not scope.allows("https://ex.com" + asset), asset
    assert scope.allows("https://ex.com/leaflets/notice.pdf")
    assert scope.allows("https://ex.com/conditions/asthma")
    assert scope.allows("https://ex.com/v1.2/page")


def test_scope_include_and_exclude_patterns_on_path_and_query():
    scope = Scope("https://ex.com/", include=[r"^/conditions/", r"^/fr/"], exclude=[r"/print$", r"[?&]page="])
    assert scope.allows("https://ex.com/conditions/asthma")
    assert scope.allows("https://ex.com/fr/medicaments/paracetamol")
    assert not scope.allows("https://ex.com/news/a")
    assert not scope.allows("https://ex.com/conditions/asthma/print")
    assert not scope.allows("https://ex.com/conditions/?page=2")
    assert scope.allows("https://ex.com/"), "the start URL is always in scope"


def test_scope_rejects_bad_patterns_and_start_urls_clearly():
    with pytest.raises(ValueError, match="include pattern"):
        Scope("https://ex.com/", include=["("])
    with pytest.raises(ValueError, match="start URL"):
        Scope("ftp://ex.com/")


def test_links_to_follow_normalised_deduplicated_in_scope_within_depth():
    scope = Scope("https://ex.com/", exclude=["^/private/"], max_depth=2)
    hrefs = ["/a", "/a#x", "/a?utm_campaign=z", "b", "https://other.com/", "/private/x", "/img.jpg", "mailto:q@ex.com"]
    assert links_to_follow(hrefs, "https://ex.com/dir/page", scope, depth=1) == [
        "https://ex.com/a",
        "https://ex.com/dir/b",
    ]
    assert links_to_follow(hrefs, "https://ex.com/dir/page", scope, depth=2) == []
    assert links_to_follow(["/a"], "https://ex.com/", Scope("https://ex.com/"), depth=50) == ["https://ex.com/a"]


# --------------------------------------------------------------------------- candidates


def test_sitemap_candidates_prefer_robots_lines():
    assert sitemap_candidates("https://ex.com/start", ["https://ex.com/s.xml", "https://EX.com/s.xml", "bad"]) == [
        "https://ex.com/s.xml"
    ]
    assert sitemap_candidates("https://ex.com/start", []) == [
        "https://ex.com/sitemap.xml",
        "https://ex.com/sitemap_index.xml",
    ]


# --------------------------------------------------------------------------- read_sitemaps, served locally


def test_reads_the_generated_site_index_with_gzipped_children_and_lastmod(sim_site):
    res = read_sitemaps([sim_site.sitemap_index_url], safe_get, limit=10_000, scope=Scope(sim_site.base_url + "/"))
    assert {f.url for f in res.pages} == sim_site.expected_pages | sim_site.disallowed_urls | set(sim_site.error_urls)
    assert len(res.pages) == len(sim_site.sitemap_urls)
    assert all(f.lastmod and f.source == "sitemap" for f in res.pages)
    page = next(f for f in res.pages if f.url.endswith("/conditions/asthma"))
    assert page.lastmod == sim_site.pages["/conditions/asthma"].lastmod.isoformat()
    kinds = [s["kind"] for s in res.sitemaps]
    assert kinds[0] == "index" and kinds[1:] == ["urlset"] * (len(kinds) - 1) and len(kinds) >= 4
    assert res.errors == [] and not res.truncated
    assert sum(s["entries"] for s in res.sitemaps[1:]) == len(res.pages)


def test_limit_stops_reading(sim_site):
    res = read_sitemaps([sim_site.sitemap_index_url], safe_get, limit=50)
    assert len(res.pages) == 50 and res.truncated
    assert len(res.sitemaps) == 2, "the index and the first child only"


def test_gzip_is_detected_by_magic_bytes_and_namespace_is_optional(server):
    server.expect_request("/plain-named.xml").respond_with_data(
        gzip.compress(b"<urlset><url><loc>http://ex.com/a</loc><lastmod>2026-01-02</lastmod></url></urlset>"),
        content_type="application/octet-stream",
    )
    base = server.url_for("/")
    res = read_sitemaps([base + "plain-named.xml"], safe_get, limit=10)
    assert res.pages == [Found("http://ex.com/a", "2026-01-02", "sitemap", 0)]


def test_http_errors_and_malformed_sitemaps_are_recorded_and_the_others_still_read(server):
    names = ["/broken.xml", "/gone.xml", "/good.xml", "/html.xml", "/boom.xml"]
    server.expect_request("/idx.xml").respond_with_data(index(*map(server.url_for, names)))
    server.expect_request("/broken.xml").respond_with_data(b"<urlset><url><loc>http://ex.com/x</loc>")
    server.expect_request("/gone.xml").respond_with_data(b"", status=404)
    server.expect_request("/good.xml").respond_with_data(urlset("http://ex.com/ok"), content_type="text/xml")
    server.expect_request("/html.xml").respond_with_data(b"<html><body>Not found</body></html>")
    server.expect_request("/boom.xml").respond_with_response(Response(b"oops", status=503))
    res = read_sitemaps([server.url_for("/idx.xml")], safe_get, limit=100)
    assert [f.url for f in res.pages] == ["http://ex.com/ok"]
    codes = {e["url"].rsplit("/", 1)[1]: e["code"] for e in res.errors}
    assert codes == {
        "broken.xml": "bad-xml",
        "gone.xml": "http-error",
        "html.xml": "not-sitemap",
        "boom.xml": "http-error",
    }
    gone = next(s for s in res.sitemaps if s["url"].endswith("/gone.xml"))
    assert gone == {"url": gone["url"], "kind": None, "status": 404, "entries": 0, "error": "http-error"}


def test_fetch_errors_keep_their_code(server):
    def get(url):
        return safe_get(url.replace("/x.xml", ":1/x.xml"))  # a closed port: connect-error

    res = read_sitemaps(["http://127.0.0.1/x.xml"], get, limit=10)
    assert res.errors[0]["code"] == "connect-error" and res.sitemaps[0]["error"] == "connect-error"


def test_guessed_fallback_sitemaps_that_do_not_exist_are_not_errors():
    cands = sitemap_candidates("https://ex.com/", [])
    get = table_get({"https://ex.com/sitemap_index.xml": urlset("https://ex.com/a")})
    res = read_sitemaps(cands, get, limit=10, missing_ok=cands)
    assert [f.url for f in res.pages] == ["https://ex.com/a"] and res.errors == []
    res = read_sitemaps(cands, get, limit=10)
    assert [e["code"] for e in res.errors] == ["http-error"]


# --------------------------------------------------------------------------- read_sitemaps, edge cases


def test_index_loops_are_cut_and_reported():
    get = table_get(
        {
            "https://ex.com/a.xml": index("https://ex.com/b.xml", "https://ex.com/a.xml"),
            "https://ex.com/b.xml": index("https://ex.com/a.xml", "https://ex.com/c.xml"),
            "https://ex.com/c.xml": urlset("https://ex.com/page"),
        }
    )
    res = read_sitemaps(["https://ex.com/a.xml"], get, limit=10)
    assert [f.url for f in res.pages] == ["https://ex.com/page"]
    assert get.calls == ["https://ex.com/a.xml", "https://ex.com/b.xml", "https://ex.com/c.xml"]
    assert {e["code"] for e in res.errors} == {"sitemap-loop"}


def test_a_sitemap_listed_twice_is_read_once_without_error():
    get = table_get(
        {
            "https://ex.com/sitemap.xml": urlset("https://ex.com/a"),
            "https://ex.com/sitemap_index.xml": index("https://ex.com/sitemap.xml"),
        }
    )
    res = read_sitemaps(["https://ex.com/sitemap_index.xml", "https://ex.com/sitemap.xml"], get, limit=10)
    assert len(get.calls) == 2 and res.errors == [] and [f.url for f in res.pages] == ["https://ex.com/a"]


def test_pages_are_deduplicated_and_filtered_by_scope():
    get = table_get(
        {
            "https://ex.com/s.xml": urlset(
                "https://ex.com/a", "https://EX.com/a#x", "https://ex.com/a?utm_source=s", "https://other.com/b",
                "https://ex.com/img.png", "not a url", "https://ex.com/c",
            )
        }
    )  # fmt: skip
    res = read_sitemaps(["https://ex.com/s.xml"], get, limit=10, scope=Scope("https://ex.com/"))
    assert [f.url for f in res.pages] == ["https://ex.com/a", "https://ex.com/c"]
    assert res.out_of_scope == 2
    assert [e["code"] for e in res.errors] == ["bad-url"]


def test_plain_text_sitemap():
    get = table_get({"https://ex.com/s.txt": b"https://ex.com/a\n\nhttps://ex.com/b\n"})
    res = read_sitemaps(["https://ex.com/s.txt"], get, limit=10)
    assert [f.url for f in res.pages] == ["https://ex.com/a", "https://ex.com/b"]


def test_gzip_bomb_is_cut_at_the_cap_quickly():
    bomb = gzip.compress(b"<urlset>" + b" " * (40 * 1024 * 1024) + b"</urlset>")
    get = table_get({"https://ex.com/bomb.xml.gz": bomb, "https://ex.com/ok.xml": urlset("https://ex.com/a")})
    res = read_sitemaps(["https://ex.com/bomb.xml.gz", "https://ex.com/ok.xml"], get, limit=10, max_bytes=1024 * 1024)
    assert [e["code"] for e in res.errors] == ["too-large"]
    assert [f.url for f in res.pages] == ["https://ex.com/a"]


def test_corrupt_gzip_is_a_decode_error():
    get = table_get({"https://ex.com/s.xml.gz": gzip.compress(urlset("https://ex.com/a"))[:-12]})
    res = read_sitemaps(["https://ex.com/s.xml.gz"], get, limit=10)
    assert [e["code"] for e in res.errors] == ["decode-error"]


def test_entities_are_not_expanded_and_external_entities_not_fetched():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "https://ex.com/aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&c;</loc></url><url><loc>&ext;</loc></url><url><loc>https://ex.com/ok</loc></url></urlset>"
    )
    res = read_sitemaps(["https://ex.com/s.xml"], table_get({"https://ex.com/s.xml": laughs}), limit=10)
    urls = [f.url for f in res.pages]
    assert urls == ["https://ex.com/ok"]
    assert not any("root:" in u or "aaaaaaaaaa" in u for u in urls)


def test_more_than_50000_urls_in_one_file_is_an_error_but_the_first_50000_count():
    locs = [f"https://ex.com/p{i}" for i in range(MAX_URLS_PER_SITEMAP + 5)]
    get = table_get({"https://ex.com/big.xml": urlset(*locs)})
    res = read_sitemaps(["https://ex.com/big.xml"], get, limit=100_000)
    assert len(res.pages) == MAX_URLS_PER_SITEMAP
    assert [e["code"] for e in res.errors] == ["too-many-urls"]
    assert res.sitemaps[0]["entries"] == MAX_URLS_PER_SITEMAP + 5


def test_breadth_first_crawl_of_the_generated_site_finds_each_page_once():
    """The crawl the engine runs, without the queue: page links from scoring.Page, then links_to_follow."""
    from urllib.parse import urlsplit

    from scoring.page.model import Page
    from tests.sitesim import SimSite

    with SimSite(pages=60) as site:
        scope = Scope(site.base_url + "/", max_depth=2)
        start = normalize_url(site.base_url + "/")
        depth_of, queue = {start: 0}, [start]
        for url in queue:  # breadth-first: the list grows while it is walked
            path = urlsplit(url).path
            if path not in site.pages:
                continue  # errors and disallowed pages have no links to follow
            page = Page.parse(site.page_html(path), url)
            for link in links_to_follow((lnk.url for lnk in page.links), url, scope, depth_of[url]):
                if link not in depth_of:
                    depth_of[link] = depth_of[url] + 1
                    queue.append(link)
        assert len(queue) == len(set(queue)) == len(site.sitemap_urls)
        assert set(queue) == set(site.sitemap_urls), "fragments and utm_ links fold onto the listed URLs"
        assert max(depth_of.values()) == 2
