"""`fix --apply` takes out the microdata and RDFa statements the validator rejects: each unfixed error it can pin to
one attribute token of one start tag carries a `remove` (attribute, token, line, the tag as written), `changes`
records it, and apply_fix edits only that token. What cannot be pinned down gets no removal and no edit."""

from __future__ import annotations

import pytest

from scoring import audit_html
from scoring.fix import apply_fix, fix_html, fix_removals
from scoring.fix.apply import apply_fix_bytes
from scoring.i18n import localize_fix
from scoring.page.model import Page
from service.cli import main as cli

from .conftest import FIXTURES

# a French page whose author has two profile links in microdata: one a web page, one an e-mail address
FR_SAMEAS = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Migraine : reconnaître une crise</title>
<link rel="canonical" href="https://www.bien-vivre.example/migraine"></head>
<body><article itemscope itemtype="https://schema.org/Article">
<h1 itemprop="headline">Migraine : reconnaître une crise</h1>
<p>Par <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Claire Dubois</span>
(<a itemprop="sameAs" href="https://www.linkedin.com/in/claire-dubois">LinkedIn</a>,
<a itemprop="sameAs" href="mailto:claire.dubois@bien-vivre.example">courriel</a>)</span>,
le <time itemprop="datePublished" datetime="2025-04-02">2 avril 2025</time></p>
<p>La migraine se manifeste par un mal de tête pulsatile, souvent d’un seul côté, qui dure de quatre heures à trois
jours. La lumière et le bruit l’aggravent ; le repos dans le noir soulage.</p>
</article></body></html>
""".encode()

# an English page mixing Open Graph and schema.org in one RDFa property attribute
EN_MIXED_TOKENS = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hay fever: what helps</title>
<link rel="canonical" href="https://www.pollen-watch.example/hay-fever"></head>
<body vocab="https://schema.org/" prefix="og: https://ogp.me/ns#">
<article typeof="Article" resource="https://www.pollen-watch.example/hay-fever#article">
<h1 property="headline">Hay fever: what helps</h1>
<meta property="og:updated_time dateModified" content="2025-13-02">
<p>Antihistamine tablets and nasal sprays ease sneezing and itchy eyes. Start them a few weeks before the pollen
season and keep windows shut on high-pollen days.</p>
</article></body></html>
"""


def _fixture(name: str) -> bytes:
    return (FIXTURES / "fix" / name).read_bytes()


PAGES = {
    "fr_microdata_article": lambda: _fixture("fr_microdata_article.html"),
    "en_rdfa_article": lambda: _fixture("en_rdfa_article.html"),
    "fr_sameas": lambda: FR_SAMEAS,
    "en_mixed_tokens": lambda: EN_MIXED_TOKENS,
}


def _markup_errors(report: dict) -> set[tuple]:
    return {(e["code"], e.get("property"), e["message"]) for e in report["facts"]["structured_data"]["errors"]
            if e.get("syntax") in ("microdata", "rdfa")}


def _markup_score(report: dict) -> float:
    return report["categories"]["markup"]["score"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_written_page_loses_the_errors_it_removes_and_nothing_else(name):
    raw = PAGES[name]()
    before = audit_html(raw)
    fix = before["fix"]
    removed = [u for u in fix["unfixed"] if u.get("remove")]
    assert removed, "each of these pages has a statement to remove"
    written = apply_fix(raw, fix["script"], fix_removals(fix))
    after = audit_html(written)
    assert not {(u["code"], u["property"], u["message"]) for u in removed} & _markup_errors(after)
    assert _markup_errors(after) <= _markup_errors(before)
    script_only = audit_html(apply_fix(raw, fix["script"]))
    assert _markup_score(after) >= max(_markup_score(before), _markup_score(script_only))
    assert Page.parse(written).body_text == Page.parse(raw).body_text  # the reader sees the same page


def test_a_removal_names_the_attribute_the_token_the_line_and_the_tag():
    fix = fix_html(_fixture("en_rdfa_article.html"))
    removals = {(u["code"], u["property"]): u.get("remove") for u in fix["unfixed"]}
    assert removals[("invalid-date", "datePublished")] == [
        {"attribute": "property", "value": "datePublished", "line": 16,
         "tag": '<time property="datePublished" datetime="12 May 2025">'}]
    assert removals[("invalid-url", "sameAs")] == [
        {"attribute": "property", "value": "sameAs", "line": 15,
         "tag": '<a property="sameAs" href="mailto:amy.lee@northgate-clinic.example">'}]
    # one span, two errors (a WebPage property on an Article, and no such day): one removal, one change
    assert removals[("invalid-date", "lastReviewed")] == removals[("property-not-expected", "lastReviewed")]
    changes = [c for c in fix["changes"] if c["reason_code"] == "markup-statement-removed"]
    assert sorted((c["path"], c["property"], c["value"]) for c in changes) == [
        ("rdfa", "datePublished", "12 May 2025"), ("rdfa", "lastReviewed", "2025-06-31"),
        ("rdfa", "sameAs", "mailto:amy.lee@northgate-clinic.example")]
    assert all(c["action"] == "remove" for c in changes)


@pytest.mark.parametrize(("name", "prop", "kept", "edited"), [
    ("en_rdfa_article", "sameAs", '<a property="sameAs" href="https://www.linkedin.com/in/amy-lee-gp">',
     '<a href="mailto:amy.lee@northgate-clinic.example">'),
    ("fr_sameas", "sameAs", '<a itemprop="sameAs" href="https://www.linkedin.com/in/claire-dubois">',
     '<a href="mailto:claire.dubois@bien-vivre.example">'),
    ("en_mixed_tokens", "dateModified", '<h1 property="headline">',
     '<meta property="og:updated_time" content="2025-13-02">'),
])
def test_only_the_broken_statement_is_taken_out(name, prop, kept, edited):
    raw = PAGES[name]()
    fix = fix_html(raw)
    written = apply_fix(raw, fix["script"], fix_removals(fix))
    assert kept in written and edited in written
    assert len([r for r in fix_removals(fix) if r["value"] == prop]) == 1


def test_the_changes_speak_english_and_french():
    fix = fix_html(_fixture("fr_microdata_article.html"))
    english = next(c["reason"] for c in fix["changes"] if c["reason_code"] == "markup-statement-removed"
                   and c["property"] == "dateModified")
    assert english.startswith("Line 15 (microdata): dateModified must be an ISO 8601")
    assert english.endswith("With --apply, “dateModified” is taken out of the itemprop attribute of the tag on that "
                            "line.")
    french = next(c["reason"] for c in localize_fix(fix, "fr")["changes"]
                  if c["reason_code"] == "markup-statement-removed" and c["property"] == "dateModified")
    assert french.startswith("Ligne 15 (microdata)\u00a0: ")
    assert "«\u00a0dateModified\u00a0» est retiré de l’attribut itemprop" in french
    assert localize_fix(fix, "fr")["unfixed"][1]["remove"] == fix["unfixed"][1]["remove"]


# two teasers of a minified listing: the same broken tag twice on one line, which no line and tag can tell apart
MINIFIED = (b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Latest health news</title></head>'
            b'<body><h1>Latest health news</h1>'
            b'<div itemscope itemtype="https://schema.org/NewsArticle"><h2 itemprop="headline">Flu season starts early'
            b'</h2><meta itemprop="dateModified" content="2025-13-01"></div>'
            b'<div itemscope itemtype="https://schema.org/NewsArticle"><h2 itemprop="headline">New guidance on sleep'
            b'</h2><meta itemprop="dateModified" content="2025-13-01"></div></body></html>\n')

# a comment's author given as a Person where schema.org wants the comment's name as text: removing the attribute
# would free the Person as a node of its own
ITEM_VALUED = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reader comments</title></head>
<body vocab="https://schema.org/"><h1>Reader comments</h1>
<div typeof="Comment" resource="https://www.example.org/comments/7">
<p property="name" typeof="Person"><span property="name">Jo Ames</span></p>
<p property="text">The advice on sleep helped me a lot.</p>
</div></body></html>
"""


@pytest.mark.parametrize("raw", [MINIFIED, ITEM_VALUED], ids=["identical-tags-on-one-line", "item-valued"])
def test_what_cannot_be_pinned_down_gets_no_removal_and_no_edit(raw):
    fix = fix_html(raw)
    errors = [u for u in fix["unfixed"] if u["syntax"] in ("microdata", "rdfa") and u["code"] != "multiple-page-types"]
    assert errors and not any("remove" in u for u in errors)
    assert not [c for c in fix["changes"] if c["reason_code"] == "markup-statement-removed"]
    assert apply_fix(raw, fix["script"], fix_removals(fix)) == apply_fix(raw, fix["script"])


def test_a_latin1_page_keeps_every_byte_outside_the_edit(tmp_path):
    raw = ('<!DOCTYPE html>\n<html lang="fr"><head><meta charset="iso-8859-1"><title>Varicelle : les signes</title>'
           '</head>\n<body><article itemscope itemtype="https://schema.org/Article">\n'
           '<h1 itemprop="headline">Varicelle : les signes</h1>\n'
           '<p>Mise à jour <meta itemprop="dateModified" title="mise à jour" content="2025-02-30">'
           'le 3 février 2025.</p>\n<p>Des boutons qui démangent, une fièvre légère : la varicelle guérit seule en '
           'une à deux semaines chez l’enfant.</p>\n</article></body></html>\n').encode("latin-1", errors="replace")
    fix = fix_html(raw)
    assert fix_removals(fix) == [{"attribute": "itemprop", "value": "dateModified", "line": 5,
                                  "tag": '<meta itemprop="dateModified" title="mise à jour" content="2025-02-30">'}]
    out = apply_fix_bytes(raw, fix["script"], None, fix_removals(fix))
    assert out == apply_fix_bytes(raw, fix["script"]).replace(b' itemprop="dateModified"', b"", 1)
    assert b'<meta title="mise \xe0 jour" content="2025-02-30">le 3 f\xe9vrier 2025.' in out
    path, written = tmp_path / "page.html", tmp_path / "fixed.html"
    path.write_bytes(raw)
    assert cli.main(["fix", str(path), "--apply", "-o", str(written)]) == 0
    assert written.read_bytes() == out
    assert not _markup_errors(audit_html(out))


def test_comments_and_scripts_are_not_tags():
    raw = ('<html><head><title>Gout</title></head><body><article itemscope itemtype="https://schema.org/Article">'
           '<h1 itemprop="headline">Gout</h1><!-- <meta itemprop="dateModified" content="2025-13-01"> -->'
           '<script>document.write(\'<meta itemprop="dateModified" content="2025-13-01">\')</script>'
           '<meta itemprop="dateModified" content="2025-13-01"><p>Gout is a painful swelling of a joint, often the '
           'big toe.</p></article></body></html>')
    fix = fix_html(raw)
    written = apply_fix(raw, fix["script"], fix_removals(fix))
    assert written.count('<meta itemprop="dateModified" content="2025-13-01">') == 2  # the comment's, the script's
    assert '--><script>document.write(\'<meta itemprop="dateModified" content="2025-13-01">\')</script>' \
           '<meta content="2025-13-01"><p>' in written


def test_a_removal_the_page_no_longer_matches_is_skipped():
    raw = _fixture("fr_microdata_article.html")
    fix = fix_html(raw)
    stale = [{**r, "line": r["line"] + 1} for r in fix_removals(fix)]
    assert apply_fix(raw, fix["script"], stale) == apply_fix(raw, fix["script"])


def test_the_script_alone_says_what_it_leaves_on_the_page(capsys, monkeypatch):
    """`fix` without --apply prints the script and says on stderr how many attributes only --apply takes out."""
    monkeypatch.delenv("HEALTHGEO_LANG", raising=False)
    page = str(FIXTURES / "fix" / "en_rdfa_article.html")
    removals = fix_removals(fix_html((FIXTURES / "fix" / "en_rdfa_article.html").read_bytes()))
    tokens = len({(r["line"], r["attribute"], r["value"]) for r in removals})
    assert 1 < tokens < len(removals)  # one attribute can carry two errors: counted once
    assert cli.main(["fix", page]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("<script") and f"{tokens} attributes of the page’s microdata or RDFa are wrong" in err
    assert cli.main(["fix", page, "--lang", "fr"]) == 0
    assert f"{tokens} attributs du balisage microdata ou RDFa de la page sont erronés" in capsys.readouterr().err
    clean = str(FIXTURES / "pages" / "en_mixed_article.html")
    assert cli.main(["fix", clean]) == 0 and capsys.readouterr().err == ""
