"""Check that backendscan's one-pass raw metrics equal radon.raw.analyze on every file of a tree.

    .venv/bin/python benchmarks/compare_rawmetrics.py .venv/lib/python3.11/site-packages/django [--limit N]

Prints the number of files compared, mismatches (with the two results) and the
time each implementation took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from radon.raw import analyze

from backendscan.rawmetrics import raw_counts


def main() -> int:
    root = Path(sys.argv[1])
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    files = sorted(root.rglob("*.py"))[:limit]
    ours_t = theirs_t = 0.0
    compared = mismatches = skipped = 0
    for p in files:
        try:
            text = p.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            skipped += 1
            continue
        t0 = time.process_time()
        try:
            a = tuple(analyze(text))
        except Exception:
            skipped += 1
            continue
        t1 = time.process_time()
        b = tuple(raw_counts(text))
        t2 = time.process_time()
        theirs_t += t1 - t0
        ours_t += t2 - t1
        compared += 1
        if a != b:
            mismatches += 1
            print(f"MISMATCH {p}: radon {a} ours {b}")
    print(f"{root}: {compared} files compared, {mismatches} mismatches, {skipped} skipped (radon failed or undecodable)")
    print(f"CPU seconds: radon.raw.analyze {theirs_t:.2f}, backendscan raw_counts {ours_t:.2f} ({theirs_t / max(ours_t, 1e-9):.1f}x faster)")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
