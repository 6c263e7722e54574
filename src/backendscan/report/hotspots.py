"""Hotspots: complex, hard to maintain or large code, ranked so that risky *central* code comes first.

Every score multiplies a size/complexity measure from radon by a centrality factor
``sqrt(1 + fan_in)``, where fan-in is the number of modules that import the
module (first-party graph).  A complex function in a module that 30 modules
import outranks an equally complex one in a leaf script.

* functions: cyclomatic complexity x centrality (complexity >= 5 only);
* least maintainable modules: (100 - maintainability index) x centrality;
* largest files: source lines (SLOC) x centrality;
* risky modules (combined): total complexity x (1 + (100 - MI) / 100) x centrality.

Tests and migrations are not hotspots (they are not in the graph by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import ScanResult

MIN_COMPLEXITY = 5


@dataclass(frozen=True)
class FunctionHotspot:
    """A complex function or method."""

    name: str  # module.qualname
    path: str
    line: int
    complexity: int
    rank: str  # radon A-F
    length: int
    fan_in: int
    score: float
    kind: str


@dataclass(frozen=True)
class ModuleHotspot:
    """A module with its size, complexity and maintainability."""

    module: str
    path: str
    sloc: int
    lloc: int
    total_complexity: int
    max_complexity: int
    mi: float
    mi_rank: str
    fan_in: int
    score: float


@dataclass(frozen=True)
class Hotspots:
    functions: tuple[FunctionHotspot, ...] = ()
    unmaintainable: tuple[ModuleHotspot, ...] = ()
    largest: tuple[ModuleHotspot, ...] = ()
    risky: tuple[ModuleHotspot, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.functions or self.unmaintainable or self.largest or self.risky)


def _centrality(fan_in: int) -> float:
    return float((1 + fan_in) ** 0.5)


def compute_hotspots(result: "ScanResult", limit: int = 12) -> Hotspots:
    """The hotspot tables of a scan (see the module docstring)."""
    g = result.graph
    by_path = {m.path: m.name for m in result.modules if m.path}
    functions: list[FunctionHotspot] = []
    modules: list[ModuleHotspot] = []
    for path, fm in result.metrics.items():
        module = by_path.get(path, "")
        if not module or module not in g:
            continue
        fan_in = g.in_degree(module)
        c = _centrality(fan_in)
        max_cc = 0
        for b in fm.blocks:
            if b.kind == "class":
                continue
            max_cc = max(max_cc, b.complexity)
            if b.complexity >= MIN_COMPLEXITY:
                functions.append(
                    FunctionHotspot(f"{module}.{b.name}", path, b.line, b.complexity, b.rank, b.length, fan_in, round(b.complexity * c, 2), b.kind)
                )
        modules.append(
            ModuleHotspot(module, path, fm.sloc, fm.lloc, fm.total_complexity, max_cc, fm.mi, fm.mi_rank, fan_in, 0.0)
        )
    functions.sort(key=lambda h: (-h.score, h.name))

    def ranked(score, keep=lambda m: True) -> tuple[ModuleHotspot, ...]:  # type: ignore[no-untyped-def]
        scored = [
            ModuleHotspot(m.module, m.path, m.sloc, m.lloc, m.total_complexity, m.max_complexity, m.mi, m.mi_rank, m.fan_in, round(score(m), 2))
            for m in modules
            if keep(m)
        ]
        scored.sort(key=lambda m: (-m.score, m.module))
        return tuple(scored[:limit])

    return Hotspots(
        functions=tuple(functions[:limit]),
        unmaintainable=ranked(lambda m: (100 - m.mi) * _centrality(m.fan_in), lambda m: m.lloc >= 20),
        largest=ranked(lambda m: m.sloc * _centrality(m.fan_in), lambda m: m.sloc > 0),
        risky=ranked(
            lambda m: m.total_complexity * (1 + (100 - m.mi) / 100) * _centrality(m.fan_in),
            lambda m: m.total_complexity >= 10,
        ),
    )
