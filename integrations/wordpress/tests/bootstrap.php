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
