"""Authorship: JAMA's authorship criterion and Google's "written or reviewed by experts" for health."""

from __future__ import annotations

from datetime import date

from ..facts.people.names import is_health_credential
from .base import Threshold, check, failed, not_applicable, passed, warned


def _people(entries: list[dict]) -> list[dict]:
    return [p for p in entries if p.get("type", "Person") == "Person"]


def _names(entries: list[dict]) -> str:
    return ", ".join(p["name"] for p in entries[:4])


def _brief(entries: list[dict]) -> list[dict]:
    return [{k: p.get(k) for k in ("name", "credentials", "url", "source", "evidence")} for p in entries[:5]]


@check("authorship.author-named",
       title="Names its author",
       how_to_fix="Show a byline with the author's full name at the top of the article ('By Jane Roe' / "
                  "'Par Jeanne Martin') and link it to the author's profile.",
       messages={"pass": "Written by {names}.",
                 "warn": "Only an organisation is named as author ({names}); no person is.",
                 "fail": "No author is named on the page."},
       reads=("authors",))
def author_named(ctx):
    authors = ctx.facts["authors"]
    people = _people(authors)
    if people:
        return passed(names=_names(people), evidence=_brief(people))
    if authors:
        return warned(names=_names(authors), evidence=_brief(authors))
    return failed()


@check("authorship.author-credentials",
       title="Gives the author's or reviewer's medical credentials",
       how_to_fix="Give the qualification after the name ('Jane Roe, MD', 'Dr Jeanne Martin, pharmacienne') "
                  "in the byline and in the author box.",
       messages={"pass": "Health credentials shown: {shown}.",
                 "warn": "Credentials shown are not health qualifications: {shown}.",
                 "fail": "No credentials are given for {names}.",
                 "na": "No named person whose credentials could be shown."}, health_only=True,
       reads=("authors", "reviewers"))
def author_credentials(ctx):
    people = _people(ctx.facts["authors"]) + _people(ctx.facts["reviewers"])
    if not people:
        return not_applicable()
    health = [f"{p['name']} ({', '.join(p['credentials'])})" for p in people
              if any(is_health_credential(c) for c in p["credentials"])]
    if health:
        return passed(shown="; ".join(health[:4]), evidence=_brief(people))
    other = [f"{p['name']} ({', '.join(p['credentials'])})" for p in people if p["credentials"]]
    if other:
        return warned(shown="; ".join(other[:4]), evidence=_brief(people))
    return failed(names=_names(people), evidence=_brief(people))


@check("authorship.author-profile",
       title="Links the author to a profile page",
       how_to_fix="Link the author's name to a profile page on the site (biography, qualifications) and add "
                  "`url` and `sameAs` (ORCID, RPPS/national register, LinkedIn) to the author's markup.",
       messages={"pass": "Profile link for {names}.",
                 "fail": "No profile link for {names}.",
                 "na": "No named author."},
       reads=("authors", "reviewers"))
def author_profile(ctx):
    people = _people(ctx.facts["authors"]) + _people(ctx.facts["reviewers"])
    if not people:
        return not_applicable()
    linked = [p for p in people if p.get("url") or p.get("same_as")]
    if linked:
        return passed(names=_names(linked), evidence=_brief(linked))
    return failed(names=_names(people), evidence=_brief(people))


@check("authorship.reviewer-named",
       title="Names a medical reviewer",
       how_to_fix="Have a health professional review the article and say so: 'Medically reviewed by "
                  "Dr Jane Roe, MD' / 'Relu et validé par le Dr Jeanne Martin'.",
       messages={"pass": "Reviewed by {names}.",
                 "warn_author_expert": "No separate reviewer, but the author is a health professional "
                                       "({names}).",
                 "fail": "No medical reviewer is named."}, health_only=True,
       reads=("reviewers", "authors"))
def reviewer_named(ctx):
    reviewers = ctx.facts["reviewers"]
    if reviewers:
        return passed(names=_names(reviewers), evidence=_brief(reviewers))
    experts = [p for p in _people(ctx.facts["authors"])
               if any(is_health_credential(c) for c in p["credentials"])]
    if experts:
        return warned("warn_author_expert", names=_names(experts), evidence=_brief(experts))
    return failed()


@check("authorship.review-date",
       title="Says when the content was last medically reviewed",
       how_to_fix="Show the date of the last medical review next to the reviewer ('Medically reviewed on "
                  "3 March 2026' / 'Relu le 3 mars 2026') and add `lastReviewed` to the markup.",
       messages={"pass": "Last reviewed on {date}.",
                 "warn_old": "Last reviewed on {date}, more than three years ago.",
                 "warn_updated": "No review date; the page was last updated on {date}.",
                 "fail": "No review or update date."}, health_only=True,
       reads=("last_reviewed", "date_modified"),
       thresholds={"max_age_days": Threshold(3 * 365, "medical content reviewed in the last three years counts "
                                                      "as current", "days")})
def review_date(ctx, threshold):
    reviewed = ctx.facts["last_reviewed"]
    if reviewed:
        try:
            age = (date.today() - date.fromisoformat(reviewed[:10])).days
        except ValueError:
            age = 0
        if age > threshold["max_age_days"]:
            return warned("warn_old", date=reviewed[:10])
        return passed(date=reviewed[:10])
    modified = ctx.facts["date_modified"]
    if modified:
        return warned("warn_updated", date=modified[:10])
    return failed()


@check("authorship.markup-person",
       title="Marks up author and reviewer as Person with name and url",
       how_to_fix="In the page's JSON-LD, give `author` (and `reviewedBy`) as a `Person` with `name` and `url` "
                  "or `sameAs`; Healthgeo's fix proposes the exact markup.",
       messages={"pass": "Author marked up as Person with a url.",
                 "warn_text": "Author marked up, but as plain text, not as a Person or Organization.",
                 "warn_no_url": "Author marked up, but without url or sameAs.",
                 "fail": "The visible author {names} is not in the markup.",
                 "na": "No named author to mark up."},
       reads=("page_node", "authors"))
def markup_person(ctx):
    node = ctx.page_node or {}
    values = node.get("author")
    values = values if isinstance(values, list) else [values] if values else []
    visible = [p for p in _people(ctx.facts["authors"]) if p["source"] != "markup"]
    if not values:
        if visible:
            return failed(names=_names(visible))
        return not_applicable()
    persons = [v for v in values if isinstance(v, dict) and v.get("@type") and v.get("name")]
    if not persons:
        return warned("warn_text", evidence=values[:3])
    if not any(v.get("url") or v.get("sameAs") for v in persons):
        return warned("warn_no_url", evidence=[v.get("name") for v in persons])
    return passed(evidence=[v.get("name") for v in persons])
