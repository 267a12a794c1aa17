"""Batch state in Redis, under the store prefix.

Keys (``<p>`` is the key prefix, ``<b>`` the batch id):

* ``<p>:batch:<b>`` -- hash: id, state, mode, start, queue, options (JSON), times, callback,
  the counters ``discovered``, ``enqueued``, ``done``, ``failed``, ``skipped_robots``,
  ``finished`` (done + failed), ``discovery_done``, and ``site`` / ``webhook`` (JSON);
* ``<p>:batch:<b>:seen`` -- set of the normalised URLs admitted (one page is audited once);
* ``<p>:batch:<b>:pages`` -- hash URL -> page record (JSON), written once (HSETNX);
* ``<p>:batch:<b>:order`` -- list of URLs in the order their record was written (pagination, exports);
* ``<p>:batch:<b>:running`` -- hash URL -> start time, for the ``running`` count;
* ``<p>:batch:<b>:admitted`` -- hash admission token -> the URLs it admitted (JSON);
* ``<p>:batches:active`` -- sorted set of the batches not known to have ended (by creation time), so that
  ``/readyz`` finds stalled batches without scanning; ids of ended batches are dropped as they are met.

``progress_ts`` on the batch record is the last time a page started or finished or discovery advanced: a batch
whose ``progress_ts`` is older than ``BATCH_STALL_AFTER`` is reported ``stalled``.

Counters move only inside Lua scripts next to the write they count, so a job run twice (a retry,
or a worker killed after its work was saved) counts each page once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from ..store import as_text, text_mapping

__all__ = ["ACTIVE_STATES", "TERMINAL_STATES", "BatchStore"]

TERMINAL_STATES = ("done", "cancelled", "failed")
ACTIVE_STATES = ("queued", "discovering", "running")
_JSON_FIELDS = ("options", "site", "webhook", "error")
_INT_FIELDS = ("discovered", "enqueued", "done", "failed", "skipped_robots", "finished", "discovery_done",
               "max_pages", "truncated")
_FLOAT_FIELDS = ("created_ts", "started_ts", "finished_ts", "progress_ts")

# KEYS: meta, seen, pages, order, admitted.  ARGV: max_pages (0 = no cap), token, then
# (url, allowed, skip_record) triples.  Returns the URLs admitted for auditing, in order; the same
# token returns the same answer again (a re-run job re-enqueues exactly what it admitted).
_ADMIT = """
local before = redis.call('HGET', KEYS[5], ARGV[2])
if before then return cjson.decode(before) end
local admitted = {}
local cap = tonumber(ARGV[1])
local st = redis.call('HGET', KEYS[1], 'state')
if st ~= 'queued' and st ~= 'discovering' and st ~= 'running' then return admitted end
for i = 3, #ARGV, 3 do
  local url, allowed, rec = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('SISMEMBER', KEYS[2], url) == 0 then
    if allowed == '1' then
      local enq = tonumber(redis.call('HGET', KEYS[1], 'enqueued') or '0')
      if cap > 0 and enq >= cap then
        redis.call('HSET', KEYS[1], 'truncated', 1)
      else
        redis.call('SADD', KEYS[2], url)
        redis.call('HINCRBY', KEYS[1], 'discovered', 1)
        redis.call('HINCRBY', KEYS[1], 'enqueued', 1)
        admitted[#admitted + 1] = url
      end
    else
      redis.call('SADD', KEYS[2], url)
      redis.call('HINCRBY', KEYS[1], 'discovered', 1)
      if redis.call('HSETNX', KEYS[3], url, rec) == 1 then
        redis.call('RPUSH', KEYS[4], url)
        redis.call('HINCRBY', KEYS[1], 'skipped_robots', 1)
      end
    end
  end
end
if #admitted > 0 then redis.call('HSET', KEYS[5], ARGV[2], cjson.encode(admitted)) end
return admitted
"""

# KEYS: meta.  ARGV: now (ISO), now (epoch).  Marks the batch done when discovery is over and every
# admitted page has its record.  Returns 1 when this call made it done.
_COMPLETE = """
local st = redis.call('HGET', KEYS[1], 'state')
if st ~= 'discovering' and st ~= 'running' then return 0 end
if redis.call('HGET', KEYS[1], 'discovery_done') ~= '1' then return 0 end
local fin = tonumber(redis.call('HGET', KEYS[1], 'finished') or '0')
local enq = tonumber(redis.call('HGET', KEYS[1], 'enqueued') or '0')
if fin < enq then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'finished_at', ARGV[1], 'finished_ts', ARGV[2])
return 1
"""

# KEYS: meta, pages, order, running.  ARGV: url, state (done|failed), record, now ISO, now epoch.
# Returns {new record (0/1), batch completed by this call (0/1)}.
_FINISH = """
local new = 0
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 1 then
  new = 1
  redis.call('RPUSH', KEYS[3], ARGV[1])
  redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
  redis.call('HINCRBY', KEYS[1], 'finished', 1)
end
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[1], 'progress_ts', ARGV[5])
local completed = 0
local st = redis.call('HGET', KEYS[1], 'state')
if (st == 'discovering' or st == 'running') and redis.call('HGET', KEYS[1], 'discovery_done') == '1' then
  local fin = tonumber(redis.call('HGET', KEYS[1], 'finished') or '0')
  local enq = tonumber(redis.call('HGET', KEYS[1], 'enqueued') or '0')
  if fin >= enq then
    redis.call('HSET', KEYS[1], 'state', 'done', 'finished_at', ARGV[4], 'finished_ts', ARGV[5])
    completed = 1
  end
end
return {new, completed}
"""

# KEYS: meta.  ARGV: target state, then allowed current states.  Returns 1 when the state changed.
_TRANSITION = """
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return 0 end
for i = 2, #ARGV do
  if st == ARGV[i] then
    redis.call('HSET', KEYS[1], 'state', ARGV[1])
    return 1
  end
end
return 0
"""


def iso_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class BatchStore:
    """Reads and writes one deployment's batches (``redis`` is a redis-py client)."""

    def __init__(self, redis: Any, prefix: str):
        self.redis = redis
        self.prefix = prefix
        self._admit = redis.register_script(_ADMIT)
        self._finish = redis.register_script(_FINISH)
        self._complete = redis.register_script(_COMPLETE)
        self._transition = redis.register_script(_TRANSITION)

    # -- keys

    @property
    def active_key(self) -> str:
        return f"{self.prefix}:batches:active"

    def key(self, batch_id: str, part: str = "") -> str:
        return f"{self.prefix}:batch:{batch_id}" + (f":{part}" if part else "")

    def _keys(self, batch_id: str) -> list[str]:
        return [self.key(batch_id, part) for part in ("", "seen", "pages", "order", "running", "admitted")]

    # -- the batch record

    def create(self, batch_id: str, fields: dict[str, Any], retention: int) -> None:
        data = {k: (json.dumps(v) if k in _JSON_FIELDS else v) for k, v in fields.items() if v is not None}
        pipe = self.redis.pipeline()
        pipe.hset(self.key(batch_id), mapping=data)
        pipe.expire(self.key(batch_id), retention)
        pipe.zadd(self.active_key, {batch_id: float(fields.get("created_ts") or time.time())})
        pipe.execute()

    def meta(self, batch_id: str) -> dict[str, Any] | None:
        raw = self.redis.hgetall(self.key(batch_id))
        if not raw:
            return None
        out: dict[str, Any] = text_mapping(raw)
        for name in _JSON_FIELDS:
            if name in out:
                out[name] = json.loads(out[name])
        for name in _INT_FIELDS:
            out[name] = int(out.get(name) or 0)
        for name in _FLOAT_FIELDS:
            if name in out:
                out[name] = float(out[name])
        return out

    def update(self, batch_id: str, **fields: Any) -> None:
        data = {k: (json.dumps(v) if k in _JSON_FIELDS else v) for k, v in fields.items() if v is not None}
        if data:
            self.redis.hset(self.key(batch_id), mapping=data)

    def transition(self, batch_id: str, to: str, *from_states: str) -> bool:
        return bool(self._transition(keys=[self.key(batch_id)], args=[to, *from_states]))

    def keep_for(self, batch_id: str, seconds: int) -> None:
        """Every key of the batch expires ``seconds`` from now (set at creation and again when it ends)."""
        pipe = self.redis.pipeline(transaction=False)
        for key in self._keys(batch_id):
            pipe.expire(key, seconds)
        pipe.execute()

    # -- pages

    def admit(self, batch_id: str, entries: list[tuple[str, bool, dict[str, Any] | None]], max_pages: int = 0, *,
              token: str) -> list[str]:
        """Record newly found URLs: ``(url, allowed_by_robots, skip_record)``; returns the ones to audit.

        ``token`` names the admission: called again with it, the first answer is returned unchanged.
        """
        if not entries:
            return []
        args: list[Any] = [max_pages, token]
        for url, allowed, record in entries:
            args += [url, "1" if allowed else "0", json.dumps(record or {}, ensure_ascii=False)]
        keys = [self.key(batch_id), self.key(batch_id, "seen"), self.key(batch_id, "pages"),
                self.key(batch_id, "order"), self.key(batch_id, "admitted")]
        return [as_text(u) for u in self._admit(keys=keys, args=args)]

    def state(self, batch_id: str) -> str | None:
        return as_text(self.redis.hget(self.key(batch_id), "state"))

    def claim(self, batch_id: str, flag: str) -> bool:
        """True for the first caller only (HSETNX on the batch record)."""
        return bool(self.redis.hsetnx(self.key(batch_id), flag, 1))

    def page_started(self, batch_id: str, url: str) -> None:
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        pipe.hset(self.key(batch_id, "running"), url, now)
        pipe.hset(self.key(batch_id), "progress_ts", now)
        pipe.execute()

    def touch(self, batch_id: str) -> None:
        """The batch advanced (discovery read a sitemap, admitted pages): it is not stalled."""
        self.redis.hset(self.key(batch_id), "progress_ts", time.time())

    def active_marks(self, limit: int = 1000) -> list[tuple[str, str | None, float, float | None]]:
        """``(id, state, created_ts, progress_ts)`` of the oldest ``limit`` batches in the active index."""
        ids = [as_text(i) for i in self.redis.zrange(self.active_key, 0, limit - 1)]
        pipe = self.redis.pipeline(transaction=False)
        for batch_id in ids:
            pipe.hmget(self.key(batch_id), "state", "created_ts", "progress_ts")
        marks = []
        for batch_id, (state, created, moved) in zip(ids, pipe.execute(), strict=True):
            marks.append((batch_id, as_text(state), float(created or 0), float(moved) if moved else None))
        return marks

    def forget_active(self, *batch_ids: str) -> None:
        """Drop ended (or expired) batches from the active index."""
        if batch_ids:
            self.redis.zrem(self.active_key, *batch_ids)

    def page_stopped(self, batch_id: str, url: str) -> None:
        self.redis.hdel(self.key(batch_id, "running"), url)

    def has_record(self, batch_id: str, url: str) -> bool:
        return bool(self.redis.hexists(self.key(batch_id, "pages"), url))

    def finish_page(self, batch_id: str, url: str, state: str, record: dict[str, Any]) -> tuple[bool, bool]:
        """Store a page's record once; returns ``(new, batch_completed_now)``."""
        keys = [self.key(batch_id), self.key(batch_id, "pages"), self.key(batch_id, "order"),
                self.key(batch_id, "running")]
        new, completed = self._finish(keys=keys, args=[url, state, json.dumps(record, ensure_ascii=False),
                                                       iso_now(), time.time()])
        return bool(new), bool(completed)

    def complete_if_drained(self, batch_id: str) -> bool:
        return bool(self._complete(keys=[self.key(batch_id)], args=[iso_now(), time.time()]))

    def running(self, batch_id: str) -> int:
        return int(self.redis.hlen(self.key(batch_id, "running")))

    def record_count(self, batch_id: str) -> int:
        return int(self.redis.llen(self.key(batch_id, "order")))

    def records(self, batch_id: str, start: int = 0, chunk: int = 500) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(position, record)`` in the order the records were written, read ``chunk`` at a time."""
        order, pages = self.key(batch_id, "order"), self.key(batch_id, "pages")
        pos = max(0, start)
        while True:
            urls = self.redis.lrange(order, pos, pos + chunk - 1)
            if not urls:
                return
            raws = self.redis.hmget(pages, urls)
            for i, raw in enumerate(raws):
                if raw is not None:
                    yield pos + i, json.loads(raw)
            pos += len(urls)
