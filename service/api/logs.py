"""Structured JSON logs with the request id.

One JSON object per line on stderr: ``ts``, ``level``, ``logger``, ``msg``, ``request_id``
(when inside a request) and any ``extra`` fields.  Request bodies, pages and API keys are
never passed to the logger; only the key's name is.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context

__all__ = ["JsonFormatter", "configure_logging", "new_request_id"]

_STD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime", "taskName"}
_RID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id(incoming: str | None) -> str:
    """The client's X-Request-ID when it is a sane token, else a fresh one."""
    if incoming and _RID_RE.match(incoming):
        return incoming
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if has_request_context():
            rid = g.get("request_id")
            if rid:
                out["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (so test capture works)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr for the ``healthgeo`` loggers (idempotent)."""
    logger = logging.getLogger("healthgeo")
    logger.setLevel(level)
    if not any(getattr(h, "_healthgeo", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler._healthgeo = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.propagate = False
