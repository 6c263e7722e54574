#!/usr/bin/env python3
"""Compare backendscan background tasks against runtime ground truth.

Usage:
  python benchmarks/compare_tasks.py /work/gt/truth/superset/tasks.json report.json

Reported:

* task names: precision / recall / F1 (Celery's own ``celery.*`` tasks, marked
  "builtin" in the truth, are left out unless --include-builtin);
* function accuracy on matched names: backendscan's "function" equals the
  truth's dotted function, or (when backendscan gives a shorter spelling) its
  qualified tail (``module.func`` / ``func`` / ``Class.method``);
* beat schedule: P/R/F1 of entry names and of (entry, task) pairs;
* misses and extras of each.
"""

from __future__ import annotations

import sys
from typing import Any

from compare_common import (
    common_args,
    fmt_prf,
    fmt_ratio,
    load_json,
    print_list,
    report_items,
    set_prf,
    write_metrics,
)


def function_matches(truth_fn: str | None, truth_module: str | None, found_fn: Any, found_file: Any) -> bool:
    if not truth_fn or not found_fn:
        return False
    found_fn = str(found_fn)
    if found_fn == truth_fn:
        return True
    # A shorter spelling must be a dotted suffix of the truth's full name.
    return truth_fn.endswith("." + found_fn)


def main(argv: list[str] | None = None) -> int:
    p = common_args(__doc__.split("\n\n")[0])
    p.add_argument("--include-builtin", action="store_true", help="keep celery.* builtin tasks")
    args = p.parse_args(argv)

    truth_raw = load_json(args.truth)
    report = load_json(args.report)
    truth_tasks = truth_raw.get("tasks", []) if isinstance(truth_raw, dict) else truth_raw
    truth_beat = truth_raw.get("beat", []) if isinstance(truth_raw, dict) else []
    found_tasks = report_items(report, "tasks")
    found_beat = report_items(report, "beat") if isinstance(report, dict) else []

    truth: dict[str, dict] = {}
    excluded: set[str] = set()
    for t in truth_tasks:
        if (t.get("builtin") and not args.include_builtin) or (
            args.origin != "all" and t.get("origin", "project") != args.origin
        ):
            excluded.add(t["name"])
            continue
        truth[t["name"]] = t
    found: dict[str, list[dict]] = {}
    unnamed = []
    for f in found_tasks:
        name = f.get("name")
        if not name:
            unnamed.append(f"{f.get('function')} at {f.get('file', '?')}:{f.get('line', '?')}")
            continue
        found.setdefault(str(name), []).append(f)
    ignored = {n for n in found if n not in truth and n in excluded}
    found_names = set(found) - ignored
    name_m = set_prf(set(truth), found_names)
    matched = sorted(set(truth) & found_names)

    fn_ok = 0
    fn_bad = []
    for name in matched:
        t = truth[name]
        if any(function_matches(t.get("function"), t.get("module"), f.get("function"), f.get("file")) for f in found[name]):
            fn_ok += 1
        else:
            fn_bad.append(f"{name}: truth={t.get('function')} found={[f.get('function') for f in found[name]]}")

    tb_entries = {b["entry"] for b in truth_beat}
    fb_entries = {str(b.get("entry", b.get("name"))) for b in found_beat}
    tb_pairs = {(b["entry"], b.get("task")) for b in truth_beat}
    fb_pairs = {(str(b.get("entry", b.get("name"))), b.get("task")) for b in found_beat}
    beat_m = set_prf(tb_entries, fb_entries)
    beat_pair_m = set_prf(tb_pairs, fb_pairs)

    print(f"truth:  {args.truth}  ({len(truth_tasks)} tasks, {len(truth)} kept, {len(truth_beat)} beat entries)")
    print(f"report: {args.report}  ({len(found_tasks)} tasks, {len(unnamed)} without a name, "
          f"{len(found_beat)} beat entries)")
    print()
    print(fmt_prf("task names", name_m))
    print(fmt_ratio("function (matched names)", fn_ok, len(matched)))
    print(fmt_prf("beat entries", beat_m))
    print(fmt_prf("beat (entry, task) pairs", beat_pair_m))

    print_list("TASK MISSES", [f"{n}  function={truth[n].get('function')}" for n in sorted(set(truth) - found_names)], args.max_list)
    print_list(
        "TASK EXTRAS",
        [f"{n}  function={found[n][0].get('function')} at {found[n][0].get('file', '?')}:{found[n][0].get('line', '?')}"
         for n in sorted(found_names - set(truth))],
        args.max_list,
    )
    print_list("FOUND TASKS WITHOUT A NAME", unnamed, args.max_list)
    print_list("FUNCTION MISMATCHES", fn_bad, args.max_list)
    print_list("BEAT MISSES", [f"{e} -> {t}" for e, t in sorted(tb_pairs - fb_pairs, key=str)], args.max_list)
    print_list("BEAT EXTRAS", [f"{e} -> {t}" for e, t in sorted(fb_pairs - tb_pairs, key=str)], args.max_list)

    write_metrics(
        args.json_out,
        {"names": name_m, "function_ok": fn_ok, "matched": len(matched), "beat": beat_m, "beat_pairs": beat_pair_m},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
