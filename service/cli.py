"""The `healthgeo` command: audit pages, print fixes, manage API keys, run workers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from .inputs import InputError, LoadedInput, fetch_url, read_file, read_stdin

STATUS_MARK = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "not_applicable": " n/a"}
COLOURS = {"pass": "32", "warn": "33", "fail": "31", "not_applicable": "90"}


def _load(item: str, policy) -> LoadedInput:
    if item == "-":
        return read_stdin()
    if item.startswith(("http://", "https://")):
        return fetch_url(item, policy)
    if "://" in item:
        raise InputError(f"{item}: only http and https URLs can be audited")
    return read_file(item)


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text


def format_text(report: dict, name: str, colour: bool, lang: str = "en") -> str:
    from .reports.env import ui_strings

    t = ui_strings(lang)
    lines = [f"{name}", "  " + t["text_score_line"].format(score=f"{report['score']:.0f}", grade=report["grade"])]
    for category, data in report["categories"].items():
        if data["score"] is None:
            continue
        label = t["categories"].get(category, category)
        counts = t["text_counts"].format(passed=data["passed"], warned=data["warned"], failed=data["failed"])
        lines.append(f"  {label:<11} {data['score']:5.0f}  {counts}")
    problems = [c for c in report.get("checks", []) if c["status"] in ("fail", "warn")]
    problems.sort(key=lambda c: (c["status"] != "fail", -c["weight"]))
    if problems:
        lines.append("")
    for item in problems:
        mark = _paint(STATUS_MARK[item["status"]], item["status"], colour)
        lines.append(f"  {mark} {item['id']}: {item['message']}")
        lines.append(f"       {t['text_fix']} {item['how_to_fix']}")
    return "\n".join(lines)


def _render(report: dict, args: argparse.Namespace, item: str, colour: bool) -> str:
    from scoring.i18n import localize_report

    if args.format == "html":
        from .reports import render_page_report

        return render_page_report(report, lang=args.lang)
    report = localize_report(report, args.lang) if args.lang != "en" else report
    if args.format == "json":
        return json.dumps(report, ensure_ascii=False, indent=2)
    if args.format == "jsonl":
        return json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    return format_text(report, item, colour, args.lang)


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring import audit_html

    from .fetch import FetchPolicy

    if args.format == "html" and len(args.inputs) > 1:
        print("healthgeo: --format html writes one report: give one INPUT", file=sys.stderr)
        return 2
    policy = FetchPolicy.from_env()
    out = sys.stdout
    if args.output and args.output != "-":
        try:
            out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            print(f"healthgeo: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 2
    colour = args.format == "text" and out is sys.stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if args.max_drop is not None and not args.compare:
        print("healthgeo: --max-drop needs --compare FILE (the earlier audit to compare with)", file=sys.stderr)
        return 2
    status = 0
    saved = None
    if args.compare:
        from .cli_compare import SavedOutputError, attach_changes, drop_exceeded, load_saved, page_changes_text

        try:
            saved = load_saved(args.compare)
        except SavedOutputError as exc:
            print(f"healthgeo: --compare {exc}", file=sys.stderr)
            return 2
    try:
        for item in args.inputs:
            try:
                loaded = _load(item, policy)
                report = audit_html(loaded.html, loaded.url or args.url, charset=loaded.charset,
                                    fetch=loaded.fetch, access=loaded.access)
            except InputError as exc:
                print(f"healthgeo: {exc}", file=sys.stderr)
                status = 2
                continue
            except Exception as exc:  # an engine bug on one page must not lose the other inputs
                print(f"healthgeo: {item}: audit failed ({type(exc).__name__}: {exc})", file=sys.stderr)
                status = 2
                continue
            report["input"] = item
            comparison = attach_changes(report, saved, args.lang) if saved is not None else None
            print(_render(report, args, item, colour), file=out)
            if comparison is not None and args.format == "text":
                print(page_changes_text(report, args.lang), file=out)
            out.flush()
            if args.fail_under is not None and report["score"] < args.fail_under and status == 0:
                status = 1
            if saved is not None and drop_exceeded(comparison, args.max_drop, args.lang) and status == 0:
                status = 1
    finally:
        if out is not sys.stdout:
            out.close()
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="healthgeo", description="Audit health pages for AI search readiness.")
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser("audit", help="audit pages (files, http(s) URLs, or - for stdin)")
    audit.add_argument("inputs", nargs="+", metavar="INPUT")
    audit.add_argument("--format", choices=("text", "json", "jsonl", "html"), default="text",
                       help="html: the readable page report (one INPUT)")
    audit.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    audit.add_argument("--lang", choices=("en", "fr"), default="en",
                       help="language of titles, messages and how-to-fix texts (text, json and html)")
    audit.add_argument("--fail-under", type=float, metavar="N", help="exit 1 when a page scores below N")
    audit.add_argument("--url", help="the page's URL when auditing a file or stdin")
    audit.add_argument("--compare", metavar="FILE", help="compare with a saved output (json or jsonl) of an earlier "
                       "audit and print what changed")
    audit.add_argument("--max-drop", type=float, metavar="N", help="with --compare: exit 1 when a page lost more "
                       "than N points")
    audit.set_defaults(func=cmd_audit)
    from . import cli_batch, cli_fix, cli_keys

    cli_batch.register(sub)
    cli_fix.register(sub)
    cli_keys.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
