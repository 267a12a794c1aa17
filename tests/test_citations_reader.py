"""Citations counted as a reader counts them: a shared public-sector domain is not one site, a cited work is
known by its DOI, PMID or PMCID wherever the URL holds it, and a page whose address is unknown does not cite
itself. Small pages of our own, in English and French."""

import pytest

from scoring import audit_html
from scoring.facts.sourcing.extract import extract_sourcing
from scoring.page.model import Page


def _citations(html: str, url: str | None) -> list[str]:
    return [c["url"] for c in extract_sourcing(Page.parse(html, url))["citations"]]


PMC_ARTICLE = {
    "en": """<html lang="en"><head><title>Iron supplements in pregnancy</title></head><body><main><article>
<h1>Iron supplements in pregnancy: a review</h1>
<p>Daily iron lowers the risk of anaemia at term, as an earlier trial found
(<a href="{first}">Smith 2019</a>), and a second one confirmed (<a href="{second}">Jones 2021</a>).</p>
<p>See also <a href="/pmc/about/intro/">About PMC</a>.</p></article></main></body></html>""",
    "fr": """<html lang="fr"><head><title>Le fer pendant la grossesse</title></head><body><main><article>
<h1>Supplémentation en fer pendant la grossesse : une revue</h1>
<p>Un apport quotidien de fer réduit le risque d'anémie à terme, comme l'a montré un premier essai
(<a href="{first}">Martin 2019</a>), et un second l'a confirmé (<a href="{second}">Durand 2021</a>).</p>
<p>Voir aussi <a href="/pmc/about/intro/">À propos de PMC</a>.</p></article></main></body></html>""",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pubmed_links_on_a_pmc_page_are_citations(lang):
    html = PMC_ARTICLE[lang].format(first="https://pubmed.ncbi.nlm.nih.gov/31234567/",
                                    second="https://pubmed.ncbi.nlm.nih.gov/33456789/")
    cited = _citations(html, "https://pmc.ncbi.nlm.nih.gov/articles/PMC7654321/")
    assert cited == ["https://pubmed.ncbi.nlm.nih.gov/31234567/", "https://pubmed.ncbi.nlm.nih.gov/33456789/"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_link_naming_another_work_on_the_same_host_is_a_citation_but_not_the_page_itself(lang):
    html = PMC_ARTICLE[lang].format(first="https://www.ncbi.nlm.nih.gov/pubmed/31234567",
                                    second="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7654321/")
    cited = _citations(html, "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7654321/")
    assert cited == ["https://www.ncbi.nlm.nih.gov/pubmed/31234567"]  # its own PMCID and the About page are not


ENTREZ = "http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&amp;db=PubMed&amp;dopt=Abstract&amp;list_uids={}"
REFERENCES = {
    "en": """<html lang="en"><head><title>Gout and diet</title></head><body><main><h1>Gout and diet</h1>
<p>Gout affects about 4% of adults in the United States, and cherries may lower the risk of attacks.</p>
<h2>References</h2><ol>
<li>Zhang Y, et al. Cherry consumption and decreased risk of recurrent gout attacks. Arthritis Rheum. 2012.
<a href="{a}">PubMed</a></li>
<li>Choi HK, et al. Purine-rich foods, dairy and protein intake, and the risk of gout in men. N Engl J Med. 2004.
<a href="{b}">PubMed</a></li></ol></main></body></html>""",
    "fr": """<html lang="fr"><head><title>Goutte et alimentation</title></head><body><main>
<h1>Goutte et alimentation</h1>
<p>La goutte touche environ 1 % des adultes en France, et les cerises pourraient réduire le risque de crise.</p>
<h2>Références</h2><ol>
<li>Zhang Y, et al. Consommation de cerises et risque de crises de goutte. Arthritis Rheum. 2012.
<a href="{a}">PubMed</a></li>
<li>Choi HK, et al. Aliments riches en purines et risque de goutte chez l'homme. N Engl J Med. 2004.
<a href="{b}">PubMed</a></li></ol></main></body></html>""",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pubmed_links_differing_only_in_their_query_are_two_works(lang):
    html = REFERENCES[lang].format(a=ENTREZ.format(22009583), b=ENTREZ.format(15014182))
    report = audit_html(html, "https://health.example.org/gout")
    assert len(report["facts"]["citations"]) == 2
    pmids = set()
    stack = [report["fix"]["jsonld"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("propertyID") == "PMID":
                pmids.add(node["value"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert pmids == {"22009583", "15014182"}


@pytest.mark.parametrize("query,pmid", [("TermToSearch=15014182", "15014182")])
def test_legacy_pubmed_search_links_name_their_work(query, pmid):
    from scoring.facts.sourcing.sources import ids_from_url

    url = f"https://www.ncbi.nlm.nih.gov/sites/entrez?Db=pubmed&Cmd=ShowDetailView&{query}"
    assert ids_from_url(url)[1] == pmid
    assert ids_from_url("https://journal.example.org/abstract?pmid=15014182&lang=en")[1] == "15014182"
    assert ids_from_url("https://journal.example.org/view?pmcid=PMC7654321")[2] == "PMC7654321"


NO_URL = {
    "en": """<html lang="en"><head><title>Sleep and blood pressure</title></head><body>
<header><nav><a href="https://www.healthmag.example/">Home</a> <a href="https://www.healthmag.example/heart/">Heart</a>
<a href="https://www.healthmag.example/sleep/">Sleep</a></nav></header>
<main><h1>Sleep and blood pressure</h1>
<p>Short sleep raises blood pressure, according to the
<a href="https://www.cdc.gov/sleep/about/index.html">CDC</a>; read also our
<a href="https://www.healthmag.example/heart/hypertension-basics">guide to hypertension</a>
and <a href="/sleep/naps">our page on naps</a>.</p></main>
<footer><a href="https://www.healthmag.example/contact">Contact</a>
<a href="https://www.facebook.com/healthmag">Facebook</a></footer></body></html>""",
    "fr": """<html lang="fr"><head><title>Sommeil et tension artérielle</title></head><body>
<header><nav><a href="https://www.santemag.example/">Accueil</a> <a href="https://www.santemag.example/coeur/">Cœur</a>
<a href="https://www.santemag.example/sommeil/">Sommeil</a></nav></header>
<main><h1>Sommeil et tension artérielle</h1>
<p>Dormir peu fait monter la tension, selon
<a href="https://www.santepubliquefrance.fr/maladies-et-traumatismes/maladies-cardiovasculaires">Santé publique
France</a> ; lisez aussi notre <a href="https://www.santemag.example/coeur/hypertension">guide de l'hypertension</a>
et <a href="/sommeil/siestes">notre page sur la sieste</a>.</p></main>
<footer><a href="https://www.santemag.example/contact">Contact</a>
<a href="https://www.facebook.com/santemag">Facebook</a></footer></body></html>""",
}


@pytest.mark.parametrize("lang,outside", [
    ("en", "https://www.cdc.gov/sleep/about/index.html"),
    ("fr", "https://www.santepubliquefrance.fr/maladies-et-traumatismes/maladies-cardiovasculaires"),
])
def test_without_a_url_the_page_does_not_cite_its_own_site(lang, outside):
    assert _citations(NO_URL[lang], None) == [outside]


def test_without_a_url_and_no_site_leading_in_the_furniture_absolute_links_count():
    html = """<html><body><main><h1>Sleep</h1><p>See <a href="https://www.cdc.gov/sleep/">CDC</a> and
<a href="https://www.nhlbi.nih.gov/health/sleep">NHLBI</a>.</p></main>
<footer><a href="https://twitter.example/a">A</a> <a href="https://partner.example/b">B</a></footer></body></html>"""
    assert _citations(html, None) == ["https://www.cdc.gov/sleep/", "https://www.nhlbi.nih.gov/health/sleep"]


@pytest.mark.parametrize("lang,text", [("en", "the national action plan"), ("fr", "le plan national d'action")])
def test_a_link_through_the_site_s_own_redirect_cites_where_it_leads(lang, text):
    html = f"""<html lang="{lang}"><body><main><h1>Superbugs</h1><p>Read {text}
<a href="https://www.healthmag.example/click?url=https%3A%2F%2Fwww.cdc.gov%2Fantimicrobial-resistance%2Fplan.pdf">here</a>
or <a href="https://www.healthmag.example/login?next=https://www.healthmag.example/account">log in</a>.</p></main>
</body></html>"""
    assert _citations(html, "https://www.healthmag.example/superbugs") == [
        "https://www.cdc.gov/antimicrobial-resistance/plan.pdf"]
