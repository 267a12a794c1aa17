"""citation: the authoritative sources the page cites, with DOI, PMID and PMCID as identifiers."""

from __future__ import annotations

from typing import Any

from scoring.facts.sourcing.sources import EPMC_HOSTS, NCBI_HOSTS, doi_from_url, pmcid_from_url, pmid_from_url
from scoring.fix.common import first_str, flat, said, work_url_key

MAX_CITATIONS = 20


# PubMed and PMC identifiers are only read from these hosts (and their www. or pubmed. forms): a URL that
# does not name one of them, in any case, has none, and the parsing is skipped.
_ID_HOSTS = tuple(sorted(h for h in NCBI_HOSTS | EPMC_HOSTS
                         if not any(o != h and o in h for o in NCBI_HOSTS | EPMC_HOSTS)))


def _work_ids(url: str) -> list[tuple[str, str]]:
    """("DOI" | "PMID" | "PMCID", identifier) for each identifier a cited URL carries."""
    doi = doi_from_url(url)
    low = url.lower()
    if any(host in low for host in _ID_HOSTS):
        pmid, pmcid = pmid_from_url(url), pmcid_from_url(url)
    else:
        pmid = pmcid = None
    return [(name, found) for name, found in (("DOI", doi), ("PMID", pmid), ("PMCID", pmcid)) if found]


def _work_keys(url: str | None, identifier: Any) -> set[str]:
    """Keys a cited work is known by: its URL and its DOI, PMID or PMCID."""
    keys: set[str] = set()
    if url:
        ids = _work_ids(url)
        keys.update(f"{name}:{found}".lower() for name, found in ids)
        if not ids:
            keys.add(work_url_key(url))
    for item in flat(identifier):
        if isinstance(item, dict):
            name, value = first_str(item.get("propertyID")), first_str(item.get("value"))
            if name and value:
                keys.add(f"{name}:{value}".lower())
    return keys


class CitationsMixin:
    """citation from the page's authoritative sources."""

    def citations(self, pn: dict) -> None:
        existing = flat(pn.get("citation"))
        seen: set[str] = set()
        for v in existing:
            if isinstance(v, str):
                seen.update(_work_keys(v, None))
            elif isinstance(v, dict):
                seen.update(_work_keys(first_str(v.get("url")), v.get("identifier")))
        if existing:
            self.touched.add("citation")
            self.change("keep", pn, "citation", existing, said("existing-citations"))
        links: set[str] | None = None  # the page's link URLs, only wanted for a work named by its identifier
        added = []
        for cite in self.facts.get("citations") or []:
            if len(existing) + len(added) >= MAX_CITATIONS:
                break
            if not cite.get("authoritative"):
                continue
            url = cite["url"]
            ids = _work_ids(url)
            keys = {f"{n}:{v}".lower() for n, v in ids}  # _work_keys(url, None), identifiers read once
            if url and not ids:
                keys.add(work_url_key(url))
            if keys & seen:
                continue
            seen |= keys
            text = cite.get("text") or ""
            work: dict = {"@type": ["CreativeWork"]}
            named_by_identifier = text.startswith(("doi:", "PMID: "))
            if named_by_identifier and links is None:
                links = {link.url for link in self.page.links}
            if not named_by_identifier or url in links:
                work["url"] = url  # not for a resolver URL built from an identifier written in the text
            values = [{"@type": ["PropertyValue"], "propertyID": n, "value": v} for n, v in ids]
            if values:
                work["identifier"] = values[0] if len(values) == 1 else values
            if len(work) > 1:
                added.append(work)
        if added:
            values = existing + added
            pn["citation"] = values if len(values) > 1 else values[0]
            self.touched.add("citation")
            self.change("add", pn, "citation", added, said("cited-sources", count=len(added)))
