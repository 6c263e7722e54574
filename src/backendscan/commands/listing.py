"""``backendscan routes|models|tasks PATH``: quick listings of what the analyzers found."""

from __future__ import annotations

import argparse
import csv
import io

from .common import add_scan_options, as_table, run_scan, write_output


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    for name, formats, helptext in (
        ("routes", ["table", "json", "csv"], "list HTTP routes with full paths, methods, handlers and auth"),
        ("models", ["table", "json"], "list ORM models with tables, columns and foreign keys"),
        ("tasks", ["table", "json"], "list background tasks, their options, schedules and producers"),
    ):
        p = sub.add_parser(name, parents=[common], help=helptext, description=helptext)
        add_scan_options(p)
        p.add_argument("--format", default="table", choices=formats)
        p.add_argument("-o", "--output", help="output file (default: stdout)")
        p.set_defaults(func=run, listing=name, no_metrics=True)


def run(args: argparse.Namespace) -> int:
    from ..report.jsondata import dumps
    from ..report.serialize import to_data

    args.no_metrics = True
    result = run_scan(args, facts=args.listing)
    kind = args.listing
    if kind == "routes":
        routes = result.routes
        if args.format == "json":
            text = dumps({"routes": to_data(routes)})
        else:
            rows: list[list[object]] = [
                [",".join(r.methods), r.path, r.handler, f"{r.file}:{r.line}", ", ".join(a.name for a in r.auth) or "-", r.path_status]
                for r in routes
            ]
            headers = ["METHODS", "PATH", "HANDLER", "WHERE", "AUTH", "STATUS"]
            if args.format == "csv":
                buf = io.StringIO()
                w = csv.writer(buf, lineterminator="\n")
                w.writerow([h.lower() for h in headers])
                w.writerows(rows)
                text = buf.getvalue()
            else:
                text = as_table(headers, rows) + f"{len(routes)} routes\n"
    elif kind == "models":
        models = result.models
        if args.format == "json":
            text = dumps({"models": to_data(models)})
        else:
            model_rows: list[list[object]] = [
                [m.table or "-", m.class_name or "(table)", m.orm, len(m.columns), ", ".join(f"{fk.column}->{fk.references}" for fk in m.foreign_keys) or "-", f"{m.file}:{m.line}", m.table_status]
                for m in models
            ]
            text = as_table(["TABLE", "CLASS", "ORM", "COLUMNS", "FOREIGN KEYS", "WHERE", "STATUS"], model_rows) + f"{len(models)} models\n"
    else:
        if args.format == "json":
            text = dumps({"tasks": to_data(result.tasks), "beat": to_data(result.beat), "task_calls": to_data(result.task_calls)})
        else:
            rows2: list[list[object]] = [
                [t.name, t.framework, t.function, f"{t.file}:{t.line}", ", ".join(f"{k}={v}" for k, v in t.options) or "-", len(t.callers)]
                for t in result.tasks
            ]
            text = as_table(["NAME", "FRAMEWORK", "FUNCTION", "WHERE", "OPTIONS", "CALLERS"], rows2) + f"{len(result.tasks)} tasks\n"
            for b in result.beat:
                text += f"schedule {b.entry}: {b.task} {b.schedule} ({b.file}:{b.line})\n"
    write_output(text, args.output)
    return 0
