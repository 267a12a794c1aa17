<?php
/**
 * The post as it would be published, as one HTML document for the audit: its title, language, description, byline,
 * dates and rendered content, inside the site's furniture that WordPress knows and the published page carries:
 * the site's name and address, the theme's navigation menus and the privacy policy link, in header, nav and footer
 * elements (the engine reads them as the site's, not as the article's: they are never citations).
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
	 * @param array<string, mixed> $parts title, lang, description, site_name, site_url, author, author_url, by_label,
	 *                                    published (ISO 8601), modified (ISO 8601), published_label, modified_label,
	 *                                    published_text, modified_text, content; the site's furniture: header_menu
	 *                                    and footer_menu (lists of array{title: string, url: string}), privacy_url
	 *                                    and privacy_title.
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
				'site_url'        => '',
				'header_menu'     => array(),
				'footer_menu'     => array(),
				'privacy_url'     => '',
				'privacy_title'   => '',
			),
			$parts
		);
		$e     = static fn( string $text ): string => htmlspecialchars( $text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8' );
		$title = '' !== $p['site_name'] ? $p['title'] . ' – ' . $p['site_name'] : $p['title'];
		$head  = '<meta charset="utf-8"><title>' . $e( $title ) . '</title>';
		if ( '' !== $p['description'] ) {
			$head .= '<meta name="description" content="' . $e( $p['description'] ) . '">';
		}
		if ( '' !== $p['site_name'] ) {
			// How the engine learns who publishes the page: the JSON-LD it proposes names the site as publisher.
			$head .= '<meta property="og:site_name" content="' . $e( $p['site_name'] ) . '">';
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
		return '<!DOCTYPE html><html lang="' . $e( $p['lang'] ) . '"><head>' . $head . '</head><body>'
			. self::site_header( $p, $e ) . '<main><article>'
			. '<header><h1>' . $e( $p['title'] ) . '</h1>' . $byline . $dates . '</header>'
			. '<div class="entry-content">' . $p['content'] . '</div></article></main>'
			. self::site_footer( $p, $e ) . '</body></html>';
	}

	/**
	 * The site's header: its name linking home, then the header menus.
	 *
	 * @param array<string, mixed> $p The parts.
	 * @param callable             $e Escapes a text for HTML.
	 */
	private static function site_header( array $p, callable $e ): string {
		$name = self::home_link( $p, $e );
		$menu = self::menu( $p['header_menu'], $e );
		if ( '' === $name && '' === $menu ) {
			return '';
		}
		return '<header class="site-header">' . ( '' !== $name ? '<p class="site-title">' . $name . '</p>' : '' )
			. ( '' !== $menu ? '<nav class="primary-navigation">' . $menu . '</nav>' : '' ) . '</header>';
	}

	/**
	 * The site's footer: the footer menus, the site's name and the privacy policy link (as the_privacy_policy_link()
	 * prints it: only with both an address and a title).
	 *
	 * @param array<string, mixed> $p The parts.
	 * @param callable             $e Escapes a text for HTML.
	 */
	private static function site_footer( array $p, callable $e ): string {
		$menu    = self::menu( $p['footer_menu'], $e );
		$name    = self::home_link( $p, $e );
		$privacy = '' !== $p['privacy_url'] && '' !== $p['privacy_title']
			? '<p class="privacy-policy"><a class="privacy-policy-link" href="' . $e( $p['privacy_url'] ) . '" rel="privacy-policy">'
				. $e( $p['privacy_title'] ) . '</a></p>'
			: '';
		if ( '' === $menu && '' === $name && '' === $privacy ) {
			return '';
		}
		return '<footer class="site-footer">' . ( '' !== $menu ? '<nav class="footer-navigation">' . $menu . '</nav>' : '' )
			. '<div class="site-info">' . ( '' !== $name ? '<p class="site-name">' . $name . '</p>' : '' ) . $privacy
			. '</div></footer>';
	}

	/**
	 * The site's name linking to its home page ('' without a name; the bare name without an address).
	 *
	 * @param array<string, mixed> $p The parts.
	 * @param callable             $e Escapes a text for HTML.
	 */
	private static function home_link( array $p, callable $e ): string {
		if ( '' === $p['site_name'] ) {
			return '';
		}
		return '' !== $p['site_url'] ? '<a href="' . $e( $p['site_url'] ) . '" rel="home">' . $e( $p['site_name'] ) . '</a>' : $e( $p['site_name'] );
	}

	/**
	 * A menu's links as a list ('' for no link).
	 *
	 * @param array<int, array{title: string, url: string}> $links The menu's links.
	 * @param callable                                       $e     Escapes a text for HTML.
	 */
	private static function menu( array $links, callable $e ): string {
		$items = '';
		foreach ( $links as $link ) {
			$items .= '<li><a href="' . $e( (string) $link['url'] ) . '">' . $e( (string) $link['title'] ) . '</a></li>';
		}
		return '' !== $items ? '<ul class="menu">' . $items . '</ul>' : '';
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
			) + self::site_parts()
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
	 * What the theme prints around every post that WordPress knows: the site's address, the links of the menus at
	 * the theme's registered locations (a location named "footer" in the footer, the others in the header) and the
	 * privacy policy page once it is published.
	 *
	 * @return array<string, mixed>
	 */
	public static function site_parts(): array {
		$parts = array(
			'site_url'    => home_url( '/' ),
			'header_menu' => array(),
			'footer_menu' => array(),
		);
		foreach ( array_intersect_key( get_nav_menu_locations(), get_registered_nav_menus() ) as $location => $menu_id ) {
			$items = $menu_id ? wp_get_nav_menu_items( $menu_id ) : false;
			$key   = false !== strpos( (string) $location, 'footer' ) ? 'footer_menu' : 'header_menu';
			foreach ( is_array( $items ) ? $items : array() as $item ) {
				if ( empty( $item->_invalid ) && '' !== (string) $item->url ) {  // wp_nav_menu() skips invalid items.
					$parts[ $key ][] = array(
						'title' => wp_strip_all_tags( (string) $item->title ),
						'url'   => (string) $item->url,
					);
				}
			}
		}
		$privacy_url = get_privacy_policy_url();
		return $parts + array(
			'privacy_url'   => $privacy_url,
			'privacy_title' => '' !== $privacy_url ? wp_strip_all_tags( get_the_title( (int) get_option( 'wp_page_for_privacy_policy' ) ) ) : '',
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
