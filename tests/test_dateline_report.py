"""A date read from an unlabelled dateline is shown in the reader's language, never as the engine's word
"dateline" (issue 11): the check's text comes from the check i18n data, the evidence quotes the page's line."""

from __future__ import annotations

import pytest

from scoring import audit_html
from service.reports import render_page_report

DATELINES = {
    "en": ("<h1>Early peanut exposure cuts allergy risk</h1><p>Feb. 23, 2015 -- Life-threatening peanut allergies "
           "have been on the rise in the past decade.</p>", "opening the article"),
    "fr": ("<h1>Allergie à l'arachide</h1><p>23 févr. 2015 -- Les allergies graves à l'arachide sont en hausse "
           "depuis dix ans.</p>", "en tête de l’article"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_dateline_date_is_reported_in_the_readers_language(lang: str) -> None:
    body, said = DATELINES[lang]
    html = (f"<html lang='{lang}'><head><title>Page</title></head><body><main><article>{body}"
            f"<p>{'Le texte de l’article, sourcé. ' * 40}</p></article></main></body></html>")
    report = audit_html(html, url="https://example.org/health/allergy")
    assert report["facts"]["date_published"] == "2015-02-23"
    page = render_page_report(report, lang=lang)
    assert "dateline" not in page.lower()
    assert said in page  # the visible-dates check's text, from the data of the reader's language
