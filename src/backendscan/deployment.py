"""How the project is deployed, read from its deployment files (never run).

Sources: ``Dockerfile`` (base images, ``CMD``/``ENTRYPOINT``, ``EXPOSE``), compose
files (services with image or build, command, ports, depends_on), ``Procfile``
(process types), ``gunicorn.conf.py`` and gunicorn/uvicorn command-line options,
Kubernetes manifests (workloads and their containers) and platform files
(``fly.toml``, ``app.yaml``, ``render.yaml``, ...).  Every process gets a *role*
derived from its command or image (web, worker, beat, migrate, database, cache,
broker, proxy, other) so that checks can ask "is there a Celery worker?".

:func:`read_deployment` takes the auxiliary files (path -> text) collected by
discovery and returns sorted, frozen facts; it never raises.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any, Mapping

from .miniyaml import YMap, YSeq, load_all


@dataclass(frozen=True)
class Process:
    """Something a deployment file runs: a compose service, a Procfile entry, a container."""

    source: str  # dockerfile, compose, procfile, kubernetes, platform
    name: str
    command: str  # "" when the file gives none
    image: str  # image name, or "build: <context>"
    file: str
    line: int
    role: str  # web, worker, beat, worker+beat, migrate, database, cache, broker, proxy, other
    server: str = ""  # gunicorn, uvicorn, daphne, hypercorn, celery, rq, dramatiq, runserver, ...
    command_from: str = ""  # where an inherited command comes from, e.g. "Dockerfile:16"
    details: tuple[tuple[str, str], ...] = ()  # ports, depends_on, kind, replicas, ...


@dataclass(frozen=True)
class ServerSetting:
    """A web/worker server option: ``gunicorn workers = 4`` at ``gunicorn.conf.py:3``."""

    server: str
    key: str
    value: str
    file: str
    line: int


@dataclass(frozen=True)
class DeployFile:
    """A deployment-related file and what kind it is."""

    path: str
    kind: str  # dockerfile, compose, procfile, gunicorn, kubernetes, helm, platform


@dataclass(frozen=True)
class Deployment:
    """Everything read from the deployment files."""

    files: tuple[DeployFile, ...] = ()
    processes: tuple[Process, ...] = ()
    settings: tuple[ServerSetting, ...] = ()
    base_images: tuple[tuple[str, str, int], ...] = ()  # (image, file, line)

    def runs(self, role: str) -> tuple[Process, ...]:
        """Processes whose role includes ``role`` (``worker+beat`` counts for both)."""
        return tuple(p for p in self.processes if role in p.role.split("+"))

    @property
    def describes_processes(self) -> bool:
        """True when some file says which processes run (compose, Procfile, Kubernetes)."""
        return any(f.kind in ("compose", "procfile", "kubernetes", "platform") for f in self.files)


_WEB_SERVERS = ("gunicorn", "uvicorn", "daphne", "hypercorn", "waitress-serve", "uwsgi", "granian", "fastapi")
_IMAGE_ROLES = (
    (("postgres", "postgis", "mysql", "mariadb", "mongo", "cockroach", "timescale", "mssql", "oracle"), "database"),
    (("redis", "valkey", "memcached", "keydb", "dragonfly"), "cache"),
    (("rabbitmq", "kafka", "nats", "activemq"), "broker"),
    (("nginx", "traefik", "caddy", "haproxy", "envoy"), "proxy"),
    (("elasticsearch", "opensearch", "minio", "localstack", "mailhog", "mailpit", "jaeger", "prometheus", "grafana", "otel"), "service"),
)


def command_role(command: str) -> tuple[str, str]:
    """(role, server) of a command line ("" role when nothing is recognised)."""
    words = command.replace("=", " ").split()
    low = [w.lower().rsplit("/", 1)[-1] for w in words]
    text = " ".join(low)
    if "celery" in low or re.search(r"\bcelery\b", text):
        is_worker = "worker" in low
        is_beat = "beat" in low or ("worker" in low and ("-B" in words or "--beat" in low))
        if is_worker and is_beat:
            return "worker+beat", "celery"
        if is_beat:
            return "beat", "celery"
        if is_worker:
            return "worker", "celery"
        if "flower" in low:
            return "other", "flower"
        return "other", "celery"
    if "rq" in low and "worker" in low or "rqworker" in low or "rq:worker" in text:
        return "worker", "rq"
    if "rqscheduler" in low or "rq-scheduler" in low:
        return "beat", "rq-scheduler"
    if "dramatiq" in low:
        return "worker", "dramatiq"
    if "huey_consumer" in low or "huey_consumer.py" in low or "run_huey" in low:
        return "worker", "huey"
    if "arq" in low:
        return "worker", "arq"
    if ("alembic" in low and "upgrade" in low) or ("migrate" in low and "manage.py" in low) or ("db" in low and "upgrade" in low and "flask" in low):
        return "migrate", "alembic" if "alembic" in low else ("django" if "manage.py" in low else "flask-migrate")
    if "manage.py" in low and "runserver" in low:
        return "web", "runserver"
    if "flask" in low and "run" in low:
        return "web", "flask run"
    for server in _WEB_SERVERS:
        if server in low:
            return "web", server
    if "celery" in text:
        return "other", "celery"
    return "", ""


def image_role(image: str) -> str:
    base = image.lower().rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    for names, role in _IMAGE_ROLES:
        if any(base.startswith(n) or n in base for n in names):
            return role
    return ""


def _join(cmd: Any) -> str:
    if isinstance(cmd, list):
        return " ".join(str(c) for c in cmd)
    return "" if cmd is None else str(cmd)


def _kind(path: str, text: str) -> str:
    base = path.rsplit("/", 1)[-1]
    low = base.lower()
    if low.startswith("dockerfile") or low.endswith(".dockerfile"):
        return "dockerfile"
    if re.fullmatch(r"(docker-)?compose(\..*)?\.ya?ml", low):
        return "compose"
    if low.startswith("procfile"):
        return "procfile"
    if low == "gunicorn.conf.py":
        return "gunicorn"
    if low in ("fly.toml", "app.yaml", "app.yml", "render.yaml", "render.yml", "railway.json", "railway.toml", "vercel.json"):
        return "platform"
    if low in ("chart.yaml", "values.yaml") and "/templates/" not in "/" + path:
        return "helm"
    if low.endswith((".yaml", ".yml")) and re.search(r"^apiVersion:", text, re.M) and re.search(r"^kind:", text, re.M):
        return "kubernetes"
    return ""


def _dockerfile(path: str, text: str) -> tuple[list[Process], list[tuple[str, str, int]], list[tuple[str, str]]]:
    procs: list[Process] = []
    bases: list[tuple[str, str, int]] = []
    cmd = entry = ""
    cmd_line = 0
    expose: list[str] = []
    joined: list[tuple[int, str]] = []
    buf, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if not buf:
            start = number
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        joined.append((start, buf))
        buf = ""
    if buf:
        joined.append((start, buf))
    for number, line in joined:
        word, _, rest = line.partition(" ")
        word = word.upper()
        rest = rest.strip()
        if word == "FROM":
            image = [w for w in rest.split() if not w.startswith("--")]
            if image:
                bases.append((image[0], path, number))
        elif word in ("CMD", "ENTRYPOINT"):
            value = rest
            if rest.startswith("["):
                try:
                    value = " ".join(str(x) for x in json.loads(rest))
                except ValueError:
                    value = rest
            if word == "CMD":
                cmd, cmd_line = value, number
            else:
                entry = value
                cmd_line = cmd_line or number
        elif word == "EXPOSE":
            expose.extend(rest.split())
    full = " ".join(x for x in (entry, cmd) if x)
    details: list[tuple[str, str]] = []
    if expose:
        details.append(("expose", ", ".join(expose)))
    if full:
        role, server = command_role(full)
        procs.append(Process("dockerfile", path.rsplit("/", 1)[-1], full, bases[-1][0] if bases else "", path, cmd_line, role or "other", server, details=tuple(details)))
    return procs, bases, details


def _compose(path: str, text: str, docker_cmds: Mapping[str, Process]) -> list[Process]:
    out: list[Process] = []
    for doc in load_all(text):
        services = doc.get("services") if isinstance(doc, YMap) else None
        if not isinstance(services, YMap):
            continue
        for name in sorted(services):
            svc = services[name]
            line = services.lines.get(name, 0)
            if not isinstance(svc, dict):
                continue
            image = str(svc.get("image") or "")
            build = svc.get("build")
            command = _join(svc.get("command"))
            entry = _join(svc.get("entrypoint"))
            full = " ".join(x for x in (entry, command) if x)
            command_from = ""
            if not full and build is not None and not image:
                ctx = build.get("context", ".") if isinstance(build, dict) else str(build or ".")
                dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
                base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
                ctx = ctx.strip("./") if ctx not in (".", "./") else ""
                want = f"{base}{ctx + '/' if ctx else ''}{dockerfile}".lstrip("/")
                inherited = docker_cmds.get(want)
                if inherited is not None:
                    full = inherited.command
                    command_from = f"{inherited.file}:{inherited.line}"
            role, server = command_role(full) if full else ("", "")
            if not role:
                role = image_role(image) or ("other" if full or image else "other")
            details: list[tuple[str, str]] = []
            for key in ("ports", "depends_on", "replicas", "restart"):
                v = svc.get(key)
                if isinstance(v, (list, dict)) and v:
                    details.append((key, ", ".join(sorted(str(k) for k in v)) if isinstance(v, dict) else ", ".join(str(x) for x in v)))
                elif v:
                    details.append((key, str(v)))
            deploy = svc.get("deploy")
            if isinstance(deploy, dict) and deploy.get("replicas"):
                details.append(("replicas", str(deploy["replicas"])))
            shown_image = image or ("build: " + (str(build.get("context", ".")) if isinstance(build, dict) else str(build or ".")))
            out.append(Process("compose", name, full, shown_image, path, line, role, server, command_from, tuple(details)))
    return out


def _procfile(path: str, text: str) -> list[Process]:
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        m = re.match(r"^([A-Za-z0-9_-]+)\s*:\s*(.+)$", raw.strip())
        if not m:
            continue
        name, command = m.group(1), m.group(2).strip()
        role, server = command_role(command)
        if not role:
            role = "web" if name == "web" else ("migrate" if name == "release" and "migrat" in command else "other")
        out.append(Process("procfile", name, command, "", path, number, role, server))
    return out


def _kubernetes(path: str, text: str) -> list[Process]:
    out = []
    for doc in load_all(text):
        if not isinstance(doc, YMap):
            continue
        kind = str(doc.get("kind") or "")
        meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        wname = str(meta.get("name") or "") if isinstance(meta, dict) else ""
        spec = doc.get("spec")
        containers: Any = None
        # Deployment/StatefulSet/DaemonSet/Job: spec.template.spec.containers; CronJob: spec.jobTemplate.spec.template.spec
        for path_keys in (("template", "spec", "containers"), ("jobTemplate", "spec", "template", "spec", "containers"), ("containers",)):
            node: Any = spec
            for k in path_keys:
                node = node.get(k) if isinstance(node, dict) else None
            if isinstance(node, YSeq):
                containers = node
                break
        if containers is None:
            continue
        replicas = str(spec.get("replicas")) if isinstance(spec, dict) and spec.get("replicas") else ""
        for i, c in enumerate(containers):
            if not isinstance(c, dict):
                continue
            command = " ".join(x for x in (_join(c.get("command")), _join(c.get("args"))) if x)
            image = str(c.get("image") or "")
            role, server = command_role(command) if command else ("", "")
            role = role or image_role(image) or "other"
            details = [("kind", kind)] + ([("replicas", replicas)] if replicas else [])
            name = f"{wname}/{c.get('name') or i}"
            out.append(Process("kubernetes", name, command, image, path, containers.lines[i] if i < len(containers.lines) else doc.line, role, server, details=tuple(details)))
    return out


_GUNICORN_KEYS = ("bind", "workers", "worker_class", "threads", "timeout", "graceful_timeout", "keepalive", "max_requests", "preload_app", "reload", "accesslog", "errorlog", "loglevel", "wsgi_app")
_CLI_OPTIONS = {
    "gunicorn": {"-w": "workers", "--workers": "workers", "-k": "worker_class", "--worker-class": "worker_class", "-b": "bind", "--bind": "bind", "-t": "timeout", "--timeout": "timeout", "--threads": "threads", "--reload": "reload", "--preload": "preload_app", "--max-requests": "max_requests", "-c": "config", "--config": "config"},
    "uvicorn": {"--host": "host", "--port": "port", "--workers": "workers", "--reload": "reload", "--proxy-headers": "proxy_headers", "--forwarded-allow-ips": "forwarded_allow_ips", "--log-level": "log_level", "--loop": "loop", "--http": "http", "--root-path": "root_path", "--timeout-keep-alive": "timeout_keep_alive"},
    "celery": {"-c": "concurrency", "--concurrency": "concurrency", "-Q": "queues", "--queues": "queues", "-P": "pool", "--pool": "pool", "-A": "app", "--app": "app", "-l": "loglevel", "--loglevel": "loglevel", "-B": "beat", "--beat": "beat", "--max-tasks-per-child": "max_tasks_per_child"},
}
_FLAGS = {"--reload", "--preload", "--proxy-headers", "-B", "--beat"}


def command_settings(p: Process) -> list[ServerSetting]:
    """Server options given on a process's command line."""
    if p.server not in _CLI_OPTIONS or not p.command:
        return []
    try:
        words = shlex.split(p.command)
    except ValueError:
        words = p.command.split()
    opts = _CLI_OPTIONS[p.server]
    out: list[ServerSetting] = []
    i = 0
    while i < len(words):
        w = words[i]
        key, _, inline = w.partition("=")
        if key in opts:
            if key in _FLAGS:
                value = "true"
            elif inline:
                value = inline
            elif i + 1 < len(words):
                value = words[i + 1]
                i += 1
            else:
                value = ""
            out.append(ServerSetting(p.server, opts[key], value, p.file, p.line))
        elif p.server in ("gunicorn", "uvicorn") and re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*(\(\))?", w):
            out.append(ServerSetting(p.server, "app", w, p.file, p.line))
        i += 1
    return out


def _gunicorn_conf(path: str, text: str) -> list[ServerSetting]:
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        m = re.match(r"^([a-z_]+)\s*=\s*(.+?)\s*(#.*)?$", raw)
        if m and m.group(1) in _GUNICORN_KEYS:
            out.append(ServerSetting("gunicorn", m.group(1), m.group(2).strip().strip("'\""), path, number))
    return out


def read_deployment(aux: Mapping[str, str]) -> Deployment:
    """Deployment facts from the auxiliary files (path -> text); never raises."""
    files: list[DeployFile] = []
    procs: list[Process] = []
    settings: list[ServerSetting] = []
    bases: list[tuple[str, str, int]] = []
    kinds = {}
    for path in sorted(aux):
        try:
            kind = _kind(path, aux[path])
        except Exception:  # pragma: no cover - defensive: deployment facts are best effort
            kind = ""
        if kind:
            kinds[path] = kind
            files.append(DeployFile(path, kind))
    docker_cmds: dict[str, Process] = {}
    for path, kind in kinds.items():
        if kind != "dockerfile":
            continue
        try:
            dp, b, _ = _dockerfile(path, aux[path])
        except Exception:  # pragma: no cover
            continue
        bases.extend(b)
        procs.extend(dp)
        for p in dp:
            docker_cmds[path] = p
    for path, kind in kinds.items():
        try:
            if kind == "compose":
                procs.extend(_compose(path, aux[path], docker_cmds))
            elif kind == "procfile":
                procs.extend(_procfile(path, aux[path]))
            elif kind == "kubernetes":
                procs.extend(_kubernetes(path, aux[path]))
            elif kind == "gunicorn":
                settings.extend(_gunicorn_conf(path, aux[path]))
        except Exception:  # pragma: no cover - odd files must not stop the report
            continue
    for p in procs:
        if not p.command_from:  # an inherited command was read where it is written
            settings.extend(command_settings(p))
    procs.sort(key=lambda p: (p.file, p.line, p.name))
    settings = sorted(set(settings), key=lambda s: (s.server, s.file, s.line, s.key, s.value))
    return Deployment(tuple(files), tuple(procs), tuple(settings), tuple(sorted(set(bases), key=lambda b: (b[1], b[2]))))
