"""The `healthgeo` command: audit pages, print fixes, manage API keys, run workers."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
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
    for limit in report.get("limits", []):  # caps that bit: part of the page was not read
        lines.append(f"  {_paint('!', 'warn', colour)} {limit['message']}")
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


def _audit_one(page, args: argparse.Namespace, policy):
    """The report for one input, or an InputError; an engine bug on one page becomes an InputError too, so that
    it never loses the other inputs."""
    from scoring import audit_html

    loaded = _load(page.item, policy)
    try:
        return audit_html(loaded.html, page.url or loaded.url or args.url, charset=loaded.charset,
                          fetch=loaded.fetch, access=loaded.access)
    except Exception as exc:
        raise InputError(f"{page.item}: audit failed ({type(exc).__name__}: {exc})") from exc


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring.i18n import localize_report

    from .fetch import FetchPolicy
    from .junit import PageOutcome, junit_xml, page_outcome
    from .static_site import expand_inputs

    pages, problems = expand_inputs(args.inputs, args.base_url)
    if args.format == "html" and max(len(pages), len(args.inputs)) > 1:
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
    status = 2 if problems else 0
    for message in problems:
        print(f"healthgeo: {message}", file=sys.stderr)
    outcomes = []
    saved = None
    if args.compare:
        from .cli_compare import SavedOutputError, attach_changes, drop_exceeded, load_saved, page_changes_text

        try:
            saved = load_saved(args.compare)
        except SavedOutputError as exc:
            print(f"healthgeo: --compare {exc}", file=sys.stderr)
            return 2
    try:
        for page in pages:
            started = time.monotonic()
            try:
                report = _audit_one(page, args, policy)
            except InputError as exc:
                print(f"healthgeo: {exc}", file=sys.stderr)
                status = 2
                outcomes.append(PageOutcome(page.item, error=str(exc), seconds=time.monotonic() - started))
                continue
            report["input"] = page.item
            comparison = attach_changes(report, saved, args.lang) if saved is not None else None
            if args.format == "junit":
                report = localize_report(report, args.lang) if args.lang != "en" else report
                outcomes.append(page_outcome(page.item, report, args.fail_under, args.lang,
                                             time.monotonic() - started))
            else:
                print(_render(report, args, page.item, colour), file=out)
                if comparison is not None and args.format == "text":
                    print(page_changes_text(report, args.lang), file=out)
                out.flush()
            if args.fail_under is not None and report["score"] < args.fail_under and status == 0:
                status = 1
            if saved is not None and drop_exceeded(comparison, args.max_drop, args.lang) and status == 0:
                status = 1
        if args.format == "junit":
            out.write(junit_xml(outcomes).decode("utf-8"))
    finally:
        if out is not sys.stdout:
            out.close()
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="healthgeo", description="Audit health pages for AI search readiness.")
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser("audit", help="audit pages (files, http(s) URLs, or - for stdin)")
    audit.add_argument("inputs", nargs="+", metavar="INPUT",
                       help="a file, a folder or a glob of built HTML ('dist/**/*.html'), an http(s) URL, or -")
    audit.add_argument("--format", choices=("text", "json", "jsonl", "html", "junit"), default="text",
                       help="html: the readable page report (one INPUT); junit: JUnit XML for CI, a test case a page")
    audit.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    audit.add_argument("--lang", choices=("en", "fr"), default="en",
                       help="language of titles, messages and how-to-fix texts (text, json and html)")
    audit.add_argument("--fail-under", type=float, metavar="N", help="exit 1 when a page scores below N")
    audit.add_argument("--url", help="the page's URL when auditing a file or stdin")
    audit.add_argument("--base-url", metavar="URL",
                       help="the site's URL: each file's URL is URL plus its path below the folder or glob")
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
