"""The generated site the batch tests and benchmark run against: sitemaps, robots.txt, errors, the log."""

from __future__ import annotations

import gzip
import threading
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree, html
from protego import Protego

from service.net.errors import FetchError
from service.net.fetch import fetch, fetch_text
from service.net.policy import FetchPolicy
from tests.sitesim import SITEMAP_NS, SimSite

NS = {"sm": SITEMAP_NS}
POLICY = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=10, total_timeout=20)  # generous: a busy machine
IMPATIENT = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=0.5, total_timeout=1.0)  # gives up on hanging URLs


@pytest.fixture(scope="module")
def site():
    with SimSite(pages=520, hang_seconds=3.0) as s:
        yield s


def _sitemap_locs(site: SimSite) -> tuple[list[str], list[str]]:
    index = etree.fromstring(fetch_text(site.sitemap_index_url, POLICY).body)
    children = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    locs, lastmods = [], []
    for child in children:
        res = fetch_text(child, POLICY)
        assert res.content_type == "application/gzip" and res.body[:2] == b"\x1f\x8b"
        urlset = etree.fromstring(gzip.decompress(res.body))
        locs += urlset.xpath("//sm:url/sm:loc/text()", namespaces=NS)
        lastmods += urlset.xpath("//sm:url/sm:lastmod/text()", namespaces=NS)
    return children, locs, lastmods


def test_sitemap_index_lists_gzipped_children_with_every_url_and_lastmod(site):
    children, locs, lastmods = _sitemap_locs(site)
    assert len(children) >= 3 and all(c.endswith(".xml.gz") for c in children)
    assert len(locs) == len(set(locs)) == len(lastmods)
    assert set(locs) == site.expected_pages | site.disallowed_urls | set(site.error_urls)
    assert len(site.expected_pages) == 520


def test_robots_txt_has_sitemap_disallow_and_crawl_delay(site):
    rp = Protego.parse(fetch_text(site.robots_url, POLICY).text())
    assert list(rp.sitemaps) == [site.sitemap_index_url]
    assert rp.crawl_delay("HealthgeoBot") == pytest.approx(0.05)
    assert all(not rp.can_fetch(u, "HealthgeoBot") for u in site.disallowed_urls)
    assert all(rp.can_fetch(u, "HealthgeoBot") for u in site.expected_pages)


def test_error_urls_fail_with_the_announced_fetch_error(site):
    for url, code in site.error_urls.items():
        with pytest.raises(FetchError) as err:
            fetch(url, IMPATIENT if code == "timeout" else POLICY)
        assert err.value.code == code, url
        if code == "http-error":
            assert err.value.status == site.error_statuses[url]


def test_pages_are_realistic_html_of_several_templates_with_duplicates(site):
    sizes = [len(fetch(site.base_url + p, POLICY).body) for p in list(site.pages)[::40]]
    assert min(sizes) > 4000 and max(sizes) < 40_000
    assert {p.template for p in site.pages.values()} >= {"condition", "drug", "news", "doctor", "about", "recipe"}
    assert {p.quality for p in site.pages.values()} == {"good", "mixed", "poor"}
    assert len(site.duplicate_titles()) == 1 and len(site.duplicate_h1()) == 1
    fr = next(p for p in site.pages.values() if p.template == "drug" and p.quality == "good")
    text = fetch(site.base_url + fr.path, POLICY).text()
    assert "Par Dr " in text and "pharmacien" in text and "Mis à jour le" in text


def test_breadth_first_crawl_from_home_reaches_every_sitemap_url_within_depth_2():
    with SimSite(pages=60) as small:
        seen, queue = {small.base_url + "/"}, deque([(small.base_url + "/", 0)])
        while queue:
            url, depth = queue.popleft()
            if depth == 2 or url not in small.expected_pages:
                continue
            tree = html.fromstring(small.page_html(urlsplit(url).path))
            for href in tree.xpath("//a/@href"):
                link = urljoin(url, href).split("#")[0].split("?")[0]
                if link.startswith(small.base_url) and link not in seen:
                    seen.add(link)
                    queue.append((link, depth + 1))
        assert seen == set(small.sitemap_urls)


def test_same_seed_same_site():
    with SimSite(pages=40) as a, SimSite(pages=40) as b:
        for path in a.pages:
            assert a.page_html(path).replace(a.base_url.encode(), b"") == b.page_html(path).replace(
                b.base_url.encode(), b""
            )


def test_request_log_and_peak_in_flight(site):
    assert site.wait_idle(), "a hanging request of an earlier test is still in flight"
    site.reset_log()
    slow = next(u for u, c in site.error_urls.items() if c == "timeout")
    threads = [threading.Thread(target=lambda: pytest.raises(FetchError, fetch, slow, IMPATIENT)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the clients gave up, but each handler stops counting only once it sees the hang-up: wait for that, or
    # on a busy machine the next request overlaps three handlers that are about to end (peak 4)
    assert site.wait_idle(), "the server still serves requests its clients abandoned"
    fetch(site.base_url + "/", POLICY)
    assert site.max_in_flight == 3
    paths = site.requested_paths()
    assert paths.count(urlsplit(slow).path) == 3 and paths[-1] == "/"
    method, _path, _t, agent = site.requests[-1]
    assert method == "GET" and agent.startswith("HealthgeoBot/")
