"""The per-file cache: keyed by content, partial records, corruption tolerated."""

from __future__ import annotations

import os
import shutil

from backendscan import Config, scan
from backendscan.testing import write_files
from tests.conftest import FIXTURES


def _cfg(tmp_path, **kw):
    return Config(cache_dir=str(tmp_path / "cache"), jobs=1, **kw)


def test_warm_run_reads_everything_from_the_cache_and_gives_the_same_result(tmp_path):
    proj = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", proj)
    cold = scan(proj, _cfg(tmp_path))
    warm = scan(proj, _cfg(tmp_path))
    assert cold.stats.from_cache == 0 and warm.stats.from_cache == warm.stats.files
    assert warm.imports == cold.imports and warm.findings == cold.findings
    assert warm.routes == cold.routes and warm.models == cold.models and warm.tasks == cold.tasks
    assert dict(warm.metrics) == dict(cold.metrics)


def test_cache_is_keyed_by_content_not_mtime(tmp_path):
    proj = write_files(tmp_path / "p", {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""})
    scan(proj, _cfg(tmp_path))
    # a fresh clone: same content, new mtimes -> still cached
    os.utime(proj / "app" / "a.py", ns=(1, 1))
    again = scan(proj, _cfg(tmp_path))
    assert again.stats.from_cache == 3
    # new content with the same size and an old mtime kept by a tool: detected via content on a new mtime
    (proj / "app" / "a.py").write_text("import app.c\n")
    write_files(proj, {"app/c.py": ""})
    changed = scan(proj, _cfg(tmp_path))
    assert changed.graph.has_edge("app.a", "app.c") and not changed.graph.has_edge("app.a", "app.b")


def test_graph_only_records_are_completed_by_a_full_scan(tmp_path):
    proj = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", proj)
    g = scan(proj, _cfg(tmp_path), scope="imports")
    assert g.routes == () and g.stats.from_cache == 0
    full = scan(proj, _cfg(tmp_path))
    reference = scan(proj, Config(use_cache=False, jobs=1))
    assert full.imports == reference.imports and full.routes == reference.routes
    assert dict(full.metrics) == dict(reference.metrics)
    # and the graph-only run afterwards is all cache hits
    assert scan(proj, _cfg(tmp_path), scope="imports").stats.from_cache == g.stats.files


def test_a_corrupt_cache_is_ignored(tmp_path):
    proj = write_files(tmp_path / "p", {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""})
    scan(proj, _cfg(tmp_path))
    db = tmp_path / "cache" / "records.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    r = scan(proj, _cfg(tmp_path))
    assert r.graph.has_edge("app.a", "app.b")


def test_no_cache_writes_nothing(tmp_path):
    proj = write_files(tmp_path / "p", {"app/__init__.py": ""})
    scan(proj, Config(use_cache=False))
    assert not (proj / ".backendscan_cache").exists()


def test_installed_packages_are_never_written_into(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    pkg = write_files(tmp_path / "site" / "pkg", {"__init__.py": "", "a.py": ""})
    scan(pkg, Config(jobs=1))
    assert not (pkg / ".backendscan_cache").exists()
    assert list((tmp_path / "xdg" / "backendscan").iterdir())


def test_an_entry_that_no_longer_unpickles_is_a_miss(tmp_path):
    import sqlite3

    proj = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", proj)
    first = scan(proj, _cfg(tmp_path))
    db = sqlite3.connect(tmp_path / "cache" / "records.sqlite3")
    # a summary pickled against a class that no longer exists
    db.execute("UPDATE records SET summaries = ? WHERE summaries IS NOT NULL AND length(summaries) > 0", (b"\x80\x04cnowhere\nGone\n.",))
    db.execute("DELETE FROM results")  # make the analyzers run again, on the broken summaries
    db.commit()
    db.close()
    again = scan(proj, _cfg(tmp_path))
    assert again.routes == first.routes and again.tasks == first.tasks
    assert again.stats.from_cache < again.stats.files


def test_cache_key_tracks_the_code():
    from backendscan.cache import code_version

    assert len(code_version()) == 24 and code_version() == code_version()


def test_whole_program_results_are_reused_until_something_changes(tmp_path):
    proj = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", proj)
    first = scan(proj, _cfg(tmp_path))
    again = scan(proj, _cfg(tmp_path))
    assert again.routes == first.routes and again.models == first.models and again.tasks == first.tasks
    assert again.findings == first.findings
    # an edit anywhere invalidates the whole-program results
    target = proj / "shop" / "api" / "health.py"
    target.write_text(target.read_text().replace('"/live"', '"/alive"'))
    changed = scan(proj, _cfg(tmp_path))
    assert "/api/v1/health/alive" in {r.path for r in changed.routes}
    assert "/api/v1/health/live" not in {r.path for r in changed.routes}


def test_entries_unused_for_many_runs_are_forgotten(tmp_path):
    import sqlite3

    from backendscan.cache import KEEP_RUNS

    proj = write_files(tmp_path / "p", {"app/__init__.py": "", "app/a.py": "X = 1\n"})
    for i in range(KEEP_RUNS + 3):
        (proj / "app" / "a.py").write_text(f"X = {i}\n")
        scan(proj, _cfg(tmp_path))
    db = sqlite3.connect(tmp_path / "cache" / "records.sqlite3")
    (n_records,) = db.execute("SELECT count(*) FROM records").fetchone()
    # app/__init__.py is used every run; of a.py's versions only the recent ones stay
    assert n_records <= KEEP_RUNS + 2


def test_timings_name_each_analyzer_that_ran(tmp_path):
    proj = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", proj)
    first = scan(proj, _cfg(tmp_path))
    names = [n for n, _ in first.stats.stages]
    ran = sorted(n for n in names if n.startswith("analyzer:"))
    assert "analyzer:fastapi" in ran and "analyzer:sqlalchemy" in ran and len(ran) == len(set(ran))
    assert names.index("analyzers") < names.index(ran[0]) < names.index("total")
    # a warm run reuses every analyzer's whole-program output: nothing ran
    again = scan(proj, _cfg(tmp_path))
    assert not [n for n, _ in again.stats.stages if n.startswith("analyzer:")]


def test_reading_a_stale_result_leaves_no_write_lock_behind(tmp_path):
    """get_result refreshes the 'used' mark of an old row; that write must not hold the file.

    `check` keeps the verdict key's cache open while a second scan of the same project
    opens its own: an uncommitted refresh made that second connection wait for its
    10 s timeout and then give up the cache.
    """
    import time

    from backendscan.cache import REFRESH_AFTER, Cache

    first = Cache(tmp_path)
    first.put_results({"k": 1})
    first.close()
    for _ in range(REFRESH_AFTER + 1):  # age the row
        c = Cache(tmp_path)
        c.digests()
        c.close()
    reader = Cache(tmp_path)
    assert reader.get_result("k") == 1  # refreshes the row's 'used' run
    writer = Cache(tmp_path)
    t = time.perf_counter()
    writer.put_results({"other": 2})
    assert time.perf_counter() - t < 2 and not writer.disabled
    assert writer.get_result("other") == 2
    reader.close()
    writer.close()


def test_held_records_reach_the_cache_when_written_or_at_close(tmp_path):
    from backendscan.cache import Cache
    from backendscan.pipeline import prepare, scan

    proj = FIXTURES / "shop"
    prepared = prepare(proj, Config(cache_dir=str(tmp_path / "c")))
    assert prepared.cache is not None
    prepared.cache.hold_records()
    result = scan(proj, prepared.config, prepared=prepared)
    probe = Cache(tmp_path / "c")
    count = lambda: probe._connect().execute("SELECT count(*) FROM records").fetchone()[0]  # noqa: E731
    assert count() == 0  # held: nothing written yet
    prepared.cache.write_held()
    assert count() == len(result.modules) - sum(m.namespace for m in result.modules)
    prepared.close()
    probe.close()
    # a run that holds and never writes explicitly still stores them when the cache closes
    shutil.rmtree(tmp_path / "c")
    again = prepare(proj, Config(cache_dir=str(tmp_path / "c")))
    again.cache.hold_records()
    scan(proj, again.config, prepared=again)
    again.close()
    warm = scan(proj, Config(cache_dir=str(tmp_path / "c")))
    assert warm.stats.from_cache == warm.stats.files and warm.stats.parsed == result.stats.parsed
