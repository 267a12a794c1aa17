"""The Flask application: ``create_app(config=None)``.

``config`` overrides the environment (keys of :data:`service.config.DEFAULTS`, e.g.
``{"REDIS_URL": ..., "AUTH": "disabled"}``).  Blueprints: audits (``/v1/audits``), checks
(``/v1/checks``), ops (``/healthz``, ``/readyz``, ``/metrics``), the OpenAPI document
(``/openapi.json``) and its docs page (``/docs``).
"""

from __future__ import annotations

import http
import logging
import time
from typing import Any

import flask_smorest
from flask import Flask, g, request
from flask_smorest.utils import prepare_response

from schemas import ProblemSchema

from ..audits.service import AuditService
from ..config.settings import load_config
from ..store import connect
from ..version import package_version
from .auth.security import init_security
from .body_cap import DECODERS, BodyCap, BodyUnreadable, MalformedBody, UnsupportedEncoding
from .logs import configure_logging, new_request_id
from .metrics import LATENCY, REQUESTS
from .openapi_evidence import name_evidence_kinds
from .problems import localized_problem, problem_of, register_error_handlers

__all__ = ["create_app"]

log = logging.getLogger("healthgeo.api")
PROBLEM_MIME = "application/problem+json"


class _Api(flask_smorest.Api):
    """flask-smorest's Api with problem+json error responses and our own error handlers."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):  # service.problems handles every error
        return None

    def _register_responses(self):
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIME)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (RFC 9457 problem document)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIME)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


_DESCRIPTION = """Audits health web pages for generative-search readiness.

Send the header "Authorization: Bearer KEY" on /v1/ routes (create keys with: healthgeo keys create --name NAME);
a key sees only its tenant's audits and batches (another tenant's answer 404) and needs the route's scope (audit,
batch). Errors are RFC 9457 problem documents (application/problem+json) whose title and detail follow the lang
query parameter, else Accept-Language, else HEALTHGEO_LANG (English or French). Identical content is served from a
cache (cache.hit); when Redis is down audits still work, uncached (cache.enabled false).
"""


def _name_audit_request_forms(api: flask_smorest.Api) -> None:
    """What marshmallow cannot say in the schema: a JSON audit request is one of two named forms, by URL or
    with the page's HTML (a documentation UI then shows two titled schemas, not an anonymous union)."""
    components = api.spec.components.schemas
    request_schema = components.get("AuditRequest")
    if request_schema is None:
        return
    properties = request_schema["properties"]
    forms = {
        "AuditByUrl": ("Audit by URL", "The server fetches the page at url (robots.txt and llms.txt too).",
                       {k: v for k, v in properties.items() if k != "html"}, ["url"]),
        "AuditOfHtml": ("Audit of HTML", "The page's HTML, with its address in url when known.", properties,
                        ["html"]),
    }
    for name, (title, description, props, required) in forms.items():
        api.spec.components.schema(name, {"title": title, "description": description, "type": "object",
                                          "properties": dict(props), "required": required,
                                          "additionalProperties": False})
    request_schema.clear()
    request_schema.update({"title": "Audit request", "oneOf": [{"$ref": f"#/components/schemas/{name}"}
                                                               for name in forms]})


def _contact(cfg: dict[str, Any]) -> dict[str, str]:
    """Who runs this deployment (HEALTHGEO_CONTACT_URL, HEALTHGEO_CONTACT_EMAIL): clients of the API see it."""
    contact = {"name": "Healthgeo maintainers"}
    if cfg.get("CONTACT_URL"):
        contact["url"] = cfg["CONTACT_URL"]
    if cfg.get("CONTACT_EMAIL"):
        contact["email"] = cfg["CONTACT_EMAIL"]
    return contact


def create_app(config: dict[str, Any] | None = None) -> Flask:
    cfg = load_config(overrides=config)
    configure_logging(cfg["LOG_LEVEL"])

    app = Flask("healthgeo")
    app.config.update(
        HEALTHGEO=cfg,
        TESTING=bool(cfg.get("TESTING", False)),
        MAX_CONTENT_LENGTH=None,  # service.body_cap.BodyCap caps every body (werkzeug's limit truncates)
        MAX_FORM_MEMORY_SIZE=cfg["MAX_BODY"],
        API_TITLE="Healthgeo API",
        API_VERSION=package_version(),
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": _DESCRIPTION, "license": {"name": "Proprietary"}, "contact": _contact(cfg)},
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                              "description": "an API key"}}},
            "security": [{"bearerAuth": []}],
        },
    )

    app.wsgi_app = BodyCap(app.wsgi_app, cfg["MAX_BODY"])  # chunked and compressed bodies capped too
    store = connect(cfg)
    app.extensions["healthgeo.store"] = store
    app.extensions["healthgeo.audits"] = AuditService(
        store, cfg["FETCH_POLICY"], retention=cfg["RETENTION"], cache_ttl=cfg["CACHE_TTL"],
        robots_ttl=cfg["ROBOTS_TTL"], history_retention=cfg.get("HISTORY_RETENTION"),
        history_max=cfg.get("HISTORY_MAX", 50), budget=cfg["AUDIT_BUDGET"])

    @app.before_request
    def _start():  # registered first: request id and timer exist for every later hook and error
        g.request_id = new_request_id(request.headers.get("X-Request-ID"))
        g.started = time.perf_counter()

    init_security(app, store, cfg)

    api = _Api(app)
    from .routes import audits, batches, checks, docs, ops, pages

    api.register_blueprint(audits.blp)
    api.register_blueprint(batches.blp)
    api.register_blueprint(pages.blp)
    api.register_blueprint(checks.blp)
    api.register_blueprint(ops.blp)
    app.register_blueprint(docs.bp)
    _name_audit_request_forms(api)
    name_evidence_kinds(api)
    register_error_handlers(app)

    @app.errorhandler(MalformedBody)
    def _malformed_body(e: MalformedBody):
        return problem_of(localized_problem(400, "malformed-body", key="malformed_body", encoding=e.encoding,
                                             reason=e.reason))

    @app.errorhandler(BodyUnreadable)
    def _body_unreadable(e: BodyUnreadable):
        return problem_of(localized_problem(400, "malformed-body", key="body_unreadable", reason=e.reason))

    @app.errorhandler(UnsupportedEncoding)
    def _unsupported_encoding(e: UnsupportedEncoding):
        return problem_of(localized_problem(415, "unsupported-content-encoding", key="unsupported_encoding",
                                             encoding=e.encoding, headers={"Accept-Encoding": ", ".join(DECODERS)}))

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid:
            response.headers["X-Request-ID"] = rid
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        rule = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        started = g.get("started")
        if started is not None:
            elapsed = time.perf_counter() - started
            REQUESTS.labels(rule, request.method, str(response.status_code)).inc()
            LATENCY.labels(rule, request.method).observe(elapsed)
            if response.status_code >= 500:
                log.warning("request failed", extra={"event": "request", "method": request.method, "path": rule,
                                                     "status": response.status_code,
                                                     "ms": round(elapsed * 1000, 1),
                                                     "key_name": g.get("api_key_name")})
        return response

    log.info("app ready", extra={"event": "startup", "redis_mode": store.mode, "auth": cfg["AUTH"],
                                 "rate_limit": cfg["RATE_LIMIT"], "max_body": cfg["MAX_BODY"]})
    return app
