"""Graph-building speed of backendscan next to grimp, lint-imports and a plain ast.parse floor.

Every measurement is a whole process (interpreter start-up included), run in the
same session, alternating tools, median of N runs; peak RSS from wait4.  Scope
is grimp's: every module of the package, tests and migrations included.

    .venv/bin/python benchmarks/bench_graph.py --package .venv/lib/python3.11/site-packages/django \\
        --package /work/bench/saleor/saleor --layers django=contrib,db,utils --layers saleor=graphql,checkout,core

Needs grimp and import-linter in the same venv (not a project dependency).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
BACKENDSCAN = str(Path(PY).with_name("backendscan"))


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


AST_FLOOR = """
import ast, sys, pathlib
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    try:
        ast.parse(p.read_bytes())
    except (SyntaxError, ValueError):
        pass
    n += 1
"""

GRIMP = """
import sys, grimp
sys.path.insert(0, sys.argv[1])
cache = sys.argv[3] if len(sys.argv) > 3 else None
g = grimp.build_graph(sys.argv[2], cache_dir=cache) if cache else grimp.build_graph(sys.argv[2], cache_dir=None)
"""

BACKENDSCAN_LIB = """
import sys, backendscan
from backendscan.config import Config
cfg = Config(include_tests=True, include_migrations=True, cache_dir=sys.argv[2], use_cache=sys.argv[2] != "-")
r = backendscan.scan(sys.argv[1], cfg, scope="imports")
"""


def measure(label: str, make_cmd, repeats: int, prepare=None) -> dict:
    walls, peaks = [], []
    code = 0
    for _ in range(repeats):
        if prepare:
            prepare()
        w, m, code = make_cmd()
        walls.append(w)
        peaks.append(m)
    return {"label": label, "wall": statistics.median(walls), "min": min(walls), "max": max(walls), "peak": max(peaks), "code": code}


def bench(package: Path, layers: list[str] | None, repeats: int) -> list[dict]:
    name = package.name
    parent = str(package.parent)
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    bs_cache = tmp / "bs-cache"
    grimp_cache = tmp / "grimp-cache"
    il_dir = tmp / "il"
    il_dir.mkdir()
    if layers:
        (il_dir / ".importlinter").write_text(
            f"[importlinter]\nroot_package = {name}\ninclude_external_packages = False\n\n"
            f"[importlinter:contract:layers]\nname = layers\ntype = layers\nlayers =\n"
            + "".join(f"    {name}.{layer}\n" for layer in layers)
        )
    env = dict(os.environ, PYTHONPATH=parent)
    clear_bs = lambda: shutil.rmtree(bs_cache, ignore_errors=True)  # noqa: E731
    clear_grimp = lambda: shutil.rmtree(grimp_cache, ignore_errors=True)  # noqa: E731
    clear_il = lambda: shutil.rmtree(il_dir / ".import_linter_cache", ignore_errors=True)  # noqa: E731
    rows = []
    # warm up the OS page cache
    run([PY, "-c", AST_FLOOR, str(package)])
    rows.append(measure("ast.parse, 1 process (floor)", lambda: run([PY, "-c", AST_FLOOR, str(package)]), repeats))
    rows.append(measure("grimp.build_graph, no cache", lambda: run([PY, "-c", GRIMP, parent, name]), repeats))
    rows.append(measure("grimp.build_graph, cache written (cold)", lambda: run([PY, "-c", GRIMP, parent, name, str(grimp_cache)]), repeats, clear_grimp))
    run([PY, "-c", GRIMP, parent, name, str(grimp_cache)])
    rows.append(measure("grimp.build_graph, warm cache", lambda: run([PY, "-c", GRIMP, parent, name, str(grimp_cache)]), repeats))
    if layers:
        li = str(Path(PY).with_name("lint-imports"))
        rows.append(measure("lint-imports (1 layers contract), no cache", lambda: run([li, "--no-cache"], env=env, cwd=str(il_dir)), repeats))
        rows.append(measure("lint-imports (1 layers contract), cold cache", lambda: run([li], env=env, cwd=str(il_dir)), repeats, clear_il))
        run([li], env=env, cwd=str(il_dir))
        rows.append(measure("lint-imports (1 layers contract), warm cache", lambda: run([li], env=env, cwd=str(il_dir)), repeats))
    rows.append(measure("backendscan scan (imports), no cache", lambda: run([PY, "-c", BACKENDSCAN_LIB, str(package), "-"]), repeats))
    rows.append(measure("backendscan scan (imports), cold cache", lambda: run([PY, "-c", BACKENDSCAN_LIB, str(package), str(bs_cache)]), repeats, clear_bs))
    run([PY, "-c", BACKENDSCAN_LIB, str(package), str(bs_cache)])
    rows.append(measure("backendscan scan (imports), warm cache", lambda: run([PY, "-c", BACKENDSCAN_LIB, str(package), str(bs_cache)]), repeats))
    out_json = tmp / "g.json"
    rows.append(
        measure(
            "backendscan graph CLI --format json, warm cache",
            lambda: run([BACKENDSCAN, "graph", str(package), "--include-tests", "--include-migrations", "-q", "--cache-dir", str(bs_cache), "-o", str(out_json)]),
            repeats,
        )
    )
    shutil.rmtree(tmp, ignore_errors=True)
    files = sum(1 for _ in package.rglob("*.py"))
    for r in rows:
        r["package"] = name
        r["files"] = files
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--package", action="append", required=True, type=Path)
    ap.add_argument("--layers", action="append", default=[], help="name=a,b,c: a layers contract for lint-imports")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    layers = {k: v.split(",") for k, v in (x.split("=", 1) for x in args.layers)}
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; repeats {args.repeats} (median wall; min-max)\n")
    for pkg in args.package:
        rows = bench(pkg, layers.get(pkg.name), args.repeats)
        floor = rows[0]["wall"]
        grimp_cold = next(r["wall"] for r in rows if r["label"].startswith("grimp.build_graph, no cache"))
        grimp_warm = next(r["wall"] for r in rows if r["label"].startswith("grimp.build_graph, warm"))
        print(f"### {pkg.name} ({rows[0]['files']} files)\n")
        print("| measurement | wall s (min-max) | peak MiB | / grimp cold | / grimp warm | / ast floor |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in rows:
            print(
                f"| {r['label']} | {r['wall']:.2f} ({r['min']:.2f}-{r['max']:.2f}) | {r['peak']:.0f} | "
                f"{r['wall'] / grimp_cold:.2f} | {r['wall'] / grimp_warm:.2f} | {r['wall'] / floor:.2f} |"
            )
        print()


if __name__ == "__main__":
    main()
