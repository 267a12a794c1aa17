import json
import subprocess
import sys

import pytest

from scoring.facts.sourcing import sources
from scoring.facts.sourcing.sources import (
    KINDS,
    SOURCES_PATH,
    SourceClass,
    classify_url,
    doi_from_text,
    doi_from_url,
    is_social,
    pmcid_from_url,
    pmid_from_url,
)

# (url, kind, authoritative)
URL_TABLE = [
    # identifiers and indexes
    ("https://doi.org/10.7759/cureus.33475", "doi", True),
    ("http://dx.doi.org/10.1056/NEJMoa2034577", "doi", True),
    ("https://pubmed.ncbi.nlm.nih.gov/33397132/", "pubmed", True),
    ("https://www.ncbi.nlm.nih.gov/pubmed/29544083", "pubmed", True),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9776667/", "pubmed", True),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC9902068/", "pubmed", True),
    ("https://europepmc.org/article/MED/33397132", "pubmed", True),
    # journals and preprints
    ("https://www.nejm.org/doi/full/10.1056/NEJMoa2034577", "journal", True),
    ("https://www.thelancet.com/journals/lancet/article/PIIS0140-6736(20)30183-5/fulltext", "journal", True),
    ("https://jamanetwork.com/journals/jama/fullarticle/2768391", "journal", True),
    ("https://link.springer.com/article/10.1007/s11926-017-0626-z", "journal", True),
    ("https://onlinelibrary.wiley.com/doi/full/10.1111/j.1600-0447.2007.01032.x", "journal", True),
    ("https://www.acpjournals.org/doi/abs/10.7326/M19-3075", "journal", True),
    ("https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD000001/full", "journal", True),
    ("https://www.em-consulte.com/article/123456/", "journal", True),
    ("https://www.revmed.ch/revue-medicale-suisse/2020/revue-medicale-suisse-700", "journal", True),
    ("https://www.medrxiv.org/content/10.1101/2020.04.14.20062463v1", "journal", False),
    # guidelines, agencies
    ("https://www.who.int/fr/news-room/fact-sheets/detail/diabetes", "guideline", True),
    ("https://www.has-sante.fr/jcms/c_2035654/fr/fiche-memo", "guideline", True),
    ("https://ansm.sante.fr/actualites/tadalafil", "guideline", True),
    ("https://www.nice.org.uk/guidance/ng28", "guideline", True),
    ("https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/x", "guideline", True),
    # government
    ("https://www.cdc.gov/nutrition/features/healthy-eating-tips.html", "government", True),
    ("https://www.niddk.nih.gov/health-information/weight-management", "government", True),
    ("https://medlineplus.gov/fr/", "government", True),
    ("https://www.nhs.uk/conditions/diabetes/", "government", True),
    ("https://www.santepubliquefrance.fr/maladies-et-traumatismes/diabete", "government", True),
    ("https://www.ameli.fr/assure/sante/themes/diabete", "government", True),
    ("https://www.service-public.fr/particuliers/vosdroits/F1234", "government", True),
    ("https://signalement-sante.gouv.fr/", "government", True),
    ("https://base-donnees-publique.medicaments.gouv.fr/extrait.php?specid=1", "government", True),
    ("https://www.e-cancer.fr/Patients-et-proches", "government", True),
    ("https://www.canada.ca/fr/sante-publique.html", "government", True),
    ("https://www.whitehouse.gov/briefing-room/", "government", False),
    # references, academic
    ("https://www.vidal.fr/medicaments/doliprane-500-mg.html", "encyclopedia", True),
    ("https://www.msdmanuals.com/fr/accueil/troubles-cardiaques", "encyclopedia", True),
    ("https://fr.wikipedia.org/wiki/Diab%C3%A8te", "encyclopedia", False),
    ("https://www.mayoclinic.org/diseases-conditions/diabetes/symptoms-causes/syc-20371444", "academic", True),
    ("https://my.clevelandclinic.org/health/diseases/7104-diabetes", "academic", True),
    ("https://www.health.harvard.edu/mind-and-mood/x", "academic", True),
    ("https://www.aphp.fr/actualite/x", "academic", True),
    ("https://www.chu-bordeaux.fr/Patient/", "academic", True),
    ("https://www.univ-lyon1.fr/formation", "academic", True),
    # media, social, commercial
    ("https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html", "news", False),
    ("https://www.lemonde.fr/sante/article/2023/08/30/x.html", "news", False),
    ("https://madame.lefigaro.fr/bien-etre/x", "news", False),
    ("https://www.healthline.com/nutrition/50-super-healthy-foods", "news", False),
    ("https://www.doctissimo.fr/sante/diabete", "news", False),
    ("https://www.facebook.com/sharer/sharer.php?u=x", "social", False),
    ("https://x.com/intent/tweet?url=x", "social", False),
    ("https://www.youtube.com/watch?v=abc", "social", False),
    ("https://youtu.be/abc", "social", False),
    ("https://www.amazon.fr/dp/B000000", "commercial", False),
    ("https://amzn.to/3abcdef", "commercial", False),
    # unknown
    ("https://www.kneibdentistry.com/dentistry-blog/x", "other", False),
    ("https://www.academia.edu/123/paper", "other", False),
]


@pytest.mark.parametrize(("url", "kind", "authoritative"), URL_TABLE)
def test_url_table(url, kind, authoritative):
    sc = classify_url(url)
    assert (sc.kind, sc.authoritative) == (kind, authoritative), sc


def test_result_fields():
    sc = classify_url("https://www.has-sante.fr/jcms/x")
    assert sc == SourceClass("guideline", True, "HAS", "has-sante.fr")
    with pytest.raises(AttributeError):
        sc.kind = "other"  # frozen
    assert classify_url("HTTPS://WWW.NHS.UK/Conditions/").domain == "nhs.uk"


def test_subdomains_and_paths():
    assert classify_url("https://has-sante.fr/").name == "HAS"
    assert classify_url("https://www.has-sante.fr/").name == "HAS"
    assert classify_url("https://fr.has-sante.fr/").name == "HAS"
    # the most specific entry wins: ANSM is under sante.fr (Santé.fr, government)
    assert classify_url("https://ansm.sante.fr/").kind == "guideline"
    assert classify_url("https://www.sante.fr/").kind == "government"
    # PubMed vs PMC vs the rest of NCBI
    assert classify_url("https://pubmed.ncbi.nlm.nih.gov/123/").name == "PubMed"
    pmc = classify_url("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/")
    assert (pmc.kind, pmc.name, pmc.domain) == ("pubmed", "PubMed Central", "ncbi.nlm.nih.gov")
    assert classify_url("https://www.ncbi.nlm.nih.gov/PMC/articles/PMC123/").kind == "pubmed"
    books = classify_url("https://www.ncbi.nlm.nih.gov/books/NBK279396/")
    assert (books.kind, books.authoritative) == ("government", True)
    # path prefixes match whole segments only
    assert classify_url("https://www.ncbi.nlm.nih.gov/pmcfoo/PMC123").kind == "government"
    # BMJ Best Practice is a reference, the rest of bmj.com a journal
    assert classify_url("https://bestpractice.bmj.com/topics/fr-fr/24").kind == "encyclopedia"
    assert classify_url("https://www.bmj.com/content/368/bmj.m1").kind == "journal"
    assert classify_url("https://casereports.bmj.com/content/x").kind == "journal"
    assert classify_url("https://emedicine.medscape.com/article/1").kind == "encyclopedia"
    assert classify_url("https://www.medscape.com/viewarticle/1").kind == "news"


def test_identifier_pages_without_identifier_are_not_sources():
    for url in (
        "https://pubmed.ncbi.nlm.nih.gov/?term=meditation%5BMeSH+Terms%5D",
        "https://pubmed.ncbi.nlm.nih.gov/",
        "https://www.ncbi.nlm.nih.gov/pmc/",
        "https://europepmc.org/search?query=diabetes",
        "https://www.doi.org/",
    ):
        sc = classify_url(url)
        assert (sc.kind, sc.authoritative) == ("other", False), url
        assert sc.name  # still named
    assert classify_url(
        "http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&amp;db=PubMed&amp;list_uids=2630&amp;dopt=Abstract"
    ).kind == "pubmed"


def test_suffix_rules():
    cases = {
        "https://cdphe.colorado.gov/x": ("government", True),
        "https://www.nyc.gov/site/doh": ("government", True),
        "https://www.prefecture.gouv.fr/": ("government", True),
        "https://mesdemarches.agriculture.gouv.fr/": ("government", True),
        "https://www.ukhsa.gov.uk/": ("government", True),
        "https://www.gosh.nhs.uk/conditions": ("government", True),
        "https://www.bag.admin.ch/bag/fr/home.html": ("government", True),
        "https://sante.public.lu/fr.html": ("government", True),
        "https://www.inspq.qc.ca/": ("government", True),
        "https://www.msss.gouv.qc.ca/": ("government", True),
        "https://www.army.mil/": ("government", False),
        "https://www.mtu.edu/umc/services/websites/seo/what-is/": ("academic", True),
        "https://www.ucl.ac.uk/news": ("academic", True),
        "https://www.sydney.edu.au/": ("academic", True),
        "https://www.univ-paris13.fr/": ("academic", True),
        "https://www.chru-strasbourg.fr/": ("academic", True),
    }
    for url, expected in cases.items():
        sc = classify_url(url)
        assert (sc.kind, sc.authoritative) == expected, (url, sc)
    sc = classify_url("https://www.cdphe.colorado.gov/x")
    assert sc.domain == "cdphe.colorado.gov" and sc.name == "US government (.gov)"
    # explicit entries beat rules: SIGN is under .ac.uk, Academia.edu under .edu
    assert classify_url("https://www.sign.ac.uk/").kind == "guideline"
    assert classify_url("https://www.academia.edu/").kind == "other"
    # a rule matches proper subdomains only, and patterns need something after the prefix
    assert classify_url("https://nhs.scot/").kind == "other"
    assert classify_url("https://x.nhs.scot/").kind == "government"
    assert classify_url("https://univ-.fr/").kind == "other"
    # no accidental suffix match on a label that merely ends with the suffix
    assert classify_url("https://www.notagov/").kind == "other"
    assert classify_url("https://www.fooedu.com/").kind == "other"


def test_unknown_host():
    sc = classify_url("https://www.example-health-blog.com/post")
    assert sc == SourceClass("other", False, "example-health-blog.com", "example-health-blog.com")
    assert classify_url("https://global.oup.com/academic/").kind == "other"  # only academic.oup.com


@pytest.mark.parametrize(
    "url",
    [
        "", " ", "x", "#top", "/relative/path", "?q=1", "http://", "https://", "http:///x",
        "http://[::1", "http://[::1]:80/", "mailto:contact@has-sante.fr", "javascript:void(0)",
        "tel:+33123456789", "data:text/html,hi", "https://exa mple.com/", "https://.com",
        "https://user:pw@@/", "https://bücher.de/x", "https://%zz/", "ht!tp://x.y",
        "https://www.has-sante.fr:notaport/", "\x00\x01", "https://" + "a." * 500 + "com",
        "https://doi.org/", "https://doi.org/10.", "https://pubmed.ncbi.nlm.nih.gov/abc/",
    ],
)
def test_malformed_urls_do_not_crash(url):
    sc = classify_url(url)
    assert isinstance(sc, SourceClass) and sc.kind in KINDS
    assert doi_from_url(url) is None or isinstance(doi_from_url(url), str)
    pmid_from_url(url)
    pmcid_from_url(url)
    doi_from_text(url)
    is_social(url)


def test_non_string_input():
    for bad in (None, 123, b"https://www.cdc.gov/"):
        assert classify_url(bad) == SourceClass("other", False, "", "")


def test_scheme_less_and_ports():
    assert classify_url("www.nhs.uk/conditions/").kind == "government"
    assert classify_url("//www.cdc.gov/x").kind == "government"
    assert classify_url("https://www.psychiatry.org:443/news-room/x").name == "American Psychiatric Association"
    assert classify_url("https://www.cdc.gov./x").kind == "government"
    assert classify_url("https://user@www.cdc.gov/x").kind == "government"
    assert classify_url("https://pubmed.ncbi.nlm.nih.gov/30153464/\\").kind == "pubmed"


def test_bare_doi_is_doi():
    assert classify_url("10.1002/wps.20331").kind == "doi"
    assert classify_url("doi:10.1002/wps.20331").kind == "doi"
    assert classify_url("10.0.0.1/admin").kind == "other"


@pytest.mark.parametrize(
    ("url", "doi"),
    [
        ("https://doi.org/10.7759/cureus.33475", "10.7759/cureus.33475"),
        ("http://dx.doi.org/10.1016/j.ajp.2016.07.010", "10.1016/j.ajp.2016.07.010"),
        ("https://doi.org/10.1016/S0140-6736(20)30183-5", "10.1016/S0140-6736(20)30183-5"),
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
        ("https://doi.org/doi:10.1000/abc", "10.1000/abc"),
        ("https://link.springer.com/article/10.1007/s11926-017-0626-z", "10.1007/s11926-017-0626-z"),
        ("https://onlinelibrary.wiley.com/doi/full/10.1111/j.1600-0447.2007.01032.x",
         "10.1111/j.1600-0447.2007.01032.x"),
        ("https://www.frontiersin.org/articles/10.3389/fpsyg.2020.01234/full", "10.3389/fpsyg.2020.01234"),
        ("https://www.tandfonline.com/doi/abs/10.1080/123456?journalCode=x", "10.1080/123456"),
        ("https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0123456",
         "10.1371/journal.pone.0123456"),
        ("https://www.acpjournals.org/doi/abs/10.7326/M19-3075", "10.7326/M19-3075"),
        ("https://www.cdc.gov/nutrition/", None),
        ("https://www.nature.com/articles/s41586-020-2012-7", None),
        ("https://doi.org/", None),
        ("not a url", None),
    ],
)
def test_doi_from_url(url, doi):
    assert doi_from_url(url) == doi


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("doi: 10.1002/wps.20331.", "10.1002/wps.20331"),
        ("Lancet. 2020. doi:10.1016/S0140-6736(20)30183-5", "10.1016/S0140-6736(20)30183-5"),
        ("(doi:10.1016/S0140-6736(20)30183-5)", "10.1016/S0140-6736(20)30183-5"),
        ("[10.1186/s12888-018-1609-y]", "10.1186/s12888-018-1609-y"),
        ("doi:10.1007/s11926-017-0626-z&amp;api_key=abc", "10.1007/s11926-017-0626-z"),
        ("Voir https://doi.org/10.1000/xyz, puis", "10.1000/xyz"),
        ("DOI 10.1097/01.psy.0000077508.57784.da; PMID 123", "10.1097/01.psy.0000077508.57784.da"),
        ("version 2.10.1000/x", None),
        ("10.12/x is too short a prefix", None),
        ("no identifier here", None),
        ("", None),
    ],
)
def test_doi_from_text(text, doi):
    assert doi_from_text(text) == doi


@pytest.mark.parametrize(
    ("url", "pmid"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/33397132/", "33397132"),
        ("https://pubmed.ncbi.nlm.nih.gov/790439", "790439"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/29544083", "29544083"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/?term=29544083", "29544083"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/?term=PMID%3A+9071687", "9071687"),
        ("http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&amp;db=PubMed&amp;dopt=Abstract"
         "&amp;list_uids=2630", "2630"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/pmid/12345/", "12345"),
        ("https://europepmc.org/article/MED/33397132", "33397132"),
        ("https://europepmc.org/abstract/med/33397132", "33397132"),
        ("https://pubmed.ncbi.nlm.nih.gov/?term=meditation", None),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC9902068/", None),
        ("https://www.ncbi.nlm.nih.gov/entrez/query.fcgi?db=nucleotide&list_uids=2630", None),
        ("https://example.com/pubmed/12345", None),
        ("", None),
    ],
)
def test_pmid_from_url(url, pmid):
    assert pmid_from_url(url) == pmid


def test_pmcid_from_url():
    assert pmcid_from_url("https://pmc.ncbi.nlm.nih.gov/articles/PMC9902068/") == "PMC9902068"
    assert pmcid_from_url("https://www.ncbi.nlm.nih.gov/pmc/articles/pmc123/") == "PMC123"
    assert pmcid_from_url("https://europepmc.org/article/PMC/PMC123") == "PMC123"
    assert pmcid_from_url("https://pubmed.ncbi.nlm.nih.gov/33397132/") is None
    assert pmcid_from_url("https://example.com/PMC123") is None


def test_is_social():
    assert is_social("https://www.linkedin.com/shareArticle?url=x")
    assert is_social("https://fr.pinterest.com/pin/1")
    assert is_social("https://www.tiktok.com/@x")
    assert is_social("https://www.reddit.com/r/x")
    assert not is_social("https://www.who.int/")
    assert not is_social("")


# ----------------------------------------------------------------------------- the data file

def _data():
    with SOURCES_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def test_json_is_valid_and_kinds_allowed():
    data = _data()
    assert len(KINDS) == 11
    assert tuple(data["kinds"]) == KINDS
    assert set(data["sources"]) <= set(KINDS)
    seen = set()
    for kind, group in data["sources"].items():
        assert group["entries"], kind
        for e in group["entries"]:
            assert set(e) <= {"domain", "name", "authoritative", "path", "_comment"}, e
            d = e["domain"]
            assert d == d.strip().lower() and not d.startswith("www.") and "/" not in d and ":" not in d, e
            assert "." in d, e
            assert isinstance(e["name"], str) and e["name"], e
            assert isinstance(e["authoritative"], bool), e
            key = (d, e.get("path", "").lower())
            assert key not in seen, f"duplicate {key}"
            seen.add(key)
    for rule in data["suffix_rules"]["entries"]:
        assert rule["kind"] in KINDS and isinstance(rule["authoritative"], bool)
        assert rule["suffix"] == rule["suffix"].lower().strip(".")
    for rule in data["pattern_rules"]["entries"]:
        assert rule["kind"] in KINDS and isinstance(rule["authoritative"], bool)
        assert rule["pattern"].count("*") == 1


def test_every_entry_classifies_as_itself():
    # guards against an entry being shadowed by a more specific one by mistake
    for kind, group in _data()["sources"].items():
        for e in group["entries"]:
            if kind in ("doi", "pubmed") or "path" in e:
                continue  # need an identifier in the URL; covered above
            sc = classify_url(f"https://www.{e['domain']}/some/page")
            assert (sc.kind, sc.authoritative, sc.name) == (kind, e["authoritative"], e["name"]), e


def test_loader_rejects_bad_data():
    base = {"sources": {"journal": {"entries": [{"domain": "a.org", "name": "A", "authoritative": True}]}}}
    sources._Registry(base)
    with pytest.raises(ValueError):
        sources._Registry({"sources": {"blog": {"entries": []}}})
    with pytest.raises(ValueError):
        sources._Registry({"sources": {"journal": {"entries": [
            {"domain": "a.org", "name": "A", "authoritative": True},
            {"domain": "www.a.org", "name": "A2", "authoritative": True},
        ]}}})
    with pytest.raises(ValueError):
        sources._Registry({"sources": {"journal": {"entries": [
            {"domain": "a.org", "name": "A", "authoritative": "yes"},
        ]}}})
    with pytest.raises(ValueError):
        sources._Registry({"sources": {}, "suffix_rules": {"entries": [
            {"suffix": "edu", "kind": "university", "authoritative": True, "name": "x"},
        ]}})


def test_no_web_framework_import():
    code = ("import sys, scoring.facts.sourcing.sources; "
            "assert 'flask' not in sys.modules and 'service' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(SOURCES_PATH.parents[2]))


def test_classification_is_stable_over_repeated_calls():
    urls = [u for u, _, _ in URL_TABLE] * 3  # speed lives in bench/
    assert [classify_url(u) for u in urls] == [classify_url(u) for u in urls]
