"""The report: view model sections, Markdown/HTML/SARIF renderings, escaping, determinism, the plan, the CLI."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from backendscan import Config, scan
from backendscan.cli import main
from backendscan.facts import AuthEvidence, Column, ForeignKey, OrmModel, Route, Task
from backendscan.model import Location
from backendscan.report.context import build_context
from backendscan.report.contextfile import BEGIN, END, task_from_context, update_block
from backendscan.report.diagrams import draw
from backendscan.report.layout import layered_layout
from backendscan.report.plan import make_plan, split_identifier, stem, tokens
from backendscan.report.reach import compute_reach, path_matches
from backendscan.report.render import md_cell, md_code, render_html, render_markdown
from tests.conftest import FIXTURES

HAS_FASTAPI = True
try:  # the framework analyzers are registered by their own commits; skip fact assertions without them
    from backendscan.analyzers.registry import load_analyzers

    HAS_FASTAPI = "fastapi" in {a.name for a in load_analyzers()[0]}
except Exception:  # pragma: no cover
    HAS_FASTAPI = False


@pytest.fixture(scope="module")
def shop():
    return scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))


@pytest.fixture(scope="module")
def shop_ctx(shop):
    return build_context(shop, task="Add password reset by email")


# ---------------------------------------------------------------- view model
def test_stack_and_gaps_in_the_view_model(shop_ctx):
    names = [(c.concern, c.name, c.version) for c in shop_ctx.frameworks]
    assert ("web framework", "FastAPI", ">=0.115") in names
    assert ("ORM", "SQLAlchemy", ">=2.0,<2.1") in names
    assert ("migrations", "Alembic", ">=1.13") in names
    assert ("task queue", "Celery", ">=5.4") in names
    gaps = {(f.rule_id, f.location.short) for f in shop_ctx.gaps}
    assert ("worker-missing", "shop/tasks/emails.py:22") in gaps or not shop_ctx.tasks
    assert ("scheduler-missing", "shop/worker.py:21") in gaps or not shop_ctx.beat


def test_test_reach_of_shop(shop):
    reach = compute_reach(shop)
    status = {m.module: m.status for m in reach.modules}
    direct = sorted(m for m, s in status.items() if s == "direct")
    assert direct == ["shop.api.deps", "shop.main", "shop.models", "shop.schemas", "shop.services.orders", "shop.services.security"]
    assert [m for m, s in status.items() if s == "none"] == ["shop.tasks.maintenance"]
    assert sorted(m for m, s in status.items() if s == "package") == ["shop", "shop.api", "shop.repositories", "shop.services", "shop.tasks"]
    assert reach.of_module("shop.services.security").tests[0] == "tests.test_users"
    if HAS_FASTAPI:
        called = {(r.route.methods, r.route.path): r.calls for r in reach.routes if r.status == "called"}
        assert called == {
            (("POST",), "/api/v1/signup"): ("tests/test_users.py:14",),
            (("GET",), "/api/v1/users/me"): ("tests/test_users.py:22", "tests/test_users.py:27"),
        }


def test_path_matching():
    assert path_matches("/api/v1/users/{user_id}", "/api/v1/users/{}")
    assert path_matches("/api/v1/users/{user_id}", "{}/users/{}")  # prefix from settings
    assert path_matches("/api/v1/orders/{order_id}/pay", "/api/v1/orders/{}/pay")
    assert not path_matches("/api/v1/orders/{order_id}/pay", "/api/v1/orders/{}/cancel")
    assert not path_matches("/api/v1/users/", "{}")  # nothing literal to compare
    assert path_matches("/files/{name}", "/files/report-{}.pdf")


def test_hotspots_rank_by_fan_in(shop_ctx):
    h = shop_ctx.hotspots
    assert [(x.name, x.complexity, x.line) for x in h.functions] == [("shop.services.orders.place_order", 5, 29)]
    assert h.unmaintainable[0].module == "shop.schemas"  # MI 50 and imported by 6 modules


def test_compliance_from_rules_md(shop_ctx):
    comp = shop_ctx.compliance
    assert comp.rules_file == "RULES.md" and comp.engine
    lines = sorted({f.location.short for f in comp.violations})
    assert "shop/api/health.py:3" in lines  # requests is banned (RULES.md:27)
    assert "shop/api/orders.py:6" in lines  # api skips services (RULES.md:13)
    assert {f.source for f in comp.violations} >= {"RULES.md:13", "RULES.md:26", "RULES.md:27"}
    not_checked = {s.line for s in comp.not_checked}
    assert {22, 32, 33, 45} <= not_checked  # transactions, docstrings, boring functions, ids
    assert ("shop.api.orders", "shop.repositories.orders") in comp.violation_edges
    assert any(s.text.startswith("Layers, top to bottom") for s in comp.suggestions)


# ---------------------------------------------------------------- plan
def test_tokenising_and_stemming():
    assert split_identifier("getUserByID send_welcome /api/v1/users/{user_id}") == ["get", "user", "by", "id", "send", "welcome", "api", "v", "1", "users", "user", "id"]
    assert [stem(w) for w in ("users", "emails", "sending", "confirmed", "addresses", "status", "categories")] == [
        "user", "email", "send", "confirm", "address", "status", "category"
    ]
    assert tokens("Add password reset by email") == ["password", "reset", "email"]


@pytest.mark.skipif(not HAS_FASTAPI, reason="needs the fastapi analyzer's routes")
def test_plan_for_password_reset(shop_ctx):
    p = shop_ctx.plan
    assert p.terms == ("password", "reset", "email") and p.unmatched == ("reset",)
    assert "lexical" in p.notes[0]
    layers = [(s.layer, s.file) for s in p.steps]
    assert layers == [
        ("api", "shop/api/login.py"),
        ("schemas", "shop/schemas.py"),
        ("services", "shop/services/security.py"),
        ("models", "shop/models/user.py"),
        ("tasks", "shop/tasks/emails.py"),
        ("settings", "shop/settings.py"),
    ]
    assert p.steps[0].text.startswith("Add the route handler in shop/api/login.py next to POST /api/v1/login/access-token (line 17)")
    assert "start it the way shop/services/users.py:20 starts shop.tasks.emails.send_welcome (.delay())" in p.steps[4].text
    assert p.models[0].title == "User (users)"
    rules = {r.line: r.checked for r in p.rules}
    assert rules[38] is True and rules[22] is False  # auth rule is checked; "keep transactions short" is not
    assert ("tests/test_users.py", "imports it: shop.services.security") in p.tests_existing
    assert all(why.startswith("imports it") for _, why in p.tests_existing[:2])  # direct importers first
    assert p.tests_to_add[:2] == (
        "add tests/test_login.py: the new entry point's success path, validation errors",
        "extend tests/test_users.py: unit tests of the new logic (no HTTP)",
    )


def test_plan_without_matches(shop):
    p = make_plan(shop, "Quantum flux capacitor")
    assert p.steps == () and p.unmatched == ("quantum", "flux", "capacitor")


# ---------------------------------------------------------------- context file
def test_context_block_is_replaced_not_duplicated():
    text = "# Session\n\nAdd password reset by email\n"
    once = update_block(text, "findings v1")
    twice = update_block(once, "findings v1")
    assert once == twice == text + "\n" + f"{BEGIN}\nfindings v1\n{END}\n"
    changed = update_block(twice, "findings v2")
    assert changed.count(BEGIN) == 1 and "findings v2" in changed and "findings v1" not in changed
    assert task_from_context(changed) == "Add password reset by email"
    assert task_from_context("intro\n## Task\nAdd X to Y\n## Notes\nz\n") == "Add X to Y"


# ---------------------------------------------------------------- renderings
def md_tables(text: str) -> list[list[str]]:
    """Markdown tables (lists of rows), rows split on unescaped pipes outside code spans."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def cells(row: str) -> int:
    """Column count of a GFM table row: ``\\|`` never splits, even inside code spans."""
    return len(re.split(r"(?<!\\)\|", row.strip().strip("|")))


def test_markdown_tables_are_well_formed_and_escaped(tmp_path):
    r = _hostile()
    ctx = build_context(r, task="fix items <script>")
    md = render_markdown(ctx)
    for table in md_tables(md):
        widths = {cells(row) for row in table}
        assert len(widths) == 1, table
    outside_code = re.sub(r"(`+)(.*?)\1", "", md)  # code spans show markup literally
    assert "<script" not in outside_code and "<img" not in outside_code and "<b>" not in outside_code
    assert "`` evil\\|<b>task</b>`x` ``" in md  # backticks in a name widen the code span fence


def test_md_cell_and_code_filters():
    from backendscan.report.render import md_text

    assert md_text("pkg/__init__.py *glob*") == "pkg/\\_\\_init\\_\\_.py \\*glob\\*"
    assert md_cell("a|b\n<c>") == "a\\|b &lt;c&gt;"
    assert md_code("x`y") == "``x`y``"
    assert md_code("`edge`") == "`` `edge` ``"


def test_html_is_self_contained_and_escaped():
    r = _hostile()
    ctx = build_context(r, task="fix items")
    for engine in ("auto", "python"):  # Graphviz output (when dot is installed) is escaped too
        html = render_html(ctx, engine=engine)
        assert html.count("<script") == 1 and "<img" not in html and "<b>task" not in html, engine
    html = render_html(ctx, engine="python")
    assert html.count("<script") == 1  # only our own inline script
    assert "<img" not in html and "onerror=alert(3)" not in html.replace("&lt;img src=x onerror=alert(3)&gt;", "")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing loaded from the network
    assert "default-src 'none'" in html
    assert html.count("<svg") >= 3  # package graph, module graph, ER diagram


def test_html_sections_anchors_and_tables(shop_ctx):
    html = render_html(shop_ctx, engine="python")
    for section in ("plan", "summary", "stack", "dependencies", "testing", "architecture", "findings", "checks", "rules", "hotspots"):
        assert f'<section id="{section}">' in html
    for table in ("tbl-findings", "tbl-packages", "tbl-checks", "tbl-reach"):
        assert f'id="{table}"' in html
    assert 'class="sortable"' in html and 'class="filter"' in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every anchor is unique"
    if HAS_FASTAPI:
        assert 'id="tbl-routes"' in html
        assert len(re.findall(r'<tr id="route-', html)) == 14


def test_report_renderings_are_deterministic(shop):
    a = build_context(shop, task="Add password reset by email")
    b = build_context(scan(FIXTURES / "shop", Config(use_cache=False, jobs=1)), task="Add password reset by email")
    assert render_markdown(a) == render_markdown(b)
    assert render_html(a, engine="python") == render_html(b, engine="python")
    assert render_html(a, engine="auto") == render_html(b, engine="auto")


def test_diagram_engines(shop_ctx):
    d = draw(shop_ctx.graph_view, "python")
    assert d.packages.engine == d.modules.engine == "built-in layered layout"
    assert 'class="edge cycle"' in d.modules.svg  # the runtime cycle services.orders <-> services.payments
    assert 'class="edge tc"' in d.modules.svg  # TYPE_CHECKING-only edges are dotted
    assert 'class="edge violation"' in d.modules.svg  # shop.api.orders -> shop.repositories.orders breaks RULES.md:13
    from backendscan.report.graphviz import dot_path

    if dot_path():
        g = draw(shop_ctx.graph_view, "auto")
        assert g.packages.engine == "graphviz dot" and g.modules.engine == "pydeps + graphviz dot"
        assert g.packages.svg.startswith("<svg") and "<?xml" not in g.packages.svg and "<!--" not in g.packages.svg


def test_template_dir_overrides(tmp_path, shop_ctx):
    (tmp_path / "report.md.j2").write_text("custom {{ ctx.project }} {{ ctx.counts.routes >= 0 }}\n")
    assert render_markdown(shop_ctx, tmp_path) == "custom shop True\n"


# ---------------------------------------------------------------- layout
def test_layered_layout_properties():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("a", "d"), ("d", "e"), ("b", "e"), ("x", "e")]
    sizes = {n: (40.0, 20.0) for n in "abcdex"}
    lay = layered_layout(sizes, edges)
    assert set(lay.boxes) == set(sizes)
    by_layer: dict[int, list] = {}
    for b in lay.boxes.values():
        by_layer.setdefault(b.layer, []).append(b)
    for boxes in by_layer.values():  # no overlaps inside a layer
        boxes.sort(key=lambda b: b.x)
        for l, r in zip(boxes, boxes[1:]):
            assert r.left >= l.left + l.width
    for route in lay.routes:
        s, t = lay.boxes[route.source], lay.boxes[route.target]
        assert route.points[0][1] in (s.top, s.top + s.height) and route.points[-1][1] in (t.top, t.top + t.height)
        if not route.reversed:
            assert t.layer > s.layer
    assert sum(r.reversed for r in lay.routes) == 1  # one edge of the cycle is drawn against the flow
    assert layered_layout(sizes, edges).routes[0].points == lay.routes[0].points  # deterministic
    assert layered_layout({}, []).boxes == {}


# ---------------------------------------------------------------- CLI
def test_cli_writes_every_format(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["report", str(FIXTURES / "shop"), "--no-cache", "--format", "md,html,json,sarif", "-o", str(out) + "/", "--diagrams", "python"])
    err = capsys.readouterr().err
    assert code == 0
    for name in ("report.md", "report.html", "report.json", "report.sarif"):
        assert (out / name).stat().st_size > 1000
        assert f"wrote {out / name}" in err
    sarif = json.loads((out / "report.sarif").read_text())
    data = json.loads((out / "report.json").read_text())
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == sum(data["summary"]["findings"].values())
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"import-cycle", "hardcoded-secret", "fk-without-index"} <= rule_ids
    cycle = next(x for x in sarif["runs"][0]["results"] if x["ruleId"] == "import-cycle" and x["level"] == "warning")
    assert cycle["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/services/orders.py"


def test_cli_single_file_and_errors(tmp_path, capsys):
    assert main(["report", str(FIXTURES / "layout_src"), "--no-cache", "-q", "--format", "html", "-o", str(tmp_path / "x.html"), "--diagrams", "python"]) == 0
    assert (tmp_path / "x.html").read_text().startswith("<!doctype html>")
    assert main(["report", str(FIXTURES / "layout_src"), "--format", "md,html", "-o", str(tmp_path / "x.md")]) == 2
    assert main(["report", str(FIXTURES / "layout_src"), "--update-context"]) == 2
    assert main(["report", str(FIXTURES / "layout_src"), "--task-file", str(tmp_path / "missing.txt")]) == 2
    assert "no such task file" in capsys.readouterr().err


def test_cli_agent_workflow(tmp_path, capsys):
    ctxfile = tmp_path / ".claude" / "tasks" / "context_session.md"
    ctxfile.parent.mkdir(parents=True)
    ctxfile.write_text("# Session\n\n## Task\nAdd password reset by email\n")
    plan = tmp_path / ".claude" / "tasks" / "backend_research.md"
    argv = ["report", str(FIXTURES / "shop"), "--no-cache", "-q", "-o", str(plan), "--context", str(ctxfile), "--update-context", "--plan-only"]
    assert main(argv) == 0
    first = ctxfile.read_text()
    assert main(argv) == 0
    assert ctxfile.read_text() == first and first.count(BEGIN) == 1 and first.startswith("# Session\n\n## Task\nAdd password reset by email\n")
    assert "backendscan findings (shop)" in first and f"Full report: `{plan}`" in first
    text = plan.read_text()
    assert text.startswith("## Implementation plan: Add password reset by email")
    assert "## Summary" not in text  # --plan-only


# ---------------------------------------------------------------- helpers
def _hostile():
    """The hostile fixture, with hostile facts injected (independent of which analyzers are installed)."""
    r = scan(FIXTURES / "hostile", Config(use_cache=False, jobs=1))
    evil = "<script>alert('x')</script>|`tick`"
    route = Route(
        "fastapi", ("GET",), "/items/{item_id}|<script>alert(1)</script>", "/items/{item_id}|<script>alert(1)</script>", "resolved",
        "hostile.api.read_item", "hostile/api.py", 11,
        auth=(AuthEvidence("dependency", evil, "route", Location("hostile/api.py", 11)),), group=evil,
    )
    model = OrmModel(
        "sqlalchemy", "hostile.models.Thing", '<img src=x onerror=alert(3)>"things"', "resolved", "hostile/models.py", 17,
        columns=(Column("id", "Integer", False, True), Column("owner`id|x", "Integer<b>", False)),
        foreign_keys=(ForeignKey("owner`id|x", "own|er<script>.id"),),
    )
    owner = OrmModel("sqlalchemy", "hostile.models.Owner", "own|er<script>", "resolved", "hostile/models.py", 11, columns=(Column("id", "Integer", False, True),))
    task = Task("celery", "evil|<b>task</b>`x`", "resolved", "hostile.tasks.evil", "hostile/tasks.py", 8, options=(("name", "'evil|<b>task</b>`x`'"),))
    return dataclasses.replace(
        r,
        routes=tuple(sorted(set(r.routes) | {route}, key=Route.sort_key)),
        models=tuple(sorted(set(r.models) | {model, owner}, key=OrmModel.sort_key)),
        tasks=tuple(sorted(set(r.tasks) | {task}, key=Task.sort_key)),
    )
