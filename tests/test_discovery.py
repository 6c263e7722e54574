"""Discovery: import roots, module names, skipped paths (tests/fixtures/EXPECTED.md section 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backendscan import Config, scan
from backendscan.discovery import classify, discover, module_name, module_path
from backendscan.model import FileKind
from backendscan.testing import write_files
from hypothesis import given, settings, strategies as st

from tests.conftest import FIXTURES


def _mods(path: Path, **cfg):
    d = discover(path, Config(**cfg))
    return d, {f.module: f for f in d.files}


def test_src_layout():
    d, mods = _mods(FIXTURES / "layout_src")
    assert [(r.path, r.reason) for r in d.roots] == [
        ("src", "src layout; pyproject.toml [tool.setuptools.packages.find] where")
    ]
    assert sorted(mods) == ["acme", "acme.cli", "acme.core", "acme.storage", "acme.storage.files"]
    assert mods["acme.storage"].path == "src/acme/storage/__init__.py" and mods["acme.storage"].is_package


def test_monorepo_subproject():
    d, mods = _mods(FIXTURES / "layout_monorepo")
    assert [r.path for r in d.roots] == ["backend"]
    assert sorted(mods) == ["app", "app.api", "app.api.items", "app.catalog", "app.main"]
    assert mods["app.main"].path == "backend/app/main.py"


def test_django_project_in_a_subfolder():
    d, mods = _mods(FIXTURES / "layout_django_sub")
    assert [(r.path, r.reason) for r in d.roots] == [("web", "Django project (manage.py)")]
    assert "mysite.settings" in mods and "manage" in mods
    assert mods["polls.migrations.0001_initial"].kind is FileKind.MIGRATION
    assert mods["polls.views"].kind is FileKind.SOURCE


def test_several_top_level_packages_and_package_level_mutual_dependency():
    r = scan(FIXTURES / "layout_multi", Config(use_cache=False, jobs=1))
    assert sorted(r.graph.edges) == [("alpha.core", "alpha.models"), ("alpha.core", "beta.helpers"), ("beta.tools", "alpha.models")]
    assert not r.cycles
    from backendscan.graph import package_graph

    pg = package_graph(r.graph, 1)
    assert pg.has_edge("alpha", "beta") and pg.has_edge("beta", "alpha")


def test_namespace_packages_are_kept_not_dropped():
    r = scan(FIXTURES / "layout_namespace", Config(use_cache=False, jobs=1))
    names = {m.name: m for m in r.modules}
    assert names["jobs.oneoff.cleanup"].path == "jobs/oneoff/cleanup.py"
    assert names["jobs.oneoff"].namespace and names["ns"].namespace and names["ns.extra"].namespace
    assert sorted(r.graph.edges) == [
        ("jobs.oneoff.cleanup", "jobs.runner"),
        ("jobs.oneoff.cleanup", "ns.extra.mod"),
        ("ns.extra.mod", "ns.core"),
    ]


def test_a_package_path_is_scanned_as_that_package(tmp_path):
    write_files(tmp_path, {"site/pkg/__init__.py": "from . import a\n", "site/pkg/a.py": "import pkg.b\n", "site/pkg/b.py": ""})
    d, mods = _mods(tmp_path / "site" / "pkg")
    assert d.package_mode and d.prefix == "pkg"
    assert mods["pkg.a"].path == "a.py"  # paths are relative to the scanned path
    r = scan(tmp_path / "site" / "pkg", Config(use_cache=False, jobs=1))
    assert sorted(r.graph.edges) == [("pkg", "pkg.a"), ("pkg.a", "pkg.b")]


def test_configured_roots_win_over_package_mode(tmp_path):
    # Label Studio puts its own package folder on sys.path: label_studio/core/urls.py is ``core.urls``
    write_files(
        tmp_path,
        {
            "site/app/__init__.py": "",
            "site/app/core/__init__.py": "",
            "site/app/core/urls.py": "from core import views\n",
            "site/app/core/views.py": "",
        },
    )
    d, mods = _mods(tmp_path / "site" / "app", roots=(".",))
    assert d.package_mode and d.prefix == ""
    assert [(r.path, r.reason) for r in d.roots] == [(".", "configured in [tool.backendscan] roots")]
    assert sorted(mods) == ["core", "core.urls", "core.views"]
    assert ("__init__.py", "__init__.py at an import root is not a module") in [(s.path, s.reason) for s in d.skipped]
    r = scan(tmp_path / "site" / "app", Config(use_cache=False, jobs=1, roots=(".",)))
    assert sorted(r.graph.edges) == [("core.urls", "core.views")]
    assert r.name == "app"


def test_skips_are_listed_with_reasons(tmp_path):
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/kept.py": "",
            "app/generated.py": "",
            ".gitignore": "app/generated.py\nbuildout/\n",
            "buildout/x.py": "",
            ".venv/pyvenv.cfg": "home = /usr\n",
            ".venv/lib/site.py": "",
            "node_modules/x/y.py": "",
            ".git/hooks/h.py": "",
            "docs/conf.py": "",
            "tests/test_app.py": "import app\n",
            "app/migrations/0001_initial.py": "",
        },
    )
    d, mods = _mods(tmp_path)
    skipped = {s.path: s.reason for s in d.skipped}
    assert skipped["app/generated.py"] == "ignored by .gitignore"
    assert skipped["buildout/"] == "ignored by .gitignore"
    assert skipped[".venv/"] == "virtual environment (pyvenv.cfg)"
    assert skipped["node_modules/"].startswith("node_modules")
    assert skipped[".git/"] == "version control folder"
    assert skipped["docs/"] == "documentation folder (not a package)"
    assert sorted(mods) == ["app", "app.kept", "app.migrations.0001_initial", "tests.test_app"]
    assert mods["tests.test_app"].kind is FileKind.TEST
    assert mods["app.migrations.0001_initial"].kind is FileKind.MIGRATION


def test_tests_and_migrations_are_out_of_the_graph_unless_asked(tmp_path):
    write_files(tmp_path, {"app/__init__.py": "", "app/core.py": "", "tests/test_core.py": "import app.core\n"})
    r = scan(tmp_path, Config(use_cache=False, jobs=1))
    assert "tests.test_core" not in r.graph
    r2 = scan(tmp_path, Config(use_cache=False, jobs=1, include_tests=True))
    assert r2.graph.has_edge("tests.test_core", "app.core")


def test_include_and_exclude_globs(tmp_path):
    write_files(tmp_path, {"app/__init__.py": "", "app/a.py": "", "app/legacy/__init__.py": "", "app/legacy/old.py": ""})
    d, mods = _mods(tmp_path, exclude=("app/legacy/**",))
    assert sorted(mods) == ["app", "app.a"]
    assert {s.path: s.reason for s in d.skipped}["app/legacy/"] == "excluded by configuration"
    d, mods = _mods(tmp_path, exclude=("**/old.py",))
    assert sorted(mods) == ["app", "app.a", "app.legacy"]
    assert {s.path: s.reason for s in d.skipped}["app/legacy/old.py"] == "excluded by configuration"
    d2, mods2 = _mods(tmp_path, include=("app/a.py",))
    assert sorted(mods2) == ["app.a"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinks_inside_followed_outside_and_loops_not(tmp_path):
    outside = tmp_path / "outside"
    write_files(outside, {"secret.py": ""})
    proj = tmp_path / "proj"
    write_files(proj, {"app/__init__.py": "", "app/real/__init__.py": "", "app/real/x.py": ""})
    (proj / "app" / "link_out.py").symlink_to(outside / "secret.py")
    (proj / "app" / "loop").symlink_to(proj / "app")
    (proj / "app" / "alias").symlink_to(proj / "app" / "real")
    (proj / "app" / "broken.py").symlink_to(proj / "nowhere.py")
    d, mods = _mods(proj)
    skipped = {s.path: s.reason for s in d.skipped}
    assert skipped["app/link_out.py"] == "symlink leaves the scanned folder (not followed)"
    assert skipped["app/loop/"] == "symlink loop (folder already scanned)"
    assert skipped["app/broken.py"] == "broken symlink"
    # the same folder reached twice is scanned once, under its real name
    assert "app.real.x" in mods and "app.alias.x" not in mods
    assert skipped["app/alias/"] == "symlink loop (folder already scanned)"


def test_paths_are_posix_and_relative(tmp_path):
    write_files(tmp_path, {"a/b/__init__.py": "", "a/__init__.py": "", "a/b/c.py": ""})
    d, mods = _mods(tmp_path)
    assert mods["a.b.c"].path == "a/b/c.py"
    assert all(not f.path.startswith("/") and "\\" not in f.path for f in d.files)


@pytest.mark.parametrize(
    "path,kind",
    [
        ("app/tests/test_x.py", FileKind.TEST),
        ("test_y.py", FileKind.TEST),
        ("app/y_test.py", FileKind.TEST),
        ("conftest.py", FileKind.TEST),
        ("app/migrations/0002_auto.py", FileKind.MIGRATION),
        ("alembic/versions/abc.py", FileKind.MIGRATION),
        ("migrations/versions/abc.py", FileKind.MIGRATION),
        ("app/testing.py", FileKind.SOURCE),
        ("app/contest.py", FileKind.SOURCE),
    ],
)
def test_classify(path, kind):
    assert classify(path) is kind


_ident = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)


@given(st.lists(_ident, min_size=1, max_size=5), st.booleans())
def test_module_path_round_trip(parts, is_package):
    name = ".".join(parts)
    assert module_name(module_path(name, is_package)) == (name, is_package)


def test_a_test_named_module_imported_by_application_code_is_application_code(tmp_path):
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/connection_test.py": "def probe(): ...\n",
            "app/models.py": "from app.connection_test import probe\n",
            "app/test_models.py": "import app.models\n",
        },
    )
    r = scan(tmp_path, Config(use_cache=False, jobs=1))
    kinds = {m.name: m.kind for m in r.modules}
    assert kinds["app.connection_test"] is FileKind.SOURCE
    assert kinds["app.test_models"] is FileKind.TEST
    assert r.graph.has_edge("app.models", "app.connection_test")
    assert [f.rule_id for f in r.findings if f.location.path == "app/connection_test.py"] == ["test-name-imported"]


def test_hidden_folders_are_skipped(tmp_path):
    write_files(tmp_path, {"app/__init__.py": "", ".semgrep/rules/fixture.py": "", ".github/scripts/x.py": ""})
    d, mods = _mods(tmp_path)
    assert sorted(mods) == ["app"]
    skipped = {s.path: s.reason for s in d.skipped}
    assert skipped[".semgrep/"] == "hidden folder" and skipped[".github/"] == "hidden folder"


def test_a_repository_root_with_an_init_file_is_not_package_mode(tmp_path):
    write_files(tmp_path, {"__init__.py": "", "pyproject.toml": "[project]\nname='w'\n", "tasks/__init__.py": "", "tasks/a.py": ""})
    d, mods = _mods(tmp_path)
    assert not d.package_mode and sorted(mods) == ["tasks", "tasks.a"]
    write_files(tmp_path / "p2", {"__init__.py": "", "sub/__init__.py": ""})
    d2, mods2 = _mods(tmp_path / "p2", roots=(".",))
    assert d2.prefix == "" and sorted(mods2) == ["sub"]


def test_a_duplicate_package_is_taken_from_the_root_that_holds_its_modules(tmp_path):
    # Polar's monorepo: server/polar (the app) and sdk/python/polar (its SDK) are both ``polar``
    write_files(
        tmp_path,
        {
            "sdk/python/pyproject.toml": "[project]\nname = 'polar-sdk'\n",
            "sdk/python/pkg/__init__.py": "SIDE = 'sdk'\n",
            "sdk/python/pkg/client.py": "",
            "server/pyproject.toml": "[project]\nname = 'server'\n",
            "server/pkg/__init__.py": "SIDE = 'server'\n",
            "server/pkg/api.py": "from pkg import SIDE\nfrom pkg.db import engine\n",
            "server/pkg/db.py": "engine = None\n",
        },
    )
    r = scan(tmp_path, Config(use_cache=False, jobs=1))
    mods = {m.name: m for m in r.modules}
    assert mods["pkg"].path == "server/pkg/__init__.py"
    assert mods["pkg.client"].path == "sdk/python/pkg/client.py"
    dup = [(f.location.path, f.message) for f in r.findings if f.rule_id == "duplicate-module"]
    assert dup == [
        (
            "sdk/python/pkg/__init__.py",
            "module pkg is defined twice (server/pkg/__init__.py and sdk/python/pkg/__init__.py); server/pkg/__init__.py is used",
        )
    ]
    import ast

    v = r.project.evaluate("pkg.api", ast.parse("SIDE", mode="eval").body)
    assert (v.status, v.value) == ("resolved", "server")


_PATTERN_PARTS = st.sampled_from(["*", "**", "?", "a", "b", "build", ".py", "[ab]", "/", "!", "\\", "#", " ", "x*", "docs", "[!a]"])
_PATH_PARTS = st.sampled_from(["a", "b", "build", "docs", "x.py", "ab.py", "keep.pyc", "./", "/", "tests", "é"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PATTERN_PARTS, max_size=5).map("".join), max_size=6), st.lists(st.lists(_PATH_PARTS, min_size=1, max_size=5).map("/".join), max_size=8))
def test_ignore_spec_matches_exactly_as_pathspec(lines, paths):
    import pathspec

    from backendscan.discovery import IgnoreSpec

    try:
        reference = pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:
        return  # a pattern pathspec itself rejects
    ours = IgnoreSpec(lines)
    for path in paths + [p + "/" for p in paths]:
        assert ours.match_file(path) == reference.match_file(path), (lines, path)


def test_ignore_spec_prefilter_is_used_for_ordinary_gitignores():
    from backendscan.discovery import IgnoreSpec

    spec = IgnoreSpec(["*.pyc", "build/", "!keep.pyc", "/docs", "# comment", "", "node_modules"])
    assert spec._any is not None
    assert [p for p in ["a/b.pyc", "keep.pyc", "a/build/x.py", "docs/x.py", "a/docs/x.py", "src/app.py", "web/node_modules/y.py"] if spec.match_file(p)] == [
        "a/b.pyc", "a/build/x.py", "docs/x.py", "web/node_modules/y.py"
    ]
