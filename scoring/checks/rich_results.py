"""Google's rich-result requirements (scoring/markup/rich_results.py), apart from the schema.org vocabulary."""

from __future__ import annotations

from .base import check, failed, not_applicable, passed, warned


@check("markup.rich-results",
       title="Meets Google's rich-result requirements",
       how_to_fix="Give each marked-up item what Google requires for its rich result (a name and a URL on each "
                  "breadcrumb, a rating, author and reviewed item on a review, name, thumbnail and upload date "
                  "on a video); replace data-vocabulary.org markup with schema.org. FAQPage and HowTo no longer "
                  "earn rich results: keep them only because they describe the page.",
       messages={
           "pass": "{features, plural, one {# rich-result feature meets} other {# rich-result features meet}} "
                   "Google's requirements.",
           "pass_notices": "No problem found; {names} no longer earn a rich result, so none is promised.",
           "missing-required": "{count, plural, one {# problem} other {# problems}} for Google's rich results; "
                               "first: {type} lacks the required property {alternatives}.",
           "missing-recommended": "{count, plural, one {# recommendation} other {# recommendations}} of Google's "
                                  "rich results unmet; first: {type} lacks {alternatives}.",
           "invalid-value": "{count, plural, one {# problem} other {# problems}} for Google's rich results; "
                            "first: {type} has an unreadable {property} ({value}).",
           "too-long": "{count, plural, one {# recommendation} other {# recommendations}} of Google's rich results "
                       "unmet; first: {property} of {type} runs to "
                       "{length, plural, one {# character} other {# characters}} (over {max}).",
           "too-few-items": "{count, plural, one {# recommendation} other {# recommendations}} of Google's rich "
                            "results unmet; first: {type} lists {items} (at least {min}).",
           "rating-out-of-range": "{count, plural, one {# problem} other {# problems}} for Google's rich results; "
                                  "first: {type} rating {value} outside {worst}–{best}.",
           "deprecated-vocabulary": "{count, plural, one {# problem} other {# problems}} for Google's rich results; "
                                    "first: {type} markup in {vocabulary}, which Google no longer reads.",
           "na": "No markup for a Google rich result.",
       },
       reads=("rich_results",))
def rich_results(ctx):
    facts = ctx.facts.get("rich_results") or {}
    findings = facts.get("findings", [])
    notices = facts.get("notices", [])
    if not findings and not facts.get("judged"):
        return not_applicable(evidence={"notices": notices} if notices else None)
    evidence = {"findings": findings[:20], "notices": notices}  # illustrates; the facts hold every finding
    errors = [f for f in findings if f["severity"] == "error"]
    if errors or findings:
        first = (errors or findings)[0]
        params = {**first["params"], "count": len(errors) or len(findings)}
        params.setdefault("alternatives", params.get("property", ""))
        if first["code"] == "too-few-items":
            params["items"] = first["params"]["count"]
        outcome = failed if errors else warned
        return outcome(first["code"], evidence=evidence, **params)
    if not facts.get("features"):  # only retired features (FAQPage, HowTo): valid, but nothing to promise
        return passed("pass_notices", evidence=evidence, names=", ".join(n["type"] for n in notices))
    return passed(evidence=evidence, features=len(facts["features"]))
