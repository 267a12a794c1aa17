"""Do two revisions of the engine give the same reports? Audits (and fixes) the same pages with each and diffs.

    python scripts/report_diff.py [REV_A] [REV_B]     # default: main against the working tree

Pages: every `tests/fixtures/**/*.html` of the working tree (no URL) and every page of the shared corpus
(`$HEALTHGEO_SHARED/corpus`, else the repository's sibling `../shared/corpus`; skipped when absent) with the
manifest's `original_url`, as tests/test_fix_corpus.py reads them. The same bytes go to both revisions.

A revision is checked out with `git worktree add` into a temporary folder and run in a subprocess of this
Python, with PYTHONPATH set to that tree (the working tree runs from the repository itself). Each page gives
its report (`audit_html`, without `rules_version`) and its fix (`fix_html`) as JSON with sorted keys, one value
per line. Prints a unified diff and the count of changed lines; exit status 1 when any line changed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run inside the revision's tree: reads [[label, path, url], ...] from the file argv[1], writes the dump on stdout.
_DUMP = r"""
import json, sys
import scoring
from scoring import audit_html
from scoring.fix import fix_html

def dump(value):
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, default=repr)

print("report_diff: engine", scoring.__file__, file=sys.stderr)
for label, path, url in json.load(open(sys.argv[1])):
    raw = open(path, "rb").read()
    for part, run in (("audit", audit_html), ("fix", fix_html)):
        try:
            value = run(raw, url)
            if part == "audit":
                value.pop("rules_version", None)
        except Exception as exc:  # a crash is a difference too
            value = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(f"=== {label} [{part}]\n{dump(value)}\n")
"""


def pages() -> list[tuple[str, str, str | None]]:
    """(label, path, url) of every page to audit, in a stable order."""
    found = [(str(p.relative_to(ROOT)), str(p), None) for p in sorted((ROOT / "tests" / "fixtures").rglob("*.html"))]
    shared = Path(os.environ.get("HEALTHGEO_SHARED") or ROOT.parent / "shared")
    manifest = shared / "corpus" / "manifest.json"
    if manifest.exists():
        for entry in json.loads(manifest.read_text("utf-8")):
            path = shared / "corpus" / entry["file"]
            found.append((f"corpus/{entry['file']}", str(path), entry.get("original_url")))
    else:
        print(f"report_diff: no corpus at {shared / 'corpus'}, fixtures only", file=sys.stderr)
    return found


def dump_in(tree: Path, todo_file: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    return subprocess.Popen([sys.executable, "-c", _DUMP, str(todo_file)], cwd=tree, env=env, text=True,
                            stdout=subprocess.PIPE)


def _by_page(output: str) -> dict[str, str]:
    """A dump cut at its `=== page [part]` headers."""
    parts = ("\n" + output).split("\n=== ")[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


def checkout(rev: str, into: Path) -> Path:
    tree = into / rev.replace("/", "_")
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(tree), rev], cwd=ROOT, check=True)
    return tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev_a", nargs="?", default="main")
    parser.add_argument("rev_b", nargs="?", default=None, help="a revision (default: the working tree)")
    args = parser.parse_args(argv)
    todo = pages()
    with tempfile.TemporaryDirectory(prefix="report-diff-") as tmp:
        trees = [checkout(args.rev_a, Path(tmp)), checkout(args.rev_b, Path(tmp)) if args.rev_b else ROOT]
        todo_file = Path(tmp) / "pages.json"
        todo_file.write_text(json.dumps(todo))
        try:
            procs = [dump_in(tree, todo_file) for tree in trees]
            outputs = [proc.communicate()[0] for proc in procs]
            if any(proc.returncode for proc in procs):
                print("report_diff: a revision failed to run", file=sys.stderr)
                return 2
        finally:
            for tree in trees:
                if tree != ROOT:
                    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    names = [args.rev_a, args.rev_b or "working tree"]
    diff = list(difflib.unified_diff(outputs[0].splitlines(), outputs[1].splitlines(), *names, lineterm=""))
    changed = sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))
    for line in diff:
        print(line)
    blocks = [_by_page(output) for output in outputs]
    for label in sorted(blocks[0].keys() | blocks[1].keys()):
        if blocks[0].get(label) != blocks[1].get(label):
            print(f"changed: {label}")
    print(f"{len(todo)} pages, {changed} changed lines")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
