"""Small SVG charts drawn on the server: a score gauge, horizontal bars, a histogram.

Each chart is an ``<svg role="img">`` with a ``<title>`` (its text alternative, referenced by
``aria-labelledby``); the templates also print the same numbers as text or a table, since a
screen reader announces only the title of an image.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

GREEN, AMBER, RED, TRACK, INK, MUTED = "#1a7f37", "#a15c00", "#c0271b", "#e4e7eb", "#1f2933", "#52606d"


def score_colour(score: float | None) -> str:
    """Green from 80, amber from 50, red below (the grade bands B and E): the same in every chart."""
    if score is None:
        return MUTED
    return GREEN if score >= 80 else AMBER if score >= 50 else RED


def _number(value: float, decimal: str) -> str:
    text = f"{value:.0f}" if float(value).is_integer() or value >= 10 else f"{value:.1f}"
    return text.replace(".", decimal)


def gauge(score: float | None, grade: str, *, label: str, chart_id: str, grade_label: str = "Grade",
          decimal: str = ".") -> Markup:
    """A ring filled in proportion to the score, the score in its centre and the grade below it."""
    radius, stroke = 52, 12
    circumference = 2 * math.pi * radius
    fraction = max(0.0, min(1.0, (score or 0) / 100))
    colour = score_colour(score)
    shown = "–" if score is None else _number(round(score), decimal)
    return Markup(
        f'<svg class="chart gauge" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 140 140" '
        f'width="140" height="140" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(label)}</title>'
        f'<circle cx="70" cy="70" r="{radius}" fill="none" stroke="{TRACK}" stroke-width="{stroke}"/>'
        f'<circle cx="70" cy="70" r="{radius}" fill="none" stroke="{colour}" stroke-width="{stroke}" '
        f'stroke-linecap="round" stroke-dasharray="{circumference * fraction:.2f} {circumference:.2f}" '
        f'transform="rotate(-90 70 70)"/>'
        f'<text x="70" y="74" text-anchor="middle" font-size="34" font-weight="700" fill="{INK}">{shown}</text>'
        f'<text x="70" y="97" text-anchor="middle" font-size="13" fill="{MUTED}">'
        f'{escape(grade_label)} {escape(grade)}</text></svg>')


def bars(rows: Sequence[tuple[str, float | None]], *, label: str, chart_id: str, empty: str = "–",
         decimal: str = ".") -> Markup:
    """One horizontal bar per (label, score out of 100) row; ``None`` draws an empty track marked ``empty``."""
    row_height, label_width, bar_width, value_width = 30, 120, 300, 110
    width = label_width + bar_width + value_width
    height = row_height * len(rows) + 4
    parts = [f'<svg class="chart bars" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" '
             f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="{chart_id}-t">{escape(label)}</title>']
    for i, (name, value) in enumerate(rows):
        y = i * row_height + 4
        filled = 0 if value is None else bar_width * max(0.0, min(1.0, value / 100))
        shown = escape(empty) if value is None else _number(value, decimal)
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="14" fill="{INK}">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="16" rx="3" fill="{TRACK}"/>'
            f'<rect x="{label_width}" y="{y + 4}" width="{filled:.1f}" height="16" rx="3" '
            f'fill="{score_colour(value)}"/>'
            f'<text x="{label_width + bar_width + 10}" y="{y + 17}" font-size="14" font-weight="600" '
            f'fill="{INK}">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def histogram(buckets: Sequence[dict], *, label: str, chart_id: str) -> Markup:
    """Vertical bars for ``[{from, to, count}]`` score buckets, each coloured by its score band."""
    width, height, top, bottom, left = 520, 200, 22, 28, 8
    slot = (width - 2 * left) / max(1, len(buckets))
    peak = max((b["count"] for b in buckets), default=0) or 1
    plot = height - top - bottom
    parts = [f'<svg class="chart histogram" role="img" aria-labelledby="{chart_id}-t" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">{escape(label)}</title>'
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
             f'stroke="{MUTED}" stroke-width="1"/>']
    for i, bucket in enumerate(buckets):
        x = left + i * slot
        bar_height = plot * bucket["count"] / peak
        y = height - bottom - bar_height
        parts.append(
            f'<rect x="{x + 4:.1f}" y="{y:.1f}" width="{slot - 8:.1f}" height="{bar_height:.1f}" rx="2" '
            f'fill="{score_colour(bucket["from"])}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="13" font-weight="600" '
            f'fill="{INK}">{bucket["count"]}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{height - 10}" text-anchor="middle" font-size="12" '
            f'fill="{MUTED}">{bucket["from"]}–{bucket["to"]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend(points: Sequence[tuple[str, float | None]], *, label: str, chart_id: str, decimal: str = ".") -> Markup:
    """A line over ``(label, score out of 100)`` points, oldest first; each point marked with its value."""
    width, height, top, bottom, left, right = 520, 160, 22, 28, 24, 24
    shown = [(name, value) for name, value in points if value is not None]
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(shown) - 1)
    coords = [(left + (i * step if len(shown) > 1 else plot_w / 2), top + plot_h * (1 - max(0.0, min(100.0, v)) / 100))
              for i, (_, v) in enumerate(shown)]
    parts = [f'<svg class="chart trend" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" '
             f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="{chart_id}-t">{escape(label)}</title>'
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{TRACK}"/>']
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{MUTED}" stroke-width="2"/>')
    for (name, value), (x, y) in zip(shown, coords, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{score_colour(value)}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="12" font-weight="600" '
            f'fill="{INK}">{_number(value, decimal)}</text>'
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" font-size="11" fill="{MUTED}">'
            f'{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
