"""Shared helpers for the compare_*.py scripts (standard library only).

The compare scripts read a runtime ground-truth JSON written by
benchmarks/groundtruth/ and a backendscan JSON report, and print precision,
recall and F1 plus the lists of misses and extras.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any, Iterable


def load_json(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def report_items(report: Any, key: str) -> list[dict]:
    """Items of one kind from a backendscan report.

    Accepts the full report ({"routes": [...], "models": [...], ...}) or a
    bare list (a report written for one kind only)."""
    if isinstance(report, list):
        return report
    if isinstance(report, dict):
        items = report.get(key)
        if items is None:
            return []
        if isinstance(items, dict) and key in items:  # nested once more
            items = items[key]
        return list(items)
    raise SystemExit(f"unexpected report shape: {type(report).__name__}")


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def set_prf(truth: set, found: set) -> dict[str, float | int]:
    return prf(len(truth & found), len(found - truth), len(truth - found))


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def fmt_prf(label: str, m: dict[str, Any]) -> str:
    if m["tp"] == m["fp"] == m["fn"] == 0:
        return f"{label:<28} n/a (nothing to compare)"
    return (
        f"{label:<28} P={m['precision']:.3f}  R={m['recall']:.3f}  F1={m['f1']:.3f}"
        f"   (tp={m['tp']} fp={m['fp']} fn={m['fn']})"
    )


def fmt_ratio(label: str, num: int, den: int) -> str:
    r = ratio(num, den)
    shown = "n/a" if r is None else f"{r:.3f}"
    return f"{label:<28} {shown}   ({num}/{den})"


def print_list(title: str, rows: Iterable[str], limit: int) -> None:
    rows = list(rows)
    print(f"\n{title}: {len(rows)}")
    shown = rows if limit <= 0 else rows[:limit]
    for row in shown:
        print(f"  {row}")
    if limit > 0 and len(rows) > limit:
        print(f"  ... {len(rows) - limit} more (use --max-list 0 to see all)")


def common_args(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("truth", help="ground-truth JSON (from benchmarks/groundtruth)")
    p.add_argument("report", help="backendscan JSON report")
    p.add_argument("--max-list", type=int, default=50, help="rows shown per list (0 = all)")
    p.add_argument("--json", dest="json_out", help="also write the metrics as JSON to this file")
    p.add_argument(
        "--origin",
        choices=["all", "project", "third_party", "framework"],
        default="all",
        help="keep only ground-truth items whose handler/class comes from the project, "
        "a third-party package or the framework itself (default: all)",
    )
    return p


def write_metrics(path: str | None, metrics: dict[str, Any]) -> None:
    if not path:
        return
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(metrics, fh, indent=1, sort_keys=True)
        fh.write("\n")


def tail(dotted: str | None, parts: int = 1) -> str:
    if not dotted:
        return ""
    return ".".join(dotted.split(".")[-parts:])


_TYPE_ARGS = re.compile(r"\(.*\)$", re.S)


def loose_type(t: Any) -> str:
    """'sa.String(255)' / 'sqlalchemy.types.String' / 'models.CharField' -> 'string' / 'charfield'."""
    if t is None:
        return ""
    s = str(t).strip()
    s = _TYPE_ARGS.sub("", s)
    s = s.split("[", 1)[0]
    s = s.rsplit(".", 1)[-1]
    return s.lower()


def warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)
