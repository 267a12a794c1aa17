<?php
/**
 * The audited document: the post as it would be published, with its text escaped and its content as rendered.
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
}
