<?php
/**
 * Uninstall: removes the settings, the override capability and the transients; the audits kept with posts
 * (score, date, override reasons) are removed too, as they mean nothing without the plugin.
 *
 * @package Healthgeo
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'healthgeo_settings' );
foreach ( array( 'administrator', 'editor' ) as $healthgeo_role_name ) {
	$healthgeo_role = get_role( $healthgeo_role_name );
	if ( $healthgeo_role ) {
		$healthgeo_role->remove_cap( 'healthgeo_publish_anyway' );
	}
}
foreach ( array( '_healthgeo_audit_id', '_healthgeo_score', '_healthgeo_grade', '_healthgeo_audited_at', '_healthgeo_outcome', '_healthgeo_jsonld', '_healthgeo_override_reason', '_healthgeo_override' ) as $healthgeo_meta_key ) {
	delete_post_meta_by_key( $healthgeo_meta_key );
}
global $wpdb;
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_healthgeo\\_%' OR option_name LIKE '\\_transient\\_timeout\\_healthgeo\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
