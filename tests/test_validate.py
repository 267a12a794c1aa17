import copy

import pytest

from scoring.markup.author_names import author_name_problems, google_author_problems
from scoring.markup.validate import validate_nodes

FINDING_KEYS = {"severity", "code", "source", "node", "path", "type", "property", "message", "syntax",
                "message_key", "params"}  # message_key + params: the message in any language


def clean_graph() -> list[dict]:
    """A well-formed MedicalWebPage graph in the merged node format (shared objects, one cycle)."""
    org = {
        "@type": ["MedicalOrganization"], "@id": "https://example.org/#org", "@syntax": "json-ld",
        "name": "Clinique Exemple", "url": "https://example.org/",
        "logo": {"@type": ["ImageObject"], "@syntax": "json-ld", "url": "https://example.org/logo.png"},
        "sameAs": ["https://fr.wikipedia.org/wiki/Exemple"],
    }
    jane = {
        "@type": ["Person"], "@id": "https://example.org/#jane", "@syntax": "json-ld",
        "name": "Jane Roe", "honorificPrefix": "Dr", "honorificSuffix": "MD",
        "url": "https://example.org/equipe/jane-roe", "sameAs": ["https://orcid.org/0000-0002-1825-0097"],
        "affiliation": org,
    }
    paul = {
        "@type": ["Person"], "@id": "https://example.org/#paul", "@syntax": "json-ld",
        "name": "Paul Dupont", "url": "/equipe/paul-dupont", "worksFor": org,
    }
    site = {
        "@type": ["WebSite"], "@id": "https://example.org/#website", "@syntax": "json-ld",
        "name": "Exemple Santé", "url": "https://example.org/", "publisher": org, "inLanguage": "fr",
    }
    page = {
        "@type": ["MedicalWebPage"], "@id": "https://example.org/diabete#webpage", "@syntax": "json-ld",
        "name": "Diabète de type 2 : symptômes et traitement",
        "url": "https://example.org/diabete",
        "inLanguage": "fr-FR",
        "datePublished": "2024-01-05T08:00:00+01:00",
        "dateModified": "2024-03-01T10:30:00Z",
        "lastReviewed": "2024-03-01",
        "author": [jane],
        "reviewedBy": paul,
        "publisher": org,
        "isPartOf": site,
        "about": {"@type": ["MedicalCondition"], "@syntax": "json-ld", "name": "Diabète de type 2",
                  "alternateName": "DT2"},
        "medicalAudience": ["https://schema.org/Clinician", {"@type": ["Patient"], "@syntax": "json-ld"}],
        "specialty": "https://schema.org/Endocrine",
        "mainContentOfPage": {"@type": ["WebPageElement"], "@syntax": "json-ld", "cssSelector": "main"},
        "significantLink": ["https://example.org/diabete/traitements", "/diabete/symptomes"],
        "citation": [
            {"@type": ["ScholarlyArticle"], "@syntax": "json-ld", "name": "Type 2 diabetes",
             "url": "https://doi.org/10.1016/S0140-6736(17)30058-2", "datePublished": "2017"},
            "HAS. Stratégie thérapeutique du patient vivant avec un diabète de type 2. 2024.",
        ],
        "breadcrumb": {
            "@type": ["BreadcrumbList"], "@syntax": "json-ld",
            "itemListElement": [
                {"@type": ["ListItem"], "@syntax": "json-ld", "position": 1, "name": "Maladies",
                 "item": "https://example.org/maladies"},
                {"@type": ["ListItem"], "@syntax": "json-ld", "position": "2", "name": "Diabète"},
            ],
        },
        "isAccessibleForFree": True,
        "og:title": "ignored: other vocabulary",
        "@context": "ignored",
    }
    jane["mainEntityOfPage"] = page  # cycle page -> jane -> page
    return [page, site, jane, paul, org]


def page_of(graph):
    return graph[0]


def codes(findings):
    return [f["code"] for f in findings]


def only(findings, code):
    hits = [f for f in findings if f["code"] == code]
    assert hits, f"no {code} in {[(f['code'], f['message']) for f in findings]}"
    return hits


def test_clean_graph_has_no_errors_and_no_warnings():
    errors, warnings = validate_nodes(clean_graph())
    assert errors == []
    assert warnings == []


def test_empty_and_odd_input():
    assert validate_nodes([]) == ([], [])
    assert validate_nodes([{"@type": []}, "not a node", {"@id": "https://x.org/#a", "@type": []}]) == ([], [])


def test_finding_shape():
    graph = clean_graph()
    page_of(graph)["lastReviewd"] = "2024-03-01"
    errors, _ = validate_nodes(graph)
    (f,) = errors
    assert set(f) == FINDING_KEYS
    assert f["severity"] == "error" and f["source"] == "schema.org"
    assert f["code"] == "unknown-property" and f["property"] == "lastReviewd"
    assert f["node"] == "https://example.org/diabete#webpage"
    assert f["type"] == "MedicalWebPage" and f["syntax"] == "json-ld"


def test_unknown_property_with_case_hint():
    graph = clean_graph()
    page_of(graph)["LastReviewed"] = "2024-03-01"
    errors, _ = validate_nodes(graph)
    (f,) = only(errors, "unknown-property")
    assert "Did you mean lastReviewed?" in f["message"]


def test_property_on_wrong_type():
    graph = clean_graph()
    jane = graph[2]
    jane["lastReviewed"] = "2024-01-01"
    errors, _ = validate_nodes(graph)
    (f,) = errors
    assert f["code"] == "property-not-expected"
    assert f["property"] == "lastReviewed" and f["node"] == "https://example.org/#jane"
    assert "WebPage" in f["message"]


def test_inherited_properties_are_expected():
    graph = clean_graph()
    page = page_of(graph)
    page["headline"] = "From CreativeWork"
    page["alternateName"] = "From Thing"
    page["relatedLink"] = "https://example.org/x"  # from WebPage
    assert validate_nodes(graph)[0] == []


def test_malformed_dates():
    for bad in ("03/01/2024", "2024-13-01", "2024-02-30", "yesterday", "2024-03-01 10:00:00"):
        graph = clean_graph()
        page_of(graph)["lastReviewed"] = bad
        errors, _ = validate_nodes(graph)
        assert codes(errors) == ["invalid-date"], bad
        assert errors[0]["property"] == "lastReviewed"


def test_good_dates():
    for good in ("2024", "2024-03", "2024-02-29", "2024-03-01T10:00:00+01:00", "2024-03-01T10:00Z",
                 "2024-03-01T10:00:00.123-05:00"):
        graph = clean_graph()
        page_of(graph)["datePublished"] = good
        assert validate_nodes(graph)[0] == [], good


def test_non_url():
    graph = clean_graph()
    graph[2]["url"] = "Jane Roe's page"
    errors, _ = validate_nodes(graph)
    (f,) = errors
    assert f["code"] == "invalid-url" and f["property"] == "url" and f["node"] == "https://example.org/#jane"
    for bad in ("mailto:jane@example.org", "javascript:void(0)", "http:/broken", ""):
        graph = clean_graph()
        graph[2]["url"] = bad
        assert codes(validate_nodes(graph)[0]) == ["invalid-url"], bad
    for good in ("https://example.org/a?b=c#d", "/equipe/jane", "jane.html", "#jane", "//cdn.example.org/x"):
        graph = clean_graph()
        graph[2]["url"] = good
        assert validate_nodes(graph)[0] == [], good


def test_url_after_the_scheme_needs_a_host():
    for bad in ("https://", "https:///jane", "https://?q=1", "https://#jane", "http://", "HTTPS:///jane"):
        graph = clean_graph()
        graph[2]["url"] = bad
        assert codes(validate_nodes(graph)[0]) == ["invalid-url"], bad
    for good in ("https://e", "https://example.org", "HTTPS://example.org/jane", "http://example.org?x"):
        graph = clean_graph()
        graph[2]["url"] = good
        assert validate_nodes(graph)[0] == [], good


def test_bare_string_author_is_a_warning():
    graph = clean_graph()
    page_of(graph)["author"] = "Jane Roe"
    errors, warnings = validate_nodes(graph)
    assert errors == []
    (f,) = warnings
    assert f["code"] == "unexpected-value-type" and f["severity"] == "warning"
    assert f["property"] == "author" and "Person" in f["message"]


def test_bare_string_elsewhere_is_fine():
    graph = clean_graph()
    page_of(graph)["about"] = "diabetes"  # Thing expected; schema.org accepts text
    page_of(graph)["isPartOf"] = "https://example.org/"
    assert validate_nodes(graph) == ([], [])


def test_superseded_terms():
    graph = clean_graph()
    page = page_of(graph)
    page["aspect"] = "diagnosis"
    page["significantLinks"] = "https://example.org/a"
    errors, warnings = validate_nodes(graph)
    assert errors == []
    found = {f["property"]: f for f in only(warnings, "superseded-term")}
    assert "mainContentOfPage" in found["aspect"]["message"]
    assert "significantLink" in found["significantLinks"]["message"]


def test_superseded_type_and_enum_value():
    graph = clean_graph()
    page_of(graph)["specialty"] = "https://schema.org/Dermatologic"
    page_of(graph)["hasPart"] = {"@type": ["Season"], "name": "x"}
    errors, warnings = validate_nodes(graph)
    assert errors == []
    messages = " ".join(f["message"] for f in only(warnings, "superseded-term"))
    assert "Dermatology" in messages and "CreativeWorkSeason" in messages


def test_pending_term():
    graph = clean_graph()
    graph[2]["knowsAbout"] = "diabetes"
    errors, warnings = validate_nodes(graph)
    assert errors == []
    (f,) = warnings
    assert f["code"] == "pending-term" and f["property"] == "knowsAbout"


def test_unknown_type():
    graph = clean_graph()
    page_of(graph)["about"]["@type"] = ["MedicalCondtion"]
    errors, _ = validate_nodes(graph)
    (f,) = errors
    assert f["code"] == "unknown-type" and f["node"] == "MedicalWebPage > about"
    assert "MedicalCondtion" in f["message"]


def test_unknown_type_hints():
    errors, _ = validate_nodes([{"@type": ["medicalWebPage"]}, {"@type": ["Clinician"]}, {"@type": ["author"]}])
    messages = [f["message"] for f in errors]
    assert "Did you mean MedicalWebPage?" in messages[0]
    assert "enumeration value of MedicalAudienceType" in messages[1]
    assert "property, not a type" in messages[2]


def test_retired_term():
    errors, _ = validate_nodes([{"@type": ["StupidType"], "name": "x"}])
    assert codes(errors) == ["retired-term"]


def test_dr_md_in_author_name():
    graph = clean_graph()
    graph[2]["name"] = "Dr. Jane Roe, MD"
    errors, warnings = validate_nodes(graph)
    assert errors == []
    (f,) = warnings
    assert f["code"] == "author-name-has-title" and f["source"] == "google"
    assert f["node"] == "https://example.org/#jane" and f["property"] == "name"
    assert '"Dr."' in f["message"] and '"MD"' in f["message"]


def test_reviewer_name_and_bare_string_author_name():
    graph = clean_graph()
    graph[3]["name"] = "Pr Paul Dupont, pharmacien"
    page_of(graph)["author"] = "Par Jane Roe"
    _, warnings = validate_nodes(graph)
    titled = only(warnings, "author-name-has-title")
    assert {f["property"] for f in titled} == {"name", "author"}
    text = " ".join(f["message"] for f in titled)
    assert '"Pr"' in text and '"pharmacien"' in text and '"Par"' in text


def test_two_page_types():
    graph = clean_graph()
    graph.append({"@type": ["WebPage"], "@syntax": "microdata", "name": "Diabète"})
    errors, warnings = validate_nodes(graph)
    assert errors == []
    (f,) = warnings
    assert f["code"] == "multiple-page-types" and f["source"] == "google"
    assert "MedicalWebPage" in f["message"] and "WebPage" in f["message"]


def test_page_type_with_its_supertype_on_one_node_is_fine():
    graph = clean_graph()
    page_of(graph)["@type"] = ["WebPage", "MedicalWebPage"]
    assert validate_nodes(graph) == ([], [])
    page_of(graph)["@type"] = ["MedicalWebPage", "FAQPage"]
    _, warnings = validate_nodes(graph)
    assert codes(warnings) == ["multiple-page-types"]


def test_node_value_out_of_range():
    graph = clean_graph()
    page_of(graph)["author"] = [graph[2], {"@type": ["MedicalCondition"], "name": "Diabète"}]
    errors, warnings = validate_nodes(graph)
    (f,) = errors
    assert f["code"] == "unexpected-value-type" and f["property"] == "author"
    assert "Organization or Person" in f["message"]
    assert "author-not-person" in codes(warnings)


def test_subtype_in_range_and_role_allowed():
    graph = clean_graph()
    page = page_of(graph)
    page["publisher"] = {"@type": ["Hospital"], "name": "X", "url": "https://x.org"}
    page["author"] = {"@type": ["Role"], "roleName": "main author", "startDate": "2024-01-01",
                      "author": graph[2]}
    assert validate_nodes(graph) == ([], [])


def test_literals_of_wrong_kind():
    graph = clean_graph()
    page_of(graph)["author"] = 42
    page_of(graph)["isAccessibleForFree"] = "maybe"
    errors, _ = validate_nodes(graph)
    assert sorted(f["property"] for f in errors) == ["author", "isAccessibleForFree"]
    assert set(codes(errors)) == {"unexpected-value-type"}


def test_enumeration_values():
    for ok in ("Clinician", "https://schema.org/Clinician", "http://schema.org/MedicalResearcher"):
        graph = clean_graph()
        page_of(graph)["medicalAudience"] = ok
        assert validate_nodes(graph)[0] == [], ok
    for bad in ("https://schema.org/InStock", "https://schema.org/Clinicien"):
        graph = clean_graph()
        page_of(graph)["medicalAudience"] = bad
        assert codes(validate_nodes(graph)[0]) == ["unexpected-value-type"], bad
    graph = clean_graph()
    page_of(graph)["medicalAudience"] = {"@id": "https://schema.org/Clinician", "@type": []}
    assert validate_nodes(graph)[0] == []


def test_physician_author_and_missing_url():
    graph = clean_graph()
    page_of(graph)["author"] = {"@type": ["Physician"], "name": "Jane Roe"}
    errors, warnings = validate_nodes(graph)
    assert errors == []
    assert sorted(codes(warnings)) == ["author-missing-url", "author-not-person"]
    assert all(f["node"] == "MedicalWebPage > author" for f in warnings)
    assert "Physician" in only(warnings, "author-not-person")[0]["message"]


def test_author_missing_url_only_for_author():
    graph = clean_graph()
    del graph[2]["url"], graph[2]["sameAs"]
    del graph[3]["url"]  # reviewer: not checked
    _, warnings = validate_nodes(graph)
    (f,) = warnings
    assert f["code"] == "author-missing-url" and f["node"] == "https://example.org/#jane"


def test_dates_without_time_zone():
    graph = clean_graph()
    page = page_of(graph)
    page["dateModified"] = "2024-03-01T10:30:00"
    page["datePublished"] = "2024-01-05"
    page["lastReviewed"] = "2024-03-01"  # a plain date is what lastReviewed (Date) expects
    errors, warnings = validate_nodes(graph)
    assert errors == []
    assert sorted(f["property"] for f in only(warnings, "date-without-timezone")) == [
        "dateModified", "datePublished"]
    assert all(f["source"] == "google" for f in warnings)


def test_additional_type_is_honoured():
    node = {"@type": ["Collection"], "additionalType": "https://schema.org/ArchiveComponent",
            "holdingArchive": "https://archives.example.org/"}
    assert validate_nodes([node])[0] == []
    del node["additionalType"]
    assert codes(validate_nodes([node])[0]) == ["property-not-expected"]


def test_foreign_terms_and_unresolved_references_ignored():
    node = {"@type": ["Person", "foaf:Person"], "foaf:nick": "jr", "http://purl.org/dc/terms/title": "x",
            "worksFor": {"@id": "https://example.org/#unknown", "@type": []}, "name": "Jane"}
    assert validate_nodes([node]) == ([], [])


def test_shared_node_validated_once():
    graph = clean_graph()
    graph[4]["url"] = "not a url"
    errors, _ = validate_nodes(graph)
    (f,) = errors  # the organisation is reachable from five places
    assert f["node"] == "https://example.org/#org" and f["code"] == "invalid-url"


def test_syntax_inherited_by_nested_nodes():
    graph = clean_graph()
    about = page_of(graph)["about"]
    del about["@syntax"]
    about["url"] = "not a url"
    page_of(graph)["@syntax"] = "microdata"
    errors, _ = validate_nodes(graph)
    (f,) = errors
    assert f["node"] == "MedicalWebPage > about" and f["syntax"] == "microdata"


def test_nested_path_labels():
    graph = clean_graph()
    page_of(graph)["breadcrumb"]["itemListElement"][1]["foo"] = 1
    errors, _ = validate_nodes(graph)
    assert errors[0]["node"] == "MedicalWebPage > breadcrumb > itemListElement[1]"


def test_deep_graph_does_not_recurse():
    node = root = {"@type": ["WebPage"], "name": "x"}
    for _ in range(5000):
        child = {"@type": ["WebPage"], "name": "y"}
        node["hasPart"] = child
        node = child
    assert validate_nodes([root]) == ([], [])


@pytest.mark.parametrize("name, parts", [
    ("Dr. Jane Roe, MD", ['honorific "Dr."', 'credential "MD"']),
    ("Jane Roe, PhD, FACP", ['credential "PhD"', 'credential "FACP"']),
    ("By Jane Roe", ['byline prefix "By"']),
    ("Written by Jane Roe RN", ['byline prefix "Written by"', 'credential "RN"']),
    ("Rédigé par Marie Curie, pharmacienne", ['byline prefix "Rédigé par"', 'job title "pharmacienne"']),
    ("Par Pr Jean Martin", ['byline prefix "Par"', 'honorific "Pr"']),
    ("Docteur Marie Lefèvre, médecin généraliste", ['honorific "Docteur"', 'job title "médecin généraliste"']),
    ("Prof. Anne Roe, MPH", ['honorific "Prof."', 'credential "MPH"']),
    ("Claire Petit, diététicienne", ['job title "diététicienne"']),
    ("Jane Roe, PharmD", ['credential "PharmD"']),
    ("Jane Roe, DO", ['credential "DO"']),
    ("Jane Roe, RD", ['credential "RD"']),
    ("Author: Jane Roe", ['byline prefix "Author"']),
    ("Auteure : Claire Petit", ['byline prefix "Auteure"']),
    ("Author 49", []),
    ("Jane Roe", []),
    ("Marie-Hélène Dupont-Aignan", []),
    ("Anh DO", []),          # capitalised surname, not a credential
    ("Md Abdul Karim", []),  # "Md" for Muhammad
    ("Paul Nurse", []),
    ("Byron Katie", []),
    ("Jean M. Dupont", []),
])
def test_google_author_problems(name, parts):
    assert google_author_problems(name) == parts


def test_author_name_problems_structured():
    assert author_name_problems("Dr Jane Roe, MD") == [("honorific", "Dr"), ("credential", "MD")]
    assert author_name_problems("") == []


def typical_graph(n_nodes: int = 50) -> list[dict]:
    graph = clean_graph()
    page = page_of(graph)
    count = 13  # nodes in clean_graph
    citations = page["citation"]
    while count < n_nodes:
        citations.append({"@type": ["ScholarlyArticle"], "@syntax": "json-ld", "name": f"Study {count}",
                          "url": f"https://doi.org/10.1000/{count}", "datePublished": "2020-05-01",
                          "author": {"@type": ["Person"], "name": f"Author {count}"}})
        count += 2
    return graph


def test_typical_page_validates_the_same_twice():
    graph = typical_graph()
    assert validate_nodes(graph) == validate_nodes(graph)  # speed lives in bench/audit_speed.py


def test_input_not_modified():
    graph = clean_graph()
    page_of(graph)["author"] = "Dr Jane Roe"
    before = copy.deepcopy(graph)
    validate_nodes(graph)
    assert repr(graph) == repr(before)
