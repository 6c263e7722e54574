"""Shared helpers for the runtime ground-truth dumpers.

These helpers run *inside* the ground-truth virtualenvs (see README.md), next to
the imported project.  They must only use the standard library, so that the
same file works in every venv and every Python version we use (3.10+).

Path normalisation here is the contract with backendscan's static output:

* a leading "/" always;
* every path parameter written ``{name}``;
* converters, regex bodies and anchors removed; escaped literal characters
  unescaped;
* trailing slashes kept exactly as the framework defines them.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
from typing import Any, Callable, Iterable

# --------------------------------------------------------------------------
# Path normalisation
# --------------------------------------------------------------------------

_STARLETTE_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^{}]*)?\}")
_WERKZEUG_PARAM = re.compile(r"<(?:[A-Za-z_][A-Za-z0-9_]*(?:\([^)]*\))?:)?([A-Za-z_][A-Za-z0-9_]*)>")
_DJANGO_ROUTE_PARAM = re.compile(r"<(?:[A-Za-z_][A-Za-z0-9_]*:)?([A-Za-z_][A-Za-z0-9_]*)>")


def ensure_leading_slash(path: str) -> str:
    if not path.startswith("/"):
        path = "/" + path
    return path


def collapse_slashes(path: str) -> str:
    return re.sub(r"/{2,}", "/", path)


def normalise_starlette(path: str) -> str:
    """FastAPI / Starlette: ``{id:uuid}`` -> ``{id}``."""
    return collapse_slashes(ensure_leading_slash(_STARLETTE_PARAM.sub(r"{\1}", path)))


def normalise_werkzeug(rule: str) -> str:
    """Flask / werkzeug: ``<int:id>`` / ``<any(a,b):kind>`` / ``<name>`` -> ``{name}``."""
    return collapse_slashes(ensure_leading_slash(_WERKZEUG_PARAM.sub(r"{\1}", rule)))


def normalise_django_route(route: str) -> str:
    """Django ``path()`` syntax piece (no leading slash handling)."""
    return _DJANGO_ROUTE_PARAM.sub(r"{\1}", route)


def _skip_group(regex: str, start: int) -> int:
    """Return the index just after the group whose "(" is at ``start``."""
    depth = 0
    i = start
    in_class = False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(regex)


def _skip_quantifier(regex: str, i: int) -> int:
    if i < len(regex) and regex[i] in "?*+":
        i += 1
        if i < len(regex) and regex[i] in "?+":  # lazy / possessive
            i += 1
    elif i < len(regex) and regex[i] == "{":
        end = regex.find("}", i)
        if end != -1 and re.fullmatch(r"\{\d*(,\d*)?\}", regex[i : end + 1]):
            i = end + 1
    return i


def normalise_django_regex(regex: str, positional_start: int = 0) -> tuple[str, int, bool]:
    """Turn one Django/DRF regex piece into a readable path piece.

    Named groups become ``{name}``; unnamed capturing groups become
    ``{arg<N>}``; non-capturing groups and other regex syntax we cannot spell
    as a literal are kept verbatim (and the third return value is True, to
    flag that the result is not a pure literal).  ``^`` and ``$`` anchors are
    stripped and escaped literals (``\\.``, ``\\-``, ``\\/``) are unescaped.
    Returns (text, next positional index, has_leftover_regex).
    """
    out: list[str] = []
    i = 0
    n = len(regex)
    positional = positional_start
    leftover = False
    while i < n:
        ch = regex[i]
        if ch == "^" and i == 0:
            i += 1
            continue
        if ch == "$" and (i == n - 1 or regex[i + 1 :] in ("\\Z", "")):
            i += 1
            continue
        if regex.startswith("\\Z", i) and i + 2 == n:
            i += 2
            continue
        if ch == "\\" and i + 1 < n:
            nxt = regex[i + 1]
            if nxt in "dDwWsSbBAZ":
                out.append(regex[i : i + 2])
                leftover = True
            else:
                out.append(nxt)
            i += 2
            continue
        if ch == "(":
            end = _skip_group(regex, i)
            body = regex[i:end]
            m = re.match(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>", body)
            after = _skip_quantifier(regex, end)
            if m:
                out.append("{" + m.group(1) + "}")
            elif body.startswith("(?"):
                out.append(regex[i:after])
                leftover = True
            else:
                out.append("{arg%d}" % positional)
                positional += 1
            if after != end and m is None and not body.startswith("(?"):
                leftover = True
            i = after
            continue
        if ch in "?*+" or ch in "[]|.":
            # "/?" style optional slash or a character class: keep verbatim.
            if ch == "[":
                j = i + 1
                while j < n and regex[j] != "]":
                    j += 2 if regex[j] == "\\" else 1
                after = _skip_quantifier(regex, j + 1)
                out.append(regex[i:after])
                i = after
            else:
                out.append(ch)
                i += 1
            leftover = True
            continue
        out.append(ch)
        i += 1
    return "".join(out), positional, leftover


# --------------------------------------------------------------------------
# Handlers
# --------------------------------------------------------------------------


def unwrap(obj: Any) -> Any:
    try:
        return inspect.unwrap(obj)
    except Exception:  # pragma: no cover - odd __wrapped__ chains
        return obj


def dotted_name(obj: Any) -> str | None:
    """``module.qualname`` of a function, method or class (after unwrapping)."""
    if obj is None:
        return None
    if inspect.ismethod(obj):
        obj = obj.__func__
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    obj = unwrap(obj)
    if isinstance(obj, __import__("functools").partial):
        obj = unwrap(obj.func)
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qualname is None:
        cls = type(obj)
        module = cls.__module__
        qualname = cls.__qualname__
    if module is None:
        return qualname
    return f"{module}.{qualname}"


# Closure variable names under which decorator wrappers usually keep the
# function they wrap.
WRAPPED_VAR_NAMES = {
    "f", "fn", "fun", "func", "function", "view", "view_func", "view_function",
    "viewfunc", "wrapped", "wrapped_func", "method", "callback", "handler",
    "original", "orig", "_func", "func_",
    # class-holding wrappers (e.g. Indico's make_view_func wraps RH classes)
    "obj", "cls", "klass", "rh", "view_class",
}


def closure_target(fn: Any, depth: int = 6) -> Any:
    """For a decorator wrapper that did not use functools.wraps, find the
    wrapped function among its closure cells (depth-first).  Returns None when
    ``fn`` is not such a wrapper."""
    fn = unwrap(fn)
    if inspect.ismethod(fn):
        fn = fn.__func__
    if "<locals>" not in getattr(fn, "__qualname__", ""):
        return None
    seen: set[int] = set()

    def search(f: Any, d: int) -> Any:
        if d <= 0 or id(f) in seen:
            return None
        seen.add(id(f))
        code = getattr(f, "__code__", None)
        names = code.co_freevars if code is not None else ()
        for var, cell in zip(names, getattr(f, "__closure__", None) or ()):
            if var not in WRAPPED_VAR_NAMES:
                continue
            try:
                val = cell.cell_contents
            except ValueError:
                continue
            if inspect.ismethod(val):
                val = val.__func__
            if inspect.isfunction(val) and inspect.isclass(getattr(val, "view_class", None)):
                return val.view_class  # a wrapped View.as_view() function
            if inspect.isfunction(val) or inspect.isclass(val):
                val = unwrap(val)
                if "<locals>" not in getattr(val, "__qualname__", "<locals>"):
                    return val
                found = search(val, d - 1)
                if found is not None:
                    return found
        return None

    return search(fn, depth)


def resolve_handler(fn: Any) -> tuple[str | None, dict[str, Any]]:
    """Dotted handler name; for non-``wraps`` decorator wrappers, the wrapped
    function found in the closure, with the wrapper kept as "handler_runtime"."""
    name = dotted_name(fn)
    extra: dict[str, Any] = {}
    if name and "<locals>" in name:
        target = closure_target(fn)
        if target is not None:
            extra["handler_runtime"] = name
            extra["handler_from_closure"] = True
            name = dotted_name(target)
        else:
            extra["handler_is_closure"] = True
    return name, extra


def bound_class_name(obj: Any) -> str | None:
    """For a bound method, the dotted name of the instance's class."""
    if inspect.ismethod(obj):
        owner = obj.__self__
        cls = owner if inspect.isclass(owner) else type(owner)
        return f"{cls.__module__}.{cls.__qualname__}"
    return None


def origin_of(dotted: str | None, project_roots: Iterable[str]) -> str:
    """Classify a handler/class: "project", "framework" or "third_party"."""
    if not dotted:
        return "unknown"
    top = dotted.split(".", 1)[0]
    if top in set(project_roots):
        return "project"
    if top in FRAMEWORK_ROOTS:
        return "framework"
    return "third_party"


FRAMEWORK_ROOTS = {
    "fastapi",
    "starlette",
    "flask",
    "werkzeug",
    "django",
    "rest_framework",
    "flask_restful",
    "flask_restx",
    "flask_appbuilder",
    "celery",
    "sqlalchemy",
    "sqlmodel",
    "flask_sqlalchemy",
}


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def truth_dir(project: str) -> str:
    root = os.environ.get("GT_TRUTH_ROOT", "/work/gt/truth")
    path = os.path.join(root, project)
    os.makedirs(path, exist_ok=True)
    return path


def write_json(project: str, kind: str, data: Any) -> str:
    path = os.path.join(truth_dir(project), f"{kind}.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=False, default=str)
        fh.write("\n")
    count = len(data) if isinstance(data, list) else {k: len(v) for k, v in data.items() if isinstance(v, list)}
    print(f"[groundtruth] wrote {path}: {count}", file=sys.stderr)
    return path


def sort_routes(routes: list[dict]) -> list[dict]:
    return sorted(routes, key=lambda r: (r["path"], ",".join(r["methods"]), r.get("handler") or ""))


def versions(*dists: str) -> dict[str, str | None]:
    from importlib import metadata

    out: dict[str, str | None] = {}
    for d in dists:
        try:
            out[d] = metadata.version(d)
        except metadata.PackageNotFoundError:
            out[d] = None
    return out


def write_meta(project: str, extra: dict[str, Any], dists: list[str]) -> None:
    meta = {
        "project": project,
        "python": sys.version.split()[0],
        "versions": versions(*dists),
        **extra,
    }
    path = os.path.join(truth_dir(project), "meta.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=1, default=str)
        fh.write("\n")


def call_safely(fn: Callable[[], Any], what: str) -> Any:
    try:
        return fn()
    except Exception as exc:  # keep going, but say so
        print(f"[groundtruth] {what} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None
