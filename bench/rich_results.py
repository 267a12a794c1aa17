"""Healthgeo's rich-result findings next to Adobe's structured-data validator's on every corpus page.

    npm install --prefix bench/node @adobe/structured-data-validator @marbec/web-auto-extractor   # once
    python bench/rich_results.py [--pages 039] [--json out.json] [--details]

Nothing is installed at run time: without bench/node the script says how to install and exits 2. Adobe's
validator reads the output of @marbec/web-auto-extractor (its README's pairing), run by bench/adobe_validate.mjs
in one Node process for all pages; it is given no schema.org release, so only its Google rich-result rules run
(Healthgeo's vocabulary findings are another check). Findings are matched per page on (type, property), as a
multiset; every finding left unmatched is explained by the first rule of bench/rich_results_notes.json that fits
it (code-level reasons, no page names); one that no rule explains is printed as UNEXPLAINED. Agreement is
matched / (matched + ours only + Adobe only), overall and on the shared ground (without the differences of
coverage and of extraction, which are not disagreements about Google's rules).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH = Path(__file__).resolve().parent
NODE_SCRIPT = BENCH / "adobe_validate.mjs"
NODE_DIR = BENCH / "node" / "node_modules" / "@adobe" / "structured-data-validator"
NOTES = BENCH / "rich_results_notes.json"
INSTALL = "npm install --prefix bench/node @adobe/structured-data-validator @marbec/web-auto-extractor"
# kinds of difference that are not a disagreement about what Google requires
NOT_DISAGREEMENTS = ("coverage", "extraction")


def corpus() -> tuple[Path, list[dict]]:
    shared = Path(os.environ.get("HEALTHGEO_SHARED", ROOT.parent / "shared"))
    base = shared / "corpus"
    return base, json.loads((base / "manifest.json").read_text(encoding="utf-8"))


def ours(html: bytes, url: str | None) -> list[dict]:
    from scoring import audit_html

    facts = audit_html(html, url=url, include=("facts",))["facts"]["rich_results"]
    return [{"side": "ours", "type": f["type"] or "", "property": f["property"] or "@vocabulary",
             "severity": f["severity"], "code": f["code"], "feature": f["feature"], "syntax": f["syntax"],
             "where": f["node"], "message": f["message"]} for f in facts["findings"]]


def _short(name: Any) -> str:
    if isinstance(name, list):
        name = next((n for n in name if isinstance(n, str)), "")
    name = str(name or "")
    for prefix in ("schema:", "http://schema.org/", "https://schema.org/"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def adobe(files: list[Path]) -> dict[str, dict]:
    """file -> {"issues": [...]} or {"error": ...}, from one Node process."""
    run = subprocess.run(["node", str(NODE_SCRIPT), *map(str, files)], capture_output=True, text=True,
                         check=False, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"bench/adobe_validate.mjs failed: {run.stderr.strip()[:500]}")
    out = {}
    for line in run.stdout.splitlines():
        item = json.loads(line)
        out[item["file"]] = item
    return out


def adobe_findings(item: dict) -> list[dict]:
    found = []
    for issue in item.get("issues", []):
        path = issue.get("path") or []
        last = path[-1] if path else {}
        fields = issue.get("fields") or []
        prop = fields[0] if fields else ""
        prop = "item" if prop in ("item.@id",) else prop
        found.append({"side": "adobe", "type": _short(last.get("type") or (issue.get("rootType") if path else "")),
                      "property": prop, "severity": issue["severity"].lower(), "syntax": issue.get("format"),
                      "where": " > ".join(_short(p.get("type")) or p.get("property") or "?" for p in path),
                      "message": issue["message"], "in": [_short(p.get("type")) for p in path[:-1]]})
    return found


def match(left: list[dict], right: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    pending: dict[tuple[str, str], list[dict]] = {}
    for finding in right:
        pending.setdefault((finding["type"], finding["property"]), []).append(finding)
    pairs, left_only = [], []
    for finding in left:
        bucket = pending.get((finding["type"], finding["property"]))
        if bucket:
            pairs.append((finding, bucket.pop(0)))
        else:
            left_only.append(finding)
    right_only = [f for bucket in pending.values() for f in bucket]
    return pairs, left_only, right_only


def explain(finding: dict, notes: list[dict]) -> dict | None:
    for note in notes:
        rule = note["match"]
        if note["side"] != finding["side"]:
            continue
        if "type" in rule and finding["type"] not in rule["type"]:
            continue
        if "property" in rule and finding["property"] not in rule["property"]:
            continue
        if "severity" in rule and finding["severity"] != rule["severity"]:
            continue
        if "code" in rule and finding.get("code") not in rule["code"]:
            continue
        if "syntax" in rule and finding.get("syntax") not in rule["syntax"]:
            continue
        if "message_prefix" in rule and not finding["message"].startswith(tuple(rule["message_prefix"])):
            continue
        if "within" in rule and not set(rule["within"]) & set(finding.get("in", [])):
            continue
        if "feature" in rule and finding.get("feature") not in rule["feature"]:
            continue
        if "type_not" in rule and finding["type"] in rule["type_not"]:
            continue
        if "page" in rule and rule["page"] not in finding.get("page", []):
            continue
        return note
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="only pages whose file name contains this text")
    parser.add_argument("--json", help="write every page's findings and the totals to this file")
    parser.add_argument("--details", action="store_true", help="list matched findings too")
    args = parser.parse_args(argv)
    if not NODE_DIR.exists():
        print(f"Adobe's validator is not installed; run once: {INSTALL}", file=sys.stderr)
        return 2
    base, manifest = corpus()
    notes = json.loads(NOTES.read_text(encoding="utf-8"))["notes"]
    pages = [p for p in manifest if not args.pages or args.pages in p["file"]]
    theirs = adobe([base / p["file"] for p in pages])
    totals: Counter = Counter()
    kinds: Counter = Counter()
    report = []
    for page in pages:
        path = base / page["file"]
        mine = ours(path.read_bytes(), page.get("original_url"))
        item = theirs.get(str(path), {})
        other = adobe_findings(item)
        pairs, mine_only, other_only = match(mine, other)
        # what Adobe's extractor made of the page, for the notes: it failed, left RDFa unread, or kept a type
        # under another spelling (its handlers match type names exactly)
        seen_types = {t for types in (item.get("types") or {}).values() for t in types}
        unread_rdfa = any(i["message"].startswith("rdfa itemtype missing valid context")
                          for i in item.get("issues", []))
        for finding in mine_only:
            finding["page"] = [flag for flag, on in (
                ("adobe-failed", "error" in item), ("adobe-rdfa-unread", unread_rdfa and finding["syntax"] == "rdfa"),
                ("adobe-type-spelling", finding["type"] not in seen_types
                 and finding["type"].lower() in {t.lower() for t in seen_types})) if on]
        same_severity = sum(a["severity"] == b["severity"] for a, b in pairs)
        errors = sum(f["severity"] == "error" for f in mine)
        flagged = "FLAGGED" if errors else "clean  "
        print(f"\n## {page['file'].split('/')[-1]} [{page.get('language')}] {flagged}  ours {len(mine)} "
              f"({errors} errors) | Adobe {len(other)}{' (Adobe failed)' if 'error' in item else ''} | "
              f"matched {len(pairs)} (same severity {same_severity}), ours only {len(mine_only)}, "
              f"Adobe only {len(other_only)}")
        if "error" in item:
            print(f"   Adobe: {item['error'].splitlines()[0][:160]}")
        if args.details:
            for a, b in pairs:
                print(f"   = {a['type']}.{a['property']}: ours {a['severity']} {a['code']} | Adobe {b['severity']} "
                      f"{b['message'][:90]}")
        page_rows = {"file": page["file"], "language": page.get("language"), "ours": mine, "adobe": other,
                     "adobe_error": item.get("error"), "matched": len(pairs), "same_severity": same_severity,
                     "ours_only": [], "adobe_only": []}
        for finding in mine_only + other_only:
            note = explain(finding, notes)
            kind = note["kind"] if note else "UNEXPLAINED"
            kinds[(finding["side"], kind)] += 1
            side = "ours only " if finding["side"] == "ours" else "Adobe only"
            why = note["reason"] if note else "UNEXPLAINED"
            print(f"   {side} {finding['severity']:7} {finding['type']}.{finding['property']} "
                  f"[{finding['syntax']}] {finding['message'][:100]}\n{'':14}-> {kind}: {why[:150]}")
            page_rows["ours_only" if finding["side"] == "ours" else "adobe_only"].append({**finding, "kind": kind})
        totals.update(ours=len(mine), adobe=len(other), matched=len(pairs), same_severity=same_severity,
                      ours_only=len(mine_only), adobe_only=len(other_only), pages=1,
                      flagged=1 if errors else 0, adobe_failed=1 if "error" in item else 0)
        report.append(page_rows)
    shared_ours = sum(n for (side, kind), n in kinds.items() if side == "ours" and kind not in NOT_DISAGREEMENTS)
    shared_adobe = sum(n for (side, kind), n in kinds.items() if side == "adobe" and kind not in NOT_DISAGREEMENTS)
    overall = totals["matched"] / max(1, totals["matched"] + totals["ours_only"] + totals["adobe_only"])
    shared = totals["matched"] / max(1, totals["matched"] + shared_ours + shared_adobe)
    print("\n## Totals")
    print(f"pages {totals['pages']} (Adobe failed on {totals['adobe_failed']}), flagged by Healthgeo "
          f"{totals['flagged']}; findings: ours {totals['ours']}, Adobe {totals['adobe']}; matched "
          f"{totals['matched']} (same severity {totals['same_severity']}), ours only {totals['ours_only']}, "
          f"Adobe only {totals['adobe_only']}")
    print(f"agreement overall {overall:.1%}; on the shared ground (without coverage and extraction differences) "
          f"{shared:.1%}")
    for (side, kind), n in sorted(kinds.items()):
        if n:
            print(f"   {side:5} only, {kind}: {n}")
    unexplained = sum(n for (_, kind), n in kinds.items() if kind == "UNEXPLAINED")
    if unexplained:
        print(f"UNEXPLAINED differences: {unexplained}")
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": report, "totals": dict(totals), "agreement": overall,
                                               "agreement_shared": shared,
                                               "kinds": {f"{s}:{k}": n for (s, k), n in kinds.items()}},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if unexplained else 0


if __name__ == "__main__":
    raise SystemExit(main())
