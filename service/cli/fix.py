"""`healthgeo fix`: the ready-to-paste JSON-LD for a page, or the page with its JSON-LD replaced.

    healthgeo fix page.html [--url URL] [--format script|json]   print the <script> (or the whole fix as JSON)
    healthgeo fix page.html --apply -o fixed.html               write the page with its JSON-LD replaced and
                                                                the microdata/RDFa statements it rejects taken out

INPUT is an HTML file, an http(s) URL (fetched with the same safe fetcher as `audit`) or - for stdin.
Errors are one line on stderr, in --lang (default HEALTHGEO_LANG, else English), and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..audits.inputs import InputError, LoadedInput, fetch_url, read_file, read_stdin
from ..reports.env import ui_text
from .help_texts import HelpTexts, add_command


def _load(item: str, url: str | None, lang: str = "en") -> LoadedInput:
    if item == "-":
        return read_stdin(url, lang)
    if item.startswith(("http://", "https://")):
        from ..net.policy import FetchPolicy

        return fetch_url(item, FetchPolicy.from_env(), lang=lang)
    if "://" in item:
        raise InputError(ui_text("cli_only_http", lang, item=item))
    return read_file(item, url, lang)


def cmd_fix(args: argparse.Namespace) -> int:
    from scoring.fix import fix_html
    from scoring.fix.apply import apply_fix_bytes, fix_removals
    from scoring.i18n import localize_fix

    from .lang import default_language

    lang = getattr(args, "lang", None) or default_language()
    if args.apply and not args.output:
        print(f"healthgeo: {ui_text('cli_fix_needs_output', lang)}", file=sys.stderr)
        return 2
    try:
        loaded = _load(args.input, args.url, lang)
        fix = localize_fix(fix_html(loaded.html, loaded.url or args.url, charset=loaded.charset), lang)
    except InputError as exc:
        print(f"healthgeo: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # an engine bug must still end in one clear line
        reason = f"{type(exc).__name__}: {exc}"
        print(f"healthgeo: {ui_text('cli_fix_failed', lang, item=args.input, reason=reason)}", file=sys.stderr)
        return 2
    if args.apply:
        data = apply_fix_bytes(loaded.html, fix["script"], loaded.charset, fix_removals(fix))
    elif args.format == "json":
        data = (json.dumps(fix, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data = (fix["script"] + "\n").encode("utf-8")
        if removals := fix_removals(fix):  # the script alone would leave them: say so, once
            count = len({(r.get("line"), r.get("attribute"), r.get("value")) for r in removals})
            print(f"healthgeo: {ui_text('cli_fix_removals', lang, count=count)}", file=sys.stderr)
    if args.output in (None, "-"):
        from .output import write_or_discard

        write_or_discard(data)
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"healthgeo: {ui_text('cli_cannot_write', lang, path=args.output, reason=reason)}", file=sys.stderr)
        return 2
    return 0


def register(subparsers, texts: HelpTexts | None = None) -> argparse.ArgumentParser:
    """Add the `fix` command to the `healthgeo` parser's subparsers (help in ``texts``'s language)."""
    texts = texts or HelpTexts()
    fix = add_command(subparsers, "fix", texts)
    fix.add_argument("input", metavar=texts.metavar("INPUT"), help=texts.help("fix.input"))
    fix.add_argument("--url", help=texts.help("fix.--url"))
    fix.add_argument("--format", choices=("script", "json"), default="script", help=texts.help("fix.--format"))
    fix.add_argument("--apply", action="store_true", help=texts.help("fix.--apply"))
    fix.add_argument("-o", "--output", metavar=texts.metavar("FILE"), help=texts.help("fix.--output"))
    fix.add_argument("--lang", choices=("en", "fr"), default=texts.lang, help=texts.help("fix.--lang"))
    fix.set_defaults(func=cmd_fix)
    return fix
