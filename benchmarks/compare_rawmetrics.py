"""Check that backendscan's one-pass raw metrics equal radon.raw.analyze on every file of a tree.

    .venv/bin/python benchmarks/compare_rawmetrics.py .venv/lib/python3.11/site-packages/django [--limit N]
    .venv/bin/python benchmarks/compare_rawmetrics.py ROOT [ROOT ...] [--old FILE] [--radon-cache FILE] [--no-radon]

Prints, per tree, the number of files compared, mismatches (with the results) and the CPU
time each implementation took.  ``--old FILE`` also times another version of the module (for
example ``git show HEAD:src/backendscan/rawmetrics.py > /tmp/rawmetrics_old.py``) on the same
files in the same process and counts where the two disagree.  ``--radon-cache FILE`` keeps
radon's results (radon takes minutes on large trees) in a JSON file keyed by path and content
hash; ``--no-radon`` skips radon altogether.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

from radon.raw import analyze

from backendscan.rawmetrics import raw_counts


def _option(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def _load(path: str) -> Callable[[str], Any]:
    spec = importlib.util.spec_from_file_location("rawmetrics_other", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.raw_counts


def _timed(f: Callable[[str], Any], text: str) -> tuple[Any, float]:
    t0 = time.process_time()
    try:
        result: Any = tuple(f(text))
    except Exception as exc:  # noqa: BLE001 - compared like a result
        result = type(exc).__name__
    return result, time.process_time() - t0


def compare(
    root: Path, limit: int | None, other: Callable[[str], Any] | None, cache: dict[str, Any] | None, use_radon: bool
) -> int:
    files = sorted(root.rglob("*.py"))[:limit]
    times = {"radon": 0.0, "old": 0.0, "new": 0.0}
    compared = mismatches = disagreements = skipped = 0
    for p in files:
        try:
            text = p.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            skipped += 1
            continue
        expected: Any = None
        if use_radon:
            key = f"{p}:{hashlib.sha1(text.encode()).hexdigest()}"
            if cache is not None and key in cache:
                expected = cache[key]
                expected = tuple(expected) if isinstance(expected, list) else expected
            else:
                expected, seconds = _timed(analyze, text)
                times["radon"] += seconds
                if cache is not None:
                    cache[key] = expected
            if isinstance(expected, str):  # radon failed
                skipped += 1
                continue
        ours, seconds = _timed(raw_counts, text)
        times["new"] += seconds
        compared += 1
        if expected is not None and ours != expected:
            mismatches += 1
            print(f"MISMATCH {p}: radon {expected} ours {ours}")
        if other is not None:
            theirs, seconds = _timed(other, text)
            times["old"] += seconds
            if theirs != ours:
                disagreements += 1
                print(f"OLD/NEW DIFFER {p}: old {theirs} new {ours}")
    what = f"{compared} files compared, {mismatches} mismatches with radon" if use_radon else f"{compared} files"
    print(f"{root}: {what}, {skipped} skipped (radon failed or undecodable)")
    line = f"  CPU seconds: backendscan raw_counts {times['new']:.2f}"
    if use_radon and times["radon"]:
        line += f", radon.raw.analyze {times['radon']:.2f} ({times['radon'] / max(times['new'], 1e-9):.1f}x)"
    if other is not None:
        speedup = times["old"] / max(times["new"], 1e-9)
        line += f", old raw_counts {times['old']:.2f} ({speedup:.2f}x); {disagreements} files where old and new differ"
    print(line)
    return mismatches + disagreements


def main() -> int:
    values = {sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a in ("--limit", "--old", "--radon-cache")}
    roots = [Path(a) for a in sys.argv[1:] if not a.startswith("--") and a not in values]
    limit_text = _option("--limit")
    limit = int(limit_text) if limit_text else None
    old_path = _option("--old")
    other = _load(old_path) if old_path else None
    cache_path = _option("--radon-cache")
    cache: dict[str, Any] | None = None
    if cache_path:
        cache = json.loads(Path(cache_path).read_text()) if Path(cache_path).exists() else {}
    failures = 0
    try:
        for root in roots:
            failures += compare(root, limit, other, cache, "--no-radon" not in sys.argv)
    finally:
        if cache_path and cache is not None:
            Path(cache_path).write_text(json.dumps(cache))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
