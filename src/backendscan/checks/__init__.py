"""Built-in best-practice checks: the review comments a senior backend engineer would make.

Each check lives in a themed module (``api``, ``orm``, ``tasks``, ``configuration``,
``structure``, ``operations``) and registers itself with an id, severity,
rationale and fix hint (:mod:`backendscan.checks.base`).  :func:`run_checks` runs
every enabled check over a finished scan and returns findings with category
``"checks"``; ``[tool.backendscan] disable-checks`` takes check ids or theme
names.  A check that crashes becomes an ``analysis-error`` finding.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import TYPE_CHECKING

from ..model import Finding, Location, Severity, sorted_findings
from .base import REGISTRY, CheckContext, CheckInfo

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import ScanResult

log = logging.getLogger(__name__)

_THEMES = ("api", "orm", "tasks", "configuration", "structure", "operations")


def _load() -> None:
    import importlib

    for theme in _THEMES:
        importlib.import_module(f".{theme}", __name__)


def catalogue() -> tuple[CheckInfo, ...]:
    """Every built-in check, sorted by theme and id."""
    _load()
    return tuple(sorted((c.info for c in REGISTRY.values()), key=lambda i: (i.theme, i.id)))


def enabled(disabled: tuple[str, ...] | list[str]) -> tuple[CheckInfo, ...]:
    """The checks not switched off by id or theme."""
    off = set(disabled)
    return tuple(i for i in catalogue() if i.id not in off and i.theme not in off)


def run_checks(result: "ScanResult") -> tuple[Finding, ...]:
    """Findings of every enabled check on ``result`` (unsorted; the pipeline sorts)."""
    if result.project is None:
        return ()
    ctx = CheckContext(result)
    out: list[Finding] = []
    for info in enabled(result.config.disable_checks):
        ctx.info = info
        try:
            out.extend(REGISTRY[info.id].run(ctx))
        except Exception as exc:
            log.debug("check %s failed", info.id, exc_info=True)
            out.append(
                Finding(
                    "analysis-error",
                    Severity.WARNING,
                    f"built-in check {info.id} failed: {exc.__class__.__name__}: {exc}",
                    Location("."),
                    hint="This is a backendscan bug; the other checks ran.",
                    category="plugins",
                )
            )
    return tuple(out)


def with_checks(result: "ScanResult", cached: "tuple[Finding, ...] | None" = None) -> "ScanResult":
    """``result`` with the built-in checks' findings added and a ``checks`` stage timed.

    ``cached`` are the findings of an earlier run on the same project state (the
    pipeline keys them by every file's content, the configuration and the code).
    """
    t0 = time.perf_counter()
    found = tuple(cached) if cached is not None else run_checks(result)
    elapsed = time.perf_counter() - t0
    stages = [(n, s) for n, s in result.stats.stages if n != "total"]
    total = dict(result.stats.stages).get("total", 0.0)
    stages += [("checks", round(elapsed, 4)), ("total", round(total + elapsed, 4))]
    stats = dataclasses.replace(result.stats, stages=tuple(stages))
    return result.with_findings(sorted_findings(result.findings + found), stats)
