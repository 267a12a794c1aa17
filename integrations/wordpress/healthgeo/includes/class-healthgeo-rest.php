<?php
/**
 * The editor's analysis: POST /wp-json/healthgeo/v1/analyse audits the post as it is being edited (cookie
 * authentication with the REST nonce, and edit rights on the post).
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * The REST route of the block editor panel.
 */
class Healthgeo_Rest {

	/**
	 * Registers the route.
	 */
	public static function hooks(): void {
		add_action( 'rest_api_init', array( __CLASS__, 'register' ) );
	}

	/**
	 * The route and its arguments.
	 */
	public static function register(): void {
		register_rest_route(
			'healthgeo/v1',
			'/analyse',
			array(
				'methods'             => 'POST',
				'callback'            => array( __CLASS__, 'analyse' ),
				'permission_callback' => static function ( WP_REST_Request $request ): bool {
					return current_user_can( 'edit_post', (int) $request['post_id'] );
				},
				'args'                => array(
					'post_id' => array(
						'type'     => 'integer',
						'required' => true,
						'minimum'  => 1,
					),
					'title'   => array( 'type' => 'string' ),
					'content' => array( 'type' => 'string' ),
					'reason'  => array( 'type' => 'string' ),
				),
			)
		);
	}

	/**
	 * Audits the edited post and says what publishing would do.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function analyse( WP_REST_Request $request ) {
		$post = get_post( (int) $request['post_id'] );
		if ( ! $post ) {
			return new WP_Error( 'healthgeo_no_post', __( 'No such post.', 'healthgeo' ), array( 'status' => 404 ) );
		}
		$settings = Healthgeo_Settings::get();
		$document = Healthgeo_Document::from_post( $post, $request['title'], $request['content'] );
		$result   = Healthgeo_Publish::audit_document( $settings, $document );
		$summary  = isset( $result['report'] ) ? Healthgeo_Gate::summarize( $result['report'] ) : null;
		$reason   = null !== $request['reason'] ? (string) $request['reason'] : (string) get_post_meta( $post->ID, Healthgeo_Publish::META_REASON, true );
		$decision = Healthgeo_Gate::decide( $settings, $summary, current_user_can( Healthgeo_Publish::CAPABILITY ), $reason );
		if ( $summary ) {
			unset( $summary['jsonld'] );
		}
		return rest_ensure_response(
			array(
				'summary'     => $summary,
				'outcome'     => $decision['outcome'],
				'allow'       => $decision['allow'],
				'error'       => $result['error'] ?? '',
				'threshold'   => (float) $settings['threshold'],
				'mode'        => $settings['mode'],
				'unreachable' => $settings['unreachable'],
				'report_url'  => $summary && '' !== $summary['id'] ? Healthgeo_Admin::report_url( $summary['id'] ) : '',
				'url'         => $document['url'],
			)
		);
	}
}
