"""Every fixture's JSON report validates against the shipped JSON Schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from backendscan import Config, scan
from backendscan.report.context import build_context
from backendscan.report.jsondata import SCHEMA_VERSION, dumps, report_data, schema_path
from tests.conftest import FIXTURES

PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def schema():
    return json.loads(schema_path().read_text())


@pytest.mark.parametrize("name", PROJECTS)
def test_fixture_report_matches_the_schema(name, schema):
    r = scan(FIXTURES / name, Config(use_cache=False, jobs=1))
    data = json.loads(dumps(report_data(r, build_context(r))))
    assert data["schema_version"] == SCHEMA_VERSION
    jsonschema.validate(data, schema)


def test_shop_json_facts(schema):
    r = scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    data = report_data(r, build_context(r))
    assert data["summary"]["cycles"] == 2
    cyc = [c for c in data["cycles"] if "shop.services.orders" in c["members"]][0]
    assert [(h["file"], h["line"]) for h in cyc["example"]] == [("shop/services/orders.py", 10), ("shop/services/payments.py", 8)]
    deps = {(f["rule_id"], f["symbol"]) for f in data["dependencies"]["findings"]}
    assert deps == {("unused-dependency", "redis"), ("undeclared-dependency", "requests")}
    assert data["project"]["roots"] == [{"path": ".", "reason": "the scanned folder"}]
