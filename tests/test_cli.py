"""The CLI contract: formats, exit codes, determinism, quiet output."""

from __future__ import annotations

import json
import shutil

import pytest

from backendscan.cli import main
from tests.conftest import FIXTURES


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_code_2_for_usage_errors(capsys, tmp_path):
    code, _, err = run(capsys, "report", str(tmp_path / "missing"))
    assert code == 2 and "no such file or directory" in err
    code, _, err = run(capsys, "report", str(FIXTURES / "shop"), "--format", "pdf")
    assert code == 2 and "unknown format" in err
    code, _, _ = run(capsys, "graph", str(FIXTURES / "shop"), "--format", "svg")
    assert code == 2  # argparse choice error
    code, _, _ = run(capsys)
    assert code == 2


def test_version_and_help(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("backendscan ")


def test_graph_json_is_node_link_with_sites(capsys):
    code, out, err = run(capsys, "graph", str(FIXTURES / "layout_multi"), "--no-cache", "-q")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [n["id"] for n in data["nodes"]] == ["alpha", "alpha.core", "alpha.models", "beta", "beta.helpers", "beta.tools"]
    edges = {(e["source"], e["target"]): e["sites"] for e in data["edges"]}
    assert set(edges) == {("alpha.core", "alpha.models"), ("alpha.core", "beta.helpers"), ("beta.tools", "alpha.models")}
    s = edges[("beta.tools", "alpha.models")][0]
    assert (s["file"], s["line"], s["code"], s["kind"]) == ("beta/tools.py", 3, "import alpha.models", "normal")
    import networkx as nx

    g = nx.node_link_graph(data, edges="edges")
    assert g.number_of_edges() == 3


def test_graph_dot_and_mermaid(capsys):
    code, out, _ = run(capsys, "graph", str(FIXTURES / "shop"), "--no-cache", "--format", "dot")
    assert code == 0 and out.startswith("digraph imports {")
    assert '"shop.services.orders" -> "shop.services.payments" [color="#d00", penwidth=2];' in out
    code, out, _ = run(capsys, "graph", str(FIXTURES / "shop"), "--no-cache", "--format", "mermaid", "--depth", "2")
    assert code == 0 and out.startswith("flowchart LR")
    assert "n_shop_api -->|1| n_shop_repositories" in out


def test_report_is_byte_identical_across_runs(tmp_path, capsys):
    outs = []
    for i in range(2):
        d = tmp_path / f"o{i}"
        assert main(["report", str(FIXTURES / "shop"), "--format", "md,json", "-o", str(d), "-q", "--cache-dir", str(tmp_path / "cache")]) == 0
        outs.append(((d / "report.md").read_bytes(), (d / "report.json").read_bytes()))
    assert outs[0] == outs[1]


def test_status_line_names_written_files(tmp_path, capsys):
    code, out, err = run(capsys, "report", str(FIXTURES / "layout_src"), "--no-cache", "-o", str(tmp_path / "r.md"))
    assert code == 0 and out == ""
    assert "wrote " + str(tmp_path / "r.md") in err
    code, out, err = run(capsys, "report", str(FIXTURES / "layout_src"), "--no-cache", "-q", "-o", str(tmp_path / "r2.md"))
    assert err == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    code, out, err = run(capsys, "graph", str(FIXTURES / "shop"), "--no-cache")
    assert code == 0 and "\r" not in err


def test_internal_errors_exit_3(monkeypatch, capsys):
    import backendscan.commands.graph as g

    def boom(args, scope="full"):
        raise RuntimeError("kaput")

    monkeypatch.setattr(g, "run_scan", boom)
    code, _, err = run(capsys, "graph", str(FIXTURES / "shop"))
    assert code == 3 and "internal error: RuntimeError: kaput" in err


def test_scanning_never_imports_or_runs_the_code(tmp_path, capsys):
    proj = tmp_path / "no_import"
    shutil.copytree(FIXTURES / "no_import", proj)
    for argv in (
        ["report", str(proj), "--no-cache", "--format", "md,json", "-o", str(tmp_path / "out")],
        ["graph", str(proj), "--format", "dot"],
        ["routes", str(proj), "--format", "json"],
        ["models", str(proj), "--format", "json"],
        ["tasks", str(proj), "--format", "json"],
    ):
        assert main(argv) == 0
    capsys.readouterr()
    assert not list(proj.rglob("IMPORTED_MARKER"))
    assert not list(tmp_path.rglob("IMPORTED_MARKER"))


def test_config_file_option(tmp_path, capsys):
    from backendscan.testing import write_files

    proj = write_files(tmp_path / "site", {"core/__init__.py": "", "core/urls.py": "from core import views\n", "core/views.py": "", "other/__init__.py": ""})
    cfg = tmp_path / "scan.toml"
    cfg.write_text('[tool.backendscan]\nexclude = ["other/"]\n')
    code, out, _ = run(capsys, "graph", str(proj), "--no-cache", "--config", str(cfg))
    assert code == 0
    ids = [n["id"] for n in json.loads(out)["nodes"]]
    assert ids == ["core", "core.urls", "core.views"]
    cfg.write_text("[tool.backendscan]\nroots = 3\n")
    code, _, err = run(capsys, "graph", str(proj), "--config", str(cfg))
    assert code == 2 and "'roots' must be str list" in err
    code, _, err = run(capsys, "graph", str(proj), "--config", str(tmp_path / "nope.toml"))
    assert code == 2 and "config file not found" in err


def test_cli_start_up_does_not_load_the_report_layer():
    import subprocess
    import sys

    code = (
        "import sys, backendscan.cli as c; c.build_parser(); "
        "heavy = [m for m in ('backendscan.pipeline', 'backendscan.report.render', 'jinja2', 'networkx') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_report_engines_match_the_diagram_module():
    from backendscan.commands.report import ENGINES
    from backendscan.report.diagrams import ENGINES as REAL

    assert ENGINES == REAL


def test_json_rendered_beside_other_formats_equals_json_alone(tmp_path, capsys):
    # with other formats, a forked child renders the JSON (backendscan.forking): same bytes
    both, alone = tmp_path / "both", tmp_path / "alone.json"
    assert main(["report", str(FIXTURES / "shop"), "--format", "md,json,sarif", "-o", str(both), "-q", "--no-cache"]) == 0
    assert main(["report", str(FIXTURES / "shop"), "--format", "json", "-o", str(alone), "-q", "--no-cache"]) == 0
    assert (both / "report.json").read_bytes() == alone.read_bytes()
    data = json.loads(alone.read_text("utf-8"))
    assert data["schema_version"] and [r["path"] for r in data["routes"]][:1] == ["/api/v1/health/live"]


def test_console_script_exits_fast_with_everything_written(tmp_path, capsys):
    # `python -m backendscan` leaves through os._exit (cli.exit_now): the files and stdout are complete
    import subprocess
    import sys

    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "backendscan", "report", str(FIXTURES / "shop"), "--format", "md,json", "-o", str(out) + "/", "--no-cache"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wrote " + str(out / "report.json") in proc.stderr
    alone = tmp_path / "alone.json"
    assert main(["report", str(FIXTURES / "shop"), "--format", "json", "-o", str(alone), "-q", "--no-cache"]) == 0
    assert (out / "report.json").read_bytes() == alone.read_bytes()
    listed = subprocess.run([sys.executable, "-m", "backendscan", "routes", str(FIXTURES / "shop"), "--format", "json", "--no-cache"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert run(capsys, "routes", str(FIXTURES / "shop"), "--format", "json", "--no-cache")[1] == listed.stdout
    failing = subprocess.run([sys.executable, "-m", "backendscan", "report", str(tmp_path / "missing")], capture_output=True, text=True)
    assert failing.returncode == 2 and "no such file or directory" in failing.stderr


def test_objects_are_kept_for_the_exit_only_under_the_console_script():
    from backendscan.commands import common

    assert common.KEPT is None
    common.keep_until_exit(object())
    assert common.KEPT is None
