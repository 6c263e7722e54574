"""Module-level loops that build URL lists at import time, interpreted statically.

Some URLconfs collect the patterns of installed apps in a loop::

    for app in apps.get_app_configs():
        if hasattr(app, "PluginMeta") and importlib.util.find_spec(app.name + ".urls"):
            urlmod = importlib.import_module(app.name + ".urls")
            patterns = []
            if hasattr(urlmod, "urlpatterns"):
                patterns += urlmod.urlpatterns
            plugin_patterns.append(re_path(r"", include((patterns, app.label))))

When ``INSTALLED_APPS`` is a list the scan can fold (from the settings module,
also across ``from .base import *`` and ``+=``), such a loop is run over the
installed apps that belong to the scanned project: ``app.name``/``app.label``,
``hasattr``/``getattr`` on the app's ``AppConfig`` class (auto-detected in
``<app>.apps`` as Django does) and on modules, ``importlib.util.find_spec`` and
``importlib.import_module`` of project modules, local list variables, ``if``,
``continue``/``break`` and nested loops over literal sequences are understood.
Apps outside the scan are skipped (their URLconfs would be external includes).
The patterns found carry the condition ``'<app>' in INSTALLED_APPS``.  Anything
else in the loop body (an unknown call used as a value, a condition that does
not fold) stops the interpretation: the loop is then reported as a
``dynamic-registration`` finding, as before.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Mapping

from ..project import Project, Value
from . import django_known as known
from .django_urlconf import Bound, Ctx, Element, ModuleRef, Urlconf, call_arg, unparse, with_conditions

_APP_CONFIG = {"django.apps.AppConfig", "django.apps.config.AppConfig"}
_MAX_STEPS = 20000


@dataclass(frozen=True)
class AppConfigRef:
    """An installed app of the scanned project."""

    name: str  # the app's package
    label: str
    cls: str  # its AppConfig class ("" for Django's default AppConfig)


@dataclass(frozen=True)
class _Lazy:
    """A module-level name whose use decides what it is (URL list or constant)."""

    expr: ast.expr
    ctx: Ctx


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Continue(Exception):
    pass


class _Break(Exception):
    pass


def installed_app_configs(project: Project, installed: tuple[str, ...]) -> list[AppConfigRef]:
    """AppConfigs of the installed apps that are part of the scan, in ``INSTALLED_APPS`` order."""
    out: list[AppConfigRef] = []
    for entry in installed:
        if not project.first_party(entry):
            continue
        cls = ""
        name = entry
        if project.class_info(entry) is not None:
            cls = entry
            found = project.class_attribute(cls, "name")
            v = project.evaluate(found[0], found[1].value, found[1].scope) if found is not None else None
            if v is None or not (v.ok and isinstance(v.value, str)):
                continue
            name = v.value
        elif entry in project.modules:
            cls = _default_app_config(project, entry)
        else:
            continue
        label = name.rsplit(".", 1)[-1]
        if cls:
            found = project.class_attribute(cls, "label")
            if found is not None:
                v = project.evaluate(found[0], found[1].value, found[1].scope)
                if v.ok and isinstance(v.value, str):
                    label = v.value
        out.append(AppConfigRef(name, label, cls))
    return out


def _default_app_config(project: Project, app: str) -> str:
    """The AppConfig Django picks for an app module: the only one in ``<app>.apps``, or the ``default = True`` one."""
    syms = project.symbols.get(f"{app}.apps")
    if syms is None:
        return ""
    candidates = [
        f"{app}.apps.{c.qualname}"
        for c in syms.classes
        if not c.scope and project.is_subclass(f"{app}.apps.{c.qualname}", _APP_CONFIG)
    ]
    if len(candidates) == 1:
        return candidates[0]
    for c in candidates:
        found = project.class_attribute(c, "default")
        if found is not None:
            v = project.evaluate(found[0], found[1].value, found[1].scope)
            if v.ok and v.value is True:
                return c
    return ""


class LoopInterpreter:
    """Runs one module-level ``for`` statement and returns what it appended to module-level lists."""

    def __init__(self, urlconf: Urlconf, installed: tuple[str, ...] | None, passthrough: Mapping[str, str]) -> None:
        self.u = urlconf
        self.p = urlconf.project
        self.installed = installed
        self.passthrough = passthrough  # function qualname -> parameter it returns
        self.steps = 0

    def run(self, module: str, loop: ast.For) -> dict[str, list[Element]] | str:
        """``{qualified list name: elements}``, or the reason the loop could not be interpreted."""
        self.module = module
        self.out: dict[str, list[Element]] = {}
        self.conditions: tuple[str, ...] = ()
        try:
            self.exec_stmt(loop, {})
        except _Stop as stop:
            return stop.reason
        except (_Continue, _Break):
            return "'continue'/'break' outside a loop"
        except RecursionError:
            return "nested too deeply"
        return self.out

    # ------------------------------------------------------------ statements
    def exec_block(self, stmts: list[ast.stmt], env: dict[str, Any]) -> None:
        for st in stmts:
            self.exec_stmt(st, env)

    def exec_stmt(self, st: ast.stmt, env: dict[str, Any]) -> None:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise _Stop("loop too long to interpret")
        if isinstance(st, ast.For):
            self.exec_for(st, env)
        elif isinstance(st, ast.If):
            truth = self.truth(self.eval(st.test, env))
            if truth is None:
                raise _Stop(f"condition not decided statically: {unparse(st.test)}")
            self.exec_block(st.body if truth else st.orelse, env)
        elif isinstance(st, ast.Assign):
            if len(st.targets) != 1 or not isinstance(st.targets[0], ast.Name):
                raise _Stop(f"assignment not followed: {unparse(st)}")
            env[st.targets[0].id] = self.eval(st.value, env)
        elif isinstance(st, ast.AugAssign) and isinstance(st.op, ast.Add) and isinstance(st.target, ast.Name):
            self.add_to(st.target.id, self.elements(self.eval(st.value, env), st.value), env)
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
            self.exec_call(st.value, env)
        elif isinstance(st, ast.Pass):
            return
        elif isinstance(st, ast.Continue):
            raise _Continue()
        elif isinstance(st, ast.Break):
            raise _Break()
        elif isinstance(st, ast.Try):
            self.exec_block(st.body, env)
            self.exec_block(st.orelse, env)
            self.exec_block(st.finalbody, env)
        elif isinstance(st, (ast.Import, ast.ImportFrom)):
            self.exec_import(st, env)
        else:
            raise _Stop(f"statement not interpreted: {unparse(st).splitlines()[0] if unparse(st) else type(st).__name__}")

    def exec_for(self, st: ast.For, env: dict[str, Any]) -> None:
        if st.orelse:
            raise _Stop("for-else is not interpreted")
        items = self.iterate(st.iter, env)
        if items is None:
            raise _Stop(f"loop over {unparse(st.iter)} is not evaluated statically")
        for item, conds in items:
            inner_env = env
            self.bind(st.target, item, inner_env)
            saved = self.conditions
            self.conditions = saved + conds
            try:
                self.exec_block(st.body, inner_env)
            except _Continue:
                pass
            except _Break:
                self.conditions = saved
                break
            self.conditions = saved

    def bind(self, target: ast.expr, item: Any, env: dict[str, Any]) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = item
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(item, Value) and item.ok and isinstance(item.value, (list, tuple)) and len(item.value) == len(target.elts):
                for t, v in zip(target.elts, item.value):
                    self.bind(t, Value("resolved", v), env)
                return
            if isinstance(item, tuple) and len(item) == len(target.elts):
                for t, v in zip(target.elts, item):
                    self.bind(t, v, env)
                return
        raise _Stop(f"loop target not bound: {unparse(target)}")

    def iterate(self, expr: ast.expr, env: dict[str, Any]) -> list[tuple[Any, tuple[str, ...]]] | None:
        if isinstance(expr, ast.Call):
            q = self.u.callee(expr, self.ctx(env))
            if q.endswith("get_app_configs") and not expr.args:
                if self.installed is None:
                    raise _Stop("INSTALLED_APPS does not fold to a list of constants")
                return [
                    (app, (f"'{app.name}' in INSTALLED_APPS",))
                    for app in installed_app_configs(self.p, self.installed)
                ]
        seq = self.u.literal_sequence(expr, self.ctx(env))
        if seq is None:
            return None
        out: list[tuple[Any, tuple[str, ...]]] = []
        for node, ctx in seq:
            if isinstance(node, (ast.Tuple, ast.List)):
                out.append((tuple(self.eval(e, env) for e in node.elts), ()))
            else:
                out.append((self.eval(node, env) if ctx.module == self.module else _Lazy(node, ctx), ()))
        return out

    def exec_import(self, st: ast.Import | ast.ImportFrom, env: dict[str, Any]) -> None:
        if isinstance(st, ast.Import):
            for a in st.names:
                if a.asname:
                    env[a.asname] = ModuleRef(a.name)
            return
        if st.level or not st.module:
            raise _Stop("relative import inside the loop")
        for a in st.names:
            target = f"{st.module}.{a.name}"
            env[a.asname or a.name] = ModuleRef(target) if target in self.p.modules else _Lazy(ast.Name(a.name, ast.Load()), Ctx(st.module))

    def exec_call(self, call: ast.Call, env: dict[str, Any]) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ("append", "extend", "insert") and isinstance(func.value, ast.Name):
            if not call.args:
                return
            arg = call.args[-1]
            value = self.eval(arg, env)
            elems = self.elements(value, arg) if func.attr == "extend" else self.item_elements(value, arg, env)
            self.add_to(func.value.id, elems, env)
            return
        # other calls made for their side effects (import_module(...), router.register(...), ...)
        return

    def add_to(self, name: str, elems: list[Element], env: dict[str, Any]) -> None:
        elems = with_conditions(elems, self.conditions)
        if name in env:
            current = env[name]
            if isinstance(current, tuple):
                env[name] = current + tuple(elems)
                return
            if isinstance(current, _Lazy):
                env[name] = tuple(self.u.patterns(current.expr, current.ctx)) + tuple(elems)
                return
            raise _Stop(f"'{name}' is not a list")
        q = self.p.resolve_name(self.module, name)
        self.out.setdefault(q, []).extend(elems)

    # ------------------------------------------------------------ values
    def ctx(self, env: dict[str, Any]) -> Ctx:
        bindings: dict[str, Bound] = {}
        placeholder = ast.Constant(None)
        base = Ctx(self.module)
        for k, v in env.items():
            if isinstance(v, Value):
                bindings[k] = Bound(placeholder, base, v)
            elif isinstance(v, AppConfigRef):
                bindings[k] = Bound(placeholder, base, Value("resolved", self.app_attributes(v)))
            elif isinstance(v, ModuleRef):
                bindings[k] = Bound(placeholder, base, v)
            elif isinstance(v, tuple):
                bindings[k] = Bound(placeholder, base, v)
            elif isinstance(v, _Lazy):
                bindings[k] = Bound(v.expr, v.ctx)
        return base.with_env(bindings)

    def app_attributes(self, app: AppConfigRef) -> dict[str, Any]:
        """``name``, ``label`` and the constant class attributes of an app's AppConfig."""
        out: dict[str, Any] = {}
        if app.cls:
            for c in reversed(self.p.mro(app.cls)):
                info = self.p.class_info(c)
                if info is None:
                    continue
                module, ci = info
                for a in self.p.symbols[module].assignments:
                    if a.scope == ci.qualname and a.op == "=" and a.value is not None:
                        v = self.p.evaluate(module, a.value, a.scope)
                        if v.ok and isinstance(v.value, (str, int, float, bool, tuple, list)):
                            out[a.target] = v.value
        out.update({"name": app.name, "label": app.label})
        return out

    def eval(self, expr: ast.expr, env: dict[str, Any]) -> Any:
        if isinstance(expr, ast.Constant):
            return Value("resolved", expr.value)
        if isinstance(expr, ast.Name):
            if expr.id in env:
                return env[expr.id]
            return _Lazy(expr, Ctx(self.module))
        if isinstance(expr, ast.Attribute):
            base = self.eval(expr.value, env)
            return self.attribute(base, expr.attr, expr, env)
        if isinstance(expr, ast.Call):
            return self.call(expr, env)
        if isinstance(expr, (ast.List, ast.Tuple)):
            return tuple(self.u.patterns(expr, self.ctx(env)))
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left, right = self.eval(expr.left, env), self.eval(expr.right, env)
            if isinstance(left, Value) and isinstance(right, Value) and left.ok and right.ok:
                try:
                    return Value("resolved", left.value + right.value)
                except TypeError:
                    raise _Stop(f"cannot add: {unparse(expr)}") from None
            return tuple(self.elements(left, expr.left)) + tuple(self.elements(right, expr.right))
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
            t = self.truth(self.eval(expr.operand, env))
            return Value("resolved", not t) if t is not None else Value("unresolved")
        if isinstance(expr, ast.BoolOp):
            values = [self.truth(self.eval(v, env)) for v in expr.values]
            if isinstance(expr.op, ast.And):
                if any(v is False for v in values):
                    return Value("resolved", False)
                return Value("resolved", True) if all(values) else Value("unresolved")
            if any(v is True for v in values):
                return Value("resolved", True)
            return Value("resolved", False) if all(v is False for v in values) else Value("unresolved")
        return self.u.evaluate(expr, self.ctx(env))

    def attribute(self, base: Any, attr: str, expr: ast.Attribute, env: dict[str, Any]) -> Any:
        if isinstance(base, AppConfigRef):
            if attr == "name":
                return Value("resolved", base.name)
            if attr == "label":
                return Value("resolved", base.label)
            if attr == "module":
                return ModuleRef(base.name)
            if base.cls:
                found = self.u.class_attribute(base.cls, attr)
                if found is not None:
                    return self.p.evaluate(found[0], found[1].value, found[1].scope)
            raise _Stop(f"attribute '{attr}' of the AppConfig of {base.name}")
        if isinstance(base, ModuleRef):
            sub = f"{base.module}.{attr}"
            if sub in self.p.modules:
                return ModuleRef(sub)
            return _Lazy(ast.Name(attr, ast.Load()), Ctx(base.module))
        if isinstance(base, _Lazy):
            q = self.u.resolve(base.expr, base.ctx)
            if q and self.p.lookup(q).kind == "module":
                return self.attribute(ModuleRef(q), attr, expr, env)
            return _Lazy(ast.Attribute(base.expr, attr, ast.Load()), base.ctx)
        if isinstance(base, Value) and base.ok and isinstance(base.value, dict) and attr in base.value:
            return Value("resolved", base.value[attr])
        raise _Stop(f"attribute not followed: {unparse(expr)}")

    def call(self, call: ast.Call, env: dict[str, Any]) -> Any:
        ctx = self.ctx(env)
        func = call.func
        if isinstance(func, ast.Name) and func.id in ("hasattr", "getattr") and len(call.args) >= 2:
            obj = self.eval(call.args[0], env)
            name = self.eval(call.args[1], env)
            if not (isinstance(name, Value) and name.ok and isinstance(name.value, str)):
                raise _Stop(f"attribute name not constant: {unparse(call)}")
            has = self.has_attr(obj, name.value)
            if func.id == "hasattr":
                return Value("resolved", has)
            if has:
                return self.attribute(obj, name.value, ast.Attribute(call.args[0], name.value, ast.Load()), env)
            if len(call.args) >= 3:
                return self.eval(call.args[2], env)
            raise _Stop(f"getattr without a default: {unparse(call)}")
        q = self.u.callee(call, ctx)
        if q.endswith("find_spec") and call.args:
            v = self.eval(call.args[0], env)
            if isinstance(v, Value) and v.ok and isinstance(v.value, str):
                return Value("resolved", v.value in self.p.modules)
            raise _Stop(f"module name not constant: {unparse(call)}")
        if (q.endswith("import_module") or q == "builtins.__import__") and call.args:
            v = self.eval(call.args[0], env)
            if isinstance(v, Value) and v.ok and isinstance(v.value, str) and v.value in self.p.modules:
                return ModuleRef(v.value)
            raise _Stop(f"import of a module outside the scan: {unparse(call)}")
        if q in known.PATH_FUNCS or q in known.REGEX_FUNCS or q in known.I18N_PATTERNS or q in known.FORMAT_SUFFIX_FUNCS:
            return tuple(self.u.item(call, ctx, 0))
        if q and q in self.passthrough:
            d = self.p.lookup(q)
            param = self.passthrough[q]
            if d.kind == "function":
                params = list(d.obj.params)
                arg = call_arg(call, params.index(param) if param in params else -1, param)
                if arg is not None:
                    return self.eval(arg, env)
        if q:
            d = self.p.lookup(q)
            if d.kind == "function" and d.obj.single_return is not None:
                return tuple(self.u.patterns(call, ctx))
        raise _Stop(f"call not interpreted: {unparse(call.func)}()")

    def has_attr(self, obj: Any, name: str) -> bool:
        if isinstance(obj, AppConfigRef):
            if name in ("name", "label", "module", "path", "verbose_name", "models_module", "apps"):
                return True
            if not obj.cls:
                return False
            for c in self.p.mro(obj.cls):
                info = self.p.class_info(c)
                if info is not None and (name in info[1].attributes or name in info[1].methods):
                    return True
            return False
        if isinstance(obj, ModuleRef):
            if f"{obj.module}.{name}" in self.p.modules:
                return True
            return self.p.binding(obj.module, name) is not None
        raise _Stop(f"hasattr() on a value the scan does not know: {name}")

    def truth(self, v: Any) -> bool | None:
        if isinstance(v, Value):
            return bool(v.value) if v.ok else None
        if isinstance(v, (AppConfigRef, ModuleRef)):
            return True
        if isinstance(v, tuple):
            return bool(v)
        if isinstance(v, _Lazy):
            val = self.u.evaluate(v.expr, v.ctx)
            return bool(val.value) if val.ok else None
        return None

    def elements(self, v: Any, node: ast.expr) -> list[Element]:
        if isinstance(v, tuple):
            return list(v)
        if isinstance(v, _Lazy):
            return self.u.patterns(v.expr, v.ctx)
        if isinstance(v, ModuleRef):
            return self.u.module_patterns(v.module, self.p.location(self.module, node))
        raise _Stop(f"not a list of URL patterns: {unparse(node)}")

    def item_elements(self, v: Any, node: ast.expr, env: dict[str, Any]) -> list[Element]:
        if isinstance(v, tuple):
            return list(v)
        if isinstance(v, _Lazy):
            return self.u.item(v.expr, v.ctx, 0)
        raise _Stop(f"not a URL pattern: {unparse(node)}")
