"""Scan configuration.

``parse_config(mapping)`` is pure and validates the ``[tool.backendscan]`` table,
collecting every problem before raising :class:`ConfigError`.  ``load_config``
is the thin I/O wrapper that reads ``pyproject.toml``.

Recognised keys (all optional)::

    [tool.backendscan]
    roots = ["src"]                 # import roots, relative to the scanned path
    include = ["app/**"]            # globs (relative POSIX paths); only matching files are scanned
    exclude = ["app/legacy/**"]     # globs excluded in addition to the defaults
    cache-dir = ".backendscan_cache"
    cache = true
    include-tests = false
    include-migrations = false
    jobs = 0                        # worker processes; 0 = one per core
    metrics = true                  # radon metrics
    analyzers = ["fastapi", ...]    # only these analyzers (default: all installed)
    disable-analyzers = []
    disable-checks = []             # built-in check ids to switch off
    package-depth = 2               # depth of the package-level graph
    exclude-type-checking = false   # drop TYPE_CHECKING imports from the graph
    rules = "RULES.md"              # rules file, relative to the scanned path
    [tool.backendscan.roles]        # explicit role -> module glob mapping for RULES.md
    services = "app.services"
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class Config:
    """Everything a scan can be told; defaults suit a typical repository."""

    roots: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    cache_dir: str = ".backendscan_cache"
    use_cache: bool = True
    include_tests: bool = False
    include_migrations: bool = False
    jobs: int = 0
    metrics: bool = True
    analyzers: tuple[str, ...] = ()
    disable_analyzers: tuple[str, ...] = ()
    disable_checks: tuple[str, ...] = ()
    package_depth: int = 2
    exclude_type_checking: bool = False
    rules: str = ""
    roles: tuple[tuple[str, str], ...] = ()
    extra: tuple[tuple[str, Any], ...] = field(default_factory=tuple)
    source: str = ""  # where the config came from, e.g. "pyproject.toml"

    def with_overrides(self, **changes: Any) -> "Config":
        """A copy with the given fields replaced (ignores ``None`` values)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def get_extra(self, key: str, default: Any = None) -> Any:
        """A key of ``[tool.backendscan]`` that analyzers read themselves."""
        for k, v in self.extra:
            if k == key:
                return v
        return default


_KNOWN_KEYS = {
    "roots": "str-list",
    "include": "str-list",
    "exclude": "str-list",
    "cache-dir": "str",
    "cache": "bool",
    "include-tests": "bool",
    "include-migrations": "bool",
    "jobs": "int",
    "metrics": "bool",
    "analyzers": "str-list",
    "disable-analyzers": "str-list",
    "disable-checks": "str-list",
    "package-depth": "int",
    "exclude-type-checking": "bool",
    "rules": "str",
    "roles": "str-map",
}


def _check(key: str, kind: str, value: Any, where: str, problems: list[str]) -> Any:
    ok = True
    if kind == "str-list":
        if isinstance(value, str):
            value = [value]
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else ()
    elif kind == "str":
        ok = isinstance(value, str)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif kind == "str-map":
        ok = isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, (str, list)) for k, v in value.items()
        )
        if ok:
            value = tuple(
                sorted(
                    (k, v if isinstance(v, str) else ",".join(map(str, v)))
                    for k, v in value.items()
                )
            )
    if not ok:
        problems.append(f"{where}: '{key}' must be {kind.replace('-', ' ')}, got {value!r}")
        return None
    return value


def parse_config(table: Mapping[str, Any], source: str = "") -> Config:
    """Validate a ``[tool.backendscan]`` mapping; raise ConfigError listing every problem."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    extra: list[tuple[str, Any]] = []
    where = source or "[tool.backendscan]"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [tool.backendscan] must be a table")
    for raw_key in sorted(table):
        key = raw_key.replace("_", "-")
        if key in _KNOWN_KEYS:
            checked = _check(key, _KNOWN_KEYS[key], table[raw_key], where, problems)
            if checked is not None:
                values[key] = checked
        else:
            extra.append((key, table[raw_key]))
    if problems:
        raise ConfigError("invalid backendscan configuration", tuple(problems))
    mapping = {
        "roots": "roots",
        "include": "include",
        "exclude": "exclude",
        "cache-dir": "cache_dir",
        "cache": "use_cache",
        "include-tests": "include_tests",
        "include-migrations": "include_migrations",
        "jobs": "jobs",
        "metrics": "metrics",
        "analyzers": "analyzers",
        "disable-analyzers": "disable_analyzers",
        "disable-checks": "disable_checks",
        "package-depth": "package_depth",
        "exclude-type-checking": "exclude_type_checking",
        "rules": "rules",
        "roles": "roles",
    }
    kwargs = {mapping[k]: v for k, v in values.items()}
    return Config(**kwargs, extra=tuple(extra), source=source)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes ConfigError with the file and position."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def load_config_file(path: Path) -> Config:
    """``[tool.backendscan]`` of a given TOML file (a pyproject or a standalone file).

    A standalone file may also hold the keys at top level or under ``[backendscan]``.
    """
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    data = read_toml(path)
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    if isinstance(tool, dict) and isinstance(tool.get("backendscan"), dict):
        table = tool["backendscan"]
    elif isinstance(data.get("backendscan"), dict):
        table = data["backendscan"]
    else:
        table = {k: v for k, v in data.items() if k != "tool"}
    return parse_config(table, source=str(path))


def load_config(root: Path) -> Config:
    """Read ``[tool.backendscan]`` from ``root/pyproject.toml`` (defaults when absent).

    A broken pyproject raises ConfigError; callers that scan decide whether that
    is fatal (the CLI reports it as a finding and scans with defaults).
    """
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return Config()
    data = read_toml(pyproject)
    table = data.get("tool", {}).get("backendscan", {}) if isinstance(data.get("tool"), dict) else {}
    return parse_config(table, source="pyproject.toml")
