"""WebSite and the publisher Organization."""

from __future__ import annotations

from scoring.fix.common import first_str, flat, host_of, is_party, org_family, real_id, said, types_of


class OrganisationMixin:
    """The WebSite and publisher nodes."""

    def site_name(self) -> str | None:
        return self.page.meta_first("og:site_name", "application-name")

    def website(self, tops: list[dict]) -> dict | None:
        sites = [t for t in tops if "WebSite" in types_of(t)]
        host = host_of(self.page_url)
        site = next((s for s in sites if host and host_of(first_str(s.get("url")) or real_id(s)) == host),
                    sites[0] if sites else None)
        if site is None:
            if not self.origin:
                return None
            site = {"@type": ["WebSite"], "@id": self.new_id(f"{self.origin}#website"), "url": self.origin}
            self.change("add", site, None, site, said("site-of-page"))
        else:
            if not real_id(site):
                site["@id"] = self.new_id(f"{self.origin}#website" if self.origin else "#website")
            if not site.get("url") and self.origin:
                site["url"] = self.origin
                self.change("add", site, "url", self.origin, said("site-origin"))
            self.change("keep", site, None, site, said("own-website-node"))
        if not site.get("name"):
            name = self.site_name()
            if name:
                site["name"] = name
                self.change("add", site, "name", name, said("og-site-name"))
        return site

    def publisher(self, tops: list[dict], pn: dict, site: dict | None) -> dict | None:
        values = flat(pn.get("publisher"))
        pub = next((v for v in values if isinstance(v, dict) and v is not pn and is_party(v)), None)
        if pub is None:
            text = next((v for v in values if isinstance(v, str) and v.strip()), None)
            if text:
                pub = {"@type": ["Organization"], "name": text.strip()}
                pn["publisher"] = pub
                self.touched.add("publisher")
                self.change("correct", pn, "publisher", pub, said("bare-publisher"))
        host = host_of(self.page_url)
        if pub is None and host:
            pub = next((t for t in tops if any(org_family(x) for x in types_of(t))
                        and host_of(first_str(t.get("url")) or real_id(t)) == host), None)
        if pub is None and site is not None:
            pub = next((v for v in flat(site.get("publisher")) if isinstance(v, dict) and is_party(v)), None)
        if pub is None:
            name = self.site_name()
            if not name:
                return None
            pub = {"@type": ["Organization"], "name": name}
            if self.origin:
                pub["url"] = self.origin
            self.change("add", None, None, pub, said("og-site-name-publisher"),
                        path=self.pub_id(pub))
        if not real_id(pub):
            self.pub_id(pub)
        if site is not None and not site.get("publisher"):
            site["publisher"] = pub
            self.change("add", site, "publisher", pub, said("site-publisher"))
        return pub

    def pub_id(self, pub: dict) -> str:
        if not real_id(pub):
            person = "Person" in types_of(pub)
            base = (f"{self.page_url or ''}#publisher" if person else
                    f"{self.origin}#organization" if self.origin else "#organization")
            pub["@id"] = self.new_id(base)
        return pub["@id"]
