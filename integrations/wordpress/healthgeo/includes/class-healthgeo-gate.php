<?php
/**
 * The publish gate's decision, apart from WordPress: from the settings, the audit (or why there is none) and the
 * editor's override, whether the post may be published and what to tell the editor.
 *
 * @package Healthgeo
 */

defined( 'ABSPATH' ) || exit;

/**
 * Pure functions: no hook, no database, no HTTP.
 */
class Healthgeo_Gate {

	/** The score reached the threshold. */
	const PASSED = 'passed';
	/** Below the threshold, publication refused. */
	const BLOCKED = 'blocked';
	/** Below the threshold, published anyway by a user allowed to, with a reason. */
	const OVERRIDDEN = 'overridden';
	/** Below the threshold, published with a warning (the "warn" mode). */
	const WARNED = 'warned';
	/** The API could not be reached: published and flagged. */
	const UNAUDITED = 'unaudited';
	/** The API could not be reached: publication refused (the "block" setting). */
	const UNREACHABLE_BLOCKED = 'unreachable_blocked';

	/** The failed and warned checks shown to the editor, at most. */
	const MAX_REASONS = 12;

	/**
	 * The decision for one publication.
	 *
	 * @param array<string, mixed>      $settings        The settings in force.
	 * @param array<string, mixed>|null $summary         The audit's summary (see summarize()), null when the API could not be reached.
	 * @param bool                      $can_override    Whether the user holds the override capability.
	 * @param string                    $override_reason The reason the user gave for publishing anyway.
	 * @return array{allow: bool, outcome: string, summary: array<string, mixed>|null, reason: string}
	 */
	public static function decide( array $settings, ?array $summary, bool $can_override, string $override_reason ): array {
		$reason = trim( $override_reason );
		if ( null === $summary ) {
			$blocks = 'block' === $settings['unreachable'];
			return array(
				'allow'   => ! $blocks,
				'outcome' => $blocks ? self::UNREACHABLE_BLOCKED : self::UNAUDITED,
				'summary' => null,
				'reason'  => '',
			);
		}
		if ( $summary['score'] >= (float) $settings['threshold'] ) {
			$outcome = self::PASSED;
		} elseif ( 'warn' === $settings['mode'] ) {
			$outcome = self::WARNED;
		} elseif ( $can_override && '' !== $reason ) {
			$outcome = self::OVERRIDDEN;
		} else {
			$outcome = self::BLOCKED;
		}
		return array(
			'allow'   => self::BLOCKED !== $outcome,
			'outcome' => $outcome,
			'summary' => $summary,
			'reason'  => self::OVERRIDDEN === $outcome ? $reason : '',
		);
	}

	/**
	 * What the editor needs from a Healthgeo report: score, grade, audit id, and the failed then warned checks
	 * (heaviest first) with their how-to-fix, already in the report's language.
	 *
	 * @param array<string, mixed> $report A report from POST /v1/audits.
	 * @return array<string, mixed>|null Null when the report is not one.
	 */
	public static function summarize( array $report ): ?array {
		if ( ! isset( $report['score'] ) || ! is_numeric( $report['score'] ) ) {
			return null;
		}
		$problems = array();
		foreach ( isset( $report['checks'] ) && is_array( $report['checks'] ) ? $report['checks'] : array() as $check ) {
			if ( ! is_array( $check ) || ! in_array( $check['status'] ?? '', array( 'fail', 'warn' ), true ) ) {
				continue;
			}
			$problems[] = array(
				'id'         => (string) ( $check['id'] ?? '' ),
				'status'     => (string) $check['status'],
				'title'      => (string) ( $check['title'] ?? '' ),
				'message'    => (string) ( $check['message'] ?? '' ),
				'how_to_fix' => (string) ( $check['how_to_fix'] ?? '' ),
				'weight'     => (float) ( $check['weight'] ?? 0 ),
			);
		}
		usort(
			$problems,
			static function ( array $a, array $b ): int {
				return array( 'fail' !== $a['status'], -$a['weight'] ) <=> array( 'fail' !== $b['status'], -$b['weight'] );
			}
		);
		$jsonld = $report['fix']['jsonld'] ?? null;
		return array(
			'id'       => isset( $report['id'] ) ? (string) $report['id'] : '',
			'score'    => round( (float) $report['score'], 1 ),
			'grade'    => (string) ( $report['grade'] ?? '' ),
			'problems' => array_slice( $problems, 0, self::MAX_REASONS ),
			'failed'   => count( array_filter( $problems, static fn( $p ) => 'fail' === $p['status'] ) ),
			'jsonld'   => is_array( $jsonld ) ? $jsonld : null,
		);
	}

	/**
	 * The text of a refusal: the score and the failed checks' titles, shown by the block editor's "publishing
	 * failed" notice, quick edit and the admin notice (the pre-publish panel shows each with how to fix it).
	 *
	 * @param array<string, mixed> $decision A decision from decide().
	 * @param array<string, mixed> $settings The settings in force.
	 */
	public static function refusal_message( array $decision, array $settings ): string {
		if ( self::UNREACHABLE_BLOCKED === $decision['outcome'] ) {
			return __( 'Healthgeo could not be reached, and the settings say not to publish without an audit. Try again in a moment.', 'healthgeo' );
		}
		$summary = $decision['summary'];
		/* translators: 1: the post's score, 2: the publishing threshold. */
		$text  = sprintf( __( 'Healthgeo: this post scores %1$s, below the publishing threshold of %2$s.', 'healthgeo' ), self::number( $summary['score'] ), self::number( (float) $settings['threshold'] ) );
		$fails = array_filter( $summary['problems'], static fn( $p ) => 'fail' === $p['status'] );
		if ( $fails ) {
			$text .= ' ' . __( 'To fix:', 'healthgeo' ) . ' ' . implode( ' • ', array_column( $fails, 'title' ) );
		}
		// Plain text: the block editor drops a save error's message when it looks like HTML.
		return str_replace( array( '<', '>' ), array( '‹', '›' ), $text );
	}

	/**
	 * A score as the editor reads it: no decimals when whole.
	 *
	 * @param float $value A score or threshold.
	 */
	public static function number( float $value ): string {
		if ( floor( $value ) === $value ) {
			return (string) (int) $value;
		}
		return str_replace( '.', _x( '.', 'decimal separator of scores', 'healthgeo' ), sprintf( '%.1f', $value ) );
	}
}
