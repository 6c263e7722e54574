"""Full-report speed: cold and warm wall time, stage shares, peak memory and output sizes.

For each project (a folder to scan):

* **floor**: one process that ``ast.parse``-s the same files discovery selects, single process;
* **cold**: ``backendscan report PATH --format md,html,json,sarif`` with an empty cache folder;
* **warm**: the same command again with that cache;
* **stages** (in-process, cold cache): discovery, read, extract, imports, graph, analyzers, checks
  from ``ScanResult.stats.stages``, then building the view model and each rendering;
* **per-file CPU split** (in-process, one process, no cache, as a scan runs it: the collector
  paused, radon on the files the scan measures): ``FileRecord.timings`` summed: parse, the batched
  walk (imports, symbols, analyzers), radon metrics.

Every command is a whole process (interpreter start-up included), median of ``--runs``; peak RSS
from ``wait4``.  Targets (issue 6): cold <= 2x the ast.parse floor, warm <= 2 s.

    .venv/bin/python benchmarks/bench_report.py tests/fixtures/projects/shop /tmp/bench/saleor --runs 3

Nothing scanned is committed; fetch large projects outside the repository.
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
import time
from pathlib import Path

PY = sys.executable
BACKENDSCAN = str(Path(PY).with_name("backendscan"))
ROOT = Path(__file__).resolve().parent.parent

AST_FLOOR = """
import ast, sys
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        ast.parse(open(line.rstrip("\\n"), "rb").read())
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
"""


#: Python may cache bytecode (this machine sets PYTHONDONTWRITEBYTECODE=1, which a pip-installed
#: backendscan never suffers from: pip compiles .pyc files); kept out of the repository by a prefix
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "bs-bench-pycache"))


def run(cmd: list[str], cwd: str | None = None) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MiB, exit code, CPU seconds incl. waited-for children) of one process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=ENV)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def files_of(path: Path) -> list[str]:
    from backendscan.config import load_config
    from backendscan.discovery import discover

    disc = discover(path, load_config(path))
    return [str(disc.root / f.path) for f in disc.files]


def in_process(path: Path, out: Path) -> dict[str, object]:
    """Stage times of one cold scan plus rendering, and the per-file CPU split."""
    from backendscan.analyzers.registry import load_analyzers
    from backendscan.config import load_config
    from backendscan.discovery import discover
    from backendscan.extraction import extract
    from backendscan.pipeline import _measures, paced_gc, scan
    from backendscan.report.context import build_context
    from backendscan.report.diagrams import draw
    from backendscan.report.jsondata import dumps, report_data
    from backendscan.report.render import render_html, render_markdown

    cache = Path(tempfile.mkdtemp(prefix="bs-bench-cache-"))
    cfg = load_config(path).with_overrides(cache_dir=str(cache))
    t0 = time.perf_counter()
    result = scan(path, cfg)
    t_scan = time.perf_counter() - t0
    stages = dict(result.stats.stages)
    t = time.perf_counter()
    ctx = build_context(result, task="Add password reset by email")
    stages["view model"] = time.perf_counter() - t
    t = time.perf_counter()
    md = render_markdown(ctx)
    stages["render md"] = time.perf_counter() - t
    t = time.perf_counter()
    drawings = draw(ctx.graph_view, "auto")
    stages["render html: drawings"] = time.perf_counter() - t
    t = time.perf_counter()
    html = render_html(ctx, drawings=drawings)
    stages["render html: template"] = time.perf_counter() - t
    t = time.perf_counter()
    data = dumps(report_data(result, ctx))
    stages["render json"] = time.perf_counter() - t
    t = time.perf_counter()
    from backendscan.commands.report import _sarif

    sarif = _sarif(result, ctx, argparse.Namespace())
    stages["render sarif"] = time.perf_counter() - t
    t = time.perf_counter()
    py_html = render_html(ctx, engine="python")
    python_layout = time.perf_counter() - t
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(html)
    (out / "report.md").write_text(md)
    sizes = {"md": len(md.encode()), "html": len(html.encode()), "html (python layout)": len(py_html.encode()), "json": len(data.encode()), "sarif": len(sarif.encode())}
    shutil.rmtree(cache, ignore_errors=True)

    # per-file CPU split, one process, no cache, as a scan runs it: the collector paused, radon on
    # the files the scan measures; the scan result is dropped first (the collector would walk it)
    counts = {
        "files": result.stats.files,
        "lines": result.stats.lines,
        "modules": ctx.counts["source_modules"],
        "routes": ctx.counts["routes"],
        "tables": ctx.counts["tables"],
        "tasks": ctx.counts["tasks"],
        "findings": len(ctx.findings),
    }
    del result, ctx, data, md, html, py_html, sarif
    disc = discover(path, cfg)
    analyzers, _ = load_analyzers(cfg)
    split = [0.0, 0.0, 0.0]
    for f in paced_gc(disc.files):
        try:
            data_b = (disc.root / f.path).read_bytes()
        except OSError:
            continue
        rec = extract(f, data_b, analyzers, _measures(f, cfg))
        for i, v in enumerate(rec.timings):
            split[i] += v
    return {
        **counts,
        "scan": t_scan,
        "stages": stages,
        "python_layout_html": python_layout,
        "engines": {k: getattr(getattr(drawings, k), "engine", "-") for k in ("packages", "modules", "er")},
        "cpu_split": {"parse": split[0], "walk (imports, symbols, analyzers)": split[1], "radon metrics": split[2]},
        "sizes": sizes,
    }


def bench(path: Path, runs: int, screenshot: bool) -> dict[str, object]:
    files = files_of(path)
    listing = Path(tempfile.mkstemp(prefix="bs-files-", suffix=".txt")[1])
    listing.write_text("\n".join(files) + "\n")
    floor, cold, warm = [], [], []
    load_before = os.getloadavg()[0]
    out = Path(tempfile.mkdtemp(prefix="bs-bench-out-"))
    for _ in range(runs):
        floor.append(run([PY, "-c", AST_FLOOR, str(listing)]))
        cache = tempfile.mkdtemp(prefix="bs-bench-cache-")
        cmd = [BACKENDSCAN, "report", str(path), "--format", "md,html,json,sarif", "-o", str(out) + "/", "-q", "--cache-dir", cache]
        cold.append(run(cmd))
        warm.append(run(cmd))
        shutil.rmtree(cache, ignore_errors=True)
    assert all(c[2] == 0 for c in cold + warm), "backendscan report failed"
    detail = in_process(path, out / "inproc")
    shot = ""
    if screenshot:
        sys.path.insert(0, str(ROOT))
        from tests.browser import Chromium, find_chromium

        exe = find_chromium()
        if exe:
            with Chromium(exe, width=1400, height=1000) as browser:
                page = browser.load((out / "inproc" / "report.html").as_uri(), {}, full_page=False)
            target = ROOT / "artifacts" / f"report-{path.name}.png"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(page.screenshot)
            shot = str(target)
            detail["console_errors"] = page.console_errors + page.exceptions
    med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
    return {
        "project": str(path),
        "load": (load_before, os.getloadavg()[0]),
        "floor_cpu": med(floor, 3),
        "cold_cpu": med(cold, 3),
        "warm_cpu": med(warm, 3),
        "floor_s": med(floor, 0),
        "floor_mib": med(floor, 1),
        "cold_s": med(cold, 0),
        "cold_mib": max(c[1] for c in cold),
        "warm_s": med(warm, 0),
        "warm_mib": max(w[1] for w in warm),
        "cold_over_floor": med(cold, 0) / med(floor, 0),
        "runs": runs,
        "screenshot": shot,
        **detail,
    }


def markdown(rows: list[dict[str, object]]) -> str:
    out = [
        "Wall seconds (CPU seconds, children included), medians; load average before/after in the last column.",
        "",
        "| project | files | lines | ast.parse floor (1 proc) | cold report | cold / floor (wall, CPU) | warm report | peak RSS cold / warm | HTML | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        load = r["load"]
        out.append(
            f"| {Path(str(r['project'])).name} | {r['files']} | {r['lines']} | {r['floor_s']:.2f} ({r['floor_cpu']:.2f}) | {r['cold_s']:.2f} ({r['cold_cpu']:.2f}) | "
            f"{r['cold_over_floor']:.2f}x, {float(r['cold_cpu']) / float(r['floor_cpu']):.2f}x | "  # type: ignore[arg-type]
            f"{r['warm_s']:.2f} ({r['warm_cpu']:.2f}) | {r['cold_mib']:.0f} / {r['warm_mib']:.0f} MiB | {int(r['sizes']['html']) / 1024:.0f} KiB | "  # type: ignore[index]
            f"{load[0]:.1f} / {load[1]:.1f} |"  # type: ignore[index]
        )
    for r in rows:
        out.append("")
        out.append(f"Stages, {Path(str(r['project'])).name} (in-process, cold cache, seconds):")
        out.append("")
        stages = dict(r["stages"])  # type: ignore[arg-type]
        total = stages.pop("total", 0.0)
        rest = sum(v for k, v in stages.items() if k.startswith(("view", "render")))
        whole = float(total) + rest
        out.append("| stage | seconds | share |")
        out.append("|---|---:|---:|")
        for k, v in stages.items():
            out.append(f"| {k} | {float(v):.3f} | {100 * float(v) / whole:.1f}% |")
        out.append(f"| **total** | {whole:.3f} | 100% |")
        split = dict(r["cpu_split"])  # type: ignore[arg-type]
        s = sum(split.values())
        out.append("")
        out.append("Per-file CPU, one process: " + ", ".join(f"{k} {v:.2f} s ({100 * v / s:.0f}%)" for k, v in split.items()))
        out.append(f"Drawing engines: {r['engines']}; HTML with the pure-Python layout instead: {r['python_layout_html']:.2f} s to render.")
        out.append(f"Sizes (bytes): {r['sizes']}")
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("projects", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--screenshot", action="store_true", help="save artifacts/report-<project>.png (needs chromium)")
    ap.add_argument("--json", help="also write the raw numbers here")
    args = ap.parse_args()
    rows = [bench(Path(p).resolve(), args.runs, args.screenshot) for p in args.projects]
    text = markdown(rows)
    sys.stdout.write(text)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
