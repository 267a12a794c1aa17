"""Render a page in headless Chromium, every request it makes going through the safe fetcher.

Googlebot renders pages; the crawlers behind ChatGPT, Claude and Perplexity do not. To say what exists only
after JavaScript runs, the page is rendered here and its DOM compared with the raw HTML
(:func:`scoring.facts.rendering.compare_html`). The browser is a door into the network the server runs in, so:

* every request the page makes is intercepted (``context.route("**/*")``) and fetched by
  :func:`service.net.fetch.fetch` under the audit's :class:`~service.net.policy.FetchPolicy` (schemes, blocked private
  addresses and the allow-list, size caps, time limits), then fulfilled, or aborted; the document itself is the
  raw HTML already fetched, so both sides compare the same bytes;
* the browser has no network of its own: its resolver answers nothing (``--host-resolver-rules``) and its
  proxy is a closed port for every address, loopback included, so a request that escaped interception would
  fail; WebSockets are closed, service workers blocked, WebRTC removed, only GET and HEAD leave;
* the whole render has a time budget, a request budget and a byte budget; past one, requests are aborted and
  the DOM as it stands is read.

Playwright drives the system Chromium (``HEALTHGEO_CHROMIUM``, default ``/usr/bin/chromium``); without it, or
without the playwright package, rendering is unavailable and callers answer ``render-unavailable``.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from .errors import FetchError
from .fetch import fetch
from .policy import FetchPolicy

__all__ = ["RenderError", "RenderLimits", "RenderResult", "chromium_path", "render_page", "render_unavailable"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    # no network of the browser's own: nothing resolves, and every connection goes to a closed proxy port
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
    "--disable-domain-reliability", "--disable-features=InterestFeedContentSuggestions,Translate,MediaRouter",
)
# Removed before any page script runs: peer connections would reach STUN/TURN servers without a request to route.
_INIT_SCRIPT = "for (const n of ['RTCPeerConnection','webkitRTCPeerConnection','RTCDataChannel']) { try { delete " \
               "window[n]; window[n] = undefined; } catch (e) {} }"
_DROP_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive",
                           "set-cookie", "alt-svc", "strict-transport-security", "upgrade"})
ALLOWED_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class RenderLimits:
    """Budgets of one render. Defaults: a page and its scripts, styles and data, not its images and videos."""

    total_seconds: float = 20.0  # launch to DOM; the page audit has its own budget
    max_requests: int = 150  # subresources fetched (a news page makes 100 to 300, mostly images and ads)
    max_bytes: int = 15 * 1024 * 1024  # all subresources together, decoded
    max_dom_chars: int = 5 * 1024 * 1024  # the DOM read back, as the API's body cap
    idle_seconds: float = 3.0  # after "load", how long to wait for the network to go quiet (data fetched by script)
    skip_types: tuple[str, ...] = ("image", "media", "font")  # nothing in them is text a crawler reads

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RenderLimits:
        env = os.environ if env is None else env
        kw: dict[str, Any] = {}
        for var, name, conv in (("HEALTHGEO_RENDER_TIMEOUT", "total_seconds", float),
                                ("HEALTHGEO_RENDER_MAX_REQUESTS", "max_requests", int),
                                ("HEALTHGEO_RENDER_MAX_BYTES", "max_bytes", int)):
            if env.get(var, "").strip():
                kw[name] = conv(env[var])
        return cls(**kw)


class RenderError(Exception):
    """The page could not be rendered (``code``: ``unavailable``, ``browser-error``, ``timeout``)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class RenderResult:
    html: str
    requests: int = 0  # subresources fetched through the safe fetcher
    bytes: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)  # {url, code}: blocked, failed or over budget
    skipped: int = 0  # images, media and fonts not fetched
    truncated: bool = False  # a budget ran out before the page was quiet
    elapsed_ms: int = 0

    def info(self) -> dict[str, Any]:
        """What the report says about the render (refusals capped: a page may try hundreds)."""
        return {"requests": self.requests, "bytes": self.bytes, "refused": self.refused[:20],
                "refused_count": len(self.refused), "skipped": self.skipped, "truncated": self.truncated,
                "elapsed_ms": self.elapsed_ms}


def chromium_path(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get("HEALTHGEO_CHROMIUM", "").strip() or DEFAULT_CHROMIUM


def render_unavailable(path: str | None = None) -> str | None:
    """Why rendering cannot run here (no browser at ``path``, no playwright), or None when it can."""
    path = path or chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)) and shutil.which(path) is None:
        return f"no Chromium at {path}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install 'healthgeo[render]')"
    return None


class _Router:
    """The route handler: the document from the raw HTML, everything else through the safe fetcher."""

    def __init__(self, url: str, raw: bytes, content_type: str | None, policy: FetchPolicy, limits: RenderLimits,
                 deadline: float):
        self.document = urldefrag(url)[0]
        self.raw = raw
        self.content_type = content_type or "text/html"
        self.policy = policy
        self.limits = limits
        self.deadline = deadline
        self.result = RenderResult(html="")
        self.served_document = False

    def _refuse(self, route: Any, url: str, code: str, error: str = "blockedbyclient") -> None:
        self.result.refused.append({"url": url[:500], "code": code})
        route.abort(error)

    def __call__(self, route: Any, request: Any) -> None:
        url = request.url
        if not self.served_document and request.is_navigation_request() and urldefrag(url)[0] == self.document:
            self.served_document = True
            route.fulfill(status=200, body=self.raw, headers={"content-type": self.content_type})
            return
        if request.resource_type in self.limits.skip_types:
            self.result.skipped += 1
            route.abort("blockedbyclient")
            return
        if urlsplit(url).scheme not in ("http", "https"):
            return self._refuse(route, url, "bad-scheme")
        if request.method not in ALLOWED_METHODS:
            return self._refuse(route, url, "method")
        left = self.deadline - time.monotonic()
        if left <= 0.2 or self.result.requests >= self.limits.max_requests \
                or self.result.bytes >= self.limits.max_bytes:
            self.result.truncated = True
            return self._refuse(route, url, "budget")
        policy = dataclasses.replace(self.policy, total_timeout=min(self.policy.total_timeout, left),
                                     read_timeout=min(self.policy.read_timeout, left),
                                     connect_timeout=min(self.policy.connect_timeout, left))
        room = self.limits.max_bytes - self.result.bytes
        self.result.requests += 1
        try:
            answer = fetch(url, policy, accept=request.headers.get("accept") or "*/*", html_only=False,
                           raise_for_status=False, max_bytes=min(policy.max_bytes, room),
                           max_decompressed=min(policy.max_decompressed, room))
        except FetchError as e:
            return self._refuse(route, url, e.code, "blockedbyclient" if e.code == "blocked-address" else "failed")
        self.result.bytes += len(answer.body)
        headers = {k: v for k, v in answer.headers.items() if k not in _DROP_HEADERS}
        route.fulfill(status=answer.status, headers=headers, body=answer.body)


def render_page(url: str, raw: bytes, policy: FetchPolicy, *, content_type: str | None = None,
                chromium: str | None = None, limits: RenderLimits | None = None) -> RenderResult:
    """The DOM of ``url`` (whose fetched HTML is ``raw``) after its scripts ran, serialised as HTML."""
    chromium = chromium or chromium_path()
    reason = render_unavailable(chromium)
    if reason:
        raise RenderError("unavailable", reason)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    limits = limits or RenderLimits()
    started = time.monotonic()
    deadline = started + limits.total_seconds
    router = _Router(url, raw, content_type, policy, limits, deadline)

    def ms_left() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=list(LAUNCH_ARGS), timeout=ms_left())
            try:
                context = browser.new_context(service_workers="block", user_agent=policy.user_agent,
                                              accept_downloads=False)
                context.add_init_script(_INIT_SCRIPT)
                context.route_web_socket("**/*", lambda ws: ws.close())  # never connected to a server
                context.route("**/*", router)
                page = context.new_page()
                page.on("popup", lambda popup: popup.close())
                try:
                    page.goto(url, wait_until="load", timeout=ms_left())
                    page.wait_for_load_state("networkidle", timeout=min(ms_left(), limits.idle_seconds * 1000))
                except PlaywrightTimeout:
                    router.result.truncated = True  # read the DOM as it stands
                html = page.content()
            finally:
                browser.close()
    except PlaywrightError as e:
        raise RenderError("browser-error", str(e).splitlines()[0][:300]) from None
    result = router.result
    result.html = html[:limits.max_dom_chars]
    result.truncated = result.truncated or len(html) > limits.max_dom_chars
    result.elapsed_ms = round((time.monotonic() - started) * 1000)
    return result
