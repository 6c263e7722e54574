"""Preparation: the same project state whether the sources are read here or by a forked child."""

from __future__ import annotations

from backendscan.config import Config
from backendscan.preparation import prepare
from backendscan.testing import write_files


def _state(p):
    return (
        [(f.path, data, d) for f, data, d in p.sources],
        p.new_digests,
        [(x.rule_id, x.location.path, x.message) for x in p.findings],
        p.project_key,
        [a.name for a in p.loaded],
    )


def test_reading_in_a_child_gives_the_same_state(tmp_path):
    write_files(tmp_path / "proj", {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": "x = 'é'\n", "pyproject.toml": "[project]\nname = 'p'\n"})
    cache = tmp_path / "cache"
    called = []
    plain = prepare(tmp_path / "proj", Config(cache_dir=str(cache)))
    forked = prepare(tmp_path / "proj", Config(cache_dir=str(cache)), meanwhile=lambda: called.append(1))
    try:
        assert called == [1]
        assert _state(forked) == _state(plain)
        assert [f for f, data, _ in forked.sources if data is not None] != []  # nothing known yet: every file read
        assert sorted(p for p, *_ in forked.new_digests) == ["app/__init__.py", "app/a.py", "app/b.py"]
    finally:
        plain.close()
        forked.close()


def test_digests_the_cache_knows_are_not_read_again_in_the_child(tmp_path):
    write_files(tmp_path / "proj", {"app/__init__.py": "", "app/a.py": "import os\n"})
    cache = tmp_path / "cache"
    first = prepare(tmp_path / "proj", Config(cache_dir=str(cache)))
    assert first.cache is not None
    first.cache.put_digests(first.new_digests)
    first.close()
    again = prepare(tmp_path / "proj", Config(cache_dir=str(cache)), meanwhile=lambda: None)
    try:
        assert [(f.path, data) for f, data, _ in again.sources] == [("app/__init__.py", None), ("app/a.py", None)]
        assert again.new_digests == [] and again.project_key == first.project_key
    finally:
        again.close()
