"""Code metrics with radon's definitions, computed on the tree we already parsed.

Per file: cyclomatic complexity of every function, method and class and the
maintainability index (Halstead volume, total complexity, logical lines and
comment share, exactly as ``radon mi`` computes it with multi-line strings
counted as comments), and raw line counts.  radon's formulas and ranks
(``mi_compute``, ``mi_rank``, ``cc_rank``) are used as they are; its visitors are
reproduced in one pass each, with the same numbers: ``complexity`` (radon's
``ComplexityVisitor`` and ``h_visit_ast``, about 10x faster) and ``rawmetrics``
(``radon.raw``, without its quadratic re-tokenizing).  Both are tested equal to
radon on every fixture file and on random programs, and checked on real projects
in ``benchmarks/``.  radon is imported lazily: it reads configuration files when
its CLI module loads, and nothing should happen at our import time.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .model import Finding, Location, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .complexity import Block

#: files larger than this get no metrics (radon's cost grows faster than linearly)
METRICS_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class BlockMetric:
    """Complexity of one function, method or class."""

    name: str  # qualified within the module, e.g. "Service.charge"
    kind: str  # "function", "method", "class"
    line: int
    end_line: int
    complexity: int
    rank: str  # radon's A-F

    @property
    def length(self) -> int:
        return self.end_line - self.line + 1


@dataclass(frozen=True)
class FileMetrics:
    """radon metrics of one file."""

    loc: int
    lloc: int
    sloc: int
    comments: int
    multi: int
    blank: int
    mi: float
    mi_rank: str
    total_complexity: int
    blocks: tuple[BlockMetric, ...]


def measure(path: str, text: str, tree: ast.Module) -> tuple[FileMetrics | None, tuple[Finding, ...]]:
    """radon metrics of a parsed file, or None with a finding saying why not."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > METRICS_MAX_BYTES:
        return None, (
            Finding(
                rule_id="metrics-skipped",
                severity=Severity.INFO,
                message=f"no metrics for a {size / 1_000_000:.1f} MB file (limit {METRICS_MAX_BYTES // 1_000_000} MB); imports and facts were still extracted",
                location=Location(path),
            ),
        )
    try:
        from radon.complexity import cc_rank
        from radon.metrics import mi_compute, mi_rank

        from .complexity import tree_metrics
        from .rawmetrics import raw_counts

        visitor = tree_metrics(tree)
        raw = raw_counts(text)
        comments = (raw.comments + raw.multi) / float(raw.sloc) * 100 if raw.sloc else 0
        mi = mi_compute(visitor.halstead_volume, visitor.total_complexity, raw.lloc, comments)
    except (RecursionError, MemoryError):
        return None, (
            Finding("metrics-skipped", Severity.INFO, "no metrics: code nested too deeply for radon", Location(path)),
        )
    except Exception as exc:  # radon's tokenizer can reject odd but valid files
        return None, (
            Finding("metrics-skipped", Severity.INFO, f"no metrics: radon failed ({exc.__class__.__name__}: {exc})", Location(path)),
        )
    blocks: list[BlockMetric] = []
    for block in visitor.functions:
        _collect(block, "", blocks, cc_rank)
    for cls in visitor.classes:
        blocks.append(BlockMetric(cls.name, "class", cls.line, cls.end_line, cls.complexity, cc_rank(cls.complexity)))
        for meth in cls.methods:
            _collect(meth, cls.name + ".", blocks, cc_rank)
        for inner in cls.inner_classes:
            blocks.append(
                BlockMetric(f"{cls.name}.{inner.name}", "class", inner.line, inner.end_line, inner.complexity, cc_rank(inner.complexity))
            )
    blocks.sort(key=lambda b: (b.line, b.name))
    return (
        FileMetrics(
            loc=raw.loc,
            lloc=raw.lloc,
            sloc=raw.sloc,
            comments=raw.comments,
            multi=raw.multi,
            blank=raw.blank,
            mi=round(mi, 2),
            mi_rank=mi_rank(mi),
            total_complexity=visitor.total_complexity,
            blocks=tuple(blocks),
        ),
        (),
    )


def _collect(block: "Block", prefix: str, out: list[BlockMetric], cc_rank: Callable[[int], str]) -> None:
    name = prefix + block.name
    out.append(BlockMetric(name, block.kind, block.line, block.end_line, block.complexity, cc_rank(block.complexity)))
    for inner in block.closures:
        _collect(inner, name + ".", out, cc_rank)
