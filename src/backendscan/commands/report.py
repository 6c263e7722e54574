"""``backendscan report PATH``: the architecture report in one or more formats."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .common import add_scan_options, info, run_scan, write_output

if TYPE_CHECKING:  # heavy imports happen in run(), not at CLI start-up
    from ..pipeline import ScanResult
    from ..report.context import ReportContext


def _md(r: "ScanResult", c: "ReportContext", a: argparse.Namespace) -> str:
    from ..report.render import render_markdown

    return render_markdown(c, a.template_dir)


def _json(r: "ScanResult", c: "ReportContext", a: argparse.Namespace) -> str:
    from ..report.jsondata import dumps, report_data

    return dumps(report_data(r, c, include_timings=a.timings))


#: format -> (file name, renderer)
Renderer = Callable[["ScanResult", "ReportContext", argparse.Namespace], str]
FORMATS: dict[str, tuple[str, Renderer]] = {
    "md": ("report.md", _md),
    "json": ("report.json", _json),
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="write the architecture report", description=__doc__)
    add_scan_options(p)
    p.add_argument("-o", "--output", help="output file, or folder for several formats (default: stdout)")
    p.add_argument("--format", default="md", help=f"comma-separated formats: {', '.join(FORMATS)} (default: md)")
    p.add_argument("--template-dir", help="folder with templates that override the shipped ones")
    p.add_argument("--depth", type=int, help="package depth of the package graph (default 2)")
    p.add_argument("--timings", action="store_true", help="include stage timings in JSON (makes output run-dependent)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format(s): {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    if len(formats) > 1 and args.output and not (Path(args.output).is_dir() or args.output.endswith("/") or not Path(args.output).suffix):
        raise UsageError("several formats need -o to name a folder")
    from ..report.context import build_context

    result = run_scan(args)
    ctx = build_context(result, depth=args.depth)
    written = []
    for fmt in formats:
        name, renderer = FORMATS[fmt]
        text = renderer(result, ctx, args)
        out = args.output
        if out and len(formats) > 1:
            out = str(Path(out) / name)
        written.append(write_output(text, out, name))
    files = [w for w in written if w != "-"]
    if files:
        c = ctx.counts
        info(
            args,
            f"backendscan: {c['modules']} modules, {c['graph_edges']} dependencies, {c['cycles']} cycles, "
            f"{c['routes']} routes, {c['models']} models, {c['tasks']} tasks; wrote {', '.join(files)}",
        )
    return 0
