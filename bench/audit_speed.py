"""Audit speed on the real corpus, against baselines measured in the same run.

Prints, for every page of ../shared/corpus/pages: a bare lxml parse, extruct.extract with its default
syntaxes, and the full audit (facts + checks + fix). Targets: median audit <= 0.25 x extruct's median,
<= 12 x the bare lxml parse, no page over 150 ms. Also the share of the audit spent on validation + fix.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(func, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "pages"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the best is kept")
    args = parser.parse_args()
    pages = sorted(Path(args.corpus).glob("*.html"))
    if not pages:
        print(f"no pages in {args.corpus}", file=sys.stderr)
        return 2

    import extruct
    import lxml.html

    from scoring import audit_html
    from scoring.audit import REPORT_PARTS

    no_fix = tuple(p for p in REPORT_PARTS if p != "fix")
    rows = []
    for path in pages:
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        audit_html(data)  # warm caches (dictionaries, registry) once per page shape
        lxml_ms = best_of(lambda d=data: lxml.html.fromstring(d), args.repeat)
        extruct_ms = best_of(lambda t=text: extruct.extract(t), max(1, args.repeat - 1))
        audit_ms = best_of(lambda d=data: audit_html(d), args.repeat)
        base_ms = best_of(lambda d=data: audit_html(d, include=no_fix), args.repeat)
        rows.append((path.name, len(data), lxml_ms, extruct_ms, audit_ms, base_ms))

    print(f"{'page':44} {'KB':>5} {'lxml':>7} {'extruct':>8} {'audit':>7}  ms")
    for name, size, lxml_ms, extruct_ms, audit_ms, _ in rows:
        print(f"{name[:44]:44} {size / 1024:5.0f} {lxml_ms:7.1f} {extruct_ms:8.1f} {audit_ms:7.1f}")
    med = {i: statistics.median(r[i] for r in rows) for i in (2, 3, 4, 5)}
    worst = max(rows, key=lambda r: r[4])
    print()
    print(f"pages: {len(rows)}")
    print(f"median ms: lxml {med[2]:.1f}  extruct {med[3]:.1f}  audit {med[4]:.1f}")
    print(f"median audit / extruct: {med[4] / med[3]:.3f}  (target <= 0.25)")
    print(f"median audit / lxml parse: {med[4] / med[2]:.2f}  (target <= 12)")
    print(f"slowest audit: {worst[4]:.1f} ms on {worst[0]}  (target <= 150)")
    print(f"fix share: median audit without fix {med[5]:.1f} ms; fix adds "
          f"{100 * (med[4] - med[5]) / med[5]:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
