"""The JSON-LD fix: what it adds, keeps, corrects and removes; that it invents nothing; the round trip
(paste the script, audit again: no schema.org error, markup checks pass unless the data is missing);
apply_fix at string level; the `healthgeo fix` command."""

from __future__ import annotations

import html as htmlmod
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from scoring import audit_html
from scoring.facts.dates.text import parse_date
from scoring.facts.language import normalize_lang
from scoring.fix.apply import apply_fix, apply_fix_bytes, fix_removals, render_script
from scoring.fix.build import build_fix, fix_html
from scoring.markup.graph import export_nodes
from scoring.markup.jsonld import parse_jsonld_text
from scoring.markup.structured import extract_structured
from scoring.markup.vocab import enumerations_of
from scoring.page.index import element_text
from scoring.page.model import Page
from scoring.page.parse import decode_html
from service.cli import fix as cli_fix
from service.cli import main as cli

from .conftest import FIXTURES, fixture_html

PAGES = ["en_good_article.html", "en_poor_article.html", "fr_good_article.html", "fr_poor_article.html",
         "en_mixed_article.html", "fr_recipe.html"]
FIX_PAGES = ["en_bare_article.html", "en_yoast_article.html", "fr_microdata_article.html", "en_rdfa_article.html"]
ALL = [("pages", n) for n in PAGES] + [("fix", n) for n in FIX_PAGES] + [
    (folder, p.name) for folder in ("audience", "compliance") for p in sorted((FIXTURES / folder).glob("*.html"))]
SYNTAX_CODES = ("jsonld-syntax", "microdata-syntax")
MARKUP_CHECKS = ("markup.", "authorship.markup-person")


def page_bytes(folder: str, name: str) -> bytes:
    return fixture_html(name) if folder == "pages" else (FIXTURES / folder / name).read_bytes()


@cache
def fixed(folder: str, name: str, url: str | None = None) -> dict:
    return fix_html(page_bytes(folder, name), url)


def graph(fix: dict) -> list[dict]:
    return fix["jsonld"]["@graph"]


def types_of(node: dict) -> list[str]:
    t = node.get("@type", [])
    return t if isinstance(t, list) else [t]


def page_node(fix: dict) -> dict:
    nodes = [n for n in graph(fix) if set(types_of(n)) & {"MedicalWebPage", "WebPage", "Recipe", "Article"}]
    assert len(nodes) == 1, [types_of(n) for n in graph(fix)]
    return nodes[0]


def by_id(fix: dict, ident: str) -> dict:
    for node in _walk(fix["jsonld"]):
        if node.get("@id") == ident and len(node) > 1:
            return node
    raise KeyError(ident)


def _walk(value):
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def resolve(fix: dict, value):
    if isinstance(value, dict) and set(value) == {"@id"}:
        return by_id(fix, value["@id"])
    return value


def missing_props(fix: dict) -> set[str]:
    return {m["property"] for m in fix["missing"]}


# ---------------------------------------------------------------- round trip


def roundtrip_problems(html: bytes, url: str | None = None) -> list[str]:
    """Apply the fix as `--apply` does (the script in place of the page's JSON-LD, the microdata/RDFa statements it
    removes taken out) and audit again: what is still wrong and not explained by `missing` (data only the editor can
    give) or `unfixed` (microdata/RDFa the fix leaves alone, and no longer what it removed)."""
    report = audit_html(html, url)
    fix = report["fix"]
    again = audit_html(apply_fix(html, fix["script"], fix_removals(fix)), url)
    allowed = {c for item in fix["missing"] + fix["unfixed"] for c in item["checks"]}
    unfixed = {(u["code"], u["property"]) for u in fix["unfixed"] if "remove" not in u}
    problems = []
    sd = again["facts"]["structured_data"]
    for err in sd["errors"]:
        if err["code"] == "jsonld-syntax":
            problems.append(f"our JSON-LD does not parse: {err['message']}")
        elif err.get("syntax") in ("microdata", "rdfa") and (err["code"], err.get("property") or "@type") in unfixed:
            continue
        elif err["code"] == "microdata-syntax" and ("microdata-syntax", "@type") in unfixed:
            continue
        else:
            problems.append(f"error {err['code']} ({err.get('syntax')}) on {err.get('node')}: {err['message']}")
    for check in again["checks"]:
        if not check["id"].startswith(MARKUP_CHECKS):
            continue
        if check["status"] != "pass" and check["id"] not in allowed:
            problems.append(f"{check['id']} {check['status']}: {check['message']}")
    if "json-ld" not in sd["syntaxes"]:
        problems.append("the fixed page has no JSON-LD")
    return problems


@pytest.mark.parametrize(("folder", "name"), ALL)
def test_round_trip(folder, name):
    assert roundtrip_problems(page_bytes(folder, name)) == []


@pytest.mark.parametrize("name", ["en_poor_article.html", "fr_recipe.html", "en_mixed_article.html"])
def test_round_trip_with_a_page_url(name):
    assert roundtrip_problems(fixture_html(name), "https://www.example.org/health/page") == []


# ---------------------------------------------------------------- nothing invented

SKIP_KEYS = frozenset({"@context", "@type", "@id", "propertyID"})
DATE_KEYS = frozenset({"datePublished", "dateModified", "lastReviewed", "dateCreated", "uploadDate", "startDate",
                       "endDate", "expires", "birthDate", "dateline"})
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    for _ in range(3):  # entities escaped twice ("&amp;#34;") are decoded by the fix too
        text = htmlmod.unescape(text)
    return _WS.sub(" ", text).strip().casefold()


def _url_key(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url
    return host + unquote(parts.path).rstrip("/")


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in SKIP_KEYS:
                yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _collect(value, out: list[str]) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _collect(v, out)
    elif isinstance(value, list):
        for v in value:
            _collect(v, out)
    elif isinstance(value, str):
        out.append(value)


def _origin_key(url: str) -> str | None:
    parts = urlsplit(url)
    return _url_key(f"{parts.scheme}://{parts.netloc}/") if parts.scheme in ("http", "https") and parts.netloc \
        else None


def page_evidence(raw: bytes, url: str | None):
    """Everything the page says: its source text (entities decoded), its visible text, its markup's strings,
    the URLs of its attributes (and their sites' origins), and every date written in it."""
    text, _ = decode_html(raw)
    page = Page.parse(raw, url)
    markup: list[str] = []
    _collect(export_nodes(extract_structured(page.root, page.url).nodes), markup)
    for script in page.root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            _collect(parse_jsonld_text(script.text)[0], markup)
    haystack = "\n".join([_norm(text), _norm(element_text(page.root)), _norm("\n".join(markup))])
    urls: set[str] = set()
    values = [v for el in page.root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    for value in values + markup + [u for u in (url, page.canonical) if u]:
        value = value.strip()
        if value and " " not in value and ("/" in value or "." in value):
            full = urljoin(page.url, value) if page.url else value
            urls.add(_url_key(full))
            origin = _origin_key(full)
            if origin:
                urls.add(origin)
    dates: set[str] = set()
    written = element_text(page.root) + "\n" + "\n".join(values)
    for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", written):
        for back in (30, 22, 16, 12, 9, 6, 0):
            window = written[max(0, m.start() - back): m.end() + 6]
            for day_first in (False, True):
                parsed = parse_date(window, day_first=day_first)
                if parsed:
                    dates.add(parsed[0][:10])
    return haystack, urls, dates, page


def invented_values(raw: bytes, url: str | None, fix: dict) -> list[str]:
    """Strings of fix.jsonld that the page does not contain (text, URL, or date by its day)."""
    haystack, urls, dates, page = page_evidence(raw, url)
    language = audit_html(raw, url, include=("facts",))["facts"]["language"]
    out = []
    for key, value in _strings(fix["jsonld"]):
        v = value.strip()
        if not v:
            continue
        if key == "audienceType" and "MedicalAudienceType" in enumerations_of(v):
            continue  # a schema.org category (Clinician), like @type: the audience's evidence is tested apart
        if key == "inLanguage":
            if normalize_lang(v) != language and _norm(v) not in haystack:
                out.append(f"inLanguage {v}")
            continue
        if key in DATE_KEYS and re.match(r"^\d{4}-\d{2}(-\d{2})?($|T)", v):
            day = v[:10]
            if day in dates or _norm(day) in haystack or any(d.startswith(day) for d in dates):
                continue
            out.append(f"{key}: date {v}")
            continue
        if v.startswith(("http://", "https://")) or key in ("url", "item", "sameAs"):
            if _url_key(v) not in urls and _norm(v) not in haystack:
                out.append(f"{key}: URL {v}")
            continue
        if _norm(v) in haystack:
            continue
        if all(_norm(part) in haystack for part in re.split(r",\s*", v) if part.strip()):
            continue  # "MD, PhD" from "Jane Roe, MD, PhD"
        out.append(f"{key}: {v[:100]!r}")
    return out


@pytest.mark.parametrize(("folder", "name"), ALL)
def test_nothing_invented(folder, name):
    raw = page_bytes(folder, name)
    assert invented_values(raw, None, fixed(folder, name)) == []


def test_nothing_invented_with_a_page_url():
    raw = fixture_html("en_mixed_article.html")
    url = "https://www.example.org/allergies/seasonal"
    fix = fix_html(raw, url)
    assert page_node(fix)["url"] == url
    assert invented_values(raw, url, fix) == []


def test_the_invention_detector_detects():
    raw = fixture_html("en_good_article.html")
    fix = json.loads(json.dumps(fixed("pages", "en_good_article.html")))
    node = page_node(fix)
    node["lastReviewed"] = "2019-07-14"
    node["reviewedBy"] = {"@type": "Person", "name": "Zebulon Quixote"}
    node["sameAs"] = "https://elsewhere.example/zebulon"
    found = invented_values(raw, None, fix)
    assert any("2019-07-14" in f for f in found)
    assert any("Zebulon" in f for f in found)
    assert any("elsewhere.example" in f for f in found)


# ---------------------------------------------------------------- what the fix says, page by page


def test_good_page_is_kept():
    fix = fixed("pages", "en_good_article.html")
    node = page_node(fix)
    assert types_of(node) == ["MedicalWebPage"]
    assert node["@id"] == "https://www.example-health.org/conditions/high-blood-pressure#webpage"
    assert node["headline"] == "High blood pressure: symptoms, causes and treatment"
    assert node["lastReviewed"] == "2026-03-01"
    assert node["datePublished"] == "2025-01-10T08:00:00+00:00"
    assert node["author"]["name"] == "Jane Roe" and node["author"]["honorificSuffix"] == "MD"
    assert node["reviewedBy"]["name"] == "Paul Smith" and node["reviewedBy"]["honorificSuffix"] == "MD, PhD"
    assert node["about"] == {"@type": "MedicalCondition", "name": "Hypertension"}
    assert node["publisher"] == {"@id": "https://www.example-health.org/#org"}  # the site's own @id
    org = by_id(fix, "https://www.example-health.org/#org")
    assert org["logo"]["url"] == "https://www.example-health.org/logo.png"
    assert by_id(fix, "https://www.example-health.org/#website")["name"] == "Example Health"
    assert not [c for c in fix["changes"] if c["action"] in ("correct", "remove")]
    assert fix["missing"] == []
    # the citation it already had is kept; the page's other authoritative sources are added
    urls = [c if isinstance(c, str) else c.get("url") for c in node["citation"]]
    assert urls[0] == "https://doi.org/10.1056/NEJMoa1511939"
    assert "https://www.who.int/news-room/fact-sheets/detail/hypertension" in urls
    pubmed = next(c for c in node["citation"] if isinstance(c, dict) and "pubmed" in c.get("url", ""))
    assert pubmed["identifier"] == {"@type": "PropertyValue", "propertyID": "PMID", "value": "29133356"}


def test_poor_page_author_becomes_a_person_and_bad_values_go():
    fix = fixed("pages", "en_poor_article.html")
    node = page_node(fix)
    assert types_of(node) == ["MedicalWebPage", "Article"]
    author = node["author"]
    assert author["@type"] == "Person" and author["name"] == "Mark Seller"
    assert author["honorificPrefix"] == "Dr" and author["honorificSuffix"] == "MD"
    assert node["inLanguage"] == "en"  # the markup said fr; the page is in English
    assert "datePublished" not in node  # "March 3rd 2024" is not ISO and the page does not show it
    removed = [c for c in fix["changes"] if c["action"] == "remove" and c["property"] == "datePublished"]
    assert removed and removed[0]["value"] == "March 3rd 2024"
    assert "datePublished" in missing_props(fix)
    corrected = {c["property"] for c in fix["changes"] if c["action"] == "correct"}
    assert {"author", "inLanguage", "@type"} <= corrected
    reviewer = next(m for m in fix["missing"] if m["property"] == "reviewedBy")
    assert "no medical reviewer is named on the page" in reviewer["message"]
    assert "markup.health-properties" in reviewer["checks"]
    assert {"lastReviewed", "publisher", "description", "url", "author.url"} <= missing_props(fix)
    # the unrepairable second block is reported, and no URL means relative identifiers
    assert any(c["action"] == "remove" and "could not be repaired" in c["reason"] and c["path"] == "JSON-LD"
               for c in fix["changes"])
    assert node["@id"] == "#webpage"


def test_bare_page_gets_the_whole_graph_from_the_page():
    fix = fixed("fix", "en_bare_article.html")
    site = "https://www.clearwell-health.example/"
    node = page_node(fix)
    assert types_of(node) == ["MedicalWebPage"]
    assert node["@id"] == f"{site}conditions/asthma-adults#webpage"
    assert node["url"] == f"{site}conditions/asthma-adults"
    assert node["inLanguage"] == "en-GB"
    assert (node["datePublished"], node["dateModified"], node["lastReviewed"]) == ("2026-01-05", "2026-02-20",
                                                                                    "2026-03-01")
    author = node["author"]
    assert author == {"@type": "Person", "@id": f"{site}team/anna-lee#person", "name": "Anna Lee",
                      "url": f"{site}team/anna-lee", "honorificPrefix": "Dr", "honorificSuffix": "M.D."}
    reviewer = node["reviewedBy"]
    assert reviewer["name"] == "Sam Kim" and reviewer["honorificPrefix"] == "Prof"
    assert reviewer["honorificSuffix"] == "PhD"
    assert node["image"] == "https://www.clearwell-health.example/images/asthma-card.jpg"
    website, org = graph(fix)[0], graph(fix)[1]
    assert website == {"@type": "WebSite", "@id": f"{site}#website", "url": site, "name": "Clearwell Health",
                       "publisher": {"@id": f"{site}#organization"}}
    assert org == {"@type": "Organization", "@id": f"{site}#organization", "name": "Clearwell Health", "url": site}
    assert node["publisher"] == {"@id": f"{site}#organization"} and node["isPartOf"] == {"@id": f"{site}#website"}
    logo = next(m for m in fix["missing"] if m["property"] == "publisher.logo")
    assert "favicon" in logo["message"]  # <link rel=icon> is not a logo
    crumbs = node["breadcrumb"]["itemListElement"]
    assert [(c["position"], c["name"], c.get("item")) for c in crumbs] == [
        (1, "Home", site), (2, "Conditions", f"{site}conditions"), (3, "Asthma in adults", None)]
    cites = node["citation"]
    ids = {(c["identifier"]["propertyID"], c["identifier"]["value"]): c.get("url") for c in cites if "identifier" in c}
    assert ids[("DOI", "10.1056/NEJMoa1715275")] == "https://doi.org/10.1056/NEJMoa1715275"
    assert ids[("PMID", "31234567")] == "https://pubmed.ncbi.nlm.nih.gov/31234567/"
    # a DOI only written in the text: its identifier, no URL the page does not give
    assert ids[("DOI", "10.1183/13993003.02730-2021")] is None
    assert {"about", "audience"} <= missing_props(fix)
    assert "reviewedBy" not in missing_props(fix) and "lastReviewed" not in missing_props(fix)


def test_french_page_keeps_its_people_and_ids():
    fix = fixed("pages", "fr_good_article.html")
    node = page_node(fix)
    assert node["@id"] == "https://www.exemple-sante.fr/maladies/diabete-type-2#page"
    assert node["author"]["name"] == "Claire Dubois" and node["author"]["jobTitle"] == "Diététicienne"
    reviewer = node["reviewedBy"]
    assert reviewer["name"] == "Marc Lefèvre" and reviewer["honorificPrefix"] == "Dr"
    assert node["lastReviewed"] == "2026-02-01"
    assert node["publisher"]["@id"] == "https://www.exemple-sante.fr/#organization"
    website = graph(fix)[0]
    assert website["name"] == "Exemple Santé"  # from the publisher, the page has no og:site_name
    assert missing_props(fix) == {"publisher.logo"}


def test_french_poor_page_lists_what_is_missing():
    fix = fixed("pages", "fr_poor_article.html")
    node = page_node(fix)
    assert types_of(node) == ["MedicalWebPage"]
    assert node["inLanguage"] == "fr"  # the text is French although <html lang="en">
    assert node["headline"] == "Maigrir vite grâce à notre cure"
    assert "author" not in node and "reviewedBy" not in node
    assert {"author", "reviewedBy", "lastReviewed", "datePublished", "citation"} <= missing_props(fix)
    author = next(m for m in fix["missing"] if m["property"] == "author")
    assert "markup.health-properties" in author["checks"]


def test_recipe_stays_a_recipe():
    fix = fixed("pages", "fr_recipe.html")
    node = page_node(fix)
    assert types_of(node) == ["Recipe"]
    assert not any("MedicalWebPage" in types_of(n) for n in _walk(fix["jsonld"]))
    assert "reviewedBy" not in node and "lastReviewed" not in node
    assert node["recipeIngredient"] == ["250 g de farine", "4 pommes", "100 g de beurre"]
    assert node["author"]["name"] == "Sophie Martin"
    assert node["description"].startswith("Une tarte aux pommes facile")
    assert node["@id"] == "#recipe"
    assert "reviewedBy" not in missing_props(fix) and "lastReviewed" not in missing_props(fix)


def test_mixed_page_author_without_profile_link():
    fix = fixed("pages", "en_mixed_article.html")
    node = page_node(fix)
    assert node["author"] == {"@type": "Person", "@id": "#author-1", "name": "Tom Baker"}
    assert node["datePublished"] == "2026-04-02"
    link = next(m for m in fix["missing"] if m["property"] == "author.url")
    assert "Tom Baker" in link["message"] and "authorship.markup-person" in link["checks"]


def test_yoast_graph_merged_and_cleaned():
    fix = fixed("fix", "en_yoast_article.html")
    base = "https://northfield-clinic.example/"
    page_url = f"{base}health/iron-deficiency-anaemia/"
    pages = [n for n in graph(fix) if {"WebPage", "MedicalWebPage", "Article"} & set(types_of(n))]
    assert len(pages) == 1  # the WebPage and the Article describe one page: one node
    node = pages[0]
    assert types_of(node) == ["MedicalWebPage", "Article"]
    assert node["@id"] == page_url  # the site's own identifier of the page
    assert "mainEntityOfPage" not in node
    assert node["isPartOf"] == {"@id": f"{base}#website"}
    assert node["datePublished"] == "2026-01-08"  # "January 8, 2026", shown on the page
    assert node["dateModified"] == "2026-02-02"  # the markup said 2026-01-01; the page shows 2 February
    assert node["name"] == "Iron deficiency anaemia • Northfield Clinic"  # &bull; decoded
    assert node["keywords"] == "anaemia, iron"  # keyWords: a case slip
    assert node["significantLink"] == f"{base}health/anaemia/"  # significantLinks is superseded
    assert "authorName" not in node and node["wordCount"] == 412 and node["articleSection"] == ["Blood"]
    person = resolve(fix, node["author"])
    assert person["name"] == "Jane Roe" and person["honorificPrefix"] == "Dr" and person["honorificSuffix"] == "MD"
    assert person["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    org = resolve(fix, node["publisher"])
    assert org["@type"] == "MedicalOrganization" and org["contactPoint"]["telephone"] == "+44 20 7946 0000"
    image = by_id(fix, f"{page_url}#primaryimage")
    assert image["url"] == f"{base}img/iron.jpg" and "contentUrl" not in image  # "not a url at all" removed
    assert by_id(fix, f"{page_url}#breadcrumb")["itemListElement"][0]["name"] == "Home"
    assert by_id(fix, f"{base}#website")["potentialAction"]["@type"] == "SearchAction"
    reasons = {(c["action"], c["property"]) for c in fix["changes"]}
    assert {("correct", "keywords"), ("remove", "authorName"), ("remove", "contentUrl"),
            ("correct", "significantLink"), ("correct", "dateModified"), ("correct", "name")} <= reasons
    assert fix["unfixed"] == []


def test_microdata_rejected_statements_removed_the_rest_reported():
    raw = page_bytes("fix", "fr_microdata_article.html")
    fix = fixed("fix", "fr_microdata_article.html")
    node = page_node(fix)
    assert types_of(node) == ["MedicalWebPage", "Article"]
    assert node["@id"].endswith("#webpage")  # not the microdata itemid: the two are not merged back
    assert node["author"]["name"] == "Jeanne Martin" and node["author"]["jobTitle"] == "pharmacienne"
    assert node["author"]["honorificPrefix"] == "Dr"
    assert node["datePublished"] == "2025-03-04"
    assert "dateModified" not in node  # "2025-13-40" is no date
    removals = {(u["syntax"], u["code"], u["property"]): u.get("remove") for u in fix["unfixed"]}
    assert removals[("microdata", "invalid-date", "dateModified")] == [
        {"attribute": "itemprop", "value": "dateModified", "line": 15,
         "tag": '<meta itemprop="dateModified" content="2025-13-40">'}]
    assert removals[("microdata", "invalid-date", "datePublished")] == [
        {"attribute": "itemprop", "value": "datePublished", "line": 14,
         "tag": '<time itemprop="datePublished" datetime="le 4 mars 2025">'}]
    # warnings name statements that are still read (the author): the editor decides, nothing is removed
    assert removals[("microdata", "author-name-has-title", "author")] is None
    out = apply_fix(raw, fix["script"], fix_removals(fix))
    assert out.count("itemscope") == raw.decode().count("itemscope") == 1
    assert '<meta content="2025-13-40">' in out and '<time datetime="le 4 mars 2025">Publié' in out
    assert 'itemprop="author"' in out


def test_fix_is_stable_on_the_fixed_page():
    """Run on its own output, the fix keeps its graph: nothing left to correct or remove."""
    for folder, name in ALL:
        fix = fixed(folder, name)
        again = fix_html(apply_fix(page_bytes(folder, name), fix["script"], fix_removals(fix)))
        assert again["jsonld"] == fix["jsonld"], name
        actions = {c["action"] for c in again["changes"] if c["path"].startswith("JSON-LD block") is False}
        assert actions <= {"keep", "add"}, (name, [c for c in again["changes"] if c["action"] not in ("keep", "add")])


WEIRD_MARKUP = [
    {"@context": "https://schema.org", "@type": "MedicalWebPage", "@id": 5,
     "author": [[{"@type": "Person", "name": ["Dr. Ann Berg, MD", "x"]}], "Carl Dunn"],
     "datePublished": {"@value": "2024-01-01"}, "citation": {"@list": ["https://doi.org/10.1000/xyz", {"@id": "#c"}]},
     "reviewedBy": None, "name": True},
    {"@context": "https://schema.org", "@graph": [
        "text", 5, {"@type": ["WebPage", 3], "@id": "#p", "isPartOf": {"@id": "#p"}, "mainEntity": {"@id": "#p"},
                    "author": {"@id": "#x"}},
        {"@id": "#x", "@type": "Person", "name": "Jo Smith", "knows": {"@id": "#x"}}]},
    {"@context": {"@vocab": "http://schema.org/", "dc": "http://purl.org/dc/terms/"}, "@type": "Article",
     "dc:title": "x", "headline": {"@type": "Thing"}, "author": {"@type": "Physician", "name": "Dr Who"},
     "datePublished": 2024, "dateModified": "yesterday", "lastReviewed": "2024-02-30", "publisher": "ACME Health",
     "aspect": "x", "inLanguage": ["fr", "en"]},
    {"@context": "https://schema.org", "@type": "FAQPage", "url": "ht tp://bad url",
     "mainEntity": [{"@type": "Question", "name": "Q?", "acceptedAnswer": {"@type": "Answer", "text": "A &amp; b"}}]},
    [{"@context": "https://schema.org", "@type": "WebPage", "url": "https://ex.example/a"},
     {"@context": "https://schema.org", "@type": "WebPage", "url": "https://ex.example/b", "breadcrumb": "Home > A"}],
]


@pytest.mark.parametrize("markup", WEIRD_MARKUP)
@pytest.mark.parametrize("url", [None, "https://ex.example/a"])
def test_odd_markup_round_trips(markup, url):
    body = ("<body><main><h1>Asthma care</h1><p>By Jo Smith, RN</p>"
            + "<p>Asthma is a disease of the airways treated with inhalers and medicines from the doctor.</p>" * 6
            + "</main></body>")
    raw = (f"<html lang=en><head><title>Asthma care</title><script type='application/ld+json'>{json.dumps(markup)}"
           f"</script></head>{body}</html>").encode()
    assert roundtrip_problems(raw, url) == []
    assert invented_values(raw, url, fix_html(raw, url)) == []


def test_markup_author_the_page_does_not_show_is_dropped():
    body = ("<body><main><h1>Asthma care</h1><p>By Jo Smith, RN</p>"
            + "<p>Asthma is a disease of the airways treated with inhalers and medicines from the doctor.</p>" * 6
            + "</main></body>")
    markup = {"@context": "https://schema.org", "@type": "MedicalWebPage",
              "author": {"@type": "Person", "name": "Kim Novak", "url": "https://ex.example/kim"}}
    raw = f"<html lang=en><head><script type='application/ld+json'>{json.dumps(markup)}</script></head>{body}</html>"
    fix = fix_html(raw)
    assert page_node(fix)["author"]["name"] == "Jo Smith"
    assert any(c["action"] == "remove" and c["property"] == "author" for c in fix["changes"])


# ---------------------------------------------------------------- the script


def test_script_escapes_markup_characters():
    raw = ("<!DOCTYPE html><html lang='en'><head><title>Asthma &lt;/script&gt;&lt;!-- &amp; you</title></head>"
           "<body><main><h1>Asthma &lt;/script&gt;&lt;!-- &amp; you</h1><p>By Jane Roe</p>"
           + "<p>Asthma is a condition of the airways that makes breathing hard; inhalers treat it.</p>" * 5
           + "</main></body></html>")
    fix = fix_html(raw)
    script = fix["script"]
    assert script.startswith('<script type="application/ld+json">\n') and script.endswith("\n</script>")
    inner = script[len('<script type="application/ld+json">'):-len("</script>")]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert "\\u003c/script\\u003e\\u003c!--" in inner
    assert page_node(fix)["headline"] == "Asthma </script><!-- & you"
    assert json.loads(inner)["@graph"][0]["headline"] == "Asthma </script><!-- & you"
    again = audit_html(apply_fix(raw, script))
    sd = again["facts"]["structured_data"]
    assert sd["errors"] == [] and sd["nodes"][0]["headline"] == "Asthma </script><!-- & you"


def test_render_script_ascii_only():
    script = render_script({"@context": "https://schema.org", "name": "Diabète 😀 <b>"}, ascii_only=True)
    assert script.isascii() and "\\u00e8" in script and "\\ud83d\\ude00" in script
    inner = script[len('<script type="application/ld+json">'):-len("</script>")]
    assert json.loads(inner)["name"] == "Diabète 😀 <b>"


def test_prefixed_terms_removed_with_what_hangs_on_them():
    """Terms of another vocabulary go, and the nodes reached only through them with them; people named
    elsewhere in the graph are still cleaned, and every node left gets validated."""
    graph = {"@context": {"@vocab": "https://schema.org/", "ex": "https://example.org/ns#"}, "@graph": [
        {"@type": ["WebPage", "ex:Page"], "@id": "https://ex.example/knee#page", "headline": "Knee pain",
         "ex:note": "x", "ex:related": {"@type": "Book", "name": "Older piece", "author": "Jane Doe"},
         "mentions": {"@type": "Review", "author": "Mary Major", "datePublished": "last week",
                      "ex:more": {"@type": "Thing", "name": "Deep thing"}}}]}
    html = ('<html lang="en"><head><title>Knee pain</title><script type="application/ld+json">'
            + json.dumps(graph) + '</script></head><body><h1>Knee pain</h1><p>Rest helps.</p></body></html>')
    fix = fix_html(html, "https://ex.example/knee")
    script = fix["script"]
    for gone in ("ex:", "Older piece", "Jane Doe", "Deep thing", "_:healthgeo"):
        assert gone not in script
    removed = {c["property"] for c in fix["changes"] if c["action"] == "remove"}
    assert {"ex:note", "ex:related", "ex:more"} <= removed
    page = next(n for n in fix["jsonld"]["@graph"] if n.get("@id") == "https://ex.example/knee#page")
    assert page["@type"] == "WebPage" and page["mentions"]["author"] == {"@type": "Person", "name": "Mary Major"}
    assert "datePublished" not in page["mentions"]  # not a date: validated and removed


def test_cited_work_identifiers_as_the_source_parsers_read_them():
    """The identifiers of a cited URL are those doi_from_url, pmid_from_url and pmcid_from_url give, whatever
    the host's case, port or userinfo (only the PubMed parsing is skipped for other hosts)."""
    from scoring.facts.sourcing.sources import doi_from_url, pmcid_from_url, pmid_from_url
    from scoring.fix.citations import _work_ids

    urls = ["https://pubmed.ncbi.nlm.nih.gov/31978945/", "HTTPS://PubMed.NCBI.NLM.NIH.GOV/31978945",
            "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9316657/", "http://user@ncbi.nlm.nih.gov.:80/pubmed/123",
            "https://www.ncbi.nlm.nih.gov/pubmed/?term=31978945", "https://europepmc.org/article/MED/31978945",
            "https://europepmc.org/article/PMC/PMC9316657", "www.pubmed.gov/31978945", "//pubmed.gov/12?x#y",
            "https://doi.org/10.1056/NEJMoa1715275", "https://example.org/pubmed/123/PMC456",
            "https://ex.example/?ref=pubmed.gov/1", "https://example.org/pmc/articles/PMC1/", "", "mailto:a@b.c"]
    for url in urls:
        expected = [(name, found) for name, found in (("DOI", doi_from_url(url)), ("PMID", pmid_from_url(url)),
                                                      ("PMCID", pmcid_from_url(url))) if found]
        assert _work_ids(url) == expected, url
    assert _work_ids(urls[1]) == [("PMID", "31978945")] and _work_ids(urls[6]) == [("PMCID", "PMC9316657")]


@pytest.mark.parametrize("where", ["list", "nested", "none"])
def test_html_entities_decoded_wherever_the_markup_has_them(where):
    page = {"@context": "https://schema.org", "@type": "WebPage", "name": "Knee pain",
            "keywords": ["knee", "pain"], "mentions": {"@type": "Thing", "name": "Joints"}}
    if where == "list":
        page["keywords"] = ["knee", "aches &amp; pains"]
    elif where == "nested":
        page["mentions"]["name"] = "Caf&eacute; knee &#38; hip"
    html = ('<html lang="en"><head><title>Knee pain</title><script type="application/ld+json">'
            + json.dumps(page) + '</script></head><body><h1>Knee pain</h1><p>Rest helps.</p></body></html>')
    fix = fix_html(html, "https://ex.example/knee")
    node = next(n for n in fix["jsonld"]["@graph"] if "mentions" in n)
    decoded = [c for c in fix["changes"] if c["reason"].startswith("HTML entities")]
    if where == "list":
        assert node["keywords"] == ["knee", "aches & pains"] and len(decoded) == 1
    elif where == "nested":
        assert node["mentions"]["name"] == "Caf\u00e9 knee & hip" and len(decoded) == 1
    else:
        assert node["keywords"] == ["knee", "pain"] and not decoded


def test_visible_breadcrumb_marked_by_class_or_nav_label():
    """A trail is a nav, ol, ul, div or p whose class (or, for a nav, aria-label) says breadcrumb; hidden
    ones and other tags are not read, and an inner list inside a marked nav holds the trail itself."""
    body = ('<span class="breadcrumb"><a href="/s">Span</a><a href="/t">Crumbs</a></span>'
            '<div class="breadcrumbs" hidden><a href="/h">Hidden</a><a href="/i">Trail</a></div>'
            '<ul class="breadcrumb" aria-hidden="true"><li><a href="/u">Aria</a></li>'
            '<li><a href="/v">Hidden</a></li></ul>'
            '<nav aria-label="Breadcrumb" class="site-breadcrumb"><ol class="breadcrumb-list">'
            '<li><a href="/">Home</a></li><li><a href="/joints/">Joints</a></li><li>Knee pain</li></ol></nav>')
    html = ('<html lang="en"><head><title>Knee pain</title></head><body>' + body
            + "<h1>Knee pain</h1><p>Some words about knees.</p></body></html>")
    def trail(page: str) -> list[tuple[str, str | None]]:
        nodes = fix_html(page, "https://ex.example/joints/knee")["jsonld"]["@graph"]
        crumbs = next(n["breadcrumb"] for n in nodes if "breadcrumb" in n)
        return [(c["name"], c.get("item")) for c in crumbs["itemListElement"]]

    expected = [("Home", "https://ex.example/"), ("Joints", "https://ex.example/joints/"), ("Knee pain", None)]
    assert trail(html) == expected
    assert trail(html.replace(' class="site-breadcrumb"', "").replace(' class="breadcrumb-list"', "")) == expected
    assert trail(html.replace(' hidden>', '>')) == [("Hidden", "https://ex.example/h"),
                                                     ("Trail", "https://ex.example/i")]


# ---------------------------------------------------------------- apply_fix

SCRIPT = '<script type="application/ld+json">\n{"@context": "https://schema.org"}\n</script>'


def test_apply_fix_replaces_blocks_and_keeps_the_rest():
    page = ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            '  <script type="application/ld+json">{"@type": "Article"}</script>\n'
            '<!-- <script type="application/ld+json">{"commented": true}</script> </head> -->\n'
            "<script>var s = '</head>';</script>\n"
            "<SCRIPT TYPE='Application/LD+JSON'>{\"@type\": \"WebPage\"}</SCRIPT>\n"
            '<script type="text/javascript">var x = 1;</script>\n'
            "</head>\n<body itemscope itemtype=\"https://schema.org/WebPage\">\n"
            '<p>Text</p><script type=application/ld+json>{"@type": "Thing"}</script>\n</body>\n</html>\n')
    out = apply_fix(page, SCRIPT)
    assert out.count("application/ld+json") == 2  # ours and the commented-out one
    assert '{"commented": true}' in out and "var s = '</head>';" in out and "var x = 1;" in out
    assert out.index(SCRIPT) < out.index("</head>\n<body") and out.count(SCRIPT) == 1
    head, body = out.split("</head>\n<body", 1)
    assert body == page.split("</head>\n<body", 1)[1].replace('<script type=application/ld+json>{"@type": '
                                                               '"Thing"}</script>', "")
    assert out.startswith('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<!--')


def test_apply_fix_without_head():
    out = apply_fix("<html><body><p>Hi</p></body></html>", SCRIPT)
    assert out == f"<html>\n{SCRIPT}\n<body><p>Hi</p></body></html>"
    assert apply_fix("<p>Hi</p>", SCRIPT) == f"{SCRIPT}\n<p>Hi</p>"


def test_apply_fix_bytes_keeps_other_bytes():
    raw = ('<html><head><meta charset="windows-1252"><title>Caf\xe9</title>'
           '<script type="application/ld+json">{"name": "Caf\xe9"}</script></head>'
           "<body><p>D\xe9j\xe0 vu \u20ac</p></body></html>").encode("cp1252")
    script = render_script({"@context": "https://schema.org", "name": "Café"})
    out = apply_fix_bytes(raw, script)
    assert out.startswith(b'<html><head><meta charset="windows-1252"><title>Caf\xe9</title>')
    assert out.endswith(b"</head><body><p>D\xe9j\xe0 vu \x80</p></body></html>")
    assert b"Caf\\u00e9" in out  # non-ASCII written as JSON escapes in a non-UTF-8 page
    utf8 = raw.decode("cp1252").replace("windows-1252", "utf-8").encode("utf-8")
    out8 = apply_fix_bytes(utf8, script)
    assert "Café".encode() in out8 and out8.endswith("<body><p>Déjà vu €</p></body></html>".encode())


# ---------------------------------------------------------------- the audit report


def test_audit_report_carries_the_fix_when_asked():
    raw = fixture_html("en_poor_article.html")
    report = audit_html(raw)
    assert set(report["fix"]) == {"jsonld", "script", "changes", "missing", "unfixed"}
    json.dumps(report)  # JSON-serialisable
    assert "fix" not in audit_html(raw, include=("checks",))


def test_build_fix_takes_the_audit_context():
    from scoring.pipeline import gather

    fix = build_fix(gather(Page.parse(fixture_html("fr_recipe.html"))))
    assert fix["jsonld"] == fixed("pages", "fr_recipe.html")["jsonld"]


# ---------------------------------------------------------------- the command


def test_cli_prints_the_script(capsys):
    path = FIXTURES / "pages" / "en_poor_article.html"
    assert cli.main(["fix", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith('<script type="application/ld+json">') and '"Mark Seller"' in out


def test_cli_json_format_and_url(capsys):
    path = FIXTURES / "pages" / "fr_recipe.html"
    assert cli.main(["fix", str(path), "--format", "json", "--url", "https://cuisine.example/tarte"]) == 0
    fix = json.loads(capsys.readouterr().out)
    assert set(fix) == {"jsonld", "script", "changes", "missing", "unfixed"}
    assert page_node(fix)["@id"] == "https://cuisine.example/tarte#recipe"


def test_cli_apply_writes_the_fixed_page(tmp_path, capsys):
    path = FIXTURES / "fix" / "en_bare_article.html"
    out = tmp_path / "fixed.html"
    assert cli.main(["fix", str(path), "--apply", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    report = audit_html(out.read_bytes())
    sd = report["facts"]["structured_data"]
    assert sd["page_type"] == ["MedicalWebPage"] and sd["errors"] == []
    assert report["facts"]["reviewers"][0]["name"] == "Sam Kim"
    assert out.read_bytes().split(b"</head>", 1)[1] == path.read_bytes().split(b"</head>", 1)[1]


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert cli.main(["fix", str(tmp_path / "nope.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.html: no such file" in err and "Traceback" not in err
    assert cli.main(["fix", str(FIXTURES / "pages" / "fr_recipe.html"), "--apply"]) == 2
    assert "needs -o" in capsys.readouterr().err
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert cli.main(["fix", str(empty)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_register_adds_the_command():
    import argparse

    parser = argparse.ArgumentParser(prog="healthgeo")
    sub = parser.add_subparsers(dest="command", required=True)
    cli_fix.register(sub)
    args = parser.parse_args(["fix", "page.html", "--apply", "-o", "out.html", "--url", "https://x.example/"])
    assert args.func is cli_fix.cmd_fix and args.apply and args.output == "out.html"


def test_fixture_files_exist():
    for name in FIX_PAGES:
        assert Path(FIXTURES / "fix" / name).is_file()
