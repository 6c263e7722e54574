"""What the rule checks read, and the per-rule-set context they share.

:class:`CheckInput` holds everything a check may read (graph, import sites,
symbols, metrics, routes, models, tasks, resolution helpers); build it from a
scan with :func:`input_from_scan` or by hand in tests.  :class:`Context` is one
rule set against one input: the name resolver, the import-graph view with the
rule set's options, shared modules and the modules of declared layers.
:func:`finding` makes a violation that cites the rule's file and line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

import networkx as nx

from ..facts import OrmModel, Route, Task
from ..model import ChainHop, Finding, ImportSite, Location, Origin
from .chains import ImportGraph
from .lexicon import SINK_WORDS as _SINKS
from .model import AllowOnly, Forbidden, Layers, Protected, Ref, Rule, RuleSet, Shared
from .render import names as render_names
from .roles import Resolution, Resolver

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
    migration_modules: frozenset[str] = frozenset()

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
        migration_modules=frozenset(m.name for m in result.modules if m.kind.value == "migration"),
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
        routes_mods = [module_of(r.handler, inp.modules) for r in inp.routes]
        self.resolver = Resolver(
            inp.modules,
            inp.packages,
            explicit=list(inp.roles) + list(rules.roles),
            route_modules=[m for m in routes_mods if m],
            model_modules=[m for m in (module_of(x.class_name, inp.modules) for x in inp.models if x.class_name) if m],
            task_modules=[m for m in (module_of(x.function, inp.modules) for x in inp.tasks) if m],
            externals={s.target for s in inp.imports if s.origin is not Origin.FIRST_PARTY} | {s.top_level for s in inp.imports if s.origin is not Origin.FIRST_PARTY},
            defines=self._defines,
        )
        self._graph: ImportGraph | None = None
        self._shared: set[str] | None = None
        self.unmatched: list[Unmatched] = []
        self._layer_members: set[str] | None = None
        self._sites: dict[str, list[ImportSite]] | None = None
        self._callees: dict[tuple[str, str, str], str] = {}

    def sites_of(self, module: str) -> Sequence[ImportSite]:
        """The import sites of ``module`` (grouped once for every rule of the set)."""
        if self._sites is None:
            by: dict[str, list[ImportSite]] = {}
            for s in self.inp.imports:
                by.setdefault(s.importer, []).append(s)
            self._sites = by
        return self._sites.get(module, ())

    def callee(self, module: str, written: str, scope: str) -> str:
        """The qualified name a call written ``written`` in ``module``/``scope`` resolves to, resolved once for all rules."""
        key = (module, written, scope)
        hit = self._callees.get(key)
        if hit is None:
            resolve = self.inp.resolve_name
            hit = written if resolve is None or written.startswith("?.") else resolve(module, written, scope)
            self._callees[key] = hit
        return hit

    def _defines(self, module: str, name: str) -> bool | None:
        """Does ``module`` bind ``name`` at module level (None when its symbols are unknown)?"""
        syms = self.inp.symbols.get(module)
        if syms is None:
            return None
        if syms.module_level(name):
            return True
        return any(b.name == name for b in syms.bindings if b.scope == "")

    @property
    def graph(self) -> ImportGraph:
        """The import graph with this rule set's options (built on first use)."""
        if self._graph is None:
            externals: set[str] = set()
            for r in self.rules.rules:
                for ref in _import_refs(r):
                    externals.update(self.resolver.resolve(ref).externals)
            self._graph = ImportGraph(
                self.inp.graph,
                type_checking=self.rules.type_checking,
                dynamic=self.rules.dynamic_imports,
                external_sites=self.inp.imports,
                externals=externals,
            )
        return self._graph

    @property
    def shared(self) -> set[str]:
        """Modules any rule of this set allows everyone to import."""
        if self._shared is None:
            out: set[str] = set()
            for r in self.rules.rules:
                if isinstance(r.spec, Shared):
                    out |= self.resolver.members(r.spec.modules)
            self._shared = out
        return self._shared

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


def module_of(dotted: str, modules: Mapping[str, str]) -> str:
    """Longest module prefix of a dotted name (``shop.api.users.read_me`` -> ``shop.api.users``)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in modules:
            return cand
    return ""


def ignored_edges(pairs: Iterable[tuple[str, str]], g: ImportGraph) -> set[tuple[str, str]]:
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


def chain_finding(ctx: Context, rule: Rule, chain: list[str], message: str) -> Finding:
    hops = ctx.graph.hops(chain)
    loc = hops[0].location if hops else Location(ctx.inp.path_of(chain[0]))
    via = len(chain) - 2
    if via > 0:
        message += f" (through {via} other module{'s' if via > 1 else ''})"
    return finding(rule, message, loc, f"{chain[0]} -> {chain[-1]}", hops)


def short(refs: Sequence[Ref]) -> str:
    return render_names(refs).replace("`", "")


