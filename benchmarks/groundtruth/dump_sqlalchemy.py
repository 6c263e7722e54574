"""Runtime model dump for SQLAlchemy (classic declarative, 2.0, Flask-SQLAlchemy, SQLModel).

Input: one or more ``MetaData`` objects (``Base.metadata``, ``db.metadata``,
``SQLModel.metadata``).  Every table in those metadata objects is reported.
Mapped classes are found through the declarative registries that use those
metadata objects (found with ``gc`` so that imperative ``registry()`` objects
and several bases work too).

One entry per table.  "class" is the mapped class whose ``local_table`` is the
table (the base of a single-table-inheritance hierarchy); other classes mapped
to the same table are listed in "subclasses".  Tables with no mapped class
(association tables, ``Table(...)`` objects) have "class": null.
"""

from __future__ import annotations

import gc
from typing import Any, Iterable

from gtcommon import origin_of


def _type_name(coltype: Any) -> str:
    return type(coltype).__name__


def _type_repr(coltype: Any) -> str | None:
    try:
        return repr(coltype)
    except Exception:
        return None


def _registries_for(metadatas: list[Any]) -> list[Any]:
    from sqlalchemy.orm import registry

    ids = {id(m) for m in metadatas}
    regs = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, registry) and id(obj.metadata) in ids:
                regs.append(obj)
        except Exception:
            continue
    return regs


def _table_key(table: Any) -> str:
    return f"{table.schema}.{table.name}" if table.schema else table.name


def _table_owners(tables: dict[int, Any]) -> dict[int, str]:
    """id(table) -> "module.variable" of a module-level name bound to it.

    Several modules may hold the same Table (re-exports); the one whose source
    spells the table name as a string literal is taken as the definer, then the
    shortest dotted name."""
    import sys

    cands: dict[int, list[str]] = {}
    for modname, mod in list(sys.modules.items()):
        d = getattr(mod, "__dict__", None)
        if not isinstance(d, dict):
            continue
        for var, val in list(d.items()):
            if id(val) in tables and tables[id(val)] is val:
                cands.setdefault(id(val), []).append(f"{modname}.{var}")
    source_cache: dict[str, str] = {}

    def spells(cand: str, table_name: str) -> bool:
        modname = cand.rsplit(".", 1)[0]
        if modname not in source_cache:
            path = getattr(sys.modules.get(modname), "__file__", None) or ""
            try:
                with open(path, encoding="utf-8") as fh:
                    source_cache[modname] = fh.read()
            except OSError:
                source_cache[modname] = ""
        src = source_cache[modname]
        return f'"{table_name}"' in src or f"'{table_name}'" in src

    owners: dict[int, str] = {}
    for tid, names in cands.items():
        tname = tables[tid].name
        names.sort(key=lambda c: (not spells(c, tname), len(c), c))
        owners[tid] = names[0]
    return owners


def dump_metadata(metadatas: Iterable[Any], project_roots: list[str]) -> list[dict]:
    metadatas = list(metadatas)
    classes_by_table: dict[int, list[tuple[Any, Any]]] = {}
    for reg in _registries_for(metadatas):
        for mapper in list(reg.mappers):
            local = mapper.local_table
            if local is None:
                continue
            classes_by_table.setdefault(id(local), []).append((mapper, mapper.class_))

    all_tables = {id(t): t for md in metadatas for t in md.sorted_tables}
    owners = _table_owners(all_tables)
    out: list[dict] = []
    seen_tables: set[int] = set()
    for md in metadatas:
        for table in md.sorted_tables:
            if id(table) in seen_tables:
                continue
            seen_tables.add(id(table))
            mapped = classes_by_table.get(id(table), [])
            # Base of an STI hierarchy: the mapper that does not inherit this table.
            primary = None
            others = []
            for mapper, cls in mapped:
                inherits = mapper.inherits
                if primary is None and (inherits is None or inherits.local_table is not table):
                    primary = cls
                else:
                    others.append(cls)
            if primary is None and mapped:
                primary = mapped[0][1]
                others = [c for _, c in mapped[1:]]
            cls_name = f"{primary.__module__}.{primary.__qualname__}" if primary is not None else None
            columns = []
            for col in table.columns:
                columns.append(
                    {
                        "name": col.name,
                        "type": _type_name(col.type),
                        "type_repr": _type_repr(col.type),
                        "nullable": bool(col.nullable),
                        "primary_key": bool(col.primary_key),
                    }
                )
            fks = []
            for fk in sorted(table.foreign_keys, key=lambda f: (f.parent.name, f.target_fullname)):
                fks.append({"column": fk.parent.name, "references": fk.target_fullname})
            item = {
                "orm": "sqlalchemy",
                "class": cls_name,
                "table": _table_key(table),
                "columns": columns,
                "foreign_keys": fks,
                "origin": origin_of(cls_name or owners.get(id(table)), project_roots),
            }
            if cls_name is None and owners.get(id(table)):
                item["defined_in"] = owners[id(table)]
            if others:
                item["subclasses"] = sorted(f"{c.__module__}.{c.__qualname__}" for c in others)
            out.append(item)
    out.sort(key=lambda m: m["table"])
    return out
