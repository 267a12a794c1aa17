<?php
/**
 * The post as it would be published, as one HTML document for the audit: its title, language, description, byline,
 * dates and rendered content. The theme's furniture (menus, footer links) is not part of it: the audit judges what
 * the editor writes.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * Builds the audited document; html() is pure, from_post() reads WordPress.
 */
class Healthgeo_Document {

	/**
	 * The document from its parts (all plain text except `content`, which is the rendered post HTML).
	 *
	 * @param array<string, string> $parts title, lang, description, site_name, author, author_url, published (ISO 8601),
	 *                                     modified (ISO 8601), published_label, modified_label, content.
	 */
	public static function html( array $parts ): string {
		$p     = array_merge(
			array(
				'title'           => '',
				'lang'            => 'en',
				'description'     => '',
				'site_name'       => '',
				'author'          => '',
				'author_url'      => '',
				'published'       => '',
				'modified'        => '',
				'published_label' => '',
				'modified_label'  => '',
				'content'         => '',
			),
			$parts
		);
		$e     = static fn( string $text ): string => htmlspecialchars( $text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8' );
		$title = '' !== $p['site_name'] ? $p['title'] . ' – ' . $p['site_name'] : $p['title'];
		$head  = '<meta charset="utf-8"><title>' . $e( $title ) . '</title>';
		if ( '' !== $p['description'] ) {
			$head .= '<meta name="description" content="' . $e( $p['description'] ) . '">';
		}
		$byline = '';
		if ( '' !== $p['author'] ) {
			$name   = '' !== $p['author_url'] ? '<a href="' . $e( $p['author_url'] ) . '" rel="author">' . $e( $p['author'] ) . '</a>' : $e( $p['author'] );
			$byline = '<p class="byline">' . $e( $p['by_label'] ?? 'By' ) . ' <span class="author">' . $name . '</span></p>';
		}
		$dates = '';
		if ( '' !== $p['published'] ) {
			$dates .= '<p class="posted-on">' . $e( $p['published_label'] ) . ' <time class="published" datetime="' . $e( $p['published'] ) . '">' . $e( $p['published_text'] ?? $p['published'] ) . '</time></p>';
		}
		if ( '' !== $p['modified'] && $p['modified'] !== $p['published'] ) {
			$dates .= '<p class="updated-on">' . $e( $p['modified_label'] ) . ' <time class="updated" datetime="' . $e( $p['modified'] ) . '">' . $e( $p['modified_text'] ?? $p['modified'] ) . '</time></p>';
		}
		return '<!DOCTYPE html><html lang="' . $e( $p['lang'] ) . '"><head>' . $head . '</head><body><main><article>'
			. '<header><h1>' . $e( $p['title'] ) . '</h1>' . $byline . $dates . '</header>'
			. '<div class="entry-content">' . $p['content'] . '</div></article></main></body></html>';
	}

	/**
	 * The document for `$post` with the unsaved `$title` and `$content` when given (the editor's current text).
	 *
	 * @param WP_Post     $post    The post.
	 * @param string|null $title   The title as edited, or null for the saved one.
	 * @param string|null $content The content as edited (block markup), or null for the saved one.
	 * @return array{html: string, url: string}
	 */
	public static function from_post( WP_Post $post, ?string $title = null, ?string $content = null ): array {
		$locale   = get_locale();
		$switched = switch_to_locale( $locale );  // Byline and date labels in the site's language, not the editor's.
		$author   = get_userdata( (int) $post->post_author );
		$now      = current_time( 'mysql', true );
		$gmt      = '0000-00-00 00:00:00' !== $post->post_date_gmt ? $post->post_date_gmt : $now;
		$modified = '0000-00-00 00:00:00' !== $post->post_modified_gmt ? $post->post_modified_gmt : $now;
		$rendered = apply_filters( 'the_content', null !== $content ? $content : $post->post_content );
		$excerpt  = has_excerpt( $post ) ? wp_strip_all_tags( get_the_excerpt( $post ) ) : '';
		$html     = self::html(
			array(
				'title'           => wp_strip_all_tags( null !== $title ? $title : get_the_title( $post ) ),
				'lang'            => str_replace( '_', '-', $locale ),
				'description'     => $excerpt,
				'site_name'       => wp_strip_all_tags( get_bloginfo( 'name' ) ),
				'author'          => $author ? $author->display_name : '',
				'author_url'      => $author ? get_author_posts_url( $author->ID ) : '',
				'by_label'        => _x( 'By', 'byline of the audited document', 'healthgeo' ),
				'published'       => mysql2date( 'c', get_date_from_gmt( $gmt ), false ),
				'published_text'  => mysql2date( get_option( 'date_format' ), get_date_from_gmt( $gmt ) ),
				'published_label' => _x( 'Published on', 'date label of the audited document', 'healthgeo' ),
				'modified'        => mysql2date( 'c', get_date_from_gmt( $modified ), false ),
				'modified_text'   => mysql2date( get_option( 'date_format' ), get_date_from_gmt( $modified ) ),
				'modified_label'  => _x( 'Updated on', 'date label of the audited document', 'healthgeo' ),
				'content'         => (string) $rendered,
			)
		);
		if ( $switched ) {
			restore_previous_locale();
		}
		return array(
			'html' => $html,
			'url'  => self::url( $post ),
		);
	}

	/**
	 * The post's address once published (the sample permalink for a draft).
	 *
	 * @param WP_Post $post The post.
	 */
	public static function url( WP_Post $post ): string {
		if ( in_array( $post->post_status, array( 'publish', 'private' ), true ) || ! get_option( 'permalink_structure' ) ) {
			return (string) get_permalink( $post );
		}
		require_once ABSPATH . 'wp-admin/includes/post.php';
		list( $template, $name ) = get_sample_permalink( $post->ID );
		return str_replace( array( '%postname%', '%pagename%' ), $name, $template );
	}
}
