"""Who may crawl a page: robots.txt rules for AI and search crawlers, llms.txt, sitemaps.

* :data:`AI_CRAWLERS` lists the user-agent tokens we report on, with owner and purpose.
* :func:`crawler_access` applies a robots.txt (parsed with protego) to one URL for each of
  them, following Google's status rules: 2xx -> parse; 4xx (except 429) -> no
  restrictions; 5xx or 429 -> everything disallowed.
* :class:`RobotsCache` keeps ``(status, text)`` per origin for an hour, in memory or in
  Redis (falling back to memory whenever Redis fails).
* :func:`site_access` puts it together for a page URL: fetches ``/robots.txt`` and
  ``/llms.txt`` through the safe fetcher (cached) and never raises for network trouble.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from protego import Protego

from service.net.body import sniffs_as_html
from service.net.errors import FetchError
from service.net.fetch import fetch_text
from service.net.policy import FetchPolicy
from service.net.target import origin_of

__all__ = [
    "AI_CRAWLERS",
    "Crawler",
    "RobotsCache",
    "OUR_AGENT",
    "OurRules",
    "crawler_access",
    "our_rules",
    "site_access",
]

log = logging.getLogger(__name__)

OUR_AGENT = "HealthgeoBot"
ROBOTS_MAX_BYTES = 512 * 1024  # Google reads the first 500 KiB
LLMS_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TTL = 3600


@dataclass(frozen=True)
class Crawler:
    agent: str  # the robots.txt user-agent token
    owner: str
    purpose: str  # "training" | "search" | "user-triggered"
    ai: bool  # False for the classic web-search crawlers (Googlebot, Bingbot)
    note: str = ""


AI_CRAWLERS: tuple[Crawler, ...] = (
    Crawler("GPTBot", "OpenAI", "training", True, "collects content to train OpenAI models"),
    Crawler("OAI-SearchBot", "OpenAI", "search", True, "indexes pages for ChatGPT search results"),
    Crawler("ChatGPT-User", "OpenAI", "user-triggered", True, "fetches a page when a ChatGPT user asks"),
    Crawler("PerplexityBot", "Perplexity", "search", True, "indexes pages for Perplexity answers"),
    Crawler("ClaudeBot", "Anthropic", "training", True, "collects content to train Claude models"),
    Crawler("Claude-SearchBot", "Anthropic", "search", True, "indexes pages for Claude's search results"),
    Crawler(
        "Google-Extended",
        "Google",
        "training",
        True,
        "robots.txt token (no separate crawler): Gemini training and grounding",
    ),
    Crawler("Googlebot", "Google", "search", False, "Google Search (also feeds AI Overviews)"),
    Crawler("Bingbot", "Microsoft", "search", False, "Bing search (also feeds Copilot)"),
    Crawler("CCBot", "Common Crawl", "training", True, "open web corpus widely used to train models"),
    Crawler(
        "Applebot-Extended",
        "Apple",
        "training",
        True,
        "robots.txt token (no separate crawler): Apple Intelligence training",
    ),
    Crawler("meta-externalagent", "Meta", "training", True, "collects content to train Meta AI models"),
)


# --------------------------------------------------------------------------- rules


def _basis(robots_txt: str | None, status: int | None) -> str:
    """How the robots.txt outcome is read: ``parsed``, ``not-found`` or ``server-error``."""
    if status is None:
        return "not-found" if robots_txt is None else "parsed"
    if 200 <= status < 300:
        return "parsed"
    if status == 429 or 500 <= status < 600:
        return "server-error"
    return "not-found"  # 3xx left unfollowed, 4xx: crawl without restrictions


def _parse(robots_txt: str | None) -> Protego:
    text = (robots_txt or "").lstrip("\ufeff")
    return Protego.parse(text)


def crawler_access(robots_txt: str | None, url: str, status: int | None = None) -> dict[str, Any]:
    """Apply ``robots_txt`` to ``url`` for every crawler in :data:`AI_CRAWLERS`.

    ``status`` is the HTTP status of the robots.txt response: 2xx parses the text; 4xx
    (except 429) or a missing file (``robots_txt=None`` without a status) means everything
    is allowed; 5xx or 429 means everything is disallowed (Google's rule).

    Returns ``{robots_txt_found, status, basis, crawlers: [{agent, owner, purpose, ai,
    allowed}], disallowed_agents, all_ai_blocked, search_blocked, search_blocked_agents}``.
    ``all_ai_blocked`` is true when every AI crawler (all but Googlebot and Bingbot) is
    disallowed; ``search_blocked`` when any crawler whose purpose is search (Googlebot,
    Bingbot, OAI-SearchBot, PerplexityBot, Claude-SearchBot) is disallowed.
    """
    basis = _basis(robots_txt, status)
    rp = _parse(robots_txt) if basis == "parsed" else None
    crawlers = []
    for c in AI_CRAWLERS:
        if basis == "server-error":
            allowed = False
        elif rp is None:
            allowed = True
        else:
            allowed = bool(rp.can_fetch(url, c.agent))
        crawlers.append({"agent": c.agent, "owner": c.owner, "purpose": c.purpose, "ai": c.ai, "allowed": allowed})
    disallowed = [c["agent"] for c in crawlers if not c["allowed"]]
    search_blocked = [c["agent"] for c in crawlers if c["purpose"] == "search" and not c["allowed"]]
    return {
        "robots_txt_found": basis == "parsed",
        "status": status,
        "basis": basis,
        "crawlers": crawlers,
        "disallowed_agents": disallowed,
        "all_ai_blocked": all(not c["allowed"] for c in crawlers if c["ai"]),
        "search_blocked": bool(search_blocked),
        "search_blocked_agents": search_blocked,
    }


# --------------------------------------------------------------------------- cache

Fetcher = Callable[[str], tuple[int, str | None]]


class RobotsCache:
    """Per-origin cache of ``(status, text)`` with a TTL.

    In memory by default (bounded, least recently stored evicted first).  With ``redis``
    (a ``redis.Redis`` client) entries live in Redis under ``healthgeo:robots:<origin>``
    (``healthgeo:<kind>:<origin>`` for other kinds, e.g. ``llms``) as JSON
    ``[status, text]`` with the TTL as expiry; any Redis failure falls back to memory.
    Fetcher errors propagate and are not cached.
    """

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        redis: Any = None,
        *,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
        prefix: str = "healthgeo",
    ):
        self.ttl = ttl
        self.redis = redis
        self.max_entries = max_entries
        self.clock = clock
        self.prefix = prefix
        self._mem: OrderedDict[str, tuple[float, int, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, origin: str, kind: str = "robots") -> str:
        return f"{self.prefix}:{kind}:{origin}"

    def get(self, origin: str, fetcher: Fetcher, kind: str = "robots") -> tuple[int, str | None]:
        key = self.key(origin, kind)
        hit = self._lookup(key)
        if hit is not None:
            return hit
        status, text = fetcher(origin)
        self._store(key, int(status), text)
        return int(status), text

    def clear(self) -> None:
        with self._lock:
            self._mem.clear()

    # -- internals

    def _lookup(self, key: str) -> tuple[int, str | None] | None:
        if self.redis is not None:
            try:
                raw = self.redis.get(key)
            except Exception as e:  # noqa: BLE001 - any Redis trouble: use memory
                log.warning("robots cache: Redis get failed (%s); using memory", e)
            else:
                if raw is None:
                    return None
                try:
                    if isinstance(raw, bytes):
                        raw = raw.decode("utf-8")
                    status, text = json.loads(raw)
                    return int(status), text
                except (ValueError, TypeError):
                    return None  # unreadable entry: refetch and overwrite
        with self._lock:
            entry = self._mem.get(key)
            if entry is None:
                return None
            expires, status, text = entry
            if self.clock() >= expires:
                del self._mem[key]
                return None
            return status, text

    def _store(self, key: str, status: int, text: str | None) -> None:
        if self.redis is not None:
            try:
                self.redis.set(key, json.dumps([status, text]), ex=max(1, int(self.ttl)))
                return
            except Exception as e:  # noqa: BLE001
                log.warning("robots cache: Redis set failed (%s); using memory", e)
        with self._lock:
            self._mem[key] = (self.clock() + self.ttl, status, text)
            self._mem.move_to_end(key)
            while len(self._mem) > self.max_entries:
                self._mem.popitem(last=False)


# --------------------------------------------------------------------------- site access


def _fetch_robots(policy: FetchPolicy) -> Fetcher:
    def fetcher(origin: str) -> tuple[int, str | None]:
        r = fetch_text(f"{origin}/robots.txt", policy, max_bytes=ROBOTS_MAX_BYTES, raise_for_status=False)
        return r.status, (r.text() if r.ok else None)

    return fetcher


def _fetch_llms(policy: FetchPolicy) -> Fetcher:
    def fetcher(origin: str) -> tuple[int, str | None]:
        r = fetch_text(
            f"{origin}/llms.txt",
            policy,
            accept="text/markdown,text/plain;q=0.9,*/*;q=0.1",
            max_bytes=LLMS_MAX_BYTES,
            raise_for_status=False,
        )
        ct = r.content_type
        textish = (
            r.ok
            and (ct is None or ct.startswith("text/"))
            and ct != "text/html"
            and b"\0" not in r.body[:1024]
            and not sniffs_as_html(r.body)
            and bool(r.body.strip())
        )
        return r.status, (r.text() if textish else None)

    return fetcher


_SAME_FOR_WHOLE_ORIGIN = frozenset({"bad-url", "bad-scheme", "blocked-address", "dns-error"})


class _NoCache:
    def get(self, origin: str, fetcher: Fetcher, kind: str = "robots") -> tuple[int, str | None]:
        return fetcher(origin)


def site_access(url: str, policy: FetchPolicy, cache: RobotsCache | None = None) -> dict[str, Any]:
    """Crawler access for ``url``: robots.txt rules, llms.txt presence, sitemaps, crawl delay.

    Returns ``{url, origin, robots_url, robots (crawler_access(...) or None if robots.txt
    could not be fetched), llms_txt (bool), sitemaps, crawl_delay (for HealthgeoBot, else
    ``*``), error (None or {code, message, url}), llms_txt_error}``.  Never raises for
    network or policy errors.  ``cache=None`` fetches afresh every time.
    """
    out: dict[str, Any] = {
        "url": url,
        "origin": None,
        "robots_url": None,
        "robots": None,
        "llms_txt": False,
        "sitemaps": [],
        "crawl_delay": None,
        "error": None,
        "llms_txt_error": None,
    }
    try:
        origin = origin_of(url)
    except FetchError as e:
        out["error"] = e.to_dict()
        return out
    store = cache if cache is not None else _NoCache()
    out["origin"] = origin
    out["robots_url"] = f"{origin}/robots.txt"

    try:
        status, text = store.get(origin, _fetch_robots(policy), "robots")
    except FetchError as e:
        out["error"] = e.to_dict()
    else:
        out["robots"] = crawler_access(text, url, status=status)
        if out["robots"]["basis"] == "parsed":
            rp = _parse(text)
            out["sitemaps"] = list(dict.fromkeys(rp.sitemaps))
            out["crawl_delay"] = rp.crawl_delay(OUR_AGENT)

    if out["error"] and out["error"]["code"] in _SAME_FOR_WHOLE_ORIGIN:
        out["llms_txt_error"] = out["error"]  # same origin, same verdict: don't ask again
        return out
    try:
        status, text = store.get(origin, _fetch_llms(policy), "llms")
    except FetchError as e:
        out["llms_txt_error"] = e.to_dict()
    else:
        out["llms_txt"] = 200 <= status < 300 and text is not None
    return out


# --------------------------------------------------------------------------- our own crawler


@dataclass(frozen=True)
class OurRules:
    """What robots.txt says to HealthgeoBot for one origin (batches obey it before every request)."""

    origin: str
    basis: str  # parsed | not-found | server-error | unreachable
    crawl_delay: float | None
    sitemaps: tuple[str, ...]
    parser: Protego | None
    refused_by: str | None = None  # the fetcher's code when it refuses the whole origin (blocked-address...)

    def allows(self, url: str) -> bool:
        if self.basis in ("server-error", "unreachable"):
            return False  # Google's rule for 5xx/429, and ours when robots.txt cannot be read at all
        return self.parser is None or bool(self.parser.can_fetch(url, OUR_AGENT))


def our_rules(origin: str, policy: FetchPolicy, cache: RobotsCache | None = None) -> OurRules:
    """robots.txt rules for :data:`OUR_AGENT` at ``origin`` (``scheme://host[:port]``), through the cache.

    A robots.txt that cannot be fetched (timeout, refused, blocked address) disallows everything,
    as a 5xx does: better no audit than a crawl the site did not agree to.
    """
    store = cache if cache is not None else _NoCache()
    try:
        status, text = store.get(origin, _fetch_robots(policy), "robots")
    except FetchError as e:
        refused = e.code if e.code in _SAME_FOR_WHOLE_ORIGIN else None
        return OurRules(origin, "unreachable", None, (), None, refused)
    basis = _basis(text, status)
    if basis != "parsed":
        return OurRules(origin, basis, None, (), None)
    rp = _parse(text)
    return OurRules(origin, basis, rp.crawl_delay(OUR_AGENT), tuple(dict.fromkeys(rp.sitemaps)), rp)
