"""Repairs driven by validation: foreign terms dropped, wrong types, properties and enumerations corrected."""

from __future__ import annotations

from scoring.fix.common import (
    DID_YOU_MEAN,
    TEMP_ID_PREFIX,
    Said,
    flat,
    is_foreign_term,
    is_prefixed,
    said,
    types_of,
    walk_nodes,
)
from scoring.markup import vocab as V
from scoring.markup.validate import validate_nodes


def _quoting(finding: dict, code: str = "finding", **params) -> Said:
    """A reason that quotes a validator finding (rendered in the reader's language with it)."""
    return said(code, **params, finding=finding["message"], finding_key=finding.get("message_key"),
                finding_params=finding.get("params"))


class RepairMixin:
    """What the validator finds in the merged graph, corrected where the fix can."""

    def drop_foreign(self, graph: list[dict], nodes: list[dict]) -> list[dict]:
        """Removes prefixed terms ("og:title") the schema.org context cannot read. ``nodes`` is the graph in
        walk order; so is the list returned, the graph having lost what hung only on a removed property."""
        if not any(":" in key and is_prefixed(key) for node in nodes for key in node):
            for node in nodes:
                self.drop_foreign_types(node)
            return nodes
        nodes = []
        for node in walk_nodes(graph):  # a node's properties go before its values are walked
            nodes.append(node)
            for key in [k for k in node if is_prefixed(k)]:
                self.change("remove", node, key, node.pop(key), said("foreign-prefix"))
            self.drop_foreign_types(node)
        return nodes

    @staticmethod
    def drop_foreign_types(node: dict) -> None:
        types = types_of(node)
        kept = [t for t in types if ":" not in t or t.startswith("http")]
        if kept != types:
            node["@type"] = kept

    def validate(self, graph: list[dict], nodes: list[dict]) -> list[dict]:
        """Validate the output (``nodes``: the graph in walk order); remove or rename what fails until nothing
        does. Returns the warnings."""
        labels: dict[str, list[dict]] = {}
        counter = 0
        for node in nodes:
            ident = node.get("@id")
            if not isinstance(ident, str) or not ident:
                counter += 1
                ident = node["@id"] = f"{TEMP_ID_PREFIX}{counter}"
            labels.setdefault(ident, []).append(node)
        warnings: list[dict] = []
        for _ in range(6):
            errors, warnings = validate_nodes(graph)
            todo = errors + [w for w in warnings if w["code"] == "superseded-term"]
            changed = False
            for finding in todo:
                for node in labels.get(finding["node"], ()):
                    changed |= self.repair(node, finding, graph)
            if not changed:
                break
        for finding in errors:
            self.unfixed.append({"property": finding.get("property") or "@type", "message": finding["message"],
                                 "checks": ["markup.schema-valid"], "syntax": "json-ld", "code": finding["code"],
                                 "message_key": finding.get("message_key"), "params": finding.get("params") or {}})
        return warnings

    def repair(self, node: dict, finding: dict, graph: list[dict]) -> bool:
        code, prop, message = finding["code"], finding.get("property"), finding["message"]
        if prop is None:
            return self.repair_types(node, code, graph)
        if prop not in node:
            return False
        types = types_of(node)
        if code == "superseded-term":
            repl = V.superseded_by(prop)
            if message.startswith("The property") and repl:
                self.rename(node, prop, repl, finding)
                return True
            return self.replace_enum(node, prop)
        if code in ("unknown-property", "retired-term"):
            hint = DID_YOU_MEAN.search(message)
            repl = hint.group(1) if hint else V.superseded_by(prop)
            if repl and V.is_property(repl) and V.expected_on(repl, types):
                self.rename(node, prop, repl, finding)
            else:
                self.change("remove", node, prop, node.pop(prop), _quoting(finding))
            return True
        if code == "property-not-expected":
            self.change("remove", node, prop, node.pop(prop), _quoting(finding))
            return True
        return self.remove_bad_items(node, prop)

    def repair_types(self, node: dict, code: str, graph: list[dict]) -> bool:
        old = types_of(node)
        new = []
        for t in old:
            if is_foreign_term(t):
                new.append(t)
            elif V.is_attic(t) or (code == "superseded-term" and V.superseded_by(t)):
                repl = V.superseded_by(t)
                if repl and V.is_type(repl):
                    new.append(repl)
            elif V.is_type(t):
                new.append(t)
        if new == old:
            return False
        node["@type"] = new
        self.change("correct" if new else "remove", node, "@type", new or old,
                    said("bad-type" if code != "superseded-term" else "superseded-type"))
        if not new and any(node is g for g in graph):
            graph[:] = [g for g in graph if g is not node]
        return True

    def rename(self, node: dict, old: str, new: str, finding: dict) -> None:
        value = node.pop(old)
        if new in node:
            current = flat(node[new])
            merged = current + [v for v in flat(value) if v not in current]
            node[new] = merged if len(merged) > 1 else merged[0]
        else:
            node[new] = value
        self.change("correct", node, new, value, _quoting(finding, "renamed", old=old))

    def replace_enum(self, node: dict, prop: str) -> bool:
        changed = False
        values = []
        for v in flat(node[prop]):
            if isinstance(v, str):
                short = v.rsplit("/", 1)[-1]
                repl = V.superseded_by(short)
                if repl:
                    v = v[: len(v) - len(short)] + repl
                    changed = True
            values.append(v)
        if changed:
            node[prop] = values if len(values) > 1 else values[0]
            self.change("correct", node, prop, node[prop], said("superseded-enum"))
        return changed

    def remove_bad_items(self, node: dict, prop: str) -> bool:
        items = flat(node[prop])
        keep = []
        for item in items:
            test = {"@type": types_of(node), prop: item}
            if "additionalType" in node:
                test["additionalType"] = node["additionalType"]
            errors, _ = validate_nodes([test])
            bad = [e for e in errors if e.get("property") == prop and " > " not in (e.get("path") or "")]
            if bad:
                self.change("remove", node, prop, item, _quoting(bad[0]))
            else:
                keep.append(item)
        if len(keep) == len(items):
            return False
        if keep:
            node[prop] = keep if len(keep) > 1 else keep[0]
        else:
            del node[prop]
        return True
