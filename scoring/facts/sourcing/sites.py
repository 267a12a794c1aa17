"""Which site a host belongs to (its registrable domain, through the Public Suffix List)."""

from __future__ import annotations

import re
from functools import lru_cache

from tld import get_tld  # the Public Suffix List

from scoring.facts.sourcing.sources import shared_domains

_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


@lru_cache(maxsize=50000)  # a page's links repeat a few hosts
def site_of(host: str) -> str:
    """The site a host belongs to: its registrable domain (Public Suffix List), without ``www.``.

    ``www.cdc.gov`` and ``stacks.cdc.gov`` are both ``cdc.gov``; under the public-sector domains that
    many publishers share (``nih.gov``, ``gov.uk``, ``europa.eu``..., listed in data/sources.json) the
    site is the host: ``pubmed.ncbi.nlm.nih.gov`` and ``pmc.ncbi.nlm.nih.gov`` are two sites.
    """
    h = host.lower().strip().rstrip(".")
    if h.startswith("www."):
        h = h[4:]
    labels = h.split(".")
    fld = None
    if h and not _IPV4.match(h) and len(labels) > 1:
        res = get_tld(h, fix_protocol=True, fail_silently=True, as_object=True)
        fld = res.fld if res else None
    site = fld or h
    shared = shared_domains()
    for n in range(2, len(labels)):  # the host's proper suffixes of two labels and more
        if ".".join(labels[-n:]) in shared:
            site = h
            break
    return site


def same_site(host_a: str, host_b: str) -> bool:
    return bool(host_a) and bool(host_b) and site_of(host_a) == site_of(host_b)
