"""Access beyond robots.txt: is the page's content in its raw HTML, and does the page answer AI crawlers?

AI crawlers run no JavaScript (the audit's facts are the raw page's: what they see), and CDNs and firewalls
may turn them away whatever robots.txt says. Both checks read what the service measured (``facts.access``:
``rendering`` when the page was rendered, ``bots`` when AI crawlers were probed); without rendering, the raw
HTML alone can still betray an application shell.
"""

from __future__ import annotations

from ..facts.rendering import FACTS, detect_app_shell
from .base import Threshold, check, failed, not_applicable, passed, warned

_SERVER_RENDERED_FIX = ("Render the article on the server (server-side rendering or static generation): its text, "
                        "byline, dates and JSON-LD must be in the HTML the server sends, not added by JavaScript.")


@check("access.server-rendered",
       title="The article is in the HTML that AI crawlers read (no JavaScript needed)",
       how_to_fix=_SERVER_RENDERED_FIX,
       messages={
           "pass_rendered": "The raw HTML holds the article's text, byline, dates and JSON-LD as the rendered page "
                            "shows them.",
           "pass_raw": "The raw HTML holds the article ({words, plural, one {# word} other {# words}}); not rendered "
                       "to compare.",
           "warn_partial": "{share:.0%} of the article's words appear only after JavaScript runs.",
           "warn_shell": "The raw HTML looks like an application shell ({words, plural, one {# word} "
                         "other {# words}}, content loaded by script): AI crawlers may see an empty page.",
           "fail_text": "{share:.0%} of the article's words appear only after JavaScript runs{others, plural, "
                        "=0 {} one { (and # other fact)} other { (and # other facts)}}: AI crawlers do not see them.",
           "fail_author": "The author appears only after JavaScript runs{others, plural, =0 {} one { (and # other "
                          "fact)} other { (and # other facts)}}: AI crawlers do not see it.",
           "fail_date": "The page's date appears only after JavaScript runs{others, plural, =0 {} one { (and # "
                        "other fact)} other { (and # other facts)}}: AI crawlers do not see it.",
           "fail_jsonld": "JSON-LD is added only by JavaScript{others, plural, =0 {} one { (and # other fact)} "
                          "other { (and # other facts)}}: AI crawlers do not see it.",
           "na": "Audited from HTML: not rendered, and the HTML is not an application shell."},
       reads=("access", "page"),
       thresholds={"partial_share": Threshold(0.2, "a fifth of the rendered article's words absent from the raw HTML "
                                                   "is a sizeable part, such as a section, the FAQ or references "
                                                   "loaded by script, that AI crawlers never see; from half, the "
                                                   "text itself counts as missing",
                                                   "share of words")})
def server_rendered(ctx, threshold):
    access = ctx.facts.get("access") or {}
    rendering = access.get("rendering")
    if rendering and rendering.get("compared"):
        missing = [f for f in FACTS if f in rendering["missing"]]
        evidence = {"raw": rendering["raw"], "rendered": rendering["rendered"], "missing": missing,
                    "rendered_only_share": rendering["rendered_only_share"]}
        if missing:
            return failed(f"fail_{missing[0]}", evidence, share=rendering["rendered_only_share"],
                          others=len(missing) - 1)
        if rendering["rendered_only_share"] >= threshold["partial_share"]:
            return warned("warn_partial", evidence, share=rendering["rendered_only_share"])
        return passed("pass_rendered", evidence)
    shell = detect_app_shell(ctx.page)
    if shell["shell"]:
        return warned("warn_shell", shell, words=shell["words"])
    if not access:  # an HTML audit: nothing says how the page is served
        return not_applicable()
    return passed("pass_raw", {"words": ctx.page.word_count}, words=ctx.page.word_count)


@check("access.bot-responses",
       title="AI crawlers get the page a browser gets",
       how_to_fix="Let AI crawlers through the CDN or firewall (bot management, WAF rules, rate limits): answer "
                  "GPTBot, OAI-SearchBot, ChatGPT-User, ClaudeBot, PerplexityBot and the others with the page a "
                  "browser gets, not a 403 or a challenge; keep robots.txt as the place where you choose.",
       messages={
           "pass": "Each of the {count, plural, one {# AI crawler} other {# AI crawlers}} probed got the page a "
                   "browser gets.",
           "warn": "{problems, plural, one {# AI crawler of {count} did not get} other {# AI crawlers of {count} did "
                   "not get}} the page a browser gets: {agents}.",
           "fail": "No AI crawler probed got the page a browser gets: {agents}.",
           "na": "AI crawlers were not probed (probe_bots option).",
           "na_browser": "The page did not answer a browser either: nothing to compare with."},
       reads=("access",))
def bot_responses(ctx):
    probe = (ctx.facts.get("access") or {}).get("bots")
    if not probe:
        return not_applicable()
    if not probe["comparable"]:
        return not_applicable("na_browser", probe["browser"])
    evidence = [{k: b.get(k) for k in ("agent", "verdict", "status", "bytes", "similarity", "markers")}
                for b in probe["bots"]]
    problems = [b for b in probe["bots"] if b["verdict"] != "served"]
    count = len(probe["bots"])
    agents = ", ".join(f"{b['agent']} ({b['verdict']})" for b in problems)
    if not problems:
        return passed(evidence=evidence, count=count)
    if all(b["verdict"] in ("blocked", "challenged") for b in probe["bots"]):
        return failed(evidence=evidence, agents=agents)
    return warned(evidence=evidence, problems=len(problems), count=count, agents=agents)
