"""Django settings, ``AppConfig`` classes and app labels, read statically.

The app label of a model is, as Django computes it:

1. ``Meta.app_label`` (also inherited from an abstract parent's ``Meta``);
2. else the ``label`` of the installed ``AppConfig`` whose ``name`` is the
   longest dotted prefix of the model's module.  Installed configs come from
   ``INSTALLED_APPS`` in the settings module (an ``AppConfig`` class path, or an
   app module whose ``apps`` submodule holds exactly one ``AppConfig`` subclass,
   or one marked ``default = True``); when the settings are not found, or the
   model is not under any installed app, every ``AppConfig`` subclass of the
   scanned code is a candidate;
3. else the last component of the app package: the package that holds
   ``models.py`` or the ``models/`` package (``shop.orders.models.invoice`` ->
   ``orders``).

The implicit primary key class is ``AppConfig.default_auto_field``, else the
``DEFAULT_AUTO_FIELD`` setting, else ``django.db.models.AutoField``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Any

from ...model import FileKind
from ...project import Opaque, Project, Value
from ...symbols import ClassInfo

APP_CONFIG_BASES = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})
_DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
_CONTRIB_AUTO_FIELD = {  # django.contrib apps pin their own default_auto_field
    "auth", "contenttypes", "admin", "sites", "flatpages", "redirects", "sessions",
}


@dataclass(frozen=True)
class AppInfo:
    """One Django app: its module name, label and where that came from."""

    name: str  # app module as Django names it, e.g. "polls"
    label: str
    config: str = ""  # dotted AppConfig class ("" for a plain app)
    default_auto_field: str = ""  # as written in the AppConfig ("" = not set)
    installed: bool = False
    module: str = ""  # the same module as the scan names it (see AppRegistry.module_of)

    @property
    def scanned(self) -> str:
        return self.module or self.name


def setting(project: Project, name: str) -> Value:
    """Fold ``django.conf.settings.<name>`` through the project's settings modules."""
    node = ast.parse(f"django.conf.settings.{name}", mode="eval").body
    return project.evaluate("", node)


class AppRegistry:
    """App configs, installed apps and app labels of the scanned project."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self._module_cache: dict[str, str] = {}
        self.shifts: tuple[str, ...] = ()
        self.configs: dict[str, AppInfo] = {}  # by config class
        for module, qual, cinfo in project.classes():
            kind = project.modules[module].kind if module in project.modules else FileKind.SOURCE
            if kind is FileKind.TEST or "<locals>" in qual or qual in APP_CONFIG_BASES:
                continue
            if not project.is_subclass(qual, APP_CONFIG_BASES) and not self._config_like(module, qual, cinfo):
                continue
            info = self._config_info(qual, module)
            if info is not None:
                self.configs[qual] = info
        self.shifts = self._shifts()
        self.configs = {q: replace(i, module=self.module_of(i.name)) for q, i in self.configs.items()}
        self.installed_entries = self._installed_entries()
        self.installed: list[AppInfo] = self._installed_apps()
        self.by_label: dict[str, AppInfo] = {}
        for app in self.installed + sorted(self.configs.values(), key=lambda a: (a.name, a.config)):
            self.by_label.setdefault(app.label, app)
        v = setting(project, "DEFAULT_AUTO_FIELD")
        self.default_auto_field = v.value if v.ok and isinstance(v.value, str) else _DEFAULT_AUTO_FIELD
        self.default_auto_field_source = "settings" if v.ok and isinstance(v.value, str) else "django default"

    # ----------------------------------------------------------------- modules
    def module_of(self, name: str) -> str:
        """The scanned module Django's dotted ``name`` denotes.

        A project may run with another ``sys.path`` root than the scan's: Label
        Studio puts its package folder first, so ``INSTALLED_APPS`` says
        ``"projects"`` for the scanned ``label_studio.projects``.  Such a shift
        shows in the project's own ``AppConfig`` classes (``name = "core"``
        written in ``label_studio.core.apps``); names that are not scanned
        modules are tried with those prefixes.
        """
        cached = self._module_cache.get(name)
        if cached is not None:
            return cached
        result = name
        head = name.split(".", 1)[0]
        if name and head not in self.p.modules:
            for prefix in self.shifts:
                if prefix + head in self.p.modules:
                    result = prefix + name
                    break
        self._module_cache[name] = result
        return result

    def _shifts(self) -> tuple[str, ...]:
        out: set[str] = set()
        for info in self.configs.values():
            module = info.config.rsplit(".", 1)[0]
            if info.name.split(".", 1)[0] in self.p.modules:
                continue
            for candidate in (module.rsplit(".apps", 1)[0] if module.endswith(".apps") else module,):
                if candidate.endswith("." + info.name):
                    out.add(candidate[: -len(info.name)])
        return tuple(sorted(out, key=lambda p: (-len(p), p)))

    # ----------------------------------------------------------------- configs
    def _config_like(self, module: str, qual: str, info: ClassInfo) -> bool:
        """A class in an ``apps`` module deriving from an external ``...Config`` class (a third-party
        ``AppConfig`` subclass such as ``modelsearch.apps.ModelSearchAppConfig``) that sets ``name``."""
        if module.rsplit(".", 1)[-1] != "apps" or "name" not in info.attributes:
            return False
        return any(
            not self.p.first_party(b) and b.rsplit(".", 1)[-1].endswith("Config")
            for b in self.p.mro(qual)[1:]
        )

    def _attr(self, qual: str, name: str) -> Value | None:
        found = self.p.class_attribute(qual, name)
        if found is None:
            return None
        module, a = found
        if a.value is None:
            return None
        return self.p.evaluate(module, a.value, a.scope)

    def _config_info(self, qual: str, module: str) -> AppInfo | None:
        name_v = self._attr(qual, "name")
        if name_v is None or not name_v.ok or not isinstance(name_v.value, str):
            return None  # an abstract base config (``name`` set by subclasses)
        name = name_v.value
        label_v = self._attr(qual, "label")
        label = label_v.value if label_v is not None and label_v.ok and isinstance(label_v.value, str) else name.rsplit(".", 1)[-1]
        auto_v = self._attr(qual, "default_auto_field")
        auto = auto_v.value if auto_v is not None and auto_v.ok and isinstance(auto_v.value, str) else ""
        return AppInfo(name, label, qual, auto)

    def _is_default(self, qual: str, fallback: bool) -> bool:
        v = self._attr(qual, "default")
        if v is None or not v.ok:
            return fallback
        return bool(v.value)

    def _installed_entries(self) -> list[str]:
        v = setting(self.p, "INSTALLED_APPS")
        if v.value is None or not isinstance(v.value, (list, tuple)):
            return []
        return [x for x in v.value if isinstance(x, str) and not isinstance(x, Opaque)]

    def _module_configs(self, apps_module: str) -> list[str]:
        """AppConfig subclasses visible in ``apps_module`` (defined or imported), like ``inspect.getmembers``."""
        syms = self.p.symbols.get(apps_module)
        if syms is None:
            return []
        out = []
        for c in syms.classes:
            q = f"{apps_module}.{c.qualname}"
            if c.scope == "" and q in self.configs:
                out.append(q)
        for b in syms.bindings:
            if b.scope == "" and b.name != "*":
                q = self.p.canonical(b.target)
                if q in self.configs and q not in out:
                    out.append(q)
        return out

    def _installed_apps(self) -> list[AppInfo]:
        out: list[AppInfo] = []
        for entry in self.installed_entries:
            if entry in self.configs:
                out.append(_installed(self.configs[entry]))
                continue
            canon = self.p.canonical(self.module_of(entry))
            if canon in self.configs:
                out.append(_installed(self.configs[canon]))
                continue
            module = self.module_of(entry)
            if module in self.p.modules:
                cands = self._module_configs(module + ".apps")
                chosen = None
                if len(cands) == 1 and self._is_default(cands[0], True):
                    chosen = cands[0]
                else:
                    defaults = [c for c in cands if self._is_default(c, False)]
                    if len(defaults) == 1:
                        chosen = defaults[0]
                if chosen is not None:
                    info = self.configs[chosen]
                    out.append(AppInfo(entry, info.label, chosen, info.default_auto_field, True, module))
                else:
                    out.append(AppInfo(entry, entry.rsplit(".", 1)[-1], "", "", True, module))
                continue
            # third-party entry: "pkg.apps.PkgConfig" or "pkg"
            parts = entry.split(".")
            if len(parts) >= 2 and parts[-1][:1].isupper():
                name = ".".join(parts[:-2] if parts[-2] == "apps" else parts[:-1])
            else:
                name = entry
            out.append(AppInfo(name, name.rsplit(".", 1)[-1], "", "", True))
        return out

    # ------------------------------------------------------------------ labels
    def app_for(self, module: str) -> tuple[AppInfo | None, str]:
        """The app containing ``module`` and how it was found (``installed_apps``/``app_config``).

        The longest app name wins among the installed apps and every ``AppConfig``
        of the scan: settings found statically often miss apps added at run time
        (``INSTALLED_APPS.append(...)`` under a condition, plugin entry points).
        """
        installed = _longest(self.installed, module)
        config = _longest(list(self.configs.values()), module)
        if config is not None and (installed is None or len(config.scanned) > len(installed.scanned)):
            return config, "app_config"
        if installed is not None:
            return installed, "installed_apps"
        return None, ""

    def package_label(self, module: str) -> str:
        """Last component of the app package holding ``module`` (see the module docstring)."""
        parts = module.split(".")
        if "models" in parts[1:]:
            i = len(parts) - 1 - parts[::-1].index("models")
            if i > 0:
                return parts[i - 1]
        if "migrations" in parts[1:]:
            i = parts.index("migrations")
            return parts[i - 1]
        mod = self.p.modules.get(module)
        if mod is not None and mod.is_package:
            return parts[-1]
        return parts[-2] if len(parts) >= 2 else parts[-1]

    def label_of_package(self, package: str) -> tuple[str, AppInfo | None]:
        """Label of the app whose module is exactly ``package`` (migrations live in ``<app>.migrations``)."""
        for app in self.installed + sorted(self.configs.values(), key=lambda a: a.config):
            if app.scanned == package:
                return app.label, app
        return package.rsplit(".", 1)[-1], None

    def auto_field(self, app: AppInfo | None, label: str) -> tuple[str, str]:
        """(dotted auto field class, source) for the implicit primary key of models of ``app``."""
        if app is not None and app.default_auto_field:
            return app.default_auto_field, f"AppConfig {app.config}"
        if app is None and label in _CONTRIB_AUTO_FIELD:
            return _DEFAULT_AUTO_FIELD, "django.contrib default"
        return self.default_auto_field, self.default_auto_field_source


def _installed(info: AppInfo) -> AppInfo:
    return AppInfo(info.name, info.label, info.config, info.default_auto_field, True, info.module)


def _longest(apps: list[AppInfo], module: str) -> AppInfo | None:
    best: AppInfo | None = None
    for app in apps:
        name = app.scanned
        if module == name or module.startswith(name + "."):
            if best is None or len(name) > len(best.scanned):
                best = app
    return best


def as_str(v: Any) -> str | None:
    return v if isinstance(v, str) else None
