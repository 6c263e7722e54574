"""Find a Django project's settings modules without running it.

Sources, in order: ``DJANGO_SETTINGS_MODULE`` defaults in ``manage.py``,
``wsgi.py``, ``asgi.py`` and Celery modules (``os.environ.setdefault(...)``),
pytest/tox/setup.cfg/pyproject settings, and finally modules named
``settings`` (or inside a ``settings`` package) that assign ``INSTALLED_APPS``
or ``ROOT_URLCONF`` at module level or in a top-level class (class-based
settings such as django-configurations).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from .symbols import ModuleSymbols

_SETDEFAULT_RE = re.compile(
    r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]"""
)
_INI_RE = re.compile(r"""^\s*(?:--ds[= ]|DJANGO_SETTINGS_MODULE\s*=\s*['"]?)([\w.]+)""", re.M)


def find_settings_modules(
    texts: Mapping[str, str],
    modules: Iterable[str],
    symbols: Mapping[str, ModuleSymbols],
) -> tuple[str, ...]:
    """Dotted settings modules of the scanned project, most authoritative first.

    ``texts`` maps relative paths of entry-point and config files to their text.
    """
    known = set(modules)
    found: list[str] = []

    def add(name: str) -> None:
        if name in known and name not in found:
            found.append(name)
            return
        # the settings module may be named from a different root (e.g. "src.app.settings")
        for m in sorted(known):
            if m.endswith("." + name) and m not in found:
                found.append(m)
                return

    for path in sorted(texts, key=lambda p: (p.count("/"), p)):
        base = path.rsplit("/", 1)[-1]
        text = texts[path]
        if base in ("manage.py", "wsgi.py", "asgi.py", "celery.py", "celeryconf.py", "celery_app.py"):
            for m in _SETDEFAULT_RE.finditer(text):
                add(m.group(1))
        elif base in ("pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml"):
            for m in _INI_RE.finditer(text):
                add(m.group(1))
    for name in sorted(known):
        last = name.rsplit(".", 1)[-1]
        parent_last = name.rsplit(".", 2)[-2] if name.count(".") >= 1 else ""
        if last != "settings" and parent_last != "settings":
            continue
        syms = symbols.get(name)
        if syms is None:
            continue
        class_scopes = {c.qualname for c in syms.classes if not c.scope}  # class-based settings
        if any(
            (a.scope == "" or a.scope in class_scopes) and a.target in ("INSTALLED_APPS", "ROOT_URLCONF")
            for a in syms.assignments
        ):
            if name not in found:
                found.append(name)
    return tuple(found)
