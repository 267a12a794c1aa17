"""Safe outbound HTTP fetcher (SSRF-hardened).

When a user hands us a URL, *our* server fetches it, so the fetcher must not become a
door into the network the server runs in.  The rules, in order:

* only ``http`` and ``https``; no credentials in the URL;
* the host is resolved here, once (``socket.getaddrinfo``; IPv4 literals in odd spellings
  such as ``2130706433``, ``0x7f.1``, ``0177.0.0.1`` or ``127.1`` are normalised the way
  the C resolver does it), and every resulting address is classified: loopback, private,
  link-local, multicast, reserved, unspecified, IPv4-mapped IPv6, 6to4 / NAT64 addresses
  embedding a non-public IPv4, and cloud-metadata addresses and names are refused unless
  the operator's allow-list (:attr:`FetchPolicy.allow`) admits them;
* the connection goes to the address that was checked (urllib3 pool whose host is the
  IP itself, a custom connection class that never calls the resolver again), with the
  original ``Host`` header and, for https, SNI and certificate checks against the
  original host name -- so DNS rebinding between check and use is impossible;
* redirects are followed here (at most ``max_redirects``), every hop re-checked from the
  top (scheme, host, address); loops are detected;
* the body is streamed: ``max_bytes`` is enforced on the bytes on the wire as they
  arrive, ``max_decompressed`` on the decoded output (gzip/deflate bombs are cut off
  after at most 64 KiB past the limit); a total deadline spans DNS, all hops and the body.

Errors raise :class:`~service.net.errors.FetchError` with a stable ``code`` (``ERROR_CODES`` there).
:func:`post` sends a body (webhooks) under the same rules, without following redirects.

The pieces: ``policy`` (limits, allow-list, address classes), ``target`` (the URL rules), ``resolution`` (one
DNS lookup, the admitted addresses), ``connection`` (HTTP pinned to them), ``body`` (size caps, decoding,
content type and charset), ``deadline`` (the total time limit); this module follows the redirects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import urllib3

from .body import HTML_TYPES, FetchResult, header_dict, parse_content_type, read_body, sniffs_as_html
from .connection import send_request
from .deadline import Deadline
from .errors import FetchError
from .policy import FetchPolicy
from .resolution import resolve
from .target import Target, parse_target

__all__ = ["REDIRECT_STATUSES", "fetch", "fetch_text", "post"]


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    accept: str = "text/html,application/xhtml+xml",
    html_only: bool | None = None,
    raise_for_status: bool = True,
    max_bytes: int | None = None,
    max_decompressed: int | None = None,
) -> FetchResult:
    """Fetch ``url`` under ``policy``; see the module docstring for the rules.

    ``max_bytes`` and ``max_decompressed`` override the policy's limits for this request (sitemaps
    may hold 50 MB uncompressed by their protocol, more than a page).

    ``html_only`` (default: ``policy.html_only``) refuses 2xx responses whose content type
    is not text/html or application/xhtml+xml (``not-html``); a missing content type is
    accepted only if the body sniffs as HTML.  A status >= 400 raises ``http-error`` unless
    ``raise_for_status=False``, in which case the (size-limited) result is returned.
    """
    html_only = policy.html_only if html_only is None else html_only
    max_bytes = policy.max_bytes if max_bytes is None else max_bytes
    deadline = Deadline(policy.total_timeout)
    target = parse_target(url)
    headers = {
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    redirects: list[dict[str, Any]] = []
    visited = {target.url}
    while True:
        addrs = resolve(target, policy, deadline)
        headers["Host"] = target.host_header
        resp, pool = send_request(target, addrs, policy, headers, deadline)
        try:
            location = resp.headers.get("location")
            if resp.status in REDIRECT_STATUSES and location:
                try:
                    location = location.encode("latin-1").decode("utf-8")
                except UnicodeError:
                    pass
                redirects.append({"url": target.url, "status": resp.status})
                next_url = urljoin(target.url, location.strip())
                if len(redirects) > policy.max_redirects:
                    raise FetchError(
                        "too-many-redirects",
                        f"more than {policy.max_redirects} redirects",
                        url=next_url,
                        status=resp.status,
                    )
                nxt = parse_target(next_url)
                if nxt.url in visited:
                    raise FetchError(
                        "redirect-loop", f"redirect loop back to {nxt.url}", url=nxt.url, status=resp.status
                    )
                visited.add(nxt.url)
                target = nxt
                continue

            status = resp.status
            if status >= 400 and raise_for_status:
                raise FetchError("http-error", f"HTTP {status}", url=target.url, status=status)
            resp_headers = header_dict(resp)
            mime, _charset = parse_content_type(resp_headers.get("content-type"))
            check_html = html_only and 200 <= status < 300
            if check_html and mime is not None and mime not in HTML_TYPES:
                raise FetchError("not-html", f"content type {mime} is not HTML", url=target.url, status=status)
            body = read_body(resp, target, policy, max_bytes, deadline, max_decompressed)
            if check_html and mime is None and body and not sniffs_as_html(body):
                raise FetchError(
                    "not-html",
                    "no content type, and the body does not look like HTML",
                    url=target.url,
                    status=status,
                )
            return _result(url, target, resp, resp_headers, body, redirects, deadline)
        finally:
            resp.close()
            pool.close()


def _result(
    url: str,
    target: Target,
    resp: urllib3.HTTPResponse,
    headers: dict[str, str],
    body: bytes,
    redirects: list[dict[str, Any]],
    deadline: Deadline,
) -> FetchResult:
    mime, charset = parse_content_type(headers.get("content-type"))
    return FetchResult(
        url=url,
        final_url=target.url,
        status=resp.status,
        headers=headers,
        content_type=mime,
        charset=charset,
        body=body,
        redirects=redirects,
        x_robots_tag=[v.strip() for v in resp.headers.getlist("x-robots-tag") if v.strip()],
        elapsed_ms=deadline.elapsed_ms(),
    )


def post(
    url: str,
    policy: FetchPolicy,
    body: bytes,
    *,
    content_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
    max_bytes: int = 64 * 1024,
) -> FetchResult:
    """POST ``body`` to ``url`` under the same rules as :func:`fetch` (scheme, address classes
    and allow-list, pinned resolution, timeouts, total deadline, size limits).

    Redirects are not followed: a 3xx comes back as the result, since re-sending a body to
    another address is the caller's decision.  HTTP statuses are returned, never raised;
    network and policy failures raise :class:`FetchError`.  ``max_bytes`` bounds the
    response body read (a webhook receiver's answer is short).
    """
    deadline = Deadline(policy.total_timeout)
    target = parse_target(url)
    sent = {
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Accept": "*/*",
        "Content-Type": content_type,
        "Connection": "close",
        **(headers or {}),
    }
    addrs = resolve(target, policy, deadline)
    resp, pool = send_request(target, addrs, policy, sent, deadline, method="POST", body=body)
    try:
        resp_headers = header_dict(resp)
        data = read_body(resp, target, policy, max_bytes, deadline)
        return _result(url, target, resp, resp_headers, data, [], deadline)
    finally:
        resp.close()
        pool.close()


def fetch_text(
    url: str,
    policy: FetchPolicy,
    accept: str = "text/plain,*/*",
    max_bytes: int | None = None,
    *,
    raise_for_status: bool = True,
) -> FetchResult:
    """Fetch a non-HTML resource (robots.txt, llms.txt, sitemaps) with the same address rules."""
    return fetch(
        url,
        policy,
        accept=accept,
        html_only=False,
        raise_for_status=raise_for_status,
        max_bytes=max_bytes,
    )
