"""What a built-in check is and what it sees.

A check is a function that takes a :class:`CheckContext` and yields findings,
registered with :func:`check` together with its id, severity, rationale and fix
hint.  Checks are the review comments a senior backend engineer would make; each
one can be switched off with ``[tool.backendscan] disable-checks = ["<id>"]`` (a
theme name such as ``"tasks"`` switches off the whole theme).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable

from ..model import ChainHop, Finding, Location, Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import ScanResult
    from ..project import Project
    from ..stack import Stack

CATEGORY = "checks"


@dataclass(frozen=True)
class CheckInfo:
    """The documentation of a check: shown in the report's check catalogue and in SARIF rules."""

    id: str
    severity: Severity
    theme: str  # api, orm, tasks, settings, structure, operations
    title: str
    rationale: str
    hint: str


CheckFunction = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A registered check."""

    info: CheckInfo
    run: CheckFunction


REGISTRY: dict[str, Check] = {}


def check(id: str, severity: Severity, theme: str, title: str, rationale: str, hint: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check ``id``."""

    def wrap(fn: CheckFunction) -> CheckFunction:
        if id in REGISTRY:  # pragma: no cover - programming error
            raise ValueError(f"check {id} registered twice")
        REGISTRY[id] = Check(CheckInfo(id, severity, theme, title, rationale, hint), fn)
        return fn

    return wrap


@dataclass
class CheckContext:
    """What a check sees: the scan result, the whole-program project, the stack; builds findings."""

    result: "ScanResult"
    info: CheckInfo | None = None

    @property
    def project(self) -> "Project":
        assert self.result.project is not None
        return self.result.project

    @property
    def stack(self) -> "Stack":
        return self.result.stack

    @cached_property
    def module_of_path(self) -> dict[str, str]:
        return {m.path: m.name for m in self.result.modules if m.path}

    def extra(self, key: str, default: int) -> int:
        """An integer threshold from ``[tool.backendscan]`` (``key``), else ``default``."""
        value = self.result.config.get_extra(key, default)
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    def finding(
        self,
        message: str,
        location: Location,
        *,
        symbol: str = "",
        severity: Severity | None = None,
        hint: str | None = None,
        chain: tuple[ChainHop, ...] = (),
        key: str = "",
    ) -> Finding:
        """A finding of the running check (its id, default severity and hint)."""
        assert self.info is not None
        return Finding(
            rule_id=self.info.id,
            severity=severity or self.info.severity,
            message=message,
            location=location,
            symbol=symbol,
            hint=self.info.hint if hint is None else hint,
            source="built-in",
            chain=chain,
            category=CATEGORY,
            fingerprint_key=key,
        )


def split_qualified(project: "Project", dotted: str) -> tuple[str, str]:
    """(module, qualname) of a dotted first-party name, ("", dotted) when no module matches."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in project.modules:
            return cand, ".".join(parts[i:])
    return "", dotted
