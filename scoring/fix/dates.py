"""The page node's dates: the ones the page shows, as the page writes them."""

from __future__ import annotations

from functools import lru_cache

from scoring.facts.dates.extract import extract_dates
from scoring.facts.dates.text import parse_date
from scoring.fix.common import first_str, said
from scoring.markup.validate import validate_nodes
from scoring.page.index import element_text

DATES = (("datePublished", "date_published", "published"), ("dateModified", "date_modified", "updated"),
          ("lastReviewed", "last_reviewed", "reviewed"))


_PAGE_DATE_SOURCES = frozenset({"meta", "time", "visible"})  # htmldate's guess is not the page's word


@lru_cache(maxsize=4096)
def _date_ok(prop: str, text: str) -> bool:
    """Does the validator accept this text as the property's date? (Asked, not re-implemented.)"""
    errors, _ = validate_nodes([{"@type": ["WebPage"], prop: text}])
    return not any(e["code"] == "invalid-date" for e in errors)


class DatesMixin:
    """datePublished, dateModified and lastReviewed from the dates the page shows."""

    def shown(self, kind: str) -> list[tuple[str, str]]:
        """(ISO date, precision) of each date the page shows with a label of this kind."""
        out = []
        for entry in self.facts["dates"].get("visible") or []:
            if entry.get("kind") != kind or not entry.get("date"):
                continue
            iso, precision = entry["date"], "day"
            text, label = entry.get("text") or "", entry.get("label") or ""
            at = text.find(label) if label else -1
            parsed = parse_date(text[at + len(label):] if at >= 0 else text, today=None) if text else None
            if parsed and parsed[0][:10] == iso[:10]:
                precision = parsed[1]
            out.append((iso, precision))
        return out

    @staticmethod
    def _as_written(iso: str, precision: str) -> str:
        return iso[:7] if precision == "month" else iso

    def page_date(self, field: str, page_only: bool) -> tuple[str, str] | None:
        """The date the page itself gives (meta, <time>, a label), never the markup's."""
        dates = self.facts["dates"]
        if dates["sources"].get(field) in _PAGE_DATE_SOURCES and self.facts.get(field):
            return self.facts[field], dates["precision"].get(field, "day")
        if page_only and dates["sources"].get(field) == "markup":
            redo = self.__dict__.get("_page_dates")
            if redo is None:
                redo = self._page_dates = extract_dates(self.page, None, use_htmldate=False)
            if redo["sources"].get(field) in _PAGE_DATE_SOURCES and redo.get(field):
                return redo[field], redo["precision"].get(field, "day")
        return None

    def date(self, pn: dict, prop: str, field: str, kind: str) -> None:
        shown = self.shown(kind)
        self._date(pn, prop, field, shown)
        monthly = [iso for iso, precision in shown if precision == "month"]
        value = first_str(pn.get(prop))
        if monthly and value and value[:10] not in {iso[:10] for iso, _ in shown}:
            self.need(prop, said("month-only", month=monthly[0][:7], property=prop),
                      ["markup.consistent-with-page"])

    def visible_text_has(self, text: str) -> bool:
        if self._body_text is None:
            body = self.page.root.find("body")
            self._body_text = element_text(body if body is not None else self.page.root)
        return " ".join(text.split()) in self._body_text

    def _date(self, pn: dict, prop: str, field: str, shown: list[tuple[str, str]]) -> None:
        def agrees(iso: str) -> bool:
            return any(iso[:7] == s[:7] if p == "month" else iso[:10] == s[:10] for s, p in shown)

        days = sorted({self._as_written(iso, p)[:10] for iso, p in shown})
        existing = pn.get(prop)
        text = first_str(existing)
        if text is None and isinstance(existing, (int, float)) and not isinstance(existing, bool):
            text = str(existing)
        if text:
            if _date_ok(prop, text):
                if shown and not agrees(text):
                    iso, precision = shown[0]
                    self.set(pn, prop, self._as_written(iso, precision), "correct",
                             said("date-differs", days=days, markup_date=text[:10]))
                else:
                    pn[prop] = text
                    self.touched.add(prop)
                    self.change("keep", pn, prop, text, said("existing-markup-shown" if shown else "existing-markup"))
                return
            parsed = parse_date(text)
            if parsed and (agrees(parsed[0]) or self.visible_text_has(text)):
                self.set(pn, prop, self._as_written(*parsed), "correct",
                         said("not-iso-same-date", text=text))
                return
            if shown:
                iso, precision = shown[0]
                self.set(pn, prop, self._as_written(iso, precision), "correct",
                         said("not-iso-page-shows", text=text, days=days))
                return
            found = self.page_date(field, True)
            if found and parsed and found[0][:10] == parsed[0][:10]:
                self.set(pn, prop, self._as_written(*found), "correct",
                         said("not-iso-meta-same", text=text))
                return
            del pn[prop]
            self.change("remove", pn, prop, text, said("not-iso-unconfirmed", text=text))
            self.absent_notes[prop] = said("absent-not-iso", property=prop, text=text)
            return
        if shown:
            iso, precision = shown[0]
            found = self.page_date(field, False)
            if found and found[0][:10] == iso[:10]:
                iso, precision = found
            self.set(pn, prop, self._as_written(iso, precision), "add", said("date-shown"))
            return
        found = self.page_date(field, False)
        if found:
            source = self.facts["dates"]["sources"].get(field)
            self.set(pn, prop, self._as_written(*found), "add",
                     said({"meta": "date-meta", "time": "date-time-element"}.get(source, "date-page")))
