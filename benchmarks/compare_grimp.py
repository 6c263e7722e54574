"""Compare backendscan's first-party module-to-module edges with grimp's on a package.

    .venv/bin/python benchmarks/compare_grimp.py .venv/lib/python3.11/site-packages/django

Scope is grimp's: every module, tests and migrations included.  Every
difference is printed with the import sites behind it so it can be explained.
Known deliberate differences (documented in benchmarks/results/graph.md):
literal importlib.import_module()/__import__() calls are edges for us (kind
"dynamic") and not for grimp; folders without __init__.py inside a package are
namespace packages for us and skipped by grimp.
"""

from __future__ import annotations

import sys
from pathlib import Path

import backendscan
from backendscan.config import Config


def main() -> int:
    pkg = Path(sys.argv[1]).resolve()
    import grimp

    sys.path.insert(0, str(pkg.parent))
    g = grimp.build_graph(pkg.name, cache_dir=None)
    theirs = {(m, i) for m in g.modules for i in g.find_modules_directly_imported_by(m)}
    r = backendscan.scan(pkg, Config(use_cache=False, include_tests=True, include_migrations=True), scope="imports")
    ours = set(r.graph.edges)
    static = {(a, b) for a, b, d in r.graph.edges(data=True) if any(not s.dynamic for s in d["sites"])}
    print(f"{pkg.name}: grimp {len(g.modules)} modules, {len(theirs)} edges; backendscan {r.graph.number_of_nodes()} modules, {len(ours)} edges ({len(static)} with a static import)")
    only_ours = sorted(ours - theirs)
    only_theirs = sorted(theirs - ours)
    mods_ours = set(r.graph.nodes)
    grimp_mods = set(g.modules)
    # modules grimp cannot see: files in folders without __init__.py inside the package
    unseen = mods_ours - grimp_mods
    reasons: dict[str, list[tuple[str, str]]] = {"dynamic import (importlib/__import__ with a literal)": [], "module in a folder without __init__.py (grimp skips it)": [], "unexplained": []}
    for a, b in only_ours:
        sites = r.graph[a][b]["sites"]
        if a in unseen or b in unseen:
            reasons["module in a folder without __init__.py (grimp skips it)"].append((a, b))
        elif all(s.dynamic for s in sites):
            reasons["dynamic import (importlib/__import__ with a literal)"].append((a, b))
        else:
            reasons["unexplained"].append((a, b))
    print(f"edges only in backendscan: {len(only_ours)}; only in grimp: {len(only_theirs)}")
    for why, edges in reasons.items():
        if not edges:
            continue
        print(f"  {len(edges)} x {why}")
        for a, b in edges[:8]:
            s = r.graph[a][b]["sites"][0]
            print(f"      {a} -> {b}  ({s.location.short}: {s.code})")
    for a, b in only_theirs:
        print(f"  - {a} -> {b}  (grimp lines: {sorted(x['line_number'] for x in g.get_import_details(importer=a, imported=b))})")
    print(f"modules only in backendscan: {len(unseen)} {sorted(unseen)[:10]}")
    print(f"modules only in grimp: {sorted(grimp_mods - mods_ours)[:20]}")
    newer = sum(1 for f in r.findings if f.rule_id == "newer-syntax")
    print(f"files with syntax newer than this Python, parsed via libcst lowering: {newer}")
    ok = not only_theirs and not reasons["unexplained"] and not (grimp_mods - mods_ours)
    print("verdict:", "every difference is explained" if ok else "UNEXPLAINED DIFFERENCES")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
