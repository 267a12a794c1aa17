"""``/healthz`` (liveness), ``/readyz`` (Redis answers?) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import json

from flask import Response, current_app
from flask_smorest import Blueprint

import scoring
from schemas import HealthSchema, ProblemSchema, ReadySchema

from ...version import package_version
from ..metrics import CONTENT_TYPE_LATEST, render
from ..problems import problem

blp = Blueprint("ops", __name__, description="Liveness, readiness and metrics (no API key needed).")


@blp.route("/healthz", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, HealthSchema)
def healthz():
    """Liveness: the process answers."""
    body = {"status": "ok", "version": package_version(), "rules_version": scoring.RULES_VERSION}
    return Response(json.dumps(body), mimetype="application/json", headers={"Cache-Control": "no-store"})


@blp.route("/readyz", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, ReadySchema, description="Redis answers: audits are cached and stored.")
@blp.alt_response(503, schema=ProblemSchema, content_type="application/problem+json",
                  description="Redis does not answer; single-page audits still work, uncached. The problem "
                              "document carries ready: false and the same checks member.")
def readyz():
    """Readiness: whether Redis answers (audits are then cached and stored), and whether a batch is stalled."""
    store = current_app.extensions["healthgeo.store"]
    checks = {"redis": store.ping()}
    if checks["redis"]["ok"]:
        checks["batches"] = _batches_check(store)
        return Response(json.dumps({"ready": True, "checks": checks}), mimetype="application/json",
                        headers={"Cache-Control": "no-store"})
    return problem(503, "not-ready", key="not-ready", ready=False, checks=checks, headers={"Cache-Control": "no-store"})


def _batches_check(store) -> dict:
    """Active and stalled batches (counts only: /readyz is public)."""
    from ...batches.queries import stalled_summary
    from ...batches.runtime import runtime_for

    try:
        return stalled_summary(runtime_for(store.client, store.prefix, current_app.config["HEALTHGEO"]))
    except Exception as e:  # noqa: BLE001 - Redis went away between the ping and here: say so, stay up
        return {"ok": False, "error": f"{type(e).__name__}: {e}"[:200]}


@blp.route("/metrics", methods=["GET"])
@blp.doc(security=[], responses={"200": {"description": "Prometheus text exposition format",
                            "content": {"text/plain": {"schema": {"type": "string"}}}}})
def metrics():
    """Prometheus metrics: requests and latency by endpoint and status, audits, cache hits."""
    return Response(render(), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})
