<?php
/**
 * The admin side: the settings page, the editor panel's script, the posts-list column and the full report.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * Admin screens and their hooks.
 */
class Healthgeo_Admin {

	const PAGE          = 'healthgeo';
	const REPORT_ACTION = 'healthgeo_report';
	const COLUMN        = 'healthgeo';

	/**
	 * Registers the hooks.
	 */
	public static function hooks(): void {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_init', array( __CLASS__, 'register_settings' ) );
		add_action( 'enqueue_block_editor_assets', array( __CLASS__, 'editor_assets' ) );
		add_action( 'admin_post_' . self::REPORT_ACTION, array( __CLASS__, 'show_report' ) );
		add_action( 'admin_init', array( __CLASS__, 'list_columns' ) );
		add_action( 'pre_get_posts', array( __CLASS__, 'sort_by_score' ) );
	}

	/**
	 * Settings → Healthgeo.
	 */
	public static function menu(): void {
		add_options_page( __( 'Healthgeo', 'healthgeo' ), __( 'Healthgeo', 'healthgeo' ), 'manage_options', self::PAGE, array( __CLASS__, 'settings_page' ) );
	}

	/**
	 * The option, sanitised on save (the Settings API checks the nonce and manage_options).
	 */
	public static function register_settings(): void {
		register_setting(
			self::PAGE,
			Healthgeo_Settings::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => static function ( $input ) {
					return Healthgeo_Settings::sanitize( $input, Healthgeo_Settings::get() );
				},
				'default'           => Healthgeo_Settings::defaults(),
			)
		);
	}

	/**
	 * The settings form.
	 */
	public static function settings_page(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$s    = Healthgeo_Settings::get();
		$name = Healthgeo_Settings::OPTION;
		?>
		<div class="wrap">
			<h1><?php esc_html_e( 'Healthgeo', 'healthgeo' ); ?></h1>
			<form method="post" action="options.php">
				<?php settings_fields( self::PAGE ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="healthgeo-api-url"><?php esc_html_e( 'API address', 'healthgeo' ); ?></label></th>
						<td><input type="url" class="regular-text" id="healthgeo-api-url" name="<?php echo esc_attr( $name ); ?>[api_url]" value="<?php echo esc_attr( $s['api_url'] ); ?>" placeholder="https://healthgeo.example.org">
						<p class="description"><?php esc_html_e( 'The Healthgeo API the posts are sent to for their audit.', 'healthgeo' ); ?></p></td>
					</tr>
					<tr>
						<th scope="row"><label for="healthgeo-api-key"><?php esc_html_e( 'API key', 'healthgeo' ); ?></label></th>
						<td><input type="password" class="regular-text" id="healthgeo-api-key" name="<?php echo esc_attr( $name ); ?>[api_key]" value="" autocomplete="off" placeholder="<?php echo esc_attr( Healthgeo_Settings::masked_key( $s['api_key'] ) ); ?>">
						<p class="description"><?php esc_html_e( 'Stored in the WordPress database and never shown again; leave empty to keep the current key.', 'healthgeo' ); ?></p>
						<?php if ( '' !== $s['api_key'] ) : ?>
							<label><input type="checkbox" name="<?php echo esc_attr( $name ); ?>[forget_key]" value="1"> <?php esc_html_e( 'Forget the stored key', 'healthgeo' ); ?></label>
						<?php endif; ?></td>
					</tr>
					<tr>
						<th scope="row"><label for="healthgeo-threshold"><?php esc_html_e( 'Publishing threshold', 'healthgeo' ); ?></label></th>
						<td><input type="number" min="0" max="100" step="1" id="healthgeo-threshold" name="<?php echo esc_attr( $name ); ?>[threshold]" value="<?php echo esc_attr( (string) $s['threshold'] ); ?>">
						<p class="description"><?php esc_html_e( 'The lowest score (0 to 100) a post may be published with.', 'healthgeo' ); ?></p></td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'Below the threshold', 'healthgeo' ); ?></th>
						<td><fieldset>
							<label><input type="radio" name="<?php echo esc_attr( $name ); ?>[mode]" value="block" <?php checked( $s['mode'], 'block' ); ?>> <?php esc_html_e( 'Refuse publication (users allowed to may publish anyway, giving a reason)', 'healthgeo' ); ?></label><br>
							<label><input type="radio" name="<?php echo esc_attr( $name ); ?>[mode]" value="warn" <?php checked( $s['mode'], 'warn' ); ?>> <?php esc_html_e( 'Only warn', 'healthgeo' ); ?></label>
						</fieldset></td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'When Healthgeo cannot be reached', 'healthgeo' ); ?></th>
						<td><fieldset>
							<label><input type="radio" name="<?php echo esc_attr( $name ); ?>[unreachable]" value="publish" <?php checked( $s['unreachable'], 'publish' ); ?>> <?php esc_html_e( 'Publish, and flag the post as not audited', 'healthgeo' ); ?></label><br>
							<label><input type="radio" name="<?php echo esc_attr( $name ); ?>[unreachable]" value="block" <?php checked( $s['unreachable'], 'block' ); ?>> <?php esc_html_e( 'Refuse publication until it answers', 'healthgeo' ); ?></label>
						</fieldset></td>
					</tr>
					<tr>
						<th scope="row"><label for="healthgeo-language"><?php esc_html_e( 'Report language', 'healthgeo' ); ?></label></th>
						<td><select id="healthgeo-language" name="<?php echo esc_attr( $name ); ?>[language]">
							<option value="auto" <?php selected( $s['language'], 'auto' ); ?>><?php esc_html_e( "The editor's language", 'healthgeo' ); ?></option>
							<option value="en" <?php selected( $s['language'], 'en' ); ?>><?php esc_html_e( 'English', 'healthgeo' ); ?></option>
							<option value="fr" <?php selected( $s['language'], 'fr' ); ?>><?php esc_html_e( 'French', 'healthgeo' ); ?></option>
						</select></td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'Structured data', 'healthgeo' ); ?></th>
						<td><label><input type="checkbox" name="<?php echo esc_attr( $name ); ?>[print_jsonld]" value="1" <?php checked( $s['print_jsonld'] ); ?>> <?php esc_html_e( "Print the corrected JSON-LD in the head of published posts", 'healthgeo' ); ?></label>
						<p class="description"><?php esc_html_e( 'Only what the post shows, as the audit proposes it. It is added beside the markup your theme or SEO plugin prints, which stays as it is: if they describe the same article, turn one of them off.', 'healthgeo' ); ?></p></td>
					</tr>
				</table>
				<?php submit_button(); ?>
			</form>
		</div>
		<?php
	}

	/**
	 * The panel's script, its translations and its settings (report link nonce, threshold).
	 */
	public static function editor_assets(): void {
		$screen = get_current_screen();
		if ( ! $screen || ! in_array( $screen->post_type, (array) Healthgeo_Settings::get()['post_types'], true ) ) {
			return;
		}
		wp_enqueue_script(
			'healthgeo-editor',
			plugins_url( 'assets/editor.js', HEALTHGEO_FILE ),
			array( 'wp-plugins', 'wp-edit-post', 'wp-element', 'wp-components', 'wp-data', 'wp-i18n', 'wp-api-fetch', 'wp-core-data', 'wp-editor' ),
			HEALTHGEO_VERSION,
			true
		);
		wp_enqueue_style( 'healthgeo-editor', plugins_url( 'assets/editor.css', HEALTHGEO_FILE ), array(), HEALTHGEO_VERSION );
		wp_set_script_translations( 'healthgeo-editor', 'healthgeo', HEALTHGEO_DIR . '/languages' );
		$settings = Healthgeo_Settings::get();
		wp_add_inline_script(
			'healthgeo-editor',
			'window.healthgeoEditor = ' . wp_json_encode(
				array(
					'canOverride' => current_user_can( Healthgeo_Publish::CAPABILITY ),
					'configured'  => Healthgeo_Settings::is_configured( $settings ),
					'settingsUrl' => current_user_can( 'manage_options' ) ? admin_url( 'options-general.php?page=' . self::PAGE ) : '',
					'reasonKey'   => Healthgeo_Publish::META_REASON,
				)
			) . ';',
			'before'
		);
	}

	/**
	 * The address of the full report of `$audit_id`, for the current user (nonce in the link).
	 *
	 * @param string $audit_id The audit.
	 */
	public static function report_url( string $audit_id ): string {
		// A raw URL (wp_nonce_url() would return it HTML-escaped): the panel receives it as JSON.
		return add_query_arg(
			array(
				'action'   => self::REPORT_ACTION,
				'audit'    => rawurlencode( $audit_id ),
				'_wpnonce' => wp_create_nonce( self::REPORT_ACTION ),
			),
			admin_url( 'admin-post.php' )
		);
	}

	/**
	 * Shows Healthgeo's HTML report of an audit, fetched with the site's key (the key stays on the server).
	 */
	public static function show_report(): void {
		if ( ! current_user_can( 'edit_posts' ) ) {
			wp_die( esc_html__( 'You are not allowed to read Healthgeo reports.', 'healthgeo' ), 403 );
		}
		check_admin_referer( self::REPORT_ACTION );
		$audit_id = isset( $_GET['audit'] ) ? preg_replace( '/[^A-Za-z0-9_-]/', '', (string) wp_unslash( $_GET['audit'] ) ) : '';
		$settings = Healthgeo_Settings::get();
		$report   = Healthgeo_Client::report( $settings, $audit_id, Healthgeo_Settings::report_language( $settings, get_user_locale() ) );
		if ( isset( $report['error'] ) ) {
			wp_die( esc_html( $report['error'] ), 404 );
		}
		header( 'Content-Type: text/html; charset=utf-8' );
		header( 'X-Content-Type-Options: nosniff' );
		// The report is a self-contained page whose only script and style are allowed by hash in its own CSP.
		header( 'Content-Security-Policy: ' . ( '' !== $report['csp'] ? $report['csp'] : "default-src 'none'; style-src 'unsafe-inline'" ) );
		echo $report['html']; // phpcs:ignore WordPress.Security.EscapeOutput -- Healthgeo's report, confined by its CSP.
		exit;
	}

	/**
	 * The posts-list column for each gated post type.
	 */
	public static function list_columns(): void {
		foreach ( (array) Healthgeo_Settings::get()['post_types'] as $type ) {
			add_filter( "manage_{$type}_posts_columns", array( __CLASS__, 'add_column' ) );
			add_filter( "manage_edit-{$type}_sortable_columns", array( __CLASS__, 'sortable_column' ) );
			add_action( "manage_{$type}_posts_custom_column", array( __CLASS__, 'column_cell' ), 10, 2 );
		}
	}

	/**
	 * Adds the column.
	 *
	 * @param array<string, string> $columns The list's columns.
	 * @return array<string, string>
	 */
	public static function add_column( array $columns ): array {
		$columns[ self::COLUMN ] = __( 'Healthgeo', 'healthgeo' );
		return $columns;
	}

	/**
	 * Makes it sortable.
	 *
	 * @param array<string, string> $columns The sortable columns.
	 * @return array<string, string>
	 */
	public static function sortable_column( array $columns ): array {
		$columns[ self::COLUMN ] = self::COLUMN;
		return $columns;
	}

	/**
	 * A post's cell: score and grade, when and how it was published, and a link to the report.
	 *
	 * @param string $column  The column being printed.
	 * @param int    $post_id The post.
	 */
	public static function column_cell( string $column, int $post_id ): void {
		if ( self::COLUMN !== $column ) {
			return;
		}
		$outcome = (string) get_post_meta( $post_id, Healthgeo_Publish::META_OUTCOME, true );
		if ( '' === $outcome ) {
			echo '<span aria-hidden="true">—</span><span class="screen-reader-text">' . esc_html__( 'Not audited', 'healthgeo' ) . '</span>';
			return;
		}
		$score = get_post_meta( $post_id, Healthgeo_Publish::META_SCORE, true );
		$date  = (string) get_post_meta( $post_id, Healthgeo_Publish::META_AUDITED_AT, true );
		if ( '' === $score ) {
			echo '<strong>' . esc_html__( 'Published without audit (Healthgeo unreachable)', 'healthgeo' ) . '</strong>';
		} else {
			$audit = (string) get_post_meta( $post_id, Healthgeo_Publish::META_AUDIT_ID, true );
			/* translators: 1: score out of 100, 2: grade A to F. */
			$text = sprintf( __( '%1$s/100 (%2$s)', 'healthgeo' ), Healthgeo_Gate::number( (float) $score ), (string) get_post_meta( $post_id, Healthgeo_Publish::META_GRADE, true ) );
			echo '' !== $audit ? '<a href="' . esc_url( self::report_url( $audit ) ) . '">' . esc_html( $text ) . '</a>' : esc_html( $text );
			$labels = array(
				Healthgeo_Gate::OVERRIDDEN => __( 'published anyway', 'healthgeo' ),
				Healthgeo_Gate::WARNED     => __( 'published with a warning', 'healthgeo' ),
			);
			if ( isset( $labels[ $outcome ] ) ) {
				echo '<br><em>' . esc_html( $labels[ $outcome ] ) . '</em>';
			}
		}
		if ( '' !== $date ) {
			echo '<br><small>' . esc_html( mysql2date( get_option( 'date_format' ), get_date_from_gmt( $date ) ) ) . '</small>';
		}
	}

	/**
	 * Sorting by the column sorts by score; posts never audited stay in the list (NOT EXISTS clause).
	 *
	 * @param WP_Query $query The list's query.
	 */
	public static function sort_by_score( WP_Query $query ): void {
		if ( ! is_admin() || ! $query->is_main_query() || self::COLUMN !== $query->get( 'orderby' ) ) {
			return;
		}
		$query->set(
			'meta_query',
			array(
				'relation' => 'OR',
				'scored'   => array(
					'key'     => Healthgeo_Publish::META_SCORE,
					'compare' => 'EXISTS',
					'type'    => 'DECIMAL(5,1)',
				),
				'unscored' => array(
					'key'     => Healthgeo_Publish::META_SCORE,
					'compare' => 'NOT EXISTS',
				),
			)
		);
		$query->set( 'orderby', array( 'scored' => 'asc' === strtolower( (string) $query->get( 'order' ) ) ? 'ASC' : 'DESC' ) );
	}
}
