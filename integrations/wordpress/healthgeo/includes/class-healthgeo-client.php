<?php
/**
 * The Healthgeo API, through WordPress's HTTP API: POST /v1/audits and GET /v1/audits/{id}/report.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * A thin client: every failure comes back as an array with `error`, never as an exception.
 */
class Healthgeo_Client {

	/** Seconds to wait for an audit; a slow API must not hold an editor's save for long. */
	const TIMEOUT = 20;

	/**
	 * Audits `$html` as the page at `$url`.
	 *
	 * @param array<string, mixed> $settings The settings in force.
	 * @param string               $html     The document.
	 * @param string               $url      The page's address.
	 * @param string               $lang     The language of titles, messages and how-to-fix texts.
	 * @return array{report?: array<string, mixed>, error?: string, unreachable?: bool}
	 */
	public static function audit( array $settings, string $html, string $url, string $lang ): array {
		if ( ! Healthgeo_Settings::is_configured( $settings ) ) {
			return array(
				'error'       => __( 'Healthgeo is not configured: set the API address and key in Settings → Healthgeo.', 'healthgeo' ),
				'unreachable' => true,
			);
		}
		$endpoint = $settings['api_url'] . '/v1/audits?' . http_build_query(
			array(
				'lang'       => $lang,
				'fail_under' => $settings['threshold'],
			)
		);
		$response = wp_remote_post(
			$endpoint,
			array(
				'timeout'     => self::TIMEOUT,
				'redirection' => 0,
				'headers'     => array(
					'Authorization' => 'Bearer ' . $settings['api_key'],
					'Content-Type'  => 'application/json',
					'Accept'        => 'application/json',
				),
				// A post not yet saved has no address: it is audited without one.
				'body'        => wp_json_encode( '' !== $url ? array( 'html' => $html, 'url' => $url ) : array( 'html' => $html ) ),
			)
		);
		return self::interpret( $response );
	}

	/**
	 * The stored audit as Healthgeo's HTML page report.
	 *
	 * @param array<string, mixed> $settings The settings in force.
	 * @param string               $audit_id The audit's id.
	 * @param string               $lang     The report's language.
	 * @return array{html?: string, csp?: string, error?: string}
	 */
	public static function report( array $settings, string $audit_id, string $lang ): array {
		if ( ! Healthgeo_Settings::is_configured( $settings ) || ! preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $audit_id ) ) {
			return array( 'error' => __( 'No such report.', 'healthgeo' ) );
		}
		$response = wp_remote_get(
			$settings['api_url'] . '/v1/audits/' . rawurlencode( $audit_id ) . '/report?lang=' . rawurlencode( $lang ),
			array(
				'timeout'     => self::TIMEOUT,
				'redirection' => 0,
				'headers'     => array( 'Authorization' => 'Bearer ' . $settings['api_key'] ),
			)
		);
		if ( is_wp_error( $response ) || 200 !== (int) wp_remote_retrieve_response_code( $response ) ) {
			return array( 'error' => __( 'The report cannot be shown: Healthgeo did not return it (it may have expired).', 'healthgeo' ) );
		}
		return array(
			'html' => (string) wp_remote_retrieve_body( $response ),
			'csp'  => (string) wp_remote_retrieve_header( $response, 'content-security-policy' ),
		);
	}

	/**
	 * Sorts a response into a report, an error from the API (bad request, bad key), or unreachable (network
	 * failure, timeout, 5xx, 429, or a body that is not a report).
	 *
	 * @param array<string, mixed>|WP_Error $response What wp_remote_post() returned.
	 * @return array{report?: array<string, mixed>, error?: string, unreachable?: bool}
	 */
	public static function interpret( $response ): array {
		if ( is_wp_error( $response ) ) {
			return array(
				/* translators: %s: the network error. */
				'error'       => sprintf( __( 'Healthgeo could not be reached (%s).', 'healthgeo' ), $response->get_error_message() ),
				'unreachable' => true,
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$body   = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( $status >= 200 && $status < 300 && is_array( $body ) && isset( $body['score'] ) ) {
			return array( 'report' => $body );
		}
		$detail = is_array( $body ) && isset( $body['detail'] ) ? (string) $body['detail'] : '';
		if ( 401 === $status || 403 === $status ) {
			return array(
				'error'       => __( 'Healthgeo refused the API key: check it in Settings → Healthgeo.', 'healthgeo' ),
				'unreachable' => true,
			);
		}
		if ( $status >= 400 && $status < 500 && 429 !== $status ) {
			return array(
				/* translators: 1: HTTP status, 2: the API's explanation. */
				'error'       => sprintf( __( 'Healthgeo could not audit this post (HTTP %1$d: %2$s).', 'healthgeo' ), $status, $detail ),
				'unreachable' => false,
			);
		}
		return array(
			/* translators: %d: HTTP status. */
			'error'       => sprintf( __( 'Healthgeo could not be reached (HTTP %d).', 'healthgeo' ), $status ),
			'unreachable' => true,
		);
	}
}
