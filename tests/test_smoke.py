from backendscan.cli import main


def test_report_runs_on_the_sample_project(fixtures, tmp_path, capsys):
    code = main(["report", str(fixtures / "shop"), "--no-cache", "--format", "md,json", "-o", str(tmp_path)])
    assert code == 0
    text = (tmp_path / "report.md").read_text()
    assert "# Architecture report: shop" in text
    assert "`shop.services.orders` imports `shop.services.payments` at `shop/services/orders.py:10`" in text
