"""The hygiene category on small English and French pages of our own (tests/fixtures/hygiene): canonical,
hreflang, social cards, image alt text and link texts, each at pass, warn, fail and not applicable, and each
threshold at its boundary; the vague link texts' pre-test agrees with their pattern."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from scoring import audit_html
from scoring.checks import hygiene as checks
from scoring.checks.base import REGISTRY
from scoring.facts.hygiene import VAGUE_LINK_TEXTS, href_kind, normalize_url
from scoring.i18n import localize_report
from scoring.phrases import expand

from .conftest import check_result

FIXTURES = Path(__file__).parent / "fixtures" / "hygiene"
EN_URL = "https://www.northfield-health.example/conditions/hay-fever"
FR_URL = "https://www.northfield-health.example/fr/maladies/rhume-des-foins"

# fixture -> (page URL, {check: status})
FIXTURE_OUTCOMES = {
    "en_good.html": (EN_URL, dict.fromkeys(
        ("canonical", "hreflang", "social-cards", "image-alt", "link-texts"), "pass")),
    "fr_good.html": (FR_URL, dict.fromkeys(
        ("canonical", "hreflang", "social-cards", "image-alt", "link-texts"), "pass")),
    "en_poor.html": ("https://www.riverside-clinic.example/asthma-in-children",
                     {"canonical": "fail", "hreflang": "fail", "social-cards": "fail", "image-alt": "fail",
                      "link-texts": "fail"}),
    "fr_poor.html": ("https://www.cabinet-tilleuls.example/fr/asthme-enfant",
                     {"canonical": "warn", "hreflang": "fail", "social-cards": "warn", "image-alt": "warn",
                      "link-texts": "warn"}),
}

_PROSE = {
    "en": ("Hay fever is an allergic reaction to pollen, usually when it comes into contact with your mouth, nose, "
           "eyes and throat. It is worse between late March and September, when the pollen count is at its highest, "
           "and antihistamines ease most of its symptoms."),
    "fr": ("Le rhume des foins est une réaction allergique aux pollens lorsqu’ils entrent en contact avec la bouche, "
           "le nez, les yeux et la gorge. Il est plus fréquent de mars à septembre, quand les pollens sont les plus "
           "nombreux, et les antihistaminiques soulagent la plupart des symptômes."),
}


def _page(lang: str, head: str = "", article: str = "", chrome: str = "") -> str:
    """A short article in `lang` with `head` in its <head>, `article` after its first paragraph and `chrome` in a
    sidebar."""
    title = "Hay fever" if lang == "en" else "Rhume des foins"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f'<body><header><nav><a href="/">Home</a></nav></header><main><article><h1>{title}</h1>'
            f"<p>{_PROSE[lang]}</p>{article}<p>{_PROSE[lang]}</p></article>"
            f'<aside class="sidebar">{chrome}</aside></main></body></html>')


def _status(html: str, check: str, url: str | None = None) -> dict:
    return check_result(audit_html(html, url), f"hygiene.{check}")


@pytest.mark.parametrize("fixture", sorted(FIXTURE_OUTCOMES))
def test_fixture_outcomes(fixture: str) -> None:
    url, expected = FIXTURE_OUTCOMES[fixture]
    report = audit_html((FIXTURES / fixture).read_bytes(), url)
    found = {c["id"].split(".", 1)[1]: c["status"] for c in report["checks"] if c["category"] == "hygiene"}
    assert found == expected, [c["message"] for c in report["checks"] if c["category"] == "hygiene"]
    if "good" in fixture:
        assert report["categories"]["hygiene"]["score"] == 100.0


def test_french_page_reads_in_french() -> None:
    url, _ = FIXTURE_OUTCOMES["fr_poor.html"]
    report = localize_report(audit_html((FIXTURES / "fr_poor.html").read_bytes(), url), "fr")
    messages = {c["id"]: c["message"] for c in report["checks"]}
    assert messages["hygiene.image-alt"] == "1 image n’a pas de texte alternatif, sur 2 (50\u00a0% décrites)."
    assert messages["hygiene.link-texts"].startswith("2 liens ne disent rien de leur cible")
    assert messages["hygiene.social-cards"] == "Manquant\u00a0: twitter:card."


def test_facts_hold_every_canonical_and_alternate() -> None:
    report = audit_html((FIXTURES / "en_poor.html").read_bytes(), FIXTURE_OUTCOMES["en_poor.html"][0])
    facts = report["facts"]["hygiene"]
    assert [c["href"] for c in facts["canonicals"]] == [
        "https://www.riverside-clinic.example/asthma-in-children",
        "https://www.riverside-clinic.example/children/asthma?ref=menu"]
    assert [(a["lang"], a["url"]) for a in facts["hreflang"]] == [
        ("en-UK", "https://www.riverside-clinic.example/asthma-in-children"),
        ("fr", "https://www.riverside-clinic.example/fr/asthme-enfant")]
    assert facts["images"]["missing"] == ["/uploads/IMG_2041.jpg", "/uploads/banner-2.png"]
    assert [e["text"] for e in facts["link_texts"]["examples"]] == ["click here", "here", "Read more"]


# -- canonical

PAGE = "https://www.northfield-health.example/conditions/hay-fever"


def _canonical(href: str, extra: str = "") -> str:
    return f'<link rel="canonical" href="{href}">{extra}'


@pytest.mark.parametrize(("lang", "head", "url", "status", "key"), [
    ("en", _canonical(PAGE), PAGE, "pass", "pass"),
    ("fr", _canonical(PAGE), PAGE + "#symptomes", "pass", "pass"),  # a fragment is the same page
    ("en", _canonical(PAGE), None, "pass", "pass"),  # page URL unknown: present, absolute, one
    ("fr", _canonical("https://www.northfield-health.example/conditions/allergic-rhinitis"), PAGE, "pass",
     "pass_other"),
    ("en", _canonical("https://partner.example/hay-fever",
                      '<meta property="og:url" content="https://partner.example/hay-fever">'), PAGE, "pass",
     "pass_other"),
    ("en", "", PAGE, "warn", "warn_missing"),
    ("fr", _canonical("/conditions/hay-fever"), PAGE, "warn", "warn_relative"),
    ("en", _canonical("/conditions/hay-fever"), None, "warn", "warn_relative"),  # page URL unknown: stays relative
    ("en", _canonical(PAGE, '<meta property="og:url" content="https://www.northfield-health.example/hay-fever">'),
     PAGE, "warn", "warn_og_url"),
    ("fr", _canonical(PAGE) + _canonical(PAGE + "?utm_source=x"), PAGE, "fail", "fail_several"),
    ("en", _canonical(PAGE) + _canonical(PAGE), PAGE, "pass", "pass"),  # the same URL twice is one canonical
    ("en", _canonical("ftp://files.northfield-health.example/hay-fever"), PAGE, "fail", "fail_invalid"),
    ("fr", _canonical("https://partner.example/hay-fever"), PAGE, "fail", "fail_other_site"),
    ("en", _canonical("https://www.northfield-health.example/"), PAGE, "fail", "fail_root"),
])
def test_canonical(lang: str, head: str, url: str | None, status: str, key: str) -> None:
    result = _status(_page(lang, head), "canonical", url)
    assert (result["status"], result["message_key"]) == (status, key), result["message"]


def test_the_home_page_may_be_its_own_canonical() -> None:
    home = "https://www.northfield-health.example/"
    assert _status(_page("en", _canonical(home)), "canonical", home)["status"] == "pass"


# -- hreflang

def _alternates(*pairs: tuple[str, str]) -> str:
    return "".join(f'<link rel="alternate" hreflang="{code}" href="{href}">' for code, href in pairs)


FR_PAGE = "https://www.northfield-health.example/fr/maladies/rhume-des-foins"
GOOD_SET = (("en-GB", PAGE), ("fr-FR", FR_PAGE), ("x-default", PAGE))


@pytest.mark.parametrize(("lang", "head", "url", "status", "key"), [
    ("en", _alternates(*GOOD_SET), PAGE, "pass", "pass"),
    ("fr", _canonical(FR_PAGE) + _alternates(*GOOD_SET), None, "pass", "pass"),  # self found through the canonical
    ("fr", _alternates(("zh-Hant-TW", PAGE), ("fr", FR_PAGE), ("x-default", PAGE)), FR_PAGE, "pass", "pass"),
    ("en", _alternates(("en", PAGE), ("fr", FR_PAGE)), PAGE, "warn", "warn_no_default"),
    ("en", _alternates(("en-UK", PAGE), ("fr", FR_PAGE), ("x-default", PAGE)), PAGE, "fail", "fail_codes"),
    ("fr", _alternates(("en_GB", PAGE), ("fr", FR_PAGE), ("x-default", PAGE)), FR_PAGE, "fail", "fail_codes"),
    ("fr", _alternates(("fr-FR", "/fr/maladies/rhume-des-foins"), ("en-GB", "/conditions/hay-fever")), FR_PAGE,
     "fail", "fail_relative"),
    ("en", _alternates(("en", "ftp://files.example/hay-fever"), ("fr", FR_PAGE)), PAGE, "fail", "fail_invalid"),
    ("fr", _alternates(("fr", "javascript:void(0)"), ("en", "/conditions/hay-fever")), FR_PAGE, "fail",
     "fail_invalid"),
    ("en", _alternates(("en", PAGE), ("en", PAGE + "-2"), ("x-default", PAGE)), PAGE, "fail", "fail_conflict"),
    ("en", _alternates(("fr", FR_PAGE), ("x-default", FR_PAGE)), PAGE, "fail", "fail_no_self"),
    ("fr", "", FR_PAGE, "not_applicable", "na"),
])
def test_hreflang(lang: str, head: str, url: str | None, status: str, key: str) -> None:
    result = _status(_page(lang, head), "hreflang", url)
    assert (result["status"], result["message_key"]) == (status, key), result["message"]


def test_hreflang_codes() -> None:
    for code in ("en", "en-GB", "en-gb", "fr-CA", "es-ES", "zh-Hans", "x-default", "de-AT"):
        assert checks.valid_hreflang(code), code
    for code in ("en-UK", "en_US", "english", "xx-FR", "fr-FRA", "", "x-default-fr"):
        assert not checks.valid_hreflang(code), code


# -- social cards

SOCIAL = {"og:title": "Hay fever", "og:description": "An allergy to pollen.", "og:image": PAGE + ".jpg",
          "og:url": PAGE, "twitter:card": "summary_large_image"}


def _social(*without: str) -> str:
    return "".join(f'<meta {"name" if k.startswith("twitter") else "property"}="{k}" content="{v}">'
                   for k, v in SOCIAL.items() if k not in without)


@pytest.mark.parametrize(("lang", "without", "status"), [
    ("en", (), "pass"), ("fr", (), "pass"),
    ("en", ("twitter:card",), "warn"), ("fr", ("og:description", "og:url"), "warn"),
    ("en", ("og:image",), "fail"), ("fr", ("og:title",), "fail"), ("en", tuple(SOCIAL), "fail"),
])
def test_social_cards(lang: str, without: tuple[str, ...], status: str) -> None:
    result = _status(_page(lang, _social(*without)), "social-cards", PAGE)
    assert result["status"] == status, result["message"]
    for key in without:
        assert key in result["params"]["missing"]


# -- image alt: pass needs every image (threshold pass_share), fail below half (fail_below_share)

def _images(described: int, bare: int) -> str:
    return ("".join(f'<img src="/img/pollen-{i}.jpg" alt="Pollen grains seen under a microscope, view {i}">'
                    for i in range(described))
            + "".join(f'<img src="/img/photo-{i}.jpg">' for i in range(bare)))


@pytest.mark.parametrize(("lang", "described", "bare", "status"), [
    ("en", 4, 0, "pass"), ("fr", 1, 0, "pass"),
    ("en", 9, 1, "warn"),  # 90%: one image short of the pass share
    ("fr", 2, 2, "warn"),  # exactly half: the fail boundary, still a warning
    ("en", 3, 4, "fail"),  # 43%: just below half
    ("fr", 0, 2, "fail"),
])
def test_image_alt_thresholds(lang: str, described: int, bare: int, status: str) -> None:
    assert REGISTRY["hygiene.image-alt"].threshold_values() == {"pass_share": 1.0, "fail_below_share": 0.5}
    result = _status(_page(lang, article=_images(described, bare)), "image-alt", PAGE)
    assert result["status"] == status, result["message"]
    assert result["params"]["total"] == described + bare


def test_decorative_pixels_and_furniture_images_do_not_count() -> None:
    article = ('<img src="/img/rule.svg" alt="">'  # decorative, marked so
               '<img src="/img/flourish.svg" role="presentation">'
               '<img src="/img/icon.svg" aria-label="Pollen count icon">'
               '<img src="/track.gif" width="1" height="1">'  # a tracking pixel
               '<div class="share-buttons"><img src="/img/facebook.png"></div>')  # furniture inside the article
    result = _status(_page("en", article=article, chrome='<img src="/img/ad.png">'), "image-alt", PAGE)
    assert (result["status"], result["params"]["total"]) == ("pass", 3)
    assert _status(_page("fr"), "image-alt", PAGE)["status"] == "not_applicable"


# -- link texts: pass at none, warn up to max_vague_to_warn, fail above

def _links(lang: str, vague: int) -> str:
    good = ('<a href="https://www.nhs.uk/conditions/hay-fever/">NHS guide to hay fever</a>' if lang == "en" else
            '<a href="https://www.ameli.fr/">fiche de l’Assurance Maladie sur la rhinite allergique</a>')
    texts = ["Read more", "click here", "Learn more »"] if lang == "en" else ["En savoir plus", "Cliquez ici",
                                                                             "Lire la suite…"]
    return f"<p>{good}</p>" + "".join(f'<p><a href="/page-{i}">{texts[i % 3]}</a></p>' for i in range(vague))


@pytest.mark.parametrize(("lang", "vague", "status"), [
    ("en", 0, "pass"), ("fr", 0, "pass"),
    ("en", 1, "warn"), ("fr", 2, "warn"),  # 2: the warn boundary
    ("en", 3, "fail"), ("fr", 3, "fail"),  # one over it
])
def test_link_text_thresholds(lang: str, vague: int, status: str) -> None:
    assert REGISTRY["hygiene.link-texts"].threshold_values() == {"max_vague_to_warn": 2}
    result = _status(_page(lang, article=_links(lang, vague)), "link-texts", PAGE)
    assert result["status"] == status, result["message"]


def test_link_texts_not_applicable_and_what_is_not_vague() -> None:
    assert _status(_page("fr"), "link-texts", PAGE)["status"] == "not_applicable"
    article = ('<p><a href="/a" aria-label="Read more about antihistamines">Read more</a> '
               '<a href="/b">here is how pollen counts are measured</a> <a href="#top">here</a></p>')
    result = _status(_page("en", article=article, chrome='<a href="/news">Read more</a>'), "link-texts", PAGE)
    assert (result["status"], result["params"]["total"]) == ("pass", 2)


@pytest.mark.parametrize("text", ["Read more", "  click HERE ", "Learn more →", "(here)", "En savoir plus",
                                  "lire la suite…", "Cliquez ici", "ici", "Weiterlesen", "Mehr erfahren",
                                  "Leer más", "haz clic aquí", "Más información", "read-more"])
def test_vague_link_texts_in_each_language(text: str) -> None:
    assert VAGUE_LINK_TEXTS.matches(text), text


@pytest.mark.parametrize("text", ["Read more about asthma", "Hay fever treatment", "ici et ailleurs",
                                  "the NICE guideline", "morethan", "hereditary angioedema", "plusieurs"])
def test_descriptive_link_texts(text: str) -> None:
    assert not VAGUE_LINK_TEXTS.matches(text), text


@pytest.mark.parametrize("seed", range(3))
def test_pre_test_agrees_with_the_pattern(seed: int) -> None:
    """The substring pre-test is generated from the phrase list: it never rejects a text the pattern matches."""
    rng = random.Random(seed)
    phrases = [p for phrase in VAGUE_LINK_TEXTS.phrases.phrases for p in expand(phrase)]
    alphabet = "abcdeéèfghiıİſklmnopqrstuvwxyzABCDÉRY0123456789 -’'…»→()"
    for _ in range(3000):
        phrase = list(rng.choice(phrases))
        if rng.random() < 0.5:
            phrase[rng.randrange(len(phrase))] = rng.choice(alphabet)
        text = "".join(c.upper() if rng.random() < 0.2 else c for c in phrase)
        text = rng.choice(["", " ", "» ", "("]) + text + rng.choice(["", " ", " →", "…", ")"])
        full = VAGUE_LINK_TEXTS.pattern.fullmatch(text) is not None
        assert VAGUE_LINK_TEXTS.phrases.possible(text) or not full, text


def test_normalize_url() -> None:
    assert normalize_url("HTTPS://Www.Example.org:443#x") == "https://www.example.org/"
    assert normalize_url("http://example.org:8080/a?b=1") == "http://example.org:8080/a?b=1"
    assert normalize_url("/relative") is None and normalize_url("mailto:a@b.org") is None
    assert normalize_url("http://[::1") is None  # malformed: not a URL, no exception


@pytest.mark.parametrize(("href", "kind"), [
    ("https://www.example.org/a", "absolute"), ("HTTP://Example.org", "absolute"),
    ("/a", "relative"), ("a/b", "relative"), ("//cdn.example.org/a", "relative"), ("?page=2", "relative"),
    ("ftp://files.example.org/a", "invalid"), ("javascript:void(0)", "invalid"), ("mailto:a@b.org", "invalid"),
    ("https:/a", "invalid"), ("http://[::1", "invalid")])
def test_canonical_and_hreflang_hrefs_are_read_by_one_validation(href: str, kind: str) -> None:
    assert href_kind(href) == kind


def test_pre_test_agrees_with_the_pattern_on_every_corpus_link() -> None:
    from scoring.page.model import Page

    corpus = Path(os.environ.get("HEALTHGEO_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "corpus"
    if not (corpus / "pages").is_dir():
        pytest.skip("../shared is not available")
    texts = {link.text for path in sorted((corpus / "pages").glob("*.html"))
             for link in Page.parse(path.read_bytes()).links}
    assert len(texts) > 1000
    for text in texts:
        full = len(text) <= 40 and VAGUE_LINK_TEXTS.pattern.fullmatch(text) is not None
        assert VAGUE_LINK_TEXTS.matches(text) == full, text


def test_broken_urls_are_findings_not_errors() -> None:
    head = (_canonical(PAGE) + _canonical("http://[::1") + _alternates(("en", "http://[zz]/"), ("fr", FR_PAGE))
            + '<meta property="og:url" content="http://[::1">')
    for url in (None, PAGE):
        report = audit_html(_page("en", head), url)
        assert check_result(report, "hygiene.canonical")["message_key"] == "fail_several"
        assert check_result(report, "hygiene.hreflang")["status"] == "fail"


@pytest.mark.parametrize("extra", [0, 1])
def test_hreflang_cap_at_its_boundary(extra: int) -> None:
    from scoring.limits import MAX_HREFLANG

    head = _alternates(*((f"en-{i}", f"https://www.northfield-health.example/{i}")
                         for i in range(MAX_HREFLANG + extra)))
    report = audit_html(_page("en", head), PAGE)
    assert len(report["facts"]["hygiene"]["hreflang"]) == MAX_HREFLANG
    assert [f["count"] for f in report["limits"] if f["code"] == "hreflang"] == ([MAX_HREFLANG + 1] if extra else [])


@pytest.mark.parametrize("where", ["canonical", "base", "og:url"])
@pytest.mark.parametrize("url", [None, PAGE])
def test_a_url_urllib_cannot_read_is_never_the_base(where: str, url: str | None) -> None:
    """'http://[::1' as the first canonical, <base> or og:url raised in the page model (a 500 through the API)."""
    head = {"canonical": _canonical("http://[::1"), "base": '<base href="http://[::1">',
            "og:url": '<meta property="og:url" content="http://[::1">'}[where]
    report = audit_html(_page("fr", head, article='<p><a href="fiche/asthme">la fiche sur l’asthme</a></p>'), url)
    assert report["url"] == url
    if where == "canonical":
        assert check_result(report, "hygiene.canonical")["message_key"] == "fail_invalid"


# -- evidence: links (canonical, page, og_url, alternate with its code, image) and social cards as excerpts

def _evidence(html: str, check: str, url: str | None = PAGE) -> list[tuple]:
    evidence = _status(html, check, url)["evidence"]
    if evidence is None:
        return []
    if evidence["kind"] == "excerpts":
        return [(item["terms"][0], item["text"]) for item in evidence["items"]]
    assert evidence["kind"] == "links"
    return [(item["category"], item["text"], item["url"]) for item in evidence["items"]]


def test_canonical_evidence_names_the_urls_it_compared() -> None:
    other = "https://partner.example/hay-fever"
    assert _evidence(_page("fr", _canonical(other)), "canonical") == [
        ("canonical", None, other), ("page", None, PAGE)]
    og = '<meta property="og:url" content="https://www.northfield-health.example/hay-fever">'
    assert _evidence(_page("en", _canonical(PAGE, og)), "canonical") == [
        ("canonical", None, PAGE), ("og_url", None, "https://www.northfield-health.example/hay-fever")]
    assert _evidence(_page("en", _canonical(PAGE) + _canonical(PAGE + "?utm_source=x")), "canonical") == [
        ("canonical", None, PAGE), ("canonical", None, PAGE + "?utm_source=x")]
    assert _evidence(_page("fr", _canonical("/conditions/hay-fever")), "canonical", None) == [
        ("canonical", None, "/conditions/hay-fever")]  # as written


def test_hreflang_evidence_gives_each_code_with_its_url() -> None:
    assert _evidence(_page("en", _alternates(*GOOD_SET)), "hreflang") == [
        ("alternate", code, url) for code, url in GOOD_SET]
    bad = _alternates(("en-UK", PAGE), ("fr", FR_PAGE), ("x-default", PAGE))
    assert _evidence(_page("en", bad), "hreflang") == [("alternate", "en-UK", PAGE)]  # the invalid code only
    relative = _alternates(("fr-FR", "/fr/maladies/rhume-des-foins"), ("en-GB", PAGE))
    assert _evidence(_page("fr", relative), "hreflang", FR_PAGE) == [
        ("alternate", "fr-FR", "/fr/maladies/rhume-des-foins")]
    clash = _alternates(("en", PAGE), ("EN", PAGE + "-2"), ("x-default", PAGE))
    assert _evidence(_page("en", clash), "hreflang") == [("alternate", "en", PAGE), ("alternate", "EN", PAGE + "-2")]
    no_self = _alternates(("fr", FR_PAGE), ("x-default", FR_PAGE))
    assert _evidence(_page("en", no_self), "hreflang") == [
        ("page", None, PAGE), ("alternate", "fr", FR_PAGE), ("alternate", "x-default", FR_PAGE)]


def test_social_cards_evidence_gives_each_value_under_its_property() -> None:
    assert _evidence(_page("fr", _social("og:image", "og:url", "twitter:card")), "social-cards") == [
        ("og:title", SOCIAL["og:title"]), ("og:description", SOCIAL["og:description"])]
    assert _evidence(_page("en"), "social-cards") == []


def test_image_and_link_evidence_points_at_the_images_and_links() -> None:
    assert _evidence(_page("en", article=_images(1, 2)), "image-alt") == [
        ("image", None, "/img/photo-0.jpg"), ("image", None, "/img/photo-1.jpg")]
    assert _evidence(_page("en", article=_images(2, 0)), "image-alt") == []
    assert _evidence(_page("fr", article=_links("fr", 2)), "link-texts") == [
        (None, "En savoir plus", "https://www.northfield-health.example/page-0"),
        (None, "Cliquez ici", "https://www.northfield-health.example/page-1")]


def test_hygiene_evidence_reads_in_each_language() -> None:
    from service.reports.evidence import evidence_lines

    other = "https://partner.example/hay-fever"
    report = audit_html(_page("fr", _canonical(other) + _alternates(("en-UK", PAGE), ("fr", FR_PAGE))), PAGE)
    canonical = check_result(report, "hygiene.canonical")["evidence"]
    assert evidence_lines(canonical, "en") == [f"{other} (canonical URL)", f"{PAGE} (this page)"]
    assert evidence_lines(canonical, "fr") == [f"{other} (URL canonique)", f"{PAGE} (cette page)"]
    hreflang = check_result(report, "hygiene.hreflang")["evidence"]
    assert evidence_lines(hreflang, "en") == [f"en-UK: {PAGE} (language version)"]
    assert evidence_lines(hreflang, "fr") == [f"en-UK\u00a0: {PAGE} (version linguistique)"]
