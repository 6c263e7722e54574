"""The report view model: built once from a scan, rendered as Markdown, HTML, JSON and SARIF.

Everything a template shows is computed here, sorted, and free of I/O and of
timestamps (pass ``generated_at`` explicitly to show one).  Templates receive
the :class:`ReportContext` as ``ctx``; its fields are documented in README.md
("Template variables").
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import __version__
from ..checks import catalogue
from ..checks.base import CATEGORY as CHECKS_CATEGORY
from ..checks.base import CheckInfo
from ..dependencies import Declarations
from ..facts import BeatEntry, OrmModel, Route, Task, TaskCall
from ..graph import Coupling, Cycle, coupling, layers, orphans, package_graph, package_of
from ..model import Dependency, FileKind, Finding, ImportRoot, Origin, Severity, Skipped, sorted_findings
from ..pipeline import ScanResult
from ..stack import Component, Stack
from .compliance import Compliance, build_compliance, rules_file_text, rules_finding
from .hotspots import Hotspots, compute_hotspots
from .mermaid import er_diagram, package_flowchart
from .plan import Plan, make_plan
from .reach import ReachReport, compute_reach
from .svg import ErTable, GEdge, GNode, pastel

#: the concerns shown in the summary's "frameworks" line
SUMMARY_CONCERNS = ("web framework", "API toolkit", "ORM", "migrations", "task queue", "web server")
#: built-in check themes shown as "gaps" in the stack section
GAP_THEMES = ("operations",)
#: diagrams get too dense to read beyond these sizes
MAX_PACKAGE_NODES = 90
MAX_MODULE_NODES = 150


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
    app: str
    routes: tuple[Route, ...]

    @property
    def protected(self) -> int:
        return sum(1 for r in self.routes if any(not a.public for a in r.auth))


@dataclass(frozen=True)
class Relation:
    """A foreign key between two tables (ER diagram and relations table)."""

    table: str
    column: str
    references: str  # table.column
    target_table: str
    status: str
    line: int
    file: str


@dataclass(frozen=True)
class Producer:
    """A place that starts a task."""

    call: TaskCall
    task: str


@dataclass(frozen=True)
class GraphView:
    """Data for the drawings (package graph, module graph, ER diagram)."""

    package_nodes: tuple[GNode, ...] = ()
    package_edges: tuple[GEdge, ...] = ()
    package_note: str = ""
    module_nodes: tuple[GNode, ...] = ()
    module_edges: tuple[GEdge, ...] = ()  # runtime edges; TYPE_CHECKING-only ones styled "tc"
    module_cycle_edges: tuple[tuple[str, str], ...] = ()
    module_note: str = ""
    er_tables: tuple[ErTable, ...] = ()
    er_relations: tuple[tuple[str, str, str], ...] = ()  # (child, parent, column)


@dataclass(frozen=True)
class CheckRow:
    """A built-in check in the catalogue, with how often it fired."""

    info: CheckInfo
    enabled: bool
    count: int


@dataclass(frozen=True)
class ReportContext:
    """Everything the report shows (``ctx`` in templates)."""

    tool_version: str
    project: str
    root_name: str
    package_mode: bool
    roots: tuple[ImportRoot, ...]
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
    declared: tuple[Dependency, ...]
    dependency_findings: tuple[Finding, ...]
    routes: tuple[Route, ...]
    route_groups: tuple[RouteGroup, ...]
    models: tuple[OrmModel, ...]
    relations: tuple[Relation, ...]
    tasks: tuple[Task, ...]
    beat: tuple[BeatEntry, ...]
    producers: tuple[Producer, ...]
    findings: tuple[Finding, ...]
    check_findings: tuple[Finding, ...]
    rule_findings: tuple[Finding, ...]
    other_findings: tuple[Finding, ...]
    gaps: tuple[Finding, ...]
    problems: tuple[Finding, ...]  # parse/read/config problems
    skipped: tuple[Skipped, ...]
    notes: tuple[tuple[str, str], ...]
    stack: Stack
    frameworks: tuple[Component, ...]
    checks: tuple[CheckRow, ...]
    hotspots: Hotspots
    reach: ReachReport
    compliance: Compliance
    graph_view: GraphView
    plan: Plan | None = None
    package_diagram: str = ""  # Mermaid
    module_diagram: str = ""  # Mermaid (small projects)
    er_diagram: str = ""  # Mermaid
    generated_at: str = ""
    declarations_sources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def severity_counts(self) -> dict[str, int]:
        c = Counter(f.severity.value for f in self.findings)
        return {s: c.get(s, 0) for s in ("error", "warning", "info")}

    @property
    def findings_by_severity(self) -> tuple[Finding, ...]:
        """Findings worst first (errors, warnings, notes), then in report order."""
        return tuple(sorted(self.findings, key=lambda f: -f.severity.rank))

    @property
    def stack_rows(self) -> tuple[tuple[str, tuple[Component, ...]], ...]:
        """(concern, components) in display order."""
        return tuple((c, self.stack.of(c)) for c in self.stack.concerns)


_PROBLEM_RULES = {"parse-error", "decode-error", "read-error", "config-error", "unsupported-syntax", "analysis-error", "plugin-error"}


def anchor(kind: str, text: str) -> str:
    """A stable, unique HTML id for an item (``route-get-api-v1-users-1a2b3c``)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower()[:48] or "x"
    digest = hashlib.blake2b(str(text).encode("utf-8", "surrogatepass"), digest_size=3).hexdigest()
    return f"{kind}-{slug}-{digest}"


def build_context(
    result: ScanResult,
    *,
    generated_at: str = "",
    depth: int | None = None,
    task: str | None = None,
    inferred_rules: Any = None,
) -> ReportContext:
    """The view model of a scan; ``task`` adds the implementation plan.

    ``inferred_rules`` is the compiled ``rules infer`` draft when the caller has it
    (the report command keeps it per import graph), or a function returning it (or
    None), called when the compliance section needs it; it is computed otherwise.
    """
    depth = depth or result.config.package_depth
    g = result.graph
    pg = package_graph(g, depth)
    edges = tuple(sorted((a, b, d["weight"]) for a, b, d in pg.edges(data=True)))
    modules = [m for m in result.modules if not m.namespace]
    # the parts that do not read RULES.md first: the report command may be computing the
    # ``rules infer`` draft in a forked child meanwhile (``inferred_rules`` is then a callable)
    stack = result.stack
    reach = compute_reach(result)
    hotspots = compute_hotspots(result)
    compliance = build_compliance(result, inferred=inferred_rules() if callable(inferred_rules) else inferred_rules)
    findings = sorted_findings(result.findings + compliance.violations)
    check_findings = tuple(f for f in findings if f.category == CHECKS_CATEGORY)
    rule_findings = tuple(f for f in findings if rules_finding(f))
    problems = tuple(f for f in findings if f.rule_id in _PROBLEM_RULES)
    dep_findings = tuple(f for f in findings if f.category == "dependencies")
    shown = set(check_findings) | set(rule_findings) | set(problems) | set(dep_findings)
    other = tuple(f for f in findings if f not in shown)
    themes = {c.id: c.theme for c in catalogue()}
    gaps = tuple(f for f in check_findings if themes.get(f.rule_id) in GAP_THEMES)
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
        "runtime_cycles": sum(1 for c in result.cycles if not c.type_checking_only),
        "packages": pg.number_of_nodes(),
        "routes": len(result.routes),
        "models": sum(1 for m in result.models if m.kind == "model"),
        "tables": len({m.table for m in result.models if m.table and m.table_status != "none"}),
        "tasks": len(result.tasks),
        "schedules": len(result.beat),
        "skipped": len(result.skipped),
        "parse_problems": len(problems),
        "check_findings": len(check_findings),
        "rule_violations": len(rule_findings),
    }
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

    groups: dict[tuple[str, str, str], list[Route]] = defaultdict(list)
    for r in result.routes:
        groups[(r.group or r.app or "(unattached)", r.framework, r.app)].append(r)
    route_groups = tuple(RouteGroup(name, fw, app, tuple(rs)) for (name, fw, app), rs in sorted(groups.items()))

    frameworks = tuple(c for c in stack.components if c.concern in SUMMARY_CONCERNS)
    fired = Counter(f.rule_id for f in check_findings)
    disabled = set(result.config.disable_checks)
    checks = tuple(CheckRow(i, i.id not in disabled and i.theme not in disabled, fired.get(i.id, 0)) for i in catalogue())
    plan = None
    if task and task.strip():
        plan = make_plan(result, task, reach, rules_file_text(result), compliance.statements)

    relations = _relations(result.models)
    producers = tuple(Producer(c, c.task) for c in result.task_calls)
    cycle_pk = _cycle_package_edges(result, depth)
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
        relations=relations,
        tasks=result.tasks,
        beat=result.beat,
        producers=producers,
        findings=findings,
        check_findings=check_findings,
        rule_findings=rule_findings,
        other_findings=other,
        gaps=gaps,
        problems=problems,
        skipped=result.skipped,
        notes=result.notes,
        stack=stack,
        frameworks=frameworks,
        checks=checks,
        hotspots=hotspots,
        reach=reach,
        compliance=compliance,
        graph_view=_graph_view(result, pg, depth, cycle_pk, compliance.violation_edges),
        plan=plan,
        package_diagram=package_flowchart(pg.nodes, edges, cycle_pk) if pg.number_of_nodes() <= 80 else "",
        er_diagram=er_diagram(result.models) if result.models else "",
        generated_at=generated_at,
        declarations_sources=_sources(result.declarations),
    )


def _sources(d: Declarations) -> tuple[str, ...]:
    return tuple(d.sources)


def _relations(models: tuple[OrmModel, ...]) -> tuple[Relation, ...]:
    out = []
    for m in models:
        if not m.table:
            continue
        for fk in m.foreign_keys:
            target = fk.references.rsplit(".", 1)[0] if "." in fk.references else fk.references
            out.append(Relation(m.table, fk.column, fk.references, target, fk.status, fk.line or m.line, m.file))
    return tuple(sorted(set(out), key=lambda r: (r.table, r.column, r.references, r.file, r.line, r.status, r.target_table)))


def _cycle_package_edges(result: ScanResult, depth: int) -> set[tuple[str, str]]:
    out = set()
    for c in result.cycles:
        if c.type_checking_only:
            continue
        for h in c.example:
            a, b = package_of(h.importer, depth), package_of(h.imported, depth)
            if a != b:
                out.add((a, b))
    return out


def _graph_view(result: ScanResult, pg: nx.DiGraph, depth: int, cycle_pk: set[tuple[str, str]], violation_edges: tuple[tuple[str, str], ...]) -> GraphView:
    g = result.graph
    violating = set(violation_edges)
    viol_pk = {(package_of(a, depth), package_of(b, depth)) for a, b in violating}
    # package graph (largest packages first when it is too big to read)
    nodes = sorted(pg.nodes)
    note = ""
    if len(nodes) > MAX_PACKAGE_NODES:
        keep = sorted(nodes, key=lambda n: (-(pg.in_degree(n) + pg.out_degree(n)), n))[:MAX_PACKAGE_NODES]
        note = f"showing the {MAX_PACKAGE_NODES} most connected of {len(nodes)} packages"
        nodes = sorted(keep)
    keep_set = set(nodes)
    pk_scc = {n for comp in nx.strongly_connected_components(pg) if len(comp) > 1 for n in comp}
    pkg_nodes = tuple(
        GNode(
            n,
            n,
            href=f"#{anchor('pkg', n)}",
            title=f"{n}: {pg.nodes[n].get('modules', 0)} modules, imported by {pg.in_degree(n)} packages, imports {pg.out_degree(n)}",
            fill=pastel(n.split(".")[min(1, len(n.split(".")) - 1)]),
            css="cycle" if n in pk_scc else "",
            sub=f"{pg.nodes[n].get('modules', 0)} module{'s' if pg.nodes[n].get('modules', 0) != 1 else ''}",
        )
        for n in nodes
    )
    pkg_edges = tuple(
        GEdge(
            a,
            b,
            str(d["weight"]),
            "violation" if (a, b) in viol_pk else ("cycle" if (a, b) in cycle_pk else ""),
            f"{a} imports {b} ({d['weight']} import statement{'s' if d['weight'] != 1 else ''})",
        )
        for a, b, d in sorted(pg.edges(data=True), key=lambda e: (e[0], e[1]))
        if a in keep_set and b in keep_set
    )
    # module graph, small projects only
    mod_nodes: tuple[GNode, ...] = ()
    mod_edges: tuple[GEdge, ...] = ()
    mod_cycle: tuple[tuple[str, str], ...] = ()
    mod_note = ""
    if 0 < g.number_of_nodes() <= MAX_MODULE_NODES:
        runtime_cycle = {(h.importer, h.imported) for c in result.cycles if not c.type_checking_only for h in c.example}
        members = {m for c in result.cycles if not c.type_checking_only for m in c.members}
        mod_nodes = tuple(
            GNode(n, n, href=f"#{anchor('mod', n)}", title=n, fill=pastel(package_of(n, depth)), css="cycle" if n in members else "")
            for n in sorted(g.nodes)
        )
        edges_out = []
        for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
            tc = all(s.type_checking for s in d["sites"])
            css = "violation" if (a, b) in violating else ("cycle" if (a, b) in runtime_cycle else ("tc" if tc else ""))
            first = d["sites"][0].location.short
            edges_out.append(GEdge(a, b, "", css, f"{a} imports {b} at {first}" + (" (TYPE_CHECKING only)" if tc else "")))
        mod_edges = tuple(edges_out)
        mod_cycle = tuple(sorted(runtime_cycle))
    elif g.number_of_nodes():
        mod_note = f"{g.number_of_nodes()} modules are too many to draw one by one; see the package graph"
    # ER
    tables: dict[str, OrmModel] = {}
    for m in result.models:
        if m.table and m.table_status not in ("none", "unresolved", "inherited") and m.table not in tables:
            tables[m.table] = m
    er_tables = []
    for name in sorted(tables):
        m = tables[name]
        fk_cols = {fk.column for fk in m.foreign_keys}
        cols = tuple(
            (c.name, re.sub(r"\(.*", "", c.type or "")[:18], ",".join(x for x, on in (("PK", c.primary_key), ("FK", c.name in fk_cols)) if on))
            for c in m.columns
        )
        er_tables.append(ErTable(name, cols, href=f"#{anchor('table', name)}", subtitle=m.class_name or name))
    rels = tuple(sorted({(r.table, r.target_table, r.column) for r in _relations(result.models) if r.target_table in tables}))
    return GraphView(pkg_nodes, pkg_edges, note, mod_nodes, mod_edges, mod_cycle, mod_note, tuple(er_tables), rels)
