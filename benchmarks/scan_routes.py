#!/usr/bin/env python3
"""Scan a folder with selected analyzers and write the routes as ``backendscan routes --format json`` does.

Usage (from the repository, with backendscan's own venv):
  .venv/bin/python benchmarks/scan_routes.py /work/gt/venv-prefect/lib/python3.11/site-packages/prefect \\
      --analyzers fastapi -o /tmp/prefect.json

``--analyzers`` limits the scan to some analyzers (default: every installed one), so one
framework can be measured without waiting for the others.  ``--no-cache`` scans from scratch.
"""

from __future__ import annotations

import argparse
import sys
import time

from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.report.jsondata import dumps
from backendscan.report.serialize import to_data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("path")
    p.add_argument("--analyzers", default="", help="comma-separated analyzer names (default: all)")
    p.add_argument("--no-cache", action="store_true")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args(argv)
    names = tuple(n for n in args.analyzers.split(",") if n)
    cfg = Config(metrics=False, use_cache=not args.no_cache, analyzers=names)
    t0 = time.perf_counter()
    result = scan(args.path, cfg)
    elapsed = time.perf_counter() - t0
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(dumps({"routes": to_data(result.routes)}))
    stages = dict(result.stats.stages)
    print(
        f"{len(result.routes)} routes, {result.stats.files} files in {elapsed:.1f}s "
        f"(analyzers {stages.get('analyzers', 0):.1f}s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
