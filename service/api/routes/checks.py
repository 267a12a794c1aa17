"""``/v1/checks``: the check catalogue with check and category weights, what each check reads and its thresholds."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE

import scoring
from schemas import CatalogueSchema, LangQuerySchema
from scoring.i18n import catalogue
from scoring.weights import CATEGORY_WEIGHTS

from ..language import request_language, vary_headers
from .bodies import json_response

blp = Blueprint("checks", __name__, url_prefix="/v1/checks", description="The checks an audit runs.")


@blp.route("", methods=["GET"])
@blp.arguments(LangQuerySchema, location="query", as_kwargs=False, unknown=RAISE)
@blp.response(200, CatalogueSchema)
def list_checks(query: dict):
    """Every check with its category and weight, the facts it reads and the thresholds it decides by (value, unit,
    reason), and the category weights; texts in English or French."""
    lang = request_language(query.get("lang"))
    body = {"rules_version": scoring.RULES_VERSION, "category_weights": dict(CATEGORY_WEIGHTS), "lang": lang,
            "checks": catalogue(lang)}
    return json_response(body, headers=vary_headers({"Cache-Control": "private, max-age=300"}, query.get("lang")))
