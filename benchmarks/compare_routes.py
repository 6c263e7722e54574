#!/usr/bin/env python3
"""Compare backendscan routes against runtime ground truth.

Usage:
  python benchmarks/compare_routes.py /work/gt/truth/prefect/routes.json report.json

Unit of comparison: (METHOD, normalised path) pairs.  A ground-truth entry with
methods [GET, POST] gives two pairs; so does a backendscan route.  Reported:

* precision / recall / F1 of the pairs (and of paths alone, ignoring methods);
* handler accuracy on matched pairs: "exact" when backendscan's handler equals
  the ground-truth handler or one of its "handler_alternatives", "tail" when
  only the last two dotted components agree (Class.method / module.func);
* misses (in the truth, not found), extras (found, not in the truth) and
  handler mismatches.

By default ground-truth entries marked "builtin" (FastAPI docs routes, Flask's
static rule), Flask build-only rules and DRF format-suffix variants are left
out; see the options.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import Any

from compare_common import (
    common_args,
    fmt_prf,
    fmt_ratio,
    load_json,
    print_list,
    report_items,
    set_prf,
    tail,
    write_metrics,
)

_PARAM = re.compile(r"\{[^{}]*\}")


def norm_path(path: str, args: Any) -> str:
    if not path.startswith("/"):
        path = "/" + path
    if args.ignore_param_names:
        path = _PARAM.sub("{}", path)
    if args.ignore_trailing_slash and len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def keep_truth(item: dict, args: Any) -> bool:
    if item.get("builtin") and not args.include_builtin:
        return False
    if item.get("build_only") and not args.include_build_only:
        return False
    if item.get("format_suffix") and not args.include_format_suffix:
        return False
    if item.get("api_root") and args.exclude_api_root:
        return False
    if "MOUNT" in item.get("methods", []) and args.exclude_mounts:
        return False
    if args.origin != "all" and item.get("origin", "project") != args.origin:
        return False
    if args.framework and item.get("framework") != args.framework:
        return False
    return True


def keep_found(item: dict, args: Any) -> bool:
    if args.framework and item.get("framework") not in (None, args.framework):
        return False
    if "MOUNT" in [m.upper() for m in item.get("methods", [])] and args.exclude_mounts:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    p = common_args(__doc__.split("\n\n")[0])
    p.add_argument("--include-builtin", action="store_true", help="keep truth entries marked builtin")
    p.add_argument("--include-build-only", action="store_true", help="keep Flask build-only (url_for-only) rules")
    p.add_argument("--include-format-suffix", action="store_true", help="keep DRF format-suffix variants")
    p.add_argument("--exclude-api-root", action="store_true", help="drop DRF DefaultRouter api-root routes")
    p.add_argument("--exclude-mounts", action="store_true", help="drop MOUNT entries on both sides")
    p.add_argument("--framework", choices=["fastapi", "flask", "django"], help="compare one framework only")
    p.add_argument("--ignore-param-names", action="store_true", help="treat {id} and {pk} as equal")
    p.add_argument("--ignore-trailing-slash", action="store_true", help="treat /a and /a/ as equal")
    args = p.parse_args(argv)

    truth_raw = load_json(args.truth)
    truth_items = report_items(truth_raw, "routes")
    found_items = report_items(load_json(args.report), "routes")

    truth_pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    excluded_pairs: set[tuple[str, str]] = set()
    for item in truth_items:
        pairs = [(m.upper(), norm_path(item["path"], args)) for m in item.get("methods", [])]
        if keep_truth(item, args):
            for pair in pairs:
                truth_pairs[pair].append(item)
        else:
            excluded_pairs.update(pairs)

    found_pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for item in found_items:
        if not keep_found(item, args):
            continue
        for m in item.get("methods", []) or []:
            found_pairs[(str(m).upper(), norm_path(str(item.get("path", "")), args))].append(item)

    # Found pairs that only match excluded truth entries are neither hits nor extras.
    ignored_found = {k for k in found_pairs if k not in truth_pairs and k in excluded_pairs}
    found_set = set(found_pairs) - ignored_found
    truth_set = set(truth_pairs)
    pair_m = set_prf(truth_set, found_set)

    truth_paths = {path for _, path in truth_set}
    excluded_paths = {path for _, path in excluded_pairs}
    found_paths = {path for _, path in found_set} - (excluded_paths - truth_paths)
    path_m = set_prf(truth_paths, found_paths)

    exact = loose = 0
    mismatches = []
    matched = sorted(truth_set & found_set)
    for pair in matched:
        want: set[str] = set()
        for t in truth_pairs[pair]:
            if t.get("handler"):
                want.add(t["handler"])
            want.update(t.get("handler_alternatives", []) or [])
            if t.get("handler_runtime"):
                want.add(t["handler_runtime"])
        got = {f.get("handler") for f in found_pairs[pair] if f.get("handler")}
        if want & got:
            exact += 1
            loose += 1
            continue
        want_tails = {tail(h, 2) for h in want}
        if {tail(h, 2) for h in got} & want_tails:
            loose += 1
        else:
            mismatches.append(
                f"{pair[0]:<7} {pair[1]}  truth={sorted(want)[0] if want else None}  "
                f"found={sorted(got) if got else None}"
            )

    unresolved_extras = []
    extras = []
    for pair in sorted(found_set - truth_set):
        f = found_pairs[pair][0]
        where = f"{f.get('file', '?')}:{f.get('line', '?')}"
        status = f.get("path_status", "resolved")
        row = f"{pair[0]:<7} {pair[1]}  handler={f.get('handler')}  at {where}"
        if status not in (None, "resolved"):
            unresolved_extras.append(row + f"  [{status}]")
        else:
            extras.append(row)
    misses = []
    miss_by_origin: dict[str, int] = defaultdict(int)
    for pair in sorted(truth_set - found_set):
        t = truth_pairs[pair][0]
        miss_by_origin[t.get("origin", "?")] += 1
        misses.append(f"{pair[0]:<7} {pair[1]}  handler={t.get('handler')}  [{t.get('origin', '?')}]")

    print(f"truth:  {args.truth}  ({len(truth_items)} entries, {len(truth_set)} pairs kept, "
          f"{len(excluded_pairs)} pairs excluded by filters)")
    print(f"report: {args.report}  ({len(found_items)} routes, {len(found_set)} pairs compared, "
          f"{len(ignored_found)} pairs matching only excluded truth entries ignored)")
    print()
    print(fmt_prf("(method, path) pairs", pair_m))
    print(fmt_prf("paths (methods ignored)", path_m))
    print(fmt_ratio("handler exact (matched)", exact, len(matched)))
    print(fmt_ratio("handler tail-2 (matched)", loose, len(matched)))
    if miss_by_origin:
        print("misses by origin:            " + ", ".join(f"{k}={v}" for k, v in sorted(miss_by_origin.items())))
    print_list("MISSES (in truth, not found)", misses, args.max_list)
    print_list("EXTRAS (found, not in truth; resolved paths)", extras, args.max_list)
    print_list("EXTRAS with unresolved/partial paths", unresolved_extras, args.max_list)
    print_list("HANDLER MISMATCHES on matched pairs", mismatches, args.max_list)

    write_metrics(
        args.json_out,
        {
            "pairs": pair_m,
            "paths": path_m,
            "handler_exact": exact,
            "handler_tail2": loose,
            "matched": len(matched),
            "misses": len(misses),
            "extras": len(extras),
            "unresolved_extras": len(unresolved_extras),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
