<?php
/**
 * The JSON-LD printed in the head: re-encoded so that no stored value can close the script element.
 *
 * @package Healthgeo
 */

use PHPUnit\Framework\TestCase;

final class HeadTest extends TestCase {

	public function test_values_cannot_close_the_script_element(): void {
		$stored = json_encode( array( '@context' => 'https://schema.org', '@type' => 'MedicalWebPage', 'name' => 'Asthme </script><script>alert(1)</script> & co' ) );
		$script = Healthgeo_Head::script( $stored );
		$this->assertStringStartsWith( '<script type="application/ld+json" class="healthgeo-jsonld">{', $script );
		$this->assertSame( 1, substr_count( $script, '</script>' ) );
		$this->assertStringContainsString( 'Asthme \u003C/script\u003E\u003Cscript\u003Ealert(1)\u003C/script\u003E \u0026 co', $script );
		$this->assertStringContainsString( '"@context":"https://schema.org"', $script );
		$decoded = json_decode( substr( $script, strlen( '<script type="application/ld+json" class="healthgeo-jsonld">' ), -strlen( '</script>' ) ), true );
		$this->assertSame( 'MedicalWebPage', $decoded['@type'] );
	}

	public function test_nothing_is_printed_without_a_graph(): void {
		$this->assertSame( '', Healthgeo_Head::script( '' ) );
		$this->assertSame( '', Healthgeo_Head::script( 'not json' ) );
		$this->assertSame( '', Healthgeo_Head::script( '[]' ) );
	}
}
