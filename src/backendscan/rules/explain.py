"""``rules explain``: what every statement of a rule file became, line by line.

For each clause: its status (compiled, not_checkable, unrecognized), kind,
severity, the canonical sentence of each rule it compiled to (the text the
grammar reads back as the same rule), the scope it applies to, and with a
project the modules its names resolved to, or why not; for the others the
reason, and for unrecognized clauses the closest compilable phrasing.
"""

from __future__ import annotations

from typing import Any

from .model import (
    COMPILED,
    NOT_CHECKABLE,
    Acyclic,
    AllowOnly,
    Ban,
    Convention,
    Entry,
    Forbidden,
    Independence,
    Layers,
    Limit,
    Placement,
    Protected,
    Ref,
    Rule,
    RuleSet,
    Shared,
)
from .render import render
from .roles import Resolver


def rule_refs(rule: Rule) -> list[Ref]:
    """Every name a rule uses."""
    s = rule.spec
    if isinstance(s, Forbidden):
        return list(s.sources + s.targets + s.exceptions)
    if isinstance(s, Protected):
        return list(s.targets + s.importers + s.scope)
    if isinstance(s, AllowOnly):
        return list(s.sources + s.allowed)
    if isinstance(s, Layers):
        return [r for layer in s.layers for r in layer] + list(s.containers + s.exempt)
    if isinstance(s, Independence):
        return list(s.modules)
    if isinstance(s, Acyclic):
        return list(s.scope + s.skip_descendants)
    if isinstance(s, (Ban, Limit, Convention)):
        return list(s.under) + (list(s.outside) if isinstance(s, Ban) else [])
    if isinstance(s, Placement):
        return list(s.folders)
    if isinstance(s, Shared):
        return list(s.modules)
    return []


def rule_scope(rule: Rule) -> list[str]:
    """What a rule applies to, as short strings (the JSON ``scope`` field)."""
    s = rule.spec
    if isinstance(s, Forbidden):
        return [r.text for r in s.sources]
    if isinstance(s, AllowOnly):
        return [r.text for r in s.sources]
    if isinstance(s, Protected):
        return [r.text for r in s.targets]
    if isinstance(s, Layers):
        return [r.text for layer in s.layers for r in layer]
    if isinstance(s, Independence):
        return [r.text for r in s.modules]
    if isinstance(s, Acyclic):
        return [r.text for r in s.scope] or ["*"]
    if isinstance(s, Ban):
        return [r.text for r in s.under] or ["*"]
    if isinstance(s, Limit):
        return [r.text for r in s.under] or ["*"]
    if isinstance(s, Convention):
        return [s.subject] + [r.text for r in s.under]
    if isinstance(s, Placement):
        return [s.subject]
    if isinstance(s, Shared):
        return [r.text for r in s.modules]
    return []


def entry_data(e: Entry, resolver: Resolver | None) -> dict[str, Any]:
    rules = []
    for r in e.rules:
        item: dict[str, Any] = {"id": r.id, "kind": r.kind, "canonical": render(r), "severity": r.severity.value, "scope": rule_scope(r)}
        if resolver is not None:
            item["names"] = [
                {
                    "name": ref.text,
                    "modules": list(res.modules),
                    "externals": list(res.externals),
                    "how": res.how,
                }
                for ref in dict.fromkeys(rule_refs(r))
                for res in [resolver.resolve(ref)]
            ]
        rules.append(item)
    scope = sorted({x for r in e.rules for x in rule_scope(r)})
    return {
        "line": e.line,
        "text": e.text,
        "kind": e.kind,
        "status": e.status,
        "severity": e.severity.value,
        "scope": scope,
        "compiled": rules,
        "canonical": [r["canonical"] for r in rules],
        "reason": e.reason,
        "suggestion": e.suggestion,
        "duplicate_of": e.duplicate_of,
        "source": e.source,
    }


def explain_data(rulesets: list[RuleSet], resolver: Resolver | None = None) -> dict[str, Any]:
    """The ``--format json`` document: a ``rules`` list plus counts and role mappings."""
    entries = [entry_data(e, resolver) for rs in rulesets for e in rs.entries]
    counts = {"compiled": 0, "not_checkable": 0, "unrecognized": 0}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    return {
        "sources": [rs.source for rs in rulesets],
        "rules": entries,
        "counts": counts,
        "problems": [p for rs in rulesets for p in rs.problems],
        "roles": [{"role": k, "targets": list(v), "source": rs.source} for rs in rulesets for k, v in rs.roles],
        "options": [{"source": rs.source, "type_checking": rs.type_checking, "dynamic_imports": rs.dynamic_imports} for rs in rulesets],
        "includes": [
            {"source": i.source, "line": i.line, "target": i.target, "file": i.shown, "status": i.status} for rs in rulesets for i in rs.includes
        ],
    }


def explain_text(rulesets: list[RuleSet], resolver: Resolver | None = None) -> str:
    lines: list[str] = []
    for rs in rulesets:
        c = rs.counts()
        lines.append(
            f"{rs.source}: {len(rs.rules)} rules from {sum(c.values())} statements "
            f"({c['compiled']} compiled, {c['not_checkable']} not checkable, {c['unrecognized']} unrecognized)"
        )
        for p in rs.problems:
            lines.append(f"  problem: {p}")
        for inc in rs.includes:
            what = {"included": "read", "missing": "cannot be read", "repeated": "already read (not read again)", "outside": "outside the project (not read)", "too deep": "too deeply nested (not read)"}.get(inc.status, inc.status)
            lines.append(f"  {inc.source}:{inc.line}: @{inc.target} -> {inc.shown or inc.target}: {what}")
        for role, targets in rs.roles:
            lines.append(f"  role {role} = {', '.join(targets)}")
        for e in rs.entries:
            status = {"not_checkable": "not checkable"}.get(e.status, e.status)
            lines.append(f"{e.source}:{e.line}: {status} [{e.kind}] {e.text}")
            if e.status == COMPILED:
                for r in e.rules:
                    dup = f" (same rule as line {e.duplicate_of})" if e.duplicate_of else ""
                    lines.append(f"    -> {render(r)}  [{r.id}, {r.severity.value}]{dup}")
                    if resolver is not None:
                        for ref in dict.fromkeys(rule_refs(r)):
                            lines.append(f"       {resolver.resolve(ref).describe()}")
                if not e.rules and e.reason:
                    lines.append(f"    -> {e.reason}")
            elif e.status == NOT_CHECKABLE:
                lines.append(f"    why: {e.reason}")
            else:
                lines.append(f"    why: {e.reason}")
                if e.suggestion:
                    lines.append(f"    try: {e.suggestion}")
    return "\n".join(lines) + "\n"
