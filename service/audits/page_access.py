"""The opt-in access measurements of a URL audit: rendering (raw vs rendered) and AI crawlers at the door.

One hook for the API, the command line and batches: :func:`extra_access` returns what goes into the report's
``facts.access`` beside robots.txt and llms.txt (``rendering``, ``bots``), read by the checks
``access.server-rendered`` and ``access.bot-responses``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.facts.rendering import compare_html

from ..net.bot_probe import PROBE_SECONDS, probe_bots
from ..net.policy import FetchPolicy
from ..net.render import RenderError, RenderLimits, chromium_path, render_page, render_unavailable

__all__ = ["AccessOptions", "extra_access", "render_unavailable"]


@dataclass(frozen=True)
class AccessOptions:
    render: bool = False  # render in headless Chromium and compare with the raw HTML
    probe_bots: bool = False  # fetch as each AI crawler and as a browser
    chromium: str | None = None  # the browser (default: HEALTHGEO_CHROMIUM, else /usr/bin/chromium)

    @property
    def any(self) -> bool:
        return self.render or self.probe_bots

    def unavailable(self) -> str | None:
        """Why the asked-for rendering cannot run here, else None."""
        return render_unavailable(self.chromium or chromium_path()) if self.render else None


def extra_seconds(options: dict[str, Any]) -> float:
    """The most a page's opt-in measurements may add to its audit (a batch job's timeout grows by it)."""
    return (RenderLimits.from_env().total_seconds if options.get("render") else 0) + \
        (PROBE_SECONDS if options.get("probe_bots") else 0)


def extra_access(url: str, raw: bytes, policy: FetchPolicy, options: AccessOptions, *, charset: str | None = None,
                 content_type: str | None = None) -> dict[str, Any]:
    """``rendering`` and/or ``bots`` for the page at ``url`` whose fetched HTML is ``raw``. A render that fails
    is reported (``compared: false`` with its error), never raised: the raw audit stands on its own."""
    out: dict[str, Any] = {}
    if options.render:
        try:
            if content_type and charset:
                content_type = f"{content_type}; charset={charset}"
            result = render_page(url, raw, policy, content_type=content_type, chromium=options.chromium,
                                 limits=RenderLimits.from_env())
        except RenderError as e:
            out["rendering"] = {"compared": False, "error": e.code, "message": e.message}
        else:
            out["rendering"] = {**compare_html(raw, result.html, url, charset=charset), "render": result.info()}
    if options.probe_bots:
        out["bots"] = probe_bots(url, policy)
    return out


def access_record(access: dict[str, Any] | None) -> dict[str, Any]:
    """The compact fields a batch page record keeps of these measurements (the site summary reads them):
    ``js_only``, the facts only the rendered page holds; ``bots_refused``, each crawler turned away and how."""
    out: dict[str, Any] = {}
    rendering = (access or {}).get("rendering")
    if rendering and rendering.get("compared"):
        out["js_only"] = list(rendering["missing"])
    probe = (access or {}).get("bots")
    if probe and probe.get("comparable"):
        out["bots_refused"] = {b["agent"]: b["verdict"] for b in probe["bots"]
                               if b.get("verdict") in ("blocked", "challenged")}
    return out
