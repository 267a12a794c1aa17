"""Exports of a batch, as generators of text chunks (streamed by the API, written to files by the CLI).

* CSV: one row a page: url, state, status, score, grade, one column per category, the top failed
  checks (by weight), the error code and message.
* JSONL: one full stored report a line (``<prefix>:audit:<id>``), with the page's batch record under
  ``batch``; pages without a report (errors, robots) get their record alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from scoring.weights import CATEGORY_WEIGHTS

from ..store import as_text

__all__ = ["CSV_COLUMNS", "csv_chunks", "jsonl_chunks", "stored_reports"]

TOP_FAILED = 5
CSV_COLUMNS = ["url", "state", "status", "score", "grade", *[f"{name}_score" for name in CATEGORY_WEIGHTS],
               "failed_checks", "top_failed_checks", "error_code", "error_message", "final_url", "audit_id"]
ROWS_PER_CHUNK = 200


def _row(record: dict[str, Any]) -> list[Any]:
    categories = record.get("categories") or {}
    error = record.get("error") or {}
    failed = record.get("failed_checks") or []
    return [record["url"], record["state"], record.get("status"), record.get("score"), record.get("grade"),
            *[categories.get(name) for name in CATEGORY_WEIGHTS], len(failed), " ".join(failed[:TOP_FAILED]),
            error.get("code"), error.get("message"), record.get("final_url"), record.get("audit_id")]


def csv_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV export, header first, a few hundred rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        writer.writerow(_row(record))
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def jsonl_chunks(records: Iterable[dict[str, Any]], get_report, batch_size: int = 100) -> Iterator[str]:
    """The JSONL export: ``get_report(ids) -> list[str | None]`` fetches stored reports in bulk."""
    pending: list[dict[str, Any]] = []

    def flush() -> str:
        ids = [r["audit_id"] for r in pending if r.get("audit_id")]
        reports = dict(zip(ids, get_report(ids), strict=True)) if ids else {}
        lines = []
        for record in pending:
            raw = reports.get(record.get("audit_id"))
            line = json.loads(raw) if raw else {"url": record["url"]}
            line["batch"] = record
            lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
        pending.clear()
        return "\n".join(lines) + "\n" if lines else ""

    for record in records:
        pending.append(record)
        if len(pending) >= batch_size:
            yield flush()
    if pending:
        yield flush()


def stored_reports(store: Any):
    """A bulk getter of the reports kept by ``store`` (:class:`service.store.Store`) for :func:`jsonl_chunks`."""

    def get(ids: list[str]) -> list[str | None]:
        raws = store.client.mget([store.key("audit", i) for i in ids])
        return [as_text(r) for r in raws]

    return get
