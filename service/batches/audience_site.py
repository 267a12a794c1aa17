"""The audience split and the compliance findings of a batch, per section (first path segment).

Agencies audit a client's professional space and public space separately: each section says how many of its
pages speak to professionals, to the public, to both or to no one in particular (``facts.audience``, kept in
the page record), and how its pages fare on the compliance checks (the ``compliance`` category, and the ban on
promoting prescription medicines to the public). Fed one record at a time by ``build_summary``'s single pass.
"""

from __future__ import annotations

from typing import Any

import scoring

__all__ = ["AUDIENCES", "AudienceSite", "compliance_check_ids"]

AUDIENCES = ("professionals", "public", "both", "unknown")
_ALSO_LEGAL = ("trust.prescription-promotion",)  # CSP L.5122-6, read beside the compliance category


def compliance_check_ids() -> tuple[str, ...]:
    return tuple(c["id"] for c in scoring.catalogue() if c["category"] == "compliance") + _ALSO_LEGAL


class AudienceSite:
    """Counts per section while the summary reads the records; ``summary()`` gives the JSON."""

    def __init__(self) -> None:
        self.checks = compliance_check_ids()
        self.total = dict.fromkeys(AUDIENCES, 0)
        self.sections: dict[str, dict[str, Any]] = {}

    def add(self, record: dict[str, Any]) -> None:
        """One audited page record (state done)."""
        audience = record.get("audience") if record.get("audience") in AUDIENCES else "unknown"
        section = self.sections.setdefault(record.get("section") or "/", {
            "pages": 0, "audience": dict.fromkeys(AUDIENCES, 0),
            "checks": {cid: {"failed": 0, "warned": 0, "applicable": 0, "pages": []} for cid in self.checks}})
        section["pages"] += 1
        section["audience"][audience] += 1
        self.total[audience] += 1
        failed, warned = set(record.get("failed_checks") or ()), set(record.get("warned_checks") or ())
        not_applicable = set(record.get("na_checks") or ())
        ran = "audience" in record  # a record of older rules never ran these checks: passed means nothing there
        for cid, entry in section["checks"].items():
            if cid in not_applicable or not (ran or cid in failed or cid in warned):
                continue
            entry["applicable"] += 1
            if cid in failed or cid in warned:
                entry["failed" if cid in failed else "warned"] += 1
                if len(entry["pages"]) < 5:
                    entry["pages"].append(record["url"])

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.sections.items(), key=lambda kv: (-kv[1]["pages"], kv[0]))
        return {
            "audience": dict(self.total),
            "sections": [
                {"section": name, "pages": s["pages"], "audience": s["audience"],
                 "main_audience": max(AUDIENCES, key=lambda a: (s["audience"][a], -AUDIENCES.index(a))),
                 "compliance": [{"id": cid, **entry} for cid, entry in s["checks"].items() if entry["applicable"]]}
                for name, s in ordered
            ],
        }
