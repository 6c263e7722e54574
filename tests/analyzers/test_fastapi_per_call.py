"""A router factory followed per call: each call builds its own router, with the call's arguments bound.

Fixture: ``tests/fixtures/projects/fastapi_router_per_call`` (Polar's
``get_oauth_login_router(factor, "github")`` pattern).  The expected routes were
checked against the running app (FastAPI 0.150, ``benchmarks/groundtruth/dump_fastapi.py``'s
``dump_app``, ``RELAY_EXTRA_SOURCE=custom``): the same (methods, path, handler)
triples, with ``{source}`` where the app has ``custom`` (read from the environment
at start-up, which the scan does not guess).  The app registers the gitlab router
twice; identical routes are listed once.
"""

from __future__ import annotations

import pytest

from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.testing import scan_files
from tests.conftest import FIXTURES

FACTORY = "relay.hooks.factory.build_hook_router.<locals>"
PER_CALL_ROUTES = [
    # methods, full path, handler, file, line, path_status
    ("GET", "/status/ping", "relay.status.make_status_router.<locals>.ping", "relay/status.py", 8, "resolved"),
    ("POST", "/v2/hooks/github/ack", f"{FACTORY}.ack", "relay/hooks/factory.py", 12, "resolved"),
    ("POST", "/v2/hooks/github/events", f"{FACTORY}.receive", "relay/hooks/factory.py", 8, "resolved"),
    ("GET", "/v2/hooks/gitlab/ack", f"{FACTORY}.ack", "relay/hooks/factory.py", 12, "resolved"),
    ("POST", "/v2/hooks/gitlab/events", f"{FACTORY}.receive", "relay/hooks/factory.py", 8, "resolved"),
    ("PUT", "/v2/hooks/slack/ack", f"{FACTORY}.ack", "relay/hooks/factory.py", 12, "resolved"),
    ("POST", "/v2/hooks/slack/events", f"{FACTORY}.receive", "relay/hooks/factory.py", 8, "resolved"),
    ("POST", "/v2/hooks/{source}/ack", f"{FACTORY}.ack", "relay/hooks/factory.py", 12, "partial"),
    ("POST", "/v2/hooks/{source}/events", f"{FACTORY}.receive", "relay/hooks/factory.py", 8, "partial"),
]


@pytest.fixture(scope="module")
def per_call_result():
    return scan(FIXTURES / "fastapi_router_per_call", Config(use_cache=False, jobs=1, metrics=False, analyzers=("fastapi",)))


def test_per_call_fixture_routes_are_exact(per_call_result):
    got = sorted(("/".join(r.methods), r.path, r.handler, r.file, r.line, r.path_status) for r in per_call_result.routes)
    assert got == sorted(PER_CALL_ROUTES)
    assert {r.app for r in per_call_result.routes} == {"relay.app.app"}
    assert not any(r.orphan for r in per_call_result.routes)
    assert [f.rule_id for f in per_call_result.findings if f.category == "routes"] == []


def test_each_call_is_its_own_router_with_its_arguments(per_call_result):
    by_path = {r.path: r for r in per_call_result.routes}
    assert by_path["/v2/hooks/github/events"].group == f"{FACTORY}.router@build_hook_router(Source.GITHUB)"
    assert by_path["/v2/hooks/slack/ack"].group == f"{FACTORY}.router@build_hook_router(CHAT_SOURCE, ack_method='PUT')"
    # names built from the parameter fold per call too
    assert by_path["/v2/hooks/gitlab/events"].name == "hooks.gitlab.events"
    extra = by_path["/v2/hooks/{source}/events"]
    assert [u.expr for u in extra.unresolved] == ["os.environ['RELAY_EXTRA_SOURCE']"]


def test_a_factory_called_once_keeps_its_plain_key(per_call_result):
    ping = [r for r in per_call_result.routes if r.path == "/status/ping"][0]
    assert ping.group == "relay.status.make_status_router.<locals>.status"


def test_factory_calls_in_an_unrolled_loop(tmp_path):
    files = {
        "svc/__init__.py": "",
        "svc/main.py": """
            from fastapi import APIRouter, FastAPI

            KINDS = ("cats", "dogs")


            def crud(kind: str) -> APIRouter:
                r = APIRouter(prefix="/" + kind)
                r.add_api_route("/", lambda: [], methods=["GET"])
                return r


            app = FastAPI()
            for kind in KINDS:
                app.include_router(crud(kind), prefix="/api")
        """,
    }
    r = scan_files(tmp_path, files, analyzers=("fastapi",))
    assert sorted((x.path, x.path_status) for x in r.routes) == [("/api/cats/", "resolved"), ("/api/dogs/", "resolved")]


def test_a_recursive_factory_stops_at_the_budget(tmp_path):
    files = {
        "svc/__init__.py": "",
        "svc/main.py": """
            from fastapi import APIRouter, FastAPI


            def level(n: int) -> APIRouter:
                r = APIRouter(prefix=f"/l{n}")

                @r.get("/x")
                def x(): ...

                r.include_router(level(n + 1))
                return r


            app = FastAPI()
            app.include_router(level(0))
        """,
    }
    r = scan_files(tmp_path, files, analyzers=("fastapi",))
    got = sorted((x.path, x.path_status) for x in r.routes)
    # four calls followed, then the factory's one router with the parameter as a placeholder (as without calls)
    assert got == [
        ("/l0/l1/l2/l3/l{n}/x", "partial"),
        ("/l0/l1/l2/l3/x", "resolved"),
        ("/l0/l1/l2/x", "resolved"),
        ("/l0/l1/x", "resolved"),
        ("/l0/x", "resolved"),
    ]
    budget = [f for f in r.findings if f.rule_id == "dynamic-registration" and "per call" in f.message]
    assert len(budget) == 1 and budget[0].location.line == 10


def test_a_helper_called_in_the_factory_body_registers_on_every_calls_router(tmp_path):
    files = {
        "svc/__init__.py": "",
        "svc/main.py": """
            from fastapi import APIRouter, FastAPI


            def add_crud(r: APIRouter, name: str) -> None:
                @r.get("/" + name)
                def listing(): ...


            def make(kind: str) -> APIRouter:
                r = APIRouter(prefix=f"/{kind}")
                add_crud(r, "items")
                return r


            app = FastAPI()
            app.include_router(make("a"))
            app.include_router(make("b"))
            unused = make("c")
        """,
    }
    r = scan_files(tmp_path, files, analyzers=("fastapi",))
    assert sorted((x.path, x.path_status, x.orphan) for x in r.routes) == [
        ("/a/items", "resolved", False),
        ("/b/items", "resolved", False),
        ("/c/items", "resolved", True),  # a module-level router nothing includes
    ]
    assert [f.rule_id for f in r.findings if f.category == "routes"] == ["orphan-router"]
