"""JUnit XML for CI systems: one test case per page, one failure per failed check.

The shape is the one Jenkins (junit-10.xsd), GitLab and the GitHub test-report actions read: ``<testsuites>`` >
``<testsuite>`` > ``<testcase name classname time>`` with ``<failure message type>`` / ``<error message type>``
children and ``<system-out>``. A page below ``--fail-under`` also gets a ``fail-under`` failure, so the gate that
stopped the build is visible in the CI's test view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..reports.env import ui_strings

SUITE_NAME = "healthgeo"
# Characters XML 1.0 cannot carry (a page's text quoted in a message may hold them): lxml refuses them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@dataclass
class PageOutcome:
    """One input as its test case needs it: what failed and the summary, or the error that stopped it. Only this
    is kept per page (not the report), so a site of any size costs memory in proportion to its failures."""

    name: str
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (type, message, body)
    summary: str = ""
    error: str | None = None
    seconds: float = 0.0


def page_outcome(name: str, report: dict, fail_under: float | None, lang: str, seconds: float) -> PageOutcome:
    """The test case of an audited page (``report`` localised to ``lang``), named by its URL when it has one."""
    strings = ui_strings(lang)
    return PageOutcome(report.get("url") or name, _failures(report, fail_under, strings), _summary(report, strings),
                       seconds=seconds)


def _failures(report: dict, fail_under: float | None, strings: dict) -> list[tuple[str, str, str]]:
    """(type, message, body) per failure: the gate first, then the failed checks, heaviest first."""
    failures = []
    if fail_under is not None and report["score"] < fail_under:
        message = strings["junit_fail_under"].format(score=f"{report['score']:.0f}", threshold=f"{fail_under:g}")
        failures.append(("fail-under", message, message))
    failed = [c for c in report.get("checks", []) if c["status"] == "fail"]
    failed.sort(key=lambda c: -c["weight"])
    for check in failed:
        body = f"{check['message']}\n{strings['text_fix']} {check['how_to_fix']}"
        message = strings["junit_failure"].format(title=check["title"], message=check["message"])
        failures.append((check["id"], message, body))
    return failures


def _summary(report: dict, strings: dict) -> str:
    lines = [strings["text_score_line"].format(score=f"{report['score']:.0f}", grade=report["grade"])]
    for check in report.get("checks", []):
        if check["status"] == "warn":
            lines.append(f"WARN {check['id']}: {check['message']}")
    return "\n".join(lines)


def junit_xml(outcomes: list[PageOutcome]) -> bytes:
    """The JUnit document: one test case per outcome, in order."""
    root = etree.Element("testsuites", name=SUITE_NAME)
    suite = etree.SubElement(root, "testsuite", name=SUITE_NAME)
    failed_cases = error_cases = 0
    total_time = 0.0
    for outcome in outcomes:
        total_time += outcome.seconds
        case = etree.SubElement(suite, "testcase", name=_xml(outcome.name), classname=SUITE_NAME,
                                time=f"{outcome.seconds:.3f}")
        if outcome.error is not None:
            error_cases += 1
            message = _xml(outcome.error)
            etree.SubElement(case, "error", message=message, type="input").text = message
            continue
        failed_cases += bool(outcome.failures)
        for kind, message, body in outcome.failures:
            etree.SubElement(case, "failure", message=_xml(message), type=kind).text = _xml(body)
        etree.SubElement(case, "system-out").text = _xml(outcome.summary)
    counts = {"tests": str(len(outcomes)), "failures": str(failed_cases), "errors": str(error_cases),
              "time": f"{total_time:.3f}"}
    for node in (root, suite):
        node.attrib.update(counts)
    suite.set("skipped", "0")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
