<?php
/**
 * The publish gate's decision and what it tells the editor.
 *
 * @package Healthgeo
 */

use PHPUnit\Framework\TestCase;

final class GateTest extends TestCase {

	private function settings( array $overrides = array() ): array {
		return array_merge( Healthgeo_Settings::defaults(), array( 'threshold' => 70 ), $overrides );
	}

	private function report( float $score, array $checks = array() ): array {
		return array(
			'id'     => 'a1B2c3',
			'score'  => $score,
			'grade'  => 'C',
			'checks' => $checks,
			'fix'    => array( 'jsonld' => array( '@context' => 'https://schema.org', '@graph' => array() ) ),
		);
	}

	private function check( string $id, string $status, float $weight ): array {
		return array(
			'id'         => $id,
			'status'     => $status,
			'weight'     => $weight,
			'title'      => "Title of $id",
			'message'    => "Message of $id",
			'how_to_fix' => "Fix for $id",
		);
	}

	public function test_a_score_at_the_threshold_passes_and_just_below_is_refused(): void {
		$at = Healthgeo_Gate::decide( $this->settings(), Healthgeo_Gate::summarize( $this->report( 70 ) ), false, '' );
		$this->assertTrue( $at['allow'] );
		$this->assertSame( Healthgeo_Gate::PASSED, $at['outcome'] );

		$below = Healthgeo_Gate::decide( $this->settings(), Healthgeo_Gate::summarize( $this->report( 69.9 ) ), false, '' );
		$this->assertFalse( $below['allow'] );
		$this->assertSame( Healthgeo_Gate::BLOCKED, $below['outcome'] );
	}

	public function test_publishing_anyway_needs_the_capability_and_a_reason(): void {
		$summary = Healthgeo_Gate::summarize( $this->report( 40 ) );
		$this->assertFalse( Healthgeo_Gate::decide( $this->settings(), $summary, true, '  ' )['allow'] );
		$this->assertFalse( Healthgeo_Gate::decide( $this->settings(), $summary, false, 'Urgent health alert' )['allow'] );

		$override = Healthgeo_Gate::decide( $this->settings(), $summary, true, ' Urgent health alert ' );
		$this->assertTrue( $override['allow'] );
		$this->assertSame( Healthgeo_Gate::OVERRIDDEN, $override['outcome'] );
		$this->assertSame( 'Urgent health alert', $override['reason'] );
	}

	public function test_warn_mode_publishes_below_the_threshold(): void {
		$decision = Healthgeo_Gate::decide( $this->settings( array( 'mode' => 'warn' ) ), Healthgeo_Gate::summarize( $this->report( 10 ) ), false, '' );
		$this->assertTrue( $decision['allow'] );
		$this->assertSame( Healthgeo_Gate::WARNED, $decision['outcome'] );
	}

	public function test_an_unreachable_api_publishes_and_flags_or_refuses_as_set(): void {
		$flag = Healthgeo_Gate::decide( $this->settings( array( 'unreachable' => 'publish' ) ), null, false, '' );
		$this->assertTrue( $flag['allow'] );
		$this->assertSame( Healthgeo_Gate::UNAUDITED, $flag['outcome'] );

		$block = Healthgeo_Gate::decide( $this->settings( array( 'unreachable' => 'block' ) ), null, true, 'any reason' );
		$this->assertFalse( $block['allow'] );
		$this->assertSame( Healthgeo_Gate::UNREACHABLE_BLOCKED, $block['outcome'] );
		$this->assertStringContainsString( 'could not be reached', Healthgeo_Gate::refusal_message( $block, $this->settings() ) );
	}

	public function test_the_summary_lists_failures_before_warnings_heaviest_first(): void {
		$summary = Healthgeo_Gate::summarize(
			$this->report(
				50,
				array(
					$this->check( 'structure.title', 'warn', 2 ),
					$this->check( 'trust.privacy-policy', 'fail', 1 ),
					$this->check( 'authorship.author-named', 'pass', 5 ),
					$this->check( 'sourcing.authoritative-citations', 'fail', 6 ),
					$this->check( 'markup.page-type', 'not_applicable', 4 ),
				)
			)
		);
		$this->assertSame( array( 'sourcing.authoritative-citations', 'trust.privacy-policy', 'structure.title' ), array_column( $summary['problems'], 'id' ) );
		$this->assertSame( 2, $summary['failed'] );
		$this->assertSame( 'Fix for trust.privacy-policy', $summary['problems'][1]['how_to_fix'] );
		$this->assertSame( 'a1B2c3', $summary['id'] );
		$this->assertIsArray( $summary['jsonld'] );
	}

	public function test_the_summary_keeps_at_most_twelve_problems(): void {
		$checks = array();
		for ( $i = 0; $i < 13; $i++ ) {
			$checks[] = $this->check( "check.$i", 'fail', $i );
		}
		$summary = Healthgeo_Gate::summarize( $this->report( 5, $checks ) );
		$this->assertCount( Healthgeo_Gate::MAX_REASONS, $summary['problems'] );
		$this->assertSame( 'check.12', $summary['problems'][0]['id'] );
	}

	public function test_something_that_is_not_a_report_has_no_summary(): void {
		$this->assertNull( Healthgeo_Gate::summarize( array( 'detail' => 'Not found' ) ) );
		$this->assertNull( Healthgeo_Gate::summarize( array( 'score' => 'high' ) ) );
	}

	public function test_the_refusal_names_the_failed_checks_in_plain_text(): void {
		$report           = $this->report( 55.9, array( $this->check( 'structure.meta-description', 'fail', 2 ), $this->check( 'structure.title', 'warn', 2 ) ) );
		$report['checks'][0]['title'] = 'Has a <meta name="description">';
		$decision         = Healthgeo_Gate::decide( $this->settings(), Healthgeo_Gate::summarize( $report ), false, '' );
		$message          = Healthgeo_Gate::refusal_message( $decision, $this->settings() );
		$this->assertStringContainsString( 'scores 55.9, below the publishing threshold of 70.', $message );
		$this->assertStringContainsString( 'Has a ‹meta name="description"›', $message );
		$this->assertStringNotContainsString( 'Title of structure.title', $message );
		$this->assertStringNotContainsString( '<', $message );
	}

	public function test_scores_use_the_translated_decimal_separator(): void {
		$GLOBALS['healthgeo_test_translations'] = array( "decimal separator of scores\4." => ',' );
		$this->assertSame( '55,9', Healthgeo_Gate::number( 55.9 ) );
		$this->assertSame( '70', Healthgeo_Gate::number( 70.0 ) );
		$GLOBALS['healthgeo_test_translations'] = array();
		$this->assertSame( '55.9', Healthgeo_Gate::number( 55.9 ) );
	}
}
