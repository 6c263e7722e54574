"""Celery task names: the default ``<module>.<name>`` and simple ``gen_task_name`` overrides.

Celery names a task ``gen_task_name(app, fun.__name__, fun.__module__)``
(``celery/utils/imports.py``): the function's ``__name__`` (not its qualified
name, so a task defined in a class body is still ``module.func``), joined to the
module's import name.  Apps can override ``Celery.gen_task_name``; the docs'
example strips a ``.tasks`` suffix from the module.  :func:`follow_gen_task_name`
runs such an override on strings when its body only uses ``if``/assignments/
``return`` with string operations, and gives up (``None``) on anything else.
"""

from __future__ import annotations

import ast
from typing import Any


def default_name(module: str, func_name: str) -> str:
    """Celery's default task name for ``func_name`` defined in ``module``."""
    return ".".join(p for p in (module, func_name) if p)


class _GiveUp(Exception):
    pass


_STR_METHODS = {
    "endswith", "startswith", "removesuffix", "removeprefix", "replace", "strip", "rstrip", "lstrip",
    "lower", "upper", "split", "rsplit", "partition", "rpartition", "join", "format",
}


def follow_gen_task_name(fdef: ast.FunctionDef, name: str, module: str) -> str | None:
    """The name a ``gen_task_name(self, name, module)`` override returns, or None when not followed."""
    params = [a.arg for a in fdef.args.posonlyargs + fdef.args.args]
    if len(params) != 3:
        return None
    env: dict[str, Any] = {params[1]: name, params[2]: module}
    body = fdef.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    try:
        result = _run(body, env, 0)
    except (_GiveUp, TypeError, ValueError, IndexError, KeyError, AttributeError, RecursionError):
        return None
    return result if isinstance(result, str) else None


def _run(body: list[ast.stmt], env: dict[str, Any], depth: int) -> Any:
    if depth > 20:
        raise _GiveUp
    for stmt in body:
        if isinstance(stmt, ast.If):
            branch = stmt.body if _eval(stmt.test, env) else stmt.orelse
            result = _run(branch, env, depth + 1)
            if result is not None:
                return result
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            env[stmt.targets[0].id] = _eval(stmt.value, env)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            return _eval(stmt.value, env)
        elif isinstance(stmt, ast.Pass):
            continue
        else:
            raise _GiveUp
    return None


def _eval(node: ast.expr, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        raise _GiveUp
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
            elif isinstance(v, ast.FormattedValue) and v.format_spec is None and v.conversion in (-1, None):
                out.append(str(_eval(v.value, env)))
            else:
                raise _GiveUp
        return "".join(out)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, env), _eval(node.right, env)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Mod) and isinstance(left, str):
            return left % right
        if isinstance(node.op, ast.Sub) and isinstance(left, int) and isinstance(right, int):
            return left - right
        raise _GiveUp
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, env)
        if isinstance(node.op, ast.USub) and isinstance(value, int):
            return -value
        if isinstance(node.op, ast.Not):
            return not value
        raise _GiveUp
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, env) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _eval(node.left, env), _eval(node.comparators[0], env)
        op = node.ops[0]
        if isinstance(op, ast.Eq):
            return left == right
        if isinstance(op, ast.NotEq):
            return left != right
        if isinstance(op, ast.In):
            return left in right
        if isinstance(op, ast.NotIn):
            return left not in right
        raise _GiveUp
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_eval(e, env) for e in node.elts]
    if isinstance(node, ast.Subscript):
        base = _eval(node.value, env)
        if isinstance(node.slice, ast.Slice):
            lower = _eval(node.slice.lower, env) if node.slice.lower is not None else None
            upper = _eval(node.slice.upper, env) if node.slice.upper is not None else None
            if node.slice.step is not None:
                raise _GiveUp
            return base[lower:upper]
        return base[_eval(node.slice, env)]
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "len" and len(node.args) == 1:
            return len(_eval(node.args[0], env))
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "gen_task_name"
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "super"
            and len(node.args) == 2
        ):
            return default_name(_eval(node.args[1], env), _eval(node.args[0], env))
        if isinstance(func, ast.Attribute) and func.attr in _STR_METHODS and not node.keywords:
            target = _eval(func.value, env)
            if not isinstance(target, str):
                raise _GiveUp
            args = [_eval(a, env) for a in node.args]
            return getattr(target, func.attr)(*args)
        raise _GiveUp
    raise _GiveUp
