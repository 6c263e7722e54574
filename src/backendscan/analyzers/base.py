"""The analyzer plugin protocol.

An analyzer works in two phases:

1. **Per file** (parallel, cached by content hash): ``interested(module, text)``
   is a cheap textual pre-check; for interested files ``visitor(parsed)``
   returns a :class:`~backendscan.visiting.FileVisitor` that the batched walk
   drives together with every other visitor; its ``finish()`` returns a
   picklable *summary* of what the file holds (registrations, classes, calls).
2. **Whole program**: ``resolve(project)`` reads every file's summary through
   ``project.summaries_of(name)`` and the shared :class:`~backendscan.project.Project`
   (names, classes, constants) and returns an :class:`AnalyzerOutput` with facts
   and findings.

Analyzers return values; they never print, read files or touch shared state.
A new analyzer needs one module, one entry-point line in ``pyproject.toml``
and one fixture project.  An optional ``provides = ("routes",)`` class attribute
(routes, models, tasks) lets ``backendscan routes|models|tasks`` run only the
analyzers that matter for the listing.  An optional ``kinds`` class attribute (a
frozenset of :class:`~backendscan.model.FileKind` values, e.g.
``frozenset({"source"})``) names the kinds of file whose summaries ``resolve`` reads;
the per-file walk does not run the visitor on other files (on saleor, tests and
migrations are three quarters of the files).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from ..facts import BeatEntry, OrmModel, Route, Task, TaskCall
from ..model import Finding
from ..parsing import ParsedModule
from ..project import Project
from ..visiting import FileVisitor


@dataclass(frozen=True)
class AnalyzerOutput:
    """What one analyzer found in the whole program."""

    routes: tuple[Route, ...] = ()
    models: tuple[OrmModel, ...] = ()
    tasks: tuple[Task, ...] = ()
    task_calls: tuple[TaskCall, ...] = ()
    beat: tuple[BeatEntry, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()  # (topic, text) shown in the report


@runtime_checkable
class Analyzer(Protocol):
    """A framework analyzer plugin (see the module docstring)."""

    name: ClassVar[str]
    version: ClassVar[str]

    def interested(self, module: str, text: str) -> bool: ...

    def visitor(self, parsed: ParsedModule) -> FileVisitor: ...

    def resolve(self, project: Project) -> AnalyzerOutput: ...


class SummaryVisitor(FileVisitor):
    """Convenience base: collects items into ``self.items`` and returns them as a tuple."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.items: list[Any] = []

    def finish(self) -> tuple[Any, ...]:
        return tuple(self.items)
