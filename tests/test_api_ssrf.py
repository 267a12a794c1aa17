"""SSRF through the API: without an allow-list, internal addresses are refused before any connection.

A local pytest-httpserver stands for the internal service: it must see no request.  A socket
guard records every TCP connection the app makes and refuses anything but loopback, so even
a bug here could not send traffic off this machine.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from service.api.app import create_app
from service.api.auth.keys import create_key
from service.net.policy import FetchPolicy
from tests import redis_helper


@pytest.fixture
def connections(monkeypatch):
    calls: list[tuple[str, int]] = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple):
            host, port = str(address[0]), int(address[1])
            if port != 6379:  # the test Redis
                calls.append((host, port))
            if not ipaddress.ip_address(host.split("%")[0]).is_loopback:
                raise ConnectionRefusedError(f"test guard: refusing non-loopback {host}:{port}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return calls


@pytest.fixture
def client(prefix, tmp_path, connections):
    app = create_app({"REDIS_URL": redis_helper.redis_url(), "KEY_PREFIX": prefix, "DATA_DIR": str(tmp_path),
                      "TESTING": True, "FETCH_POLICY": FetchPolicy()})  # no allow-list, as in production
    r = redis_helper.client()
    key, _ = create_key(r, "ssrf", prefix)
    r.close()
    c = app.test_client()
    c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return c


TARGETS = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://localhost/",
    "http://169.254.169.254/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::1]:{port}/",
    "http://2130706433/",
    "http://2130706433:{port}/",
    "http://0x7f.1/",
    "http://0x7f.1:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://0.0.0.0/",
    "http://0.0.0.0:{port}/",
    "http://metadata.google.internal/",
]


@pytest.mark.parametrize("template", TARGETS)
def test_internal_addresses_refused(client, httpserver, connections, template):
    httpserver.expect_request("/").respond_with_data("<html><body>internal secret</body></html>",
                                                     content_type="text/html")
    url = template.format(port=httpserver.port)
    r = client.post("/v1/audits", json={"url": url})
    assert r.status_code == 422, r.get_json()
    assert r.mimetype == "application/problem+json"
    body = r.get_json()
    assert body["type"].endswith("/blocked-address") and body["code"] == "blocked-address"
    reason = body["errors"][0]["message"]  # the fetcher's precise reason; the detail is the reader's sentence
    assert "not allowed" in reason or "metadata" in reason
    assert "HEALTHGEO_FETCH_ALLOW" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["url"]
    assert "internal secret" not in r.get_data(as_text=True)
    assert httpserver.log == []  # the internal server saw nothing
    assert connections == []  # and no connection was attempted anywhere


def test_raw_html_query_url_is_never_fetched(client, httpserver, connections):
    """With an HTML body, ?url= only names the page: it is not fetched, so it cannot be a door either."""
    httpserver.expect_request("/").respond_with_data("<html></html>", content_type="text/html")
    r = client.post(f"/v1/audits?url=http://127.0.0.1:{httpserver.port}/", data=b"<html><p>Page</p></html>",
                    content_type="text/html")
    assert r.status_code == 201
    assert httpserver.log == [] and connections == []


def test_redirect_to_internal_address_refused(prefix, tmp_path, httpserver, connections):
    """An allowed first hop redirecting inside is refused at the second hop."""
    app = create_app({"REDIS_URL": redis_helper.redis_url(), "KEY_PREFIX": prefix, "DATA_DIR": str(tmp_path),
                      "TESTING": True, "AUTH": "disabled",
                      "FETCH_POLICY": FetchPolicy(allow=("127.0.0.1/32:*",), total_timeout=30)})
    httpserver.expect_request("/hop").respond_with_data("", status=302,
                                                        headers={"Location": "http://169.254.169.254/latest/"})
    r = app.test_client().post("/v1/audits", json={"url": f"http://127.0.0.1:{httpserver.port}/hop"})
    assert r.status_code == 422 and r.get_json()["code"] == "blocked-address"
    assert [req.path for req, _ in httpserver.log] == ["/hop"]
    assert all(host == "127.0.0.1" for host, _ in connections)
