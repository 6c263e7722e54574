"""`backendscan check` as a CI gate: exit codes, formats, SARIF schema, baselines, ignores."""

from __future__ import annotations

import hashlib
import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from backendscan.cli import main
from backendscan.testing import write_files

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"

PROJECT = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": """
        from app.services import orders
        import requests


        def show():
            print("hi")
            return orders.total()
    """,
    "app/services/__init__.py": "",
    "app/services/orders.py": """
        from app.db import session


        def total():
            return session.count()
    """,
    "app/db/__init__.py": "",
    "app/db/session.py": """
        def count():
            return 1
    """,
}


def project(tmp_path: Path, rules: str, extra: dict[str, str] | None = None) -> Path:
    files = dict(PROJECT)
    files["RULES.md"] = rules
    files.update(extra or {})
    return write_files(tmp_path / "proj", files)


def gate(root: Path, *args: str) -> int:
    return main(["check", str(root), "--no-cache", "-q", *args])


def test_clean_project_exits_0(tmp_path, capsys):
    root = project(tmp_path, "- `app.db` must not import `app.api`\n")
    assert gate(root) == 0
    out = capsys.readouterr().out
    assert out.startswith("backendscan check passed: 0 errors, 0 warnings, 0 info; 7 files (7 analysed, 0 skipped); 1 rule checked from RULES.md")


def test_violations_exit_1_with_chain_lines(tmp_path, capsys):
    root = project(tmp_path, "# Rules\n\n- `app.api` must not import `app.db`\n- `requests` is banned, use `httpx`\n")
    assert gate(root) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:5] == [
        "app/api/views.py:1:1: error [api-must-not-import-db] app.api.views imports app.db.session; app.api must not import app.db (through 1 other module) (RULES.md:3)",
        "    app/api/views.py:1: app.api.views -> app.services.orders  from app.services import orders",
        "    app/services/orders.py:1: app.services.orders -> app.db.session  from app.db import session",
        "app/api/views.py:2:1: error [ban-requests] imports banned `requests`; use `httpx` (RULES.md:4)",
        "    app/api/views.py:2: app.api.views -> requests  import requests",
    ]
    assert out[-1].startswith("backendscan check FAILED: 2 errors, 0 warnings, 0 info;")


def test_warnings_pass_unless_fail_on_warning(tmp_path):
    root = project(tmp_path, "- `print` should not be used (recommended)\n")
    assert gate(root) == 0
    assert gate(root, "--fail-on", "warning") == 1


def test_exit_code_never_depends_on_the_number_of_violations(tmp_path):
    many = {f"app/api/m{i}.py": "import requests\n" for i in range(300)}
    root = project(tmp_path, "- `requests` is banned\n", many)
    assert gate(root) == 1


def test_uncompilable_rules_exit_2(tmp_path, capsys):
    root = project(tmp_path, "```backendscan\n[[forbidden]]\nsource = 1\n```\n")
    assert gate(root) == 2
    assert "RULES.md:2: [[forbidden]]: 'source' must be a string or a list of strings" in capsys.readouterr().err


def test_missing_or_unreadable_rules_file_exit_2(tmp_path):
    root = project(tmp_path, "x")
    assert gate(root, "--rules", str(tmp_path / "nope.md")) == 2
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\xfa not utf-8")
    assert gate(root, "--rules", str(bad)) == 2
    assert main(["check", str(tmp_path / "missing-dir")]) == 2


def test_unknown_module_is_a_warning_and_an_error_with_strict(tmp_path, capsys):
    root = project(tmp_path, "- `app.nothere` must not import `app.db`\n")
    assert gate(root) == 0
    assert "warning [rule-matches-nothing] `app.nothere` (sources) matches no module" in capsys.readouterr().out
    assert gate(root, "--strict") == 2


def test_internal_error_exits_3(tmp_path, monkeypatch):
    root = project(tmp_path, "- `app.api` must not import `app.db`\n")
    import backendscan.rules.checks as checks

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(checks, "check", boom)
    assert gate(root) == 3


def test_sarif_is_valid_against_the_official_schema(tmp_path):
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
    root = project(tmp_path, "- `app.api` must not import `app.db`\n- `print` is banned\n")
    out = tmp_path / "out.sarif"
    assert gate(root, "--format", "sarif", "-o", str(out)) == 1
    log = json.loads(out.read_text())
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    run = log["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["api-must-not-import-db", "ban-print"]
    chain = results[0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [(c["location"]["physicalLocation"]["artifactLocation"]["uri"], c["location"]["physicalLocation"]["region"]["startLine"]) for c in chain] == [
        ("app/api/views.py", 1),
        ("app/services/orders.py", 1),
    ]
    assert set(results[0]["partialFingerprints"]) == {"backendscan/v1"}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["api-must-not-import-db"]["properties"]["rulesSource"] == "RULES.md:1"
    assert rules["api-must-not-import-db"]["shortDescription"]["text"] == "`app.api` must not import `app.db`"


def test_fingerprints_do_not_change_when_lines_move(tmp_path):
    root = project(tmp_path, "- `app.api` must not import `app.db`\n")
    out1, out2 = tmp_path / "1.sarif", tmp_path / "2.sarif"
    gate(root, "--format", "sarif", "-o", str(out1))
    views = root / "app/api/views.py"
    views.write_text("# a new comment line\n\n" + views.read_text())
    gate(root, "--format", "sarif", "-o", str(out2))
    fp = lambda p: [r["partialFingerprints"]["backendscan/v1"] for r in json.loads(p.read_text())["runs"][0]["results"]]  # noqa: E731
    lines = lambda p: [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in json.loads(p.read_text())["runs"][0]["results"]]  # noqa: E731
    assert fp(out1) == fp(out2) and lines(out1) != lines(out2)


def test_json_github_and_junit_formats(tmp_path, capsys):
    root = project(tmp_path, "- `app.api` must not import `app.db`\n")
    assert gate(root, "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["findings"] == {"error": 1, "info": 0, "warning": 0}
    assert data["findings"][0]["chain"][1] == {"code": "from app.db import session", "file": "app/services/orders.py", "imported": "app.db.session", "importer": "app.services.orders", "line": 1}
    assert data["rules"][0]["source"] == "RULES.md:1"
    assert gate(root, "--format", "github") == 1
    gh = capsys.readouterr().out.splitlines()
    assert gh[0].startswith("::error file=app/api/views.py,line=1,col=1,title=api-must-not-import-db::app.api.views imports app.db.session")
    assert "%0Aapp/api/views.py:1: app.api.views -> app.services.orders" in gh[0]
    assert gate(root, "--format", "junit") == 1
    xml = ET.fromstring(capsys.readouterr().out)
    case = xml.find("testsuite/testcase")
    assert case is not None and case.find("failure") is not None
    assert xml.attrib["failures"] == "1"


def test_baseline_add_known_shrink_and_stale(tmp_path, capsys):
    root = project(tmp_path, "- `requests` is banned\n- `print` is banned\n")
    assert gate(root) == 1
    assert gate(root, "--update-baseline") == 0
    base = json.loads((root / ".backendscan-baseline.json").read_text())
    assert sorted(v["rule"] for v in base["violations"]) == ["ban-print", "ban-requests"]
    assert all("line" not in v for v in base["violations"])
    capsys.readouterr()
    assert gate(root) == 0
    assert "2 known violations ignored (baseline" in capsys.readouterr().out
    # a new violation fails; the known ones stay ignored
    (root / "app/services/extra.py").write_text("import requests\n")
    assert gate(root) == 1
    out = capsys.readouterr().out
    assert "app/services/extra.py:1:1: error [ban-requests]" in out and "app/api/views.py" not in out
    (root / "app/services/extra.py").unlink()
    # fixing a known violation: --strict-baseline fails on the stale entry, a normal run shrinks the baseline
    views = root / "app/api/views.py"
    views.write_text(views.read_text().replace("import requests\n", ""))
    assert gate(root, "--strict-baseline") == 2
    assert "stale-baseline" in capsys.readouterr().out
    assert gate(root) == 0
    base = json.loads((root / ".backendscan-baseline.json").read_text())
    assert [v["rule"] for v in base["violations"]] == ["ban-print"]
    assert gate(root, "--strict-baseline") == 0


def test_bad_baseline_file_exits_2(tmp_path):
    root = project(tmp_path, "- `print` is banned\n", {".backendscan-baseline.json": "{not json"})
    assert gate(root) == 2


def test_inline_ignores_need_a_reason(tmp_path, capsys):
    extra = {
        "app/services/orders.py": textwrap.dedent(
            """
            from app.db import session
            import requests  # backendscan: ignore[ban-requests] the vendor SDK needs it
            import pickle  # backendscan: ignore[ban-pickle]


            def total():
                # backendscan: ignore[ban-print] debugging aid kept on purpose
                print(session.count())
                return 0  # backendscan: ignore[ban-eval] stale
            """
        ).lstrip()
    }
    root = project(tmp_path, "- `requests` is banned\n- `pickle` is banned\n- `print` is banned\n- `eval` is banned\n", extra)
    assert gate(root) == 1
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith("app/services/orders.py")]
    assert lines == [
        "app/services/orders.py:3: error [ignore-without-reason] `backendscan: ignore[ban-pickle]` has no reason, so it suppresses nothing",
        "app/services/orders.py:3:1: error [ban-pickle] imports banned `pickle` (RULES.md:2)",
        "app/services/orders.py:9: warning [unused-ignore] `backendscan: ignore[ban-eval]` suppresses nothing on line 9",
    ]
    assert "2 violations suppressed by ignore comments" in out


def test_import_linter_contracts_are_checked_too(tmp_path, capsys):
    pyproject = textwrap.dedent(
        """
        [project]
        name = "proj"

        [tool.importlinter]
        root_package = "app"

        [[tool.importlinter.contracts]]
        name = "API does not reach the DB"
        type = "forbidden"
        source_modules = ["app.api"]
        forbidden_modules = ["app.db"]
        """
    )
    root = project(tmp_path, "- `print` is banned\n", {"pyproject.toml": pyproject})
    assert gate(root) == 1
    out = capsys.readouterr().out
    assert "[api-does-not-reach-the-db]" in out and "(pyproject.toml:7)" in out
    assert gate(root, "--no-importlinter") == 1
    assert "api-does-not-reach-the-db" not in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_format_is_deterministic(tmp_path, fmt):
    root = project(tmp_path, "- `app.api` must not import `app.db`\n- `print` is banned\n")
    a, b = tmp_path / "a", tmp_path / "b"
    gate(root, "--format", fmt, "-o", str(a))
    gate(root, "--format", fmt, "-o", str(b))
    assert a.read_text() == b.read_text()


def test_a_module_nobody_may_import_is_named_in_the_message(tmp_path, capsys):
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/cli.py": "",
            "app/main.py": "from app import cli\n",
            "RULES.md": "# Rules\n\n- No module may import `app.cli`.\n",
        },
    )
    assert main(["check", str(tmp_path), "--no-cache", "-q"]) == 1
    out = capsys.readouterr().out
    assert "app/main.py:1:1: error [nothing-imports-cli] app.main imports app.cli; no module may import app.cli (RULES.md:3)" in out
