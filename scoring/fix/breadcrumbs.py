"""The breadcrumb: the markup's trail, else the trail the page shows."""

from __future__ import annotations

from scoring.fix.common import real_id, said, types_of
from scoring.page.index import element_text
from scoring.page.main import is_inside
from scoring.page.model import Page

_CRUMB_STRIP = " \t\r\n\u00a0>›»/|·•…."


def _crumbs(container, page: Page) -> list[tuple[str, str | None]]:
    units = list(container.iter("li")) or list(container.iter("a"))
    crumbs: list[tuple[str, str | None]] = []
    for i, unit in enumerate(units):
        link = unit if unit.tag == "a" else unit.find(".//a[@href]")
        name = element_text(link if link is not None else unit).strip(_CRUMB_STRIP)
        if not name or len(name) > 120:
            continue
        href = (link.get("href") or "").strip() if link is not None else ""
        url = page.absolute(href) if href and not href.startswith(("#", "javascript:")) else None
        if url is None and i != len(units) - 1:
            continue  # only the last crumb (the page itself) may go without a link
        if crumbs and crumbs[-1] == (name, url):
            continue
        crumbs.append((name, url))
    return crumbs


class BreadcrumbsMixin:
    """BreadcrumbList from the markup or the visible trail."""

    def breadcrumb(self, pn: dict, tops: list[dict]) -> None:
        if pn.get("breadcrumb"):
            self.touched.add("breadcrumb")
            self.change("keep", pn, "breadcrumb", pn["breadcrumb"], said("breadcrumb-markup"))
            return
        lists = [t for t in tops if "BreadcrumbList" in types_of(t)]
        if lists:
            if not real_id(lists[0]):  # an @id makes the page refer to the list, not write it a second time
                lists[0]["@id"] = self.new_id(f"{self.page_url or ''}#breadcrumb")
            self.set(pn, "breadcrumb", lists[0], "add", said("existing-breadcrumb-list"))
            return
        if any(n.get("@syntax") != "json-ld" for n in self.data.of_type("BreadcrumbList")):
            return  # the microdata/RDFa trail stays in the page
        crumbs = self.visible_breadcrumb()
        if not crumbs:
            return
        items = []
        for position, (name, url) in enumerate(crumbs, 1):
            item: dict = {"@type": ["ListItem"], "position": position, "name": name}
            if url:
                item["item"] = url
            items.append(item)
        trail = {"@type": ["BreadcrumbList"], "@id": self.new_id(f"{self.page_url or ''}#breadcrumb"),
                 "itemListElement": items}
        self.set(pn, "breadcrumb", trail, "add", said("breadcrumb-shown"))

    def visible_breadcrumb(self) -> list[tuple[str, str | None]] | None:
        body = self.page.root.find("body")
        if body is None:
            body = self.page.root
        found = []
        for el in body.iter("nav", "ol", "ul", "div", "p"):
            hint = el.get("class")
            if (hint and "readcrumb" in hint) or (el.tag == "nav" and "readcrumb" in (el.get("aria-label") or "")):
                if el.get("aria-hidden") != "true" and el.get("hidden") is None:
                    found.append(el)
        for el in found:
            if any(other is not el and is_inside(other, el) for other in found):
                continue  # an inner list holds the trail itself
            crumbs = _crumbs(el, self.page)
            if len(crumbs) >= 2:
                return crumbs
        return None
