"""Check that the ast-based import extraction agrees with a full libcst parse on a whole tree.

    .venv/bin/python benchmarks/compare_parsers.py .venv/lib/python3.11/site-packages/django

Compares (line, column, module, level, names, type_checking, lazy, dynamic) of
every import in every file (tests/support/cst_imports.py is the libcst
reference) and reports the time of both paths.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.cst_imports import ast_imports, cst_imports  # noqa: E402


def main() -> int:
    root = Path(sys.argv[1])
    files = sorted(root.rglob("*.py"))
    t_ast = t_cst = 0.0
    same = differ = failed = 0
    for p in files:
        text = p.read_text("utf-8", errors="replace")
        t0 = time.process_time()
        try:
            a = ast_imports(text)
        except AssertionError:
            failed += 1
            continue
        t1 = time.process_time()
        try:
            c = cst_imports(text)
        except Exception:
            failed += 1
            continue
        t2 = time.process_time()
        t_ast += t1 - t0
        t_cst += t2 - t1
        if a == c:
            same += 1
        else:
            differ += 1
            print(f"DIFFER {p}:\n  ast {sorted(set(a) - set(c))}\n  cst {sorted(set(c) - set(a))}")
    print(f"{root}: {same} files agree, {differ} differ, {failed} not parseable by one side")
    print(f"CPU seconds: ast path {t_ast:.2f}, libcst {t_cst:.2f} ({t_cst / max(t_ast, 1e-9):.1f}x)")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
