"""Hygiene: what SEO crawlers report and SEO teams ask about (Lighthouse's SEO and accessibility audits,
Screaming Frog): one canonical URL, reciprocal hreflang, social cards, alt text on the article's images and
link texts that name their target. Facts from scoring/facts/hygiene.py."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from babel import Locale

from ..facts.hygiene import SOCIAL_KEYS, href_kind, normalize_url
from .base import Threshold, check, failed, not_applicable, passed, warned

# Open Graph's required properties for a share card (ogp.me: title, type, image, url) plus the description the
# card shows; without a title or an image a shared link shows a bare URL.
SOCIAL_REQUIRED = ("og:title", "og:image")
# hreflang values: a language (ISO 639), optionally a script (ISO 15924) and a region (ISO 3166-1 alpha-2),
# separated by hyphens (Google: "en-GB", not "en_GB" or "en-UK"), or "x-default".
_HREFLANG = re.compile(r"(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}))?", re.I)


@cache
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    """ISO language and region codes known to CLDR (through Babel)."""
    names = Locale("en")
    languages = frozenset(code for code in names.languages if code.isalpha())
    regions = frozenset(code.lower() for code in names.territories if code.isalpha())
    return languages, regions


def valid_hreflang(code: str) -> bool:
    if code.lower() == "x-default":
        return True
    match = _HREFLANG.fullmatch(code)
    if not match:
        return False
    languages, regions = _codes()
    region = match["region"]
    return match["language"].lower() in languages and (region is None or region.lower() in regions)


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower() if url else ""


def _link(url: str, kind: str | None, text: str | None = None) -> dict[str, str | None]:
    """A URL the check points at, as the evidence's links kind reads it: `kind` says what it is to the page
    (canonical, page, og_url, alternate, image), `text` the hreflang code or the link's text."""
    return {"url": url, "text": text, "kind": kind}


def _alternates(entries: list[dict[str, str]], url_key: str = "url") -> list[dict[str, str | None]]:
    return [_link(e[url_key], "alternate", e["lang"]) for e in entries]


@check("hygiene.canonical",
       title="Declares one absolute canonical URL",
       how_to_fix="Put one <link rel=\"canonical\" href=\"https://...\"> in the <head>, with the page's own full "
                  "URL (or the URL of the page it duplicates), the same as og:url.",
       messages={"pass": "Canonical URL: {url}.",
                 "pass_other": "The canonical URL names another page: {url}.",
                 "warn_missing": "No canonical URL: search engines pick one themselves.",
                 "warn_relative": "The canonical URL is relative ({href}); give the full URL.",
                 "warn_og_url": "The canonical URL ({url}) and og:url ({og_url}) differ.",
                 "fail_several": "{count, plural, one {# canonical URL} other {# different canonical URLs}}: "
                                 "search engines ignore them all.",
                 "fail_invalid": "The canonical URL is not a web address: {href}.",
                 "fail_other_site": "The canonical URL points to another site ({url}) and og:url does not "
                                    "confirm it.",
                 "fail_root": "The canonical URL points to the home page ({url}), not to this page."},
       reads=("hygiene", "url"))
def canonical(ctx):
    hygiene = ctx.facts["hygiene"]
    found = hygiene["canonicals"]
    if not found:
        return warned("warn_missing")
    distinct = list(dict.fromkeys(normalize_url(c["url"]) or c["url"] for c in found))
    if len(distinct) > 1:
        return failed("fail_several", evidence=[_link(c, "canonical") for c in distinct[:5]], count=len(distinct))
    first = found[0]
    as_written = [_link(first["href"], "canonical")]
    url = normalize_url(first["url"])
    written = href_kind(first["href"])
    if url is None:  # a relative href on a page whose URL is unknown stays relative: not wrong, not absolute
        if written != "relative":
            return failed("fail_invalid", evidence=as_written, href=first["href"])
        return warned("warn_relative", evidence=as_written, href=first["href"])
    og_url = normalize_url(hygiene["social"].get("og:url"))
    page_url = normalize_url(ctx.facts["url"])
    against_page = [_link(url, "canonical"), _link(page_url or "", "page")]
    if page_url and _host(url) != _host(page_url) and og_url != url:
        return failed("fail_other_site", evidence=against_page, url=url)
    if page_url and url != page_url and urlsplit(url).path == "/" and urlsplit(page_url).path != "/":
        return failed("fail_root", evidence=against_page, url=url)
    if written != "absolute":
        return warned("warn_relative", evidence=as_written, href=first["href"])
    if og_url and og_url != url:
        return warned("warn_og_url", evidence=[_link(url, "canonical"), _link(og_url, "og_url")], url=url,
                      og_url=og_url)
    if page_url and url != page_url:
        return passed("pass_other", evidence=against_page, url=url)
    return passed(evidence=[_link(url, "canonical")], url=url)


@check("hygiene.hreflang",
       title="Links its language versions correctly (hreflang)",
       how_to_fix="List every language version, this page included, as <link rel=\"alternate\" hreflang=\"fr-FR\" "
                  "href=\"https://...\"> with full URLs and valid codes (language, then region: en-GB, not en-UK), "
                  "plus an x-default.",
       messages={"pass": "{count, plural, one {# language version} other {# language versions}}, this page and "
                         "x-default included.",
                 "warn_no_default": "{count, plural, one {# language version} other {# language versions}}, but "
                                    "no x-default for other languages.",
                 "fail_codes": "{count, plural, one {# invalid hreflang code} other {# invalid hreflang codes}}, "
                               "e.g. \u201c{example}\u201d.",
                 "fail_relative": "{count, plural, one {# hreflang URL is} other {# hreflang URLs are}} relative, "
                                  "e.g. {example}; give full URLs.",
                 "fail_invalid": "{count, plural, one {# hreflang URL is} other {# hreflang URLs are}} not a web "
                                 "address, e.g. {example}; give full https URLs.",
                 "fail_conflict": "The code \u201c{example}\u201d points to several URLs.",
                 "fail_no_self": "The hreflang list does not include this page ({url}).",
                 "na": "No hreflang alternates."},
       reads=("hygiene", "url"))
def hreflang(ctx):
    hygiene = ctx.facts["hygiene"]
    entries = hygiene["hreflang"]
    if not entries:
        return not_applicable()
    invalid = [e for e in entries if not valid_hreflang(e["lang"])]
    if invalid:
        return failed("fail_codes", evidence=_alternates(invalid[:5]), count=len(invalid),
                      example=invalid[0]["lang"])
    broken = [e for e in entries if href_kind(e["href"]) == "invalid"]
    if broken:
        return failed("fail_invalid", evidence=_alternates(broken[:5], "href"), count=len(broken),
                      example=broken[0]["href"])
    relative = [e for e in entries if href_kind(e["href"]) == "relative"]
    if relative:
        return failed("fail_relative", evidence=_alternates(relative[:5], "href"), count=len(relative),
                      example=relative[0]["href"])
    targets: dict[str, set[str]] = {}
    for entry in entries:
        targets.setdefault(entry["lang"].lower(), set()).add(normalize_url(entry["url"]))
    conflicts = [code for code, urls in targets.items() if len(urls) > 1]
    if conflicts:
        clashing = [e for e in entries if e["lang"].lower() in conflicts[:5]]
        return failed("fail_conflict", evidence=_alternates(clashing), example=conflicts[0])
    canonicals = hygiene["canonicals"]
    own = normalize_url(canonicals[0]["url"] if len(canonicals) == 1 else ctx.facts["url"])
    if own and not any(own in urls for urls in targets.values()):
        return failed("fail_no_self", evidence=[_link(own, "page"), *_alternates(entries)], url=own)
    evidence = _alternates(entries)
    if "x-default" not in targets:
        return warned("warn_no_default", evidence=evidence, count=len(targets))
    return passed(evidence=evidence, count=len(targets) - 1)


@check("hygiene.social-cards",
       title="Gives Open Graph and Twitter card tags",
       how_to_fix="Add og:title, og:description, og:image (a full URL), og:url and twitter:card "
                  "(\"summary_large_image\") metas so shared links show a title, a summary and a picture.",
       messages={"pass": "Open Graph and Twitter card tags are all there.",
                 "warn": "Missing: {missing}.",
                 "fail": "Shared links show no title or no picture (og:title, og:image): {missing} missing."},
       reads=("hygiene",))
def social_cards(ctx):
    social = ctx.facts["hygiene"]["social"]
    missing = [key for key in SOCIAL_KEYS if key not in social]
    given = [{"text": value, "label": None, "terms": [key]} for key, value in social.items()]
    if not missing:
        return passed(evidence=given)
    if any(key in missing for key in SOCIAL_REQUIRED):
        return failed(evidence=given, missing=", ".join(missing))
    return warned(evidence=given, missing=", ".join(missing))


@check("hygiene.image-alt",
       title="Describes the article's images (alt text)",
       how_to_fix="Give every image of the article an alt text that says what it shows (alt=\"\" only for "
                  "decorative images).",
       messages={"pass": "{total, plural, one {The article's image has} other {All # images of the article have}} "
                         "a text alternative.",
                 "warn": "{count, plural, one {# image lacks} other {# images lack}} alt text, out of {total} "
                         "({share:.0%} described).",
                 "fail": "{count, plural, one {# image lacks} other {# images lack}} alt text, out of {total} "
                         "(only {share:.0%} described).",
                 "na": "No image in the article."},
       reads=("hygiene",),
       thresholds={"pass_share": Threshold(1.0, "Lighthouse's image-alt audit (axe-core) fails on a single image "
                                                "without a text alternative: a pass needs them all"),
                   "fail_below_share": Threshold(0.5, "Yoast's image alt assessment turns red when the images "
                                                      "lack alt text altogether and orange when only some do: a "
                                                      "failure from the point where most of the article's images "
                                                      "have none")})
def image_alt(ctx, threshold):
    images = ctx.facts["hygiene"]["images"]
    total = images["total"]
    if not total:
        return not_applicable()
    share = images["with_alt"] / total
    params = {"total": total, "count": total - images["with_alt"], "share": share}
    missing = [_link(src, "image") for src in images["missing"]]
    if share >= threshold["pass_share"]:
        return passed(**params)
    if share >= threshold["fail_below_share"]:
        return warned(evidence=missing, **params)
    return failed(evidence=missing, **params)


@check("hygiene.link-texts",
       title="Link texts say where they lead",
       how_to_fix="Replace \u201cread more\u201d, \u201cclick here\u201d or \u201cen savoir plus\u201d with words "
                  "that name the target (\u201cthe NICE guideline on asthma\u201d).",
       messages={"pass": "The article's {total, plural, one {link names} other {# links name}} "
                         "{total, plural, one {its target} other {their targets}}.",
                 "warn": "{count, plural, one {# link says} other {# links say}} nothing of {count, plural, one "
                         "{its target} other {their targets}}, e.g. \u201c{example}\u201d.",
                 "fail": "{count, plural, one {# link says} other {# links say}} nothing of {count, plural, one "
                         "{its target} other {their targets}}, e.g. \u201c{example}\u201d.",
                 "na": "No link in the article."},
       reads=("hygiene",),
       thresholds={"max_vague_to_warn": Threshold(2, "Lighthouse's link-text audit fails on one non-descriptive "
                                                     "link; a stray \u201cread more\u201d under a teaser is "
                                                     "common and mild, so up to two only warn", "links")})
def link_texts(ctx, threshold):
    links = ctx.facts["hygiene"]["link_texts"]
    if not links["total"]:
        return not_applicable()
    count = links["vague"]
    if not count:
        return passed(total=links["total"])
    example = links["examples"][0]["text"] if links["examples"] else ""
    if count <= threshold["max_vague_to_warn"]:
        return warned(evidence=links["examples"], count=count, example=example)
    return failed(evidence=links["examples"], count=count, example=example)
