<?php
/**
 * The API's answers sorted into a report, an error, or "unreachable" (which the gate's setting handles).
 *
 * @package Healthgeo
 */

use PHPUnit\Framework\TestCase;

final class ClientTest extends TestCase {

	private function response( int $status, $body ): array {
		return array(
			'response' => array( 'code' => $status ),
			'body'     => is_string( $body ) ? $body : json_encode( $body ),
		);
	}

	public function test_a_report_is_a_report(): void {
		$result = Healthgeo_Client::interpret( $this->response( 201, array( 'score' => 81.5, 'grade' => 'B' ) ) );
		$this->assertSame( 81.5, $result['report']['score'] );
		$this->assertArrayNotHasKey( 'error', $result );
	}

	public function test_network_failures_server_errors_and_rate_limits_are_unreachable(): void {
		$this->assertTrue( Healthgeo_Client::interpret( new WP_Error( 'http_request_failed', 'cURL error 7' ) )['unreachable'] );
		$this->assertTrue( Healthgeo_Client::interpret( $this->response( 503, array( 'detail' => 'down' ) ) )['unreachable'] );
		$this->assertTrue( Healthgeo_Client::interpret( $this->response( 429, array( 'detail' => 'slow down' ) ) )['unreachable'] );
		$this->assertTrue( Healthgeo_Client::interpret( $this->response( 200, '<html>a proxy page</html>' ) )['unreachable'] );
	}

	public function test_a_refused_key_says_so(): void {
		$result = Healthgeo_Client::interpret( $this->response( 401, array( 'detail' => 'unknown key' ) ) );
		$this->assertTrue( $result['unreachable'] );
		$this->assertStringContainsString( 'API key', $result['error'] );
	}

	public function test_a_rejected_request_gives_the_apis_reason(): void {
		$result = Healthgeo_Client::interpret( $this->response( 413, array( 'detail' => 'The body is over 5 MB.' ) ) );
		$this->assertFalse( $result['unreachable'] );
		$this->assertStringContainsString( 'HTTP 413: The body is over 5 MB.', $result['error'] );
	}
}
