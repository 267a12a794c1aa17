"""The `healthgeo` command: audit pages, print fixes, manage API keys, run workers (``python -m service.cli``)."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Sequence

from ..audits.inputs import InputError, LoadedInput, fetch_url, read_file, read_stdin
from ..reports.env import ui_text
from .access import access_options, add_access_arguments, render_refused
from .help_texts import HelpTexts, LocalizedParser, add_command
from .lang import requested_language
from .output import discard_stdout

COLOURS = {"pass": "32", "warn": "33", "fail": "31", "not_applicable": "90"}
FIX_FIRST = 3  # the heaviest failures shown first, with their fix
EVIDENCE_LINES = 3  # what each of those found, in a few lines (all of it in the report)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _load(item: str, policy, lang: str = "en") -> LoadedInput:
    if item == "-":
        return read_stdin(lang=lang)
    if item.startswith(("http://", "https://")):
        return fetch_url(item, policy, lang=lang)
    if "://" in item:
        raise InputError(ui_text("cli_only_http", lang, item=item))
    return read_file(item, lang=lang)


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text


def plain_text(text: str, colour: bool = False) -> str:
    """How-to-fix texts carry Markdown code spans: bold on a terminal, plain elsewhere, never literal backticks."""
    return _CODE_SPAN.sub(r"\033[1m\1\033[0m" if colour else r"\1", text)


def output_width(stream) -> int | None:
    """The terminal's width; None (no wrapping) when piped, unless COLUMNS says otherwise."""
    if os.environ.get("COLUMNS") or (hasattr(stream, "isatty") and stream.isatty()):
        return max(40, shutil.get_terminal_size().columns)
    return None


def _lost(check: dict) -> float:
    """The score a check costs its page: its weight times the credit it did not earn."""
    from scoring.checks.base import CREDIT

    return check["weight"] * (1 - CREDIT.get(check["status"], 1))


def format_text(report: dict, name: str, colour: bool, lang: str = "en", *, width: int | None = None,
                verbose: bool = False) -> str:
    """The page's scores, then the three heaviest failures with their fix, then the other findings."""
    from ..reports.env import ui_strings
    from ..reports.evidence import evidence_lines

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
    findings = [c for c in report.get("checks", []) if c["status"] in ("fail", "warn")]
    findings.sort(key=lambda c: (-_lost(c), c["status"] != "fail", c["id"]))
    first = [c for c in findings if c["status"] == "fail"][:FIX_FIRST]
    rest = [c for c in findings if c not in first]

    def wrapped(text: str, indent: str, hang: str) -> list[str]:
        if width is None:
            return [indent + text]
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hang,
                             break_long_words=False, break_on_hyphens=False) or [indent]

    def describe(item: dict, fix: bool) -> None:
        mark = _paint(t["cli_status"][item["status"]], item["status"], colour)
        label = f"{item['title']} [{item['id']}]" if verbose else item["title"]
        lines.extend(wrapped(t["labelled"].format(label=label, value=item["message"]), f"  {mark} ", "      "))
        if fix:
            for line in evidence_lines(item.get("evidence"), lang)[:EVIDENCE_LINES]:
                lines.extend(wrapped(f"- {line}", "      ", "        "))
            lines.extend(wrapped(f"{t['text_fix']} {plain_text(item['how_to_fix'], colour)}", "      ", "      "))

    if first:
        lines += ["", t["cli_fix_first"]]
        for item in first:
            describe(item, fix=True)
    if rest:
        lines += ["", t["cli_other_findings"]]
        for item in rest:
            describe(item, fix=verbose)
    return "\n".join(lines)


def _render(report: dict, args: argparse.Namespace, item: str, colour: bool) -> str:
    from scoring.i18n import localize_report

    if args.format == "html":
        from ..reports import render_page_report

        return render_page_report(report, lang=args.lang)
    report = localize_report(report, args.lang) if args.lang != "en" else report
    if args.format == "json":
        return json.dumps(report, ensure_ascii=False, indent=2)
    if args.format == "jsonl":
        return json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    return format_text(report, item, colour, args.lang, width=output_width(sys.stdout) if args.output in (None, "-")
                       else None, verbose=args.verbose)


def _audit_one(page, args: argparse.Namespace, policy):
    """The report for one input, or an InputError; an engine bug on one page becomes an InputError too, so that
    it never loses the other inputs."""
    from scoring import audit_html

    loaded = _load(page.item, policy, args.lang)
    options = access_options(args)
    if options.any and loaded.fetch is not None:  # a URL: rendering and the AI crawlers' answers, when asked
        from ..audits.page_access import extra_access

        loaded.access = {**(loaded.access or {}), **extra_access(
            loaded.url or page.item, loaded.html, policy, options, charset=loaded.charset,
            content_type=loaded.fetch.get("content_type"))}
    elif options.any:
        print(f"healthgeo: {ui_text('cli_url_only', args.lang, item=page.item)}", file=sys.stderr)
    try:
        return audit_html(loaded.html, page.url or loaded.url or args.url, charset=loaded.charset,
                          fetch=loaded.fetch, access=loaded.access)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        raise InputError(ui_text("cli_audit_failed", args.lang, item=page.item, reason=reason)) from exc


def cmd_audit(args: argparse.Namespace) -> int:
    from scoring.i18n import localize_report

    from ..net.policy import FetchPolicy
    from .junit import PageOutcome, junit_xml, page_outcome
    from .static_site import expand_inputs

    pages, problems = expand_inputs(args.inputs, args.base_url, args.lang)
    if args.format == "html" and max(len(pages), len(args.inputs)) > 1:
        print(f"healthgeo: {ui_text('cli_html_one_input', args.lang)}", file=sys.stderr)
        return 2
    if render_refused(args):
        return 2
    policy = FetchPolicy.from_env()
    out = sys.stdout
    if args.output and args.output != "-":
        try:
            out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            print(f"healthgeo: {ui_text('cli_cannot_write', args.lang, path=args.output, reason=exc.strerror)}",
                  file=sys.stderr)
            return 2
    colour = args.format == "text" and out is sys.stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if args.max_drop is not None and not args.compare:
        print(f"healthgeo: {ui_text('cli_audit_max_drop', args.lang)}", file=sys.stderr)
        return 2
    audited = 0
    status = 2 if problems else 0
    for message in problems:
        print(f"healthgeo: {message}", file=sys.stderr)
    outcomes = []
    saved = None
    if args.compare:
        from .compare import SavedOutputError, attach_changes, drop_exceeded, load_saved, page_changes_text

        try:
            saved = load_saved(args.compare, args.lang)
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
                out = _print(_render(report, args, page.item, colour), out)
                if comparison is not None and args.format == "text":
                    out = _print(page_changes_text(report, args.lang), out)
            audited += 1
            if args.fail_under is not None and report["score"] < args.fail_under and status == 0:
                status = 1
            if saved is not None and drop_exceeded(comparison, args.max_drop, args.lang) and status == 0:
                status = 1
        if args.format == "junit":
            out = _print(junit_xml(outcomes).decode("utf-8"), out, end="")
    finally:
        if out is not sys.stdout:
            out.close()
    if audited == 0:  # nothing audited is never a success
        status = 2
    return status


def _print(text: str, out, end: str = "\n"):
    """Write ``text``; when the reader closed the pipe (``| head``), go on without output so that the exit status
    still says how the pages scored (Python docs, "Note on SIGPIPE")."""
    try:
        out.write(text + end)
        out.flush()
        return out
    except BrokenPipeError:
        return discard_stdout()


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The ``healthgeo`` parser, its help and argparse's errors in ``lang`` (default: HEALTHGEO_LANG, else en)."""
    texts = HelpTexts(lang)
    parser = LocalizedParser(prog="healthgeo", description=texts.text("healthgeo.description"),
                             epilog=texts.text("healthgeo.epilog"), texts=texts)
    # --lang before the command too (healthgeo --lang fr audit ...): each command's --lang defaults to the
    # language asked anywhere on the line, since a command's defaults overwrite what came before it
    parser.add_argument("--lang", choices=("en", "fr"), default=texts.lang, help=texts.help("healthgeo.--lang"))
    sub = parser.add_subparsers(dest="command", required=True)
    audit = add_command(sub, "audit", texts, epilog=texts.text("healthgeo.epilog"))
    audit.add_argument("inputs", nargs="+", metavar=texts.metavar("INPUT"), help=texts.help("audit.inputs"))
    audit.add_argument("--format", choices=("text", "json", "jsonl", "html", "junit"), default="text",
                       help=texts.help("audit.--format"))
    audit.add_argument("-o", "--output", metavar=texts.metavar("FILE"), help=texts.help("audit.--output"))
    audit.add_argument("--lang", choices=("en", "fr"), default=texts.lang, help=texts.help("audit.--lang"))
    audit.add_argument("-v", "--verbose", action="store_true", help=texts.help("audit.--verbose"))
    audit.add_argument("--fail-under", type=float, metavar="N", help=texts.help("audit.--fail-under"))
    audit.add_argument("--url", help=texts.help("audit.--url"))
    audit.add_argument("--base-url", metavar="URL", help=texts.help("audit.--base-url"))
    audit.add_argument("--compare", metavar=texts.metavar("FILE"), help=texts.help("audit.--compare"))
    audit.add_argument("--max-drop", type=float, metavar="N", help=texts.help("audit.--max-drop"))
    add_access_arguments(audit, texts)
    audit.set_defaults(func=cmd_audit)
    from . import batch, fix, keys

    batch.register(sub, texts)
    fix.register(sub, texts)
    keys.register(sub, texts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(requested_language(argv)).parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output closed early outside the page loop: the work itself may be incomplete
        discard_stdout()
        return 1

