"""Query options shared by the endpoints that speak the reader's language."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields

LANG_DOC = ("language of titles, messages and how-to-fix texts: en or fr; by default the best match of "
            "Accept-Language; any other value means en")


def lang_field() -> fields.String:
    return fields.String(metadata={"description": LANG_DOC, "example": "fr"})


class LangQuerySchema(Schema):
    class Meta:
        unknown = RAISE  # an unknown option is a mistake worth a 422, as on POST /v1/audits

    lang = lang_field()
