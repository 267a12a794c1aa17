"""Re-scoring a saved report's facts under the current rules (scoring/rescore.py), offline."""

from __future__ import annotations

from scoring import RULES_VERSION, audit_html
from scoring.compare import compare_reports
from scoring.rescore import compare_across_rules, rescore
from tests.test_compare import GOOD, URL, _changed


def test_rescoring_a_report_made_by_the_current_rules_gives_it_back():
    report = audit_html(GOOD, url=URL)
    again, outcome = rescore(report)
    assert again["score"] == report["score"] and again["categories"] == report["categories"]
    assert outcome["skipped"] == [] and len(outcome["rescored"]) + len(outcome["kept"]) == len(report["checks"])
    assert "markup.jsonld-syntax" in outcome["kept"]  # it reads the page's JSON-LD blocks, which a report lacks
    assert "authorship.reviewer-named" in outcome["rescored"]


def test_old_rules_are_rescored_from_the_facts_and_said():
    old = audit_html(GOOD, url=URL)
    old["rules_version"] = "2025.01+000000000000"
    # the old rules judged the reviewer differently: a status the current rules would not give
    for check in old["checks"]:
        if check["id"] == "authorship.reviewer-named":
            check["status"] = "fail"
    new = audit_html(_changed(GOOD), url=URL)
    plain = compare_reports(old, new)
    across = compare_across_rules(old, new, old_id="a1")
    assert "authorship.reviewer-named" in plain["checks"]["stopped_failing"]  # unlike with unlike
    assert "authorship.reviewer-named" not in across["checks"]["stopped_failing"]  # like with like
    assert across["rules_changed"] and across["rules_version"]["after"] == RULES_VERSION
    assert "authorship.reviewer-named" in across["rescored"]["rescored"]


def test_nothing_is_rescored_when_the_rules_are_the_same_or_the_new_report_is_not_current():
    old, new = audit_html(GOOD, url=URL), audit_html(_changed(GOOD), url=URL)
    assert compare_across_rules(old, new)["rescored"] is None
    stale = {**new, "rules_version": "2024.01+111111111111"}
    assert compare_across_rules({**old, "rules_version": "2023.01"}, stale)["rescored"] is None


def test_a_check_the_saved_facts_cannot_feed_keeps_its_old_status():
    old = audit_html(GOOD, url=URL)
    old["rules_version"] = "old"
    del old["facts"]["citations"]  # an older report shape
    _, outcome = rescore(old)
    assert "sourcing.authoritative-citations" in outcome["kept"]
    assert rescore({"score": 50}) is None
