"""Graphviz DOT of the import graph: modules clustered by package, cycle edges red."""

from __future__ import annotations

from ..graph import package_graph, package_of
from ..pipeline import ScanResult


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def graph_dot(result: ScanResult, depth: int = 0) -> str:
    """DOT text; ``depth`` > 0 collapses modules to packages."""
    g = result.graph
    cycle_edges = {(h.importer, h.imported) for c in result.cycles for h in c.example}
    members = {m for c in result.cycles for m in c.members}
    lines = ["digraph imports {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=10];', '  edge [color="#7a869a"];']
    if depth:
        pg = package_graph(g, depth)
        cyc_pk = {(package_of(a, depth), package_of(b, depth)) for a, b in cycle_edges}
        for n in sorted(pg.nodes):
            lines.append(f"  {_q(n)};")
        for a, b, d in sorted(pg.edges(data=True), key=lambda e: (e[0], e[1])):
            style = ', color="#d00", penwidth=2' if (a, b) in cyc_pk else ""
            lines.append(f'  {_q(a)} -> {_q(b)} [label="{d["weight"]}"{style}];')
    else:
        clusters: dict[str, list[str]] = {}
        for n in sorted(g.nodes):
            clusters.setdefault(package_of(n, 2) if n.count(".") >= 1 else n, []).append(n)
        for i, (pkg, nodes) in enumerate(sorted(clusters.items())):
            lines.append(f"  subgraph cluster_{i} {{")
            lines.append(f"    label={_q(pkg)}; style=dashed; color=\"#b0b8c4\";")
            for n in nodes:
                fill = ', fillcolor="#fde2e2"' if n in members else ""
                lines.append(f"    {_q(n)} [label={_q(n)}{fill}];")
            lines.append("  }")
        for a, b in sorted(g.edges):
            style = ' [color="#d00", penwidth=2]' if (a, b) in cycle_edges else ""
            lines.append(f"  {_q(a)} -> {_q(b)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"
