"""Signed webhook deliveries: the signature, retries with back-off, and the safe-fetch rules."""

from __future__ import annotations

import json

import pytest
from werkzeug import Request, Response

from service.batches.webhook import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, deliver, encode, sign, verify
from service.net.policy import FetchPolicy

# Generous: a loaded machine answers late; no test here waits for these to expire.
LOCAL = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=10, total_timeout=30)
SECRET = "s3cret-shared-with-the-receiver"
SUMMARY = {"batch_id": "b_1", "state": "done", "start": "https://ex.com/", "score": {"mean": 71.5}, "note": "été"}


@pytest.fixture
def hook(server):
    server.clear()
    yield server
    server.clear()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def respond_in_turn(*responses: Response):
    received: list[Request] = []

    def handler(request: Request) -> Response:
        received.append(request)
        return responses[min(len(received), len(responses)) - 1]

    handler.received = received
    return handler


def test_sign_and_verify():
    body = encode(SUMMARY)
    header = sign(body, SECRET)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify(body, SECRET, header)
    assert not verify(body + b" ", SECRET, header)
    assert not verify(body, "other", header)
    for bad in (None, "", "sha1=abc", header[:-1], "sha256=" + "é" * 64):
        assert not verify(body, SECRET, bad)
    with pytest.raises(ValueError):
        sign(body, "")


def test_delivery_is_signed_json_the_receiver_can_verify(hook):
    handler = respond_in_turn(Response("ok"))
    hook.expect_request("/hook", method="POST").respond_with_handler(handler)
    out = deliver(hook.url_for("/hook?token=abc"), SUMMARY, secret=SECRET, policy=LOCAL, sleep=Sleeps())
    assert out == {"delivered": True, "attempts": 1, "status": 200, "error": None}
    (req,) = handler.received
    raw = req.get_data()
    assert verify(raw, SECRET, req.headers[SIGNATURE_HEADER])
    assert json.loads(raw) == SUMMARY
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers[EVENT_HEADER] == "batch.finished" and len(req.headers[DELIVERY_HEADER]) == 32
    assert req.headers["User-Agent"].startswith("HealthgeoBot/")


def test_5xx_429_and_network_errors_are_retried_with_exponential_back_off(hook):
    handler = respond_in_turn(
        Response("busy", status=503),
        Response("slow down", status=429, headers={"Retry-After": "7"}),
        Response("down", status=500),
        Response("ok", status=204),
    )
    hook.expect_request("/hook", method="POST").respond_with_handler(handler)
    sleeps = Sleeps()
    out = deliver(hook.url_for("/hook"), SUMMARY, secret=SECRET, policy=LOCAL, backoff=0.5, sleep=sleeps)
    assert out == {"delivered": True, "attempts": 4, "status": 204, "error": None}
    assert sleeps == [0.5, 7.0, 2.0], "0.5 * 2**n, or Retry-After when longer"
    ids = {r.headers[DELIVERY_HEADER] for r in handler.received}
    assert len(handler.received) == 4 and len(ids) == 1, "one delivery id across retries"


def test_gives_up_after_the_last_attempt(hook):
    hook.expect_request("/hook", method="POST").respond_with_data("no", status=502)
    sleeps = Sleeps()
    out = deliver(hook.url_for("/hook"), SUMMARY, secret=SECRET, policy=LOCAL, attempts=3, sleep=sleeps)
    assert out == {"delivered": False, "attempts": 3, "status": 502, "error": "HTTP 502"}
    assert sleeps == [1.0, 2.0] and len(hook.log) == 3


def test_connection_errors_are_retried():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    sleeps = Sleeps()
    out = deliver(f"http://127.0.0.1:{port}/hook", SUMMARY, secret=SECRET, policy=LOCAL, attempts=3, sleep=sleeps)
    assert out["delivered"] is False and out["attempts"] == 3 and out["error"].startswith("connect-error")
    assert sleeps == [1.0, 2.0]


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_other_4xx_are_not_retried(hook, status):
    hook.expect_request("/hook", method="POST").respond_with_data("no", status=status)
    sleeps = Sleeps()
    out = deliver(hook.url_for("/hook"), SUMMARY, secret=SECRET, policy=LOCAL, sleep=sleeps)
    assert out == {"delivered": False, "attempts": 1, "status": status, "error": f"HTTP {status}"}
    assert sleeps == [] and len(hook.log) == 1


def test_redirects_are_not_followed(hook):
    hook.expect_request("/hook", method="POST").respond_with_response(
        Response("", status=307, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    out = deliver(hook.url_for("/hook"), SUMMARY, secret=SECRET, policy=LOCAL, sleep=Sleeps())
    assert out["delivered"] is False and out["attempts"] == 1 and out["status"] == 307
    assert "not followed" in out["error"] and len(hook.log) == 1


def test_blocked_addresses_are_refused_without_retry_or_request(hook):
    hook.expect_request("/hook", method="POST").respond_with_data("ok")
    sleeps = Sleeps()
    for url in (hook.url_for("/hook"), "http://169.254.169.254/hook", "http://[::1]:9/hook", "http://10.0.0.8/"):
        out = deliver(url, SUMMARY, secret=SECRET, policy=FetchPolicy(), sleep=sleeps)
        assert out["delivered"] is False and out["attempts"] == 1, url
        assert out["error"].startswith("blocked-address"), out
    assert deliver("file:///etc/passwd", SUMMARY, secret=SECRET, policy=FetchPolicy())["error"].startswith("bad-scheme")
    assert sleeps == [] and len(hook.log) == 0
