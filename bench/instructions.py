"""Instructions per audit on the corpus, against a bare lxml parse counted in the same run.

    python bench/instructions.py [--every 3] [--corpus DIR] [--no-fix]

Wall-clock time moves by several per cent from run to run on a shared machine; instruction counts move by well
under one per cent, so speed changes are measured with them. The script runs itself under
`valgrind --tool=callgrind` (apt-get install valgrind) and marks the boundaries of what it measures with calls
to `os.getppid()`: `--dump-before=os_getppid` makes callgrind write the instructions counted since the last
mark, so each part (a warm-up audit, a bare `lxml.html.fromstring`, an audit) gets its own count, without a
client request or a C extension. Every page is audited once before it is counted (caches warm, as in
bench/audit_speed.py). Prints instructions per page (millions) and the median ratio audit / lxml parse.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "os_getppid"  # the C function behind os.getppid(), a symbol of libpython


def measured_run(pages: list[Path], with_fix: bool) -> list[str]:
    """Inside callgrind: the label of each part between marks, in order."""
    sys.path.insert(0, str(ROOT))
    import lxml.html

    from scoring import audit_html
    from scoring.audit import REPORT_PARTS

    include = REPORT_PARTS if with_fix else tuple(p for p in REPORT_PARTS if p != "fix")
    labels = ["startup"]
    os.getppid()
    for path in pages:
        data = path.read_bytes()
        audit_html(data, include=include)
        lxml.html.fromstring(data)
        labels.append(f"{path.name}\twarm-up")
        os.getppid()
        lxml.html.fromstring(data)
        labels.append(f"{path.name}\tlxml")
        os.getppid()
        audit_html(data, include=include)
        labels.append(f"{path.name}\taudit")
        os.getppid()
    return labels


def part_counts(out_dir: Path, prefix: str) -> list[int]:
    """Instructions of each dumped part, in part order (the file `prefix.N` holds part N)."""
    counts: dict[int, int] = {}
    for path in out_dir.glob(prefix + ".*"):
        part = total = None
        with path.open() as fh:
            for line in fh:
                if line.startswith("part:"):
                    part = int(line.split()[1])
                elif line.startswith(("summary:", "totals:")):
                    total = int(line.split()[1])
        if part is not None and total is not None:
            counts[part] = total
    return [counts[k] for k in sorted(counts)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = Path(os.environ.get("HEALTHGEO_SHARED") or ROOT.parent / "shared")
    parser.add_argument("--corpus", default=str(shared / "corpus" / "pages"))
    parser.add_argument("--every", type=int, default=3, help="count every Nth corpus page (callgrind is ~50x slower)")
    parser.add_argument("--no-fix", action="store_true", help="audit without the fix")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = sorted(Path(args.corpus).glob("*.html"))[::max(1, args.every)]
    if args.child:
        Path(args.child).write_text(json.dumps(measured_run(pages, not args.no_fix)))
        return 0
    if not pages:
        print(f"no pages in {args.corpus}", file=sys.stderr)
        return 2
    if not shutil.which("valgrind"):
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="instructions-") as tmp:
        out_dir, labels_file = Path(tmp), Path(tmp) / "labels.json"
        command = ["valgrind", "--tool=callgrind", f"--dump-before={MARK}", "--dump-instr=no",
                   f"--callgrind-out-file={out_dir / 'cg.out'}", sys.executable, __file__,
                   "--corpus", args.corpus, "--every", str(args.every), "--child", str(labels_file)]
        if args.no_fix:
            command.append("--no-fix")
        run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        if run.returncode or not labels_file.exists():
            print(run.stderr[-2000:], file=sys.stderr)
            return 2
        labels = json.loads(labels_file.read_text())
        counts = part_counts(out_dir, "cg.out")
    if len(counts) < len(labels):
        print(f"callgrind wrote {len(counts)} parts for {len(labels)} marks", file=sys.stderr)
        return 2
    rows: dict[str, dict[str, int]] = {}
    for label, count in zip(labels, counts[:len(labels)], strict=True):  # the last part is the exit
        if "\t" in label:
            name, what = label.split("\t")
            rows.setdefault(name, {})[what] = count
    print(f"{'page':44} {'lxml':>8} {'audit':>9}  M instructions  {'ratio':>6}")
    ratios = []
    for name, row in rows.items():
        ratios.append(row["audit"] / row["lxml"])
        print(f"{name[:44]:44} {row['lxml'] / 1e6:8.1f} {row['audit'] / 1e6:9.1f}  {'':14}{ratios[-1]:6.1f}")
    audits = [row["audit"] for row in rows.values()]
    print()
    print(f"pages: {len(rows)} (1 corpus page in {args.every}){' without the fix' if args.no_fix else ''}")
    print(f"median M instructions: lxml {statistics.median(r['lxml'] for r in rows.values()) / 1e6:.1f}"
          f"  audit {statistics.median(audits) / 1e6:.1f}  (mean audit {statistics.mean(audits) / 1e6:.1f})")
    print(f"median audit / lxml parse: {statistics.median(ratios):.1f}"
          f"  (sum audit / sum lxml: {sum(audits) / sum(r['lxml'] for r in rows.values()):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
