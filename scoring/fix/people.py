"""author and reviewedBy as Person nodes, with the honorifics, credentials and profession the page shows."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from scoring.facts.people.credentials import honorific_forms, written_forms
from scoring.facts.people.names import PROFESSIONS, looks_like_person, parse_person, person_key
from scoring.fix.common import (
    HONORIFIC_CANON,
    PROFESSION_CANON,
    first_str,
    flat,
    host_of,
    real_id,
    said,
    types_of,
    value_key,
    walk_nodes,
)
from scoring.markup.author_names import author_name_problems


def _written(canon: str, kind: str, texts: list[str]) -> str:
    """A credential, honorific or profession as the page writes it ("M.D.", "Docteur", "pharmacienne")."""
    if not texts:
        return canon
    joined = "\n".join(texts)
    if _whole_word(canon).search(joined):
        return canon
    match = _written_forms(canon, kind).search(joined)
    return match.group(0).strip() if match else canon


# Compiled once per credential: the module-level regex cache is shared with the whole audit and page-made
# patterns push these out of it.
@lru_cache(maxsize=1024)
def _whole_word(canon: str) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(canon)}(?![\w])")


@lru_cache(maxsize=1024)
def _written_forms(canon: str, kind: str) -> re.Pattern:
    """The ways a page writes a canonical credential, honorific or profession (case-insensitive)."""
    if kind == "honorific":
        pattern = rf"(?<![\w])(?:{'|'.join(map(re.escape, honorific_forms(canon)))})\.?(?![\w])"
    elif kind == "profession":
        alts = sorted({k for k, v in PROFESSIONS.items() if v == canon}, key=len, reverse=True)
        pattern = rf"(?<![\w])(?:{'|'.join(map(re.escape, alts))})(?![\w])"
    else:
        pattern = rf"(?<![\w.]){written_forms(canon)}(?![\w])"
    return re.compile(pattern, re.I)


class PeopleMixin:
    """author and reviewedBy: one Person per person the page names."""

    def people(self, pn: dict, prop: str, role: str) -> None:
        entries = self.facts.get(role) or []
        existing = flat(pn.get(prop))
        shown_only = [e for e in entries if "markup" not in e["sources"] and "byline" in e["sources"]]
        keep, hidden = [], []
        for e in entries:
            if e["sources"] == ["markup"] and shown_only:
                hidden.append(e)
            elif e["sources"] == ["meta"] and any(x["sources"] != ["meta"] for x in entries):
                continue
            else:
                keep.append(e)
        hidden_keys = {person_key(e["name"]) for e in hidden}
        used: set[int] = set()
        values: list = []
        for n, entry in enumerate(keep, 1):
            key = person_key(entry["name"])
            match = next((i for i, v in enumerate(existing) if i not in used and value_key(v) == key), None)
            if match is not None:
                used.add(match)
            values.append(self.person(pn, entry, key, existing[match] if match is not None else None, prop, n))
        for i, value in enumerate(existing):
            if i in used:
                continue
            vkey = value_key(value)
            if vkey and vkey in hidden_keys:
                self.change("remove", pn, prop, value, said(f"shown-other-{role[:-1]}",
                                                            names=[e["name"] for e in shown_only]))
                continue
            if isinstance(value, str):
                value = self.bare_person(pn, prop, value) or value
            values.append(value)
        if values:
            pn[prop] = values[0] if len(values) == 1 else values
            self.touched.add(prop)
        elif prop in pn:
            del pn[prop]

    def bare_person(self, node: dict, prop: str, text: str, parsed: dict | None = None) -> dict | None:
        """A Person node for a bare-text name (``parsed``: parse_person(text), when the caller has it)."""
        if parsed is None:
            parsed = parse_person(text)
        if parsed and looks_like_person(parsed["name"]):
            person = {"@type": ["Person"], "name": parsed["name"]}
            self.add_credentials(person, parsed["credentials"], [text])
            self.change("correct", node, prop, person, said("bare-person"))
            return person
        return None  # not clearly a person's name: left as the text it is

    def person(self, pn: dict, entry: dict, key: str, existing: Any, prop: str, n: int) -> dict:
        """The node for a person the page names (``key``: person_key of the entry's name)."""
        shared = self.persons.get(key)
        if shared is not None and (existing is None or existing is shared or isinstance(existing, str)):
            self.change("keep" if existing is not None else "add", pn, prop, shared,
                        said("same-person", property="author" if prop != "author" else "reviewedBy"))
            return shared
        kind = entry.get("type") or "Person"
        texts = [t for t in (entry.get("evidence"),) if t]
        if isinstance(existing, dict):
            node = existing
            if not types_of(node):
                node["@type"] = [kind]
                self.change("correct", node, "@type", kind, said("untyped-party"))
            old = first_str(node.get("name"))
            if old:
                texts.append(old)
        else:
            node = {"@type": [kind], "name": entry["name"]}
            old = existing.strip() if isinstance(existing, str) else None
            if old:
                texts.append(old)
        texts.extend(self.page.meta.get("author", []))
        url = entry.get("url")
        add_url = bool(url) and not node.get("url") and not node.get("sameAs")
        if add_url:
            node["url"] = url
        if not real_id(node):
            node["@id"] = self.person_id(node, prop, n)
        what = "person" if kind == "Person" else "organisation"  # the message codes: *-person, *-organisation
        if old is None:
            node["name"] = entry["name"]
            self.change("add", pn, prop, node, said("named-on-page", name=entry["name"],
                                                    sources=", ".join(entry["sources"])))
        elif isinstance(existing, str):
            node["name"] = entry["name"]
            self.change("correct", pn, prop, node, said("bare-text-node" if old == entry["name"] else
                                                        "bare-text-node-name-only", text=old, type=kind))
        elif kind == "Person" and author_name_problems(old):
            problems = [h for _, h in author_name_problems(old)]
            node["name"] = entry["name"]
            self.change("correct", node, "name", entry["name"], said("name-only-moved", parts=problems))
        else:
            self.change("keep", pn, prop, node, said(f"shown-{what}" if "byline" in entry["sources"] else
                                                     f"markup-{what}"))
        if add_url and old is not None:
            self.change("add", node, "url", url, said("profile-link"))
        if kind == "Person":
            self.add_credentials(node, entry.get("credentials") or [], texts)
        for link in entry.get("same_as") or []:
            current = flat(node.get("sameAs"))
            if link not in current:
                node["sameAs"] = current + [link] if current else link
        self.persons.setdefault(key, node)
        return node

    def add_credentials(self, node: dict, credentials: list[str], texts: list[str]) -> None:
        honor = [c for c in credentials if c in HONORIFIC_CANON]
        jobs = [c for c in credentials if c in PROFESSION_CANON and c not in honor]
        degrees = [c for c in credentials if c not in honor and c not in jobs]
        for prop, items, kind in (("honorificPrefix", honor[:1], "honorific"),
                                  ("honorificSuffix", degrees, "degree"), ("jobTitle", jobs, "profession")):
            if not items or node.get(prop):
                continue
            value = ", ".join(dict.fromkeys(_written(c, kind, texts) for c in items))
            node[prop] = value
            self.change("add", node, prop, value, said("given-with-name"))

    def person_id(self, node: dict, prop: str, n: int) -> str:
        url = first_str(node.get("url"))
        host = host_of(url) if url and url.startswith("http") else ""
        if host and host == host_of(self.page_url):
            return self.new_id(url.split("#")[0] + "#person")
        role = "author" if prop == "author" else "reviewer"
        return self.new_id(f"{self.page_url or ''}#{role}-{n}")

    def people_elsewhere(self, graph: list[dict], pn: dict) -> list[dict]:
        """Bare-text authors and names with titles on the other nodes (reviews, cited works...).

        A text becomes a Person only when it reads as a clean name; anything doubtful stays text.
        Returns the graph's nodes in walk order: a node's changes here only add nodes among its own
        values, so the list is what a new walk of the graph would give."""
        nodes = []
        for node in walk_nodes(graph):
            nodes.append(node)
            if node is pn:
                continue
            for prop in ("author", "reviewedBy", "publisher"):
                if prop not in node:
                    continue
                values = []
                for v in flat(node[prop]):
                    if isinstance(v, str) and v.strip() and not v.startswith("http"):
                        if prop == "publisher":
                            v2 = {"@type": ["Organization"], "name": v.strip()}
                            self.change("correct", node, prop, v2, said("bare-publisher-text"))
                            v = v2
                        else:
                            parsed = parse_person(v)
                            if (parsed and looks_like_person(parsed["name"])
                                    and not author_name_problems(parsed["name"])):
                                v = self.bare_person(node, prop, v, parsed) or v
                    elif isinstance(v, dict) and "Person" in types_of(v) and prop != "publisher":
                        name = first_str(v.get("name"))
                        if name and author_name_problems(name):
                            parsed = parse_person(name)
                            if parsed and parsed["name"] != name and not author_name_problems(parsed["name"]):
                                v["name"] = parsed["name"]
                                self.add_credentials(v, parsed["credentials"], [name])
                                self.change("correct", v, "name", parsed["name"], said("name-only"))
                    values.append(v)
                node[prop] = values if len(values) != 1 else values[0]
        return nodes
