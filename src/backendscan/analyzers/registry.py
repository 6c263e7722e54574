"""Load analyzer plugins from the ``backendscan.analyzers`` entry-point group.

Our own analyzers are registered in our ``pyproject.toml`` the same way as third
party ones (as flake8 does), so every test run exercises the public path.  A
plugin that fails to load, has a duplicate name or does not fit the protocol is
reported as a warning finding, never a crash.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Iterable

from ..config import Config
from ..model import Finding, Location, Severity
from .base import Analyzer

GROUP = "backendscan.analyzers"


def _warning(message: str) -> Finding:
    return Finding(
        rule_id="plugin-error",
        severity=Severity.WARNING,
        message=message,
        location=Location("pyproject.toml"),
        category="plugins",
    )


def load_analyzers(config: Config | None = None) -> tuple[tuple[Analyzer, ...], tuple[Finding, ...]]:
    """Instantiate every installed analyzer allowed by ``config``, sorted by name."""
    config = config or Config()
    found: dict[str, Analyzer] = {}
    problems: list[Finding] = []
    try:
        eps: Iterable = entry_points(group=GROUP)
    except Exception as exc:  # pragma: no cover - broken metadata
        return (), (_warning(f"cannot read entry points: {exc}"),)
    for ep in sorted(eps, key=lambda e: (e.name, e.value)):
        try:
            cls = ep.load()
            obj = cls() if isinstance(cls, type) else cls
        except Exception as exc:
            problems.append(_warning(f"analyzer plugin '{ep.name}' ({ep.value}) failed to load: {exc.__class__.__name__}: {exc}"))
            continue
        if not isinstance(obj, Analyzer) or not isinstance(getattr(obj, "name", None), str):
            problems.append(_warning(f"analyzer plugin '{ep.name}' ({ep.value}) does not implement the Analyzer protocol"))
            continue
        if obj.name in found:
            problems.append(_warning(f"analyzer name '{obj.name}' is registered twice; keeping the first ({ep.value} ignored)"))
            continue
        found[obj.name] = obj
    selected = [a for n, a in sorted(found.items())]
    if config.analyzers:
        unknown = sorted(set(config.analyzers) - set(found))
        for name in unknown:
            problems.append(_warning(f"configured analyzer '{name}' is not installed"))
        selected = [a for a in selected if a.name in config.analyzers]
    if config.disable_analyzers:
        selected = [a for a in selected if a.name not in config.disable_analyzers]
    return tuple(selected), tuple(problems)


#: which built-in analyzers provide which facts (plugins declare ``provides = ("routes",)``)
FACTS_OF = {
    "routes": ("fastapi", "flask", "django_urls"),
    "models": ("sqlalchemy", "alembic", "django_models", "flask_appbuilder"),
    "tasks": ("celery", "rq", "dramatiq"),
}


def analyzers_providing(facts: str, config: Config | None = None) -> tuple[str, ...]:
    """Names of the installed (and configured) analyzers that provide ``facts``."""
    loaded, _ = load_analyzers(config)
    return tuple(
        a.name for a in loaded if a.name in FACTS_OF.get(facts, ()) or facts in getattr(a, "provides", ())
    )
