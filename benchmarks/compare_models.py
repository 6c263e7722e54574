#!/usr/bin/env python3
"""Compare backendscan ORM models against runtime ground truth.

Usage:
  python benchmarks/compare_models.py /work/gt/truth/pretix/models.json report.json

Reported:

* tables: precision / recall / F1 of table names (schema-qualified when a
  schema is set), plus class accuracy on matched tables (backendscan's class
  equals the truth class or one of its single-table-inheritance subclasses);
* columns on matched tables: P/R/F1 of (table, column) pairs, where a Django
  column also matches by its field name (``author`` for ``author_id``); on
  matched columns the agreement of nullable, primary_key and a loose type
  (``sa.String(255)`` ~ ``String``, ``models.CharField`` ~ ``CharField``);
* foreign keys on matched tables: P/R/F1 of (table, column, referenced
  table.column) triples, and of (table, column, referenced table) only;
* the misses and extras for each.

By default Django proxy models (no table of their own) are left out; Django's
auto-created many-to-many tables are kept (see --exclude-auto-created).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from compare_common import (
    common_args,
    fmt_prf,
    fmt_ratio,
    load_json,
    loose_type,
    print_list,
    report_items,
    set_prf,
    write_metrics,
)


def table_key(name: Any, args: Any) -> str:
    s = str(name or "")
    return s.lower() if args.case_insensitive else s


def keep_truth(item: dict, args: Any) -> bool:
    if item.get("proxy") and not args.include_proxy:
        return False
    if item.get("auto_created") and args.exclude_auto_created:
        return False
    if args.origin != "all" and item.get("origin", "project") != args.origin:
        return False
    if args.orm and item.get("orm") != args.orm:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    p = common_args(__doc__.split("\n\n")[0])
    p.add_argument("--orm", choices=["sqlalchemy", "django"], help="compare one ORM only")
    p.add_argument("--include-proxy", action="store_true", help="keep Django proxy models")
    p.add_argument("--exclude-auto-created", action="store_true", help="drop Django auto-created M2M tables")
    p.add_argument("--case-insensitive", action="store_true", help="compare table names case-insensitively")
    args = p.parse_args(argv)

    truth_items = report_items(load_json(args.truth), "models")
    found_items = report_items(load_json(args.report), "models")

    truth: dict[str, dict] = {}
    excluded_tables: set[str] = set()
    for item in truth_items:
        key = table_key(item.get("table"), args)
        if not keep_truth(item, args):
            excluded_tables.add(key)
            continue
        if key in truth:  # same table twice (should not happen after filters): merge
            truth[key]["columns"] = truth[key]["columns"] + item.get("columns", [])
            truth[key].setdefault("subclasses", []).append(item.get("class"))
            continue
        truth[key] = dict(item)

    found: dict[str, list[dict]] = defaultdict(list)
    no_table = []
    for item in found_items:
        if args.orm and item.get("orm") not in (None, args.orm):
            continue
        if not item.get("table"):
            no_table.append(f"{item.get('class')}  [{item.get('table_status', 'no table')}]")
            continue
        table = str(item["table"])
        if item.get("schema") and "." not in table:  # backendscan keeps the schema in its own field
            table = f"{item['schema']}.{table}"
        found[table_key(table, args)].append(item)

    ignored = {k for k in found if k not in truth and k in excluded_tables}
    found_keys = set(found) - ignored
    table_m = set_prf(set(truth), found_keys)
    matched = sorted(set(truth) & found_keys)

    class_ok = 0
    class_bad = []
    col_truth: set[tuple[str, str]] = set()
    col_found: set[tuple[str, str]] = set()
    attr = {"nullable": [0, 0], "primary_key": [0, 0], "type": [0, 0]}
    attr_bad: dict[str, list[str]] = {k: [] for k in attr}
    fk_truth: set[tuple[str, str, str]] = set()
    fk_found: set[tuple[str, str, str]] = set()
    fkt_truth: set[tuple[str, str, str]] = set()
    fkt_found: set[tuple[str, str, str]] = set()

    for key in matched:
        t = truth[key]
        fs = found[key]
        want_classes = {t.get("class")} | set(t.get("subclasses", []) or [])
        got_classes = {f.get("class") or None for f in fs}  # "" (a bare Table) is null in the truth
        if want_classes & got_classes:
            class_ok += 1
        else:
            class_bad.append(f"{key}: truth={t.get('class')} found={sorted(c for c in got_classes if c)}")

        by_name: dict[str, dict] = {}
        alias: dict[str, str] = {}
        for c in t.get("columns", []):
            by_name[c["name"]] = c
            if c.get("field") and c["field"] != c["name"]:
                alias[c["field"]] = c["name"]
            col_truth.add((key, c["name"]))
        seen_found_cols: dict[str, dict] = {}
        for f in fs:
            for c in f.get("columns", []) or []:
                name = str(c.get("name"))
                name = name if name in by_name else alias.get(name, name)
                seen_found_cols.setdefault(name, c)
        for name, c in seen_found_cols.items():
            col_found.add((key, name))
            tc = by_name.get(name)
            if tc is None:
                continue
            for a in ("nullable", "primary_key"):
                if c.get(a) is None:
                    continue
                attr[a][1] += 1
                if bool(c.get(a)) == bool(tc.get(a)):
                    attr[a][0] += 1
                else:
                    attr_bad[a].append(f"{key}.{name}: truth={tc.get(a)} found={c.get(a)}")
            if c.get("type"):
                attr["type"][1] += 1
                want = {loose_type(tc.get(k)) for k in ("type", "django_type", "field_class") if tc.get(k)}
                if loose_type(c.get("type")) in want:
                    attr["type"][0] += 1
                else:
                    attr_bad["type"].append(f"{key}.{name}: truth={tc.get('type')} found={c.get('type')}")

        fcol_alias = dict(alias)
        for fk in t.get("foreign_keys", []) or []:
            fk_truth.add((key, fk["column"], str(fk["references"])))
            fkt_truth.add((key, fk["column"], str(fk["references"]).rsplit(".", 1)[0]))
        for f in fs:
            for fk in f.get("foreign_keys", []) or []:
                col = str(fk.get("column"))
                col = col if col in by_name else fcol_alias.get(col, col)
                ref = str(fk.get("references"))
                fk_found.add((key, col, ref))
                fkt_found.add((key, col, ref.rsplit(".", 1)[0]))

    col_m = set_prf(col_truth, col_found)
    fk_m = set_prf(fk_truth, fk_found)
    fkt_m = set_prf(fkt_truth, fkt_found)

    print(f"truth:  {args.truth}  ({len(truth_items)} entries, {len(truth)} tables kept, "
          f"{len(excluded_tables)} excluded by filters)")
    print(f"report: {args.report}  ({len(found_items)} models, {len(found_keys)} tables compared, "
          f"{len(no_table)} without a table name)")
    print()
    print(fmt_prf("tables", table_m))
    print(fmt_ratio("class (matched tables)", class_ok, len(matched)))
    print(fmt_prf("columns (matched tables)", col_m))
    for a in ("nullable", "primary_key", "type"):
        print(fmt_ratio(f"  {a} agrees", attr[a][0], attr[a][1]))
    print(fmt_prf("foreign keys (matched tbl)", fk_m))
    print(fmt_prf("FK target table only", fkt_m))

    misses = []
    for key in sorted(set(truth) - found_keys):
        t = truth[key]
        misses.append(f"{key}  class={t.get('class')}  [{t.get('origin', '?')}]")
    extras = []
    for key in sorted(found_keys - set(truth)):
        f = found[key][0]
        extras.append(f"{key}  class={f.get('class')}  at {f.get('file', '?')}:{f.get('line', '?')}"
                      f"  [{f.get('table_status', 'resolved')}]")
    print_list("TABLE MISSES", misses, args.max_list)
    print_list("TABLE EXTRAS", extras, args.max_list)
    print_list("FOUND MODELS WITHOUT A TABLE NAME", no_table, args.max_list)
    print_list("CLASS MISMATCHES", class_bad, args.max_list)
    print_list("COLUMN MISSES", [f"{t}.{c}" for t, c in sorted(col_truth - col_found)], args.max_list)
    print_list("COLUMN EXTRAS", [f"{t}.{c}" for t, c in sorted(col_found - col_truth)], args.max_list)
    for a in ("nullable", "primary_key", "type"):
        print_list(f"{a.upper()} DISAGREEMENTS", attr_bad[a], args.max_list)
    print_list("FK MISSES", [f"{t}.{c} -> {r}" for t, c, r in sorted(fk_truth - fk_found)], args.max_list)
    print_list("FK EXTRAS", [f"{t}.{c} -> {r}" for t, c, r in sorted(fk_found - fk_truth)], args.max_list)

    write_metrics(
        args.json_out,
        {
            "tables": table_m,
            "class_ok": class_ok,
            "matched_tables": len(matched),
            "columns": col_m,
            "attributes": {a: {"agree": v[0], "compared": v[1]} for a, v in attr.items()},
            "foreign_keys": fk_m,
            "foreign_key_tables": fkt_m,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
