"""Per-file work: parse once, walk once, keep what later stages need.

A :class:`FileRecord` holds *parts*: ``imports`` (always), ``symbols`` (the
symbol table), ``metrics`` (radon) and one part per analyzer
(``a:<name>:<version>``).  :func:`extract` computes the parts a run wants that a
cached record lacks, parsing the file once, and merges them, so a graph-only
run does not pay for analyzers and a later full report reuses what it cached.
Records depend only on the file content, the module name and versions; they
are cached by content hash and computed in worker processes.
"""

from __future__ import annotations

import pickle
import time
import traceback
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Iterable, Sequence

from .cache import digest
from .imports import ImportExtractor, RawImport
from .metrics import FileMetrics, measure
from .model import FileKind, Finding, Location, Severity, SourceFile
from .parsing import parse_source
from .symbols import ModuleSymbols, SymbolExtractor
from .visiting import walk

IMPORTS = "imports"
SYMBOLS = "symbols:3"  # bump when ModuleSymbols/FunctionInfo change meaning, so cached tables are rebuilt
METRICS = "metrics"


def analyzer_part(analyzer: Any) -> str:
    share = shared_visitor(analyzer)
    return f"a:{analyzer.name}:{analyzer.version}" + (f":{share}" if share else "")


def shared_visitor(analyzer: Any) -> str | None:
    """The analyzer's optional ``shared_visitor`` key.

    Analyzers declaring the same key read the same files (equal ``kinds`` and
    ``interested``) and build equal visitors from them (the Celery, RQ and Dramatiq
    analyzers all collect :mod:`~backendscan.analyzers.tasksites`), so each file is
    asked about once per key, the walk runs that visitor once and each of them gets
    the same pickled summary.
    """
    key = getattr(analyzer, "shared_visitor", None)
    return key if isinstance(key, str) and key else None


def reads_kind(analyzer: Any, kind: FileKind) -> bool:
    """Whether ``analyzer`` reads summaries of files of this kind (its optional ``kinds``)."""
    kinds = getattr(analyzer, "kinds", None)
    return kinds is None or kind.value in kinds


@dataclass(frozen=True)
class FileRecord:
    """Everything extracted from one file (see the module docstring for parts)."""

    path: str
    module: str
    is_package: bool
    digest: str
    parsed: bool
    via: str  # "ast", "libcst" or "" when not parsed
    lines: int
    imports: tuple[RawImport, ...] = ()
    problems: tuple[Finding, ...] = ()  # parse problems and analyzer crashes
    parts: frozenset[str] = frozenset()
    symbols: ModuleSymbols | None = None
    summaries_blob: bytes = b""  # pickled {analyzer name: pickled summary}; see summary()
    metrics: FileMetrics | None = None
    metric_notes: tuple[Finding, ...] = ()
    timings: tuple[float, float, float] = (0.0, 0.0, 0.0)  # CPU seconds: parse, walk, metrics

    @cached_property
    def summary_blobs(self) -> dict[str, bytes]:
        """Analyzer name -> that analyzer's pickled summary of this file.

        Each summary is unpickled only when asked for (:meth:`summary`), so a run
        whose analyzer results come from the whole-program cache, or a report that
        reads one analyzer's summaries, does not pay for the others.
        """
        return pickle.loads(self.summaries_blob) if self.summaries_blob else {}

    def summary(self, analyzer: str) -> Any:
        """This file's summary from ``analyzer`` (None when it had none)."""
        cache = self.__dict__.setdefault("_summary_cache", {})
        if analyzer not in cache:
            blob = self.summary_blobs.get(analyzer)
            # analyzers sharing a visitor share one blob (pickle keeps the identity): unpickle it once
            loaded = self.__dict__.setdefault("_blob_cache", {})
            if blob and id(blob) not in loaded:
                loaded[id(blob)] = pickle.loads(blob)
            cache[analyzer] = loaded[id(blob)] if blob else None
        return cache[analyzer]

    @property
    def summaries(self) -> dict[str, Any]:
        """Every analyzer's summary of this file (unpickles them all)."""
        return {name: self.summary(name) for name in self.summary_blobs}

    def has(self, parts: Iterable[str]) -> bool:
        return not self.parsed and self.parts >= {IMPORTS} or self.parts >= set(parts)


def extract(
    source: SourceFile,
    data: bytes,
    analyzers: Sequence[Any] = (),
    with_metrics: bool = True,
    key: str | None = None,
    *,
    with_symbols: bool = True,
    previous: FileRecord | None = None,
) -> FileRecord:
    """Parse and walk one file, computing the wanted parts ``previous`` lacks.

    Every failure becomes a finding in ``problems``; nothing raises.
    """
    key = key or digest(data)
    want = {IMPORTS}
    if with_symbols:
        want.add(SYMBOLS)
    if with_metrics:
        want.add(METRICS)
    parts = [analyzer_part(a) for a in analyzers]
    want.update(parts)
    if previous is not None and previous.has(want):
        return previous
    have = previous.parts if previous is not None else frozenset()
    c0 = time.process_time()
    outcome = parse_source(source.path, source.module, source.is_package, data)
    problems: list[Finding] = list(outcome.problems)
    parsed = outcome.module
    if parsed is None:
        return FileRecord(
            source.path,
            source.module,
            source.is_package,
            key,
            False,
            "",
            data.count(b"\n"),
            problems=tuple(problems),
            parts=frozenset({IMPORTS}),
            timings=(time.process_time() - c0, 0.0, 0.0),
        )
    c1 = time.process_time()
    import_x = ImportExtractor(parsed)
    visitors: list[Any] = [import_x]
    calls = source.kind is not FileKind.TEST  # see SymbolExtractor: nothing reads a test module's call sites
    symbol_x = SymbolExtractor(parsed, calls) if SYMBOLS in want and SYMBOLS not in have else None
    if symbol_x is not None:
        visitors.append(symbol_x)
    owners: list[tuple[str, Any]] = []
    shared: dict[str, Any] = {}  # shared_visitor key -> the visitor built for it (None: not interested)
    new_parts = {IMPORTS}
    for analyzer, part in zip(analyzers, parts):
        if part in have:
            continue
        new_parts.add(part)
        try:
            share = shared_visitor(analyzer)
            if share is not None and share in shared:
                v = shared[share]
            elif reads_kind(analyzer, source.kind) and analyzer.interested(parsed.module, parsed.text):
                v = analyzer.visitor(parsed)
                visitors.append(v)
            else:
                v = None
            if share is not None:
                shared[share] = v
            if v is not None:
                owners.append((analyzer.name, v))
        except Exception as exc:
            problems.append(_crash(source.path, f"analyzer {analyzer.name} failed to start", exc))
    try:
        walk(parsed.tree, visitors)
    except RecursionError:
        problems.append(
            Finding("analysis-error", Severity.WARNING, "statements nested too deeply to analyse", Location(source.path))
        )
    except Exception as exc:
        # a failing analyzer must not lose the imports: retry with the core visitors only
        problems.append(_crash(source.path, "an analyzer failed on this file", exc))
        import_x = ImportExtractor(parsed)
        symbol_x = SymbolExtractor(parsed, calls) if symbol_x is not None else None
        owners = []
        try:
            walk(parsed.tree, [v for v in (import_x, symbol_x) if v is not None])
        except Exception as exc2:  # pragma: no cover - core visitors are total
            problems.append(_crash(source.path, "import extraction failed", exc2))
    summaries: dict[str, bytes] = dict(previous.summary_blobs) if previous is not None else {}
    finished: dict[int, bytes] = {}  # id(visitor) -> its pickled summary (a shared visitor finishes once)
    for name, v in owners:
        try:
            blob = finished.get(id(v))
            if blob is None:
                blob = finished[id(v)] = pickle.dumps(v.finish(), protocol=pickle.HIGHEST_PROTOCOL)
            summaries[name] = blob
        except Exception as exc:
            problems.append(_crash(source.path, f"analyzer {name} failed", exc))
    symbols = previous.symbols if previous is not None else None
    if symbol_x is not None:
        symbols = symbol_x.finish()
        new_parts.add(SYMBOLS)
    c2 = time.process_time()
    metrics = previous.metrics if previous is not None else None
    notes = previous.metric_notes if previous is not None else ()
    if METRICS in want and METRICS not in have:
        metrics, notes = measure(source.path, parsed.text, parsed.tree)
        new_parts.add(METRICS)
    base_problems = tuple(p for p in (previous.problems if previous is not None else ()) if p.rule_id == "analysis-error")
    return FileRecord(
        path=source.path,
        module=source.module,
        is_package=source.is_package,
        digest=key,
        parsed=True,
        via=parsed.via,
        lines=parsed.text.count("\n") + (0 if parsed.text.endswith("\n") or not parsed.text else 1),
        imports=import_x.finish(),
        problems=tuple(dict.fromkeys(base_problems + tuple(problems))),
        parts=frozenset(have | new_parts),
        symbols=symbols,
        summaries_blob=pickle.dumps(summaries, protocol=pickle.HIGHEST_PROTOCOL) if summaries else b"",
        metrics=metrics,
        metric_notes=tuple(notes),
        timings=(c1 - c0, c2 - c1, time.process_time() - c2),
    )


def _crash(path: str, what: str, exc: BaseException) -> Finding:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
    return Finding(
        rule_id="analysis-error",
        severity=Severity.WARNING,
        message=f"{what}: {exc.__class__.__name__}: {exc}{where}",
        location=Location(path),
        hint="This is a backendscan bug; the rest of the scan went on. Please report it.",
    )


__all__ = ["FileRecord", "extract", "digest", "analyzer_part", "IMPORTS", "SYMBOLS", "METRICS", "field", "replace"]
