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

from typing import Callable, Iterable, Sequence

import networkx as nx

from ..graph import feedback_edges, shortest_cycle
from ..model import ChainHop, Finding, Location, Origin, Severity, sorted_findings
from .chains import ImportGraph, cycle_breakers, direct_chains, reached, shortest_chains
from .conventions import OTHER_CHECKS
from .inputs import (  # noqa: F401  (CheckInput and input_from_scan are part of this module's API)
    CheckInput,
    CheckResult,
    Context,
    Unmatched,
    chain_finding,
    ignored_edges,
    short,
    finding,
    input_from_scan,
)
from .model import Acyclic, AllowOnly, Forbidden, Independence, Layers, Protected, Ref, Rule, RuleSet
from .roles import Resolution, Resolver, collapse

# --------------------------------------------------------------------- import rules
def check_forbidden(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Forbidden)
    out: list[Finding] = []
    sources = ctx.packages(spec.sources, rule, "sources")
    targets = ctx.packages(spec.targets, rule, "targets")
    exc = ctx.members(spec.exceptions, rule, "exceptions")
    ignored = ignored_edges(spec.ignore_imports, ctx.graph)
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
                msg = f"{chain[0]} imports {chain[-1]}; {short(spec.sources)} must not import {short(spec.targets)}"
                out.append(chain_finding(ctx, rule, chain, msg))
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
    ignored = ignored_edges(spec.ignore_imports, ctx.graph)
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
            out.append(chain_finding(ctx, rule, chain, msg))
    return out


def check_independence(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Independence)
    parts = ctx.packages(spec.modules, rule, "modules")
    ignored = ignored_edges(spec.ignore_imports, ctx.graph)
    everything: set[str] = set()
    for _, mods in parts:
        everything |= mods
    out: list[Finding] = []
    for a, amods in parts:
        # one search says which other members any chain from a can end in; only those pairs
        # are searched for their chains (on a group that holds, no pair is)
        ends = None if spec.direct else reached(ctx.graph, set(amods), everything - amods, ignored)
        for b, bmods in parts:
            if a == b or amods & bmods:
                continue
            if spec.direct:
                chains = direct_chains(ctx.graph, amods, bmods, ignored)
            elif ends is not None and not ends & bmods:
                continue
            else:
                chains = shortest_chains(ctx.graph, set(amods), set(bmods), everything - amods - bmods, ignored)
            for chain in chains:
                out.append(chain_finding(ctx, rule, chain, f"{chain[0]} imports {chain[-1]}; {a} and {b} must be independent"))
    return out


def check_protected(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Protected)
    allowed = ctx.members(spec.importers, rule, "importers")
    scope = ctx.members(spec.scope, rule, "scope") if spec.scope else None
    ignored = ignored_edges(spec.ignore_imports, ctx.graph)
    out: list[Finding] = []
    for tname, protected in ctx.packages(spec.targets, rule, "targets"):
        for b in sorted(protected):
            for a in sorted(ctx.graph.pred.get(b, ())):
                if a in protected or a in allowed or (a, b) in ignored:
                    continue
                if scope is not None and a not in scope:
                    continue
                who = f"only {short(spec.importers)} may" if spec.importers else "no module may"
                msg = f"{a} imports {b}; {who} import {short(spec.targets)}"
                out.append(chain_finding(ctx, rule, [a, b], msg))
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
                what = "nothing first-party" if not spec.allowed else short(spec.allowed)
                msg = f"{a} imports {b}; {sname} may import only {what}"
                out.append(chain_finding(ctx, rule, [a, b], msg))
            if spec.externals:
                for s in ctx.inp.imports:
                    if s.importer != a or s.origin is not Origin.THIRD_PARTY:
                        continue
                    if any(s.target == e or s.target.startswith(e + ".") for e in allowed_ext):
                        continue
                    msg = f"{a} imports third-party {s.top_level}; {sname} may import only {short(spec.allowed) or 'nothing'}"
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


