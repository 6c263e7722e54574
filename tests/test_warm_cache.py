"""Warm runs: whatever the cache serves must equal a cold run byte for byte, and never be stale.

Every fixture project is reported three times (no cache, cold cache, warm cache) and the
four formats must be identical.  Then files of a copy of ``shop`` are edited (a module,
RULES.md, pyproject.toml) and the warm report must change exactly as a cacheless one does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backendscan.cli import main
from backendscan.config import Config
from backendscan.pipeline import scan
from tests.conftest import FIXTURES

FORMATS = ("md", "html", "json", "sarif")
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _copy(name: str, tmp_path: Path) -> Path:
    dst = tmp_path / name
    shutil.copytree(FIXTURES / name, dst, ignore=shutil.ignore_patterns(".backendscan_cache", "__pycache__"))
    return dst


def _report(project: Path, out: Path, *cache_args: str) -> dict[str, bytes]:
    code = main(["report", str(project), "--format", ",".join(FORMATS), "-o", f"{out}/", "-q", "--diagrams", "python", *cache_args])
    assert code == 0
    return {f: (out / f"report.{f}").read_bytes() for f in FORMATS}


def _runs(project: Path, tmp_path: Path, tag: str) -> tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]:
    cache = tmp_path / "cache"
    fresh = _report(project, tmp_path / f"{tag}-nocache", "--no-cache")
    first = _report(project, tmp_path / f"{tag}-first", "--cache-dir", str(cache))
    second = _report(project, tmp_path / f"{tag}-second", "--cache-dir", str(cache))
    return fresh, first, second


@pytest.mark.parametrize("name", PROJECTS)
def test_warm_report_equals_cold_report(name, tmp_path):
    project = _copy(name, tmp_path)
    fresh, cold, warm = _runs(project, tmp_path, "a")
    for f in FORMATS:
        assert cold[f] == fresh[f], f"{name}: cold {f} differs from the cacheless one"
        assert warm[f] == fresh[f], f"{name}: warm {f} differs from the cacheless one"


@pytest.mark.parametrize("name", ["shop", "django_blog", "layout_namespace", "imports_hard"])
def test_warm_import_scan_equals_cold_scan(name, tmp_path):
    project = _copy(name, tmp_path)
    config = Config(include_tests=True, include_migrations=True, cache_dir=str(tmp_path / "cache"))
    nocache = scan(project, Config(include_tests=True, include_migrations=True, use_cache=False), scope="imports")
    runs = [scan(project, config, scope="imports") for _ in range(2)]
    assert "snapshot" not in dict(runs[0].stats.stages) and "snapshot" in dict(runs[1].stats.stages)
    for r in runs:
        assert r.modules == nocache.modules
        assert r.imports == nocache.imports
        assert r.findings == nocache.findings
        assert sorted(r.graph.nodes(data=True)) == sorted(nocache.graph.nodes(data=True))
        assert sorted(r.graph.edges(data=True)) == sorted(nocache.graph.edges(data=True))


def test_warm_import_scan_follows_an_edit(tmp_path):
    project = _copy("shop", tmp_path)
    config = Config(include_tests=True, include_migrations=True, cache_dir=str(tmp_path / "cache"))
    before = [scan(project, config, scope="imports") for _ in range(2)][-1]
    assert ("shop.repositories.orders", "shop.api") not in before.graph.edges
    target = project / "shop" / "repositories" / "orders.py"
    target.write_text(target.read_text("utf-8") + "\nimport shop.api\n", "utf-8")
    after = scan(project, config, scope="imports")
    assert "snapshot" not in dict(after.stats.stages)
    assert ("shop.repositories.orders", "shop.api") in after.graph.edges
    nocache = scan(project, Config(include_tests=True, include_migrations=True, use_cache=False), scope="imports")
    assert after.imports == nocache.imports and sorted(after.graph.edges) == sorted(nocache.graph.edges)


def _edit_and_compare(project: Path, tmp_path: Path, edit) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(warm report before, warm report after ``edit``); the latter checked against a cacheless run."""
    _, _, before = _runs(project, tmp_path, "before")
    edit(project)
    fresh = _report(project, tmp_path / "after-nocache", "--no-cache")
    after = _report(project, tmp_path / "after-warm", "--cache-dir", str(tmp_path / "cache"))
    again = _report(project, tmp_path / "after-warm2", "--cache-dir", str(tmp_path / "cache"))
    for f in FORMATS:
        assert after[f] == fresh[f], f"warm {f} after the edit differs from the cacheless one"
        assert again[f] == fresh[f], f"second warm {f} after the edit differs from the cacheless one"
    return before, after


def test_editing_one_module_changes_the_warm_report(tmp_path):
    project = _copy("shop", tmp_path)

    def edit(root: Path) -> None:
        target = root / "shop" / "repositories" / "orders.py"
        target.write_text(target.read_text("utf-8") + "\nimport shop.api  # upward import, added by the test\n", "utf-8")

    before, after = _edit_and_compare(project, tmp_path, edit)
    assert b"shop.api" in after["json"] and before["json"] != after["json"]
    assert before["md"] != after["md"]


def test_editing_rules_md_changes_the_warm_report(tmp_path):
    project = _copy("shop", tmp_path)

    def edit(root: Path) -> None:
        rules = root / "RULES.md"
        rules.write_text(rules.read_text("utf-8") + "\n- `shop.services` must not import `shop.db`.\n", "utf-8")

    before, after = _edit_and_compare(project, tmp_path, edit)
    assert before["json"] != after["json"] and before["md"] != after["md"]


def test_editing_pyproject_changes_the_warm_report(tmp_path):
    project = _copy("shop", tmp_path)

    def edit(root: Path) -> None:
        pyproject = root / "pyproject.toml"
        pyproject.write_text(pyproject.read_text("utf-8") + '\n[tool.backendscan]\ninclude_tests = true\n', "utf-8")

    before, after = _edit_and_compare(project, tmp_path, edit)
    assert before["json"] != after["json"]


def test_editing_a_template_changes_the_warm_report(tmp_path):
    project = _copy("shop", tmp_path)
    from backendscan.report.paths import template_dirs

    shipped = next(d for d in template_dirs() if (d / "report.md.j2").exists())
    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "report.md.j2").write_text((shipped / "report.md.j2").read_text("utf-8"), "utf-8")
    args = ["--format", "md", "--template-dir", str(custom), "--cache-dir", str(tmp_path / "cache"), "-q"]
    assert main(["report", str(project), "-o", str(tmp_path / "one.md"), *args]) == 0
    (custom / "report.md.j2").write_text("custom {{ ctx.project }}\n", "utf-8")
    assert main(["report", str(project), "-o", str(tmp_path / "two.md"), *args]) == 0
    assert (tmp_path / "two.md").read_text("utf-8") == "custom shop\n"


def test_rendered_reports_are_kept_for_the_latest_project_state_only(tmp_path):
    import sqlite3

    project = _copy("shop", tmp_path)
    cache = tmp_path / "cache"
    _report(project, tmp_path / "a", "--cache-dir", str(cache))
    (project / "shop" / "extra.py").write_text("X = 1\n", "utf-8")
    _report(project, tmp_path / "b", "--cache-dir", str(cache))
    db = sqlite3.connect(cache / "records.sqlite3")
    keys = [k for (k,) in db.execute("SELECT key FROM results WHERE key LIKE '%:out:%'")]
    db.close()
    assert keys and len({k.split(":", 1)[0] for k in keys}) == 1


def test_records_in_use_outlive_the_eviction_window(tmp_path):
    from backendscan.cache import KEEP_RUNS

    project = _copy("shop", tmp_path)
    config = Config(cache_dir=str(tmp_path / "cache"))
    first = scan(project, config)
    for _ in range(KEEP_RUNS * 2 + 1):
        r = scan(project, config)
        assert r.stats.from_cache == r.stats.files
        assert not any(n.startswith("analyzer:") for n, _ in r.stats.stages)  # whole-program results kept too
    assert r.findings == first.findings and r.routes == first.routes


def test_the_report_follows_rules_md_includes_and_a_changed_include_changes_it(tmp_path):
    import json

    project = _copy("shop", tmp_path)

    def edit(root: Path) -> None:
        rules = root / "RULES.md"
        rules.write_text(rules.read_text("utf-8") + "\n@docs/more-rules.md\n", "utf-8")
        (root / "docs").mkdir(exist_ok=True)
        (root / "docs" / "more-rules.md").write_text("# More\n\n- `shop.services` must not import `shop.repositories`.\n", "utf-8")

    _, after = _edit_and_compare(project, tmp_path, edit)
    comp = json.loads(after["json"])["compliance"]
    assert any(v["source"] == "docs/more-rules.md:3" and v["file"].startswith("shop/services/") for v in comp["violations"])
    assert {"line": 3, "source": "docs/more-rules.md", "status": "violated"}.items() <= next(
        s for s in comp["statements"] if s.get("source") == "docs/more-rules.md"
    ).items()
    assert b"`docs/more-rules.md:3`" in after["md"] or b"docs/more-rules.md:3" in after["md"]

    # only the included file changes: the warm report must follow it
    (project / "docs" / "more-rules.md").write_text("# More\n\n- `shop.models` must not import `shop.api`.\n", "utf-8")
    fresh = _report(project, tmp_path / "inc-nocache", "--no-cache")
    warm = _report(project, tmp_path / "inc-warm", "--cache-dir", str(tmp_path / "cache"))
    assert warm == fresh
    comp = json.loads(warm["json"])["compliance"]
    assert not any(v["source"].startswith("docs/more-rules.md") for v in comp["violations"])
    assert next(s for s in comp["statements"] if s.get("source") == "docs/more-rules.md")["status"] == "checked"


def test_a_plugin_analyzer_is_keyed_by_its_source(tmp_path, monkeypatch):
    from backendscan.preparation import analyzer_identity

    plugin_file = tmp_path / "myplugin.py"
    plugin_file.write_text("class Plugin:\n    name = 'mine'\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    mod = importlib.import_module("myplugin")
    first = analyzer_identity(mod.Plugin())
    plugin_file.write_text("class Plugin:\n    name = 'mine'\n    version = 2\n", "utf-8")
    second = analyzer_identity(mod.Plugin())
    assert first.startswith("mine@") and second.startswith("mine@") and first != second
    from backendscan.analyzers.fastapi import FastAPIAnalyzer

    assert analyzer_identity(FastAPIAnalyzer()) == "fastapi"  # our own: covered by the code version


def test_the_rules_draft_is_kept_per_import_graph(tmp_path, monkeypatch):
    import backendscan.report.compliance as compliance

    project = _copy("shop", tmp_path)
    real = compliance.compile_inferred
    log = tmp_path / "drafted.log"  # the draft may be made in a forked child: count through a file

    class Drafts:
        def __len__(self) -> int:
            return len(log.read_text()) if log.exists() else 0

    drafted = Drafts()

    def counting(result):  # noqa: ANN001, ANN202
        with log.open("a") as f:
            f.write("x")
        return real(result)

    monkeypatch.setattr(compliance, "compile_inferred", counting)
    cache = str(tmp_path / "cache")
    _report(project, tmp_path / "one", "--cache-dir", cache)
    assert len(drafted) == 1
    # a body edit that moves no import: the report is rebuilt, the draft is not
    target = project / "shop" / "services" / "orders.py"
    target.write_text(target.read_text("utf-8") + "\n\ndef helper():\n    return 1\n", "utf-8")
    second = _report(project, tmp_path / "two", "--cache-dir", cache)
    assert len(drafted) == 1
    assert second == _report(project, tmp_path / "two-nocache", "--no-cache")
    assert len(drafted) == 2  # the cacheless run drafted on its own
    # an import added: the graph changed, so the draft is made again
    target.write_text(target.read_text("utf-8") + "\nimport shop.api  # upward import, added by the test\n", "utf-8")
    third = _report(project, tmp_path / "three", "--cache-dir", cache)
    assert len(drafted) == 3
    assert third == _report(project, tmp_path / "three-nocache", "--no-cache")
