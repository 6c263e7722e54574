"""Checks of bans, numeric limits, framework conventions and placement.

* **Bans** read import sites (``import requests``, ``from os import getenv``,
  first-party modules too) and call sites from the symbol tables, resolved
  through imports and aliases (``print`` -> ``builtins.print``,
  ``getenv`` -> ``os.getenv``); constructs come from the same facts (bare
  ``except`` lines, star imports, relative imports, third-party imports).
  A name that a module imports is reported at the import, not again at every
  call.
* **Limits** read radon's metrics of each file (cyclomatic complexity and
  length of functions, methods and classes, file length, maintainability
  index), parameter counts from the function headers (``self``/``cls`` and
  ``*args``/``**kwargs`` not counted) and, for line length, the long lines the
  command layer measured.
* **Conventions** read the routes, models and tasks the analyzers found:
  route and task options (keywords as written), authentication evidence
  (with exceptions matched against path segments, module and function
  names), methods and columns of models (inherited ones count), base
  classes, ``async def`` handlers and the calls inside them (blocking calls,
  direct ORM session use), and function headers for type hints, docstrings
  and naming.
* **Placement** compares the file of each route handler, model or task with
  the folders the rule names.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Iterable

from ..facts import Route
from ..model import ChainHop, Finding, Location, Origin
from . import lexicon
from .inputs import Context, Unmatched, finding, module_of
from .model import BAN_CONSTRUCTS, Ban, Convention, Limit, Placement, Ref, Rule

Result = "list[Finding] | tuple[list[Finding], str]"


def _in_scope(ctx: Context, rule: Rule, module: str, under: tuple[Ref, ...], outside: tuple[Ref, ...] = ()) -> bool:
    if module in ctx.inp.test_modules:
        return False
    if under:
        ok = any(module == m or module.startswith(m + ".") for m in ctx.resolver.modules_of(under))
        if not ok:
            return False
    if outside:
        if any(module == m or module.startswith(m + ".") for m in ctx.resolver.modules_of(outside)):
            return False
    return True


def _report_scope(ctx: Context, rule: Rule, refs: tuple[Ref, ...], what: str) -> None:
    for ref in refs:
        if not ctx.resolver.resolve(ref).found:
            ctx.unmatched.append(Unmatched(rule, ref, what))


def _source_modules(ctx: Context) -> list[str]:
    """First-party modules with code (tests and migrations excluded: generated or frozen history, not the code rules shape)."""
    skip = ctx.inp.test_modules | ctx.inp.migration_modules
    return sorted(m for m in ctx.inp.modules if m not in skip and ctx.inp.modules[m])


# --------------------------------------------------------------------- bans
_BUILTIN_CALLS = {"print", "eval", "exec", "breakpoint", "open", "input", "compile", "__import__", "exit", "quit"}


def _call_matches(name: str, resolved: str, written: str) -> bool:
    if resolved == name or resolved.startswith(name + "."):
        return True
    if resolved == "builtins." + name:
        return True
    if "." in name and (written == name or written.endswith("." + name) or written.startswith(name + ".")):
        return True
    return False


def check_ban(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    assert isinstance(spec, Ban)
    _report_scope(ctx, rule, spec.under, "scope")
    _report_scope(ctx, rule, spec.outside, "outside")
    out: list[Finding] = []
    names = [n for n in spec.names if n not in BAN_CONSTRUCTS]
    constructs = set(spec.names) - set(names)
    query_calls = set(lexicon.DB_QUERY_CALLS) - set(names) if "db-query" in constructs else set()
    raw_calls = set(lexicon.RAW_SQL_CALLS) - set(names) - query_calls if "raw-sql" in constructs else set()
    names += sorted(query_calls | raw_calls)
    # a banned first-party module is banned as an import, not as every call into it
    modules_banned = {n for n in names if ctx.resolver.exists(n)}
    use = f"; use `{spec.replacement}`" if spec.replacement else ""
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under, spec.outside):
            continue
        path = ctx.inp.path_of(module)
        imported_names: set[str] = set()
        for s in ctx.sites_of(module):
            if spec.in_async:
                break
            for n in names:
                hit = s.target == n or s.target.startswith(n + ".") or any(f"{s.target}.{x}" == n or f"{s.target}.{x}".startswith(n + ".") for x in s.names)
                if s.origin is Origin.FIRST_PARTY and not (s.target == n or s.target.startswith(n + ".")):
                    hit = hit and "." in n
                if hit:
                    imported_names.add(n)
                    what = (f"imports `{n}`, which builds database queries" if n in query_calls
                            else f"imports `{n}`, which writes raw SQL" if n in raw_calls else f"imports banned `{n}`")
                    out.append(finding(rule, f"{what}{use}", s.location, f"{module}:import:{n}", (ChainHop(module, s.target, s.location, s.code),)))
            if "star-import" in constructs and s.star:
                out.append(finding(rule, f"star import from {s.target}{use}", s.location, f"{module}:star:{s.target}"))
            if "relative-import" in constructs and s.written.startswith("."):
                out.append(finding(rule, f"relative import {s.written}{use}", s.location, f"{module}:relative:{s.written}"))
            if "local-import" in constructs and s.lazy and not s.dynamic:
                out.append(finding(rule, f"imports {s.target} inside a function{use}", s.location, f"{module}:local:{s.target}"))
            if "third-party-import" in constructs and s.origin is Origin.THIRD_PARTY:
                out.append(finding(rule, f"imports third-party {s.top_level}", s.location, f"{module}:third-party:{s.top_level}"))
        syms = ctx.inp.symbols.get(module)
        if syms is None:
            continue
        # names already reported as imports of this module (or first-party modules) are not looked for in its calls
        live = [n for n in names if not ((n in imported_names and not spec.in_async) or n in modules_banned)]
        if live:
            for call in syms.calls:
                if spec.in_async and not call.in_async:
                    continue
                written = call.callee
                resolved = ctx.callee(module, written, call.scope)
                for n in live:
                    if "." not in n and n not in _BUILTIN_CALLS and not resolved.startswith(n + ".") and resolved != n:
                        continue
                    if _call_matches(n, resolved, written):
                        where = f" in {call.scope}" if call.scope else ""
                        what = (f"runs a database query (`{written}`)" if n in query_calls
                                else f"runs raw SQL (`{written}`)" if n in raw_calls else f"calls banned `{n}`")
                        msg = f"{what}{where}" + (" inside async code" if spec.in_async else "") + use
                        out.append(finding(rule, msg, Location(path, call.line, call.column), f"{module}:{call.scope}:call:{n}"))
                        break
        if "bare-except" in constructs:
            for line in syms.bare_excepts:
                out.append(finding(rule, f"bare `except:` catches everything, SystemExit and KeyboardInterrupt included{use}", Location(path, line), f"{module}:bare-except:{line}"))
    return out


# --------------------------------------------------------------------- limits
_LIMIT_WORDS = {
    "complexity": "cyclomatic complexity",
    "function-length": "lines",
    "class-length": "lines",
    "file-length": "lines",
    "parameters": "parameters",
    "maintainability": "maintainability index",
    "line-length": "characters",
}


def _over(value: float, spec: Limit) -> bool:
    if spec.maximum is not None and value > spec.maximum:
        return True
    if spec.minimum is not None and value < spec.minimum:
        return True
    return False


def _bound_text(spec: Limit) -> str:
    if spec.maximum is not None and spec.minimum is not None:
        return f"allowed {spec.minimum:g}..{spec.maximum}"
    return f"max {spec.maximum}" if spec.maximum is not None else f"min {spec.minimum:g}"


def check_limit(ctx: Context, rule: Rule) -> "list[Finding] | tuple[list[Finding], str]":
    spec = rule.spec
    assert isinstance(spec, Limit)
    _report_scope(ctx, rule, spec.under, "scope")
    out: list[Finding] = []
    bound = _bound_text(spec)
    measured = 0
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under):
            continue
        path = ctx.inp.path_of(module)
        if spec.metric == "parameters":
            syms = ctx.inp.symbols.get(module)
            if syms is None:
                continue
            measured += 1
            for fn in syms.functions:
                a = fn.args
                params = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
                if fn.is_method and params and params[0] in ("self", "cls", "mcs", "metacls"):
                    params = params[1:]
                if _over(len(params), spec):
                    out.append(finding(rule, f"{fn.qualname} takes {len(params)} parameters ({bound})", Location(path, fn.line), f"{module}.{fn.qualname}:parameters"))
            continue
        if spec.metric == "line-length":
            lines = ctx.inp.long_lines.get(path)
            if lines is None:
                continue
            measured += 1
            for line, length in lines:
                if _over(length, spec):
                    out.append(finding(rule, f"line is {length} characters long ({bound})", Location(path, line), f"{module}:line-length:{line}"))
            continue
        fm = ctx.inp.metrics.get(path)
        if fm is None:
            continue
        measured += 1
        if spec.metric == "file-length":
            if _over(fm.loc, spec):
                out.append(finding(rule, f"file is {fm.loc} lines long ({bound})", Location(path, 1), f"{module}:file-length"))
        elif spec.metric == "maintainability":
            if _over(fm.mi, spec):
                out.append(finding(rule, f"maintainability index is {fm.mi:g} (rank {fm.mi_rank}; {bound})", Location(path, 1), f"{module}:maintainability"))
        else:
            for b in fm.blocks:
                if spec.metric == "class-length":
                    if b.kind != "class":
                        continue
                    value: float = b.length
                elif b.kind == "class":
                    continue
                elif spec.metric == "complexity":
                    value = b.complexity
                else:
                    value = b.length
                if _over(value, spec):
                    what = "cyclomatic complexity" if spec.metric == "complexity" else "length"
                    unit = "" if spec.metric == "complexity" else " lines"
                    out.append(finding(rule, f"{b.name} has {what} {value:g}{unit} ({bound})", Location(path, b.line), f"{module}.{b.name}:{spec.metric}"))
    if not measured:
        why = "no metrics were computed (run without --no-metrics)" if spec.metric not in ("parameters", "line-length") else "no files were measured"
        return out, f"{rule.where}: {why}, so this limit checked nothing"
    return out


# --------------------------------------------------------------------- conventions
def _route_location(r: Route) -> Location:
    """The decorator (where options are set) when it is in the handler's file, else the def line."""
    reg = r.registered_at
    if reg is not None and reg.path == r.file and reg.line:
        return Location(reg.path, reg.line, reg.column)
    return Location(r.file, r.line)


def _route_name(r: Route) -> str:
    return f"{','.join(r.methods)} {r.path}"


def _route_words(r: Route) -> set[str]:
    words = {seg.strip("{}").lower() for seg in r.path.split("/") if seg}
    parts = r.handler.split(".")
    words.update(p.lower() for p in parts[-2:])
    words.update(w.lower() for p in parts[-2:] for w in p.split("_"))
    return words


def _exempt_route(r: Route, exceptions: Iterable[str]) -> bool:
    words = _route_words(r)
    for e in exceptions:
        e = e.strip()
        if not e:
            continue
        if e.startswith("/"):
            if r.path == e or r.path.startswith(e.rstrip("/") + "/") or r.path.rstrip("/") == e.rstrip("/") or r.raw_path == e:
                return True
            segs = [s for s in e.split("/") if s]
            if segs and all(s.lower() in words for s in segs):
                return True
            continue
        if e.lower() in words or e.lower().replace(" ", "_") in words or r.handler.endswith("." + e):
            return True
    return False


_FASTAPI_ONLY = {"response_model", "status_code", "tags", "summary", "description", "response_description", "operation_id", "dependencies", "responses", "deprecated", "include_in_schema", "response_class"}


def _routes(ctx: Context, spec: Convention) -> list[Route]:
    out = []
    for r in ctx.inp.routes:
        if r.kind not in ("http", "websocket"):
            continue
        module = module_of(r.handler, ctx.inp.modules)
        if spec.under and module and not _in_scope(ctx, None, module, spec.under):  # type: ignore[arg-type]
            continue
        out.append(r)
    return out


def _handler_function(ctx: Context, handler: str):  # type: ignore[no-untyped-def]
    module = module_of(handler, ctx.inp.modules)
    if not module:
        return "", None
    qual = handler[len(module) + 1 :]
    syms = ctx.inp.symbols.get(module)
    if syms is None or not qual:
        return module, None
    return module, syms.function(qual)


def check_convention(ctx: Context, rule: Rule) -> "list[Finding] | tuple[list[Finding], str]":
    spec = rule.spec
    assert isinstance(spec, Convention)
    _report_scope(ctx, rule, spec.under, "scope")
    fn = _CONVENTIONS.get((spec.subject, spec.requirement)) or _CONVENTIONS.get(("*", spec.requirement))
    if fn is None:
        return []
    return fn(ctx, rule, spec)


def _route_option(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    routes = _routes(ctx, spec)
    out: list[Finding] = []
    checked = 0
    for r in routes:
        if _exempt_route(r, spec.exceptions):
            continue
        if set(spec.names) & _FASTAPI_ONLY and r.framework != "fastapi":
            continue
        checked += 1
        keys = {k.removeprefix("inherited_") for k, _ in r.options}
        if not keys & set(spec.names):
            want = " or ".join(spec.names)
            out.append(finding(rule, f"{_route_name(r)} ({r.handler}) does not set {want}", _route_location(r), f"route:{_route_name(r)}:{r.handler}"))
    note = "" if checked or out else f"no {'FastAPI ' if set(spec.names) & _FASTAPI_ONLY else ''}routes were found, so this rule checked nothing"
    return out, note


def _route_auth(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    routes = [r for r in _routes(ctx, spec) if r.kind == "http"]
    out: list[Finding] = []
    for r in routes:
        if _exempt_route(r, spec.exceptions):
            continue
        evidence = [a for a in r.auth if not a.public]
        if spec.names:
            evidence = [a for a in evidence if any(a.name == n or a.name.endswith("." + n) or n.endswith(a.name) for n in spec.names)]
        if not evidence:
            public = [a for a in r.auth if a.public]
            why = f" (explicitly public: {public[0].name})" if public else ""
            need = f" via {' or '.join(spec.names)}" if spec.names else ""
            out.append(finding(rule, f"{_route_name(r)} ({r.handler}) does not require authentication{need}{why}", _route_location(r), f"route:{_route_name(r)}:{r.handler}"))
    return out, "" if routes else "no routes were found, so this rule checked nothing"


def _blocking(name: str, names: tuple[str, ...]) -> bool:
    """A blocking call: the usual suspects, plus the names the rule lists."""
    pats = tuple(names) + lexicon.BLOCKING_CALLS
    for p in pats:
        p = p.strip()
        if not p:
            continue
        if name == p or name.startswith(p if p.endswith(".") else p + ".") or name == "builtins." + p or (p.endswith(".") and name.startswith(p)):
            return True
    return False


def _route_no_blocking(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    resolve = ctx.inp.resolve_name or (lambda m, n, sc: n)
    out: list[Finding] = []
    names = tuple(n for n in spec.names if n not in ("async def", "def"))
    if spec.subject == "routes":
        targets = [(r, *_handler_function(ctx, r.handler)) for r in _routes(ctx, spec) if r.is_async]
        for r, module, fn in targets:
            syms = ctx.inp.symbols.get(module)
            if syms is None or fn is None:
                continue
            for call in syms.calls:
                if not call.in_async or not (call.scope == fn.qualname or call.scope.startswith(fn.qualname + ".")):
                    continue
                resolved = resolve(module, call.callee, call.scope)
                if _blocking(resolved, names) or (names and _blocking(call.callee, names)):
                    out.append(finding(rule, f"blocking call {resolved}() inside async def {fn.qualname} ({_route_name(r)})", Location(ctx.inp.path_of(module), call.line, call.column), f"route:{_route_name(r)}:{resolved}"))
        return out, "" if ctx.inp.routes else "no routes were found, so this rule checked nothing"
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under):
            continue
        syms = ctx.inp.symbols.get(module)
        if syms is None:
            continue
        for call in syms.calls:
            if not call.in_async:
                continue
            resolved = resolve(module, call.callee, call.scope)
            if _blocking(resolved, names):
                out.append(finding(rule, f"blocking call {resolved}() inside async def {call.scope}", Location(ctx.inp.path_of(module), call.line, call.column), f"{module}:{call.scope}:{resolved}"))
    return out, ""


_SESSION_TYPES = ("sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session", "sqlalchemy.ext.asyncio.AsyncSession", "sqlmodel.Session", "sqlalchemy.orm.scoped_session", "sqlalchemy.orm.sessionmaker")


def _annotation_is_session(ctx: Context, module: str, expr: ast.expr | None, depth: int = 0) -> bool:
    if expr is None or depth > 4:
        return False
    resolve = ctx.inp.resolve_name or (lambda m, n, sc: n)
    if isinstance(expr, ast.Subscript):
        base = _dotted(expr.value)
        if resolve(module, base, "").endswith("Annotated"):
            inner = expr.slice
            first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            return _annotation_is_session(ctx, module, first, depth + 1)
        return False
    name = _dotted(expr)
    if not name:
        return False
    full = resolve(module, name, "")
    if any(full == t or full.endswith("." + t.rsplit(".", 1)[1]) and full.startswith(t.split(".")[0]) for t in _SESSION_TYPES):
        return True
    if ctx.inp.assignment_value is not None:
        found = ctx.inp.assignment_value(full)
        if found is not None:
            mod, value = found
            return _annotation_is_session(ctx, mod, value, depth + 1)
    return False


def _dotted(node: ast.AST | None) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _route_no_session(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    resolve = ctx.inp.resolve_name or (lambda m, n, sc: n)
    out: list[Finding] = []
    seen: set[str] = set()
    for r in _routes(ctx, spec):
        module, fn = _handler_function(ctx, r.handler)
        if fn is None or r.handler in seen:
            continue
        seen.add(r.handler)
        path = ctx.inp.path_of(module)
        args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
        for a in args:
            if _annotation_is_session(ctx, module, a.annotation):
                ann = ast.unparse(a.annotation) if a.annotation is not None else ""
                out.append(finding(rule, f"{fn.qualname} ({_route_name(r)}) takes the ORM session as parameter `{a.arg}: {ann}`", Location(path, fn.line), f"route:{r.handler}:session"))
                break
        else:
            syms = ctx.inp.symbols.get(module)
            for call in syms.calls if syms is not None else ():
                if call.scope != fn.qualname and not call.scope.startswith(fn.qualname + "."):
                    continue
                resolved = resolve(module, call.callee, call.scope)
                if ".session." in f".{call.callee}." and (resolved.startswith("flask_sqlalchemy") or call.callee.startswith("db.session")):
                    out.append(finding(rule, f"{fn.qualname} ({_route_name(r)}) uses {call.callee}() directly", Location(path, call.line, call.column), f"route:{r.handler}:session"))
                    break
    return out, "" if ctx.inp.routes else "no routes were found, so this rule checked nothing"


def _route_async(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    want = spec.requirement == "async"
    out = [
        finding(rule, f"{_route_name(r)} ({r.handler}) is {'a plain def' if want else 'async def'}", _route_location(r), f"route:{_route_name(r)}:{r.handler}")
        for r in _routes(ctx, spec)
        if r.kind == "http" and r.is_async != want and not _exempt_route(r, spec.exceptions) and r.framework in ("fastapi", "starlette", "flask", "django", "drf")
    ]
    return out, "" if ctx.inp.routes else "no routes were found, so this rule checked nothing"


def _models(ctx: Context, spec: Convention):  # type: ignore[no-untyped-def]
    for m in ctx.inp.models:
        if m.kind != "model" or not m.class_name or m.abstract or m.framework_provided:
            continue
        module = module_of(m.class_name, ctx.inp.modules)
        if spec.under and module and not _in_scope(ctx, None, module, spec.under):  # type: ignore[arg-type]
            continue
        yield m


def _model_method(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    out: list[Finding] = []
    models = list(_models(ctx, spec))
    for m in models:
        methods = set(m.methods)
        if ctx.inp.class_methods is not None:
            methods |= {x for x in ctx.inp.class_methods(m.class_name)}
        if not methods & set(spec.names):
            out.append(finding(rule, f"model {m.class_name} does not define {' or '.join(spec.names)}", Location(m.file, m.line), f"model:{m.class_name}"))
    return out, "" if models else "no ORM models were found, so this rule checked nothing"


def _model_column(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    out: list[Finding] = []
    models = list(_models(ctx, spec))
    for m in models:
        cols = {c.name for c in m.columns} | {c.attribute for c in m.columns if c.attribute}
        if not cols & set(spec.names):
            out.append(finding(rule, f"model {m.class_name} (table {m.table or '?'}) has no {' or '.join(spec.names)} column", Location(m.file, m.line), f"model:{m.class_name}"))
    return out, "" if models else "no ORM models were found, so this rule checked nothing"


def _base_ok(ctx: Context, cls: str, names: tuple[str, ...]) -> bool:
    chain = list(ctx.inp.mro(cls)) if ctx.inp.mro is not None else []
    for c in chain[1:] if chain and chain[0] == cls else chain:
        for n in names:
            if c == n or c.endswith("." + n):
                return True
    return False


def _model_base(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    out: list[Finding] = []
    models = list(_models(ctx, spec))
    for m in models:
        if not _base_ok(ctx, m.class_name, spec.names):
            out.append(finding(rule, f"model {m.class_name} does not derive from {' or '.join(spec.names)}", Location(m.file, m.line), f"model:{m.class_name}"))
    return out, "" if models else "no ORM models were found, so this rule checked nothing"


def _task_option(ctx: Context, rule: Rule, spec: Convention) -> "tuple[list[Finding], str]":
    out: list[Finding] = []
    tasks = [t for t in ctx.inp.tasks if not spec.under or _in_scope(ctx, rule, module_of(t.function, ctx.inp.modules), spec.under)]
    for t in tasks:
        if any(e == t.name or t.function.endswith("." + e) for e in spec.exceptions):
            continue
        keys = {k for k, _ in t.options}
        if not keys & set(spec.names):
            out.append(finding(rule, f"task {t.name} ({t.function}) does not set {' or '.join(spec.names)}", Location(t.file, t.line), f"task:{t.name}"))
    return out, "" if tasks else "no background tasks were found, so this rule checked nothing"


def _public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _functions(ctx: Context, rule: Rule, spec: Convention):  # type: ignore[no-untyped-def]
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under):
            continue
        syms = ctx.inp.symbols.get(module)
        if syms is None:
            continue
        classes = {c.qualname: c for c in syms.classes}
        for fn in syms.functions:
            if "<locals>" in fn.qualname:
                continue
            if spec.public_only:
                parts = fn.qualname.split(".")
                if not all(_public(p) and not (p.startswith("__") and p != parts[-1]) for p in parts) or (fn.name.startswith("__") and fn.name != "__init__" and fn.name.endswith("__")):
                    continue
                if fn.scope and fn.scope in classes and classes[fn.scope].name.startswith("_"):
                    continue
            yield module, fn


def _type_hints(ctx: Context, rule: Rule, spec: Convention) -> list[Finding]:
    out: list[Finding] = []
    for module, fn in _functions(ctx, rule, spec):
        a = fn.args
        params = a.posonlyargs + a.args + a.kwonlyargs
        if fn.is_method and params and params[0].arg in ("self", "cls", "mcs"):
            params = params[1:]
        missing = [p.arg for p in params if p.annotation is None]
        for extra in (a.vararg, a.kwarg):
            if extra is not None and extra.annotation is None:
                missing.append(("*" if extra is a.vararg else "**") + extra.arg)
        no_return = fn.returns is None and fn.name != "__init__"
        if missing or no_return:
            what = []
            if missing:
                what.append("parameters " + ", ".join(missing))
            if no_return:
                what.append("the return type")
            out.append(finding(rule, f"{fn.qualname} has no type hints for {' and '.join(what)}", Location(ctx.inp.path_of(module), fn.line), f"{module}.{fn.qualname}:type-hints"))
    return out


def _docstrings(ctx: Context, rule: Rule, spec: Convention) -> list[Finding]:
    out: list[Finding] = []
    if spec.subject == "functions":
        for module, fn in _functions(ctx, rule, spec):
            if not fn.docstring and not (fn.name.startswith("__") and fn.name.endswith("__")):
                out.append(finding(rule, f"{fn.qualname} has no docstring", Location(ctx.inp.path_of(module), fn.line), f"{module}.{fn.qualname}:docstring"))
        return out
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under):
            continue
        syms = ctx.inp.symbols.get(module)
        if syms is None:
            continue
        path = ctx.inp.path_of(module)
        if spec.subject == "modules":
            if spec.public_only and any(p.startswith("_") for p in module.split(".")):
                continue
            if module in ctx.inp.packages:
                continue
            if not syms.docstring:
                out.append(finding(rule, f"module {module} has no docstring", Location(path, 1), f"{module}:docstring"))
        else:
            for c in syms.classes:
                if "<locals>" in c.qualname or (spec.public_only and not all(_public(p) for p in c.qualname.split("."))):
                    continue
                if not c.docstring:
                    out.append(finding(rule, f"class {c.qualname} has no docstring", Location(path, c.line), f"{module}.{c.qualname}:docstring"))
    return out


_CASE_RX = {
    "pascal": re.compile(r"^_*[A-Z][A-Za-z0-9]*$"),
    "snake": re.compile(r"^_*[a-z][a-z0-9_]*$|^__[a-z][a-z0-9_]*__$"),
    "upper": re.compile(r"^_*[A-Z][A-Z0-9_]*$"),
}


def _case(ctx: Context, rule: Rule, spec: Convention) -> list[Finding]:
    rx = _CASE_RX.get(spec.names[0] if spec.names else "snake", _CASE_RX["snake"])
    out: list[Finding] = []
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under):
            continue
        path = ctx.inp.path_of(module)
        if spec.subject == "modules":
            last = module.rsplit(".", 1)[-1]
            if not rx.match(last) and not last.startswith("__"):
                out.append(finding(rule, f"module name {last} is not {spec.names[0]} case", Location(path, 1), f"{module}:case"))
            continue
        syms = ctx.inp.symbols.get(module)
        if syms is None:
            continue
        if spec.subject == "classes":
            for c in syms.classes:
                if not rx.match(c.name):
                    out.append(finding(rule, f"class name {c.name} is not {spec.names[0]} case", Location(path, c.line), f"{module}.{c.qualname}:case"))
        else:
            for fn in syms.functions:
                if fn.name.startswith("__") and fn.name.endswith("__"):
                    continue
                if not rx.match(fn.name):
                    out.append(finding(rule, f"function name {fn.qualname} is not {spec.names[0]} case", Location(path, fn.line), f"{module}.{fn.qualname}:case"))
    return out


def _class_base(ctx: Context, rule: Rule, spec: Convention) -> list[Finding]:
    out: list[Finding] = []
    for module in _source_modules(ctx):
        if not _in_scope(ctx, rule, module, spec.under):
            continue
        syms = ctx.inp.symbols.get(module)
        for c in syms.classes if syms is not None else ():
            cls = f"{module}.{c.qualname}"
            if not _base_ok(ctx, cls, spec.names):
                out.append(finding(rule, f"class {cls} does not derive from {' or '.join(spec.names)}", Location(ctx.inp.path_of(module), c.line), f"{cls}:base"))
    return out


_CONVENTIONS: dict[tuple[str, str], Callable[[Context, Rule, Convention], "list[Finding] | tuple[list[Finding], str]"]] = {
    ("routes", "option"): _route_option,
    ("routes", "auth"): _route_auth,
    ("routes", "no-blocking"): _route_no_blocking,
    ("async-functions", "no-blocking"): _route_no_blocking,
    ("routes", "no-session"): _route_no_session,
    ("routes", "async"): _route_async,
    ("routes", "sync"): _route_async,
    ("models", "method"): _model_method,
    ("classes", "method"): _model_method,
    ("models", "column"): _model_column,
    ("models", "base"): _model_base,
    ("classes", "base"): _class_base,
    ("tasks", "option"): _task_option,
    ("*", "type-hints"): _type_hints,
    ("*", "docstring"): _docstrings,
    ("*", "case"): _case,
}


# --------------------------------------------------------------------- placement
def check_placement(ctx: Context, rule: Rule) -> "tuple[list[Finding], str]":
    spec = rule.spec
    assert isinstance(spec, Placement)
    dirs: list[str] = []
    for ref in spec.folders:
        res = ctx.resolver.resolve(ref)
        if not res.found:
            if "/" in ref.text:
                dirs.append(ref.text.strip("/") + ("" if ref.text.endswith(".py") else "/"))
                continue
            ctx.unmatched.append(Unmatched(rule, ref, "folder"))
        for m in res.modules:
            p = ctx.inp.path_of(m)
            if p.endswith("/__init__.py"):
                dirs.append(p[: -len("/__init__.py")] + "/")
            elif p:
                dirs.append(p)
            else:  # a namespace package or a parent without a file: its folder
                kids = [ctx.inp.path_of(n) for n in ctx.resolver.descendants(m)[1:] if ctx.inp.path_of(n)]
                if kids:
                    depth = m.count(".") + 1
                    first = kids[0].split("/")
                    dirs.append("/".join(first[: len(first) - (kids[0].count("/") + 1 - depth)]) + "/")
    items: list[tuple[str, str, int, str]] = []
    if spec.subject == "routes":
        items = [(f"{_route_name(r)} ({r.handler})", r.file, _route_location(r).line, f"route:{r.handler}") for r in ctx.inp.routes if r.kind == "http"]
        what = "routes"
    elif spec.subject == "models":
        items = [(f"model {m.class_name}", m.file, m.line, f"model:{m.class_name}") for m in ctx.inp.models if m.class_name and not m.framework_provided]
        what = "ORM models"
    else:
        items = [(f"task {t.name}", t.file, t.line, f"task:{t.name}") for t in ctx.inp.tasks if t.kind == "class" or not spec.classes_only]
        what = "class-based background tasks" if spec.classes_only else "background tasks"
    out: list[Finding] = []
    dirs = list(dict.fromkeys(dirs))  # a file named twice (a module and its package's role) is said once
    for label, file, line, sym in items:
        if not any(file.startswith(d) if d.endswith("/") else file == d for d in dirs):
            where = " or ".join(dirs) or "the folders named"
            out.append(finding(rule, f"{label} is defined in {file}, outside {where}", Location(file, line), sym))
    return out, "" if items else f"no {what} were found, so this rule checked nothing"


def check_shared(ctx: Context, rule: Rule) -> list[Finding]:
    spec = rule.spec
    for ref in spec.modules:  # type: ignore[union-attr]
        if not ctx.resolver.resolve(ref).found:
            ctx.unmatched.append(Unmatched(rule, ref, "modules"))
    return []


OTHER_CHECKS = {
    "ban": check_ban,
    "limit": check_limit,
    "convention": check_convention,
    "placement": check_placement,
    "shared": check_shared,
}
