"""Rules + facts -> findings.

:func:`check` takes compiled rule sets and a :class:`CheckInput` (the module
graph, import sites, symbols, metrics, routes, models and tasks; built from a
scan by :func:`input_from_scan`, or by hand in tests from a NetworkX graph)
and returns every violation as a :class:`~backendscan.model.Finding` whose
``source`` is ``RULES.md:N`` and whose ``chain`` lists every import of an
indirect violation with its file and line.

Import rules follow import-linter:

* ``forbidden``: shortest chains, found again and again with the imports of
  the chains already found forbidden (grimp's search), from any module of a
  source package to any module of a forbidden one; ``direct`` lists direct
  imports only.  In a RULES.md that declares layers, chains through modules
  of *other* declared layers are left to the layer rules (import-linter's
  ``layers`` contract does the same); ``through_layers`` reports them too,
  and import-linter configurations always do.
* ``layers``: every (lower, higher) pair, siblings of independent layers,
  and with ``closed`` every pair that bypasses a layer, each searched with
  the other layers' modules excluded (grimp's
  ``find_illegal_dependencies_for_layers``).
* ``independence``: one independent layer of the listed modules.
* ``protected``: direct imports of the protected package by anyone else.
* ``acyclic``: strongly connected components (with a shortest example cycle
  and the imports whose removal breaks them), or import-linter's
  ``acyclic_siblings``.

``TYPE_CHECKING`` imports are left out unless the rule set counts them.  A
name that matches no module is reported as ``rule-matches-nothing`` and the
caller decides (warning, or error with ``--strict``).  Other rule kinds are
checked in :mod:`backendscan.rules.conventions`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import networkx as nx

from ..facts import OrmModel, Route, Task
from ..graph import feedback_edges, shortest_cycle
from ..model import ChainHop, Finding, ImportSite, Location, Origin, Severity, sorted_findings
from .chains import ImportGraph, cycle_breakers, direct_chains, shortest_chains
from .model import (
    Acyclic,
    AllowOnly,
    Forbidden,
    Independence,
    Layers,
    Protected,
    Ref,
    Rule,
    RuleSet,
    Shared,
)
from .render import names as render_names
from .roles import Resolution, Resolver, collapse

if TYPE_CHECKING:  # pragma: no cover
    from ..metrics import FileMetrics
    from ..pipeline import ScanResult
    from ..symbols import ModuleSymbols


@dataclass(frozen=True)
class CheckInput:
    """Everything the checks read; no I/O, no parsing."""

    graph: nx.DiGraph
    modules: Mapping[str, str]  # module -> path, every first-party module
    packages: frozenset[str] = frozenset()
    imports: tuple[ImportSite, ...] = ()
    routes: tuple[Route, ...] = ()
    models: tuple[OrmModel, ...] = ()
    tasks: tuple[Task, ...] = ()
    metrics: Mapping[str, "FileMetrics"] = field(default_factory=dict)
    symbols: Mapping[str, "ModuleSymbols"] = field(default_factory=dict)
    resolve_name: Callable[[str, str, str], str] | None = None
    class_methods: Callable[[str], Iterable[str]] | None = None
    mro: Callable[[str], Sequence[str]] | None = None
    assignment_value: Callable[[str], "tuple[str, ast.expr] | None"] | None = None
    long_lines: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    test_modules: frozenset[str] = frozenset()

    def path_of(self, module: str) -> str:
        return self.modules.get(module, "")


def input_from_scan(result: "ScanResult", long_lines: Mapping[str, tuple[tuple[int, int], ...]] | None = None) -> CheckInput:
    """Build the check input from a scan result."""
    project = result.project
    modules = {m.name: m.path for m in result.modules}
    packages = frozenset(m.name for m in result.modules if m.is_package)
    symbols = dict(project.symbols) if project is not None else {}

    def resolve_name(module: str, name: str, scope: str) -> str:
        if project is None:
            return name
        try:
            return project.resolve_name(module, name, scope)
        except Exception:  # resolution of odd names must not stop a check
            return name

    def class_methods(cls: str) -> Iterable[str]:
        if project is None:
            return ()
        try:
            return tuple(project.class_methods(cls))
        except Exception:
            return ()

    def mro(cls: str) -> Sequence[str]:
        if project is None:
            return ()
        try:
            return project.mro(cls)
        except Exception:
            return ()

    def assignment_value(qualified: str) -> "tuple[str, ast.expr] | None":
        if project is None:
            return None
        try:
            found = project.assignments_of(qualified)
        except Exception:
            return None
        mod, _ = project._module_prefix(qualified)
        for a in reversed(found):
            if a.value is not None:
                return mod, a.value
        return None

    from ..config import Config

    config: Config = result.config
    return CheckInput(
        graph=result.graph,
        modules=modules,
        packages=packages,
        imports=result.imports,
        routes=result.routes,
        models=result.models,
        tasks=result.tasks,
        metrics=result.metrics,
        symbols=symbols,
        resolve_name=resolve_name,
        class_methods=class_methods,
        mro=mro,
        assignment_value=assignment_value,
        long_lines=long_lines or {},
        roles=tuple((k, tuple(p.strip() for p in v.split(",") if p.strip())) for k, v in config.roles),
        test_modules=frozenset(m.name for m in result.modules if m.kind.value == "test"),
    )


@dataclass(frozen=True)
class Unmatched:
    """A name in a rule that matches nothing in the project."""

    rule: Rule
    ref: Ref
    what: str  # "sources", "layer", "scope", ...


@dataclass(frozen=True)
class CheckResult:
    """Findings plus what the names resolved to (for the report and ``rules explain``)."""

    findings: tuple[Finding, ...]
    unmatched: tuple[Unmatched, ...] = ()
    resolutions: tuple[Resolution, ...] = ()
    rules_checked: int = 0
    empty: tuple[tuple[Rule, str], ...] = ()  # convention rules whose entities do not exist (no routes...)


class Context:
    """One rule set being checked: resolver, graph view, shared modules, layer modules."""

    def __init__(self, rules: RuleSet, inp: CheckInput) -> None:
        self.rules = rules
        self.inp = inp
        routes_mods = [_module_of(r.handler, inp.modules) for r in inp.routes]
        self.resolver = Resolver(
            inp.modules,
            inp.packages,
            explicit=list(inp.roles) + list(rules.roles),
            route_modules=[m for m in routes_mods if m],
            model_modules=[m for m in (_module_of(x.class_name, inp.modules) for x in inp.models if x.class_name) if m],
            task_modules=[m for m in (_module_of(x.function, inp.modules) for x in inp.tasks) if m],
            externals={s.target for s in inp.imports if s.origin is not Origin.FIRST_PARTY} | {s.top_level for s in inp.imports if s.origin is not Origin.FIRST_PARTY},
            defines=self._defines,
        )
        externals: set[str] = set()
        for r in rules.rules:
            for ref in _import_refs(r):
                externals.update(self.resolver.resolve(ref).externals)
        self.graph = ImportGraph(
            inp.graph,
            type_checking=rules.type_checking,
            dynamic=rules.dynamic_imports,
            external_sites=inp.imports,
            externals=externals,
        )
        self.shared: set[str] = set()
        for r in rules.rules:
            if isinstance(r.spec, Shared):
                self.shared |= self.resolver.members(r.spec.modules)
        self.unmatched: list[Unmatched] = []
        self._layer_members: set[str] | None = None

    def _defines(self, module: str, name: str) -> bool | None:
        """Does ``module`` bind ``name`` at module level (None when its symbols are unknown)?"""
        syms = self.inp.symbols.get(module)
        if syms is None:
            return None
        if syms.module_level(name):
            return True
        return any(b.name == name for b in syms.bindings if b.scope == "")

    def layer_members(self) -> set[str]:
        """Modules of every layer declared in this rule set (for chains left to layer rules)."""
        if self._layer_members is None:
            out: set[str] = set()
            for r in self.rules.rules:
                if isinstance(r.spec, Layers) and r.spec.direction:
                    for level in self.levels(r, report=False):
                        for mods in level[0].values():
                            out |= mods
            self._layer_members = out
        return self._layer_members

    def members(self, refs: Iterable[Ref], rule: Rule | None = None, what: str = "", report: bool = True) -> set[str]:
        out: set[str] = set()
        for ref in refs:
            res = self.resolver.resolve(ref)
            if not res.found and report and rule is not None and not ref.optional:
                self.unmatched.append(Unmatched(rule, ref, what))
            for m in res.modules:
                out.update(n for n in self.resolver.descendants(m) if n in self.graph.succ)
            out.update(e for e in res.externals if e in self.graph.succ)
        return out

    def packages(self, refs: Iterable[Ref], rule: Rule | None = None, what: str = "", report: bool = True) -> list[tuple[str, set[str]]]:
        """Each resolved module (as a package) with the graph modules it covers."""
        out: list[tuple[str, set[str]]] = []
        for ref in refs:
            res = self.resolver.resolve(ref)
            if not res.found and report and rule is not None and not ref.optional:
                if what != "targets" or _looks_first_party(ref, self.resolver):
                    self.unmatched.append(Unmatched(rule, ref, what))
            for m in res.modules:
                covered = {n for n in self.resolver.descendants(m) if n in self.graph.succ}
                if covered:
                    out.append((m, covered))
            for e in res.externals:
                if e in self.graph.succ:
                    out.append((e, {e}))
        seen: dict[str, set[str]] = {}
        for name, mods in out:
            seen.setdefault(name, set()).update(mods)
        return sorted(seen.items())

    def levels(self, rule: Rule, report: bool = True) -> list[tuple[dict[str, set[str]], bool]]:
        """Layers of a Layers rule: per level, {layer module: covered modules} and independence."""
        spec = rule.spec
        assert isinstance(spec, Layers)
        containers = [m for ref in spec.containers for m in self.resolver.resolve(ref).modules] if spec.containers else [""]
        if spec.containers and report:
            for ref in spec.containers:
                if not self.resolver.resolve(ref).found:
                    self.unmatched.append(Unmatched(rule, ref, "container"))
        out: list[tuple[dict[str, set[str]], bool]] = []
        for i, layer in enumerate(spec.layers):
            level: dict[str, set[str]] = {}
            for ref in layer:
                for c in containers:
                    if c:
                        name = f"{c}.{ref.text}"
                        covered = {n for n in self.resolver.descendants(name) if n in self.graph.succ}
                        if covered:
                            level[name] = covered
                        elif report and not ref.optional:
                            self.unmatched.append(Unmatched(rule, Ref(name), "layer"))
                    else:
                        res = self.resolver.resolve(ref)
                        if not res.found:
                            if report and not ref.optional and ref.text.lower() not in _SINKS:
                                self.unmatched.append(Unmatched(rule, ref, "layer"))
                            continue
                        for m in res.modules:
                            covered = {n for n in self.resolver.descendants(m) if n in self.graph.succ}
                            if covered:
                                level[m] = covered
            out.append((level, spec.independent_at(i)))
        return out


from .lexicon import SINK_WORDS as _SINKS  # noqa: E402


def _looks_first_party(ref: Ref, resolver: Resolver) -> bool:
    from . import lexicon

    if ref.text.lower() in lexicon.ROLE_WORDS:
        return True
    top = ref.text.split(".")[0].split("/")[0]
    return any(n == top or n.startswith(top + ".") for n in resolver.names[:1] + [n for n in resolver.names if "." not in n])


def _import_refs(rule: Rule) -> list[Ref]:
    s = rule.spec
    if isinstance(s, Forbidden):
        return list(s.targets)
    if isinstance(s, AllowOnly):
        return list(s.allowed)
    if isinstance(s, Protected):
        return list(s.targets)
    return []


def _module_of(dotted: str, modules: Mapping[str, str]) -> str:
    """Longest module prefix of a dotted name (``shop.api.users.read_me`` -> ``shop.api.users``)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in modules:
            return cand
    return ""


def _ignored_edges(pairs: Iterable[tuple[str, str]], g: ImportGraph) -> set[tuple[str, str]]:
    """import-linter ignore_imports (``a.b -> c.d``, with ``*``/``**`` wildcards) as graph edges."""
    import re

    out: set[tuple[str, str]] = set()
    for a, b in pairs:
        if "*" not in a and "*" not in b:
            out.add((a, b))
            continue

        def rx(p: str) -> re.Pattern[str]:
            return re.compile("^" + ".".join("[^.]+" if x == "*" else (".+" if x == "**" else re.escape(x)) for x in p.split(".")) + "$")

        ra, rb = rx(a), rx(b)
        for x, y in g.edges():
            if ra.match(x) and rb.match(y):
                out.add((x, y))
    return out


# --------------------------------------------------------------------- findings
def finding(rule: Rule, message: str, location: Location, symbol: str, chain: Sequence[ChainHop] = (), hint: str = "") -> Finding:
    """A rule violation, citing the rule's file and line."""
    return Finding(
        rule_id=rule.id or rule.kind,
        severity=rule.severity,
        message=message,
        location=location,
        symbol=symbol,
        hint=hint or rule.because,
        source=rule.where,
        chain=tuple(chain),
        category="rules",
        fingerprint_key=symbol,
    )


def _chain_finding(ctx: Context, rule: Rule, chain: list[str], message: str) -> Finding:
    hops = ctx.graph.hops(chain)
    loc = hops[0].location if hops else Location(ctx.inp.path_of(chain[0]))
    via = len(chain) - 2
    if via > 0:
        message += f" (through {via} other module{'s' if via > 1 else ''})"
    return finding(rule, message, loc, f"{chain[0]} -> {chain[-1]}", hops)


def _short(refs: Sequence[Ref]) -> str:
    return render_names(refs).replace("`", "")


# --------------------------------------------------------------------- import rules
def check_forbidden(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Forbidden)
    out: list[Finding] = []
    sources = ctx.packages(spec.sources, rule, "sources")
    targets = ctx.packages(spec.targets, rule, "targets")
    exc = ctx.members(spec.exceptions, rule, "exceptions")
    ignored = _ignored_edges(spec.ignore_imports, ctx.graph)
    layer_mods = ctx.layer_members() if not spec.through_layers else set()
    for sname, smods in sources:
        for tname, tmods in targets:
            if smods & tmods or (spec.as_packages and (sname.startswith(tname + ".") or tname.startswith(sname + "."))):
                continue
            src = smods - exc
            tgt = tmods - exc
            if not src or not tgt:
                continue
            banned = set(ignored) | {(a, b) for a in smods & exc for b in ctx.graph.succ.get(a, ()) if b in tgt}
            if spec.direct:
                chains = direct_chains(ctx.graph, src, tgt, banned)
            else:
                excluded = (layer_mods - smods - tmods) if layer_mods else set()
                chains = shortest_chains(ctx.graph, src, tgt, excluded, banned)
            for chain in chains:
                msg = f"{chain[0]} imports {chain[-1]}; {_short(spec.sources)} must not import {_short(spec.targets)}"
                out.append(_chain_finding(ctx, rule, chain, msg))
    return out


def check_layers(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Layers)
    levels = ctx.levels(rule)
    all_members: set[str] = set()
    for level, _ in levels:
        for mods in level.values():
            all_members |= mods
    exempt = ctx.members(spec.exempt, rule, "exempt") | ctx.shared
    ignored = _ignored_edges(spec.ignore_imports, ctx.graph)
    # (importer layer, imported layer, why)
    pairs: list[tuple[str, set[str], str, set[str], str]] = []
    names = [sorted(level) for level, _ in levels]
    for i, (level, independent) in enumerate(levels):
        for mod, mods in sorted(level.items()):
            if spec.direction:
                for lower, _ in levels[i + 1 :]:
                    for lmod, lmods in sorted(lower.items()):
                        pairs.append((lmod, lmods, mod, mods, "up"))
                if independent:
                    for sib, smods in sorted(level.items()):
                        if sib != mod:
                            pairs.append((mod, mods, sib, smods, "sibling"))
            if spec.closed:
                for j in range(i - 2, -1, -1):
                    for hmod, hmods in sorted(levels[j][0].items()):
                        bypassed = " / ".join(n for k in range(j + 1, i) for n in names[k]) or "?"
                        pairs.append((hmod, hmods, mod, mods, "bypass:" + bypassed))
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for a, amods, b, bmods, why in pairs:
        if (a, b) in seen:
            continue
        seen.add((a, b))
        tgt = bmods - exempt if why.startswith("bypass") else bmods
        if not tgt:
            continue
        excluded = all_members - amods - bmods
        for chain in shortest_chains(ctx.graph, set(amods), set(tgt), excluded, ignored):
            if why == "up":
                msg = f"{chain[0]} (layer {a}) imports {chain[-1]} (layer {b}); a lower layer must not import a higher one"
            elif why == "sibling":
                msg = f"{chain[0]} (layer {a}) imports {chain[-1]} (sibling layer {b}); siblings of an independent layer must not import each other"
            else:
                msg = f"{chain[0]} (layer {a}) imports {chain[-1]} (layer {b}), bypassing layer {why.split(':', 1)[1]}"
            out.append(_chain_finding(ctx, rule, chain, msg))
    return out


def check_independence(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Independence)
    parts = ctx.packages(spec.modules, rule, "modules")
    ignored = _ignored_edges(spec.ignore_imports, ctx.graph)
    everything: set[str] = set()
    for _, mods in parts:
        everything |= mods
    out: list[Finding] = []
    for a, amods in parts:
        for b, bmods in parts:
            if a == b or amods & bmods:
                continue
            if spec.direct:
                chains = direct_chains(ctx.graph, amods, bmods, ignored)
            else:
                chains = shortest_chains(ctx.graph, set(amods), set(bmods), everything - amods - bmods, ignored)
            for chain in chains:
                out.append(_chain_finding(ctx, rule, chain, f"{chain[0]} imports {chain[-1]}; {a} and {b} must be independent"))
    return out


def check_protected(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Protected)
    allowed = ctx.members(spec.importers, rule, "importers")
    scope = ctx.members(spec.scope, rule, "scope") if spec.scope else None
    ignored = _ignored_edges(spec.ignore_imports, ctx.graph)
    out: list[Finding] = []
    for tname, protected in ctx.packages(spec.targets, rule, "targets"):
        for b in sorted(protected):
            for a in sorted(ctx.graph.pred.get(b, ())):
                if a in protected or a in allowed or (a, b) in ignored:
                    continue
                if scope is not None and a not in scope:
                    continue
                msg = f"{a} imports {b}; only {_short(spec.importers)} may import {_short(spec.targets)}"
                out.append(_chain_finding(ctx, rule, [a, b], msg))
    return out


def check_allow_only(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, AllowOnly)
    allowed = ctx.members(spec.allowed, rule, "allowed") | ctx.shared
    allowed_ext = {e for ref in spec.allowed for e in ctx.resolver.resolve(ref).externals}
    out: list[Finding] = []
    for sname, mods in ctx.packages(spec.sources, rule, "sources"):
        for a in sorted(mods):
            for b in sorted(ctx.graph.succ.get(a, ())):
                if b in mods or b in allowed or b not in ctx.resolver.paths:
                    continue
                # importing an ancestor package (``from app import x``) is importing the package itself
                if sname.startswith(b + ".") or sname == b:
                    continue
                what = "nothing first-party" if not spec.allowed else _short(spec.allowed)
                msg = f"{a} imports {b}; {sname} may import only {what}"
                out.append(_chain_finding(ctx, rule, [a, b], msg))
            if spec.externals:
                for s in ctx.inp.imports:
                    if s.importer != a or s.origin is not Origin.THIRD_PARTY:
                        continue
                    if any(s.target == e or s.target.startswith(e + ".") for e in allowed_ext):
                        continue
                    msg = f"{a} imports third-party {s.top_level}; {sname} may import only {_short(spec.allowed) or 'nothing'}"
                    out.append(finding(rule, msg, s.location, f"{a} -> {s.top_level}", (ChainHop(a, s.target, s.location, s.code),)))
    return out


def check_acyclic(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Acyclic)
    g = ctx.graph
    if spec.type_checking and not ctx.rules.type_checking:
        g = ImportGraph(ctx.inp.graph, type_checking=True, dynamic=ctx.rules.dynamic_imports)
    if spec.siblings:
        return _acyclic_siblings(ctx, rule, g)
    scope = ctx.members(spec.scope, rule, "scope") if spec.scope else set(n for n in g.nodes if n in ctx.resolver.paths)
    nxg: nx.DiGraph = nx.DiGraph()
    for a, b in g.edges():
        if a in scope and b in scope:
            nxg.add_edge(a, b, sites=g.sites(a, b) or (None,))
    out: list[Finding] = []
    comps = sorted((sorted(c) for c in nx.strongly_connected_components(nxg) if len(c) > 1), key=lambda c: (-len(c), c))
    for members in comps:
        path = shortest_cycle(nxg, members)
        hops = g.hops(path)
        cut = feedback_edges(nxg, members) if len(members) <= 2000 else []
        cut_text = "; ".join(f"{a} -> {b} ({g.hop(a, b).location.short})" for a, b in cut[:5])
        more = f" and {len(cut) - 5} more" if len(cut) > 5 else ""
        shown = ", ".join(members[:6]) + (f" and {len(members) - 6} more" if len(members) > 6 else "")
        msg = f"import cycle between {len(members)} modules: {shown}"
        hint = f"removing {len(cut)} import{'s' if len(cut) != 1 else ''} breaks it: {cut_text}{more}" if cut else ""
        loc = hops[0].location if hops else Location(ctx.inp.path_of(members[0]))
        out.append(finding(rule, msg, loc, "cycle:" + ",".join(members), hops, hint))
    return out


def _acyclic_siblings(ctx: Context, rule: Rule, g: ImportGraph) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Acyclic)
    skip = set(ctx.resolver.modules_of(spec.skip_descendants))
    ancestors = ctx.resolver.modules_of(spec.scope) if spec.scope else tuple(sorted({n.split(".")[0] for n in g.nodes if n in ctx.resolver.paths}))
    for ref in spec.scope:
        if not ctx.resolver.resolve(ref).found:
            ctx.unmatched.append(Unmatched(rule, ref, "ancestors"))
    out: list[Finding] = []
    depth = spec.depth if spec.depth else 10

    def visit(pkg: str, remaining: int) -> None:
        from .chains import children

        kids = children(g, pkg)
        if not kids:
            return
        if len(kids) >= 2:
            breakers = cycle_breakers(g, pkg)
            if breakers:
                level = pkg.count(".") + 2
                deps: dict[tuple[str, str], int] = {}
                for a, b in breakers:
                    key = (".".join(a.split(".")[:level]), ".".join(b.split(".")[:level]))
                    deps[key] = deps.get(key, 0) + 1
                listed = "; ".join(f".{a.split('.')[-1]} -> .{b.split('.')[-1]} ({n} import{'s' if n != 1 else ''})" for (a, b), n in sorted(deps.items()))
                hops = [g.hop(a, b) for a, b in breakers]
                msg = f"no cycles are allowed between the children of {pkg}; removing {len(deps)} dependenc{'ies' if len(deps) != 1 else 'y'} would make it acyclic: {listed}"
                loc = hops[0].location if hops else Location(ctx.inp.path_of(pkg))
                out.append(finding(rule, msg, loc, "siblings:" + pkg, hops))
        if remaining:
            for k in kids:
                if k not in skip:
                    visit(k, remaining - 1)

    for anc in ancestors:
        visit(anc, depth)
    return out


IMPORT_CHECKS: dict[str, Callable[[Context, Rule], list[Finding]]] = {
    "forbidden": check_forbidden,
    "layers": check_layers,
    "independence": check_independence,
    "protected": check_protected,
    "allow-only": check_allow_only,
    "acyclic": check_acyclic,
}


def check(rulesets: Sequence[RuleSet], inp: CheckInput) -> CheckResult:
    """Check every rule of every rule set; findings sorted, duplicates removed."""
    from .conventions import OTHER_CHECKS

    findings: list[Finding] = []
    unmatched: list[Unmatched] = []
    resolutions: dict[Ref, Resolution] = {}
    empty: list[tuple[Rule, str]] = []
    checked = 0
    for rs in rulesets:
        ctx = Context(rs, inp)
        for rule in rs.rules:
            fn = IMPORT_CHECKS.get(rule.kind) or OTHER_CHECKS.get(rule.kind)
            if fn is None:
                continue
            checked += 1
            try:
                found = fn(ctx, rule)
            except RecursionError:  # pragma: no cover - pathological graphs
                found = []
            if isinstance(found, tuple):  # conventions may report "no entities to check"
                found, note = found
                if note:
                    empty.append((rule, note))
            findings.extend(found)
        unmatched.extend(ctx.unmatched)
        for ref, res in ctx.resolver._cache.items():
            resolutions.setdefault(ref, res)
    uniq: dict[tuple[int, str, str], Unmatched] = {}
    for u in unmatched:
        uniq.setdefault((id(u.rule), u.ref.text, u.what), u)
    return CheckResult(
        findings=sorted_findings(findings),
        unmatched=tuple(sorted(uniq.values(), key=lambda u: (u.rule.line, u.ref.text))),
        resolutions=tuple(sorted(resolutions.values(), key=lambda r: r.ref.text)),
        rules_checked=checked,
        empty=tuple(empty),
    )


def unmatched_findings(result: CheckResult, strict: bool = False) -> tuple[Finding, ...]:
    """``rule-matches-nothing`` findings (errors with ``strict``, else warnings)."""
    out = []
    for u in result.unmatched:
        sev = Severity.ERROR if strict else Severity.WARNING
        out.append(
            Finding(
                "rule-matches-nothing",
                sev,
                f"{u.ref} ({u.what}) matches no module of the project, so this part of the rule checks nothing",
                Location(u.rule.source, u.rule.line),
                symbol=f"{u.rule.id}:{u.ref.text}",
                hint="Name the module as written in the code (`app.services`), a path (`app/services/`), or map the role in [tool.backendscan.roles].",
                source=u.rule.where,
                category="rules",
            )
        )
    for rule, note in result.empty:
        out.append(
            Finding(
                "rule-matches-nothing",
                Severity.WARNING,
                note,
                Location(rule.source, rule.line),
                symbol=f"{rule.id}:empty",
                source=rule.where,
                category="rules",
            )
        )
    return tuple(out)


def layered_members(resolver: Resolver, refs: Iterable[Ref]) -> tuple[str, ...]:
    return collapse(m for r in refs for m in resolver.resolve(r).modules)


_ = Any
