<?php
/**
 * Plugin Name:       Healthgeo
 * Description:       Audits health posts for generative-search readiness beside the editor, gates publication on a score, and prints the corrected JSON-LD.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Healthgeo
 * License:           GPLv2 or later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       healthgeo
 * Domain Path:       /languages
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

define( 'HEALTHGEO_VERSION', '0.1.0' );
define( 'HEALTHGEO_FILE', __FILE__ );
define( 'HEALTHGEO_DIR', __DIR__ );

require_once __DIR__ . '/includes/class-healthgeo-settings.php';
require_once __DIR__ . '/includes/class-healthgeo-gate.php';
require_once __DIR__ . '/includes/class-healthgeo-document.php';
require_once __DIR__ . '/includes/class-healthgeo-client.php';
require_once __DIR__ . '/includes/class-healthgeo-publish.php';
require_once __DIR__ . '/includes/class-healthgeo-rest.php';
require_once __DIR__ . '/includes/class-healthgeo-admin.php';
require_once __DIR__ . '/includes/class-healthgeo-head.php';

register_activation_hook( __FILE__, array( 'Healthgeo_Publish', 'activate' ) );

add_action(
	'init',
	static function () {
		load_plugin_textdomain( 'healthgeo', false, dirname( plugin_basename( HEALTHGEO_FILE ) ) . '/languages' );
		Healthgeo_Publish::register_meta();
	}
);
Healthgeo_Publish::hooks();
Healthgeo_Rest::hooks();
Healthgeo_Admin::hooks();
Healthgeo_Head::hooks();
