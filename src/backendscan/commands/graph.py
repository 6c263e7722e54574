"""``backendscan graph PATH``: the module dependency graph as JSON (node-link), DOT or Mermaid."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from .common import add_scan_options, run_scan, write_output


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("graph", parents=[common], help="print the import graph", description=__doc__)
    add_scan_options(p)
    p.add_argument("--format", default="json", choices=["json", "dot", "mermaid"], help="output format (default: json)")
    p.add_argument("--depth", type=int, default=0, help="collapse modules to packages at this depth (0 = modules)")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--pretty", action="store_true", help="indent JSON (slower on big graphs)")
    p.set_defaults(func=run, no_metrics=True)


def run(args: argparse.Namespace) -> int:
    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    from ..graph import package_graph
    from ..report.jsondata import dumps, graph_data
    from ..report.mermaid import mermaid_id, mermaid_label, package_flowchart

    result = run_scan(args, scope="imports")
    g = result.graph
    if args.format == "json":
        if args.depth:
            pg = package_graph(g, args.depth)
            data = {
                "directed": True,
                "multigraph": False,
                "nodes": [{"id": n, "modules": d.get("modules", 0)} for n, d in sorted(pg.nodes(data=True))],
                "edges": [
                    {"source": a, "target": b, "weight": d["weight"], "module_edges": [list(e) for e in sorted(d["edges"])]}
                    for a, b, d in sorted(pg.edges(data=True), key=lambda e: (e[0], e[1]))
                ],
            }
        else:
            data = graph_data(g)
        text = dumps(data, compact=not args.pretty)
    elif args.format == "mermaid":
        if args.depth:
            pg = package_graph(g, args.depth)
            text = package_flowchart(pg.nodes, [(a, b, d["weight"]) for a, b, d in pg.edges(data=True)]) + "\n"
        else:
            lines = ["flowchart LR"]
            for n in sorted(g.nodes):
                lines.append(f'  {mermaid_id(n)}["{mermaid_label(n)}"]')
            for a, b in sorted(g.edges):
                lines.append(f"  {mermaid_id(a)} --> {mermaid_id(b)}")
            text = "\n".join(lines) + "\n"
    else:
        from ..report.dot import graph_dot

        text = graph_dot(result, depth=args.depth)
    write_output(text, args.output)
    return 0
