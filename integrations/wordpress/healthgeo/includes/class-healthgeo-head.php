<?php
/**
 * The corrected JSON-LD in the head of a published post, when the settings ask for it.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * Prints the graph the audit proposed, beside (never instead of) the theme's and other plugins' markup.
 */
class Healthgeo_Head {

	/**
	 * Registers the hook.
	 */
	public static function hooks(): void {
		add_action( 'wp_head', array( __CLASS__, 'print_jsonld' ), 20 );
	}

	/**
	 * The script element for a stored graph, or '' when there is none. The graph is re-encoded here with `<`, `>`
	 * and `&` as \u escapes, so no stored value can close the script element whatever the API returned.
	 *
	 * @param string $stored The graph as stored in the post's meta (JSON).
	 */
	public static function script( string $stored ): string {
		$graph = json_decode( $stored, true );
		if ( ! is_array( $graph ) || ! $graph ) {
			return '';
		}
		$json = json_encode( $graph, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		if ( false === $json ) {
			return '';
		}
		return '<script type="application/ld+json" class="healthgeo-jsonld">' . $json . '</script>';
	}

	/**
	 * On a single published post, prints its graph with a comment saying where it comes from.
	 */
	public static function print_jsonld(): void {
		$settings = Healthgeo_Settings::get();
		if ( empty( $settings['print_jsonld'] ) || ! is_singular( (array) $settings['post_types'] ) ) {
			return;
		}
		$post_id = (int) get_queried_object_id();
		$script  = self::script( (string) get_post_meta( $post_id, Healthgeo_Publish::META_JSONLD, true ) );
		if ( '' === $script ) {
			return;
		}
		echo "\n<!-- Healthgeo: structured data proposed by the audit of this post; other markup on the page is left as it is. -->\n"; // phpcs:ignore WordPress.Security.EscapeOutput -- a constant.
		echo $script . "\n"; // phpcs:ignore WordPress.Security.EscapeOutput -- JSON encoded with JSON_HEX_TAG and JSON_HEX_AMP above.
	}
}
