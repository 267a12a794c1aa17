"""The site picture of the opt-in access measurements: pages invisible without JavaScript, bots turned away.

Fed one page record at a time by :func:`service.batches.summary.build_summary` (records are streamed once).
"""

from __future__ import annotations

from typing import Any

EXAMPLES = 10  # pages listed per finding


class AccessTally:
    def __init__(self) -> None:
        self.rendered = 0
        self.invisible: list[str] = []  # the article's text exists only after rendering
        self.invisible_count = 0
        self.js_only: dict[str, int] = {}  # fact -> pages where it exists only after rendering
        self.shells = 0  # not rendered, but the raw HTML looks like an application shell (warned)
        self.probed = 0
        self.refused: dict[str, dict[str, Any]] = {}  # agent -> {pages, blocked, challenged, examples}

    def add(self, record: dict[str, Any]) -> None:
        js_only = record.get("js_only")
        if js_only is not None:
            self.rendered += 1
            for fact in js_only:
                self.js_only[fact] = self.js_only.get(fact, 0) + 1
            if "text" in js_only:
                self.invisible_count += 1
                if len(self.invisible) < EXAMPLES:
                    self.invisible.append(record["url"])
        elif "access.server-rendered" in (record.get("warned_checks") or ()):
            self.shells += 1
        refused = record.get("bots_refused")
        if refused is None:
            return
        self.probed += 1
        for agent, verdict in refused.items():
            entry = self.refused.setdefault(agent, {"agent": agent, "pages": 0, "blocked": 0, "challenged": 0,
                                                    "examples": []})
            entry["pages"] += 1
            entry[verdict] = entry.get(verdict, 0) + 1
            if len(entry["examples"]) < EXAMPLES:
                entry["examples"].append(record["url"])

    def summary(self) -> dict[str, Any]:
        return {
            "javascript": {"rendered_pages": self.rendered, "invisible_pages": self.invisible_count,
                           "invisible_examples": self.invisible, "js_only_facts": dict(sorted(self.js_only.items())),
                           "shell_pages": self.shells},
            "ai_bots": {"probed_pages": self.probed,
                        "refused": sorted(self.refused.values(), key=lambda e: (-e["pages"], e["agent"]))},
        }


def site_access_lines(site: dict[str, Any], lang: str) -> list[str]:
    """The findings above as sentences in ``lang`` (site report, crawl summary); none when nothing was measured."""
    from ..reports.env import ui_text

    lines: list[str] = []
    js = site.get("javascript") or {}
    if js.get("rendered_pages"):
        lines.append(ui_text("site_js_invisible", lang, invisible=js["invisible_pages"], rendered=js["rendered_pages"],
                             examples=", ".join(js.get("invisible_examples") or []) or "–"))
    if js.get("shell_pages"):
        lines.append(ui_text("site_js_shells", lang, shells=js["shell_pages"]))
    bots = site.get("ai_bots") or {}
    if bots.get("probed_pages"):
        for entry in bots.get("refused") or []:
            lines.append(ui_text("site_bot_refused", lang, agent=entry["agent"], pages=entry["pages"],
                                 probed=bots["probed_pages"], blocked=entry.get("blocked", 0),
                                 challenged=entry.get("challenged", 0), examples=", ".join(entry["examples"])))
        if not bots.get("refused"):
            lines.append(ui_text("site_bots_served", lang, probed=bots["probed_pages"]))
    return lines
