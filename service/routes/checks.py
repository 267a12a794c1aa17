"""``/v1/checks``: the check catalogue with check and category weights."""

from __future__ import annotations

import json

from flask import Response
from flask_smorest import Blueprint

import scoring
from schemas import CatalogueSchema
from scoring.weights import CATEGORY_WEIGHTS

blp = Blueprint("checks", __name__, url_prefix="/v1/checks", description="The checks an audit runs.")


@blp.route("", methods=["GET"])
@blp.response(200, CatalogueSchema)
def list_checks():
    """Every check with its category and weight, and the category weights."""
    body = {"rules_version": scoring.RULES_VERSION, "category_weights": dict(CATEGORY_WEIGHTS),
            "checks": scoring.catalogue()}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json",
                    headers={"Cache-Control": "private, max-age=300"})
