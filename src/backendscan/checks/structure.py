"""Structure checks: import cycles and god modules (very high fan-in and complexity)."""

from __future__ import annotations

from typing import Iterator

from ..model import Finding, Location, Severity
from .base import CheckContext, check

#: defaults; override with [tool.backendscan] god-module-fan-in / god-module-complexity
GOD_FAN_IN = 15
GOD_COMPLEXITY = 60


@check(
    "import-cycle",
    Severity.WARNING,
    "structure",
    "Import cycle",
    "Modules in a cycle cannot be understood, tested or reused apart; import order starts to matter "
    "(partially initialised modules, ImportError at start-up) and the layering erodes.",
    "Cut the listed imports: move the shared code to a lower module, invert the dependency "
    "(pass a callable or an interface), or import lazily inside the function as a last resort.",
)
def import_cycle(ctx: CheckContext) -> Iterator[Finding]:
    for c in ctx.result.cycles:
        if not c.example:
            continue
        first = c.example[0]
        path = " -> ".join([h.importer for h in c.example] + [c.example[-1].imported])
        cut = "; ".join(f"{h.importer} -> {h.imported} ({h.location.short})" for h in c.cut[:5])
        more = f" and {len(c.cut) - 5} more" if len(c.cut) > 5 else ""
        tc = " It exists only through TYPE_CHECKING imports, so it is harmless at run time." if c.type_checking_only else ""
        yield ctx.finding(
            f"import cycle between {len(c.members)} modules: {path}",
            first.location,
            symbol=first.importer,
            severity=Severity.INFO if c.type_checking_only else None,
            hint=(f"Cut {len(c.cut)} import{'s' if len(c.cut) != 1 else ''}: {cut}{more}." if cut else ctx.info.hint if ctx.info else "") + tc,
            chain=c.example,
            key="|".join(c.members[:50]),
        )


@check(
    "god-module",
    Severity.WARNING,
    "structure",
    "God module",
    "A module that most of the code imports and that is also very complex is where changes are both "
    "likely and risky: every edit can break many importers, and its tests rarely cover all paths.",
    "Split it by responsibility (keep a thin facade that re-exports for compatibility) and move "
    "rarely used helpers closer to their only callers.",
)
def god_module(ctx: CheckContext) -> Iterator[Finding]:
    g = ctx.result.graph
    fan_in_min = ctx.extra("god-module-fan-in", GOD_FAN_IN)
    cc_min = ctx.extra("god-module-complexity", GOD_COMPLEXITY)
    for m in ctx.result.modules:
        if not m.path or m.name not in g:
            continue
        fm = ctx.result.metrics.get(m.path)
        if fm is None:
            continue
        fan_in = g.in_degree(m.name)
        if fan_in >= fan_in_min and fm.total_complexity >= cc_min:
            yield ctx.finding(
                f"{m.name} is imported by {fan_in} modules and has total cyclomatic complexity "
                f"{fm.total_complexity} in {fm.lloc} logical lines (maintainability index {fm.mi:.0f})",
                Location(m.path),
                symbol=m.name,
                key=m.name,
            )
