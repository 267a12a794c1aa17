<?php
/**
 * Settings: sanitising the form, keeping the key secret, the report language.
 *
 * @package Healthgeo
 */

use PHPUnit\Framework\TestCase;

final class SettingsTest extends TestCase {

	private function stored(): array {
		return array_merge( Healthgeo_Settings::defaults(), array( 'api_url' => 'https://api.example.org', 'api_key' => 'hg_secret-key-1234' ) );
	}

	public function test_an_empty_key_field_keeps_the_stored_key_and_forget_removes_it(): void {
		$kept = Healthgeo_Settings::sanitize( array( 'api_key' => '' ), $this->stored() );
		$this->assertSame( 'hg_secret-key-1234', $kept['api_key'] );
		$replaced = Healthgeo_Settings::sanitize( array( 'api_key' => ' hg_new-key-5678 ' ), $this->stored() );
		$this->assertSame( 'hg_new-key-5678', $replaced['api_key'] );
		$forgotten = Healthgeo_Settings::sanitize( array( 'forget_key' => '1' ), $this->stored() );
		$this->assertSame( '', $forgotten['api_key'] );
	}

	public function test_the_key_is_shown_by_its_last_four_characters_only(): void {
		$this->assertSame( '••••••••1234', Healthgeo_Settings::masked_key( 'hg_secret-key-1234' ) );
		$this->assertStringNotContainsString( 'secret', Healthgeo_Settings::masked_key( 'hg_secret-key-1234' ) );
		$this->assertSame( '', Healthgeo_Settings::masked_key( '' ) );
	}

	public function test_only_http_and_https_api_addresses_are_accepted(): void {
		$this->assertSame( 'https://hg.example.org/api', Healthgeo_Settings::sanitize( array( 'api_url' => 'https://hg.example.org/api/' ), $this->stored() )['api_url'] );
		$this->assertSame( 'http://127.0.0.1:8000', Healthgeo_Settings::sanitize( array( 'api_url' => 'http://127.0.0.1:8000' ), $this->stored() )['api_url'] );
		foreach ( array( 'javascript:alert(1)', 'ftp://hg.example.org', 'not a url', 'https://' ) as $bad ) {
			$this->assertSame( 'https://api.example.org', Healthgeo_Settings::sanitize( array( 'api_url' => $bad ), $this->stored() )['api_url'], $bad );
		}
	}

	public function test_the_threshold_is_kept_between_0_and_100(): void {
		$this->assertSame( 100, Healthgeo_Settings::sanitize( array( 'threshold' => '100' ), $this->stored() )['threshold'] );
		$this->assertSame( 100, Healthgeo_Settings::sanitize( array( 'threshold' => '101' ), $this->stored() )['threshold'] );
		$this->assertSame( 0, Healthgeo_Settings::sanitize( array( 'threshold' => '-1' ), $this->stored() )['threshold'] );
		$this->assertSame( 70, Healthgeo_Settings::sanitize( array( 'threshold' => 'high' ), $this->stored() )['threshold'] );
	}

	public function test_choices_outside_their_lists_keep_the_stored_value(): void {
		$clean = Healthgeo_Settings::sanitize( array( 'mode' => 'ignore', 'unreachable' => 'block', 'language' => 'de', 'print_jsonld' => '1' ), $this->stored() );
		$this->assertSame( 'block', $clean['mode'] );
		$this->assertSame( 'block', $clean['unreachable'] );
		$this->assertSame( 'auto', $clean['language'] );
		$this->assertTrue( $clean['print_jsonld'] );
		$this->assertFalse( Healthgeo_Settings::sanitize( array(), $this->stored() )['print_jsonld'] );
		$this->assertSame( array( 'post' ), Healthgeo_Settings::sanitize( array( 'post_types' => array( 'post', '<b>' ) ), $this->stored() )['post_types'] );
	}

	public function test_reports_follow_the_editors_language_unless_one_is_set(): void {
		$auto = $this->stored();
		$this->assertSame( 'fr', Healthgeo_Settings::report_language( $auto, 'fr_FR' ) );
		$this->assertSame( 'fr', Healthgeo_Settings::report_language( $auto, 'fr_BE' ) );
		$this->assertSame( 'en', Healthgeo_Settings::report_language( $auto, 'de_DE' ) );
		$this->assertSame( 'en', Healthgeo_Settings::report_language( array_merge( $auto, array( 'language' => 'en' ) ), 'fr_FR' ) );
	}

	public function test_the_api_needs_an_address_and_a_key(): void {
		$this->assertTrue( Healthgeo_Settings::is_configured( $this->stored() ) );
		$this->assertFalse( Healthgeo_Settings::is_configured( array_merge( $this->stored(), array( 'api_key' => '' ) ) ) );
		$GLOBALS['healthgeo_test_options'][ Healthgeo_Settings::OPTION ] = array( 'threshold' => 80 );
		$this->assertSame( 80, Healthgeo_Settings::get()['threshold'] );
		$this->assertSame( 'block', Healthgeo_Settings::get()['mode'] );
		$GLOBALS['healthgeo_test_options'] = array();
	}
}
