"""The WordPress plugin in a real WordPress, driven in Chromium: an editor writes a French health post, reads the
Healthgeo panel, is refused publication below the threshold with the reasons shown, fixes the post, publishes it,
and the published page carries JSON-LD that Healthgeo's own validator accepts.

Needs Debian's wordpress, php-cli, php-mysql and a running MariaDB (``.ci/run`` installs and starts them) and
Chromium with Playwright. Locally the test skips when one is missing; under CI=true it fails instead.
Screenshots go to tests/artifacts/ (copies of them are docs/wordpress-*.png).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lxml_html

from scoring import audit_html
from scoring.markup.structured import extract_structured
from scoring.markup.validate import validate_nodes
from tests import redis_helper
from tests.conftest import check_result
from tests.test_api_gunicorn import free_port, start, stop, wait_ready
from tests.wordpress_env import ADMIN_PASSWORD, ADMIN_USER, missing, start_wordpress

CHROMIUM = os.environ.get("HEALTHGEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
THRESHOLD = 70
TIMEOUT = 90_000  # ms: a busy 2-core machine runs WordPress, gunicorn and Chromium at once

TITLE = "Asthme : soigner ses crises naturellement"
POOR_POST = """
<p>L’asthme touche beaucoup de monde et il existe de nombreux remèdes naturels qui peuvent aider à mieux respirer au
quotidien sans forcément passer par des médicaments, comme le miel, le gingembre ou les huiles essentielles que chacun
peut essayer chez soi selon ses préférences et ses habitudes de vie.</p>
<p>Beaucoup de personnes disent que le gingembre calme les crises et que l’eucalyptus dégage les bronches, et on
entend souvent que 80 % des asthmatiques vont mieux en changeant leur alimentation, ce qui montre bien que la nature
offre des solutions simples et efficaces pour tout le monde.</p>
<p>En cas de crise, il suffit souvent de se calmer et de respirer lentement, et la plupart du temps les symptômes
passent tout seuls sans qu’il soit nécessaire de consulter.</p>
"""
FIXED_TITLE = "Asthme : les remèdes naturels remplacent-ils le traitement ?"
FIXED_POST = """
<p><strong>En bref :</strong> l’asthme est une maladie chronique des bronches. Un traitement de fond bien suivi évite
la plupart des crises. Les remèdes naturels ne remplacent pas ce traitement.</p>
<p>Relecture médicale : Dr Paul Durand, pneumologue. Relu le 2 décembre 2026.</p>
<h2>Qu’est-ce que l’asthme ?</h2>
<p>L’asthme est une inflammation chronique des bronches. Elle rend la respiration difficile par moments. Selon
<a href="https://www.santepubliquefrance.fr/maladies-et-traumatismes/maladies-et-infections-respiratoires/asthme">Santé
publique France</a>, environ 4 millions de personnes sont asthmatiques en France.</p>
<h2>Comment reconnaître une crise ?</h2>
<ul><li>Une toux sèche, surtout la nuit.</li><li>Un sifflement quand on respire.</li>
<li>Une gêne ou une oppression dans la poitrine.</li></ul>
<p>Une crise qui ne cède pas au traitement est une urgence : appelez le 15.</p>
<h2>Les remèdes naturels sont-ils utiles ?</h2>
<p>Aucune étude sérieuse ne montre qu’un remède naturel remplace le traitement de fond. La
<a href="https://www.has-sante.fr/jcms/p_3180440/fr/asthme-de-l-adulte">Haute Autorité de santé</a> recommande un
traitement adapté à chaque patient. Une revue publiée dans la
<a href="https://doi.org/10.1002/14651858.CD001186.pub3">Cochrane Library</a> n’a pas trouvé de bénéfice clair des
huiles essentielles.</p>
<h2>Références</h2>
<ol><li><a href="https://www.has-sante.fr/jcms/p_3180440/fr/asthme-de-l-adulte">HAS. Prise en charge de l’asthme de
l’adulte. 2021.</a></li>
<li><a href="https://www.santepubliquefrance.fr/maladies-et-traumatismes/maladies-et-infections-respiratoires/asthme">
Santé publique France. Asthme. 2024.</a></li>
<li><a href="https://doi.org/10.1002/14651858.CD001186.pub3">Revue Cochrane, 2020.</a></li></ol>
<p><em>Cet article ne remplace pas l’avis d’un médecin ou d’un pharmacien. L’auteure ne déclare aucun lien
d’intérêts.</em></p>
"""
FIXED_EXCERPT = ("Asthme : ce que les remèdes naturels peuvent et ne peuvent pas faire, et pourquoi le traitement "
                 "de fond reste indispensable.")


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run the WordPress end-to-end test (.ci/run installs the packages)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """A real Healthgeo API (gunicorn) on a free loopback port, and a key made by `healthgeo keys create`."""
    prefix = redis_helper.new_prefix()
    tmp = tmp_path_factory.mktemp("healthgeo-api")
    env = {**os.environ, "REDIS_URL": redis_helper.redis_url(), "HEALTHGEO_KEY_PREFIX": prefix}
    created = subprocess.run([sys.executable, "-m", "service.cli", "keys", "create", "--name", "wordpress"],
                             cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True,
                             timeout=120)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    port = free_port()
    proc = start({"HEALTHGEO_KEY_PREFIX": prefix}, ["--bind", f"127.0.0.1:{port}"], tmp)
    try:
        wait_ready(proc, f"http://127.0.0.1:{port}", seconds=120)
        yield f"http://127.0.0.1:{port}", key
    finally:
        stop(proc)
        redis_helper.cleanup(prefix)


@pytest.fixture(scope="module")
def wordpress(request):
    reason = missing()
    if reason:
        _unavailable(reason)
    api_url, api_key = request.getfixturevalue("api")  # started only once WordPress is known to be there
    wp = start_wordpress(free_port(), api_url, api_key, THRESHOLD)
    yield wp
    log = wp.debug_log()
    wp.stop()
    # WordPress 6.1 itself logs PHP 8.2 deprecations; the plugin must log nothing at all.
    ours = [line for line in log.splitlines() if "/plugins/healthgeo/" in line or "PHP Fatal" in line]
    assert ours == [], "\n".join(ours[-20:])


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _set_post(page, title: str, body: str, excerpt: str = "") -> None:
    page.evaluate("""([title, body, excerpt]) => {
        wp.data.dispatch('core/editor').editPost({ title, excerpt });
        wp.data.dispatch('core/editor').resetEditorBlocks(wp.blocks.rawHandler({ HTML: body }));
    }""", [title, body, excerpt])


def _login_and_new_post(page, wp) -> None:
    page.goto(wp.base + "/wp-login.php", timeout=TIMEOUT)
    page.fill("#user_login", ADMIN_USER)
    page.fill("#user_pass", ADMIN_PASSWORD)
    page.click("#wp-submit")
    page.wait_for_url("**/wp-admin/**", timeout=TIMEOUT)
    page.goto(wp.base + "/wp-admin/post-new.php", timeout=TIMEOUT)
    page.wait_for_function("window.wp && wp.data && wp.data.select('core/editor').getCurrentPostId()",
                           timeout=TIMEOUT)
    page.evaluate("""() => {
        const editPost = wp.data.select('core/edit-post');
        if (editPost.isFeatureActive('welcomeGuide')) wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
    }""")


def test_editor_is_refused_below_the_threshold_then_publishes_the_fixed_post(browser, wordpress):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    try:
        _login_and_new_post(page, wordpress)
        title = page.locator(".editor-post-title__input")
        title.click()
        page.keyboard.type(TITLE)
        _set_post(page, TITLE, POOR_POST)
        page.evaluate("wp.data.dispatch('core/editor').savePost()")  # saving a draft is never gated
        page.wait_for_function("wp.data.select('core/editor').getCurrentPostAttribute('status') === 'draft' && "
                               "!wp.data.select('core/editor').isSavingPost()", timeout=TIMEOUT)

        # The sidebar panel, in French: score and grade, what publishing will do, the failed checks and their fixes.
        page.evaluate("wp.data.dispatch('core/edit-post').openGeneralSidebar('healthgeo/healthgeo-sidebar')")
        sidebar = page.locator(".interface-complementary-area")
        sidebar.locator("button.healthgeo-analyse", has_text="Analyser").click()
        score = sidebar.locator(".healthgeo-score")
        score.wait_for(timeout=TIMEOUT)
        match = re.fullmatch(r"Score (\d+(?:,\d)?)/100 · note ([A-F])", score.inner_text())  # French decimal comma
        assert match and float(match.group(1).replace(",", ".")) < THRESHOLD, score.inner_text()
        outcome = sidebar.locator(".healthgeo-outcome--blocked")
        assert outcome.inner_text().startswith("La publication sera refusée\u00a0: le score est sous le seuil de 70.")
        disclaimer = sidebar.locator(".healthgeo-problem[data-check='trust.medical-disclaimer']")
        assert "Aucun avertissement médical." in disclaimer.inner_text()
        assert "Comment corriger\u00a0:" in disclaimer.inner_text()
        report_link = sidebar.locator("a.healthgeo-report-link", has_text="Rapport complet").get_attribute("href")
        report = page.request.get(report_link, timeout=TIMEOUT)  # the editor's cookies; the key stays on the server
        assert report.status == 200 and '<html lang="fr"' in report.text()
        assert "script-src" in report.headers["content-security-policy"]
        assert page.request.get(report_link.replace("_wpnonce=", "_wpnonce=x"), timeout=TIMEOUT).status == 403
        _shot(page, "wordpress-panel")

        # Publishing: the pre-publish panel analyses and says it will be refused; the server refuses.
        page.click(".editor-post-publish-panel__toggle")
        prepublish = page.locator(".editor-post-publish-panel")
        prepublish.locator(".healthgeo-outcome--blocked").wait_for(timeout=TIMEOUT)
        prepublish.locator(".editor-post-publish-button").click()
        notice = page.locator(".components-notice.is-error", has_text="Healthgeo")
        notice.wait_for(timeout=TIMEOUT)
        assert "sous le seuil de publication de 70" in notice.inner_text()
        assert "Précise qu’elle ne remplace pas l’avis d’un professionnel de santé" in notice.inner_text()
        # The pre-publish panel analyses again after the failed save; its reasons stay beside the notice.
        prepublish.locator(".healthgeo-outcome--blocked").wait_for(timeout=TIMEOUT)
        assert prepublish.locator(".healthgeo-problem[data-check='trust.medical-disclaimer']").is_visible()
        _shot(page, "wordpress-refusal")
        post_id = page.evaluate("wp.data.select('core/editor').getCurrentPostId()")
        assert wordpress.php(f"<?php require __DIR__ . '/wp-load.php'; echo get_post_status( {post_id} );",
                             "status").strip() == "draft"

        # The REST API and the other paths (quick edit, code) are gated on the server too.
        refused = page.evaluate("""id => wp.apiFetch({ path: '/wp/v2/posts/' + id, method: 'POST',
            data: { status: 'publish' } }).then(() => 'published', e => e.code)""", post_id)
        assert refused == "healthgeo_publish_refused"
        status = wordpress.php("<?php require __DIR__ . '/wp-load.php'; wp_set_current_user( 1 ); "
                               f"wp_update_post( array( 'ID' => {post_id}, 'post_status' => 'publish' ) ); "
                               f"clean_post_cache( {post_id} ); echo get_post_status( {post_id} );", "update")
        assert status.strip() == "draft"

        # The editor fixes the post and publishes it.
        page.locator(".editor-post-publish-panel__header-cancel-button button, "
                     ".editor-post-publish-panel__header-cancel-button").first.click()
        _set_post(page, FIXED_TITLE, FIXED_POST, FIXED_EXCERPT)
        page.click(".editor-post-publish-panel__toggle")
        prepublish.locator(".healthgeo-outcome--passed").wait_for(timeout=TIMEOUT)
        prepublish.locator(".editor-post-publish-button").click()
        page.wait_for_function("wp.data.select('core/editor').isCurrentPostPublished()", timeout=TIMEOUT)
        permalink = page.evaluate("wp.data.select('core/editor').getPermalink()")

        # The posts list shows the audit, sortable by score.
        page.goto(wordpress.base + "/wp-admin/edit.php?orderby=healthgeo&order=desc", timeout=TIMEOUT)
        cell = page.locator(f"#post-{post_id} td.column-healthgeo")
        assert re.match(r"\d+(?:,\d)?/100 \([A-F]\)", cell.inner_text()), cell.inner_text()
        assert errors == [], errors
    finally:
        context.close()

    meta = json.loads(wordpress.php(
        "<?php require __DIR__ . '/wp-load.php'; echo wp_json_encode( array( "
        f"'score' => get_post_meta( {post_id}, '_healthgeo_score', true ), "
        f"'id' => get_post_meta( {post_id}, '_healthgeo_audit_id', true ), "
        f"'date' => get_post_meta( {post_id}, '_healthgeo_audited_at', true ), "
        f"'outcome' => get_post_meta( {post_id}, '_healthgeo_outcome', true ) ) );", "meta"))
    assert float(meta["score"]) >= THRESHOLD and meta["id"] and meta["date"] and meta["outcome"] == "passed"

    # The published page carries the corrected JSON-LD in its head, and Healthgeo's validator accepts it.
    with urllib.request.urlopen(permalink, timeout=60) as resp:
        published = resp.read()
    head = lxml_html.fromstring(published).find("head")
    scripts = head.xpath("script[@type='application/ld+json'][@class='healthgeo-jsonld']")
    assert len(scripts) == 1
    alone = lxml_html.fromstring("<html><head>" + lxml_html.tostring(scripts[0], encoding="unicode") + "</head></html>")
    ours = extract_structured(alone, permalink)
    assert ours.errors == [] and {"MedicalWebPage", "Person"} <= set(ours.types)
    errors, _warnings = validate_nodes(list(ours.iter_nodes()))
    assert errors == []
    report = audit_html(published, permalink)
    assert check_result(report, "markup.jsonld-syntax")["status"] == "pass"
    assert check_result(report, "markup.schema-valid")["status"] == "pass"



def test_quick_edit_is_refused_with_the_reasons_in_its_row(browser, wordpress):
    post_id = int(wordpress.php(f"""<?php
require __DIR__ . '/wp-load.php';
$content = <<<'HTML'
{POOR_POST}
HTML;
echo wp_insert_post( array( 'post_title' => 'Asthme : le miel suffit-il ?', 'post_status' => 'draft',
	'post_author' => 1, 'post_content' => $content ) );
""", "quick-edit-draft"))
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(wordpress.base + "/wp-login.php", timeout=TIMEOUT)
        page.fill("#user_login", ADMIN_USER)
        page.fill("#user_pass", ADMIN_PASSWORD)
        page.click("#wp-submit")
        page.wait_for_url("**/wp-admin/**", timeout=TIMEOUT)
        page.goto(wordpress.base + "/wp-admin/edit.php", timeout=TIMEOUT)
        row = page.locator(f"#post-{post_id}")
        row.hover()
        row.locator("button.editinline").click()
        editor = page.locator(f"#edit-{post_id}")
        editor.locator("select[name='_status']").select_option("publish")
        editor.locator("button.save").click()
        error = editor.locator(".inline-edit-save .error", has_text="Healthgeo")
        error.wait_for(timeout=TIMEOUT)
        assert "sous le seuil de publication de 70" in error.inner_text()
    finally:
        context.close()
    status = wordpress.php(f"<?php require __DIR__ . '/wp-load.php'; echo get_post_status( {post_id} );", "status")
    assert status.strip() == "draft"

_REST_PUBLISH = """<?php
require __DIR__ . '/wp-load.php';
$user = get_user_by( 'login', '{login}' );
wp_set_current_user( $user->ID );
$content = <<<'HTML'
{content}
HTML;
$id = wp_insert_post( array( 'post_title' => 'Asthme : un remède de grand-mère', 'post_status' => 'draft',
	'post_author' => $user->ID, 'post_content' => $content ) );
$request = new WP_REST_Request( 'POST', '/wp/v2/posts/' . $id );
$request->set_body_params( array( 'status' => 'publish',
	'meta' => array( '_healthgeo_override_reason' => '{reason}' ) ) );
$response = rest_do_request( $request );
clean_post_cache( $id );
echo wp_json_encode( array( 'status' => $response->get_status(), 'post_status' => get_post_status( $id ),
	'code' => $response->is_error() ? $response->as_error()->get_error_code() : '',
	'override' => get_post_meta( $id, '_healthgeo_override', true ),
	'outcome' => get_post_meta( $id, '_healthgeo_outcome', true ) ) );
"""


def test_publishing_anyway_takes_the_capability_and_keeps_the_reason(wordpress):
    reason = "Alerte sanitaire : publication urgente validée par la rédaction en chef"
    author = wordpress.php("<?php require __DIR__ . '/wp-load.php'; echo wp_insert_user( array( 'user_login' => "
                           "'auteur', 'user_pass' => wp_generate_password(), 'role' => 'author' ) );", "author")
    assert author.strip().isdigit()
    refused = json.loads(wordpress.php(_REST_PUBLISH.format(login="auteur", reason=reason, content=POOR_POST),
                                       "rest-author"))
    assert (refused["status"], refused["code"], refused["post_status"]) == (403, "healthgeo_publish_refused", "draft")

    published = json.loads(wordpress.php(_REST_PUBLISH.format(login=ADMIN_USER, reason=reason, content=POOR_POST),
                                         "rest-admin"))
    assert (published["status"], published["post_status"], published["outcome"]) == (200, "publish", "overridden")
    assert published["override"]["reason"] == reason and published["override"]["login"] == ADMIN_USER


def test_an_edit_of_a_published_post_is_audited_again_and_its_json_ld_follows(wordpress):
    published = json.loads(wordpress.php(f"""<?php
require __DIR__ . '/wp-load.php';
wp_set_current_user( 1 );
$content = <<<'HTML'
{FIXED_POST}
HTML;
$id = wp_insert_post( array( 'post_title' => '{FIXED_TITLE}', 'post_status' => 'publish', 'post_author' => 1,
	'post_content' => $content, 'post_excerpt' => '{FIXED_EXCERPT}' ) );
$first = get_post_meta( $id, '_healthgeo_audit_id', true );
wp_update_post( array( 'ID' => $id, 'post_title' => 'Asthme de l’enfant : les remèdes naturels sont-ils utiles ?' ) );
echo wp_json_encode( array( 'url' => get_permalink( $id ), 'status' => get_post_status( $id ), 'first' => $first,
	'last' => get_post_meta( $id, '_healthgeo_audit_id', true ) ) );
""", "edit-published"))
    assert published["status"] == "publish" and published["first"] and published["last"] != published["first"]
    with urllib.request.urlopen(published["url"], timeout=60) as resp:
        head = lxml_html.fromstring(resp.read()).find("head")
    script = head.xpath("script[@class='healthgeo-jsonld']")[0].text
    assert "Asthme de l’enfant : les remèdes naturels sont-ils utiles ?" in json.loads(script).__repr__()

_SITE_CHECKS = ("trust.privacy-policy", "trust.contact-about", "compliance.legal-notice")
_SOURCING_FACTS = ("citations", "references_section", "references", "statistics", "quotations", "weak_sources")

_GATE_AUDIT = """<?php
require __DIR__ . '/wp-load.php';
wp_set_current_user( 1 );
$content = <<<'HTML'
{content}
HTML;
$post = new WP_Post( (object) array( 'ID' => 0, 'post_author' => 1, 'post_status' => 'draft', 'post_type' => 'post' ) );
$document = Healthgeo_Document::from_post( $post, '{title}', $content );
$result = Healthgeo_Publish::audit_document( Healthgeo_Settings::get(), $document );
echo wp_json_encode( array( 'html' => $document['html'], 'report' => $result['report'] ?? null ) );
"""

_FURNISH = """<?php
require __DIR__ . '/wp-load.php';
wp_set_current_user( 1 );
wp_publish_post( (int) get_option( 'wp_page_for_privacy_policy' ) );  // wp_install() leaves it a draft
$menus = array();
$links = array( 'primary' => array( 'Contact', '/contact/' ),
	'footer' => array( 'Mentions légales', '/mentions-legales/' ) );
foreach ( $links as $location => list( $title, $path ) ) {
	$menus[ $location ] = wp_create_nav_menu( 'Healthgeo ' . $location );
	wp_update_nav_menu_item( $menus[ $location ], 0, array( 'menu-item-title' => $title,
		'menu-item-url' => home_url( $path ), 'menu-item-type' => 'custom', 'menu-item-status' => 'publish' ) );
}
set_theme_mod( 'nav_menu_locations', $menus );
echo wp_json_encode( array( 'privacy' => get_privacy_policy_url(),
	'published' => get_permalink( get_posts( array( 'post_status' => 'publish', 'numberposts' => 1 ) )[0] ?? 0 ) ) );
"""

_UNFURNISH = """<?php
require __DIR__ . '/wp-load.php';
wp_set_current_user( 1 );
wp_update_post( array( 'ID' => (int) get_option( 'wp_page_for_privacy_policy' ), 'post_status' => 'draft' ) );
foreach ( get_nav_menu_locations() as $menu ) {
	wp_delete_nav_menu( $menu );
}
set_theme_mod( 'nav_menu_locations', array() );
echo 'bare';
"""


def _gate_audit(wordpress, name: str) -> tuple[str, dict]:
    done = json.loads(wordpress.php(_GATE_AUDIT.format(content=FIXED_POST, title=FIXED_TITLE), name))
    assert done["report"], "the gate's audit failed"
    return done["html"], done["report"]


def test_the_gate_audits_the_sites_privacy_page_and_menus_as_the_published_page_shows_them(wordpress):
    bare_html, bare = _gate_audit(wordpress, "audit-bare")
    assert [check_result(bare, c)["status"] for c in _SITE_CHECKS] == ["fail"] * 3
    assert 'rel="home">Santé pratique</a>' in bare_html and "<nav" not in bare_html
    try:
        site = json.loads(wordpress.php(_FURNISH, "furnish"))
        html, furnished = _gate_audit(wordpress, "audit-furnished")
        assert [check_result(furnished, c)["status"] for c in _SITE_CHECKS] == ["pass"] * 3
        # the menus are the site's links: the article's sources and sourcing checks are the same
        assert {f: furnished["facts"][f] for f in _SOURCING_FACTS} == {f: bare["facts"][f] for f in _SOURCING_FACTS}
        assert [c for c in furnished["checks"] if c["id"].startswith("sourcing.")] == \
            [c for c in bare["checks"] if c["id"].startswith("sourcing.")]
        links = [site["privacy"], f"{wordpress.base}/contact/", f"{wordpress.base}/mentions-legales/"]
        assert all(f'href="{link}"' in html for link in links), html
        # the theme prints the same links on a published post
        with urllib.request.urlopen(site["published"], timeout=60) as resp:
            published = lxml_html.fromstring(resp.read())
        hrefs = set(published.xpath("//header//a/@href | //footer//a/@href"))
        assert set(links) <= hrefs, sorted(hrefs)
    finally:
        assert wordpress.php(_UNFURNISH, "unfurnish") == "bare"


def test_an_unreachable_api_publishes_and_flags_the_post_as_set(wordpress):
    closed = f"http://127.0.0.1:{free_port()}"
    result = json.loads(wordpress.php(f"""<?php
require __DIR__ . '/wp-load.php';
wp_set_current_user( 1 );
update_option( 'healthgeo_settings', array_merge( Healthgeo_Settings::get(), array( 'api_url' => '{closed}' ) ) );
$id = wp_insert_post( array( 'post_title' => 'Grippe : les signes', 'post_status' => 'publish',
	'post_content' => '<p>La grippe donne de la fièvre.</p>' ) );
clean_post_cache( $id );
echo wp_json_encode( array( 'post_status' => get_post_status( $id ),
	'outcome' => get_post_meta( $id, '_healthgeo_outcome', true ),
	'score' => get_post_meta( $id, '_healthgeo_score', true ) ) );
""", "unreachable"))
    assert result == {"post_status": "publish", "outcome": "unaudited", "score": ""}


def test_the_posts_list_sorts_by_score(browser, wordpress):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(wordpress.base + "/wp-login.php", timeout=TIMEOUT)
        page.fill("#user_login", ADMIN_USER)
        page.fill("#user_pass", ADMIN_PASSWORD)
        page.click("#wp-submit")
        page.wait_for_url("**/wp-admin/**", timeout=TIMEOUT)
        for order in ("asc", "desc"):
            page.goto(f"{wordpress.base}/wp-admin/edit.php?orderby=healthgeo&order={order}", timeout=TIMEOUT)
            cells = page.locator("td.column-healthgeo").all_inner_texts()
            scores = [float(m.group(1).replace(",", ".")) for m in (re.match(r"(\d+(?:,\d)?)/100", c) for c in cells)
                      if m]
            assert len(scores) == 3 and len(cells) >= 6, cells  # fixed, published anyway, edited after publication
            assert scores == sorted(scores, reverse=order == "desc")
            assert "Publié sans audit (Healthgeo injoignable)" in "\n".join(cells)
    finally:
        context.close()


def test_uninstall_removes_the_settings_capability_and_post_data(wordpress):
    left = json.loads(wordpress.php("""<?php
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_set_current_user( 1 );
deactivate_plugins( 'healthgeo/healthgeo.php' );
uninstall_plugin( 'healthgeo/healthgeo.php' );
global $wpdb;
echo wp_json_encode( array( 'option' => get_option( 'healthgeo_settings', 'gone' ),
	'cap' => get_role( 'administrator' )->has_cap( 'healthgeo_publish_anyway' ),
	'meta' => (int) $wpdb->get_var(
		"SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key LIKE '\\\\_healthgeo\\\\_%'" ) ) );
""", "uninstall"))
    assert left == {"option": "gone", "cap": False, "meta": 0}
