"""The report view model: built once from a scan, rendered as Markdown, HTML, JSON and SARIF.

Everything a template shows is computed here, sorted, and free of I/O and of
timestamps (pass ``generated_at`` explicitly to show one).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..facts import BeatEntry, OrmModel, Route, Task
from ..graph import Coupling, Cycle, coupling, layers, orphans, package_graph
from ..model import FileKind, Finding, Origin, Severity
from ..pipeline import ScanResult
from .mermaid import er_diagram, package_flowchart


@dataclass(frozen=True)
class ExternalUse:
    """A third-party or stdlib top-level import name and where it is used."""

    name: str
    origin: str  # stdlib / third_party
    distribution: str
    modules: int
    sites: int
    first: str  # path:line of the first use


@dataclass(frozen=True)
class RouteGroup:
    """Routes of one router / blueprint / urlconf."""

    name: str
    framework: str
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class Hotspot:
    """A function or module that is complex, large or badly maintainable, ranked with its fan-in."""

    name: str
    path: str
    line: int
    complexity: int
    length: int
    fan_in: int
    score: float
    kind: str  # function, method, class, module
    mi: float | None = None


@dataclass(frozen=True)
class ReportContext:
    """Everything the report shows."""

    tool_version: str
    project: str
    root_name: str
    package_mode: bool
    roots: tuple[Any, ...]
    counts: dict[str, int]
    verdict: str
    analyzers: tuple[str, ...]
    depth: int
    packages: tuple[Coupling, ...]
    package_edges: tuple[tuple[str, str, int], ...]
    layers: tuple[tuple[str, ...], ...]
    cycles: tuple[Cycle, ...]
    orphans: tuple[str, ...]
    externals: tuple[ExternalUse, ...]
    declared: tuple[Any, ...]
    dependency_findings: tuple[Finding, ...]
    routes: tuple[Route, ...]
    route_groups: tuple[RouteGroup, ...]
    models: tuple[OrmModel, ...]
    tasks: tuple[Task, ...]
    beat: tuple[BeatEntry, ...]
    findings: tuple[Finding, ...]
    problems: tuple[Finding, ...]  # parse/read/config problems
    skipped: tuple[Any, ...]
    hotspots: tuple[Hotspot, ...]
    notes: tuple[tuple[str, str], ...]
    package_diagram: str = ""
    er_diagram: str = ""
    generated_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def severity_counts(self) -> dict[str, int]:
        c = Counter(f.severity.value for f in self.findings)
        return {s: c.get(s, 0) for s in ("error", "warning", "info")}


_PROBLEM_RULES = {"parse-error", "decode-error", "read-error", "config-error", "unsupported-syntax", "analysis-error", "plugin-error"}


def build_context(result: ScanResult, *, generated_at: str = "", depth: int | None = None) -> ReportContext:
    """The view model of a scan."""
    depth = depth or result.config.package_depth
    g = result.graph
    pg = package_graph(g, depth)
    edges = tuple(sorted((a, b, d["weight"]) for a, b, d in pg.edges(data=True)))
    modules = [m for m in result.modules if not m.namespace]
    counts = {
        "files": result.stats.files,
        "modules": len(modules),
        "source_modules": sum(1 for m in modules if m.kind is FileKind.SOURCE),
        "test_modules": sum(1 for m in modules if m.kind is FileKind.TEST),
        "migration_modules": sum(1 for m in modules if m.kind is FileKind.MIGRATION),
        "lines": result.stats.lines,
        "graph_modules": g.number_of_nodes(),
        "graph_edges": g.number_of_edges(),
        "import_sites": len(result.imports),
        "cycles": len(result.cycles),
        "packages": pg.number_of_nodes(),
        "routes": len(result.routes),
        "models": sum(1 for m in result.models if m.kind == "model"),
        "tables": len({m.table for m in result.models if m.table and m.table_status != "none"}),
        "tasks": len(result.tasks),
        "skipped": len(result.skipped),
        "parse_problems": sum(1 for f in result.findings if f.rule_id in _PROBLEM_RULES),
    }
    findings = result.findings
    problems = tuple(f for f in findings if f.rule_id in _PROBLEM_RULES)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    if errors:
        verdict = f"{errors} error{'s' if errors != 1 else ''} and {warnings} warning{'s' if warnings != 1 else ''} need attention"
    elif warnings:
        verdict = f"no errors; {warnings} warning{'s' if warnings != 1 else ''}"
    else:
        verdict = "no problems found"

    ext_sites: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for s in result.imports:
        if s.origin in (Origin.THIRD_PARTY, Origin.STDLIB):
            ext_sites[(s.top_level, s.origin.value)].append(s)
    externals = tuple(
        ExternalUse(
            name=name,
            origin=origin,
            distribution=sites[0].distribution,
            modules=len({s.importer for s in sites}),
            sites=len(sites),
            first=sites[0].location.short,
        )
        for (name, origin), sites in sorted(ext_sites.items())
    )
    dep_findings = tuple(f for f in findings if f.category == "dependencies")

    groups: dict[tuple[str, str], list[Route]] = defaultdict(list)
    for r in result.routes:
        groups[(r.group or r.app or "(unattached)", r.framework)].append(r)
    route_groups = tuple(RouteGroup(name, fw, tuple(rs)) for (name, fw), rs in sorted(groups.items()))

    return ReportContext(
        tool_version=__version__,
        project=result.name,
        root_name=result.root.name,
        package_mode=result.package_mode,
        roots=result.roots,
        counts=counts,
        verdict=verdict,
        analyzers=result.analyzers,
        depth=depth,
        packages=coupling(pg),
        package_edges=edges,
        layers=layers(pg),
        cycles=result.cycles,
        orphans=orphans(g),
        externals=externals,
        declared=result.declarations.dependencies,
        dependency_findings=dep_findings,
        routes=result.routes,
        route_groups=route_groups,
        models=result.models,
        tasks=result.tasks,
        beat=result.beat,
        findings=findings,
        problems=problems,
        skipped=result.skipped,
        hotspots=hotspots(result),
        notes=result.notes,
        package_diagram=package_flowchart(pg.nodes, edges, _cycle_package_edges(result, depth)) if pg.number_of_nodes() <= 80 else "",
        er_diagram=er_diagram(result.models) if result.models else "",
        generated_at=generated_at,
    )


def _cycle_package_edges(result: ScanResult, depth: int) -> set[tuple[str, str]]:
    from ..graph import package_of

    out = set()
    for c in result.cycles:
        for h in c.example:
            a, b = package_of(h.importer, depth), package_of(h.imported, depth)
            if a != b:
                out.add((a, b))
    return out


def hotspots(result: ScanResult, limit: int = 15) -> tuple[Hotspot, ...]:
    """Most complex functions, weighted by how many modules depend on their module."""
    g = result.graph
    by_path = {m.path: m.name for m in result.modules if m.path}
    out: list[Hotspot] = []
    for path, fm in result.metrics.items():
        module = by_path.get(path, "")
        if module and module in g:
            fan_in = g.in_degree(module)
        else:
            continue  # tests / migrations are not hotspots
        for b in fm.blocks:
            if b.kind == "class" or b.complexity < 6:
                continue
            score = b.complexity * (1 + fan_in) ** 0.5
            out.append(Hotspot(f"{module}.{b.name}", path, b.line, b.complexity, b.length, fan_in, round(score, 2), b.kind))
    out.sort(key=lambda h: (-h.score, h.name))
    return tuple(out[:limit])
