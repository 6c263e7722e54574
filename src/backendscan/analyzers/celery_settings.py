"""Celery configuration as the app sees it: the sources, in Celery's order of precedence.

Reads ``app.conf`` assignments and ``conf.update(...)``, ``Celery(...)`` keywords,
``config_from_object`` targets (modules, ``module:Object`` paths, classes,
instances, Django settings with a namespace, and a Flask-style config key such as
Superset's ``self.config["CELERY_CONFIG"]``), ``from .base import *`` chains of
settings modules, settings classes with their bases, and, when no code links them
to an app, Django settings modules and ``*CeleryConfig`` classes.  Which modules
the worker imports (``include``, ``imports``, ``autodiscover_tasks``) is derived
from the result.
"""

from __future__ import annotations

import ast

from ..project import Instance, Ref
from ..symbols import Assignment
from .celery_config import Setting, dict_items, module_paths, setting_key, unparse
from .celery_state import CeleryApp, ResolverState, dotted
from .tasksites import CallSite, argument, is_source, keyword, outer_function


class SettingsReader(ResolverState):
    """Collects :class:`Setting` operations and the worker's task modules."""

    def _collect_settings(self) -> None:
        for module, summary in self.summaries.items():
            for w in summary.conf_writes:
                if w.scope and outer_function(w.scope) in summary.beat_writers:
                    continue  # a periodic-task decorator registering its task (see TaskWrapper.periodic)
                parsed = _parse_conf_target(w.target)
                if parsed is None:
                    continue
                recv, key, item = parsed
                ok, apps = self.app_refs(module, recv, w.scope)
                norm = setting_key(key, None, "conf") if ok else ""
                if not norm:
                    continue
                op = "item" if item is not None else ("=" if w.op == "=" else "update")
                for k in [ap.key for ap in apps] or [""]:
                    self.settings.append(
                        Setting(norm, op, w.value, module, w.scope, w.line, "app.conf", k, item_key=item,
                                conditions=w.conditions)
                    )
        for app in list(self.apps.values()):
            for kw in app.call.keywords:
                if kw.arg in ("include", "imports"):
                    self.settings.append(Setting(kw.arg, "=", kw.value, app.module, app.scope, kw.value.lineno, "Celery()", app.key))
                elif kw.arg == "config_source":
                    self._config_source(app.module, app.scope, kw.value, None, [app], kw.value.lineno)
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method == "update":
                    self._conf_update(module, cs)
                elif cs.method == "config_from_object":
                    recv = cs.callee.rsplit(".", 1)[0] if "." in cs.callee else ""
                    ok, apps = self.app_refs(module, recv, cs.scope)
                    if not ok:
                        continue
                    arg = argument(cs.node, 0, "obj")
                    ns = keyword(cs.node, "namespace")
                    ns_v = self.p.evaluate(module, ns, cs.scope) if ns is not None else None
                    namespace = ns_v.value if ns_v is not None and ns_v.ok and isinstance(ns_v.value, str) else None
                    self._config_source(module, cs.scope, arg, namespace, apps, cs.line)
        self._fallback_sources()
        self.settings = _effective(self.settings)

    def _conf_update(self, module: str, cs: CallSite) -> None:
        recv = cs.callee[: -len(".update")]
        if recv.endswith(".conf"):
            ok, apps = self.app_refs(module, recv[: -len(".conf")], cs.scope)
            if not ok:
                return
            pairs: list[tuple[str, ast.expr, int]] = []
            for arg in cs.node.args:
                items = dict_items(self.p, module, cs.scope, arg)
                if items is None:
                    self._unread(module, arg)
                for item in items or []:
                    kv = self.p.evaluate(item.module, item.key, item.scope) if item.key is not None else None
                    if kv is not None and kv.ok and isinstance(kv.value, str):
                        pairs.append((kv.value, item.value, getattr(item.key, "lineno", cs.line)))
            for kw in cs.node.keywords:
                if kw.arg:
                    pairs.append((kw.arg, kw.value, kw.value.lineno))
            for key, value, line in pairs:
                norm = setting_key(key, None, "conf")
                if norm:
                    for k in [ap.key for ap in apps] or [""]:
                        self.settings.append(Setting(norm, "=", value, module, cs.scope, line, "conf.update", k,
                                                     conditions=cs.conditions))
            return
        if ".conf." in recv:
            head, _, key = recv.rpartition(".conf.")
            ok, apps = self.app_refs(module, head, cs.scope)
            norm = setting_key(key, None, "conf")
            if ok and norm and cs.node.args:
                for k in [ap.key for ap in apps] or [""]:
                    self.settings.append(Setting(norm, "update", cs.node.args[0], module, cs.scope, cs.line,
                                                 "app.conf", k, conditions=cs.conditions))

    def _config_source(self, module: str, scope: str, arg: ast.expr | None, namespace: str | None,
                       apps: list[CeleryApp], line: int) -> None:
        if arg is None:
            return
        keys = [a.key for a in apps] or [""]
        v = self.p.evaluate(module, arg, scope)
        if v.ok and isinstance(v.value, str):
            path = v.value
            if path in ("django.conf:settings", "django.conf.settings"):
                for sm in self.p.django_settings_modules:
                    self._read_module(sm, "django" if namespace else "module", namespace, "django settings", keys)
                return
            mod, _, attr = path.partition(":")
            if not attr and mod not in self.p.modules:
                mod, _, attr = path.rpartition(".")
            if attr:
                self._read_object(f"{mod}.{attr}", keys, namespace)
            elif mod in self.p.modules:
                self._read_module(mod, "module", namespace, "config module", keys)
            return
        if v.ok and isinstance(v.value, Ref):
            self._read_object(v.value.qualname, keys, namespace)
            return
        if v.ok and isinstance(v.value, Instance):
            self._read_class(v.value.cls, keys, "config object")
            return
        # e.g. superset: config_from_object(self.config["CELERY_CONFIG"]): find the config key's default
        key_name = ""
        if isinstance(arg, ast.Subscript) and isinstance(arg.slice, ast.Constant) and isinstance(arg.slice.value, str):
            key_name = arg.slice.value
        elif isinstance(arg, ast.Attribute):
            key_name = arg.attr
        elif isinstance(arg, ast.Call) and dotted(arg.func).endswith(".get") and arg.args:
            kv = self.p.evaluate(module, arg.args[0], scope)
            key_name = kv.value if kv.ok and isinstance(kv.value, str) else ""
        if not key_name or not key_name.isupper():
            self._unread(module, arg)
            return
        found_any = False
        if key_name:
            for m in sorted(self.p.symbols):
                if not is_source(self.p, m):
                    continue
                for a in self.p.symbols[m].module_level(key_name):
                    if isinstance(a, Assignment) and a.value is not None:
                        val = self.p.evaluate(m, a.value, "")
                        if val.ok and isinstance(val.value, Ref):
                            found_any = True
                            self._read_object(val.value.qualname, keys, namespace, origin=f"default config {m}.{key_name}")
        if not found_any:
            self._unread(module, arg)

    def _unread(self, module: str, expr: ast.expr) -> None:
        loc = self.loc(module, expr)
        self.notes.append(("celery", f"configuration the scan cannot read: {unparse(expr)} at {loc.short}"))

    def _read_object(self, qualified: str, keys: list[str], namespace: str | None, origin: str = "config object") -> None:
        d = self.p.lookup(self.p.canonical(qualified))
        if d.kind == "class":
            self._read_class(d.qualname, keys, origin)
        elif d.kind == "module":
            self._read_module(d.qualname, "module", namespace, "config module", keys)
        elif d.kind == "assignment" and d.obj.value is not None:
            v = self.p.evaluate(d.module, d.obj.value, d.obj.scope)
            if v.ok and isinstance(v.value, Ref):
                self._read_object(v.value.qualname, keys, namespace, origin)
            elif v.ok and isinstance(v.value, Instance):
                self._read_class(v.value.cls, keys, origin)

    def _read_module(self, module: str, mode: str, namespace: str | None, origin: str, keys: list[str],
                     seen: set[str] | None = None, shadow: frozenset[str] = frozenset()) -> None:
        """Settings of a config/settings module, following ``from .base import *`` chains.

        Names the importing module assigns again after the star import shadow the imported ones.
        """
        seen = seen if seen is not None else set()
        if module in seen or module not in self.p.symbols:
            return
        seen.add(module)
        self.used_sources.add((module, ""))
        syms = self.p.symbols[module]
        for b in syms.bindings:
            if b.scope == "" and b.name == "*":
                later = {a.target for a in syms.assignments
                         if a.scope == "" and a.op == "=" and not a.conditional and a.line > b.line}
                self._read_module(b.target, mode, namespace, origin, keys, seen, shadow | later)
        self._read_scope(module, "", mode, namespace, origin, keys, shadow)
        if mode == "django":
            # class-based settings (Read the Docs' ``DockerBaseSettings.load_settings(__name__)``,
            # django-configurations): the settings module's own classes and their bases
            read: set[str] = set()
            for c in syms.classes:
                if not c.scope:
                    self._read_class(f"{module}.{c.qualname}", keys, origin, mode, namespace, read)

    def _read_class(self, qualified: str, keys: list[str], origin: str, mode: str = "module",
                    namespace: str | None = None, read: set[str] | None = None) -> None:
        """Class attributes of a settings class and its first-party bases (subclasses override).

        ``read`` lists classes already read for the same keys (several classes of one module share bases).
        """
        shadow: set[str] = set()
        read = read if read is not None else set()
        for c in self.p.mro(qualified):
            found = self.p.class_info(c)
            if found is None or c in read:
                continue
            read.add(c)
            module, info = found
            self.used_sources.add((module, info.qualname))
            self._read_scope(module, info.qualname, mode, namespace, origin, keys, frozenset(shadow))
            shadow |= {a.target for a in self.p.symbols[module].class_assignments(info.qualname)
                       if a.op == "=" and not a.conditional}

    def _read_scope(self, module: str, scope: str, mode: str, namespace: str | None, origin: str, keys: list[str],
                    shadow: frozenset[str] = frozenset()) -> None:
        syms = self.p.symbols[module]
        names: dict[str, str] = {}
        for a in syms.assignments:
            if a.scope != scope:
                continue
            base, item = _split_item(a.target)
            if not base or "." in base or base in shadow:
                continue
            norm = setting_key(base, namespace, mode)
            if not norm:
                continue
            names[base] = norm
            op = "item" if item is not None else ("=" if a.op == "=" else "update")
            for k in keys:
                self.settings.append(Setting(norm, op, a.value, module, scope, a.line, origin, k, item_key=item,
                                             conditions=_conds(a)))
        summary = self.summaries.get(module)
        for cs in summary.calls if summary is not None else ():
            if cs.method == "update" and cs.scope == scope:
                base = cs.callee[: -len(".update")]
                norm = names.get(base) or setting_key(base, namespace, mode)
                if norm and cs.node.args and base not in shadow:
                    for k in keys:
                        self.settings.append(Setting(norm, "update", cs.node.args[0], module, scope, cs.line, origin, k,
                                                     conditions=cs.conditions))

    def _fallback_sources(self) -> None:
        """Sources not linked to an app by code we can see: Django settings, CeleryConfig classes."""
        only = [next(iter(self.apps))] if len(self.apps) == 1 else [""]
        for sm in self.p.django_settings_modules:
            if (sm, "") not in self.used_sources:
                self._read_module(sm, "django", "CELERY", "django settings", only)
        for module in self.summaries:
            syms = self.p.symbols.get(module)
            if syms is None:
                continue
            for c in syms.classes:
                if (module, c.qualname) in self.used_sources or not _config_class_name(c.name):
                    continue
                self._read_class(f"{module}.{c.qualname}", only, "config class")
            if (module, "") in self.used_sources:
                continue
            names = set(self.summaries[module].setting_names)
            if names & {"CELERYBEAT_SCHEDULE", "CELERY_BEAT_SCHEDULE"}:
                self._read_module(module, "django", "CELERY", "settings", only)

    def settings_for(self, app_key: str, key: str) -> list[Setting]:
        return [s for s in self.settings if s.key == key and (s.app == app_key or not s.app)]

    def _worker_modules(self) -> None:
        for app in self.apps.values():
            for key, how in (("include", "include"), ("imports", "imports")):
                for s in self.settings_for(app.key, key):
                    v = self.p.evaluate(s.module, s.value, s.scope)
                    for path in module_paths(v):
                        app.loads.setdefault(path, how)
            for module, summary in self.summaries.items():
                for cs in summary.calls:
                    if cs.method != "autodiscover_tasks":
                        continue
                    ok, apps = self.app_refs(module, cs.callee.rsplit(".", 1)[0], cs.scope)
                    if not ok or app not in apps:
                        continue
                    for path in self._autodiscover(module, cs, app):
                        app.loads.setdefault(path, "autodiscover")
            app.loads.setdefault(app.module, "app module")

    def _autodiscover(self, module: str, cs: CallSite, app: CeleryApp) -> list[str]:
        packages = argument(cs.node, 0, "packages")
        related = argument(cs.node, 1, "related_name")
        rv = self.p.evaluate(module, related, cs.scope) if related is not None else None
        related_name = rv.value if rv is not None and rv.ok and isinstance(rv.value, str) else "tasks"
        if isinstance(packages, ast.Lambda):
            packages = packages.body
        names: list[str] = []
        if packages is None or (isinstance(packages, ast.Constant) and packages.value is None):
            for sm in self.p.django_settings_modules:
                v = self.p.evaluate(sm, ast.Name("INSTALLED_APPS", ast.Load()), "")
                names = module_paths(v) if v.value is not None else []
                if names:
                    break
        else:
            names = module_paths(self.p.evaluate(module, packages, cs.scope))
        out = []
        for name in names:
            pkg = name
            if name not in self.p.modules:
                d = self.p.lookup(self.p.canonical(name))
                if d.kind == "class":
                    found = self.p.class_attribute(d.qualname, "name")
                    if found is not None and found[1].value is not None:
                        v = self.p.evaluate(found[0], found[1].value, found[1].scope)
                        if v.ok and isinstance(v.value, str):
                            pkg = v.value
            cand = f"{pkg}.{related_name}"
            if cand in self.p.modules:
                out.append(cand)
        return out


def _conds(a: Assignment) -> tuple[str, ...]:
    out = []
    for test, branch in a.conditions:
        text = unparse(test)
        out.append(text if branch else f"not ({text})")
    return tuple(out)


_CONF_ORIGINS = frozenset({"app.conf", "conf.update", "Celery()"})


def _effective(settings: list[Setting]) -> list[Setting]:
    """Drop operations a later unconditional assignment replaces (as Celery's settings would).

    ``app.conf.X = v`` (or ``conf.update(X=v)``) sits on top of whatever a config
    module/class/settings gives for ``X``, so those are dropped; in one module or
    class, an unconditional ``X = v`` replaces what came before it there.
    """
    conf_set = {(s.app, s.key) for s in settings if s.origin in _CONF_ORIGINS and s.op == "=" and not s.conditions}
    last_set: dict[tuple[str, str, str, str], int] = {}
    for s in settings:
        if s.op == "=" and not s.conditions:
            k = (s.app, s.key, s.module, s.scope)
            last_set[k] = max(last_set.get(k, 0), s.line)
    out = []
    for s in settings:
        if s.origin not in _CONF_ORIGINS and (s.app, s.key) in conf_set:
            continue
        last = last_set.get((s.app, s.key, s.module, s.scope), 0)
        if s.line < last:
            continue
        out.append(s)
    return out


def _parse_conf_target(target: str) -> tuple[str, str, ast.expr | None] | None:
    """``app.conf.beat_schedule['x']`` -> ("app", "beat_schedule", Constant('x'))."""
    base, item = _split_item(target)
    if ".conf." in base:
        recv, _, key = base.rpartition(".conf.")
        if "." in key:
            return None
        return recv, key, item
    if base.endswith(".conf") and item is not None and isinstance(item, ast.Constant) and isinstance(item.value, str):
        return base[: -len(".conf")], item.value, None
    return None


def _split_item(target: str) -> tuple[str, ast.expr | None]:
    """``NAME['x']`` -> ("NAME", Constant('x')); ``NAME`` -> ("NAME", None)."""
    if target.endswith("]") and "[" in target:
        base, _, rest = target.partition("[")
        try:
            key = ast.parse(rest[:-1], mode="eval").body
        except SyntaxError:
            return "", None
        return base, key
    return target, None


def _config_class_name(name: str) -> bool:
    return name.startswith("Celery") and name.endswith(("Config", "Settings", "Conf")) or name.endswith("CeleryConfig")
