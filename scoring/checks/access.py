"""Access: a page no AI crawler may read cannot be cited, whatever its content (URL audits only)."""

from __future__ import annotations

from .base import check, failed, not_applicable, passed, warned


@check("access.ai-crawlers",
       title="AI crawlers may fetch the page",
       how_to_fix="Allow the AI search crawlers (OAI-SearchBot, ChatGPT-User, PerplexityBot, Claude-SearchBot) "
                  "in robots.txt; blocking training crawlers (GPTBot, CCBot) is a separate choice.",
       messages={"pass": "Every AI crawler may fetch the page.",
                 "warn": "Blocked for {blocked}.",
                 "fail": "No AI crawler may fetch the page ({blocked}).",
                 "na": "Audited from HTML: robots.txt not read."},
       reads=("access",))
def ai_crawlers(ctx):
    access = ctx.facts.get("access")
    if not access or not access.get("robots"):
        return not_applicable()
    agents = [a for a in access["robots"]["crawlers"] if a["ai"]]
    blocked = [a["agent"] for a in agents if not a["allowed"]]
    if not blocked:
        return passed()
    if len(blocked) == len(agents):
        return failed(blocked=", ".join(blocked))
    return warned(blocked=", ".join(blocked), evidence=blocked)


@check("access.search-crawlers",
       title="Search engines may fetch the page",
       how_to_fix="Allow Googlebot and Bingbot in robots.txt: AI Overviews and Copilot answer from their "
                  "indexes.",
       messages={"pass": "Googlebot and Bingbot may fetch the page.",
                 "fail": "Blocked for {blocked}.",
                 "na": "Audited from HTML: robots.txt not read."},
       reads=("access",))
def search_crawlers(ctx):
    access = ctx.facts.get("access")
    if not access or not access.get("robots"):
        return not_applicable()
    blocked = [a["agent"] for a in access["robots"]["crawlers"] if not a["ai"] and not a["allowed"]]
    return failed(blocked=", ".join(blocked)) if blocked else passed()


@check("access.llms-txt",
       title="Publishes /llms.txt",
       how_to_fix="Publish /llms.txt listing the site's key health pages for language models (optional, "
                  "emerging convention).",
       messages={"pass": "/llms.txt found.", "warn": "No /llms.txt.",
                 "na": "Audited from HTML: the site was not queried."},
       reads=("access",))
def llms_txt(ctx):
    access = ctx.facts.get("access")
    if not access or access.get("llms_txt") is None:
        return not_applicable()
    return passed() if access["llms_txt"] else warned()
