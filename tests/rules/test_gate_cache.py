"""`backendscan check` on an unchanged project answers from the cache, and only then.

The verdict is stored under the project state, the rules texts and the output
options; every input that can change it must change the answer, and a run that
writes a file besides its report (a shrinking baseline) is not replayed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backendscan.cli import main
from backendscan.testing import write_files

FILES = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": "from app.services import orders\n",
    "app/services/__init__.py": "",
    "app/services/orders.py": "X = 1\n",
    "app/db/__init__.py": "",
    "app/db/session.py": "",
    "RULES.md": "- `app.services` must not import `app.api`\n- `app.api` must not import `app.db`\n",
}


def _check(root: Path, cache: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["check", str(root), "--cache-dir", str(cache), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_warm_run_replays_output_notes_and_exit_code(tmp_path, capsys):
    root = write_files(tmp_path / "p", FILES)
    cache = tmp_path / "cache"
    (root / "app/services/orders.py").write_text("from app.api import views\n")
    first = _check(root, cache, capsys, "--format", "json", "-o", str(tmp_path / "a.json"))
    second = _check(root, cache, capsys, "--format", "json", "-o", str(tmp_path / "b.json"))
    assert first[0] == second[0] == 1
    assert first[2] == second[2] and first[2].startswith("backendscan check: 1 error, 0 warnings")  # the summary note on stderr
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    data = json.loads((tmp_path / "b.json").read_text())
    assert [(f["rule_id"], f["file"], f["line"], f["source"]) for f in data["findings"]] == [
        ("services-must-not-import-api", "app/services/orders.py", 1, "RULES.md:1")
    ]


def test_every_input_of_the_verdict_invalidates_it(tmp_path, capsys):
    root = write_files(tmp_path / "p", FILES)
    cache = tmp_path / "cache"
    assert _check(root, cache, capsys)[0] == 0
    assert _check(root, cache, capsys)[0] == 0  # warm, clean
    # a source file changes: the new violation is found
    (root / "app/api/views.py").write_text("from app.db import session\n")
    code, out, _ = _check(root, cache, capsys)
    assert code == 1 and "app/api/views.py:1:1: error [api-must-not-import-db]" in out
    # the rules change: the violation is gone with its rule
    (root / "RULES.md").write_text("- `app.services` must not import `app.api`\n")
    assert _check(root, cache, capsys)[0] == 0
    # an included file changes: its rule is checked
    (root / "RULES.md").write_text("- `app.services` must not import `app.api`\n\n@more.md\n")
    (root / "more.md").write_text("- `app.api` may only import `app.services`\n")
    code, out, _ = _check(root, cache, capsys)
    assert code == 1 and "app.api.views imports app.db.session" in out
    (root / "more.md").write_text("- `app.api` may only import `app.services` and `app.db`\n")
    assert _check(root, cache, capsys)[0] == 0
    # options that shape the verdict or the text are part of the key
    (root / "more.md").write_text("- `app.api` should not import `app.db`\n")
    assert _check(root, cache, capsys)[0] == 0
    assert _check(root, cache, capsys, "--fail-on", "warning")[0] == 1
    code, out, _ = _check(root, cache, capsys, "--format", "github")
    assert code == 0 and out.startswith("::warning file=app/api/views.py,line=1")


def test_a_shrinking_baseline_is_rewritten_on_every_run_not_replayed(tmp_path, capsys):
    root = write_files(tmp_path / "p", FILES)
    cache = tmp_path / "cache"
    (root / "app/api/views.py").write_text("from app.db import session\nfrom app.db import session as s2\n")
    assert _check(root, cache, capsys, "--update-baseline")[0] == 0
    baseline = root / ".backendscan-baseline.json"
    assert len(json.loads(baseline.read_text())["violations"]) == 1
    assert _check(root, cache, capsys)[0] == 0
    (root / "app/api/views.py").write_text("")
    before = baseline.read_text()
    code, _, err = _check(root, cache, capsys)
    assert code == 0 and "fixed violations removed" in err
    assert baseline.read_text() != before
    assert json.loads(baseline.read_text())["violations"] == []


def test_a_warm_hit_imports_neither_networkx_nor_the_rules_compiler(tmp_path):
    root = write_files(tmp_path / "p", FILES)
    cache = tmp_path / "cache"
    probe = (
        "import sys\n"
        "from backendscan.cli import main\n"
        f"code = main(['check', {str(root)!r}, '-q', '--cache-dir', {str(cache)!r}])\n"
        "print(code, 'networkx' in sys.modules, 'backendscan.rules.grammar' in sys.modules, 'backendscan.pipeline' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()[-4:] for _ in range(2)]
    assert runs[0] == ["0", "True", "True", "True"]  # cold: scanned and compiled
    assert runs[1] == ["0", "False", "False", "False"]  # warm: answered from the cache


def test_a_verdict_that_read_analyzer_facts_is_recomputed_when_the_plugins_change(tmp_path, capsys, monkeypatch):
    import backendscan.commands.check as check_cmd

    files = dict(FILES)
    files["RULES.md"] = "- Every endpoint declares a `response_model`\n"
    files["app/api/views.py"] = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/x')\ndef x():\n    return 1\n"
    root = write_files(tmp_path / "p", files)
    cache = tmp_path / "cache"
    runs = []
    real = check_cmd._evaluate
    monkeypatch.setattr(check_cmd, "_evaluate", lambda *a: runs.append(1) or real(*a))
    assert _check(root, cache, capsys)[0] == 1
    assert _check(root, cache, capsys)[0] == 1
    assert len(runs) == 1  # the second run was a hit
    monkeypatch.setattr(check_cmd, "_analyzer_plugins", lambda: "fastapi=somewhere:Other@extra==2.0")
    code, out, _ = _check(root, cache, capsys)
    assert code == 1 and "GET /x" in out
    assert len(runs) == 2  # recomputed: the installed analyzers differ from those the cached verdict used


def test_an_import_rule_verdict_does_not_depend_on_the_plugins(tmp_path, capsys, monkeypatch):
    import backendscan.commands.check as check_cmd

    root = write_files(tmp_path / "p", FILES)
    cache = tmp_path / "cache"
    assert _check(root, cache, capsys)[0] == 0
    monkeypatch.setattr(check_cmd, "_analyzer_plugins", lambda: pytest.fail("import rules need no plugin list"))
    assert _check(root, cache, capsys)[0] == 0
