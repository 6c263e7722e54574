"""Per-file work: parse once, walk once, keep everything later stages need.

:func:`extract` turns one file's bytes into a :class:`FileRecord` (raw imports,
symbol table, analyzer summaries, radon metrics, problems).  A record depends
only on the file's content, its module name and the tool/analyzer versions, so
it is cached by content hash and computed in worker processes.
"""

from __future__ import annotations

import hashlib
import pickle
import time
import traceback
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence

from .imports import ImportExtractor, RawImport
from .metrics import FileMetrics, measure
from .model import Finding, Location, Severity, SourceFile
from .parsing import parse_source
from .symbols import ModuleSymbols, SymbolExtractor
from .visiting import walk


@dataclass(frozen=True)
class FileRecord:
    """Everything extracted from one file."""

    path: str
    module: str
    is_package: bool
    digest: str
    parsed: bool
    via: str  # "ast", "libcst" or "" when not parsed
    lines: int
    imports: tuple[RawImport, ...] = ()
    symbols: ModuleSymbols | None = None
    summaries_blob: bytes = b""  # pickled {analyzer name: summary}, unpickled on first use
    metrics: FileMetrics | None = None
    problems: tuple[Finding, ...] = ()
    timings: tuple[float, float, float] = (0.0, 0.0, 0.0)  # CPU seconds: parse, walk, metrics

    @cached_property
    def summaries(self) -> dict[str, Any]:
        """Analyzer summaries of this file (analyzer name -> summary)."""
        return pickle.loads(self.summaries_blob) if self.summaries_blob else {}


def digest(data: bytes) -> str:
    """Content hash used as the cache key."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def extract(
    source: SourceFile,
    data: bytes,
    analyzers: Sequence[Any] = (),
    with_metrics: bool = True,
    key: str | None = None,
) -> FileRecord:
    """Parse and walk one file; every failure becomes a finding in ``problems``."""
    key = key or digest(data)
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
            timings=(time.process_time() - c0, 0.0, 0.0),
        )
    c1 = time.process_time()
    import_x = ImportExtractor(parsed)
    symbol_x = SymbolExtractor(parsed)
    visitors: list[Any] = [import_x, symbol_x]
    owners: list[tuple[str, Any]] = []
    for analyzer in analyzers:
        try:
            if analyzer.interested(parsed.module, parsed.text):
                v = analyzer.visitor(parsed)
                visitors.append(v)
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
        import_x, symbol_x = ImportExtractor(parsed), SymbolExtractor(parsed)
        owners = []
        try:
            walk(parsed.tree, [import_x, symbol_x])
        except Exception as exc2:  # pragma: no cover - core visitors are total
            problems.append(_crash(source.path, "import extraction failed", exc2))
    summaries: dict[str, Any] = {}
    for name, v in owners:
        try:
            summaries[name] = v.finish()
        except Exception as exc:
            problems.append(_crash(source.path, f"analyzer {name} failed", exc))
    c2 = time.process_time()
    metrics = None
    if with_metrics:
        metrics, notes = measure(source.path, parsed.text, parsed.tree)
        problems.extend(notes)
    return FileRecord(
        path=source.path,
        module=source.module,
        is_package=source.is_package,
        digest=key,
        parsed=True,
        via=parsed.via,
        lines=parsed.text.count("\n") + (0 if parsed.text.endswith("\n") or not parsed.text else 1),
        imports=import_x.finish(),
        symbols=symbol_x.finish(),
        summaries_blob=pickle.dumps(summaries, protocol=pickle.HIGHEST_PROTOCOL) if summaries else b"",
        metrics=metrics,
        problems=tuple(problems),
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
