from backendscan.cli import main


def test_report_runs_on_the_sample_project(fixtures, tmp_path, capsys):
    code = main(["report", str(fixtures / "shop"), "--no-cache", "--format", "md,json", "-o", str(tmp_path)])
    assert code == 0
    text = (tmp_path / "report.md").read_text()
    assert "# Architecture report: shop" in text
    assert "`shop.services.orders` imports `shop.services.payments` at `shop/services/orders.py:10`" in text


def test_on_graph_sees_the_final_import_graph_before_the_analyzers(fixtures):
    from backendscan import Config, scan

    seen = []
    result = scan(fixtures / "shop", Config(use_cache=False, jobs=1), on_graph=seen.append)
    assert len(seen) == 1
    partial = seen[0]
    assert partial.name == result.name == "shop"
    assert partial.modules == result.modules and partial.imports == result.imports
    assert sorted(partial.graph.edges) == sorted(result.graph.edges) and ("shop.api.deps", "shop.services.users") in partial.graph.edges
    # facts come later: the routes are the analyzers' work
    assert partial.routes == () and partial.findings == () and result.routes
