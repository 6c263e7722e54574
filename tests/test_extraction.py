"""Per-file extraction: no cyclic garbage, file kinds per analyzer, the paced collector."""

from __future__ import annotations

import gc
import os
import time
import weakref
from pathlib import Path

import pytest

from backendscan.analyzers.registry import load_analyzers
from backendscan.cache import cache_key
from backendscan.extraction import analyzer_part, extract
from backendscan.model import FileKind, SourceFile
from backendscan.pipeline import paced_gc
from tests.conftest import FIXTURES

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
ANALYZERS = load_analyzers()[0]

#: the paths through extraction that once left cycles behind: the walk's recursive
#: closure (every file), the dynamic-import visitor, a syntax error kept for libcst
EXTRA = {
    "dynamic.py": "import importlib\nmod = importlib.import_module('app.plugins')\n",
    "newer.py": "def first[T](items: list[T]) -> T:\n    return items[0]\n",
    "broken.py": "def f(:\n    pass\n",
}


def _fixture_files() -> list[tuple[str, bytes]]:
    files = sorted(p for p in PROJECTS.rglob("*.py") if ".backendscan_cache" not in p.parts)
    return [(str(p.relative_to(PROJECTS)), p.read_bytes()) for p in files] + [
        (name, text.encode()) for name, text in EXTRA.items()
    ]


def _source(path: str, kind: FileKind = FileKind.SOURCE) -> SourceFile:
    module = path.removesuffix(".py").replace("/", ".")
    return SourceFile(path, module, ".", False, kind)


def test_extraction_leaves_no_cyclic_garbage():
    # paced_gc pauses the collector on this promise: every tree is freed by reference counting
    leaky: dict[str, int] = {}
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for path, data in _fixture_files():
            extract(_source(path), data, ANALYZERS, True)
            found = gc.collect()
            if found:
                leaky[path] = found
    finally:
        if was:
            gc.enable()
    assert leaky == {}


def test_extraction_visits_a_test_file_only_with_analyzers_that_read_tests():
    text = (
        b"from fastapi import APIRouter\nfrom celery import shared_task\n\n"
        b"router = APIRouter()\n\n@router.get('/x')\ndef x():\n    return 1\n\n"
        b"@shared_task\ndef job():\n    pass\n\ndef test_x(client):\n    client.get('/x')\n"
    )
    by_name = {a.name: a for a in ANALYZERS}
    wanted = [by_name[n] for n in ("fastapi", "celery", "evidence")]
    source = extract(_source("app/views.py"), text, wanted, False)
    test = extract(_source("tests/test_views.py", FileKind.TEST), text, wanted, False)
    assert sorted(source.summary_blobs) == ["celery", "fastapi"]
    assert sorted(test.summary_blobs) == ["evidence"]
    # the skipped analyzers count as done, so a warm run does not parse the file again
    assert test.has({analyzer_part(a) for a in wanted})
    assert test.imports == source.imports


def test_record_keys_differ_by_file_kind():
    # which analyzers read a file depends on its kind, so a record is never shared across kinds
    assert cache_key("d", "m", False, "v", "test") != cache_key("d", "m", False, "v", "source")


def test_paced_gc_pauses_the_collector_and_still_frees_cycles_in_steps():
    class Node:
        def __init__(self) -> None:
            self.me = self
            self.payload = [[] for _ in range(500)]

    refs: list[weakref.ref[Node]] = []
    alive_at_step: list[int] = []
    was = gc.isenabled()
    gc.enable()
    try:
        for _ in paced_gc(range(40), pace=2_000):
            assert not gc.isenabled()
            refs.append(weakref.ref(Node()))
            alive_at_step.append(sum(r() is not None for r in refs))
        assert gc.isenabled()
    finally:
        if not was:
            gc.disable()
    # cyclic garbage piles up only to the pace (about 4 nodes of 500 lists), never 40
    assert max(alive_at_step) <= 6
    assert alive_at_step[-1] < 40


@pytest.mark.parametrize("name", ["fastapi", "flask", "flask_appbuilder", "celery", "rq", "dramatiq"])
def test_analyzers_that_skip_tests_read_only_source_summaries(name):
    # the declaration must match what resolve reads: these resolvers drop test modules
    kinds = getattr({a.name: a for a in ANALYZERS}[name], "kinds")
    assert "test" not in kinds and "source" in kinds


def test_a_test_module_keeps_its_symbols_but_not_its_call_sites_or_locals():
    # nothing reads a test module's call sites (checks, RULES.md bans and stack evidence look at
    # application code), nor its functions' locals (models and urlpatterns in tests live at module
    # and class level); together they were most of the walk over saleor's tests and 31 MB pickled
    text = (
        b"import requests\n\nBASE = '/api'\nif (flag := 1):\n    pass\n\n"
        b"def test_get(client):\n    requests.get('/x')\n    if (n := 2):\n        print(n)\n    url = BASE + '/y'\n"
        b"    for i in range(3):\n        total: int = i\n\n"
        b"    class Local:\n        label = 'x'\n\n"
        b"class TestThing:\n    endpoint = '/things'\n\n    def test_a(self):\n        self.x = 1\n"
    )
    source = extract(_source("app/util.py"), text, (), False)
    test = extract(_source("tests/test_util.py", FileKind.TEST), text, (), False)
    assert [(c.callee, c.line) for c in source.symbols.calls] == [("requests.get", 8), ("print", 10), ("range", 12)]
    assert test.symbols.calls == ()
    assert [(b.name, b.target) for b in test.symbols.bindings] == [("requests", "requests")]
    assert [f.qualname for f in test.symbols.functions] == ["test_get", "TestThing.test_a"]
    assert [c.qualname for c in test.symbols.classes] == ["test_get.<locals>.Local", "TestThing"]
    everything = [
        ("BASE", 3, "", "="), ("flag", 4, "", "walrus"), ("n", 9, "test_get", "walrus"), ("url", 11, "test_get", "="),
        ("i", 12, "test_get", "for"), ("total", 13, "test_get", "="), ("label", 16, "test_get.<locals>.Local", "="),
        ("endpoint", 19, "TestThing", "="), ("self.x", 22, "TestThing.test_a", "="),
    ]
    assert sorted((a.target, a.line, a.scope, a.op) for a in source.symbols.assignments) == sorted(everything)
    assert sorted((a.target, a.line, a.scope, a.op) for a in test.symbols.assignments) == sorted(
        t for t in everything if t[2] in ("", "test_get.<locals>.Local", "TestThing")
    )


def test_task_analyzers_share_one_visitor_and_one_summary():
    # Celery, RQ and Dramatiq all collect task sites: the walk runs that visitor once per file
    text = b"from celery import shared_task\n\n@shared_task(max_retries=3)\ndef job():\n    pass\n\njob.delay()\n"
    by_name = {a.name: a for a in ANALYZERS}
    trio = [by_name[n] for n in ("celery", "rq", "dramatiq")]
    record = extract(_source("app/tasks.py"), text, trio, False)
    blobs = record.summary_blobs
    assert sorted(blobs) == ["celery", "dramatiq", "rq"]
    assert blobs["celery"] is blobs["rq"] is blobs["dramatiq"]  # pickled once, stored once
    alone = extract(_source("app/tasks.py"), text, [by_name["celery"]], False)
    assert alone.summary_blobs["celery"] == blobs["celery"]
    summary = record.summary("rq")
    assert summary is record.summary("celery")  # unpickled once as well
    assert [(c.callee, c.line) for c in summary.calls] == [("job.delay", 7)]
    assert summary.decorated == (("job", ("shared_task",)),)


class _Counting:
    built = 0
    asked = 0

    def __init__(self, name: str, share: str | None, interested: bool = True) -> None:
        self.name, self.version, self.shared_visitor, self.wants = name, "1", share, interested

    def interested(self, module: str, text: str) -> bool:
        _Counting.asked += 1
        return self.wants

    def visitor(self, parsed):  # noqa: ANN001
        _Counting.built += 1

        class V:
            def finish(self) -> str:
                return "summary"

        return V()


def test_only_analyzers_declaring_the_same_key_share_a_visitor():
    _Counting.built = _Counting.asked = 0
    record = extract(_source("app/x.py"), b"x = 1\n", [_Counting("a", "k"), _Counting("b", "k"), _Counting("c", None)], False)
    assert _Counting.built == 2
    assert _Counting.asked == 2  # the key's second analyzer is not asked again
    assert {n: record.summary(n) for n in ("a", "b", "c")} == {"a": "summary", "b": "summary", "c": "summary"}
    # the key is part of the cache part, so changing the shared visitor rebuilds cached summaries
    assert analyzer_part(_Counting("a", "k")) == "a:a:1:k" and analyzer_part(_Counting("c", None)) == "a:c:1"


def test_a_key_whose_first_analyzer_declines_builds_nothing_for_the_others():
    _Counting.built = _Counting.asked = 0
    record = extract(_source("app/x.py"), b"x = 1\n", [_Counting("a", "k", False), _Counting("b", "k")], False)
    assert (_Counting.built, _Counting.asked) == (0, 1)
    assert record.summary_blobs == {}
    assert record.has({"a:a:1:k", "a:b:1:k"})  # both count as done, so a warm run does not parse again


def test_a_scan_freezes_its_records_only_inside_its_own_gc_block():
    from backendscan import Config, scan
    from backendscan.pipeline import paced_gc, relaxed_gc

    seen: list[int] = []
    with relaxed_gc():
        list(paced_gc(range(3), freeze=True))
        seen.append(gc.get_freeze_count())
    assert seen[0] > 0 and gc.get_freeze_count() == 0  # frozen inside the block, unfrozen after it
    assert gc.isenabled()
    scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    assert gc.get_freeze_count() == 0
    # a host that froze its own objects keeps them frozen, and the scan freezes nothing of its own
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
        assert 0 < gc.get_freeze_count() <= before, (gc.get_freeze_count(), before)
    finally:
        gc.unfreeze()
    # with the collector switched off by the host, nothing is frozen and it stays off
    gc.disable()
    try:
        with relaxed_gc():
            list(paced_gc(range(3), freeze=True))
            assert gc.get_freeze_count() == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def _many_files_project(root: Path) -> Path:
    from backendscan.testing import write_files

    files: dict[str, str | bytes] = {"app/__init__.py": "", "app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
    for i in range(60):
        files[f"app/routes/r{i}.py"] = (
            f"from app.main import app\nfrom app.routes import r{(i + 1) % 60}\n\n"
            f"@app.get('/items/{i}')\ndef item_{i}():\n    return {{'n': {i}}}\n"
        )
    files["app/routes/__init__.py"] = ""
    # a namespace package, imported from and imported under its own name (resolution needs every module name)
    files["plugins/extra/hooks.py"] = "import app.main\nfrom plugins.extra import hooks as again\nimport requests\n"
    files["app/uses_plugins.py"] = "from plugins.extra.hooks import again\nimport plugins.extra\nimport missing_pkg\n"
    files["pyproject.toml"] = "[project]\nname = 'many'\ndependencies = ['fastapi', 'requests>=2']\n"
    files["app/broken.py"] = "def (:\n"
    files["app/latin1.py"] = b"x = '\xe9'\n"
    return write_files(root, files)


def _facts(r):
    return (
        [(m.name, m.lines, m.parsed) for m in r.modules],
        [(s.importer, s.target, s.location, s.origin, s.distribution) for s in r.imports],
        [(rt.methods, rt.path, rt.handler) for rt in r.routes],
        [(f.rule_id, f.location) for f in r.findings],
        sorted(r.metrics),
    )


def test_forked_workers_give_what_one_process_gives(tmp_path, monkeypatch):
    import backendscan.pipeline as pipeline
    from backendscan import Config, scan

    proj = _many_files_project(tmp_path / "p")
    calls: list[str] = []
    one = scan(proj, Config(use_cache=False, jobs=1), meanwhile=lambda: calls.append("one"))
    assert one.stats.workers == 1 and len(one.modules) > 48
    assert ((("GET",), "/items/7", "app.routes.r7.item_7")) in [(rt.methods, rt.path, rt.handler) for rt in one.routes]
    forked = scan(proj, Config(use_cache=False, jobs=2), meanwhile=lambda: calls.append("forked"))
    assert forked.stats.workers == 2
    assert calls == ["one", "forked"]  # once per scan, whether or not workers ran
    sites = {(s.importer, s.target): s for s in forked.imports}
    assert sites[("app.uses_plugins", "plugins.extra.hooks")].origin.value == "first_party"
    assert sites[("plugins.extra.hooks", "requests")].distribution == "requests"
    assert any(f.location.path == "app/uses_plugins.py" and "missing_pkg" in f.message for f in forked.findings)
    assert _facts(forked) == _facts(one)
    assert pipeline._INHERITED == [] and pipeline._RETURNED == []  # nothing left behind
    # without fork (or memfd), batches travel through the pool's pipes: the same records
    monkeypatch.setattr(pipeline, "can_fork", lambda: False)
    piped = scan(proj, Config(use_cache=False, jobs=2))
    assert piped.stats.workers == 2 and _facts(piped) == _facts(one)


class _Summary:
    def __init__(self, parsed) -> None:
        self.module = parsed.module

    def finish(self) -> str:
        return self.module


class _PrefetchingAnalyzer:
    """Summarises files that mention 'item_1' and asks for their assignments early."""

    name = "prefetcher"
    version = "1"
    prefetch = {"source": ("assignments", "not-a-part")}
    seen: dict[str, bool] = {}

    def interested(self, module: str, text: str) -> bool:
        return "item_1" in text

    def visitor(self, parsed):
        return _Summary(parsed)

    def resolve(self, project):
        from backendscan.analyzers.base import AnalyzerOutput

        for module in sorted(project.symbols):
            # loaded already? (a cached_property lands in the instance dict)
            type(self).seen[module] = "assignments" in project.symbols[module].__dict__
        return AnalyzerOutput()


def test_parts_an_analyzer_prefetches_are_loaded_while_workers_extract(tmp_path):
    from backendscan import Config, scan

    proj = _many_files_project(tmp_path / "p")
    _PrefetchingAnalyzer.seen = {}
    scan(proj, Config(use_cache=False, jobs=2), analyzers=[_PrefetchingAnalyzer()])
    seen = _PrefetchingAnalyzer.seen
    summarised = {f"app.routes.r{i}" for i in range(60) if "item_1" in f"item_{i}"} | {
        f"app.routes.r{(i + 1) % 60}" for i in range(60) if "item_1" in f"item_{(i + 1) % 60}"
    }
    assert seen["app.routes.r1"] and seen["app.routes.r15"]  # summarised: loaded early
    assert not seen["app.routes.r2"] and not seen["app.main"]  # not summarised: left for whoever reads them
    assert {m for m, loaded in seen.items() if loaded} <= summarised | {"app.routes.r0", "app.routes.r59"}


class _Reporting:
    """Counts the modules it summarised; raises in some processes (see the test below)."""

    version = "1"

    def __init__(self, name: str, fails_in: str, where: Path) -> None:
        self.name = name
        self.where = where
        self.fails_in = fails_in  # "", "child" (not the scanning process) or "everywhere"
        self.parent = os.getpid()

    def interested(self, module: str, text: str) -> bool:
        return "item_" in text

    def visitor(self, parsed):
        return _Summary(parsed)

    def resolve(self, project):
        from backendscan.analyzers.base import AnalyzerOutput

        if os.getpid() != self.parent:
            (self.where / f"{self.name}-in-child").touch()
        if self.fails_in == "everywhere" or (self.fails_in == "child" and os.getpid() != self.parent):
            raise RuntimeError(f"{self.name} trouble")
        n = len(project.summaries_of(self.name))
        return AnalyzerOutput(notes=((self.name, f"{n} modules"),))


def test_analyzers_shared_with_a_child_give_what_one_process_gives(tmp_path, monkeypatch):
    import backendscan.forking as forking
    import backendscan.pipeline as pipeline
    from backendscan import Config, scan
    from backendscan.analyzers.registry import load_analyzers

    proj = _many_files_project(tmp_path / "p")
    fastapi = [a for a in load_analyzers(Config())[0] if a.name == "fastapi"]
    forks: list[str] = []
    real = forking.Forked.__init__

    def counted(self, fn, *args, **kwargs):
        forks.append(fn.__name__)
        real(self, fn, *args, **kwargs)

    def analyzers():
        marks = tmp_path / "marks"
        marks.mkdir(exist_ok=True)
        return [_Reporting("flaky", "child", marks), *fastapi, _Reporting("steady", "", marks), _Reporting("broken", "everywhere", marks), _Reporting("late", "", marks)]

    one = scan(proj, Config(use_cache=False, jobs=1), analyzers=analyzers())
    monkeypatch.setattr(pipeline, "_FORK_DERIVED_AT", 10)  # a large project, as far as forking goes
    monkeypatch.setattr(forking.Forked, "__init__", counted)
    mine = forking.Shared.mine

    def late(self):
        time.sleep(0.5)  # this process starts late: the child takes the analyzers, "flaky" first
        yield from mine(self)

    monkeypatch.setattr(forking.Shared, "mine", late)
    shared = scan(proj, Config(use_cache=False, jobs=2), analyzers=analyzers())
    assert "_take_all" in forks and "_derived" in forks  # the analyzers' child and the cycles' child ran
    assert (tmp_path / "marks" / "flaky-in-child").exists()  # it failed there, and ran again here
    assert (tmp_path / "marks" / "steady-in-child").exists()
    assert _facts(shared) == _facts(one)
    assert shared.notes == one.notes == (("flaky", "60 modules"), ("late", "60 modules"), ("steady", "60 modules"))
    failed = [f.message for f in shared.findings if f.rule_id == "analysis-error"]
    assert failed == [m for m in (f.message for f in one.findings) if m.startswith("analyzer ")]
    assert len(failed) == 1 and failed[0].startswith("analyzer broken failed: RuntimeError: broken trouble")
