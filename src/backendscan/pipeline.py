"""discover -> read -> extract (parallel, cached) -> resolve imports -> graph -> analyzers.

:func:`scan` is the library entry point behind ``backendscan.scan``.  It never
prints and never exits; everything that went wrong with the input is a finding
in the result, and whatever was computed before a problem is kept.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from . import __version__
from .analyzers.base import Analyzer, AnalyzerOutput
from .cache import Blobs, Cache, cache_key, code_version, digest, join_record, split_record
from .config import Config, load_config, read_toml
from .dependencies import Declarations, dependency_findings, read_declarations
from .discovery import Discovery, discover, test_by_name_only
from .djangoconf import find_settings_modules
from .errors import ConfigError, UsageError
from .extraction import IMPORTS, METRICS, SYMBOLS, FileRecord, analyzer_part, extract
from .facts import BeatEntry, OrmModel, Route, Task, TaskCall
from .imports import resolve_imports
from .metrics import FileMetrics
from .model import (
    FileKind,
    Finding,
    ImportRoot,
    ImportSite,
    Location,
    Module,
    Origin,
    Severity,
    Skipped,
    SourceFile,
    sorted_findings,
)
from .preparation import Prepared, prepare
from .forking import NICE, Forked, Shared, can_fork, read_all
from .project import Project

if TYPE_CHECKING:
    import networkx as nx

    from .graph import Cycle
    from .stack import Stack
from .dependencies import distribution_for

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ScanStats:
    """Sizes and timings of a scan (seconds; CPU seconds for per-file work)."""

    files: int = 0
    parsed: int = 0
    from_cache: int = 0
    lines: int = 0
    bytes: int = 0
    stages: tuple[tuple[str, float], ...] = ()
    workers: int = 1


@dataclass(frozen=True)
class ScanResult:
    """Everything a scan found.  Collections are sorted; see each field."""

    root: Path
    name: str  # project name (pyproject) or folder name
    config: Config
    roots: tuple[ImportRoot, ...]
    package_mode: bool
    modules: tuple[Module, ...]  # by name
    imports: tuple[ImportSite, ...]  # by path, line, column
    graph: nx.DiGraph  # first-party graph of the included kinds
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    metrics: Mapping[str, FileMetrics]  # by path
    declarations: Declarations
    routes: tuple[Route, ...] = ()
    models: tuple[OrmModel, ...] = ()
    tasks: tuple[Task, ...] = ()
    task_calls: tuple[TaskCall, ...] = ()
    beat: tuple[BeatEntry, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    analyzers: tuple[str, ...] = ()
    aux_files: tuple[str, ...] = ()
    stats: ScanStats = field(default_factory=ScanStats)
    project: Project | None = field(default=None, compare=False, repr=False)

    @cached_property
    def cycles(self) -> tuple["Cycle", ...]:
        """Strongly connected components of the graph, each with a shortest example and a cut."""
        from .graph import cycles

        return cycles(self.graph)

    @cached_property
    def stack(self) -> "Stack":
        """What the project uses per concern, with evidence (:func:`backendscan.stack.detect_stack`)."""
        from .stack import detect_stack

        return detect_stack(self)

    def with_findings(self, findings: tuple[Finding, ...], stats: ScanStats) -> "ScanResult":
        """This result with other findings and stats; what is derived from the code, the
        graph and the facts (:attr:`cycles`, :attr:`stack`) is carried over, not recomputed."""
        new = replace(self, findings=findings, stats=stats)
        for name in _DERIVED:
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name]
        return new

    def module(self, name: str) -> Module | None:
        for m in self.modules:
            if m.name == name:
                return m
        return None

    @property
    def graph_kinds(self) -> tuple[str, ...]:
        kinds = ["source"]
        if self.config.include_tests:
            kinds.append("test")
        if self.config.include_migrations:
            kinds.append("migration")
        return tuple(kinds)


#: ScanResult's cached properties that read neither findings, stats nor the analyzers' facts
_DERIVED = ("cycles", "stack")
#: modules from which the derived properties are computed in a forked child during the analyzers,
#: and the analyzers are shared with a second child (smaller projects: the forks cost more than they save)
_FORK_DERIVED_AT = 500


def _derived(result: "ScanResult") -> tuple[object, ...]:
    """The :data:`_DERIVED` properties of ``result``, in that order."""
    return tuple(getattr(result, name) for name in _DERIVED)


def _measures(f: SourceFile, config: Config) -> bool:
    """Whether ``f`` gets radon metrics: the code the graph, hotspots and limits speak of.

    Tests and migrations are measured only when they are put in the graph
    (``--include-tests`` / ``--include-migrations``): on saleor they are three
    quarters of the files, and generated migrations and test bodies would only
    crowd the hotspot tables.  A file that is a test by its name alone is measured,
    as application code may import it and make it a source module.
    """
    if not config.metrics:
        return False
    if f.kind is FileKind.TEST:
        return config.include_tests or test_by_name_only(f.path)
    if f.kind is FileKind.MIGRATION:
        return config.include_migrations
    return True


# -------------------------------------------------------------------- workers
_WORKER_ANALYZERS: Sequence[Analyzer] = ()
_WORKER_CONFIG = Config()
_WORKER_FULL = True


def _init_worker(config: Config, full: bool, analyzers: Sequence[Analyzer]) -> None:
    global _WORKER_ANALYZERS, _WORKER_FULL, _WORKER_CONFIG
    _WORKER_ANALYZERS = tuple(analyzers) if full else ()
    _WORKER_CONFIG = config
    _WORKER_FULL = full


def _extract_file(
    f: SourceFile, data: bytes, analyzers: Sequence[Analyzer], config: Config, full: bool, previous: FileRecord | None
) -> FileRecord:
    """One file's record as a scan wants it (the worker, one-process and fallback loops all use this)."""
    return extract(f, data, analyzers, full and _measures(f, config), digest(data), with_symbols=full, previous=previous)


def _extract_batch(batch: list[tuple[SourceFile, bytes, str, FileRecord | None]]) -> list[tuple[str, Blobs]]:
    out = []
    for source, data, key, prev in paced_gc(batch):
        rec = _extract_file(source, data, _WORKER_ANALYZERS, _WORKER_CONFIG, _WORKER_FULL, prev)
        out.append((key, split_record(rec)))
    return out


_PER_FILE = 1024  # bytes: what one file costs besides its size (see _batches)


def _batches(items: list[Any], jobs: int, smallest: float = 0.015) -> list[list[Any]]:
    """``items`` (``(file, data, ...)``) in batches for ``jobs`` workers that take the next batch when free.

    Biggest files first, and each batch holds a ``1 / (2 * jobs)`` share of the work still
    left (at least ``smallest`` of all of it): the first batches are big, the last ones
    small, so the workers finish together and the parent has little left to read after
    the last one (guided self-scheduling).  A file's work is its size plus 1 KiB: parsing
    and visiting an ``__init__.py`` of a few bytes still costs something.  With equal
    batches, saleor's two workers ended 0.2-0.35 s apart, the parent then reading the
    last 540 records on its own.
    """
    items = sorted(items, key=lambda t: -len(t[1]))
    total = sum(len(t[1]) + _PER_FILE for t in items) or 1
    out: list[list[Any]] = []
    left = total
    i = 0
    while i < len(items):
        want = max(left / (2 * jobs), total * smallest)
        batch: list[Any] = []
        size = 0
        while i < len(items) and (not batch or size < want):
            batch.append(items[i])
            size += len(items[i][1]) + _PER_FILE
            i += 1
        left -= size
        out.append(batch)
    return out


def _jobs(config: Config) -> int:
    if config.jobs:
        return config.jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


# ----------------------------------------------------------------------- scan
def scan(
    path: str | os.PathLike[str],
    config: Config | None = None,
    *,
    progress: Progress | None = None,
    analyzers: Sequence[Analyzer] | None = None,
    scope: str = "full",
    prepared: Prepared | None = None,
    on_graph: Callable[[ScanResult], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> ScanResult:
    """Scan the codebase at ``path`` statically and return everything found.

    ``config`` defaults to ``[tool.backendscan]`` of ``path/pyproject.toml``; a
    broken pyproject becomes a finding and the scan goes on with defaults.
    ``scope="imports"`` builds only the import graph (no symbols, analyzers or
    metrics): what ``backendscan graph`` needs, at a fraction of the cost.
    ``on_graph`` is called once the import graph is built, before this process runs
    analyzers (on a large project their forked child has started), with a result that
    holds the name, roots, modules, imports and graph (its facts, findings and metrics
    are still empty): a caller can start work that needs only the graph (the report forks
    the ``rules infer`` draft there).  ``meanwhile`` is called once, while worker processes
    extract the files (this process only waits for them then),
    or after a one-process extraction: the report imports its own modules there.
    """
    with relaxed_gc():
        return _scan(
            path, config, progress=progress, analyzers=analyzers, scope=scope, prepared=prepared, on_graph=on_graph,
            meanwhile=meanwhile,
        )


@contextmanager
def relaxed_gc(gen0: int = 100_000) -> Iterator[None]:
    """Fewer cyclic-GC passes while a stage allocates hundreds of thousands of long-lived objects.

    A scan builds records, import sites, graph edges and report data that live until the
    end; CPython's default gen-0 threshold (700 allocations) makes the collector walk
    them again and again.  saleor's warm import scan: 0.58 -> 0.47 s (0.41 s with the
    collector off, which we do not do: cyclic garbage is still collected, just in
    bigger batches).  The previous thresholds come back afterwards.
    """
    global _FREEZABLE
    old = gc.get_threshold()
    if old[0] >= gen0 or not gc.isenabled():
        yield
        return
    gc.set_threshold(gen0, max(old[1], 20), max(old[2], 10))
    # nobody froze objects before: extraction may freeze its records (see paced_gc); undone on the way out
    freezable = gc.get_freeze_count() == 0
    _FREEZABLE += freezable
    try:
        yield
    finally:
        gc.set_threshold(*old)
        _FREEZABLE -= freezable
        if freezable and gc.get_freeze_count():
            gc.unfreeze()


#: how many :func:`relaxed_gc` blocks that may freeze objects are open (see :func:`paced_gc`)
_FREEZABLE = 0


#: net new container objects after which :func:`paced_gc` runs a young collection
GC_PACE = 2_000_000

_T = TypeVar("_T")


def paced_gc(items: Iterable[_T], pace: int = GC_PACE, *, freeze: bool = False) -> Iterator[_T]:
    """Yield ``items`` with the automatic cyclic collector paused: the per-file extraction loop.

    Parsing a file allocates a tree of tens of thousands of container objects, and the
    collector's automatic passes walk them (and every record kept so far) again and again,
    although the trees are freed by reference counting once a file is done: extraction
    makes no cyclic garbage (``tests/test_extraction.py`` checks it).  On saleor the
    automatic passes cost 8% of the extraction's CPU time, and a quarter while cycles still
    kept every tree alive until a pass found it.  A young collection
    still runs whenever the objects allocated and not freed since the last one pass
    ``pace``, so a plugin that does leave cycles behind costs memory in bounded steps.

    ``freeze`` (the scan's loops over the records it keeps): at the end, inside a
    :func:`relaxed_gc` block and when nothing was frozen before, the objects alive are
    frozen (``gc.freeze``) before the collector comes back, and the block unfreezes them
    when it ends.  The records live until then anyway; otherwise the collector walked the
    millions of objects just made at once (0.14 s on saleor) and again at every later
    pass of the report (0.25 s more).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        for item in items:
            yield item
            if gc.get_count()[0] > pace:
                gc.collect(0)
    finally:
        if freeze and _FREEZABLE and was:
            gc.freeze()
        if was:
            gc.enable()


def _scan(
    path: str | os.PathLike[str],
    config: Config | None,
    *,
    progress: Progress | None,
    analyzers: Sequence[Analyzer] | None,
    scope: str,
    prepared: Prepared | None,
    on_graph: Callable[[ScanResult], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> ScanResult:
    own = prepared is None
    if prepared is None:
        prepared = prepare(path, config, analyzers=analyzers, scope=scope)
    elif prepared.scope != scope:
        raise UsageError(f"prepared for scope {prepared.scope!r}, scanned with {scope!r}")
    st = prepared
    t0, disc, config, loaded = st.t0, st.disc, st.config, st.loaded
    findings: list[Finding] = list(st.findings)
    stages: list[tuple[str, float]] = list(st.stages)
    cache, sources, new_digests, aux_texts = st.cache, st.sources, st.new_digests, st.aux_texts
    version, project_key = st.version, st.project_key
    t2 = time.perf_counter()
    snapshot_key = f"{project_key}:snapshot:{scope}"
    if cache is not None and scope == "imports":
        hit = _load_snapshot(cache.get_result(snapshot_key))
        if hit is not None:
            stages.append(("snapshot", time.perf_counter() - t2))
            stages.append(("total", time.perf_counter() - t0))
            stats = replace(hit.stats, from_cache=len(sources), stages=tuple((n, round(x, 4)) for n, x in stages), workers=1)
            if own:
                prepared.close()
            return replace(hit, stats=stats)

    # extract (cache, then parallel workers for what is missing)
    full = scope == "full"
    want_parts = {IMPORTS} | ({SYMBOLS} | {analyzer_part(a) for a in loaded} if full else set())
    want_measured = want_parts | {METRICS} if full and config.metrics else want_parts
    columns = ("symbols", "summaries", "metrics") if full else ()
    keyed = [(f, data, cache_key(d, f.module, f.is_package, version, f.kind.value)) for f, data, d in sources]
    cached_outputs: dict[str, AnalyzerOutput] = {}
    if cache is not None and full:
        for a in loaded:
            got = cache.get_result(f"{project_key}:{a.name}")
            if isinstance(got, AnalyzerOutput):
                cached_outputs[a.name] = got

    records: dict[str, FileRecord] = cache.get_many((k for _, _, k in keyed), columns) if cache else {}
    wants = {key: want_measured if _measures(f, config) else want_parts for f, _, key in keyed}
    stale = [k for k, r in records.items() if not r.has(wants.get(k, want_measured))]
    previous = cache.get_many(stale) if cache and stale else {}
    misses: list[tuple[SourceFile, bytes, str]] = []
    for f, maybe_data, key in keyed:
        if key in records and key not in previous:
            continue
        if maybe_data is not None:
            data = maybe_data
        else:
            try:
                data = (disc.root / f.path).read_bytes()
            except OSError as exc:
                findings.append(Finding("read-error", Severity.ERROR, f"cannot read file: {exc.strerror or exc}", Location(f.path)))
                continue
        misses.append((f, data, key))
    from_cache = len(keyed) - len(misses)
    jobs = _jobs(config)
    fresh: dict[str, FileRecord] = {}
    owners = _module_owners(disc.files)
    resolver = _Resolver(disc, owners, aux_texts, findings)
    on_record = _record_hook(resolver, loaded if full else ())
    if progress:
        progress("parse", 0, len(misses))
    worker_analyzers = loaded if full else ()
    fresh_blobs: dict[str, Blobs] = {}
    if misses and jobs > 1 and len(misses) >= 48:
        pending = [meanwhile] if meanwhile is not None else []
        fresh.update(_extract_parallel(misses, previous, config, jobs, progress, worker_analyzers, full, fresh_blobs, pending, on_record))
        meanwhile = pending[0] if pending else None  # not called when the workers could not start
    else:
        for i, (f, data, key) in enumerate(paced_gc(misses, freeze=True)):
            fresh[key] = _extract_file(f, data, worker_analyzers, config, full, previous.get(key))
            if progress and i % 50 == 0:
                progress("parse", i, len(misses))
    if meanwhile is not None:
        meanwhile()
    if progress:
        progress("parse", len(misses), len(misses))
    records.update(fresh)
    if cache is not None:
        cache.put_many(fresh, fresh_blobs)
        cache.put_digests(new_digests)
    t3 = time.perf_counter()
    stages.append(("extract", t3 - t2))

    by_module: dict[str, FileRecord] = {}
    file_of: dict[str, SourceFile] = {}
    for f, _, key in keyed:
        rec = records.get(key)
        if rec is None:
            continue  # unreadable: reported above
        if owners[f.module].path == f.path:
            by_module[f.module] = rec
            file_of[f.module] = f
        findings.extend(_problems_for(rec.problems, f.kind))
        if full:
            findings.extend(rec.metric_notes)

    # modules (namespace packages included)
    modules: dict[str, Module] = {}
    for f in disc.files:
        rec = by_module.get(f.module)
        used = owners[f.module]
        if used.path != f.path:
            findings.append(
                Finding(
                    "duplicate-module",
                    Severity.WARNING,
                    f"module {f.module} is defined twice ({used.path} and {f.path}); {used.path} is used",
                    Location(f.path),
                    symbol=f.module,
                    hint="The one whose import root holds more of its top-level package wins, then the first path.",
                )
            )
            continue
        modules[f.module] = Module(
            name=f.module,
            path=f.path,
            is_package=f.is_package,
            kind=f.kind,
            root=f.root,
            lines=rec.lines if rec else 0,
            parsed=bool(rec and rec.parsed),
        )
    for ns in disc.namespace_packages:
        if ns not in modules:
            kind = _namespace_kind(ns, modules)
            modules[ns] = Module(ns, "", True, kind, "", namespace=True)

    # declared dependencies
    declarations, toml_findings = resolver.declarations()
    findings.extend(toml_findings)

    # resolve imports (most of them were resolved as the workers' records came in); the resolver's
    # module names are the keys of `modules`: every discovered module and namespace package
    tops = resolver.tops
    sites: list[ImportSite] = []
    for name in sorted(by_module):
        s, problems = resolver.resolve(file_of[name], by_module[name])
        sites.extend(s)
        findings.extend(problems)
    sites.sort(key=ImportSite.sort_key)
    # a file that is a test only by its name, but that application code imports, is application code
    imported_by_source = {
        s.target for s in sites if s.origin is Origin.FIRST_PARTY and modules[s.importer].kind is FileKind.SOURCE
    }
    for name in sorted(imported_by_source):
        mod = modules[name]
        if mod.kind is FileKind.TEST and test_by_name_only(mod.path):
            modules[name] = replace(mod, kind=FileKind.SOURCE)
            findings.append(
                Finding(
                    "test-name-imported",
                    Severity.INFO,
                    f"{mod.path} is named like a test but application code imports it; it is treated as application code",
                    Location(mod.path),
                    symbol=name,
                )
            )
    t4 = time.perf_counter()
    stages.append(("imports", t4 - t3))

    kinds = {FileKind.SOURCE}
    if config.include_tests:
        kinds.add(FileKind.TEST)
    if config.include_migrations:
        kinds.add(FileKind.MIGRATION)
    from .graph import build_graph

    graph = build_graph(modules, sites, lambda m: m.kind in kinds, config.exclude_type_checking)
    name = declarations.project_name or disc.prefix or disc.root.name
    module_tuple = tuple(modules[m] for m in sorted(modules))
    site_tuple = tuple(sites)

    def partial(project: Project | None = None) -> ScanResult:
        """The result as far as it is known before the analyzers: no facts, findings or metrics."""
        return ScanResult(
            root=disc.root, name=name, config=config, roots=disc.roots, package_mode=disc.package_mode,
            modules=module_tuple, imports=site_tuple, graph=graph, findings=(), skipped=disc.skipped,
            metrics={}, declarations=declarations, project=project,
        )

    # whole-program analyzers
    symbols = {m: r.symbols for m, r in by_module.items() if r.symbols is not None}
    summaries: dict[str, _LazySummaries] = {}
    for m, r in sorted(by_module.items()):
        for aname in r.summary_blobs:
            summaries.setdefault(aname, _LazySummaries(aname)).records[m] = r
    settings_texts = {p: t for p, t in aux_texts.items()}
    for f, _, _ in sources:
        if f.path.rsplit("/", 1)[-1] in ("manage.py", "wsgi.py", "asgi.py", "celery.py", "celeryconf.py", "celery_app.py"):
            try:
                settings_texts[f.path] = (disc.root / f.path).read_text("utf-8", errors="replace")
            except OSError:
                pass
    project = Project(
        root=disc.root,
        config=config,
        modules=modules,
        symbols=symbols,
        summaries=summaries,
        dependencies=declarations.dependencies,
        aux_files=aux_texts,
        django_settings_modules=find_settings_modules(settings_texts, modules, symbols),
    )
    large = full and len(modules) >= _FORK_DERIVED_AT
    # the analyzers are what everything after waits for: their child starts first, then this
    # process starts the side work (the caller's on_graph, the cycles, the dependency findings)
    # before it takes analyzers itself
    to_run = [a for a in loaded if a.name not in cached_outputs]
    running = _start_analyzers(to_run, project, split=large and jobs > 1)
    if on_graph is not None:
        on_graph(partial())
    t5 = time.perf_counter()
    stages.append(("graph", t5 - t4))
    # the import cycles and the stack read only what is known now: a forked child computes them
    # while the analyzers run (the checks and the report need both)
    derived = Forked(_derived, partial(project), nice=NICE) if large else None
    test_modules = frozenset(m for m, mod in modules.items() if mod.kind is FileKind.TEST)
    findings.extend(dependency_findings(sites, declarations, test_modules, tops))
    ran = _finish_analyzers(running, to_run, project, findings)
    outputs: list[AnalyzerOutput] = []
    fresh_results: dict[str, object] = {}
    resolve_times: list[tuple[str, float]] = []  # per analyzer that ran (not cached): "analyzer:<name>" stages
    for analyzer in loaded:
        if analyzer.name in cached_outputs:
            outputs.append(cached_outputs[analyzer.name])
            continue
        out, seconds = ran[analyzer.name]
        if out is not None:
            outputs.append(out)
            fresh_results[f"{project_key}:{analyzer.name}"] = out
        resolve_times.append((f"analyzer:{analyzer.name}", seconds))
    if cache is not None and fresh_results:
        cache.put_results(fresh_results)
    t6 = time.perf_counter()
    stages.append(("analyzers", t6 - t5))
    stages.extend(resolve_times)

    routes = tuple(sorted({r for o in outputs for r in o.routes}, key=Route.sort_key))
    models = tuple(sorted({m for o in outputs for m in o.models}, key=OrmModel.sort_key))
    tasks = tuple(sorted({t for o in outputs for t in o.tasks}, key=Task.sort_key))
    task_calls = tuple(sorted({c for o in outputs for c in o.task_calls}, key=lambda c: (c.file, c.line, c.task, c.method)))
    beat = tuple(sorted({b for o in outputs for b in o.beat}, key=lambda b: (b.entry, b.task, b.file, b.line)))
    for o in outputs:
        findings.extend(o.findings)
    notes = tuple(sorted({n for o in outputs for n in o.notes}))

    metrics = {r.path: r.metrics for r in by_module.values() if r.metrics is not None}
    total_lines = sum(r.lines for r in by_module.values())
    total_bytes = sum(f.size for f, _, _ in sources)
    stages.append(("total", time.perf_counter() - t0))
    stats = ScanStats(
        files=len(disc.files),
        parsed=sum(1 for r in by_module.values() if r.parsed),
        from_cache=from_cache,
        lines=total_lines,
        bytes=total_bytes,
        stages=tuple((n, round(s, 4)) for n, s in stages),
        workers=jobs if len(misses) >= 48 else 1,
    )
    result = ScanResult(
        root=disc.root,
        name=name,
        config=config,
        roots=disc.roots,
        package_mode=disc.package_mode,
        modules=module_tuple,
        imports=site_tuple,
        graph=graph,
        findings=sorted_findings(findings),
        skipped=disc.skipped,
        metrics=dict(sorted(metrics.items())),
        declarations=declarations,
        routes=routes,
        models=models,
        tasks=tasks,
        task_calls=task_calls,
        beat=beat,
        notes=notes,
        analyzers=tuple(a.name for a in loaded),
        aux_files=disc.aux_files,
        stats=stats,
        project=project,
    )
    if derived is not None:
        result.__dict__.update(zip(_DERIVED, derived.result()))
    if scope == "full":  # built-in best-practice checks (backendscan.checks)
        from .checks import with_checks

        checks_key = f"{project_key}:checks"
        cached_checks = cache.get_result(checks_key) if cache is not None else None
        before = set(result.findings)
        result = with_checks(result, cached=cached_checks if isinstance(cached_checks, tuple) else None)
        if cache is not None and not isinstance(cached_checks, tuple):
            cache.put_results({checks_key: tuple(f for f in result.findings if f not in before)})
    if cache is not None and scope == "imports":
        # the import graph of this project state, for the next run (rendered once, kept for the latest state)
        blob = _dump_snapshot(result)
        if blob is not None:
            cache.put_results({snapshot_key: blob}, replace_group="snapshot")
    if own:
        prepared.close()
    return result


def _start_analyzers(analyzers: Sequence[Analyzer], project: Project, *, split: bool) -> Shared[tuple[AnalyzerOutput, float]]:
    """The analyzers' resolve steps, shared out (:func:`_finish_analyzers` runs this process's share).

    ``split``: this process and one forked child take the analyzers one by one as each
    gets free (:class:`~backendscan.forking.Shared`).  Their costs differ by project:
    the Django models' migration replay on saleor (0.56 of 0.81 s), the Alembic fold on
    Polar (0.70 of 1.13 s); with a child, the rest run beside the most costly one.
    Outputs do not depend on where they were computed; an analyzer that fails in the
    child runs again here, so its finding is the one a plain run gives.
    """

    def timed(i: int) -> tuple[AnalyzerOutput, float]:
        t = time.perf_counter()
        out = analyzers[i].resolve(project)
        return out, time.perf_counter() - t

    return Shared(len(analyzers), timed, fork=split)


def _finish_analyzers(
    shared: Shared[tuple[AnalyzerOutput, float]], analyzers: Sequence[Analyzer], project: Project, findings: list[Finding]
) -> dict[str, tuple[AnalyzerOutput | None, float]]:
    """Each analyzer's output (None when it failed: ``findings`` gets why) and its seconds."""
    got: dict[int, tuple[AnalyzerOutput | None, float]] = {}
    for i in shared.mine():
        got[i] = _resolve_here(analyzers[i], project, findings)
    got.update(shared.theirs())
    for i in shared.left():
        got[i] = _resolve_here(analyzers[i], project, findings)
    return {analyzers[i].name: got[i] for i in range(len(analyzers))}


def _resolve_here(analyzer: Analyzer, project: Project, findings: list[Finding]) -> tuple[AnalyzerOutput | None, float]:
    ta = time.perf_counter()
    try:
        return analyzer.resolve(project), time.perf_counter() - ta
    except Exception as exc:
        log.debug("analyzer %s failed", analyzer.name, exc_info=True)
        import traceback

        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        findings.append(
            Finding(
                "analysis-error",
                Severity.WARNING,
                f"analyzer {analyzer.name} failed: {exc.__class__.__name__}: {exc}{where}",
                Location("."),
                hint="This is a backendscan bug; the rest of the scan went on.",
                category="plugins",
            )
        )
        return None, time.perf_counter() - ta


def _site(*args: Any) -> ImportSite:
    return ImportSite(*args)


def _location(*args: Any) -> Location:
    return Location(*args)


def _module(*args: Any) -> Module:
    return Module(*args)


_COMPACT = {ImportSite: _site, Location: _location, Module: _module}


def _dump_snapshot(result: ScanResult) -> bytes | None:
    """A whole import-scope result as bytes: import sites, locations and modules as their field
    tuples (rebuilt by their constructors, several times faster to load than the slotted
    dataclasses' ``__setstate__``); None when something does not pickle."""
    import io
    import pickle
    from dataclasses import fields

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            make = _COMPACT.get(type(obj))
            if make is None:
                return NotImplemented
            return make, tuple(getattr(obj, f.name) for f in fields(obj))

    buf = io.BytesIO()
    try:
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(replace(result, stats=replace(result.stats, stages=())))
    except Exception as exc:  # a plugin's fact that does not pickle: no snapshot, nothing else changes
        log.debug("no scan snapshot: %s", exc)
        return None
    return buf.getvalue()


def _load_snapshot(blob: object) -> ScanResult | None:
    import pickle

    if not isinstance(blob, bytes):
        return None
    try:
        got = pickle.loads(blob)
    except Exception:  # stale or unreadable: recompute
        return None
    return got if isinstance(got, ScanResult) else None


class _LazySummaries(Mapping[str, Any]):
    """module -> one analyzer's summary, unpickled when first read."""

    def __init__(self, analyzer: str) -> None:
        self.analyzer = analyzer
        self.records: dict[str, FileRecord] = {}

    def __getitem__(self, module: str) -> Any:
        return self.records[module].summary(self.analyzer)

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


#: symbol-table parts an analyzer may ask to have loaded early (``prefetch``)
_DETAIL_PARTS = frozenset({"assignments", "functions", "calls", "bare_excepts"})


def _record_hook(resolver: "_Resolver", analyzers: Sequence[Analyzer]) -> Callable[[FileRecord], None]:
    """What the parent does with each record while the workers still extract: resolve its imports
    and load the symbol-table parts analyzers ``prefetch`` for files of its kind they summarised.

    An analyzer's optional ``prefetch`` maps a file kind to the parts of the symbol table its
    ``resolve`` reads from those files (django_models: every Django migration's assignments,
    0.3 s of unpickling on saleor that came after the extraction).
    """
    wanted: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for a in analyzers:
        spec = getattr(a, "prefetch", None)
        if not isinstance(spec, Mapping):
            continue
        for kind, parts in spec.items():
            parts = tuple(p for p in parts if p in _DETAIL_PARTS)
            if parts:
                wanted.setdefault(str(kind), []).append((a.name, parts))

    def hook(rec: FileRecord) -> None:
        resolver.early(rec)
        if not wanted or rec.symbols is None:
            return
        f = resolver.file_at(rec.path)
        try:
            for name, parts in wanted.get(f.kind.value, ()) if f is not None else ():
                if name in rec.summary_blobs:
                    for part in parts:
                        getattr(rec.symbols, part)
        except Exception:  # only a head start: whoever reads the part later meets the problem and reports it
            log.debug("prefetch failed for %s", rec.path, exc_info=True)

    return hook


class _Resolver:
    """Import resolution for one scan, ready before the extraction ends.

    Resolving a module's imports needs only the names of all modules (known from
    discovery), the project's declared dependencies (its pyproject and lock files) and
    the module's raw imports.  The parallel extraction hands each owner file's record
    to :meth:`early` as it arrives, while this process otherwise only waits for the
    workers; :meth:`resolve` returns that result, or resolves then.
    """

    def __init__(self, disc: Discovery, owners: Mapping[str, SourceFile], aux_texts: Mapping[str, str], findings: list[Finding]) -> None:
        self.disc = disc
        self.owners = owners
        self.aux_texts = aux_texts
        self.findings_before = findings  # the scan's findings so far: a broken pyproject is reported once
        self.names = frozenset(f.module for f in disc.files) | frozenset(disc.namespace_packages)
        self.tops = frozenset(m.split(".", 1)[0] for m in self.names)
        self._declared: tuple[Declarations, list[Finding]] | None = None
        self._dist: dict[str, str] = {}
        self._done: dict[str, tuple[FileRecord, tuple[list[ImportSite], list[Finding]]]] = {}
        self._by_path = {f.path: f for f in disc.files}

    def declarations(self) -> tuple[Declarations, list[Finding]]:
        """The declared dependencies, and the findings about pyproject files that do not parse."""
        if self._declared is None:
            disc, found = self.disc, []
            toml_data: dict[str, Any] = {}
            for p in self.aux_texts:
                if p.rsplit("/", 1)[-1] in ("pyproject.toml", "Pipfile", "poetry.lock", "uv.lock", "pdm.lock"):
                    try:
                        toml_data[p] = read_toml(disc.root / p)
                    except ConfigError as exc:
                        if p.rsplit("/", 1)[-1] == "pyproject.toml" and not any(
                            f.rule_id == "config-error" and f.location.path == p for f in self.findings_before
                        ):
                            found.append(
                                Finding("config-error", Severity.ERROR, str(exc).replace(str(disc.root) + "/", ""), Location(p), category="config")
                            )
            self._declared = (read_declarations(self.aux_texts, toml_data, disc.project_dirs), found)
        return self._declared

    def _distribution(self) -> Mapping[str, str]:
        declared_names = [d.name for d in self.declarations()[0].dependencies]
        memo = self._dist

        class _Dist(dict):  # type: ignore[type-arg]
            def get(self, key: str, default: str = "") -> str:  # type: ignore[override]
                if key not in memo:
                    memo[key] = distribution_for(key, declared_names)
                return memo[key] or default

        return _Dist()

    def file_at(self, path: str) -> SourceFile | None:
        return self._by_path.get(path)

    def early(self, rec: FileRecord) -> None:
        """Resolve ``rec``'s imports now when its file is the one its module is taken from."""
        f = self._by_path.get(rec.path)
        if f is not None and self.owners[f.module].path == f.path:
            self.resolve(f, rec)

    def resolve(self, f: SourceFile, rec: FileRecord) -> tuple[list[ImportSite], list[Finding]]:
        got = self._done.get(f.module)
        if got is None or got[0] is not rec:
            got = (rec, resolve_imports(f.module, f.is_package, f.path, rec.imports, self.names, self.tops, self._distribution()))
            self._done[f.module] = got
        return got[1]


def _namespace_kind(ns: str, modules: Mapping[str, Module]) -> FileKind:
    kinds = {m.kind for name, m in modules.items() if name.startswith(ns + ".")}
    if kinds and kinds <= {FileKind.TEST}:
        return FileKind.TEST
    if kinds and kinds <= {FileKind.MIGRATION}:
        return FileKind.MIGRATION
    return FileKind.SOURCE


def _module_owners(files: Sequence[SourceFile]) -> dict[str, SourceFile]:
    """The file each module name is taken from when several files define it.

    A monorepo can hold two projects with the same top-level package (Polar's
    ``server/polar`` and its SDK ``sdk/python/polar``; every project's ``tests``). The
    file whose import root holds more modules of that top-level package wins, so
    ``server/polar/__init__.py`` stays with the 1 700 ``polar.*`` modules next to it;
    on a tie the first path (discovery order) wins.
    """
    weight: dict[tuple[str, str], int] = {}
    for f in files:
        k = (f.root, f.module.split(".", 1)[0])
        weight[k] = weight.get(k, 0) + 1
    owners: dict[str, SourceFile] = {}
    for f in files:
        cur = owners.get(f.module)
        top = f.module.split(".", 1)[0]
        if cur is None or weight[(f.root, top)] > weight[(cur.root, top)]:
            owners[f.module] = f
    return owners


_UNREADABLE = frozenset({"parse-error", "decode-error"})


def _problems_for(problems: tuple[Finding, ...], kind: FileKind) -> tuple[Finding, ...]:
    """A file's problems, with unreadable test files as warnings, not errors.

    Test suites keep deliberately broken files as data (nautobot's
    ``extras/tests/git_data/02-invalid-files/jobs/syntaxerror.py``); the report's
    verdict should not say the application has errors because of them.
    """
    if kind is not FileKind.TEST:
        return problems
    return tuple(
        replace(p, severity=Severity.WARNING, hint=(p.hint + " " if p.hint else "") + "It is a test file; tests may keep broken files as data.")
        if p.rule_id in _UNREADABLE and p.severity is Severity.ERROR
        else p
        for p in problems
    )


def _extract_parallel(
    misses: list[tuple[SourceFile, bytes, str]],
    previous: Mapping[str, FileRecord],
    config: Config,
    jobs: int,
    progress: Progress | None,
    analyzers: Sequence[Analyzer],
    full: bool,
    blobs: dict[str, Blobs],
    meanwhile: list[Callable[[], None]] | None = None,
    on_record: Callable[[FileRecord], None] | None = None,
) -> dict[str, FileRecord]:
    """Records of ``misses`` from worker processes; ``blobs`` gets them as the cache stores them.

    The functions in ``meanwhile`` are taken out and called while the workers run;
    ``on_record`` is called with each record as it comes in."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor  # only when files are parsed: not at import time

    ctx: Any
    try:
        ctx = mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = mp.get_context("spawn")
    # several batches per worker so progress moves and stragglers balance out
    batches = _batches([(f, d, k, previous.get(k)) for f, d, k in misses], jobs)
    out: dict[str, FileRecord] = {}
    done = 0
    global _INHERITED, _RETURNED
    try:
        if ctx.get_start_method() == "fork" and can_fork():
            # forked workers find the batches in their copy of this process; each batch's records
            # come back through a memfd of its own (see _extract_inherited)
            _INHERITED, _RETURNED = batches, [os.memfd_create(f"backendscan-batch-{i}", os.MFD_CLOEXEC) for i in range(len(batches))]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(config, full, analyzers)) as pool:
            if _RETURNED:
                results: Iterable[list[tuple[str, Blobs]]] = (
                    _records_from(_RETURNED[i]) for i, _ in enumerate(pool.map(_extract_inherited, range(len(batches))))
                )
            else:
                results = pool.map(_extract_batch, batches)
            _import_the_rest()
            while meanwhile:
                meanwhile.pop()()
            for result in paced_gc(results, freeze=True):
                for key, parts in result:
                    rec = out[key] = join_record(parts)
                    blobs[key] = parts
                    if on_record is not None:
                        on_record(rec)
                done += len(result)
                if progress:
                    progress("parse", done, len(misses))
    except (OSError, RuntimeError, pickle.UnpicklingError, EOFError) as exc:  # no processes available: fall back to one process
        log.warning("parallel extraction unavailable (%s); using one process", exc)
        for f, data, key in paced_gc(misses):
            if key not in out:
                out[key] = _extract_file(f, data, analyzers, config, full, previous.get(key))
    finally:
        for fd in _RETURNED:
            os.close(fd)
        _INHERITED, _RETURNED = [], []
    return out


def _import_the_rest() -> None:
    """Import what the scan needs after extraction (networkx: 0.13 s), while the workers run.

    The workers are forked without it (they do not need it), and the parent would
    otherwise import it after the last record, on the scan's critical path.
    """
    from . import graph  # noqa: F401 - imports networkx


#: the batches of a forked pool (workers read them from their copy of the parent), and the
#: memfd each batch's records come back through; set only while such a pool runs
_INHERITED: list[list[tuple[SourceFile, bytes, str, FileRecord | None]]] = []
_RETURNED: list[int] = []


def _extract_inherited(i: int) -> int:
    """A forked worker's task: extract inherited batch ``i`` and write its records, pickled,
    into memfd ``i``; returns their size.

    Through the pool's pipes, the 28 MiB of source went to the workers and the 56 MiB
    of records came back 64 KiB at a time, each worker waiting on the parent between its
    batches (25-35 ms a batch on saleor); a fork inherits the first, and memory takes
    the second.
    """
    payload = pickle.dumps(_extract_batch(_INHERITED[i]), protocol=pickle.HIGHEST_PROTOCOL)
    fd = _RETURNED[i]
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]
    return len(payload)


def _records_from(fd: int) -> list[tuple[str, Blobs]]:
    got: list[tuple[str, Blobs]] = pickle.loads(read_all(fd))
    return got
