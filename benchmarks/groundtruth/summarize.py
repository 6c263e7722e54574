#!/usr/bin/env python3
"""Print a Markdown table of what the ground truth holds per project.

  python3 benchmarks/groundtruth/summarize.py [/work/gt/truth]

"pairs" counts (METHOD, path) pairs with the compare scripts' default filters
(no builtin routes, no Flask build-only rules, no DRF format-suffix variants); "project pairs" keeps only
routes whose handler lives in the project's own package.
"""

import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GT_TRUTH_ROOT", "/work/gt/truth")


def load(project, kind):
    path = os.path.join(root, project, f"{kind}.json")
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        return json.load(fh)


print("| project | versions | route entries | pairs | project pairs | tables | project tables | columns | FKs | tasks | beat |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for project in sorted(os.listdir(root)):
    meta = load(project, "meta") or {}
    vers = ", ".join(f"{k} {v}" for k, v in (meta.get("versions") or {}).items() if v)
    routes = load(project, "routes") or []
    kept = [r for r in routes if not r.get("builtin") and not r.get("format_suffix") and not r.get("build_only")]
    pairs = {(m, r["path"]) for r in kept for m in r["methods"]}
    ppairs = {(m, r["path"]) for r in kept if r.get("origin") == "project" for m in r["methods"]}
    models = [m for m in (load(project, "models") or []) if not m.get("proxy")]
    ptables = [m for m in models if m.get("origin") == "project"]
    cols = sum(len(m["columns"]) for m in models)
    fks = sum(len(m["foreign_keys"]) for m in models)
    tasks = load(project, "tasks")
    ntasks = "-" if tasks is None else str(sum(1 for t in tasks["tasks"] if not t.get("builtin")))
    nbeat = "-" if tasks is None else str(len(tasks["beat"]))
    print(f"| {project} | {vers} | {len(routes)} | {len(pairs)} | {len(ppairs)} | {len(models)} | {len(ptables)} | {cols} | {fks} | {ntasks} | {nbeat} |")
