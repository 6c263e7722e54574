"""import-linter contracts read as backendscan rules, with import-linter's semantics.

Reads ``[tool.importlinter]`` of a pyproject.toml, an ``.importlinter`` file
or the ``[importlinter]`` sections of a setup.cfg (INI), text in, rule set out.
Contract types: ``forbidden`` (indirect unless ``allow_indirect_imports``;
chains through other modules are all reported), ``layers`` (with
``containers``, ``|``/``:`` siblings and ``(optional)`` layers), ``independence``,
``protected`` (direct imports) and ``acyclic_siblings`` (``ancestors``,
``depth``, ``skip_descendants``).  ``exclude_type_checking_imports`` is read
(import-linter counts TYPE_CHECKING imports by default, so these rule sets do
too), and grimp does not see ``importlib.import_module("x")``, so dynamic
imports are left out.  Other contract types become ``unrecognized`` entries.
"""

from __future__ import annotations

import configparser
import re
import sys
from typing import Any, Mapping, Sequence

from ..model import Severity
from .fenced import layer_refs
from .model import (
    COMPILED,
    UNRECOGNIZED,
    Acyclic,
    Entry,
    Forbidden,
    Independence,
    Layers,
    Protected,
    Ref,
    Rule,
    RuleSet,
    Spec,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[\n]", value) if v.strip() and not v.strip().startswith("#")]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _bool(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _pairs(values: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for v in values:
        a, sep, b = v.partition("->")
        if sep:
            out.append((a.strip(), b.strip()))
    return tuple(out)


def contract_spec(contract: Mapping[str, Any]) -> Spec | None:
    """The backendscan spec of one import-linter contract (None for unsupported types)."""
    kind = str(contract.get("type", "")).strip()
    ignore = _pairs(_list(contract.get("ignore_imports")))
    if kind == "forbidden":
        return Forbidden(
            sources=tuple(Ref(m) for m in _list(contract.get("source_modules"))),
            targets=tuple(Ref(m) for m in _list(contract.get("forbidden_modules"))),
            ignore_imports=ignore,
            direct=_bool(contract.get("allow_indirect_imports")),
            through_layers=True,
            as_packages=_bool(contract.get("as_packages"), True),
        )
    if kind == "layers":
        layers, independent = [], []
        for item in _list(contract.get("layers")):
            refs, ind = layer_refs(item)
            layers.append(refs)
            independent.append(ind)
        return Layers(
            layers=tuple(layers),
            independent=tuple(independent),
            containers=tuple(Ref(m) for m in _list(contract.get("containers"))),
            ignore_imports=ignore,
            exhaustive=_bool(contract.get("exhaustive")),
        )
    if kind == "independence":
        return Independence(tuple(Ref(m) for m in _list(contract.get("modules"))), ignore_imports=ignore)
    if kind == "protected":
        return Protected(
            targets=tuple(Ref(m) for m in _list(contract.get("protected_modules"))),
            importers=tuple(Ref(m) for m in _list(contract.get("allowed_importers"))),
            ignore_imports=ignore,
            as_packages=_bool(contract.get("as_packages"), True),
        )
    if kind == "acyclic_siblings":
        depth = contract.get("depth")
        return Acyclic(
            scope=tuple(Ref(m) for m in _list(contract.get("ancestors"))),
            type_checking=False,
            siblings=True,
            depth=int(depth) if depth not in (None, "") else 10,
            skip_descendants=tuple(Ref(m) for m in _list(contract.get("skip_descendants"))),
        )
    return None


def _build(contracts: Sequence[tuple[str, int, Mapping[str, Any]]], session: Mapping[str, Any], source: str) -> RuleSet:
    entries: list[Entry] = []
    rules: list[Rule] = []
    for cid, line, contract in contracts:
        name = str(contract.get("name", cid)).strip() or cid
        spec = contract_spec(contract)
        if spec is None:
            entries.append(
                Entry(line, name, UNRECOGNIZED, str(contract.get("type", "")), Severity.ERROR,
                      reason=f"import-linter contract type {contract.get('type')!r} is not supported",
                      suggestion="forbidden, layers, independence, protected or acyclic_siblings", source=source)
            )
            continue
        rid = re.sub(r"[^a-z0-9]+", "-", (cid or name).lower()).strip("-")[:64] or spec.kind
        rule = Rule(spec, Severity.ERROR, line, name, source, rid, str(contract.get("broken_contract_guidance", "") or ""))
        rules.append(rule)
        entries.append(Entry(line, name, COMPILED, spec.kind, Severity.ERROR, (rule,), source=source))
    exclude_tc = _bool(session.get("exclude_type_checking_imports"))
    return RuleSet(source, tuple(entries), tuple(rules), type_checking=not exclude_tc, dynamic_imports=False)


def from_pyproject(text: str, source: str = "pyproject.toml") -> RuleSet | None:
    """Contracts of ``[tool.importlinter]`` (None when the table is absent)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return RuleSet(source, problems=(f"{source}: invalid TOML: {exc}",))
    table = data.get("tool", {}).get("importlinter") if isinstance(data.get("tool"), dict) else None
    if not isinstance(table, dict):
        return None
    header_lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip().replace(" ", "") == "[[tool.importlinter.contracts]]"]
    contracts = []
    for i, c in enumerate(table.get("contracts", []) or []):
        if isinstance(c, dict):
            line = header_lines[i] if i < len(header_lines) else 0
            contracts.append((str(c.get("id", "")) or str(c.get("name", f"contract-{i + 1}")), line, c))
    return _build(contracts, table, source)


def from_ini(text: str, source: str = ".importlinter") -> RuleSet | None:
    """Contracts of an INI file (``.importlinter``, ``setup.cfg``); None without ``[importlinter]``."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source)
    except configparser.Error as exc:
        return RuleSet(source, problems=(f"{source}: invalid INI: {exc}",))
    if not parser.has_section("importlinter"):
        return None
    lines = {}
    for i, ln in enumerate(text.splitlines()):
        m = re.match(r"\s*\[(importlinter:contract:[^\]]+)\]", ln)
        if m:
            lines[m.group(1).strip()] = i + 1
    contracts = []
    for section in parser.sections():
        if not section.startswith("importlinter:contract:"):
            continue
        cid = section.split(":", 2)[2].strip()
        contracts.append((cid, lines.get(section, 0), dict(parser.items(section))))
    return _build(contracts, dict(parser.items("importlinter")), source)
