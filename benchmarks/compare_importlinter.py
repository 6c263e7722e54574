"""Same contracts, two tools: backendscan (RULES.md prose) against import-linter (INI), verdicts and chains.

Usage (import-linter and grimp installed in the running venv; the scanned package importable)::

    python benchmarks/compare_importlinter.py shop   [--json out.json]
    python benchmarks/compare_importlinter.py django [--json out.json]
    python benchmarks/compare_importlinter.py all    [--timing]

Each case pairs ``benchmarks/contracts/<case>.md`` with ``<case>.importlinter``:
the N-th rule of the Markdown file is the N-th contract of the INI file.  For
every pair it compares

* the verdict (kept / broken);
* forbidden contracts: the chains (module tuples) and their endpoints;
* layers and independence: the illegal (importer layer, imported layer)
  dependencies, the direct imports and the middles of indirect routes (grimp
  groups the heads and tails of one middle into one route);
* protected: the illegal direct imports;
* acyclic_siblings: the packages with cycles and the cycle breakers.

Where several shortest chains exist, grimp picks one by hash order and
backendscan by name order; the script then reports "same endpoints and
lengths" instead of "identical".  ``--timing`` runs ``backendscan check`` and
``lint-imports`` on the same contracts in subprocesses, cold (no caches) and
warm (second run with caches), and prints wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _site_packages() -> Path:
    import django  # noqa: F401  (only to find where it is installed)

    return Path(django.__file__).resolve().parent.parent


def case_paths(case: str) -> tuple[Path, Path, Path]:
    """(folder backendscan scans, folder import-linter runs in, root package)."""
    if case == "shop":
        shop = REPO / "tests" / "fixtures" / "projects" / "shop"
        return shop, shop, Path("shop")
    site = _site_packages()
    return site / "django", site, Path("django")


# ---------------------------------------------------------------- import-linter
def run_importlinter(config: Path, cwd: Path) -> list[dict[str, Any]]:
    import importlinter.api  # noqa: F401  (configures import-linter's readers)
    from importlinter.application.use_cases import _register_built_in_contract_types, create_report, read_user_options

    _register_built_in_contract_types()
    old = os.getcwd()
    os.chdir(cwd)
    sys.path.insert(0, str(cwd))
    try:
        report = create_report(read_user_options(str(config)), cache_dir=None)
    finally:
        os.chdir(old)
        sys.path.remove(str(cwd))
    out = []
    for contract, check in report.get_contracts_and_checks():
        out.append({"name": contract.name, "type": type(contract).type_name, "kept": check.kept, "violations": _il_violations(type(contract).type_name, check.metadata)})
    return out


def _links_chain(links: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple([links[0]["importer"]] + [ln["imported"] for ln in links])


def _il_violations(kind: str, meta: dict[str, Any]) -> dict[str, Any]:
    if kind == "forbidden":
        chains = [_links_chain(c) for d in meta["invalid_chains"] for c in d["chains"]]
        return {"chains": sorted(chains)}
    if kind in ("layers", "independence"):
        items = meta.get("invalid_dependencies", meta.get("invalid_chains", []))
        deps, direct, middles = set(), set(), set()
        for d in items:
            deps.add((d.get("importer", d.get("downstream_module")), d.get("imported", d.get("upstream_module"))))
            for route in d.get("routes", d.get("chains", [])):
                chain = _links_chain(route["chain"])
                if len(chain) == 2:
                    direct.add(chain)
                    for extra in route["extra_firsts"] + route["extra_lasts"]:
                        direct.add((extra["importer"], extra["imported"]))
                else:
                    middles.add(chain[1:-1])
        return {"dependencies": sorted(deps), "direct": sorted(direct), "middles": sorted(middles)}
    if kind == "protected":
        return {"imports": sorted((ln["importer"], ln["imported"]) for m in meta["illegal_imports"] for ln in m.illegal_links)}
    if kind == "acyclic_siblings":
        return {"breakers": {p: sorted(map(tuple, b)) for p, b in sorted(meta["cycle_breakers_by_package"].items())}}
    return {}


# ---------------------------------------------------------------- backendscan
def run_backendscan(rules_md: Path, root: Path, root_package: str) -> tuple[list[dict[str, Any]], Any]:
    from backendscan.config import Config
    from backendscan.pipeline import scan
    from backendscan.rules.checks import check, input_from_scan
    from backendscan.rules.compiler import compile_rules

    rs = compile_rules(rules_md.read_text(), rules_md.name)
    result = scan(root, Config(use_cache=False, metrics=False, include_migrations=True, include_tests=True, jobs=1), scope="imports")
    inp = input_from_scan(result)
    # import-linter's graph holds the root package only; backendscan scans the whole folder
    package = root_package
    keep = [n for n in inp.graph.nodes if n == package or n.startswith(package + ".")]
    inp = replace(inp, graph=inp.graph.subgraph(keep).copy(), modules={m: p for m, p in inp.modules.items() if m == package or m.startswith(package + ".")})
    res = check([rs], inp)
    from backendscan.rules.chains import ImportGraph

    g = ImportGraph(inp.graph, type_checking=False, dynamic=False)
    edges = {(a, b) for a, b in g.edges()}
    out = []
    for rule in rs.rules:
        fs = [f for f in res.findings if f.rule_id == rule.id]
        out.append({"id": rule.id, "kind": rule.kind, "kept": not fs, "violations": _bs_violations(rule, fs)})
    return out, edges


def _bs_violations(rule: Any, findings: list[Any]) -> dict[str, Any]:
    chains = [tuple([f.chain[0].importer] + [h.imported for h in f.chain]) for f in findings if f.chain]
    kind = rule.kind
    spec = rule.spec
    if kind == "forbidden":
        return {"chains": sorted(chains)}
    if kind in ("layers", "independence"):
        deps, direct, middles = set(), set(), set()
        for f, c in zip(findings, chains):
            if len(c) == 2:
                direct.add(c)
            else:
                middles.add(c[1:-1])
            deps.add(_layer_pair(f.message))
        return {"dependencies": sorted(deps), "direct": sorted(direct), "middles": sorted(middles)}
    if kind == "protected":
        return {"imports": sorted((c[0], c[-1]) for c in chains)}
    if kind == "acyclic" and spec.siblings:
        return {"breakers": {f.symbol.split(":", 1)[1]: sorted((h.importer, h.imported) for h in f.chain) for f in findings}}
    return {}


def _layer_pair(message: str) -> tuple[str, str]:
    # "a.x (layer a) imports b.y (layer b); ..." or "... ; a and b must be independent"
    import re

    m = re.search(r"\(layer ([\w.]+)\) imports [\w.]+ \((?:sibling )?layer ([\w.]+)\)", message)
    if m:
        return (m.group(1), m.group(2))
    m = re.search(r"; ([\w.]+) and ([\w.]+) must be independent", message)
    return (m.group(1), m.group(2)) if m else ("?", "?")


# ---------------------------------------------------------------- comparison
def _chain_edges(v: dict[str, Any]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for c in v.get("chains", []):
        out.update(zip(c, c[1:]))
    for c in v.get("direct", []):
        out.add(tuple(c))  # type: ignore[arg-type]
    return out


def compare(il: dict[str, Any], bs: dict[str, Any], bs_edges: set[tuple[str, str]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"contract": il["name"], "type": il["type"], "importlinter": "kept" if il["kept"] else "broken", "backendscan": "kept" if bs["kept"] else "broken"}
    out["same_verdict"] = il["kept"] == bs["kept"]
    if bs_edges is not None:
        # every import in import-linter's chains is an import backendscan sees too
        out["import_linter_hops_in_backendscan_graph"] = _chain_edges(il["violations"]) <= bs_edges
    a, b = il["violations"], bs["violations"]
    if il["type"] == "forbidden":
        ca, cb = a["chains"], b["chains"]
        out["chains"] = (len(ca), len(cb))
        out["identical_chains"] = ca == cb
        out["same_endpoints"] = sorted((c[0], c[-1]) for c in ca) == sorted((c[0], c[-1]) for c in cb)
        out["same_lengths"] = Counter(len(c) for c in ca) == Counter(len(c) for c in cb)
    elif il["type"] in ("layers", "independence"):
        out["dependencies"] = (len(a["dependencies"]), len(b["dependencies"]))
        out["same_dependencies"] = a["dependencies"] == [tuple(x) for x in b["dependencies"]]
        out["same_direct_imports"] = a["direct"] == b["direct"]
        out["middles"] = (len(a["middles"]), len(b["middles"]))
        out["identical_chains"] = out["same_direct_imports"] and a["middles"] == b["middles"]
        out["same_lengths"] = Counter(len(m) for m in a["middles"]) == Counter(len(m) for m in b["middles"])
    elif il["type"] == "protected":
        out["imports"] = (len(a["imports"]), len(b["imports"]))
        out["identical_chains"] = a["imports"] == b["imports"]
    elif il["type"] == "acyclic_siblings":
        out["packages"] = (sorted(a["breakers"]), sorted(b["breakers"]))
        out["identical_chains"] = a["breakers"] == b["breakers"]
    return out


def run_case(case: str) -> list[dict[str, Any]]:
    root, cwd, _ = case_paths(case)
    il = run_importlinter(HERE / "contracts" / f"{case}.importlinter", cwd)
    bs, edges = run_backendscan(HERE / "contracts" / f"{case}.md", root, str(case_paths(case)[2]))
    if len(il) != len(bs):
        raise SystemExit(f"{case}: {len(il)} import-linter contracts but {len(bs)} backendscan rules")
    return [compare(a, b, edges) for a, b in zip(il, bs)]


def timing(case: str, repeat: int = 3) -> dict[str, Any]:
    """Wall time of both tools on the same contracts: cold (no caches) and warm (caches filled)."""
    root, cwd, _ = case_paths(case)
    bin_dir = Path(sys.executable).parent
    md = HERE / "contracts" / f"{case}.md"
    ini = HERE / "contracts" / f"{case}.importlinter"
    work = Path(tempfile.mkdtemp(prefix="bs-bench-"))
    cache = work / "bs-cache"
    il_cache = work / "il-cache"
    flags = ["--include-migrations", "--include-tests"]
    # both tools get their byte code cached (pip installs import-linter with .pyc files already)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def bs(cold: bool) -> float:
        args = [str(bin_dir / "backendscan"), "check", str(root), "-q", "--rules", str(md), "--no-importlinter", *flags]
        args += ["--no-cache"] if cold else ["--cache-dir", str(cache)]
        t = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        return time.perf_counter() - t

    def li(cold: bool) -> float:
        args = [str(bin_dir / "lint-imports"), "--config", str(ini)]
        args += ["--no-cache"] if cold else ["--cache-dir", str(il_cache)]
        t = time.perf_counter()
        subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        return time.perf_counter() - t

    out: dict[str, list[float]] = {"backendscan_cold": [], "lint_imports_cold": [], "backendscan_warm": [], "lint_imports_warm": []}
    bs(False)
    li(False)  # fill the caches once
    for _ in range(repeat):
        out["backendscan_cold"].append(bs(True))
        out["lint_imports_cold"].append(li(True))
        out["backendscan_warm"].append(bs(False))
        out["lint_imports_warm"].append(li(False))
    shutil.rmtree(work, ignore_errors=True)
    return {k: round(sorted(v)[len(v) // 2], 3) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=["shop", "django", "all"])
    ap.add_argument("--json", help="write the comparison as JSON")
    ap.add_argument("--timing", action="store_true", help="also time both tools (cold and warm)")
    args = ap.parse_args(argv)
    cases = ["shop", "django"] if args.case == "all" else [args.case]
    report: dict[str, Any] = {}
    ok = True
    for case in cases:
        rows = run_case(case)
        report[case] = {"contracts": rows}
        print(f"## {case}")
        print("| contract | type | import-linter | backendscan | same verdict | chains / dependencies (import-linter, backendscan) | identical chains | same number and lengths of chains | import-linter's hops all in backendscan's graph |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            counts = r.get("chains") or r.get("dependencies") or r.get("imports") or r.get("packages")
            same = r.get("same_lengths", True) and r.get("same_dependencies", True)
            print(f"| {r['contract']} | {r['type']} | {r['importlinter']} | {r['backendscan']} | {'yes' if r['same_verdict'] else 'NO'} | {counts} | {'yes' if r.get('identical_chains') else 'no'} | {'yes' if same else 'no'} | {'yes' if r.get('import_linter_hops_in_backendscan_graph', True) else 'NO'} |")
            ok = ok and r["same_verdict"]
        if args.timing:
            t = timing(case)
            report[case]["timing"] = t
            print(f"\ntiming (median of 3, seconds): {t}")
        print()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, sort_keys=True, default=list) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
