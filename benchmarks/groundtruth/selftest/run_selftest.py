#!/usr/bin/env python3
"""Self-test of benchmarks/compare_*.py on the small hand-made JSON files in
this folder.  Run: python3 benchmarks/groundtruth/selftest/run_selftest.py"""

import contextlib
import io
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(HERE, "..", "..")))

import compare_models  # noqa: E402
import compare_routes  # noqa: E402
import compare_tasks  # noqa: E402

passed = failed = 0


def run(module, truth, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "m.json")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            module.main([os.path.join(HERE, truth), os.path.join(HERE, "report.json"), "--json", out, *extra])
        with open(out) as fh:
            return json.load(fh), buf.getvalue()


def check(label, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {label}: got {got!r}, want {want!r}")


m, text = run(compare_routes, "truth_routes.json")
check("routes tp/fp/fn", (m["pairs"]["tp"], m["pairs"]["fp"], m["pairs"]["fn"]), (4, 2, 1))
check("routes precision", round(m["pairs"]["precision"], 4), round(4 / 6, 4))
check("routes recall", m["pairs"]["recall"], 0.8)
check("handler exact", (m["handler_exact"], m["matched"]), (3, 4))
check("handler tail2", m["handler_tail2"], 4)
check("unresolved extras", m["unresolved_extras"], 1)
check("miss listed", "ANY     /legacy" in text, True)
check("extra listed with location", "/other  handler=x.y  at app/urls.py:6" in text, True)
m, _ = run(compare_routes, "truth_routes.json", ["--include-format-suffix", "--exclude-mounts"])
check("routes with format suffix, no mounts", (m["pairs"]["tp"], m["pairs"]["fp"], m["pairs"]["fn"]), (4, 2, 1))
m, _ = run(compare_routes, "truth_routes.json", ["--ignore-param-names", "--framework", "django"])
check("django only", (m["pairs"]["tp"], m["pairs"]["fp"], m["pairs"]["fn"]), (3, 1, 1))

m, text = run(compare_models, "truth_models.json")
check("tables tp/fp/fn", (m["tables"]["tp"], m["tables"]["fp"], m["tables"]["fn"]), (2, 1, 1))
check("class ok", (m["class_ok"], m["matched_tables"]), (2, 2))
check("columns tp/fp/fn", (m["columns"]["tp"], m["columns"]["fp"], m["columns"]["fn"]), (5, 1, 0))
check("nullable", (m["attributes"]["nullable"]["agree"], m["attributes"]["nullable"]["compared"]), (3, 4))
check("primary_key", (m["attributes"]["primary_key"]["agree"], m["attributes"]["primary_key"]["compared"]), (5, 5))
check("type", (m["attributes"]["type"]["agree"], m["attributes"]["type"]["compared"]), (4, 5))
check("fk", (m["foreign_keys"]["tp"], m["foreign_keys"]["fp"], m["foreign_keys"]["fn"]), (1, 0, 0))
check("table miss listed", "book_tags  class=None" in text, True)
check("no-table model listed", "app.models.Base  [unresolved]" in text, True)
m, _ = run(compare_models, "truth_models.json", ["--orm", "django"])
check("django models only", (m["tables"]["tp"], m["tables"]["fp"], m["tables"]["fn"]), (2, 0, 0))

m, text = run(compare_tasks, "truth_tasks.json")
check("tasks tp/fp/fn", (m["names"]["tp"], m["names"]["fp"], m["names"]["fn"]), (2, 1, 0))
check("task function", (m["function_ok"], m["matched"]), (1, 2))
check("beat", (m["beat"]["tp"], m["beat"]["fp"], m["beat"]["fn"]), (1, 1, 0))
m, _ = run(compare_tasks, "truth_tasks.json", ["--include-builtin"])
check("tasks with builtin", (m["names"]["tp"], m["names"]["fp"], m["names"]["fn"]), (2, 1, 1))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
