"""Bad input becomes findings with locations; the scan goes on and the report still renders."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from backendscan import Config, scan
from backendscan.cli import main
from backendscan.parsing import parse_source
from backendscan.testing import write_files


def _problems(result, path):
    return [(f.rule_id, f.location.line, f.message) for f in result.findings if f.location.path == path]


@pytest.fixture
def broken(tmp_path):
    deep = "x = " + "[" * 1000 + "]" * 1000 + "\n"
    deep_blocks = "".join("    " * i + "if x:\n" for i in range(120)) + "    " * 120 + "pass\n"
    big = "".join(f"CONSTANT_{i} = {i}  # generated\n" for i in range(170_000))  # ~5 MB
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/good.py": "import app.other\n",
            "app/other.py": "",
            "app/syntax.py": "def f(:\n    pass\n",
            "app/py2.py": "import os\nprint 'hello'\n",
            "app/latin.py": b"\xff\xfe bad bytes \x80\n",
            "app/nul.py": b"x = 1\x00\n",
            "app/bom_crlf.py": b"\xef\xbb\xbfimport app.other\r\nY = 2\r\n",
            "app/cookie.py": "# -*- coding: latin-1 -*-\nimport app.other\n".encode("latin-1") + "s = 'caf\xe9'\n".encode("latin-1"),
            "app/deep.py": deep,
            "app/deep_blocks.py": deep_blocks,
            "app/big.py": "import app.other\n" + big,
            "pyproject.toml": "[project\nname = broken",
        },
    )
    unreadable = tmp_path / "app" / "secret.py"
    unreadable.write_text("import app.other\n")
    os.chmod(unreadable, 0)
    (tmp_path / "app" / "loop").symlink_to(tmp_path / "app")
    yield tmp_path
    os.chmod(unreadable, stat.S_IRUSR | stat.S_IWUSR)


def test_every_bad_file_is_a_finding_and_the_rest_is_analysed(broken):
    r = scan(broken, Config(use_cache=False, jobs=1, metrics=True))
    assert _problems(r, "app/syntax.py") == [("parse-error", 1, "syntax error: invalid syntax")]
    [(rule, line, msg)] = _problems(r, "app/py2.py")
    assert (rule, line) == ("parse-error", 2) and "looks like Python 2" in msg
    assert _problems(r, "app/latin.py") == [("decode-error", 1, "undecodable bytes (invalid start byte, encoding utf-8)")]
    assert _problems(r, "app/nul.py") == [("parse-error", 1, "source contains a null byte")]
    [(rule, _, msg)] = _problems(r, "app/deep.py")
    assert rule == "parse-error" and "nesting too deep" in msg
    [(rule, line, msg)] = _problems(r, "app/deep_blocks.py")
    assert rule == "parse-error" and "indentation" in msg
    assert [p[0] for p in _problems(r, "app/big.py")] == ["metrics-skipped"]
    if os.geteuid() != 0:  # root can read anything
        assert _problems(r, "app/secret.py")[0][0] == "read-error"
    assert {s.path: s.reason for s in r.skipped}["app/loop/"] == "symlink loop (folder already scanned)"
    # pyproject broken: a config finding, defaults used
    cfg = [f for f in r.findings if f.rule_id == "config-error"]
    assert cfg and cfg[0].location.path == "pyproject.toml" and "invalid TOML" in cfg[0].message
    # good files are analysed, BOM/CRLF and coding cookies are fine
    assert r.graph.has_edge("app.good", "app.other")
    assert r.graph.has_edge("app.bom_crlf", "app.other")
    assert r.graph.has_edge("app.cookie", "app.other")
    assert r.graph.has_edge("app.big", "app.other")
    assert not _problems(r, "app/bom_crlf.py") and not _problems(r, "app/cookie.py")


def test_report_still_renders_and_lists_the_problems(broken, tmp_path_factory, capsys):
    out = tmp_path_factory.mktemp("out")
    assert main(["report", str(broken), "--no-cache", "-j", "1", "--format", "md,json", "-o", str(out)]) == 0
    md = (out / "report.md").read_text()
    assert "`parse-error`" in md and "app/syntax.py:1" in md and "symlink loop" in md


def test_crlf_line_numbers_match_the_file():
    o = parse_source("a.py", "a", False, b"import os\r\n\r\nimport sys\r\n")
    assert [n.lineno for n in o.module.tree.body] == [1, 3]


def test_newer_syntax_is_lowered_with_lines_kept():
    src = (
        b"type Alias = list[int]\n"
        b"def first[T](xs: list[T]) -> T:\n"
        b"    try:\n"
        b"        return xs[0]\n"
        b"    except IndexError, KeyError:\n"
        b"        raise\n"
        b"class Box[T]:\n"
        b"    name = f\"{'x'}\"\n"
        b"import late\n"
    )
    o = parse_source("n.py", "n", False, src)
    assert o.module is not None and o.module.via == ("ast" if sys.version_info >= (3, 14) else "lowered")
    assert [(type(n).__name__, n.lineno) for n in o.module.tree.body] == [
        ("Assign", 1),
        ("FunctionDef", 2),
        ("ClassDef", 7),
        ("Import", 9),
    ]
    assert [p.rule_id for p in o.problems] == ["newer-syntax"]


def test_pep701_nested_quotes_in_fstrings_are_parsed():
    o = parse_source("f.py", "f", False, b'x = f"{d["k"]}"\nimport json\n')
    assert o.module is not None
    assert [n.lineno for n in o.module.tree.body] == [1, 2]


def test_unreadable_file_is_a_read_error(tmp_path, monkeypatch):
    import builtins

    write_files(tmp_path, {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""})
    real = builtins.open

    def guarded(file, mode="r", *args, **kwargs):
        if str(file).endswith("/a.py") and "b" in mode:  # the scan reads sources as bytes
            raise PermissionError(13, "Permission denied")
        return real(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    r = scan(tmp_path, Config(use_cache=False, jobs=1))
    assert _problems(r, "app/a.py") == [("read-error", 0, "cannot read file: Permission denied")]
    assert "app.b" in r.graph


def test_a_broken_test_file_is_a_warning_and_broken_application_code_an_error(tmp_path):
    # nautobot keeps deliberately invalid files under extras/tests/git_data/ as test data
    write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/views.py": "def broken(:\n",
            "app/tests/__init__.py": "",
            "app/tests/git_data/jobs/syntaxerror.py": "print('never closed'\n",
        },
    )
    r = scan(tmp_path, Config(use_cache=False, jobs=1))
    got = sorted((f.location.path, f.rule_id, f.severity.value) for f in r.findings if f.rule_id == "parse-error")
    assert got == [
        ("app/tests/git_data/jobs/syntaxerror.py", "parse-error", "warning"),
        ("app/views.py", "parse-error", "error"),
    ]
    hint = next(f.hint for f in r.findings if f.location.path.endswith("syntaxerror.py"))
    assert hint.endswith("It is a test file; tests may keep broken files as data.")


def test_a_template_with_a_py_name_is_a_note_not_a_parse_error():
    # Polar's SDK generator keeps Jinja templates as sdk/generator/python/template/polar/version/*.py
    text = b"import typing\n\n{% for service in api.services %}\nfrom polar.{{ version }}.services import {{ service.name }}\n{% endfor %}\n"
    out = parse_source("template/client.py", "template.client", False, text)
    assert out.module is None
    assert [(f.rule_id, f.severity.value, f.location.line, f.message) for f in out.problems] == [
        ("template-file", "info", 3, "a template, not Python: template tags such as `{% for service in api.services %}`; not analysed")
    ]
    # a broken file that merely holds braces in a string is still a parse error
    out = parse_source("app/broken.py", "app.broken", False, b"x = '{{ not a tag }}'\ndef (\n")
    assert [f.rule_id for f in out.problems] == ["parse-error"]
