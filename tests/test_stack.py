"""Stack detection (per concern, with evidence) and deployment files (compose, Dockerfile, Procfile, k8s)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backendscan import Config, scan
from backendscan.deployment import command_role, read_deployment
from backendscan.miniyaml import load_all
from backendscan.stack import detect_stack
from backendscan.testing import scan_files
from tests.conftest import FIXTURES


def test_miniyaml_reads_compose_with_lines():
    doc = load_all((FIXTURES / "shop" / "docker-compose.yml").read_text())[0]
    services = doc["services"]
    assert sorted(services) == ["db", "redis", "web"]
    assert services.lines == {"web": 2, "db": 14, "redis": 23}
    assert services["web"]["depends_on"] == ["db", "redis"]
    assert services["db"]["environment"]["POSTGRES_DB"] == "shop"


def test_miniyaml_documents_flow_and_block_scalars():
    docs = load_all("a: [1, 'x, y']\nb: {k: v}\nc: |\n  - not: parsed\n  text\nd: 2\n---\n- k: v\n  j: w\n- plain\n")
    assert docs == [{"a": ["1", "x, y"], "b": {"k": "v"}, "c": "", "d": "2"}, [{"k": "v", "j": "w"}, "plain"]]


@given(st.text(max_size=300))
def test_miniyaml_never_raises(text):
    load_all(text)


def test_command_roles():
    assert command_role("celery -A shop.worker worker -l info") == ("worker", "celery")
    assert command_role("celery -A shop.worker beat") == ("beat", "celery")
    assert command_role("celery -A app worker -B") == ("worker+beat", "celery")
    assert command_role("gunicorn -k uvicorn.workers.UvicornWorker app.main:app") == ("web", "gunicorn")
    assert command_role("python manage.py migrate --noinput") == ("migrate", "django")
    assert command_role("alembic upgrade head") == ("migrate", "alembic")
    assert command_role("rq worker high default") == ("worker", "rq")
    assert command_role("python manage.py runserver 0.0.0.0:8000") == ("web", "runserver")
    assert command_role("echo hi") == ("", "")


def test_shop_deployment():
    r = scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    d = read_deployment(r.project.aux_files)
    assert [(f.path, f.kind) for f in d.files] == [("Dockerfile", "dockerfile"), ("docker-compose.yml", "compose")]
    procs = {(p.source, p.name): p for p in d.processes}
    web = procs[("compose", "web")]
    assert (web.role, web.server, web.command_from, web.line) == ("web", "uvicorn", "Dockerfile:16", 2)
    assert web.command == "uvicorn shop.main:app --host 0.0.0.0 --port 8000"
    assert (procs[("compose", "db")].role, procs[("compose", "redis")].role) == ("database", "cache")
    assert d.runs("worker") == () and d.runs("beat") == ()
    assert d.base_images == (("python:3.12-slim", "Dockerfile", 1),)
    assert [(s.server, s.key, s.value, s.file, s.line) for s in d.settings] == [
        ("uvicorn", "app", "shop.main:app", "Dockerfile", 16),
        ("uvicorn", "host", "0.0.0.0", "Dockerfile", 16),
        ("uvicorn", "port", "8000", "Dockerfile", 16),
    ]


def test_procfile_kubernetes_and_gunicorn_conf():
    d = read_deployment(
        {
            "Procfile": "web: gunicorn app.wsgi -w 4 --timeout 30\nworker: celery -A app worker\nrelease: python manage.py migrate\n",
            "gunicorn.conf.py": "workers = 4\nworker_class = 'uvicorn.workers.UvicornWorker'\nbind = '0.0.0.0:8000'\n",
            "deploy/api.yaml": (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n  template:\n    spec:\n"
                "      containers:\n        - name: web\n          image: registry/app:1.2\n"
                "          command: [\"uvicorn\", \"app.main:app\"]\n          args: [\"--workers\", \"2\"]\n"
                "---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cleanup\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
                "          containers:\n          - name: job\n            image: registry/app:1.2\n            command: [python, -m, app.cleanup]\n"
            ),
        }
    )
    assert sorted(f.kind for f in d.files) == ["gunicorn", "kubernetes", "procfile"]
    roles = sorted((p.source, p.name, p.role, p.server, p.line) for p in d.processes)
    assert roles == [
        ("kubernetes", "api/web", "web", "uvicorn", 10),
        ("kubernetes", "cleanup/job", "other", "", 25),
        ("procfile", "release", "migrate", "django", 3),
        ("procfile", "web", "web", "gunicorn", 1),
        ("procfile", "worker", "worker", "celery", 2),
    ]
    settings = {(s.server, s.key, s.value, s.line) for s in d.settings}
    assert ("gunicorn", "workers", "4", 1) in settings  # Procfile -w 4 and gunicorn.conf.py workers = 4
    assert ("gunicorn", "timeout", "30", 1) in settings
    assert ("gunicorn", "worker_class", "uvicorn.workers.UvicornWorker", 2) in settings
    assert ("uvicorn", "workers", "2", 10) in settings
    k8s = [p for p in d.processes if p.name == "api/web"][0]
    assert ("replicas", "3") in k8s.details and ("kind", "Deployment") in k8s.details


def test_shop_stack_components_with_evidence():
    r = scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    stack = detect_stack(r)
    by = {(c.concern, c.name): c for c in stack.components}
    fastapi = by[("web framework", "FastAPI")]
    assert fastapi.version == ">=0.115" and fastapi.declared
    assert fastapi.evidence[0].where == "shop/api/deps.py:6"
    alembic = by[("migrations", "Alembic")]
    assert [e.where for e in alembic.evidence][:3] == ["migrations/env.py:5", "migrations/versions/0001_initial.py:9", "alembic.ini:1"]
    assert by[("task queue", "Celery")].version == ">=5.4"
    assert by[("ORM", "SQLAlchemy")].evidence[0].where == "shop/api/deps.py:8"  # code before migrations
    assert by[("HTTP client", "Requests")].declared is False
    assert by[("test tooling", "pytest")].evidence[0].where == "tests/conftest.py:5"
    assert by[("web server", "Uvicorn")].evidence[1].where == "Dockerfile:16"
    assert not stack.of("tracing") and not stack.of("metrics") and not stack.of("cache")


def test_pinned_versions_from_lock_and_declared_only_tools(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "requirements.txt": "django==5.1.4\ngunicorn==23.0.0\npsycopg2-binary==2.9.10\nsentry-sdk==2.19\n",
            "app/__init__.py": "",
            "app/views.py": "from django.http import JsonResponse\nimport sentry_sdk\nsentry_sdk.init(dsn='', traces_sample_rate=0.1)\n",
        },
    )
    stack = detect_stack(r)
    names = {(c.concern, c.name, c.version) for c in stack.components}
    assert ("web framework", "Django", "5.1.4") in names
    assert ("web server", "Gunicorn", "23.0.0") in names  # declared, never imported
    assert ("database driver", "psycopg2 (binary)", "2.9.10") in names
    assert ("error tracking", "Sentry", "2.19") in names
    assert ("tracing", "Sentry performance", "2.19") in names


def test_the_stack_is_detected_once_and_carried_past_the_checks():
    from backendscan.checks import with_checks

    result = scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    first, cycles = result.stack, result.cycles
    again = with_checks(result, cached=())
    assert again is not result and again.stats != result.stats
    assert again.stack is first and again.cycles is cycles  # carried over, not computed again
    assert detect_stack(again) == first
    assert {(c.concern, c.name) for c in first.components} >= {("web framework", "FastAPI"), ("ORM", "SQLAlchemy")}


def test_cycles_and_stack_from_the_forked_child_equal_a_plain_computation(monkeypatch):
    import backendscan.pipeline as pipeline
    from backendscan.graph import cycles

    monkeypatch.setattr(pipeline, "_FORK_DERIVED_AT", 0)  # every scan forks them (saleor-sized ones do anyway)
    result = scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    assert "cycles" in result.__dict__ and "stack" in result.__dict__  # set by the scan, not computed on demand
    assert result.stack == detect_stack(result)
    assert result.cycles == cycles(result.graph) and result.cycles
