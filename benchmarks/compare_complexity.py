"""Check that backendscan's complexity walk equals radon on every file of some trees, and time both.

    .venv/bin/python benchmarks/compare_complexity.py /work/bench/saleor /work/bench/netbox [--show N] [--repeat N]

For each folder: every ``*.py`` (files over 1 MB and files ``ast.parse`` rejects
are skipped, as the scan does) is parsed once; radon
(``ComplexityVisitor.from_ast`` + ``h_visit_ast``) and
``backendscan.complexity.tree_metrics`` run on the same trees.  Prints each
mismatch (file and first difference), the counts, and the CPU time of both
(``time.process_time``, garbage collector off while timing; with ``--repeat N``
the best of N runs each).  Exit status 1 when
anything differs.
"""

from __future__ import annotations

import ast
import gc
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from radon.metrics import h_visit_ast
from radon.visitors import ComplexityVisitor

from backendscan.complexity import Block, TreeMetrics, radon_tree_metrics, tree_metrics

MAX_BYTES = 1_000_000


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two results first differ, as ``path: radon != ours``."""
    if isinstance(a, (Block, TreeMetrics)) and type(a) is type(b):
        for name in a.__slots__:  # type: ignore[union-attr]
            d = first_difference(getattr(a, name), getattr(b, name), f"{path}.{name}")
            if d:
                return d
        return None
    if isinstance(a, tuple) and isinstance(b, tuple):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]" + (f"({x.name})" if isinstance(x, Block) else ""))
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def load(root: Path) -> tuple[list[tuple[Path, ast.Module]], int]:
    trees = []
    skipped = 0
    for p in sorted(root.rglob("*.py")):
        try:
            if p.stat().st_size > MAX_BYTES:
                skipped += 1
                continue
            source = p.read_bytes()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                trees.append((p, ast.parse(source, str(p))))
        except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
            skipped += 1
    return trees, skipped


def compare(root: Path, show: int, repeat: int) -> int:
    trees, skipped = load(root)
    expected: dict[Path, TreeMetrics] = {}
    radon_failed = 0
    for p, tree in trees:
        try:
            expected[p] = radon_tree_metrics(tree)
        except (RecursionError, MemoryError):
            radon_failed += 1

    def run_radon() -> None:
        for p, tree in trees:
            if p in expected:
                ComplexityVisitor.from_ast(tree).total_complexity  # noqa: B018
                h_visit_ast(tree).total.volume  # noqa: B018

    def run_ours() -> None:
        for p, tree in trees:
            if p in expected:
                tree_metrics(tree)

    radon_t = ours_t = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = time.process_time()
            run_radon()
            t1 = time.process_time()
            run_ours()
            t2 = time.process_time()
            radon_t, ours_t = min(radon_t, t1 - t0), min(ours_t, t2 - t1)
    finally:
        gc.enable()

    mismatches = 0
    for p, tree in trees:
        want = expected.get(p)
        if want is None:
            continue
        got = tree_metrics(tree)
        if got != want:
            mismatches += 1
            if mismatches <= show:
                print(f"MISMATCH {p}: {first_difference(want, got)}")
    print(
        f"{root}: {len(expected)} files compared, {mismatches} mismatches, "
        f"{skipped} skipped (unparsable or > 1 MB), {radon_failed} on which radon fails"
    )
    print(
        f"  CPU seconds: radon {radon_t:.3f} (ComplexityVisitor + h_visit_ast), "
        f"ours {ours_t:.3f} ({radon_t / max(ours_t, 1e-9):.1f}x faster)"
    )
    return mismatches


def main() -> int:
    args = sys.argv[1:]
    options = {"--show": 20, "--repeat": 1}
    for name in options:
        if name in args:
            i = args.index(name)
            options[name] = int(args[i + 1])
            del args[i : i + 2]
    if not args:
        print(__doc__)
        return 2
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    total = 0
    for root in args:
        total += compare(Path(root), options["--show"], max(1, options["--repeat"]))
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
