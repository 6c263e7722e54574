"""The JSON report: plain data with a ``schema_version``, validated by ``schemas/report.schema.json``.

Keys are sorted when serialised; nothing machine-specific (absolute paths,
timings, timestamps) is included unless asked for, so the same input gives
byte-identical output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from ..graph import Cycle
from ..pipeline import ScanResult
from .context import ReportContext
from .serialize import finding_data, site_data, to_data

SCHEMA_VERSION = "1.1"


def schema_path() -> Path:
    return Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json"


def cycle_data(c: Cycle) -> dict[str, Any]:
    hop = lambda h: {"importer": h.importer, "imported": h.imported, "file": h.location.path, "line": h.location.line, "code": h.code}  # noqa: E731
    return {"members": list(c.members), "example": [hop(h) for h in c.example], "cut": [hop(h) for h in c.cut], "cut_weight": c.cut_weight}


def graph_data(g: nx.DiGraph) -> dict[str, Any]:
    """NetworkX node-link data with import sites on the edges (``nodes`` and ``edges``)."""
    return {
        "directed": True,
        "multigraph": False,
        "nodes": [{"id": n, **{k: v for k, v in sorted(d.items())}} for n, d in sorted(g.nodes(data=True))],
        "edges": [
            {"source": a, "target": b, "sites": [site_data(s) for s in d["sites"]]}
            for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1]))
        ],
    }


def report_data(result: ScanResult, ctx: ReportContext, *, include_timings: bool = False, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "backendscan", "version": ctx.tool_version},
        "project": {
            "name": ctx.project,
            "root": ctx.root_name,
            "package_mode": ctx.package_mode,
            "roots": [{"path": r.path, "reason": r.reason} for r in ctx.roots],
            "analyzers": list(ctx.analyzers),
        },
        "summary": {**ctx.counts, "verdict": ctx.verdict, "findings": ctx.severity_counts},
        "modules": [
            {"name": m.name, "path": m.path, "kind": m.kind.value, "package": m.is_package, "namespace": m.namespace, "lines": m.lines, "parsed": m.parsed}
            for m in result.modules
        ],
        "imports": [site_data(s) for s in result.imports],
        "graph": graph_data(result.graph),
        "packages": {
            "depth": ctx.depth,
            "coupling": to_data(ctx.packages),
            "edges": [{"source": a, "target": b, "weight": w} for a, b, w in ctx.package_edges],
            "layers": [list(layer) for layer in ctx.layers],
        },
        "cycles": [cycle_data(c) for c in ctx.cycles],
        "orphans": list(ctx.orphans),
        "dependencies": {
            "declared": to_data(ctx.declared),
            "sources": list(result.declarations.sources),
            "external_imports": to_data(ctx.externals),
            "findings": [finding_data(f) for f in ctx.dependency_findings],
        },
        "routes": to_data(result.routes),
        "models": to_data(result.models),
        "tasks": to_data(result.tasks),
        "task_calls": to_data(result.task_calls),
        "beat": to_data(result.beat),
        "metrics": {
            "files": [
                {"path": p, **{k: v for k, v in to_data(m).items() if k != "blocks"}} for p, m in sorted(result.metrics.items())
            ],
            "hotspots": to_data(ctx.hotspots),
        },
        "stack": {
            "components": to_data(ctx.stack.components),
            "deployment": to_data(ctx.stack.deployment),
        },
        "testing": {
            "counts": ctx.reach.counts(),
            "test_modules": list(ctx.reach.test_modules),
            "modules": to_data(ctx.reach.modules),
            "routes": [
                {"methods": list(r.route.methods), "path": r.route.path, "handler": r.route.handler, "status": r.status, "calls": list(r.calls)}
                for r in ctx.reach.routes
            ],
            "tasks": [{"name": t.task.name, "function": t.task.function, "status": t.status} for t in ctx.reach.tasks],
        },
        "checks": [
            {
                "id": c.info.id,
                "severity": c.info.severity.value,
                "theme": c.info.theme,
                "title": c.info.title,
                "rationale": c.info.rationale,
                "hint": c.info.hint,
                "enabled": c.enabled,
                "count": c.count,
            }
            for c in ctx.checks
        ],
        "compliance": {
            "rules_file": ctx.compliance.rules_file,
            "engine": ctx.compliance.engine,
            "statements": to_data(ctx.compliance.statements),
            "violations": [finding_data(f) for f in ctx.compliance.violations],
            "problems": list(ctx.compliance.problems),
            "suggestions": to_data(ctx.compliance.suggestions),
        },
        "findings": [finding_data(f) for f in ctx.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in ctx.skipped],
        "notes": [{"topic": t, "text": x} for t, x in ctx.notes],
    }
    if ctx.plan is not None:
        data["plan"] = to_data(ctx.plan)
    if include_timings:
        data["stats"] = {"stages": dict(result.stats.stages), "workers": result.stats.workers, "from_cache": result.stats.from_cache}
    if extra:
        data.update(extra)
    return data


def dumps(data: Any, compact: bool = False) -> str:
    """Deterministic JSON text (``compact``: one line, about ten times faster to write for big graphs)."""
    if compact:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
