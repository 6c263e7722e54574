"""The precise form: a ```` ```backendscan ```` block of TOML inside RULES.md.

For what prose cannot say exactly.  Every table becomes one rule; its line in
RULES.md is the line of its ``[[...]]`` header.  Unknown tables or keys,
wrong types and bad TOML are problems (exit code 2), each with its line::

    type_checking = false          # count imports under `if TYPE_CHECKING:` (default false)
    dynamic_imports = true         # count literal importlib.import_module("x") imports

    [roles]                        # role word -> modules, globs or paths
    routers = "shop.api"
    services = ["shop.services", "shop.*.services"]

    [[layers]]                     # import-linter semantics; "a | b" independent, "a : b" not, "(a)" optional
    layers = ["api", "services", "repositories", "models"]
    containers = ["shop"]
    closed = false                 # a layer may not bypass the one below it
    exempt = ["shop.models"]       # importable from any layer even when closed
    ignore_imports = ["shop.api.deps -> shop.db"]

    [[forbidden]]                  # source must not import forbidden (indirectly, unless direct = true)
    source = ["shop.api"]
    forbidden = ["shop.db", "requests"]
    except = ["shop.api.deps"]
    direct = false
    through_layers = false         # also report chains through other declared layers

    [[protected]]                  # only allowed_importers may import modules (direct imports)
    modules = ["shop.db"]
    allowed_importers = ["shop.repositories", "shop.api.deps"]

    [[allow]]                      # source may import only these first-party modules (direct)
    source = ["shop.models"]
    allow = ["shop.settings"]

    [[independence]]
    modules = ["shop.billing", "shop.shipping"]

    [[acyclic]]                    # scope = [] for the whole project; siblings = true for acyclic_siblings
    scope = ["shop"]

    [[ban]]
    names = ["requests"]
    under = ["shop/"]
    outside = ["shop.settings"]
    use = "httpx"

    [[limit]]
    metric = "complexity"          # complexity, function-length, file-length, class-length, parameters, maintainability, line-length
    max = 10

    [[convention]]
    subject = "routes"             # routes, models, tasks, functions, classes, modules, async-functions
    requirement = "option"         # option, auth, method, column, base, no-blocking, no-session, async, sync, type-hints, docstring, case
    names = ["response_model"]
    except = ["/health"]

    [[placement]]
    subject = "models"
    folders = ["shop/models"]
    # classes_only = true          # tasks: only class-based ones ("Job classes live in jobs.py")

    [[shared]]
    modules = ["shop.settings"]

    [[ignore]]                     # known exceptions, each with a reason
    rule = "requests-banned"
    path = "shop/api/health.py"
    reason = "the probe must not depend on our own client"

Every rule table also takes ``severity`` (error, warning, info), ``id`` and
``because`` (shown with each violation).
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from ..model import Severity
from .model import (
    COMPILED,
    METRICS,
    SUBJECTS,
    Acyclic,
    AllowOnly,
    Ban,
    Convention,
    Entry,
    Forbidden,
    Independence,
    Layers,
    Limit,
    Placement,
    Protected,
    Ref,
    Rule,
    RuleSet,
    Shared,
    Spec,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REQUIREMENTS = ("option", "auth", "method", "column", "base", "no-blocking", "no-session", "async", "sync", "type-hints", "docstring", "case")
_COMMON = {"severity", "id", "because"}


class _Problems(Exception):
    pass


def layer_refs(item: str) -> tuple[tuple[Ref, ...], bool]:
    """An import-linter layer string: ``"a | b"`` (independent), ``"a : b"``, ``"(a)"`` (optional)."""
    text = item.strip()
    if "|" in text:
        parts, independent = text.split("|"), True
    elif ":" in text:
        parts, independent = text.split(":"), False
    else:
        parts, independent = [text], True
    out = []
    for p in parts:
        p = p.strip()
        optional = p.startswith("(") and p.endswith(")")
        if optional:
            p = p[1:-1].strip()
        if p:
            out.append(Ref(p, True, optional))
    return tuple(out), independent


def _pairs(values: list[str], where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for v in values:
        a, sep, b = v.partition("->")
        if not sep or not a.strip() or not b.strip():
            problems.append(f"{where}: ignore_imports entry {v!r} must look like 'a.b -> c.d'")
            continue
        out.append((a.strip(), b.strip()))
    return tuple(out)


class _Table:
    """Typed access to one TOML table, collecting problems instead of raising."""

    def __init__(self, data: dict[str, Any], where: str, problems: list[str]) -> None:
        self.data = data
        self.where = where
        self.problems = problems
        self.used: set[str] = set()

    def _get(self, *keys: str) -> Any:
        for k in keys:
            self.used.add(k)
        for k in keys:
            if k in self.data:
                return self.data[k]
        return None

    def strs(self, *keys: str, required: bool = False) -> list[str]:
        v = self._get(*keys)
        if v is None:
            if required:
                self.problems.append(f"{self.where}: '{keys[0]}' is required")
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.problems.append(f"{self.where}: '{keys[0]}' must be a string or a list of strings")
            return []
        return [x.strip() for x in v if x.strip()]

    def refs(self, *keys: str, required: bool = False) -> tuple[Ref, ...]:
        return tuple(Ref(x) for x in self.strs(*keys, required=required))

    def flag(self, *keys: str, default: bool = False) -> bool:
        v = self._get(*keys)
        if v is None:
            return default
        if isinstance(v, str) and v.lower() in ("true", "false"):
            return v.lower() == "true"
        if not isinstance(v, bool):
            self.problems.append(f"{self.where}: '{keys[0]}' must be true or false")
            return default
        return v

    def number(self, *keys: str) -> float | None:
        v = self._get(*keys)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.problems.append(f"{self.where}: '{keys[0]}' must be a number")
            return None
        return float(v)

    def text(self, *keys: str, required: bool = False) -> str:
        v = self._get(*keys)
        if v is None:
            if required:
                self.problems.append(f"{self.where}: '{keys[0]}' is required")
            return ""
        if not isinstance(v, str):
            self.problems.append(f"{self.where}: '{keys[0]}' must be a string")
            return ""
        return v

    def finish(self) -> None:
        extra = sorted(set(self.data) - self.used - _COMMON)
        if extra:
            self.problems.append(f"{self.where}: unknown key(s) {', '.join(repr(k) for k in extra)}")


def _forbidden(t: _Table) -> Spec:
    return Forbidden(
        sources=t.refs("source", "sources", "source_modules", "from", required=True),
        targets=t.refs("forbidden", "forbidden_modules", "targets", "to", required=True),
        exceptions=t.refs("except", "exceptions"),
        ignore_imports=_pairs(t.strs("ignore_imports"), t.where, t.problems),
        direct=t.flag("direct", "allow_indirect_imports"),
        through_layers=t.flag("through_layers"),
        as_packages=t.flag("as_packages", default=True),
    )


def _protected(t: _Table) -> Spec:
    return Protected(
        targets=t.refs("modules", "protected_modules", "targets", required=True),
        importers=t.refs("allowed_importers", "importers"),
        scope=t.refs("scope"),
        ignore_imports=_pairs(t.strs("ignore_imports"), t.where, t.problems),
        as_packages=t.flag("as_packages", default=True),
    )


def _allow(t: _Table) -> Spec:
    return AllowOnly(sources=t.refs("source", "sources", required=True), allowed=t.refs("allow", "allowed"), externals=t.flag("externals"))


def _layers(t: _Table) -> Spec:
    items = t.strs("layers", required=True)
    layers, independent = [], []
    for item in items:
        refs, ind = layer_refs(item)
        if not refs:
            t.problems.append(f"{t.where}: empty layer {item!r}")
            continue
        layers.append(refs)
        independent.append(ind)
    if len(layers) < 2:
        t.problems.append(f"{t.where}: 'layers' needs at least two layers")
    return Layers(
        layers=tuple(layers),
        independent=tuple(independent),
        containers=t.refs("containers"),
        direction=t.flag("direction", default=True),
        closed=t.flag("closed"),
        exempt=t.refs("exempt"),
        ignore_imports=_pairs(t.strs("ignore_imports"), t.where, t.problems),
        exhaustive=t.flag("exhaustive"),
    )


def _independence(t: _Table) -> Spec:
    mods = t.refs("modules", required=True)
    if len(mods) < 2 and not any("*" in m.text for m in mods):
        t.problems.append(f"{t.where}: 'modules' needs at least two modules (or a glob)")
    return Independence(mods, direct=t.flag("direct"), ignore_imports=_pairs(t.strs("ignore_imports"), t.where, t.problems))


def _acyclic(t: _Table) -> Spec:
    depth = t.number("depth")
    return Acyclic(
        scope=t.refs("scope", "ancestors"),
        type_checking=t.flag("type_checking"),
        siblings=t.flag("siblings"),
        depth=int(depth or 0),
        skip_descendants=t.refs("skip_descendants"),
    )


def _ban(t: _Table) -> Spec:
    return Ban(
        names=tuple(t.strs("names", "name", required=True)),
        under=t.refs("under"),
        outside=t.refs("outside"),
        replacement=t.text("use", "replacement"),
        in_async=t.flag("in_async"),
    )


def _limit(t: _Table) -> Spec:
    metric = t.text("metric", required=True)
    if metric and metric not in METRICS:
        t.problems.append(f"{t.where}: unknown metric {metric!r}; choose from {', '.join(METRICS)}")
    mx = t.number("max", "maximum")
    mn = t.number("min", "minimum")
    if mx is None and mn is None:
        t.problems.append(f"{t.where}: give 'max' or 'min'")
    return Limit(metric or "complexity", maximum=int(mx) if mx is not None else None, minimum=mn, under=t.refs("under"))


def _convention(t: _Table) -> Spec:
    subject = t.text("subject", required=True)
    req = t.text("requirement", required=True)
    if subject and subject not in SUBJECTS:
        t.problems.append(f"{t.where}: unknown subject {subject!r}; choose from {', '.join(SUBJECTS)}")
    if req and req not in REQUIREMENTS:
        t.problems.append(f"{t.where}: unknown requirement {req!r}; choose from {', '.join(REQUIREMENTS)}")
    return Convention(
        subject=subject or "routes",
        requirement=req or "option",
        names=tuple(t.strs("names", "name")),
        exceptions=tuple(t.strs("except", "exceptions")),
        under=t.refs("under"),
        public_only=t.flag("public_only"),
    )


def _placement(t: _Table) -> Spec:
    subject = t.text("subject", required=True)
    if subject and subject not in ("routes", "models", "tasks"):
        t.problems.append(f"{t.where}: placement subject must be routes, models or tasks")
    return Placement(subject or "models", t.refs("folders", "in", required=True), classes_only=t.flag("classes_only"))


def _shared(t: _Table) -> Spec:
    return Shared(t.refs("modules", required=True))


BUILDERS: dict[str, Callable[[_Table], Spec]] = {
    "layers": _layers,
    "forbidden": _forbidden,
    "protected": _protected,
    "allow": _allow,
    "allow_only": _allow,
    "independence": _independence,
    "acyclic": _acyclic,
    "ban": _ban,
    "limit": _limit,
    "convention": _convention,
    "placement": _placement,
    "shared": _shared,
}


def _header_lines(content: str, first_line: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, ln in enumerate(content.split("\n")):
        s = ln.strip()
        if s.startswith("[[") and s.endswith("]]"):
            out.setdefault(s[2:-2].strip(), []).append(first_line + i)
        elif s.startswith("[") and s.endswith("]"):
            out.setdefault(s[1:-1].strip(), []).append(first_line + i)
    return out


def compile_fenced(content: str, first_line: int, source: str = "RULES.md") -> RuleSet:
    """Compile one fenced block (``first_line`` is the line of its first content line)."""
    problems: list[str] = []
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        import re

        m = re.search(r"line (\d+)", msg)
        line = first_line + int(m.group(1)) - 1 if m else first_line
        return RuleSet(source, problems=(f"{source}:{line}: invalid TOML in the backendscan block: {msg}",))
    headers = _header_lines(content, first_line)
    entries: list[Entry] = []
    roles: list[tuple[str, tuple[str, ...]]] = []
    ignores: list[tuple[str, str, str]] = []
    type_checking = False
    dynamic = True
    for key in sorted(data, key=lambda k: (headers.get(k, [first_line])[0], k)):
        value = data[key]
        if key == "type_checking":
            if not isinstance(value, bool):
                problems.append(f"{source}:{first_line}: 'type_checking' must be true or false")
            type_checking = bool(value)
            continue
        if key == "dynamic_imports":
            if not isinstance(value, bool):
                problems.append(f"{source}:{first_line}: 'dynamic_imports' must be true or false")
            dynamic = bool(value)
            continue
        if key == "roles":
            if not isinstance(value, dict):
                problems.append(f"{source}:{headers.get('roles', [first_line])[0]}: [roles] must be a table")
                continue
            for role, mods in value.items():
                mods_list = [mods] if isinstance(mods, str) else mods
                if not isinstance(mods_list, list) or not all(isinstance(m, str) for m in mods_list):
                    problems.append(f"{source}:{headers.get('roles', [first_line])[0]}: role {role!r} must map to a string or a list of strings")
                    continue
                roles.append((role.strip().lower(), tuple(m.strip() for m in mods_list)))
            continue
        if key == "ignore":
            items = value if isinstance(value, list) else [value]
            lines = headers.get("ignore", [])
            for i, item in enumerate(items):
                line = lines[i] if i < len(lines) else first_line
                where = f"{source}:{line}: [[ignore]]"
                if not isinstance(item, dict):
                    problems.append(f"{where} must be a table")
                    continue
                t = _Table(item, where, problems)
                rule_id = t.text("rule") or "*"
                path = t.text("path") or "**"
                reason = t.text("reason")
                if not reason.strip():
                    problems.append(f"{where}: an ignore needs a 'reason'")
                t.finish()
                ignores.append((rule_id, path, reason))
            continue
        builder = BUILDERS.get(key)
        if builder is None:
            line = headers.get(key, [first_line])[0]
            problems.append(f"{source}:{line}: unknown table [{key}] in the backendscan block; known: {', '.join(sorted(BUILDERS))}, roles, ignore")
            continue
        items = value if isinstance(value, list) else [value]
        lines = headers.get(key, [])
        for i, item in enumerate(items):
            line = lines[i] if i < len(lines) else first_line
            where = f"{source}:{line}: [[{key}]]"
            if not isinstance(item, dict):
                problems.append(f"{where} must be a table")
                continue
            t = _Table(item, where, problems)
            spec = builder(t)
            sev_text = t.text("severity") or "error"
            try:
                severity = Severity.parse(sev_text)
            except ValueError:
                problems.append(f"{where}: severity must be error, warning or info")
                severity = Severity.ERROR
            rid = t.text("id")
            because = t.text("because")
            t.finish()
            rule = Rule(spec, severity, line, f"[[{key}]]", source, rid, because)
            entries.append(Entry(line, f"[[{key}]]", COMPILED, spec.kind, severity, (rule,), source=source))
    return RuleSet(
        source,
        entries=tuple(entries),
        rules=tuple(r for e in entries for r in e.rules),
        roles=tuple(roles),
        problems=tuple(problems),
        type_checking=type_checking,
        dynamic_imports=dynamic,
        ignores=tuple(ignores),
    )
