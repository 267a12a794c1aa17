"""Is this health content? Markup types first, then the density of health vocabulary in the article."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

_TOKEN = re.compile(r"[^\W\d_]+", re.U)


@cache
def terms() -> dict:
    return json.loads(resources.files("scoring").joinpath("data/health_terms.json").read_text("utf-8"))


@cache
def _stem_pattern(lang: str) -> re.Pattern[str]:
    stems = terms()["health_stems"].get(lang) or terms()["health_stems"]["en"]
    words = sorted({s for s in stems if " " not in s}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")", re.I)


def health_signal(text: str, lang: str | None, types: list[str]) -> dict:
    """{is_health, reason, density}: density is the share of words that start with a health stem."""
    data = terms()
    typeset = set(types)
    medical = sorted(typeset.intersection(data["health_types"]))
    sample = text[:60000]
    total = len(_TOKEN.findall(sample)) or 1
    hits = len(_stem_pattern(lang or "en").findall(sample))
    density = round(hits / total, 4)
    if medical:
        return {"is_health": True, "reason": f"medical markup: {', '.join(medical)}", "density": density}
    blocking = sorted(typeset.intersection(data["non_health_types"]))
    if blocking:
        return {"is_health": False, "reason": f"page type: {', '.join(blocking)}", "density": density}
    is_health = density >= 0.015 and total >= 25
    reason = f"health vocabulary density {density:.1%}" + (" (threshold 1.5%)" if not is_health else "")
    return {"is_health": is_health, "reason": reason, "density": density}
