"""The HTML report's pictures: package graph, module graph and ER diagram as inline SVG.

``engine="auto"`` uses Graphviz ``dot`` when it is installed (the module graph
through pydeps' clustered, coloured rendering, see :mod:`.graphviz`) and the
pure-Python layered layout otherwise; ``"python"`` always uses the layout (no
subprocess), ``"dot"`` prefers dot and still falls back when it fails.  Each
drawing records the engine that produced it.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .context import GraphView
from .graphviz import dot_path, er_dot, graph_dot, pydeps_dot, render_svg
from .svg import er_svg, graph_svg

ENGINES = ("auto", "dot", "python")
#: dot's spline routing gets slow on dense graphs (seconds for a few hundred edges); beyond these
#: sizes "auto" uses the Python layout, which takes a fraction of a second ("dot" forces dot)
DOT_MAX_NODES = 80
DOT_MAX_EDGES = 180
DOT_MAX_TABLES = 60


@dataclass(frozen=True)
class Drawing:
    """One inline SVG and how it was made."""

    svg: str
    engine: str  # "graphviz dot", "pydeps + graphviz dot", "built-in layered layout"
    note: str = ""


@dataclass(frozen=True)
class Drawings:
    packages: Drawing | None = None
    modules: Drawing | None = None
    er: Drawing | None = None


PY = "built-in layered layout"


def draw(view: GraphView, engine: str = "auto") -> Drawings:
    """Every drawing the view has data for (dot jobs run concurrently; each falls back on its own)."""
    use_dot = engine in ("auto", "dot") and dot_path() is not None
    forced = engine == "dot"
    jobs: dict[str, str] = {}
    if use_dot and view.package_nodes and (forced or (len(view.package_nodes) <= DOT_MAX_NODES and len(view.package_edges) <= DOT_MAX_EDGES)):
        jobs["pkg"] = graph_dot(view.package_nodes, view.package_edges)
    if use_dot and view.module_nodes and (forced or len(view.module_edges) <= DOT_MAX_EDGES):
        edges: dict[str, list[str]] = defaultdict(list)
        for e in view.module_edges:
            if e.css != "tc":
                edges[e.source].append(e.target)
        text = pydeps_dot(edges, [n.id for n in view.module_nodes], cycle_edges=view.module_cycle_edges)
        if text:
            jobs["mod"] = text
    if use_dot and view.er_tables and (forced or len(view.er_tables) <= DOT_MAX_TABLES):
        jobs["er"] = er_dot(view.er_tables, view.er_relations)
    done: dict[str, str | None] = {}
    if jobs:
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            futures = {k: pool.submit(render_svg, text, k) for k, text in sorted(jobs.items())}
            done = {k: f.result() for k, f in futures.items()}
    packages = modules = er = None
    if view.package_nodes:
        svg = done.get("pkg")
        packages = Drawing(svg, "graphviz dot", view.package_note) if svg else Drawing(
            graph_svg(view.package_nodes, view.package_edges, id_prefix="pkg", title="Package dependency graph"), PY, view.package_note
        )
    if view.module_nodes:
        svg = done.get("mod")
        modules = Drawing(svg, "pydeps + graphviz dot") if svg else Drawing(
            graph_svg(view.module_nodes, view.module_edges, id_prefix="mod", title="Module dependency graph"), PY
        )
    if view.er_tables:
        svg = done.get("er")
        er = Drawing(svg, "graphviz dot") if svg else Drawing(
            er_svg(view.er_tables, view.er_relations, id_prefix="er", title="Entity-relationship diagram"), PY
        )
    return Drawings(packages, modules, er)
