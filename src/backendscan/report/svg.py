"""Inline SVG drawings from :mod:`backendscan.report.layout`: dependency graphs and ER diagrams.

All text from the scanned code is XML-escaped here.  Ids inside one drawing are
prefixed (``id_prefix``) so several drawings can live in one HTML page.  Edge
styles: ``cycle`` (red, thick), ``violation`` (orange, dashed), ``tc``
(``TYPE_CHECKING`` only, dotted) and plain.
"""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass
from html import escape
from typing import Sequence

from .layout import Layout, layered_layout

CHAR_W = 6.6  # average glyph width of the 12px sans-serif used in the drawings
FONT = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif"

EDGE_STYLE = {
    "": ("#8a94a6", "1.1", ""),
    "tc": ("#b3bac6", "1", "2 3"),
    "cycle": ("#d11a2a", "2.4", ""),
    "violation": ("#e07b00", "2.2", "6 3"),
}


@dataclass(frozen=True)
class GNode:
    """A node to draw."""

    id: str
    label: str
    href: str = ""
    title: str = ""
    fill: str = "#eef3fb"
    css: str = ""  # extra class: "cycle" draws a red border
    sub: str = ""  # second, smaller line (e.g. "7 modules")


@dataclass(frozen=True)
class GEdge:
    """An edge to draw (``css``: "", "tc", "cycle", "violation")."""

    source: str
    target: str
    label: str = ""
    css: str = ""
    title: str = ""


def pastel(key: str) -> str:
    """A stable light colour for a group name (same name, same colour, in every report)."""
    h = int(hashlib.blake2b(key.encode("utf-8"), digest_size=2).hexdigest(), 16) % 360
    r, g, b = colorsys.hls_to_rgb(h / 360.0, 0.90, 0.62)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"  # hex: Graphviz reads it too


def _path(points: Sequence[tuple[float, float]]) -> str:
    if not points:
        return ""
    (x0, y0) = points[0]
    d = [f"M{x0:.1f},{y0:.1f}"]
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        my = (y1 + y2) / 2
        d.append(f"C{x1:.1f},{my:.1f} {x2:.1f},{my:.1f} {x2:.1f},{y2:.1f}")
    return " ".join(d)


def _defs(prefix: str) -> str:
    out = ["<defs>"]
    for name, (color, _, _) in EDGE_STYLE.items():
        mid = f"{prefix}-arrow{'-' + name if name else ''}"
        out.append(
            f'<marker id="{mid}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )
    out.append("</defs>")
    return "".join(out)


def graph_svg(nodes: Sequence[GNode], edges: Sequence[GEdge], *, id_prefix: str, title: str) -> str:
    """A layered drawing of a directed graph as an inline ``<svg>`` element."""
    sizes = {}
    for n in nodes:
        w = max(len(n.label), len(n.sub) * 0.85) * CHAR_W + 22
        sizes[n.id] = (max(56.0, round(w, 1)), 40.0 if n.sub else 28.0)
    layout = layered_layout(sizes, [(e.source, e.target) for e in edges])
    return _draw_graph(layout, nodes, edges, id_prefix, title)


def _draw_graph(layout: Layout, nodes: Sequence[GNode], edges: Sequence[GEdge], prefix: str, title: str) -> str:
    by_id = {n.id: n for n in nodes}
    w, h = layout.width, layout.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" id="{escape(prefix)}" role="img" '
        f'width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" style="{FONT};font-size:12px">',
        f"<title>{escape(title)}</title>",
        _defs(prefix),
        '<g class="edges">',
    ]
    style_of = {(e.source, e.target): e for e in edges}
    # plain edges first, highlighted ones on top
    routes = sorted(layout.routes, key=lambda r: (style_of[(r.source, r.target)].css != "", str(r.source), str(r.target)))
    for r in routes:
        e = style_of[(r.source, r.target)]
        color, width, dash = EDGE_STYLE.get(e.css, EDGE_STYLE[""])
        marker = f"{prefix}-arrow{'-' + e.css if e.css else ''}"
        tip = e.title or f"{e.source} imports {e.target}" + (f" ({e.label})" if e.label else "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path class="edge {escape(e.css)}" d="{_path(r.points)}" fill="none" stroke="{color}" stroke-width="{width}"{dash_attr} '
            f'marker-end="url(#{marker})"><title>{escape(tip)}</title></path>'
        )
        if e.label and len(r.points) >= 2:
            (x1, y1), (x2, y2) = r.points[len(r.points) // 2 - 1], r.points[len(r.points) // 2]
            out.append(
                f'<text class="edge-label" x="{(x1 + x2) / 2 + 4:.1f}" y="{(y1 + y2) / 2 + 4:.1f}" fill="#5b6475" font-size="10">{escape(e.label)}</text>'
            )
    out.append("</g>")
    out.append('<g class="nodes">')
    for nid in sorted(layout.boxes, key=str):
        b = layout.boxes[nid]
        n = by_id[str(nid)]
        stroke = "#d11a2a" if "cycle" in n.css else "#6b7a90"
        sw = "2" if "cycle" in n.css else "1"
        inner = (
            f'<rect x="{b.left:.1f}" y="{b.top:.1f}" width="{b.width:.1f}" height="{b.height:.1f}" rx="6" '
            f'fill="{escape(n.fill)}" stroke="{stroke}" stroke-width="{sw}"/>'
        )
        if n.sub:
            inner += (
                f'<text x="{b.x:.1f}" y="{b.y - 3:.1f}" text-anchor="middle" fill="#1d2433">{escape(n.label)}</text>'
                f'<text x="{b.x:.1f}" y="{b.y + 11:.1f}" text-anchor="middle" fill="#5b6475" font-size="10">{escape(n.sub)}</text>'
            )
        else:
            inner += f'<text x="{b.x:.1f}" y="{b.y + 4:.1f}" text-anchor="middle" fill="#1d2433">{escape(n.label)}</text>'
        tip = f"<title>{escape(n.title or n.label)}</title>"
        if n.href:
            out.append(f'<a href="{escape(n.href)}" class="node {escape(n.css)}">{tip}{inner}</a>')
        else:
            out.append(f'<g class="node {escape(n.css)}">{tip}{inner}</g>')
    out.append("</g></svg>")
    return "".join(out)


@dataclass(frozen=True)
class ErTable:
    """A table for the ER drawing: name, (column, type, flags) rows, link."""

    name: str
    columns: tuple[tuple[str, str, str], ...]  # (name, type, "PK"/"FK"/"PK,FK"/"")
    href: str = ""
    subtitle: str = ""  # e.g. the class name


def er_svg(tables: Sequence[ErTable], relations: Sequence[tuple[str, str, str]], *, id_prefix: str, title: str, max_rows: int = 14) -> str:
    """ER diagram: tables as boxes with their columns; ``relations`` are (child, parent, column)."""
    row_h, head_h = 16.0, 24.0
    sizes: dict[str, tuple[float, float]] = {}
    shown: dict[str, list[tuple[str, str, str]]] = {}
    for t in tables:
        rows = list(t.columns[:max_rows])
        if len(t.columns) > max_rows:
            rows.append((f"... {len(t.columns) - max_rows} more", "", ""))
        shown[t.name] = rows
        text_w = max([len(t.name) * 7.2 + 16] + [(len(c) + len(ty) + len(f) + 3) * CHAR_W + 20 for c, ty, f in rows])
        sizes[t.name] = (max(110.0, round(text_w, 1)), head_h + row_h * max(1, len(rows)) + 6)
    names = set(sizes)
    rels = [(c, p, col) for c, p, col in relations if c in names and p in names]
    layout = layered_layout(sizes, [(p, c) for c, p, _ in rels], layer_gap=64.0, node_gap=28.0)
    w, h = layout.width, layout.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram er" id="{escape(id_prefix)}" role="img" '
        f'width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" style="{FONT};font-size:11px">',
        f"<title>{escape(title)}</title>",
        _defs(id_prefix),
        '<g class="edges">',
    ]
    cols_of = {(c, p): [] for c, p, _ in rels}  # type: dict[tuple[str, str], list[str]]
    for c, p, col in rels:
        cols_of[(c, p)].append(col)
    for r in sorted(layout.routes, key=lambda r: (str(r.source), str(r.target))):
        parent, child = str(r.source), str(r.target)
        pts = list(reversed(r.points))  # draw from the child (many) to the parent (one)
        tip = f"{child}.{', '.join(sorted(cols_of.get((child, parent), [])))} references {parent}"
        out.append(
            f'<path class="edge fk" d="{_path(pts)}" fill="none" stroke="#6b7a90" stroke-width="1.2" '
            f'marker-end="url(#{id_prefix}-arrow)"><title>{escape(tip)}</title></path>'
        )
        x0, y0 = pts[0]
        out.append(f'<circle cx="{x0:.1f}" cy="{y0:.1f}" r="3" fill="#6b7a90"/>')
    out.append("</g><g class=\"tables\">")
    by_name = {t.name: t for t in tables}
    for name in sorted(layout.boxes, key=str):
        b = layout.boxes[name]
        t = by_name[str(name)]
        parts = [
            f'<rect x="{b.left:.1f}" y="{b.top:.1f}" width="{b.width:.1f}" height="{b.height:.1f}" rx="5" fill="#ffffff" stroke="#6b7a90"/>',
            f'<rect x="{b.left:.1f}" y="{b.top:.1f}" width="{b.width:.1f}" height="{head_h:.1f}" rx="5" fill="{pastel(t.name)}" stroke="#6b7a90"/>',
            f'<text x="{b.x:.1f}" y="{b.top + 16:.1f}" text-anchor="middle" font-weight="600" font-size="12" fill="#1d2433">{escape(t.name)}</text>',
        ]
        for i, (col, ty, flags) in enumerate(shown[t.name]):
            y = b.top + head_h + 13 + i * row_h
            weight = ' font-weight="600"' if "PK" in flags else ""
            mark = f"{flags} " if flags else ""
            parts.append(f'<text x="{b.left + 8:.1f}" y="{y:.1f}" fill="#1d2433"{weight}>{escape(mark + col)}</text>')
            if ty:
                parts.append(f'<text x="{b.left + b.width - 8:.1f}" y="{y:.1f}" text-anchor="end" fill="#5b6475">{escape(ty)}</text>')
        tip = f"<title>{escape(t.subtitle or t.name)}</title>"
        inner = "".join(parts)
        if t.href:
            out.append(f'<a href="{escape(t.href)}" class="table">{tip}{inner}</a>')
        else:
            out.append(f'<g class="table">{tip}{inner}</g>')
    out.append("</g></svg>")
    return "".join(out)
