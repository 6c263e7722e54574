"""Graphviz drawings: DOT text for the package graph, the pydeps-style module graph and the ER diagram,
turned into inline SVG by ``dot`` when it is installed.

**What pydeps does for us**: the module graph uses pydeps' own ``DepGraph`` and
``dep2dot`` (fed with *our* import graph, so nothing is imported or run) to get
its clustered, colour-coded drawing: one hue per package, fill strength by how
connected a module is, modules in import cycles drawn as boxes, related modules
kept close (pydeps' proximity and dissimilarity metrics as edge weights/lengths).
Only ``dot`` turns it into SVG; without ``dot`` the report falls back to the
pure-Python layout (:mod:`backendscan.report.layout`).

Everything here is optional: :func:`render_svg` returns None when ``dot`` is
missing, fails or times out, and the caller draws the fallback instead.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from html import escape
from types import SimpleNamespace
from typing import Iterable, Mapping, Sequence

from .svg import EDGE_STYLE, ErTable, GEdge, GNode

log = logging.getLogger(__name__)

DOT_TIMEOUT = 30.0


def dot_path() -> str | None:
    """The ``dot`` executable, or None."""
    return shutil.which("dot")


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def render_svg(dot_text: str, id_prefix: str, *, timeout: float = DOT_TIMEOUT) -> str | None:
    """SVG (an ``<svg>`` element, ids prefixed) of ``dot_text``, or None when dot is unavailable or fails."""
    exe = dot_path()
    if exe is None:
        return None
    try:
        proc = subprocess.run([exe, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("dot failed: %s", exc)
        return None
    if proc.returncode != 0:
        log.info("dot failed: %s", proc.stderr.decode("utf-8", "replace")[:300])
        return None
    return clean_svg(proc.stdout.decode("utf-8", "replace"), id_prefix)


def clean_svg(svg: str, id_prefix: str) -> str:
    """Graphviz SVG made fit to inline: no XML prolog/doctype/comments, unique ids, a class."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]*)"', lambda m: f'id="{id_prefix}-{m.group(1)}"', svg)
    svg = svg.replace("<svg ", f'<svg class="diagram graphviz" data-engine="dot" ', 1)
    return svg.strip()


# ------------------------------------------------------------------ package graph
def graph_dot(nodes: Sequence[GNode], edges: Sequence[GEdge], *, rankdir: str = "TB") -> str:
    """DOT of a dependency graph with the same styles as the SVG fallback."""
    lines = [
        "digraph deps {",
        f"  rankdir={rankdir}; nodesep=0.25; ranksep=0.45; bgcolor=transparent;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#6b7a90", height=0.3];',
        '  edge [color="#8a94a6", arrowsize=0.6, fontname="Helvetica", fontsize=9, fontcolor="#5b6475"];',
    ]
    for n in sorted(nodes, key=lambda n: n.id):
        label = _q(n.label)[:-1] + ("\\n" + _q(n.sub)[1:-1] if n.sub else "") + '"'
        attrs = [f"label={label}", f"fillcolor={_q(n.fill)}", f"tooltip={_q(n.title or n.label)}"]
        if n.href:
            attrs.append(f"URL={_q(n.href)}")
        if "cycle" in n.css:
            attrs.append('color="#d11a2a", penwidth=2')
        lines.append(f"  {_q(n.id)} [{', '.join(attrs)}];")
    for e in sorted(edges, key=lambda e: (e.css != "", e.source, e.target)):
        color, width, dash = EDGE_STYLE.get(e.css, EDGE_STYLE[""])
        attrs = [f"color={_q(color)}", f"penwidth={width}", f"tooltip={_q(e.title or f'{e.source} imports {e.target}')}"]
        if dash:
            attrs.append('style="dashed"' if e.css == "violation" else 'style="dotted"')
        if e.label:
            attrs.append(f"label={_q(e.label)}")
        lines.append(f"  {_q(e.source)} -> {_q(e.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ pydeps module graph
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def pydeps_dot(edges: Mapping[str, Iterable[str]], nodes: Iterable[str], *, cluster_depth: int = 2, cycle_edges: Iterable[tuple[str, str]] = ()) -> str | None:
    """pydeps-style DOT of a module graph (importer -> imported), or None when pydeps cannot draw it.

    pydeps names DOT nodes by replacing dots with underscores, so every module name
    must be a dotted identifier (otherwise None; the caller uses its own drawing).
    """
    names = sorted(set(nodes))
    if not names or not all(_IDENT.match(n) for n in names):
        return None
    try:
        from pydeps import depgraph2dot
        from pydeps.depgraph import DepGraph
        from pydeps.render_context import RenderBuffer
    except Exception as exc:  # pragma: no cover - pydeps is a dependency, but be safe
        log.info("pydeps unavailable: %s", exc)
        return None

    class ClusteredBuffer(RenderBuffer):  # type: ignore[misc]
        """pydeps clusters by top-level package; cluster by package at ``cluster_depth`` instead."""

        def _clusterid(self, n: str) -> str:
            parts = n.split(".")
            return "_".join(parts[: max(1, cluster_depth)]) if len(parts) > cluster_depth else parts[0]

    depgraf: dict[str, dict[str, str]] = {n: {} for n in names}
    for a in names:
        for b in sorted(set(edges.get(a, ()))):
            if b in depgraf and b != a:
                depgraf[a][b] = ""
    args = dict(
        exclude=[], exclude_exact=[], show_raw_deps=False, show_deps=False, max_bacon=sys.maxsize, noise_level=sys.maxsize,
        max_module_depth=0, show_cycles=False, only=[], dummyname="__backendscan__", externals=False, reverse=True,
        cluster=True, min_cluster_size=2, max_cluster_size=10_000, keep_target_cluster=True, rankdir="TB",
    )
    old_limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(old_limit, 10_000))
        dg = DepGraph(depgraf, None, SimpleNamespace(fname=names[0].split(".")[0]), **args)
        target = SimpleNamespace(fname=names[0].split(".")[0])
        buf = ClusteredBuffer(target, reverse=True, rankdir="TB", cluster=True, min_cluster_size=2, max_cluster_size=10_000, keep_target_cluster=True)
        text = depgraph2dot.PyDepGraphDot().render(dg, buf)
    except Exception as exc:  # pydeps is a visualiser, not part of the analysis: never fail the report
        log.info("pydeps could not draw the module graph: %s", exc)
        return None
    finally:
        sys.setrecursionlimit(old_limit)
    # our runtime cycles in red (pydeps marks cycle members as boxes; edges stay neutral)
    for a, b in cycle_edges:
        an, bn = a.replace(".", "_"), b.replace(".", "_")
        text = re.sub(rf"(\n\s*{re.escape(an)} -> {re.escape(bn)})( \[([^\]]*)\])?;", lambda m: f'{m.group(1)} [{(m.group(3) + ",") if m.group(3) else ""}color="#d11a2a",penwidth="2.4"];', text)
    return text


# ------------------------------------------------------------------ ER diagram
def er_dot(tables: Sequence[ErTable], relations: Sequence[tuple[str, str, str]], max_rows: int = 14) -> str:
    """DOT of the ER diagram with HTML-like table labels; (child, parent, column) relations."""
    lines = [
        "digraph er {",
        "  rankdir=TB; nodesep=0.35; ranksep=0.5; bgcolor=transparent;",
        '  node [shape=plain, fontname="Helvetica", fontsize=10];',
        '  edge [color="#6b7a90", arrowsize=0.6, dir=both, arrowtail=normal, arrowhead=dot];',
    ]
    names = {t.name for t in tables}
    for t in sorted(tables, key=lambda t: t.name):
        rows = [
            f'<tr><td bgcolor="#dbe7fb" colspan="2"><b>{escape(t.name)}</b></td></tr>',
        ]
        for col, ty, flags in t.columns[:max_rows]:
            mark = f"{flags} " if flags else ""
            rows.append(f'<tr><td align="left">{escape(mark + col)}</td><td align="right"><font color="#5b6475">{escape(ty)}</font></td></tr>')
        if len(t.columns) > max_rows:
            rows.append(f'<tr><td align="left" colspan="2">... {len(t.columns) - max_rows} more</td></tr>')
        label = '<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>>"
        url = f", URL={_q(t.href)}" if t.href else ""
        lines.append(f"  {_q(t.name)} [label={label}, tooltip={_q(t.subtitle or t.name)}{url}];")
    for child, parent, column in sorted(set(relations)):
        if child in names and parent in names:
            lines.append(f"  {_q(parent)} -> {_q(child)} [tooltip={_q(f'{child}.{column} references {parent}')}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
