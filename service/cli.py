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


def format_text(report: dict, name: str, colour: bool) -> str:
    lines = [f"{name}", f"  score {report['score']:.0f}/100  grade {report['grade']}"]
    for category, data in report["categories"].items():
        if data["score"] is None:
            continue
        lines.append(f"  {category:<11} {data['score']:5.0f}  ({data['passed']} pass, {data['warned']} warn, "
                     f"{data['failed']} fail)")
    problems = [c for c in report.get("checks", []) if c["status"] in ("fail", "warn")]
    problems.sort(key=lambda c: (c["status"] != "fail", -c["weight"]))
    if problems:
        lines.append("")
    for item in problems:
        mark = _paint(STATUS_MARK[item["status"]], item["status"], colour)
        lines.append(f"  {mark} {item['id']}: {item['message']}")
        lines.append(f"       fix: {item['how_to_fix']}")
    return "\n".join(lines)


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring import audit_html

    from .fetch import FetchPolicy

    policy = FetchPolicy.from_env()
    colour = args.format == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    status = 0
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
        if args.format == "json":
            print(json.dumps(report, ensure_ascii=False, indent=2))
        elif args.format == "jsonl":
            print(json.dumps(report, ensure_ascii=False, separators=(",", ":")))
        else:
            print(format_text(report, item, colour))
        sys.stdout.flush()
        if args.fail_under is not None and report["score"] < args.fail_under and status == 0:
            status = 1
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="healthgeo", description="Audit health pages for AI search readiness.")
    sub = parser.add_subparsers(dest="command", required=True)
    audit = sub.add_parser("audit", help="audit pages (files, http(s) URLs, or - for stdin)")
    audit.add_argument("inputs", nargs="+", metavar="INPUT")
    audit.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    audit.add_argument("--fail-under", type=float, metavar="N", help="exit 1 when a page scores below N")
    audit.add_argument("--url", help="the page's URL when auditing a file or stdin")
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
