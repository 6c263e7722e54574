"""The evidence visitor: test HTTP requests and Celery-wide time limits, with and without its line prefilter."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from backendscan.analyzers.evidence import EvidenceSummary, _Visitor, candidate_lines
from backendscan.parsing import ParsedModule
from backendscan.visiting import FileVisitor, walk

FIXTURES = Path(__file__).parent.parent / "fixtures"

TESTS = '''\
import pytest

API = "/api/v1"


def test_users(client, uid):
    assert client.get("/users/").status_code == 200
    r = (client
         .post(
             f"{API}/users/{uid}",
             json={"a": 1},
         ))
    data = {"get": 1}
    client.request("PATCH", "/users/1")
    if client.delete("http://testserver/users/2?x=1"):
        pass
    for _ in client.open(path="/health"):
        pass
    payload = r.json()
    assert payload["id"] == uid


class TestOrders:
    def test_list(self, api_client):
        response = api_client.get_orders()
        other = api_client.options("/orders/")
        with api_client.head("/orders/") as r:
            assert r
'''


def _summary(text: str, module: str = "tests.test_api", prefilter: bool = True):
    text = textwrap.dedent(text)
    tree = ast.parse(text)
    v = _Visitor(ParsedModule(module.replace(".", "/") + ".py", module, False, text, tree), prefilter)
    walk(tree, [v])
    return v.finish()


def _walked(text: str, module: str = "tests.test_api") -> EvidenceSummary:
    """What the visitor finds when the batched walk hands it every statement (its own descent skipped)."""
    text = textwrap.dedent(text)
    tree = ast.parse(text)
    v = _Visitor(ParsedModule(module.replace(".", "/") + ".py", module, False, text, tree), False)

    class _Every(FileVisitor):
        def visit_stmt(self, stmt, ctx):
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                v._statement(stmt, ctx.scope)

    walk(tree, [_Every()])
    return EvidenceSummary(tuple(v.requests), tuple(sorted(set(v.limits), key=lambda t: (t[1], t[0]))))


def test_requests_found_with_the_prefilter():
    s = _summary(TESTS)
    assert [(c.method, c.path, c.line, c.scope) for c in s.requests] == [
        ("GET", "/users/", 7, "test_users"),
        ("POST", "{}/users/{}", 8, "test_users"),  # a call's line is where its callee starts
        ("PATCH", "/users/1", 14, "test_users"),
        ("DELETE", "/users/2", 15, "test_users"),
        ("ANY", "/health", 17, "test_users"),
        ("OPTIONS", "/orders/", 26, "TestOrders.test_list"),
        ("HEAD", "/orders/", 27, "TestOrders.test_list"),
    ]
    assert s == _summary(TESTS, prefilter=False) == _walked(TESTS)


def test_candidate_lines_are_the_lines_naming_a_request_method():
    assert candidate_lines("a = 1\nclient.get('/x')\nx.get_orders()\n\ny.post(\n") == [2, 5]
    # another spelling of the name (NFKC) can only be on a line with non-ASCII text
    assert candidate_lines("a = 'ü'\nclient.ｇｅｔ('/x')\nb = 1\n") == [1, 2]
    # the parser could count lines differently
    assert candidate_lines("a = 1\r\nclient.get('/x')\n") is None


def test_time_limit_settings_turn_the_prefilter_off():
    text = "CELERY_TASK_TIME_LIMIT = 60\napp.conf.update(task_soft_time_limit=30)\nconf = {'task_time_limit': 5}\n"
    s = _summary(text, "proj.settings")
    assert s.time_limits == (("CELERY_TASK_TIME_LIMIT", 1), ("task_soft_time_limit", 2), ("task_time_limit", 3))


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_prefilter_changes_nothing_on_fixture_files(path):
    text = path.read_text("utf-8", "replace")
    try:
        ast.parse(text)
    except SyntaxError:
        return
    assert _summary(text) == _summary(text, prefilter=False) == _walked(text)
    assert _summary(text, "proj.settings") == _walked(text, "proj.settings")


_PIECES = st.sampled_from([
    "client.get('/a')", "client.post(\n    '/b',\n)", "(client\n .put(\n  f'/c/{x}'))", "x = {'get': 1}",
    "client.get_all('/d')", "y = client.request('DELETE', '/e')", "z = [client.head('/f') for _ in r]",
    "assert client.options('/g').ok", "pass", "w = 1", "if client.patch('/h'):\n    pass",
    "with client.open(path='/i') as r:\n    pass", "v = 'get'",
    "try:\n    client.get('/j')\nexcept E:\n    client.post('/k')\nelse:\n    pass\nfinally:\n    client.put('/l')",
    "while client.get('/m'):\n    client.post('/n')\nelse:\n    client.put('/o')",
    "match client.get('/p'):\n    case 1 if client.post('/q'):\n        client.put('/r')",
    "class T:\n    def test_y(self, client):\n        def inner():\n            client.get('/s')",
    "async def test_z(client):\n    async with client.get('/t') as r:\n        async for x in client.post('/u'):\n            pass",
    "app.conf.task_time_limit = 5", "conf = {'task_soft_time_limit': 3}",
])


@settings(deadline=None, max_examples=200)
@given(st.lists(_PIECES, max_size=12), st.booleans())
def test_prefilter_changes_nothing_on_random_test_modules(pieces, in_function):
    body = "\n".join(pieces) or "pass"
    text = "def test_x(client, r, x):\n" + textwrap.indent(body, "    ") + "\n" if in_function else body + "\n"
    assert _summary(text) == _summary(text, prefilter=False) == _walked(text)


def test_test_modules_naming_no_request_method_are_not_visited():
    from backendscan.analyzers.evidence import EvidenceAnalyzer, _Visitor
    from backendscan.parsing import parse_source

    a = EvidenceAnalyzer()
    quiet = "def test_sum():\n    assert add(1, 2) == 3\n"
    assert not a.interested("app.tests.test_math", quiet)
    # what the visitor would have found there: nothing at all
    parsed = parse_source("app/tests/test_math.py", "app.tests.test_math", False, quiet.encode()).module
    assert parsed is not None and _Visitor(parsed).lines == []
    assert a.interested("app.tests.test_api", "def test_x(client):\n    client.get('/x')\n")
    assert a.interested("app.tests.test_api", "r = c.ｇｅｔ('/x')\n")  # NFKC spelling: non-ASCII text is visited
    assert a.interested("app.tests.test_api", "targets = 2\n")  # 'get' inside a word: visited (a superset is enough)
    assert a.interested("app.settings", "CELERY_TASK_TIME_LIMIT = 30\n")
    assert not a.interested("app.views", "def get(request): ...\n")  # application code: only time limits

