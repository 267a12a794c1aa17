"""Tests for service.net.fetch: SSRF rules, pinning, redirects, limits, timeouts.

Nothing here reaches the internet: pages are served from 127.0.0.1 by pytest-httpserver,
DNS is faked by monkeypatching socket.getaddrinfo, and the ``net`` fixture (autouse)
wraps socket.socket.connect so that every connection attempt is recorded and any target
outside the loopback range is refused before a packet leaves the machine.
"""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from service.net.body import sniffs_as_html
from service.net.errors import FetchError
from service.net.fetch import fetch, fetch_text
from service.net.policy import USER_AGENT, FetchPolicy, classify_address

HTML = b"<!doctype html><html><head><title>t</title></head><body><p>Hello</p></body></html>"
PUBLIC_IP = "93.184.216.34"  # looks public; the net guard routes it to 127.0.0.1, never out


# --------------------------------------------------------------------------- fixtures


class NetGuard:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.routes: dict[tuple[str, int], tuple[str, int]] = {}


@pytest.fixture(autouse=True)
def net(monkeypatch):
    guard = NetGuard()
    real_connect = socket.socket.connect

    def connect(sock, address):
        if not isinstance(address, tuple):
            return real_connect(sock, address)
        host, port = str(address[0]), int(address[1])
        guard.calls.append((host, port))
        if (host, port) in guard.routes:
            return real_connect(sock, guard.routes[(host, port)])
        if not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            raise ConnectionRefusedError(f"test net guard: refusing non-loopback {host}:{port}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return guard


class FakeDNS:
    def __init__(self, table: dict[str, list[str]]):
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        self.calls.append(host)
        answers = self.table.get(host)
        if answers is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = answers[0] if len(answers) == 1 else answers.pop(0)
        out = []
        for ip in answer.split(","):
            fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
            sa = (ip, port, 0, 0) if fam == socket.AF_INET6 else (ip, port)
            out.append((fam, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sa))
        return out


@pytest.fixture
def fake_dns(monkeypatch):
    def install(table: dict[str, list[str]]) -> FakeDNS:
        dns = FakeDNS(table)
        monkeypatch.setattr(socket, "getaddrinfo", dns)
        return dns

    # By default every lookup fails: no test may depend on real DNS.
    install({})
    return install


@pytest.fixture
def srv(server, fake_dns):
    server.clear()
    yield server
    server.clear()


@pytest.fixture
def base(srv) -> str:
    return f"http://127.0.0.1:{srv.port}"


# Generous: a loaded machine answers late; no test here waits for these to expire.
LOCAL = FetchPolicy(allow=("127.0.0.1:*",), connect_timeout=10, read_timeout=10, total_timeout=30)
STRICT = FetchPolicy(connect_timeout=2, read_timeout=2, total_timeout=10)


def html(srv: HTTPServer, path: str, body: bytes = HTML, **headers) -> None:
    ct = headers.pop("content_type", "text/html; charset=utf-8")
    hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
    srv.expect_request(path).respond_with_data(body, content_type=ct, headers=hdrs or None)


# --------------------------------------------------------------------------- SSRF refusals


SSRF_CASES = [
    ("http://127.0.0.1:{port}/", "loopback"),
    ("http://localhost:{port}/", "loopback"),
    ("http://[::1]:{port}/", "loopback"),
    ("http://0.0.0.0:{port}/", "unspecified"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://10.0.0.1/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://[::ffff:127.0.0.1]:{port}/", "IPv4-mapped"),
    ("http://[::ffff:10.0.0.1]/", "IPv4-mapped"),
    ("http://2130706433:{port}/", "loopback"),
    ("http://0x7f.1:{port}/", "loopback"),
    ("http://0177.0.0.1:{port}/", "loopback"),
    ("http://127.1:{port}/", "loopback"),
    ("http://0x7f000001:{port}/", "loopback"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://100.100.100.200/", "cloud metadata"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://[fe80::1]/", "link-local"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fc00::1]/", "private"),
    ("http://100.64.0.1/", "private"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "reserved"),
    ("http://[2002:7f00:1::1]/", "6to4 (loopback"),
    ("http://[64:ff9b::a00:1]/", "NAT64 (private"),
]


@pytest.mark.parametrize(("template", "klass"), SSRF_CASES)
def test_internal_addresses_refused_without_connecting(srv, net, template, klass):
    url = template.format(port=srv.port)
    with pytest.raises(FetchError) as ei:
        fetch(url, STRICT)
    assert ei.value.code == "blocked-address", ei.value
    assert klass in ei.value.message
    assert net.calls == []
    assert srv.log == []


def test_public_name_resolving_to_loopback_refused(srv, net, fake_dns):
    dns = fake_dns({"evil.example.com": ["127.0.0.1"]})
    with pytest.raises(FetchError) as ei:
        fetch(f"http://evil.example.com:{srv.port}/", STRICT)
    assert ei.value.code == "blocked-address"
    assert "loopback" in ei.value.message and "evil.example.com" in ei.value.message
    assert dns.calls == ["evil.example.com"]
    assert net.calls == [] and srv.log == []


def test_name_resolving_to_metadata_refused(net, fake_dns):
    fake_dns({"meta.example.com": ["169.254.169.254"]})
    with pytest.raises(FetchError) as ei:
        fetch("http://meta.example.com/", LOCAL)
    assert ei.value.code == "blocked-address" and "cloud metadata" in ei.value.message
    assert net.calls == []


def test_metadata_not_admitted_by_broad_allow_network(net):
    policy = FetchPolicy(allow=("169.254.0.0/16",))
    with pytest.raises(FetchError) as ei:
        fetch("http://169.254.169.254/", policy)
    assert ei.value.code == "blocked-address"
    assert net.calls == []


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/"])
def test_redirect_to_internal_address_refused_at_second_hop(srv, base, net, target):
    srv.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/go", LOCAL)
    assert ei.value.code == "blocked-address"
    assert ei.value.url == target
    assert net.calls == [("127.0.0.1", srv.port)]  # only the allow-listed first hop
    assert len(srv.log) == 1


def test_redirect_to_name_resolving_internal_refused(srv, base, net, fake_dns):
    fake_dns({"intranet.example.com": ["192.168.0.10"]})
    srv.expect_request("/go").respond_with_data("", status=301, headers={"Location": "http://intranet.example.com/"})
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/go", LOCAL)
    assert ei.value.code == "blocked-address" and "private" in ei.value.message
    assert net.calls == [("127.0.0.1", srv.port)]


def test_redirect_to_other_scheme_refused(srv, base):
    srv.expect_request("/go").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/go", LOCAL)
    assert ei.value.code == "bad-scheme"


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"]
)
def test_other_schemes_refused(url, net):
    with pytest.raises(FetchError) as ei:
        fetch(url, LOCAL)
    assert ei.value.code == "bad-scheme"
    assert net.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "example.com/page",
        "http://",
        "http:///path",
        "http://user:pass@127.0.0.1/",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:0/",
        "http://exa mple.com/",
        "http://[::1/",
        "http://a..b/",
    ],
)
def test_bad_urls_refused(url, net):
    with pytest.raises(FetchError) as ei:
        fetch(url, LOCAL)
    assert ei.value.code == "bad-url", ei.value
    assert net.calls == []


def test_dns_rebinding_single_lookup_and_pinned_connection(srv, net, fake_dns):
    # First answer is public, every later one loopback: a second lookup would be caught.
    dns = fake_dns({"rebind.example.com": [PUBLIC_IP, "127.0.0.1"]})
    net.routes[(PUBLIC_IP, srv.port)] = ("127.0.0.1", srv.port)  # stand-in for the public host
    html(srv, "/page")
    result = fetch(f"http://rebind.example.com:{srv.port}/page", STRICT)
    assert result.status == 200 and result.body == HTML
    assert dns.calls == ["rebind.example.com"]  # exactly one lookup
    assert net.calls == [(PUBLIC_IP, srv.port)]  # connected to the address that was checked
    request = srv.log[0][0]
    assert request.headers["Host"] == f"rebind.example.com:{srv.port}"


def test_mixed_answers_connect_only_to_public(srv, net, fake_dns):
    fake_dns({"mixed.example.com": [f"127.0.0.1,{PUBLIC_IP}"]})
    net.routes[(PUBLIC_IP, srv.port)] = ("127.0.0.1", srv.port)
    html(srv, "/")
    assert fetch(f"http://mixed.example.com:{srv.port}/", STRICT).status == 200
    assert net.calls == [(PUBLIC_IP, srv.port)]


def test_dns_failure(fake_dns, net):
    with pytest.raises(FetchError) as ei:
        fetch("http://does-not-exist.example/", STRICT)
    assert ei.value.code == "dns-error"
    assert net.calls == []


# --------------------------------------------------------------------------- allow-list


def test_allow_list_admits_loopback_and_records_response(srv, base, net):
    srv.expect_request("/page").respond_with_data(
        HTML,
        content_type='text/html; charset="ISO-8859-1"',
        headers=[("X-Robots-Tag", "noindex"), ("X-Robots-Tag", "googlebot: nofollow, noarchive")],
    )
    r = fetch(f"{base}/page", LOCAL)
    assert r.status == 200
    assert r.url == r.final_url == f"{base}/page"
    assert r.body == HTML
    assert r.content_type == "text/html"
    assert r.charset == "iso-8859-1"
    assert r.x_robots_tag == ["noindex", "googlebot: nofollow, noarchive"]
    assert r.headers["content-type"].startswith("text/html")
    assert all(k == k.lower() for k in r.headers)
    assert r.redirects == []
    assert r.elapsed_ms >= 0
    req = srv.log[0][0]
    assert req.headers["User-Agent"] == USER_AGENT
    assert req.headers["Host"] == f"127.0.0.1:{srv.port}"
    assert "gzip" in req.headers["Accept-Encoding"]
    assert net.calls == [("127.0.0.1", srv.port)]


@pytest.mark.parametrize("allow", [("127.0.0.0/8:{port}",), ("localhost:{port}",), ("10.0.0.0/8", "127.0.0.1:{port}"),
                                   ("[127.0.0.0/8]:{port}",), ("127.0.0.1:*",)])
def test_allow_list_forms(srv, allow):
    html(srv, "/")
    policy = FetchPolicy(allow=tuple(a.format(port=srv.port) for a in allow))
    host = "localhost" if allow[0].startswith("localhost") else "127.0.0.1"
    assert fetch(f"http://{host}:{srv.port}/", policy).status == 200


@pytest.mark.parametrize("allow", [("127.0.0.1",), ("localhost",), ("127.0.0.0/8",), ("127.0.0.1:{other}",),
                                   ("[127.0.0.1]:{other}",)])
def test_allow_list_entry_opens_only_its_port(srv, net, allow):
    """Without a port an entry opens 80 and 443 only: the host's other services stay closed."""
    html(srv, "/")
    policy = FetchPolicy(allow=tuple(a.format(other=srv.port + 1) for a in allow))
    host = "localhost" if allow[0].startswith("localhost") else "127.0.0.1"
    with pytest.raises(FetchError) as ei:
        fetch(f"http://{host}:{srv.port}/", policy)
    assert ei.value.code == "blocked-address" and f"port {srv.port}" in ei.value.message
    assert net.calls == []


def test_allow_list_entry_without_port_opens_the_default_ports(srv, net):
    html(srv, "/")
    policy = FetchPolicy(allow=("127.0.0.1",), connect_timeout=2, total_timeout=5)
    net.routes[("127.0.0.1", 80)] = net.routes[("127.0.0.1", 443)] = ("127.0.0.1", srv.port)
    assert fetch("http://127.0.0.1/", policy).status == 200
    with pytest.raises(FetchError) as ei:  # port 443 is open too: the TLS handshake with a plain server fails
        fetch("https://127.0.0.1/", policy)
    assert ei.value.code == "tls-error"
    assert net.calls == [("127.0.0.1", 80), ("127.0.0.1", 443)]


def test_redirect_to_another_port_of_an_allowed_host_is_refused(srv, base, net):
    srv.expect_request("/go").respond_with_data("", status=302, headers={"Location": "http://127.0.0.1:6379/"})
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/go", FetchPolicy(allow=(f"127.0.0.1:{srv.port}",)))
    assert ei.value.code == "blocked-address" and ei.value.url == "http://127.0.0.1:6379/"
    assert net.calls == [("127.0.0.1", srv.port)]


@pytest.mark.parametrize("entry", ["127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", "[::1]:x", "host:1:2x"])
def test_allow_list_bad_ports_are_config_errors(entry):
    with pytest.raises(ValueError):
        FetchPolicy(allow=(entry,))


def test_allow_list_does_not_leak_to_other_private_ranges(net):
    with pytest.raises(FetchError) as ei:
        fetch("http://10.1.2.3/", LOCAL)
    assert ei.value.code == "blocked-address"
    assert net.calls == []


def test_policy_from_env():
    p = FetchPolicy.from_env(
        {
            "HEALTHGEO_FETCH_ALLOW": " 127.0.0.1 , Intranet.Example ,10.0.0.0/8,",
            "HEALTHGEO_FETCH_TIMEOUT": "7.5",
            "HEALTHGEO_FETCH_MAX_BYTES": "1000",
        }
    )
    assert p.allow == ("127.0.0.1", "intranet.example", "10.0.0.0/8")
    assert p.total_timeout == 7.5 and p.max_bytes == 1000
    assert FetchPolicy.from_env({}).allow == ()
    d = FetchPolicy()
    assert (d.connect_timeout, d.read_timeout, d.total_timeout) == (5, 10, 20)
    assert (d.max_bytes, d.max_decompressed, d.max_redirects) == (5 * 2**20, 20 * 2**20, 5)
    assert d.html_only is True
    assert d.user_agent.startswith("HealthgeoBot/") and "(+https://github.com/healthgeo/healthgeo)" in d.user_agent
    with pytest.raises(ValueError):
        FetchPolicy.from_env({"HEALTHGEO_FETCH_ALLOW": "not a host!"})
    with pytest.raises(ValueError):
        FetchPolicy.from_env({"HEALTHGEO_FETCH_TIMEOUT": "soon"})


# --------------------------------------------------------------------------- redirects


def redirect(srv: HTTPServer, path: str, location: str, status: int = 302) -> None:
    srv.expect_request(path).respond_with_data("", status=status, headers={"Location": location})


def test_redirect_chain_recorded(srv, base):
    redirect(srv, "/a", "/b", 301)
    redirect(srv, "/b", f"{base}/c?x=1", 302)
    redirect(srv, "/c", "d", 307)
    html(srv, "/d")
    r = fetch(f"{base}/a", LOCAL)
    assert r.status == 200
    assert r.url == f"{base}/a"
    assert r.final_url == f"{base}/d"
    assert r.redirects == [
        {"url": f"{base}/a", "status": 301},
        {"url": f"{base}/b", "status": 302},
        {"url": f"{base}/c?x=1", "status": 307},
    ]


def test_redirect_loop_refused(srv, base):
    redirect(srv, "/loop1", "/loop2")
    redirect(srv, "/loop2", "/loop1")
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/loop1", LOCAL)
    assert ei.value.code == "redirect-loop"
    assert len(srv.log) == 2


def test_five_redirects_ok_six_refused(srv, base):
    for i in range(7):
        redirect(srv, f"/r{i}", f"/r{i + 1}")
    html(srv, "/r7")
    r = fetch(f"{base}/r2", LOCAL)  # r2 -> r7: five redirects
    assert len(r.redirects) == 5 and r.final_url == f"{base}/r7"
    srv.clear_log()
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/r1", LOCAL)  # six redirects
    assert ei.value.code == "too-many-redirects"
    assert len(srv.log) == 6  # r1..r6 requested, r7 never


# --------------------------------------------------------------------------- size limits


def test_body_over_max_bytes_refused_while_streaming(srv, base):
    chunk = b"<p>" + b"x" * (64 * 1024 - 3)
    total_chunks = 1000  # ~64 MB if read to the end
    produced = [0]
    finished = threading.Event()

    def body():
        try:
            yield b"<!doctype html>"
            for _ in range(total_chunks):
                produced[0] += 1
                yield chunk
        finally:
            finished.set()

    srv.expect_request("/big").respond_with_handler(
        lambda req: Response(body(), content_type="text/html")  # no Content-Length
    )
    policy = FetchPolicy(allow=("127.0.0.1:*",), max_bytes=1024 * 1024, read_timeout=5)
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/big", policy)
    assert ei.value.code == "too-large"
    assert "on the wire" in ei.value.message
    finished.wait(10)
    print("chunks produced before the cut:", produced[0])
    assert produced[0] < total_chunks // 4  # the server was cut off, not drained


def test_content_length_over_max_bytes_refused_before_reading(srv, base):
    html(srv, "/cl", b"<p>" + b"y" * (2 * 1024 * 1024))
    policy = FetchPolicy(allow=("127.0.0.1:*",), max_bytes=1024 * 1024)
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/cl", policy)
    assert ei.value.code == "too-large" and "Content-Length" in ei.value.message


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return gzip.compress(b"<p>" + b"\0" * (64 * 1024 * 1024), compresslevel=9)


def test_gzip_bomb_refused_by_max_decompressed(srv, base, gzip_bomb):
    assert len(gzip_bomb) < 1024 * 1024  # small on the wire, 64 MB decoded
    html(srv, "/bomb", gzip_bomb, Content_Encoding="gzip")
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/bomb", LOCAL)
    assert ei.value.code == "too-large"
    assert "decoded" in ei.value.message


def test_deflate_bomb_refused(srv, base):
    bomb = zlib.compress(b"\0" * (32 * 1024 * 1024), 9)
    html(srv, "/dbomb", bomb, Content_Encoding="deflate")
    policy = FetchPolicy(allow=("127.0.0.1:*",), max_decompressed=4 * 1024 * 1024)
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/dbomb", policy)
    assert ei.value.code == "too-large"


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
        ("gzip", lambda b: gzip.compress(b[:20]) + gzip.compress(b[20:])),  # two members
        ("identity", lambda b: b),
    ],
)
def test_compressed_pages_decoded(srv, base, encoding, encode):
    html(srv, "/z", encode(HTML * 100), Content_Encoding=encoding)
    assert fetch(f"{base}/z", LOCAL).body == HTML * 100


def test_unsupported_or_corrupt_encoding(srv, base):
    html(srv, "/br", b"\x1b\x00\x00", Content_Encoding="br")
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/br", LOCAL)
    assert ei.value.code == "decode-error"
    html(srv, "/bad", b"not gzip at all", Content_Encoding="gzip")
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/bad", LOCAL)
    assert ei.value.code == "decode-error"


# --------------------------------------------------------------------------- content types, status


def test_pdf_refused_as_not_html_but_fetch_text_accepts(srv, base):
    srv.expect_request("/doc.pdf").respond_with_data(b"%PDF-1.7\n...", content_type="application/pdf")
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/doc.pdf", LOCAL)
    assert ei.value.code == "not-html" and "application/pdf" in ei.value.message
    r = fetch_text(f"{base}/doc.pdf", LOCAL)
    assert r.content_type == "application/pdf" and r.body.startswith(b"%PDF")


def test_xhtml_accepted_and_html_only_override(srv, base):
    html(srv, "/x", content_type="application/xhtml+xml")
    assert fetch(f"{base}/x", LOCAL).content_type == "application/xhtml+xml"
    srv.expect_request("/j").respond_with_data(b"{}", content_type="application/json")
    assert fetch(f"{base}/j", LOCAL, html_only=False).body == b"{}"


def missing_ct(body: bytes):
    def handler(req):
        resp = Response(body)
        del resp.headers["Content-Type"]
        return resp

    return handler


def test_missing_content_type_sniffed(srv, base):
    srv.expect_request("/sniff-html").respond_with_handler(missing_ct(b"\n  <!DOCTYPE html><p>x</p>"))
    r = fetch(f"{base}/sniff-html", LOCAL)
    assert r.content_type is None and r.body.startswith(b"\n  <!DOCTYPE")
    srv.expect_request("/sniff-bin").respond_with_handler(missing_ct(b"\x89PNG\r\n\x1a\n...."))
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/sniff-bin", LOCAL)
    assert ei.value.code == "not-html"


def test_sniffs_as_html():
    assert sniffs_as_html(b"\xef\xbb\xbf<html lang=en>")
    assert sniffs_as_html(b"<!-- c --><p>")
    assert not sniffs_as_html(b"<?xml version='1.0'?><urlset/>")
    assert not sniffs_as_html(b"<bogus>")
    assert not sniffs_as_html(b"User-agent: *")


def test_http_error_status(srv, base):
    html(srv, "/gone", b"<p>gone</p>")
    srv.expect_request("/missing").respond_with_data(b"<p>nope</p>", status=404, content_type="text/html")
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/missing", LOCAL)
    assert ei.value.code == "http-error" and ei.value.status == 404
    r = fetch(f"{base}/missing", LOCAL, raise_for_status=False)
    assert r.status == 404 and r.body == b"<p>nope</p>"


# --------------------------------------------------------------------------- network failures, timeouts


def test_connect_refused(net):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with pytest.raises(FetchError) as ei:
        fetch(f"http://127.0.0.1:{port}/", LOCAL)
    assert ei.value.code == "connect-error"


def test_read_timeout(srv, base):
    done, release = threading.Event(), threading.Event()

    def slow(req):  # answers only when the test says so: the client must give up first, however slow it runs
        release.wait(60)
        done.set()
        return Response(HTML, content_type="text/html")

    srv.expect_request("/slow").respond_with_handler(slow)
    policy = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=0.5, total_timeout=10)
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/slow", policy)
    assert ei.value.code == "timeout"
    assert not done.is_set()  # gave up before the server answered
    release.set()
    done.wait(60)  # let the single-threaded server finish the waiting handler


def test_total_deadline_against_slow_drip(srv, base):
    done = threading.Event()

    def drip():
        try:
            yield b"<!doctype html>"
            for _ in range(600):  # a minute of dripping: far past the 1 s deadline, on any machine
                time.sleep(0.1)
                yield b"x"
        finally:
            done.set()

    srv.expect_request("/drip").respond_with_handler(lambda req: Response(drip(), content_type="text/html"))
    policy = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=3, total_timeout=1)
    with pytest.raises(FetchError) as ei:
        fetch(f"{base}/drip", policy)
    assert ei.value.code == "timeout"
    assert not done.is_set()  # gave up before the server finished dripping
    done.wait(60)  # the server stops dripping once it notices the closed socket


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not available")
    d = tmp_path_factory.mktemp("tls")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run(
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Healthgeo Test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    run("req", *ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=healthgeo.test")
    (d / "ext.cnf").write_text(
        "subjectAltName=DNS:healthgeo.test\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    run(
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    )
    return d


@pytest.fixture(scope="module")
def tls_server(tls_files):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tls_files / "leaf.pem", tls_files / "leaf.key")
    srv = HTTPServer(host="127.0.0.1", port=0, ssl_context=ctx)
    srv.start()
    srv.expect_request("/").respond_with_data(HTML, content_type="text/html")
    yield srv
    srv.clear()
    srv.stop()


def test_https_pinned_ip_keeps_sni_and_certificate_name(tls_server, tls_files, fake_dns, net):
    dns = fake_dns({"healthgeo.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    policy = FetchPolicy(allow=("127.0.0.1:*",), ca_certs=str(tls_files / "ca.pem"))
    r = fetch(f"https://healthgeo.test:{tls_server.port}/", policy)
    assert r.status == 200 and r.body == HTML
    assert dns.calls == ["healthgeo.test"]
    assert net.calls == [("127.0.0.1", tls_server.port)]
    # The certificate is checked against the name in the URL, not the IP we connected to.
    with pytest.raises(FetchError) as ei:
        fetch(f"https://other.test:{tls_server.port}/", policy)
    assert ei.value.code == "tls-error"
    # And an untrusted issuer is refused.
    with pytest.raises(FetchError) as ei:
        fetch(f"https://healthgeo.test:{tls_server.port}/", FetchPolicy(allow=("127.0.0.1:*",)))
    assert ei.value.code == "tls-error"


# --------------------------------------------------------------------------- address classes


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
        ("127.0.0.53", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("10.255.255.255", "private"),
        ("172.31.0.1", "private"),
        ("172.32.0.1", None),
        ("192.0.2.1", "reserved"),
        ("198.18.0.1", "reserved"),
        ("169.254.170.2", "cloud metadata"),
        ("::ffff:8.8.8.8", "IPv4-mapped (8.8.8.8)"),
        ("::ffff:169.254.169.254", "IPv4-mapped (cloud metadata 169.254.169.254)"),
        ("2002:0808:0808::1", None),
        ("2002:c0a8:0101::1", "6to4 (private 192.168.1.1)"),
        ("64:ff9b::808:808", None),
        ("2001:db8::1", "reserved"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"),  # Teredo
        ("fe80::1%eth0", "link-local"),
        ("::2", "reserved"),
    ],
)
def test_classify_address(ip, expected):
    assert classify_address(ip) == expected
