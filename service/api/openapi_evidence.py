"""The evidence kinds in the OpenAPI document: one named schema each, and the check result's ``evidence`` as a
``oneOf`` of them with ``kind`` as discriminator (marshmallow has no polymorphic field apispec could read)."""

from __future__ import annotations

import flask_smorest

from schemas.evidence import EVIDENCE_SCHEMAS


def component_name(kind: str) -> str:
    return f"{kind.title()}Evidence"


def name_evidence_kinds(api: flask_smorest.Api) -> None:
    """Register every evidence kind's schema and point ``CheckResult.evidence`` at them."""
    components = api.spec.components
    for kind, schema in EVIDENCE_SCHEMAS.items():
        if component_name(kind) not in components.schemas:
            components.schema(component_name(kind), schema=schema)
    check_result = components.schemas.get("CheckResult")
    if check_result is None:
        return
    refs = {kind: f"#/components/schemas/{component_name(kind)}" for kind in EVIDENCE_SCHEMAS}
    described = check_result["properties"].get("evidence", {}).get("description", "")
    check_result["properties"]["evidence"] = {
        "description": described,
        "oneOf": [{"$ref": ref} for ref in refs.values()] + [{"type": "null"}],
        "discriminator": {"propertyName": "kind", "mapping": refs},
    }
