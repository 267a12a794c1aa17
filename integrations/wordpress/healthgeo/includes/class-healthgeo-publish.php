<?php
/**
 * The publish gate on the server: every way a post becomes published (block editor and REST API, quick edit,
 * classic editor, code calling wp_update_post) goes through wp_insert_post_data; the REST API is also answered
 * with an error that the block editor shows. On publish the audit is kept in post meta.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * Hooks of the gate and the post meta it keeps.
 */
class Healthgeo_Publish {

	/** Users with it may publish below the threshold, giving a reason. */
	const CAPABILITY = 'healthgeo_publish_anyway';

	const META_AUDIT_ID   = '_healthgeo_audit_id';
	const META_SCORE      = '_healthgeo_score';
	const META_GRADE      = '_healthgeo_grade';
	const META_AUDITED_AT = '_healthgeo_audited_at';
	const META_OUTCOME    = '_healthgeo_outcome';
	const META_JSONLD     = '_healthgeo_jsonld';
	const META_REASON     = '_healthgeo_override_reason';
	const META_OVERRIDE   = '_healthgeo_override';

	/** The statuses that make a post public. */
	const PUBLIC_STATUSES = array( 'publish', 'future' );

	/**
	 * The decision taken in this request, by post id (0: a new post): one audit per save however many hooks ask,
	 * written to the post's meta once the post is saved.
	 *
	 * @var array<int, array<string, mixed>>
	 */
	private static $pending = array();

	/**
	 * Registers the hooks.
	 */
	public static function hooks(): void {
		add_action( 'init', array( __CLASS__, 'rest_hooks' ), 20 );
		add_filter( 'wp_insert_post_data', array( __CLASS__, 'filter_insert' ), 99, 2 );
		add_action( 'wp_after_insert_post', array( __CLASS__, 'after_insert' ), 10, 4 );
		add_action( 'admin_notices', array( __CLASS__, 'show_notice' ) );
	}

	/**
	 * Gives the override capability to administrators and editors.
	 */
	public static function activate(): void {
		foreach ( array( 'administrator', 'editor' ) as $role_name ) {
			$role = get_role( $role_name );
			if ( $role ) {
				$role->add_cap( self::CAPABILITY );
			}
		}
	}

	/**
	 * The REST filter for each gated post type (registered once the post types exist).
	 */
	public static function rest_hooks(): void {
		foreach ( (array) Healthgeo_Settings::get()['post_types'] as $type ) {
			add_filter( "rest_pre_insert_{$type}", array( __CLASS__, 'filter_rest' ), 10, 2 );
		}
	}

	/**
	 * The meta the editor reads and writes: the override reason (only with the capability) and, read-only, the
	 * last audit.
	 */
	public static function register_meta(): void {
		foreach ( (array) Healthgeo_Settings::get()['post_types'] as $type ) {
			register_post_meta(
				$type,
				self::META_REASON,
				array(
					'type'              => 'string',
					'single'            => true,
					'show_in_rest'      => true,
					'sanitize_callback' => 'sanitize_textarea_field',
					'auth_callback'     => static function (): bool {
						return current_user_can( self::CAPABILITY );
					},
				)
			);
		}
	}

	/**
	 * Whether saving `$post_type` from status `$old` to `$new` publishes it.
	 *
	 * @param string $post_type The post type.
	 * @param string $old       The stored status ('new' for a new post).
	 * @param string $new       The status being saved.
	 */
	public static function is_publication( string $post_type, string $old, string $new ): bool {
		return in_array( $post_type, (array) Healthgeo_Settings::get()['post_types'], true )
			&& in_array( $new, self::PUBLIC_STATUSES, true )
			&& ! in_array( $old, self::PUBLIC_STATUSES, true );
	}

	/**
	 * REST API (block editor): refuses with a 403 that carries the reasons.
	 *
	 * @param stdClass|WP_Error $prepared The post about to be saved.
	 * @param WP_REST_Request   $request  The request.
	 * @return stdClass|WP_Error
	 */
	public static function filter_rest( $prepared, $request ) {
		if ( is_wp_error( $prepared ) ) {
			return $prepared;
		}
		$existing = ! empty( $prepared->ID ) ? get_post( (int) $prepared->ID ) : null;
		$old      = $existing ? $existing->post_status : 'new';
		$new      = isset( $prepared->post_status ) ? (string) $prepared->post_status : $old;
		$type     = $existing ? $existing->post_type : (string) ( $prepared->post_type ?? 'post' );
		if ( ! self::is_publication( $type, $old, $new ) ) {
			return $prepared;
		}
		$meta     = $request->get_param( 'meta' );
		$reason   = is_array( $meta ) && isset( $meta[ self::META_REASON ] ) ? (string) $meta[ self::META_REASON ] : null;
		$decision = self::decision_for( $existing, $prepared->post_title ?? null, $prepared->post_content ?? null, $reason );
		if ( $decision['allow'] ) {
			return $prepared;
		}
		return new WP_Error(
			'healthgeo_publish_refused',
			Healthgeo_Gate::refusal_message( $decision, Healthgeo_Settings::get() ),
			array(
				'status'    => 403,
				'healthgeo' => $decision,
			)
		);
	}

	/**
	 * Every other path (quick edit, classic editor, code): a refused publication stays a draft, and the editor is
	 * told why (quick edit shows the message in its row).
	 *
	 * @param array<string, mixed> $data    The post row about to be written (slashed).
	 * @param array<string, mixed> $postarr The arguments of wp_insert_post().
	 * @return array<string, mixed>
	 */
	public static function filter_insert( array $data, array $postarr ): array {
		$id       = isset( $postarr['ID'] ) ? (int) $postarr['ID'] : 0;
		$existing = $id ? get_post( $id ) : null;
		$old      = $existing ? $existing->post_status : 'new';
		if ( ! self::is_publication( (string) $data['post_type'], $old, (string) $data['post_status'] ) ) {
			return $data;
		}
		$decision = self::decision_for( $existing, wp_unslash( $data['post_title'] ), wp_unslash( $data['post_content'] ), null );
		if ( $decision['allow'] ) {
			return $data;
		}
		$message = Healthgeo_Gate::refusal_message( $decision, Healthgeo_Settings::get() );
		if ( wp_doing_ajax() && isset( $_POST['action'] ) && 'inline-save' === $_POST['action'] ) { // phpcs:ignore WordPress.Security.NonceVerification -- core checked the quick-edit nonce before saving.
			wp_die( esc_html( $message ) );
		}
		$data['post_status'] = in_array( $old, array( 'pending', 'draft' ), true ) ? $old : 'draft';
		set_transient( 'healthgeo_notice_' . get_current_user_id(), $message, 300 );
		return $data;
	}

	/**
	 * Once a publication is saved, keeps its audit in the post's meta. An edit of a post already published is
	 * audited again (never refused: it is public already), so that its score and printed JSON-LD follow the text.
	 *
	 * @param int          $post_id     The post.
	 * @param WP_Post      $post        The post as saved.
	 * @param bool         $update      Whether an existing post was updated.
	 * @param WP_Post|null $post_before The post before the update.
	 */
	public static function after_insert( int $post_id, WP_Post $post, bool $update = false, $post_before = null ): void {
		if ( ! in_array( $post->post_status, self::PUBLIC_STATUSES, true ) ) {
			return;
		}
		$decision = self::$pending[ $post_id ] ?? self::$pending[0] ?? null;
		if ( null !== $decision ) {
			unset( self::$pending[ $post_id ], self::$pending[0] );
			self::store( $post_id, $decision );
			return;
		}
		$edited = $update && $post_before instanceof WP_Post
			&& in_array( $post_before->post_status, self::PUBLIC_STATUSES, true )
			&& in_array( $post->post_type, (array) Healthgeo_Settings::get()['post_types'], true )
			&& ( $post_before->post_title !== $post->post_title || $post_before->post_content !== $post->post_content );
		if ( $edited ) {
			$result  = self::audit_document( Healthgeo_Settings::get(), Healthgeo_Document::from_post( $post ) );
			$summary = isset( $result['report'] ) ? Healthgeo_Gate::summarize( $result['report'] ) : null;
			if ( null !== $summary ) {  // Unreachable: the last audit stays.
				self::store_audit( $post_id, $summary );
			}
		}
	}

	/**
	 * Writes the decision's audit, outcome and override to the post's meta.
	 *
	 * @param int                  $post_id  The post.
	 * @param array<string, mixed> $decision A decision from Healthgeo_Gate::decide().
	 */
	public static function store( int $post_id, array $decision ): void {
		$summary = $decision['summary'];
		update_post_meta( $post_id, self::META_OUTCOME, $decision['outcome'] );
		if ( null === $summary ) {
			update_post_meta( $post_id, self::META_AUDITED_AT, current_time( 'mysql', true ) );
			delete_post_meta( $post_id, self::META_SCORE );
			return;
		}
		self::store_audit( $post_id, $summary );
		if ( Healthgeo_Gate::OVERRIDDEN === $decision['outcome'] ) {
			$user = wp_get_current_user();
			add_post_meta(
				$post_id,
				self::META_OVERRIDE,
				array(
					'user'   => (int) $user->ID,
					'login'  => $user->user_login,
					'reason' => $decision['reason'],
					'score'  => $summary['score'],
					'date'   => current_time( 'mysql', true ),
				)
			);
		}
	}

	/**
	 * Writes an audit's id, score, grade, date and proposed JSON-LD to the post's meta.
	 *
	 * @param int                  $post_id The post.
	 * @param array<string, mixed> $summary A summary from Healthgeo_Gate::summarize().
	 */
	private static function store_audit( int $post_id, array $summary ): void {
		update_post_meta( $post_id, self::META_AUDITED_AT, current_time( 'mysql', true ) );
		update_post_meta( $post_id, self::META_AUDIT_ID, $summary['id'] );
		update_post_meta( $post_id, self::META_SCORE, $summary['score'] );
		update_post_meta( $post_id, self::META_GRADE, $summary['grade'] );
		if ( null !== $summary['jsonld'] ) {
			update_post_meta( $post_id, self::META_JSONLD, wp_slash( wp_json_encode( $summary['jsonld'] ) ) );
		}
	}

	/**
	 * Audits the post as it would be published and decides, once per post in a request: the REST filter decides
	 * first (with the reason sent by the editor), and wp_insert_post_data, which follows it, reuses that decision.
	 *
	 * @param WP_Post|null $post    The stored post (null for a new one).
	 * @param string|null  $title   The title being saved.
	 * @param string|null  $content The content being saved.
	 * @param string|null  $reason  The override reason sent with the request, null to read the stored one.
	 * @return array<string, mixed>
	 */
	private static function decision_for( ?WP_Post $post, ?string $title, ?string $content, ?string $reason ): array {
		$id = $post ? (int) $post->ID : 0;
		if ( isset( self::$pending[ $id ] ) ) {
			return self::$pending[ $id ];
		}
		$settings = Healthgeo_Settings::get();
		$post     = $post ? $post : new WP_Post(
			(object) array(
				'ID'          => 0,
				'post_author' => get_current_user_id(),
				'post_status' => 'draft',
				'post_type'   => 'post',
			)
		);
		$result   = self::audit_document( $settings, Healthgeo_Document::from_post( $post, $title, $content ) );
		$summary  = isset( $result['report'] ) ? Healthgeo_Gate::summarize( $result['report'] ) : null;
		$reason   = null !== $reason ? $reason : (string) get_post_meta( $id, self::META_REASON, true );

		self::$pending[ $id ] = Healthgeo_Gate::decide( $settings, $summary, current_user_can( self::CAPABILITY ), $reason );
		return self::$pending[ $id ];
	}

	/**
	 * Audits the document in the editor's report language. When the corrected JSON-LD is to be printed, the page
	 * as published carries it: the document is audited again with it, and that second report is the one kept
	 * (its score is the published page's; the graph is built from what the post shows, so it is the same graph).
	 *
	 * @param array<string, mixed>             $settings The settings in force.
	 * @param array{html: string, url: string} $document The document.
	 * @return array<string, mixed>
	 */
	public static function audit_document( array $settings, array $document ): array {
		$lang   = Healthgeo_Settings::report_language( $settings, get_user_locale() );
		$result = Healthgeo_Client::audit( $settings, $document['html'], $document['url'], $lang );
		$jsonld = $result['report']['fix']['jsonld'] ?? null;
		if ( empty( $settings['print_jsonld'] ) || ! is_array( $jsonld ) || ! $jsonld ) {
			return $result;
		}
		$script = Healthgeo_Head::script( (string) wp_json_encode( $jsonld ) );
		$html   = preg_replace( '~</head>~', $script . '</head>', $document['html'], 1 );
		$again  = Healthgeo_Client::audit( $settings, (string) $html, $document['url'], $lang );
		return isset( $again['report'] ) ? $again : $result;
	}

	/**
	 * The refusal kept for the next admin page (classic editor and other paths that reload the page).
	 */
	public static function show_notice(): void {
		$key     = 'healthgeo_notice_' . get_current_user_id();
		$message = get_transient( $key );
		if ( ! $message ) {
			return;
		}
		delete_transient( $key );
		echo '<div class="notice notice-error is-dismissible"><p>' . esc_html( $message ) . '</p></div>';
	}
}
