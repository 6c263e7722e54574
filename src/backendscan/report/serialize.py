"""Turn facts and findings into JSON-ready data (dicts with sorted keys, lists, scalars).

Dataclasses become dicts of their fields; enums their value; tuples lists;
``Location`` a ``{path, line, column, end_line, end_column}`` dict.  A few field
names are renamed for the public JSON (``class_name`` -> ``class``).
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from ..model import Finding, ImportSite, Location

RENAMES = {"class_name": "class"}


def to_data(obj: Any) -> Any:
    """JSON-ready copy of ``obj``."""
    t = type(obj)
    if obj is None or t is str or t is int or t is bool or t is float:
        return obj
    conv = _BY_TYPE.get(t)
    if conv is not None:
        return conv(obj)
    if isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, Location):
        return location_data(obj)
    if isinstance(obj, Finding):
        return finding_data(obj)
    if isinstance(obj, ImportSite):
        return site_data(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _fields_of(t)
        out = {}
        for name, key in names:
            value = getattr(obj, name)
            if name == "options" and isinstance(value, tuple):
                out[key] = {k: v for k, v in value}
                continue
            out[key] = to_data(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [to_data(v) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, (set, frozenset)) else items
    return str(obj)


_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def _fields_of(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON key) of a dataclass's public fields, computed once per class."""
    got = _FIELDS.get(cls)
    if got is None:
        got = _FIELDS[cls] = tuple((f.name, RENAMES.get(f.name, f.name)) for f in dataclasses.fields(cls) if not f.name.startswith("_"))
    return got


def _list(obj: Any) -> list[Any]:
    return [to_data(v) for v in obj]


def location_data(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column, "end_line": loc.end_line, "end_column": loc.end_column}


def finding_data(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "message": f.message,
        "file": f.location.path,
        "line": f.location.line,
        "column": f.location.column,
        "symbol": f.symbol,
        "hint": f.hint,
        "source": f.source,
        "category": f.category,
        "fingerprint": f.fingerprint,
        "chain": [
            {"importer": h.importer, "imported": h.imported, "file": h.location.path, "line": h.location.line, "code": h.code}
            for h in f.chain
        ],
    }


def site_data(s: ImportSite) -> dict[str, Any]:
    return {
        "importer": s.importer,
        "target": s.target,
        "origin": s.origin.value,
        "kind": s.kind.value,
        "file": s.location.path,
        "line": s.location.line,
        "column": s.location.column,
        "code": s.code,
        "written": s.written,
        "names": list(s.names),
        "type_checking": s.type_checking,
        "lazy": s.lazy,
        "dynamic": s.dynamic,
        "star": s.star,
        "conditional": s.conditional,
        "distribution": s.distribution,
    }


_BY_TYPE: dict[type, Any] = {tuple: _list, list: _list, Location: location_data, Finding: finding_data, ImportSite: site_data}
