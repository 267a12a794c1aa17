<?php
/**
 * The few WordPress functions the plugin's pure logic calls, as small stand-ins: the gate, the settings, the
 * document, the client's response handling and the head script are tested without WordPress. The plugin's
 * hooks run in a real WordPress in tests/test_wordpress_e2e.py.
 *
 * @package Healthgeo
 */

define( 'ABSPATH', __DIR__ . '/' );

$GLOBALS['healthgeo_test_options'] = array();

function __( $text, $domain = 'default' ) {
	return $text;
}

function _x( $text, $context, $domain = 'default' ) {
	return $GLOBALS['healthgeo_test_translations'][ $context . "\4" . $text ] ?? $text;
}

function get_option( $name, $default = false ) {
	return $GLOBALS['healthgeo_test_options'][ $name ] ?? $default;
}

function wp_strip_all_tags( $text ) {
	return trim( strip_tags( $text ) );
}

// The site the document's furniture is read from: $GLOBALS['healthgeo_test_site'] (locations, registered, menus,
// privacy, titles).
function home_url( $path = '' ) {
	return 'https://sante.example.org' . $path;
}

function get_nav_menu_locations() {
	return $GLOBALS['healthgeo_test_site']['locations'] ?? array();
}

function get_registered_nav_menus() {
	return $GLOBALS['healthgeo_test_site']['registered'] ?? array();
}

function wp_get_nav_menu_items( $menu ) {
	return $GLOBALS['healthgeo_test_site']['menus'][ $menu ] ?? false;
}

function get_privacy_policy_url() {
	return $GLOBALS['healthgeo_test_site']['privacy'] ?? '';
}

function get_the_title( $post = 0 ) {
	return $GLOBALS['healthgeo_test_site']['titles'][ $post ] ?? '';
}

function wp_json_encode( $data ) {
	return json_encode( $data );
}

class WP_Error {
	private $message;

	public function __construct( $code = '', $message = '' ) {
		$this->message = $message;
	}

	public function get_error_message() {
		return $this->message;
	}
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

function wp_remote_retrieve_response_code( $response ) {
	return $response['response']['code'] ?? '';
}

function wp_remote_retrieve_body( $response ) {
	return $response['body'] ?? '';
}

require_once dirname( __DIR__ ) . '/healthgeo/includes/class-healthgeo-settings.php';
require_once dirname( __DIR__ ) . '/healthgeo/includes/class-healthgeo-gate.php';
require_once dirname( __DIR__ ) . '/healthgeo/includes/class-healthgeo-document.php';
require_once dirname( __DIR__ ) . '/healthgeo/includes/class-healthgeo-client.php';
require_once dirname( __DIR__ ) . '/healthgeo/includes/class-healthgeo-head.php';
