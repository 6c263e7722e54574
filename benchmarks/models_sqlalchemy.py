#!/usr/bin/env python3
"""Measure the ``sqlalchemy`` analyzer against runtime ground truth (not run in CI).

For each project this scans the installed package (only the ``sqlalchemy`` and
``alembic`` analyzers), writes the models as JSON, and scores them with
``benchmarks/compare_models.py`` against ``/work/gt/truth/<project>/models*.json``
(see ``benchmarks/groundtruth/README.md``).  Some comparisons keep only the
found models of one declarative base (``--base``): a project can have several
metadata objects while the truth dumps one (MLflow's tracking ``Base`` and its
auth ``Base``; its ``initial_models`` base only bootstraps old databases).

Usage (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/models_sqlalchemy.py            # every project
    .venv/bin/python benchmarks/models_sqlalchemy.py prefect    # one project
    OUT=/tmp/sqla_bm .venv/bin/python benchmarks/models_sqlalchemy.py

It prints a Markdown table (tables / columns on matched tables / FKs) and
leaves the reports, the compare logs (misses and extras) and the metrics in
``$OUT`` (default ``/tmp/sqla_bm``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.report.jsondata import dumps
from backendscan.report.serialize import to_data

GT = Path(os.environ.get("GT_ROOT", "/work/gt"))
OUT = Path(os.environ.get("OUT", "/tmp/sqla_bm"))
HERE = Path(__file__).resolve().parent


def site(venv: str, py: str = "3.11") -> Path:
    return GT / venv / "lib" / f"python{py}" / "site-packages"


# name -> (scan root, [(label, truth file, compare options, keep only these bases or None)])
PROJECTS: dict[str, tuple[Path, list[tuple[str, str, list[str], tuple[str, ...] | None]]]] = {
    "prefect": (site("venv-prefect") / "prefect", [("all", "prefect/models.json", [], None)]),
    "mlflow": (
        site("venv-mlflow") / "mlflow",
        [
            ("all found vs tracking truth", "mlflow/models.json", [], None),
            ("tracking Base", "mlflow/models.json", [], ("mlflow.store.db.base_sql_model.Base",)),
            ("auth Base", "mlflow/models_auth.json", [], ("mlflow.server.auth.db.models.Base",)),
        ],
    ),
    "airflow": (site("venv-airflow", "3.12") / "airflow", [("all", "airflow/models.json", [], None)]),
    "superset": (
        site("venv-superset") / "superset",
        [
            ("origin project", "superset/models.json", ["--origin", "project"], None),
            ("all (incl. Flask-AppBuilder tables)", "superset/models.json", [], None),
        ],
    ),
    "indico": (
        site("venv-indico") / "indico",
        [
            ("origin project", "indico/models.json", ["--origin", "project"], None),
            ("all", "indico/models.json", [], None),
        ],
    ),
}


def run(name: str) -> list[dict]:
    root, comparisons = PROJECTS[name]
    OUT.mkdir(parents=True, exist_ok=True)
    config = Config(
        use_cache=True, cache_dir=str(OUT / "cache" / name), metrics=False, analyzers=("sqlalchemy", "alembic")
    )
    t0 = time.perf_counter()
    result = scan(root, config)
    seconds = time.perf_counter() - t0
    models = to_data(result.models)
    findings = [
        {"rule": f.rule_id, "severity": f.severity.value, "message": f.message, "at": f.location.short}
        for f in result.findings
        if f.category == "models" or f.rule_id.startswith(("analysis", "plugin"))
    ]
    (OUT / f"{name}.findings.json").write_text(json.dumps(findings, indent=1) + "\n")
    rows = []
    for label, truth, options, bases in comparisons:
        kept = [m for m in models if bases is None or m.get("base") in bases]
        slug = f"{name}-{len(rows)}"
        report = OUT / f"{slug}.json"
        report.write_text(dumps({"models": kept}))
        metrics = OUT / f"{slug}.metrics.json"
        log = subprocess.run(
            [sys.executable, str(HERE / "compare_models.py"), str(GT / "truth" / truth), str(report),
             "--max-list", "0", "--json", str(metrics), *options],
            capture_output=True, text=True, check=True,
        ).stdout
        (OUT / f"{slug}.log").write_text(log)
        m = json.loads(metrics.read_text())
        rows.append({"project": name, "comparison": label, "seconds": seconds, "models": len(kept), **m,
                     "findings": {f["rule"]: sum(1 for g in findings if g["rule"] == f["rule"]) for f in findings}})
    return rows


def fmt(m: dict) -> str:
    return f"{m['precision']:.3f} / {m['recall']:.3f} ({m['tp']}/{m['fp']}/{m['fn']})"


def main(argv: list[str]) -> int:
    names = argv or list(PROJECTS)
    rows = [row for n in names for row in run(n)]
    print("| project | comparison | tables P / R (tp/fp/fn) | columns P / R | FKs P / R | nullable | pk | type | scan s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        a = r["attributes"]
        ratio = lambda k: f"{a[k]['agree'] / a[k]['compared']:.3f}" if a[k]["compared"] else "n/a"  # noqa: E731
        print(
            f"| {r['project']} | {r['comparison']} | {fmt(r['tables'])} | {fmt(r['columns'])} | "
            f"{fmt(r['foreign_keys'])} | {ratio('nullable')} | {ratio('primary_key')} | {ratio('type')} | "
            f"{r['seconds']:.1f} |"
        )
    (OUT / "summary.json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
