"""Worst cases: time and peak memory of an audit for each pathological page shape, at three sizes up to the body cap.

Each shape of tests/pathological.py (many attributes, a JSON-LD graph of n x n links, thousands of JSON-LD blocks,
JSON-LD nested deep, a big table, many links, text nodes, deep nesting, one long word, many headings, a huge
comment, many itemscopes...) is generated at three sizes and audited in a fresh process (peak memory is that
process's maximum resident set, interpreter included). The growth column is (time ratio) / (size ratio) between
a size and the previous one: about 1 is linear, 4 would be quadratic on a 4x step. The baseline, measured in the
same run, is the median real page of ../shared/corpus/pages. Targets: every shape at most linear; no page up to
the cap over 2 s or 400 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CAP = 5 * 1024 * 1024  # service/config/settings.py DEFAULTS["MAX_BODY"]
SIZES = (CAP // 16, CAP // 4, CAP - 64 * 1024)  # the last one leaves room for a generator's overshoot
TARGET_SECONDS = 2.0
TARGET_MB = 400


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_up() -> None:
    from scoring import audit_html
    from tests.pathological import itemscopes, jsonld_graph, paragraphs, rdfa

    for shape in (paragraphs, itemscopes, rdfa, jsonld_graph):  # imports (extruct's too), tables, patterns
        audit_html(shape(20_000))


def measure_one(shape: str, size: int) -> dict:
    """In this process: generate one page, audit it once."""
    from scoring import audit_html
    from tests.pathological import SHAPES

    _warm_up()
    html = SHAPES[shape](size)
    start = time.perf_counter()
    report = audit_html(html)
    seconds = time.perf_counter() - start
    return {"bytes": len(html), "seconds": seconds, "peak_mb": _peak_mb(),
            "limits": [item["code"] for item in report["limits"]]}


def measure_corpus(corpus: Path) -> dict:
    """In this process: every corpus page once; the median time and the size of the median page."""
    from scoring import audit_html

    _warm_up()
    times, sizes = [], []
    for path in sorted(corpus.glob("*.html")):
        html = path.read_bytes()
        start = time.perf_counter()
        audit_html(html)
        times.append(time.perf_counter() - start)
        sizes.append(len(html))
    return {"pages": len(times), "seconds": statistics.median(times), "bytes": statistics.median(sizes),
            "slowest": max(times), "peak_mb": _peak_mb()}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout)


def main() -> int:
    from tests.pathological import SHAPES

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", help="comma-separated shape names (default: all)")
    parser.add_argument("--sizes", help="comma-separated sizes in bytes (default: cap/16, cap/4, cap)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "pages"))
    parser.add_argument("--one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return 0
    if args.corpus_only:
        print(json.dumps(measure_corpus(Path(args.corpus))))
        return 0

    shapes = args.shapes.split(",") if args.shapes else sorted(SHAPES)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(SIZES)
    base = _child("--corpus-only", "--corpus", args.corpus) if Path(args.corpus).is_dir() else {"error": "no corpus"}
    if "error" in base:
        print(f"baseline: {base['error']}")
        base_ms = None
    else:
        base_ms = base["seconds"] * 1000
        print(f"baseline: {base['pages']} corpus pages, median {base['bytes'] / 1024:.0f} kB, median audit "
              f"{base_ms:.1f} ms, slowest {base['slowest'] * 1000:.0f} ms, peak {base['peak_mb']:.0f} MB")
    print(f"{'shape':<18} {'size':>8} {'ms':>8} {'x base':>8} {'peak MB':>8} {'growth':>7}  limits")
    worst_growth, over = 0.0, []
    for shape in shapes:
        previous = None
        for size in sizes:
            row = _child("--one", shape, str(size))
            if "error" in row:
                print(f"{shape:<18} {size:>8} ERROR {row['error']}")
                over.append(f"{shape} {size}: error")
                continue
            ms = row["seconds"] * 1000
            growth = ""
            if previous is not None and previous["seconds"] > 0:
                ratio = (row["seconds"] / previous["seconds"]) / (row["bytes"] / previous["bytes"])
                worst_growth = max(worst_growth, ratio) if previous["seconds"] >= 0.05 else worst_growth
                growth = f"{ratio:.2f}"
            versus = f"{ms / base_ms:.0f}" if base_ms else "-"
            limits = ",".join(row["limits"]) or "-"
            print(f"{shape:<18} {row['bytes'] / 1024:>7.0f}k {ms:>8.0f} {versus:>8} {row['peak_mb']:>8.0f} "
                  f"{growth:>7}  {limits}", flush=True)
            if row["seconds"] > TARGET_SECONDS or row["peak_mb"] > TARGET_MB:
                over.append(f"{shape} {row['bytes']} bytes: {ms:.0f} ms, {row['peak_mb']:.0f} MB")
            previous = row
    print(f"worst growth (time ratio / size ratio, steps from >= 50 ms): {worst_growth:.2f}")
    print(f"over {TARGET_SECONDS:.0f} s or {TARGET_MB} MB: {', '.join(over) if over else 'none'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
