"""gunicorn settings: ``gunicorn -c service/api/gunicorn_conf.py wsgi:app``.

* ``bind``: ``HEALTHGEO_BIND`` (default ``127.0.0.1:8000``); ``--bind`` on the command line wins.
* ``workers``: ``HEALTHGEO_WORKERS``, else ``2 * CPUs + 1`` capped at ``HEALTHGEO_MAX_WORKERS`` (8).
  Sync workers: an audit is CPU-bound work in Python, so one request per process.
* ``timeout``: ``HEALTHGEO_WORKER_TIMEOUT``, else long enough for a URL audit (page, robots.txt
  and llms.txt fetches, each bounded by ``HEALTHGEO_FETCH_TIMEOUT``; with ``render`` and ``probe_bots``, the
  render's ``HEALTHGEO_RENDER_TIMEOUT`` and the probe's 40 s) plus the audit itself (bounded by
  ``HEALTHGEO_AUDIT_BUDGET``, which answers 422 before gunicorn would kill the worker).
* access log: one JSON object per request on stderr (``HEALTHGEO_ACCESS_LOG=off`` to silence),
  with the ``X-Request-ID`` the app answered with; never headers such as Authorization.
* ``HEALTHGEO_AUTH=disabled`` is refused unless every bind address is loopback (or a unix socket).
* Prometheus multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` is created (and emptied) here
  when unset, so ``/metrics`` adds up all workers; dead workers are marked as such.
* No ``REDIS_URL``: the embedded Redis is started once here, in the master, so workers join it.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime

from gunicorn.glogging import Logger

_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _root not in sys.path:  # gunicorn -c service/api/gunicorn_conf.py from the repo root
    sys.path.insert(0, _root)

from service.config.errors import ConfigError  # noqa: E402
from service.config.settings import DEFAULTS, is_loopback_bind, load_config, parse_budget  # noqa: E402


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not an integer") from None
    if value <= 0:
        raise SystemExit(f"{name} must be > 0")
    return value


def default_workers(cpus: int | None = None, cap: int = 8) -> int:
    cpus = cpus or os.cpu_count() or 1
    return max(1, min(2 * cpus + 1, cap))


bind = [os.environ.get("HEALTHGEO_BIND", "").strip() or "127.0.0.1:8000"]
workers = _int_env("HEALTHGEO_WORKERS", default_workers(cap=_int_env("HEALTHGEO_MAX_WORKERS", 8)))
worker_class = "sync"
_fetch_timeout = float(os.environ.get("HEALTHGEO_FETCH_TIMEOUT", "").strip() or 20)
try:
    _audit_budget = parse_budget(os.environ.get("HEALTHGEO_AUDIT_BUDGET", "").strip() or DEFAULTS["AUDIT_BUDGET"])
except ConfigError as e:
    raise SystemExit(str(e)) from None
# a URL audit: three fetches (page, robots.txt, llms.txt), the opt-in render and AI-crawler probe (each within
# its own budget), then the audit within its budget, then a margin
_render_timeout = float(os.environ.get("HEALTHGEO_RENDER_TIMEOUT", "").strip() or 20)
_PROBE_SECONDS = 40  # service.bot_probe.PROBE_SECONDS (not imported: this file loads before the app)
timeout = _int_env("HEALTHGEO_WORKER_TIMEOUT",
                   int(3 * _fetch_timeout + _render_timeout + _PROBE_SECONDS + _audit_budget + 10))
graceful_timeout = 30
keepalive = 5
max_requests = _int_env("HEALTHGEO_MAX_REQUESTS", 2000)
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None if os.environ.get("HEALTHGEO_ACCESS_LOG", "on").lower() in ("off", "0", "false") else "-"
errorlog = "-"
loglevel = os.environ.get("HEALTHGEO_LOG_LEVEL", "info").lower()
proc_name = "healthgeo"
control_socket_disable = True  # gunicorn >= 24's control socket: one fixed path would clash between instances


class JsonLogger(Logger):
    """gunicorn's logger with one JSON object per access-log line."""

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict or self.cfg.syslog):
            return
        rid = None
        for name, value in resp.headers:
            if name.lower() == "x-request-id":
                rid = value
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        line = {
            "ts": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": "info",
            "logger": "gunicorn.access",
            "msg": "request",
            "request_id": rid,
            "remote": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - never fail a request over a log line
            self.exception("access log failed")


logger_class = JsonLogger
access_log_format = "%(h)s %(r)s %(s)s"  # unused by JsonLogger; kept for other logger classes


def check_bind(binds: list[str], auth: str) -> None:
    """Refuse HEALTHGEO_AUTH=disabled on anything but loopback addresses."""
    if auth == "disabled":
        public = [b for b in binds if not is_loopback_bind(b)]
        if public:
            raise SystemExit(f"HEALTHGEO_AUTH=disabled is only allowed when bound to 127.0.0.1 (or ::1, or a unix "
                             f"socket); refusing to listen on {', '.join(public)}")


_embedded = None  # the master's embedded Redis client, kept alive for the server's lifetime


def on_starting(server):
    global _embedded
    try:
        cfg = load_config()
    except ConfigError as e:
        raise SystemExit(f"configuration error: {e}") from None
    check_bind(list(server.cfg.bind), cfg["AUTH"])
    mp = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not mp:
        mp = tempfile.mkdtemp(prefix="healthgeo-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = mp
    else:
        os.makedirs(mp, exist_ok=True)
        for name in os.listdir(mp):
            if name.endswith(".db"):
                os.unlink(os.path.join(mp, name))
    if not cfg["REDIS_URL"]:
        from service.store import embedded_redis

        try:
            _embedded = embedded_redis(cfg["DATA_DIR"], cfg["REDIS_TIMEOUT"])
        except Exception as e:  # noqa: BLE001 - the app reports Redis as down and runs uncached
            server.log.error("embedded redis could not start: %s", e)


_batch_workers = None  # the `healthgeo worker` processes started for the embedded Redis (LocalWorkers)


def when_ready(server):
    """On a single machine (the embedded Redis), start the batch workers too, so batches run with nothing else
    installed, and restart any that dies; with REDIS_URL they run as their own services (`healthgeo worker`),
    HEALTHGEO_LOCAL_WORKERS=0."""
    global _batch_workers
    cfg = load_config()
    if not cfg["LOCAL_WORKERS"]:
        return
    from service.batches.supervisor import LocalWorkers

    env = dict(os.environ, HEALTHGEO_KEY_PREFIX=cfg["KEY_PREFIX"], HEALTHGEO_BATCH_QUEUE=cfg["BATCH_QUEUE"])
    if not cfg["REDIS_URL"] and _embedded is not None:
        from service.batches.runtime import redis_url_of

        env["REDIS_URL"] = redis_url_of(_embedded)
    _batch_workers = LocalWorkers(cfg["LOCAL_WORKERS"], env).start().watch()
    server.log.info("started %d batch worker(s), restarted when they die", cfg["LOCAL_WORKERS"])


def on_exit(server):
    if _batch_workers is not None:
        _batch_workers.stop()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
