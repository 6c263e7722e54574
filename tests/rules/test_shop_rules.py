"""The sample project's RULES.md yields exactly what tests/fixtures/EXPECTED.md section 3.8 says."""

from __future__ import annotations

import json

import pytest

from backendscan.cli import main
from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.rules.checks import check, input_from_scan, unmatched_findings
from backendscan.rules.compiler import compile_rules
from backendscan.rules.model import COMPILED, NOT_CHECKABLE


@pytest.fixture(scope="module")
def shop(fixtures):  # type: ignore[no-untyped-def]
    return scan(fixtures / "shop", Config(use_cache=False, jobs=1))


@pytest.fixture(scope="module")
def fixtures():  # type: ignore[no-untyped-def]
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "fixtures" / "projects"


@pytest.fixture(scope="module")
def rules(fixtures):  # type: ignore[no-untyped-def]
    return compile_rules((fixtures / "shop" / "RULES.md").read_text(), "RULES.md")


def test_every_statement_is_accounted_for(rules):  # type: ignore[no-untyped-def]
    status = {}
    for e in rules.entries:
        status.setdefault(e.line, set()).add(e.status)
    assert {ln for ln, s in status.items() if COMPILED in s} == {11, 13, 15, 16, 20, 26, 27, 31, 37, 38, 39, 43, 44}
    # "not machine-checkable" in EXPECTED.md
    for line in (22, 32, 33, 45):
        assert status[line] == {NOT_CHECKABLE}, line
    assert not [e for e in rules.entries if e.status == "unrecognized"]


def test_violations_are_exactly_the_expected_ones(shop, rules):  # type: ignore[no-untyped-def]
    res = check([rules], input_from_scan(shop))
    got = sorted((f.source, f.location.path, f.location.line, f.rule_id) for f in res.findings)
    assert got == [
        ("RULES.md:13", "shop/api/orders.py", 6, "closed-layers-api-services-repositories-models"),
        ("RULES.md:26", "shop/services/orders.py", 10, "no-cycles"),
        ("RULES.md:27", "shop/api/health.py", 3, "ban-requests"),
        ("RULES.md:37", "shop/api/orders.py", 51, "routes-option-response-model"),
        ("RULES.md:38", "shop/api/orders.py", 58, "routes-auth"),
        ("RULES.md:39", "shop/api/health.py", 20, "routes-no-blocking"),
        ("RULES.md:43", "shop/tasks/maintenance.py", 18, "tasks-option-max-retries"),
        ("RULES.md:44", "shop/tasks/maintenance.py", 18, "tasks-option-time-limit-soft-time-limit"),
    ]
    assert unmatched_findings(res) == ()
    by_rule = {f.rule_id: f for f in res.findings}
    layer = by_rule["closed-layers-api-services-repositories-models"]
    assert [(h.importer, h.imported, h.location.short) for h in layer.chain] == [("shop.api.orders", "shop.repositories.orders", "shop/api/orders.py:6")]
    cycle = by_rule["no-cycles"]
    assert [h.location.short for h in cycle.chain] == ["shop/services/orders.py:10", "shop/services/payments.py:8"]
    assert "POST /api/v1/orders/{order_id}/cancel" in by_rule["routes-option-response-model"].message
    assert "GET /api/v1/orders/{order_id}/receipt" in by_rule["routes-auth"].message
    assert by_rule["routes-no-blocking"].message == "blocking call requests.get() inside async def ready (GET /api/v1/health/ready)"
    assert "shop.tasks.maintenance.purge_stale_orders" in by_rule["tasks-option-max-retries"].message


def test_role_words_resolve_to_the_shop_packages(shop, rules):  # type: ignore[no-untyped-def]
    res = check([rules], input_from_scan(shop))
    described = {r.ref.text: (r.modules, r.how) for r in res.resolutions}
    assert described["routers"] == (("shop.api",), "where the routes are defined")
    assert described["services"] == (("shop.services",), "packages named services")
    assert described["shop.api.deps.get_db"] == (("shop.api.deps",), "the module that defines shop.api.deps.get_db")


def test_gate_on_the_shop_exits_1_and_cites_rules_md(fixtures, capsys):  # type: ignore[no-untyped-def]
    assert main(["check", str(fixtures / "shop"), "--no-cache", "-q", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["findings"]["error"] == 8
    assert sorted({f["source"] for f in data["findings"]}) == ["RULES.md:13", "RULES.md:26", "RULES.md:27", "RULES.md:37", "RULES.md:38", "RULES.md:39", "RULES.md:43", "RULES.md:44"]


def test_explain_shows_canonical_forms_and_resolutions(fixtures, capsys):  # type: ignore[no-untyped-def]
    shop = fixtures / "shop"
    assert main(["rules", "explain", str(shop / "RULES.md"), "--project", str(shop), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    line20 = [r for r in data["rules"] if r["line"] == 20]
    assert [(r["status"], r["kind"], r["severity"]) for r in line20] == [("compiled", "forbidden", "error"), ("compiled", "protected", "error")]
    assert line20[0]["canonical"] == ["routers must not import `shop.db`, except `shop.api.deps.get_db`"]
    assert line20[0]["scope"] == ["routers"]
    names = {n["name"]: n["modules"] for n in line20[0]["compiled"][0]["names"]}
    assert names == {"routers": ["shop.api"], "shop.db": ["shop.db"], "shop.api.deps.get_db": ["shop.api.deps"]}
    line22 = [r for r in data["rules"] if r["line"] == 22][0]
    assert (line22["status"], line22["kind"]) == ("not_checkable", "data and domain")
    assert data["counts"] == {"compiled": 17, "not_checkable": 8, "unrecognized": 0}
    assert main(["rules", "explain", str(shop / "RULES.md")]) == 0
    text = capsys.readouterr().out
    assert "RULES.md:13: compiled [layers] Each layer may import only the layer directly below it" in text
    assert "    -> Each layer of api -> services -> repositories -> models imports only the layer directly below it  [closed-layers-api-services-repositories-models, error]" in text


def test_infer_drafts_rules_that_hold(fixtures, tmp_path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "RULES.md"
    assert main(["rules", "infer", str(fixtures / "shop"), "--no-cache", "-q", "-o", str(out)]) == 0
    draft = out.read_text()
    assert "- Layers, top to bottom: `shop.main` -> `shop.api` -> `shop.services` ->" in draft
    assert "- remove `from shop.services import orders` at `shop/services/payments.py:8` (`shop.services.payments` imports `shop.services.orders`)" in draft
    # the fenced block names the layers in full, so it is the same rule as the prose line (checked once)
    assert '```backendscan\n[[layers]]\nlayers = ["shop.main", "shop.api", "shop.services",' in draft
    # the draft holds on today's code
    assert main(["check", str(fixtures / "shop"), "--no-cache", "-q", "--rules", str(out)]) == 0
