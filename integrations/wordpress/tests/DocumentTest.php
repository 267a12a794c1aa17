<?php
/**
 * The audited document: the post as it would be published, with its text escaped and its content as rendered,
 * inside the site's furniture (name, menus, privacy policy) in header, nav and footer elements.
 *
 * @package Healthgeo
 */

use PHPUnit\Framework\TestCase;

final class DocumentTest extends TestCase {

	private function parts( array $overrides = array() ): array {
		return array_merge(
			array(
				'title'           => 'Asthme : les bons gestes',
				'lang'            => 'fr-FR',
				'site_name'       => 'Santé pratique',
				'author'          => 'Claire Martin',
				'author_url'      => 'https://sante.example.org/auteur/claire-martin/',
				'by_label'        => 'Par',
				'published'       => '2026-12-04T10:00:00+01:00',
				'published_text'  => '4 décembre 2026',
				'published_label' => 'Publié le',
				'modified'        => '2026-12-04T10:00:00+01:00',
				'content'         => '<p>Le <strong>traitement de fond</strong> évite les crises.</p>',
			),
			$overrides
		);
	}

	public function test_the_document_carries_the_title_byline_date_and_rendered_content(): void {
		$html = Healthgeo_Document::html( $this->parts() );
		$this->assertStringContainsString( '<html lang="fr-FR">', $html );
		$this->assertStringContainsString( '<title>Asthme : les bons gestes – Santé pratique</title>', $html );
		$this->assertStringContainsString( '<h1>Asthme : les bons gestes</h1>', $html );
		$this->assertStringContainsString( 'Par <span class="author"><a href="https://sante.example.org/auteur/claire-martin/" rel="author">Claire Martin</a></span>', $html );
		$this->assertStringContainsString( 'Publié le <time class="published" datetime="2026-12-04T10:00:00+01:00">4 décembre 2026</time>', $html );
		$this->assertStringContainsString( '<p>Le <strong>traitement de fond</strong> évite les crises.</p>', $html );
		$this->assertStringNotContainsString( 'class="updated"', $html );  // same date: shown once
		$this->assertStringNotContainsString( 'name="description"', $html );
	}

	public function test_text_from_the_editor_cannot_become_markup(): void {
		$html = Healthgeo_Document::html( $this->parts( array( 'title' => '</title><script>alert(1)</script>', 'author' => 'A "B" <C>', 'description' => 'x" onload="y' ) ) );
		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringContainsString( '&lt;/title&gt;&lt;script&gt;', $html );
		$this->assertStringContainsString( 'A &quot;B&quot; &lt;C&gt;', $html );
		$this->assertStringContainsString( '<meta name="description" content="x&quot; onload=&quot;y">', $html );
	}

	public function test_an_update_shows_both_dates(): void {
		$html = Healthgeo_Document::html( $this->parts( array( 'modified' => '2026-12-05T09:00:00+01:00', 'modified_text' => '5 décembre 2026', 'modified_label' => 'Mis à jour le' ) ) );
		$this->assertStringContainsString( 'Mis à jour le <time class="updated" datetime="2026-12-05T09:00:00+01:00">5 décembre 2026</time>', $html );
	}

	private function furniture(): array {
		return array(
			'site_url'      => 'https://sante.example.org/',
			'header_menu'   => array(
				array( 'title' => 'Accueil', 'url' => 'https://sante.example.org/' ),
				array( 'title' => 'Contact', 'url' => 'https://sante.example.org/contact/' ),
			),
			'footer_menu'   => array( array( 'title' => 'Mentions légales', 'url' => 'https://sante.example.org/mentions-legales/' ) ),
			'privacy_url'   => 'https://sante.example.org/confidentialite/',
			'privacy_title' => 'Politique de confidentialité',
		);
	}

	public function test_the_sites_furniture_surrounds_the_article_outside_main(): void {
		$html = Healthgeo_Document::html( $this->parts( $this->furniture() ) );
		$this->assertStringContainsString( '<meta property="og:site_name" content="Santé pratique">', $html );
		list( $before, $rest )  = explode( '<main>', $html, 2 );
		list( $article, $after ) = explode( '</main>', $rest, 2 );
		$this->assertStringContainsString( '<header class="site-header"><p class="site-title"><a href="https://sante.example.org/" rel="home">Santé pratique</a></p>', $before );
		$this->assertStringContainsString( '<nav class="primary-navigation"><ul class="menu"><li><a href="https://sante.example.org/">Accueil</a></li><li><a href="https://sante.example.org/contact/">Contact</a></li></ul></nav></header>', $before );
		$this->assertStringContainsString( '<footer class="site-footer"><nav class="footer-navigation"><ul class="menu"><li><a href="https://sante.example.org/mentions-legales/">Mentions légales</a></li></ul></nav>', $after );
		$this->assertStringContainsString( '<p class="site-name"><a href="https://sante.example.org/" rel="home">Santé pratique</a></p>', $after );
		$this->assertStringContainsString( '<a class="privacy-policy-link" href="https://sante.example.org/confidentialite/" rel="privacy-policy">Politique de confidentialité</a>', $after );
		$this->assertStringNotContainsString( 'sante.example.org/contact/', $article );
		$this->assertStringEndsWith( '</footer></body></html>', $html );
	}

	public function test_menu_and_privacy_texts_cannot_become_markup(): void {
		$parts = array(
			'site_name'     => 'Santé <b>pratique</b>',
			'site_url'      => 'https://sante.example.org/?a=1&b="2"',
			'header_menu'   => array( array( 'title' => '<img src=x onerror=alert(1)>', 'url' => 'https://sante.example.org/" onclick="x' ) ),
			'privacy_url'   => 'https://sante.example.org/?page_id=3&preview=1',
			'privacy_title' => '</a><script>alert(1)</script>',
		);
		$html = Healthgeo_Document::html( $this->parts( $parts ) );
		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringNotContainsString( '<img', $html );
		$this->assertStringNotContainsString( '<b>', $html );
		$this->assertStringContainsString( '<a href="https://sante.example.org/&quot; onclick=&quot;x">&lt;img src=x onerror=alert(1)&gt;</a>', $html );
		$this->assertStringContainsString( 'href="https://sante.example.org/?a=1&amp;b=&quot;2&quot;" rel="home">Santé &lt;b&gt;pratique&lt;/b&gt;</a>', $html );
		$this->assertStringContainsString( 'href="https://sante.example.org/?page_id=3&amp;preview=1" rel="privacy-policy">&lt;/a&gt;&lt;script&gt;', $html );
	}

	public function test_a_site_without_menus_or_privacy_page_shows_only_its_name(): void {
		$html = Healthgeo_Document::html( $this->parts( array( 'site_url' => 'https://sante.example.org/', 'privacy_title' => 'Politique de confidentialité' ) ) );
		$this->assertStringNotContainsString( '<nav', $html );
		$this->assertStringNotContainsString( 'privacy-policy', $html );  // a title without a published page: no link
		$this->assertStringContainsString( '<footer class="site-footer"><div class="site-info"><p class="site-name"><a href="https://sante.example.org/" rel="home">Santé pratique</a></p></div></footer>', $html );
		$bare = Healthgeo_Document::html( $this->parts( array( 'site_name' => '' ) ) );
		$this->assertStringNotContainsString( 'site-header', $bare );
		$this->assertStringNotContainsString( '<footer', $bare );
		$this->assertStringNotContainsString( 'og:site_name', $bare );
	}

	public function test_site_parts_reads_the_registered_menus_and_the_published_privacy_page(): void {
		$GLOBALS['healthgeo_test_site'] = array(
			'locations'  => array( 'primary' => 2, 'footer' => 3, 'old-theme-menu' => 4 ),
			'registered' => array( 'primary' => 'Primary menu', 'footer' => 'Secondary menu' ),
			'menus'      => array(
				2 => array(
					(object) array( 'title' => 'Contact', 'url' => 'https://sante.example.org/contact/' ),
					(object) array( 'title' => 'Brouillon', 'url' => 'https://sante.example.org/?page_id=9', '_invalid' => true ),
				),
				3 => array( (object) array( 'title' => 'Mentions <em>légales</em>', 'url' => 'https://sante.example.org/mentions-legales/' ) ),
				4 => array( (object) array( 'title' => 'Ancien', 'url' => 'https://sante.example.org/ancien/' ) ),
			),
			'privacy'    => 'https://sante.example.org/confidentialite/',
			'titles'     => array( 3 => 'Politique de confidentialité' ),
		);
		$GLOBALS['healthgeo_test_options']['wp_page_for_privacy_policy'] = 3;
		$parts = Healthgeo_Document::site_parts();
		$this->assertSame( 'https://sante.example.org/', $parts['site_url'] );
		$this->assertSame( array( array( 'title' => 'Contact', 'url' => 'https://sante.example.org/contact/' ) ), $parts['header_menu'] );
		$this->assertSame( array( array( 'title' => 'Mentions légales', 'url' => 'https://sante.example.org/mentions-legales/' ) ), $parts['footer_menu'] );
		$this->assertSame( array( 'https://sante.example.org/confidentialite/', 'Politique de confidentialité' ), array( $parts['privacy_url'], $parts['privacy_title'] ) );

		$GLOBALS['healthgeo_test_site'] = array( 'privacy' => '' );  // no menu, the privacy page still a draft
		$parts = Healthgeo_Document::site_parts();
		$this->assertSame( array( array(), array(), '', '' ), array( $parts['header_menu'], $parts['footer_menu'], $parts['privacy_url'], $parts['privacy_title'] ) );
	}

	protected function tearDown(): void {
		unset( $GLOBALS['healthgeo_test_site'], $GLOBALS['healthgeo_test_options']['wp_page_for_privacy_policy'] );
	}
}
