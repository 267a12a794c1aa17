"""How well the engine's facts hold on pages nobody on the project wrote: authors, publication dates and
schema.org types on the public suites of ../shared/benchmarks, against each suite's gold, next to peers
(trafilatura for authors and dates, htmldate's extensive search for dates, extruct for types) on the same
pages, normalised the same way (bench/suites.py). One process, no cache.

    python bench/extraction_accuracy.py [--suite fundus] [--field authors] [--pages N] [--no-peers]
                                        [--json out.json] [--update-floor] [--failures authors]

Tables are Markdown. Figures are given raw and with the pages of bench/gold_notes.json (gold that is plainly
wrong) left out; per-language rows and the floor (bench/accuracy_floor.json) use the latter.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import suites  # noqa: E402 - after the path set-up, when run as a script
from bench.suites import GoldPage  # noqa: E402

FLOOR = Path(__file__).resolve().parent / "accuracy_floor.json"
TOOL_FIELDS = {"ours": ("authors", "date", "types"), "trafilatura": ("authors", "date"), "htmldate": ("date",),
               "extruct": ("types",)}
# the figures of each field, all "higher is better" (a share of pages in [0, 1], or a micro-average for types),
# but for NOT_SCORED: shown for information (pages where the gold is silent), kept out of the floor
NOT_SCORED = ("given_unknown",)
METRICS = {"authors": ("exact", "any", "none_when_none"),
           "date": ("same_day", "within_1", "none_when_none", "given_unknown"),
           "types": ("exact", "recall", "precision")}


# ---------------------------------------------------------------- tools: each returns {field: answer}

def run_ours(page: GoldPage, html: bytes) -> dict[str, Any]:
    from scoring import audit_html

    facts = audit_html(html, url=page.url, include=("facts",))["facts"]
    return {"authors": [person["name"] for person in facts["authors"]],
            "date": facts["date_published"],
            "types": suites.engine_types(facts["structured_data"]["types"]),
            # where each answer came from, for the failure listing
            "detail": {"authors": ", ".join(f"{p['name']} [{'+'.join(p['sources'])}]" for p in facts["authors"]),
                       "date": facts["date_published"] and
                       f"{facts['date_published']} [{facts['dates']['sources'].get('date_published')}]"}}


def run_trafilatura(page: GoldPage, html: bytes) -> dict[str, Any]:
    import trafilatura

    meta = trafilatura.extract_metadata(html.decode("utf-8", errors="replace"), default_url=page.url)
    if meta is None:
        return {"authors": [], "date": None}
    return {"authors": [meta.author] if meta.author else [], "date": meta.date}


def run_htmldate(page: GoldPage, html: bytes) -> dict[str, Any]:
    from htmldate import find_date

    return {"date": find_date(html.decode("utf-8", errors="replace"), url=page.url, extensive_search=True,
                              original_date=True)}


def run_extruct(page: GoldPage, html: bytes) -> dict[str, Any]:
    import extruct

    data = extruct.extract(html.decode("utf-8", errors="replace"), base_url=page.url,
                           syntaxes=["json-ld", "microdata", "rdfa"], errors="ignore")
    return {"types": suites.schema_types(data)}


RUNNERS: dict[str, Callable[[GoldPage, bytes], dict[str, Any]]] = {
    "ours": run_ours, "trafilatura": run_trafilatura, "htmldate": run_htmldate, "extruct": run_extruct}


def requested_tools(peers: bool) -> list[str]:
    return list(TOOL_FIELDS) if peers else ["ours"]


def available_tools(tools: list[str]) -> list[str]:
    usable = []
    for tool in tools:
        module = {"ours": "scoring"}.get(tool, tool)
        try:
            __import__(module)
        except ImportError:
            continue
        usable.append(tool)
    return usable


# ---------------------------------------------------------------- measuring

def score_page(page: GoldPage, field: str, answer: Any) -> dict[str, Any]:
    if not suites.gold_speaks(page, field):
        given = suites.parse_stamp(answer) is not None if field == "date" else bool(answer)
        return {"unscored_given": given}
    if field == "authors":
        return suites.score_authors(suites.author_keys(page.authors), suites.author_keys(answer))
    if field == "date":
        return suites.score_date(page.date, answer)
    return suites.score_types(page.types or frozenset(), set(answer or ()))


def measure(suite_names: Iterable[str], fields: Iterable[str], tools: Iterable[str],
            pages: int | None = None) -> list[dict[str, Any]]:
    """One row per (suite, page, tool, field): the gold, the answer and its outcome."""
    fields, tools = tuple(fields), tuple(tools)
    rows = []
    for suite in suite_names:
        wanted = [f for f in suites.suite_fields(suite) if f in fields]
        if not wanted:
            continue
        for page in suites.load_suite(suite)[:pages]:
            html = page.html()
            for tool in tools:
                tool_fields = [f for f in wanted if f in TOOL_FIELDS[tool]]
                if not tool_fields:
                    continue
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        answers = RUNNERS[tool](page, html)
                except Exception as exc:  # a peer that crashes on a page has no answer there; ours must not
                    if tool == "ours":
                        raise
                    answers = {"error": f"{type(exc).__name__}: {exc}"}
                for field in tool_fields:
                    answer = answers.get(field)
                    rows.append({"suite": suite, "file": page.file, "lang": page.lang, "tool": tool,
                                 "field": field, "gold": _gold(page, field), "answer": _jsonable(answer),
                                 "excluded": page.excluded.get(field), "outcome": score_page(page, field, answer),
                                 **({"detail": answers["detail"][field]} if answers.get("detail", {}).get(field)
                                    else {}),
                                 **({"error": answers["error"]} if "error" in answers else {})})
    return rows


def _gold(page: GoldPage, field: str) -> Any:
    if field == "authors":
        return list(page.authors or ())
    if field == "date":
        return page.date
    return sorted(page.types or ())


def _jsonable(answer: Any) -> Any:
    return sorted(answer) if isinstance(answer, set | frozenset) else answer


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{metric: {"value": share or None, "n": pages (or types) counted, "hits": ...}} for one group of rows."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        outcome = row["outcome"]
        if row["field"] == "types":
            counts["exact"][0] += outcome["exact"]
            counts["exact"][1] += 1
            counts["recall"][0] += outcome["tp"]
            counts["recall"][1] += outcome["tp"] + outcome["fn"]
            counts["precision"][0] += outcome["tp"]
            counts["precision"][1] += outcome["tp"] + outcome["fp"]
            continue
        if "unscored_given" in outcome:
            counts["given_unknown"][0] += outcome["unscored_given"]
            counts["given_unknown"][1] += 1
        elif "false" in outcome:
            counts["none_when_none"][0] += not outcome["false"]
            counts["none_when_none"][1] += 1
        else:
            for metric, hit in outcome.items():
                counts[metric][0] += hit
                counts[metric][1] += 1
    return {metric: {"value": hits / n if n else None, "hits": hits, "n": n} for metric, (hits, n) in counts.items()}


def figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """{suite: {field: {tool: {"raw": summary, "clean": summary, "excluded": n, "langs": {lang: summary}}}}}."""
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["suite"], row["field"], row["tool"])].append(row)
    out: dict[str, Any] = {}
    for (suite, field, tool), group in grouped.items():
        clean = [row for row in group if not row["excluded"]]
        by_lang: dict[str, list[dict]] = defaultdict(list)
        for row in clean:
            by_lang[row["lang"]].append(row)
        out.setdefault(suite, {}).setdefault(field, {})[tool] = {
            "raw": summarise(group), "clean": summarise(clean), "excluded": len(group) - len(clean),
            "pages": len(group), "langs": {lang: summarise(rs) for lang, rs in by_lang.items()},
            "lang_pages": {lang: len(rs) for lang, rs in by_lang.items()}}
    return out


# ---------------------------------------------------------------- printing

LABELS = {"exact": "exact set", "any": "≥1 right", "same_day": "same day", "within_1": "±1 day",
          "none_when_none": "nothing when gold has none", "given_unknown": "dated where gold is silent (not scored)",
          "recall": "type recall", "precision": "type precision"}


def _cell(summary: dict[str, Any], metric: str) -> str:
    entry = summary.get(metric)
    if not entry or entry["value"] is None:
        return "–"
    return f"{100 * entry['value']:.1f}% ({entry['hits']}/{entry['n']})"


def print_summary(figs: dict[str, Any], requested: list[str], lang: str | None = None, out=sys.stdout) -> None:
    """One Markdown table of every figure, wrong gold left out: over all pages (raw figure in brackets where it
    differs) or over the pages of one language."""
    print("| suite | field | figure | pages | " + " | ".join(requested) + " |", file=out)
    print("|" + "|".join(["---"] * (4 + len(requested))) + "|", file=out)
    for suite, per_field in figs.items():
        for field, per_tool in per_field.items():
            def pick(entry: dict[str, Any]) -> dict[str, Any]:
                return entry["clean"] if lang is None else entry["langs"].get(lang, {})

            for metric in METRICS[field]:
                counted = pick(per_tool["ours"]).get(metric)
                if not counted or not counted["n"]:
                    continue
                cells = []
                for tool in requested:
                    entry = per_tool.get(tool)
                    if field not in TOOL_FIELDS[tool]:
                        cells.append("")
                    elif entry is None:
                        cells.append("n/a")
                    else:
                        value, raw = pick(entry)[metric]["value"], entry["raw"][metric]["value"]
                        shown = f"{100 * value:.1f}%"
                        cells.append(shown + (f" ({100 * raw:.1f}%)" if lang is None and raw != value else ""))
                print(f"| {suite} | {field} | {LABELS[metric]} | {counted['n']} | " + " | ".join(cells) + " |",
                      file=out)


def print_tables(figs: dict[str, Any], requested: list[str], min_lang: int, out=sys.stdout) -> None:
    """One Markdown table per suite and field: rows are all pages (raw, then without wrong gold) and languages;
    columns each tool's figures ("n/a" for a peer that is not installed)."""
    for suite, per_field in figs.items():
        for field, per_tool in per_field.items():
            present = [tool for tool in requested if field in TOOL_FIELDS[tool]]
            ours = per_tool["ours"]
            metrics = [m for m in METRICS[field] if ours["raw"].get(m, {}).get("n")]  # e.g. no page without gold
            print(f"\n### {suite}: {field} ({ours['pages']} pages; {ours['excluded']} with wrong gold "
                  f"left out of the rows below 'all (raw)', see bench/gold_notes.json)\n", file=out)
            header = ["lang", "pages"] + [f"{tool} {LABELS[m]}" for tool in present for m in metrics]
            print("| " + " | ".join(header) + " |", file=out)
            print("|" + "|".join(["---"] * len(header)) + "|", file=out)
            lang_pages = ours["lang_pages"]
            groups: list[tuple[str, int, Callable[[dict], dict]]] = [
                ("all (raw)", ours["pages"], lambda e: e["raw"]),
                ("all", ours["pages"] - ours["excluded"], lambda e: e["clean"])]
            small = sorted(lang for lang, n in lang_pages.items() if n < min_lang)
            for lang in sorted(lang_pages, key=lambda g: (-lang_pages[g], g)):
                if lang not in small:
                    groups.append((lang, lang_pages[lang], lambda e, g=lang: e["langs"].get(g, {})))
            if small:
                groups.append((f"other ({', '.join(small)})", sum(lang_pages[g] for g in small),
                               lambda e, gs=tuple(small): _merge([e["langs"].get(g, {}) for g in gs])))
            for name, count, pick in groups:
                cells = []
                for tool in present:
                    entry = per_tool.get(tool)
                    cells += [_cell(pick(entry), m) if entry else "n/a" for m in metrics]
                print(f"| {name} | {count} | " + " | ".join(cells) + " |", file=out)


def _merge(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        for metric, entry in summary.items():
            slot = merged.setdefault(metric, {"hits": 0, "n": 0})
            slot["hits"] += entry["hits"]
            slot["n"] += entry["n"]
    for slot in merged.values():
        slot["value"] = slot["hits"] / slot["n"] if slot["n"] else None
    return merged


def print_failures(rows: list[dict[str, Any]], field: str, out=sys.stdout) -> None:
    """Per page where we miss (not the exact answer): the gold, ours and the peers' answers."""
    by_page: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for row in rows:
        if row["field"] == field:
            by_page[(row["suite"], row["file"])][row["tool"]] = row
    print(f"\n### failures: {field}\n", file=out)
    print("| page | lang | gold | ours [where from] | peers (✗: not right either) |", file=out)
    print("|---|---|---|---|---|", file=out)
    for (suite, file), per_tool in by_page.items():
        ours = per_tool.get("ours")
        if ours is None or _is_right(ours):
            continue
        note = f" (gold note: {ours['excluded']})" if ours["excluded"] else ""
        peers = "; ".join(f"{tool}: {_show(row['answer'])}{'' if _is_right(row) else ' ✗'}"
                          for tool, row in per_tool.items() if tool != "ours")
        answer = ours["detail"] if "detail" in ours else _show(ours["answer"])
        print(f"| {suite}/{file} | {ours['lang']} | {_show(ours['gold'])}{note} | {_show(answer)} | "
              f"{peers or 'n/a'} |", file=out)


def _is_right(row: dict[str, Any]) -> bool:
    outcome = row["outcome"]
    if "unscored_given" in outcome:
        return True
    if "false" in outcome:
        return not outcome["false"]
    return bool(outcome.get("exact", outcome.get("same_day")))


def _show(value: Any) -> str:
    if isinstance(value, list):
        value = "; ".join(" ".join(str(v).split()) for v in value) if value else "—"
    text = "—" if value in (None, "") else " ".join(str(value).split())
    return text.replace("|", "\\|")[:160]


# ---------------------------------------------------------------- floor

def floor_values(figs: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The engine's current figures (gold notes excluded), in percent rounded down to 0.1."""
    values: dict[str, dict[str, float]] = {}
    for suite, per_field in figs.items():
        for field, per_tool in per_field.items():
            summary = per_tool.get("ours", {}).get("clean", {})
            for metric in METRICS[field]:
                entry = summary.get(metric)
                if metric not in NOT_SCORED and entry and entry["value"] is not None:
                    values.setdefault(suite, {})[f"{field}.{metric}"] = math.floor(1000 * entry["value"] + 1e-9) / 10
    return values


def read_floor(path: Path = FLOOR) -> dict[str, dict[str, float]]:
    return json.loads(path.read_text(encoding="utf-8"))["floor"] if path.is_file() else {}


def below_floor(figs: dict[str, Any], floor: dict[str, dict[str, float]]) -> list[str]:
    """One message per figure under its recorded floor."""
    current = floor_values(figs)
    problems = []
    for suite, per_metric in floor.items():
        for key, minimum in per_metric.items():
            value = current.get(suite, {}).get(key)
            if value is not None and value < minimum:
                problems.append(f"{suite} {key}: {value:.1f}% is below the recorded floor {minimum:.1f}%")
    return problems


def update_floor(figs: dict[str, Any], path: Path = FLOOR) -> dict[str, dict[str, float]]:
    """Raise (never lower) the recorded figures to today's."""
    floor = read_floor(path)
    for suite, per_metric in floor_values(figs).items():
        for key, value in per_metric.items():
            floor.setdefault(suite, {})[key] = max(value, floor.get(suite, {}).get(key, 0.0))
    path.write_text(json.dumps({"_about": "The engine's accuracy per suite and field (percent, gold notes "
                                           "excluded), rounded down; tests/test_extraction_accuracy.py fails "
                                           "below it. Raise it with bench/extraction_accuracy.py --update-floor.",
                                 "floor": floor}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return floor


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", choices=suites.SUITES, action="append", help="repeatable; default: all")
    parser.add_argument("--field", choices=suites.FIELDS, action="append", help="repeatable; default: all")
    parser.add_argument("--pages", type=int, help="only the first N pages of each suite")
    parser.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True,
                        help="also run trafilatura, htmldate and extruct (default: yes)")
    parser.add_argument("--json", metavar="OUT", help="write every page's gold, answers and outcomes, and the figures")
    parser.add_argument("--failures", choices=suites.FIELDS, help="list the pages where ours is not right")
    parser.add_argument("--summary-lang", action="append", default=["fr"],
                        help="also sum up the pages in this language (repeatable; default: fr)")
    parser.add_argument("--min-lang", type=int, default=3, help="languages with fewer pages go to 'other'")
    parser.add_argument("--update-floor", action="store_true", help="raise bench/accuracy_floor.json to today's")
    args = parser.parse_args(argv)
    if not suites.available():
        print(f"no benchmarks in {suites.BENCHMARKS}", file=sys.stderr)
        return 2
    fields = args.field or ([args.failures] if args.failures else list(suites.FIELDS))
    requested = requested_tools(args.peers)
    tools = available_tools(requested)
    if "trafilatura" in requested and "trafilatura" not in tools:
        print("trafilatura is not installed (pip install -e '.[bench]'): its columns say n/a", file=sys.stderr)
    rows = measure(args.suite or suites.SUITES, fields, tools, args.pages)
    figs = figures(rows)
    print("## Accuracy: all pages, gold notes left out (raw figure in brackets where they differ)\n")
    print_summary(figs, requested)
    for lang in args.summary_lang:
        print(f"\n## Accuracy on the pages in '{lang}', gold notes left out\n")
        print_summary(figs, requested, lang)
    print("\n## Per suite and language")
    print_tables(figs, requested, args.min_lang)
    if args.failures:
        print_failures(rows, args.failures)
    problems = below_floor(figs, read_floor()) if not args.pages else []
    for problem in problems:
        print(f"below floor: {problem}", file=sys.stderr)
    if args.update_floor:
        if args.pages or args.suite or args.field:
            print("--update-floor needs every suite, field and page", file=sys.stderr)
            return 2
        update_floor(figs)
        print(f"\nfloor written to {FLOOR.relative_to(ROOT)}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figs, "pages": rows}, indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
