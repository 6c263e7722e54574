"""Mermaid diagrams (rendered by GitHub in Markdown): package graph and ER diagram."""

from __future__ import annotations

import re
from typing import Iterable

from ..facts import OrmModel


def mermaid_id(name: str) -> str:
    """A Mermaid-safe node id for a dotted name."""
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def mermaid_label(text: str) -> str:
    """Label text safe inside ``["..."]``."""
    return str(text).replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def package_flowchart(
    nodes: Iterable[str], edges: Iterable[tuple[str, str, int]], highlight: Iterable[tuple[str, str]] = ()
) -> str:
    """``flowchart LR`` of packages; highlighted edges (cycles, violations) drawn red."""
    hl = set(highlight)
    lines = ["flowchart LR"]
    for n in sorted(set(nodes)):
        lines.append(f'  {mermaid_id(n)}["{mermaid_label(n)}"]')
    styled: list[int] = []
    for i, (a, b, w) in enumerate(sorted(edges)):
        lines.append(f"  {mermaid_id(a)} -->|{w}| {mermaid_id(b)}")
        if (a, b) in hl:
            styled.append(i)
    if styled:
        lines.append(f"  linkStyle {','.join(map(str, styled))} stroke:#d00,stroke-width:2px")
    return "\n".join(lines)


def _er_name(table: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", table) or "unnamed"


def _er_type(t: str) -> str:
    base = re.sub(r"\(.*", "", t or "unknown").split(".")[-1]
    return re.sub(r"[^A-Za-z0-9_]", "_", base) or "unknown"


def er_diagram(models: Iterable[OrmModel]) -> str:
    """``erDiagram`` of the mapped tables with their columns and foreign keys."""
    lines = ["erDiagram"]
    tables: dict[str, OrmModel] = {}
    for m in models:
        if m.table and m.table_status not in ("none", "unresolved", "inherited") and m.table not in tables:
            tables[m.table] = m
    rels: set[tuple[str, str, str]] = set()
    for name in sorted(tables):
        m = tables[name]
        lines.append(f"  {_er_name(name)} {{")
        for c in m.columns:
            flags = []
            if c.primary_key:
                flags.append("PK")
            if any(fk.column == c.name for fk in m.foreign_keys):
                flags.append("FK")
            flag = (" " + ",".join(flags)) if flags else ""
            lines.append(f"    {_er_type(c.type)} {_er_name(c.name)}{flag}")
        lines.append("  }")
        for fk in m.foreign_keys:
            target = fk.references.rsplit(".", 1)[0] if "." in fk.references else fk.references
            if target:
                rels.add((_er_name(target), _er_name(name), fk.column))
    for target, source, column in sorted(rels):
        lines.append(f'  {target} ||--o{{ {source} : "{mermaid_label(column)}"')
    return "\n".join(lines)
