<?php
/**
 * The plugin's settings: one WordPress option, its defaults and its sanitising.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads and sanitises the `healthgeo_settings` option.
 */
class Healthgeo_Settings {

	const OPTION = 'healthgeo_settings';

	/** What publishing does below the threshold: refuse, or publish with a warning. */
	const MODES = array( 'block', 'warn' );

	/** What publishing does when the API cannot be reached: publish and flag the post, or refuse. */
	const UNREACHABLE = array( 'publish', 'block' );

	/** Report language: the editor's own (auto), or always English or French. */
	const LANGUAGES = array( 'auto', 'en', 'fr' );

	/**
	 * Defaults for a fresh install.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array(
			'api_url'      => '',
			'api_key'      => '',
			'threshold'    => 70,
			'language'     => 'auto',
			'mode'         => 'block',
			'unreachable'  => 'publish',
			'print_jsonld' => false,
			'post_types'   => array( 'post', 'page' ),
		);
	}

	/**
	 * The settings in force (stored values over defaults).
	 *
	 * @return array<string, mixed>
	 */
	public static function get(): array {
		$stored = get_option( self::OPTION, array() );
		return array_merge( self::defaults(), is_array( $stored ) ? $stored : array() );
	}

	/**
	 * Sanitises a submitted settings form. An empty key field keeps the stored key: the key is never sent back to
	 * the browser, so the form cannot show it.
	 *
	 * @param mixed                $input   The submitted values.
	 * @param array<string, mixed> $current The stored settings.
	 * @return array<string, mixed>
	 */
	public static function sanitize( $input, array $current ): array {
		$input    = is_array( $input ) ? $input : array();
		$clean    = array_merge( self::defaults(), $current );
		$api_url  = isset( $input['api_url'] ) ? trim( (string) $input['api_url'] ) : '';
		$scheme   = strtolower( (string) parse_url( $api_url, PHP_URL_SCHEME ) );
		$has_host = '' !== (string) parse_url( $api_url, PHP_URL_HOST );
		if ( '' === $api_url || ( in_array( $scheme, array( 'http', 'https' ), true ) && $has_host ) ) {
			$clean['api_url'] = rtrim( $api_url, '/' );
		}
		$key = isset( $input['api_key'] ) ? trim( (string) $input['api_key'] ) : '';
		if ( '' !== $key && preg_match( '/^[\x21-\x7e]{8,256}$/', $key ) ) {
			$clean['api_key'] = $key;
		}
		if ( ! empty( $input['forget_key'] ) ) {
			$clean['api_key'] = '';
		}
		if ( isset( $input['threshold'] ) && is_numeric( $input['threshold'] ) ) {
			$clean['threshold'] = max( 0, min( 100, (int) round( (float) $input['threshold'] ) ) );
		}
		$clean['language']     = self::one_of( $input, 'language', self::LANGUAGES, $clean['language'] );
		$clean['mode']         = self::one_of( $input, 'mode', self::MODES, $clean['mode'] );
		$clean['unreachable']  = self::one_of( $input, 'unreachable', self::UNREACHABLE, $clean['unreachable'] );
		$clean['print_jsonld'] = ! empty( $input['print_jsonld'] );
		if ( isset( $input['post_types'] ) && is_array( $input['post_types'] ) ) {
			$types               = array_values( array_filter( array_map( 'strval', $input['post_types'] ), array( __CLASS__, 'is_slug' ) ) );
			$clean['post_types'] = $types;
		}
		return $clean;
	}

	/**
	 * The key as the settings page shows it: its last four characters only.
	 *
	 * @param string $key The stored key.
	 */
	public static function masked_key( string $key ): string {
		if ( '' === $key ) {
			return '';
		}
		return str_repeat( '•', 8 ) . substr( $key, -4 );
	}

	/**
	 * The language reports are asked in, for an editor whose WordPress locale is `$locale`.
	 *
	 * @param array<string, mixed> $settings The settings in force.
	 * @param string               $locale   The editor's locale (get_user_locale()).
	 */
	public static function report_language( array $settings, string $locale ): string {
		if ( in_array( $settings['language'], array( 'en', 'fr' ), true ) ) {
			return $settings['language'];
		}
		return 0 === strpos( strtolower( $locale ), 'fr' ) ? 'fr' : 'en';
	}

	/**
	 * Whether the settings are enough to call the API.
	 *
	 * @param array<string, mixed> $settings The settings in force.
	 */
	public static function is_configured( array $settings ): bool {
		return '' !== $settings['api_url'] && '' !== $settings['api_key'];
	}

	/**
	 * The submitted value when it is one of `$allowed`, else `$fallback`.
	 *
	 * @param array<string, mixed> $input    The submitted values.
	 * @param string               $name     The field.
	 * @param string[]             $allowed  The accepted values.
	 * @param string               $fallback The stored value.
	 */
	private static function one_of( array $input, string $name, array $allowed, string $fallback ): string {
		$value = isset( $input[ $name ] ) ? (string) $input[ $name ] : '';
		return in_array( $value, $allowed, true ) ? $value : $fallback;
	}

	/**
	 * Whether `$value` is a post type slug.
	 *
	 * @param string $value A submitted post type.
	 */
	private static function is_slug( string $value ): bool {
		return 1 === preg_match( '/^[a-z0-9_-]{1,20}$/', $value );
	}
}
