"""RULES.md compliance for the report: violations with ``RULES.md:line``, statements not machine-checked,
and suggested additions (``rules infer``).

The rules engine lives in :mod:`backendscan.rules`; this module only adapts its
public API to the view model.  When the engine is not installed or finds no
RULES.md, the section lists the file's statements as written, each marked
"not evaluated", so the report still says what the rules are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Finding
from ..rulefiles import project_rules_file
from .plan import rule_statements

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import ScanResult

log = logging.getLogger(__name__)

RULE_CATEGORIES = {"rules"}


@dataclass(frozen=True)
class Statement:
    """One statement of RULES.md and what became of it."""

    line: int
    text: str
    status: str  # checked, violated, not-checkable, unrecognized, not-evaluated
    kind: str = ""  # rule kind (layers, forbidden, ban, ...) when compiled
    violations: int = 0
    reason: str = ""  # why it is not checkable / not recognised
    source: str = ""  # the file it is written in, when not the rules file itself (an ``@include``)


@dataclass(frozen=True)
class Suggestion:
    """A rule that holds today and would protect the structure (from ``rules infer``)."""

    text: str  # RULES.md sentence to add
    reason: str = ""


@dataclass(frozen=True)
class Compliance:
    """The RULES.md section of the report."""

    rules_file: str = ""
    engine: bool = False  # the rules engine evaluated the file
    statements: tuple[Statement, ...] = ()
    violations: tuple[Finding, ...] = ()
    problems: tuple[str, ...] = ()  # rules that could not be compiled, with their line
    suggestions: tuple[Suggestion, ...] = ()
    violation_edges: tuple[tuple[str, str], ...] = ()  # importer -> imported pairs that break an import rule (not cycles)

    @property
    def not_checked(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.status in ("not-checkable", "unrecognized", "not-evaluated"))

    @property
    def line_counts(self) -> tuple[int, int]:
        """(lines with checked rules, of which lines with violations)."""
        checked = {s.line for s in self.statements if s.status in ("checked", "violated")}
        violated = {s.line for s in self.statements if s.status == "violated"}
        return len(checked), len(violated)

    def __bool__(self) -> bool:
        return bool(self.rules_file or self.suggestions)


def rules_finding(f: Finding) -> bool:
    """Is ``f`` a RULES.md violation (as opposed to a built-in check or a scan problem)?"""
    return f.category in RULE_CATEGORIES


def rules_file_text(result: "ScanResult") -> tuple[str, str] | None:
    """(path, text) of the project's rules file (``[tool.backendscan] rules``, default RULES.md)."""
    aux = result.project.aux_files if result.project is not None else {}
    path = project_rules_file(aux, result.config.rules)
    return (path, aux[path]) if path is not None else None


def _rules_parts(result: "ScanResult", path: str, text: str) -> tuple[list[tuple[str, str]], list[Any]]:
    """The rules file's text plus the files it includes (``@AGENTS.md``), as ``backendscan check`` reads them.

    The included files were read with the configuration files (their texts are in the
    project key); one that could not be read is reported as ``missing`` by the compiler.
    """
    from ..rulefiles import expand, include_lines, relative_to_root

    if "@" not in text or not include_lines(text):
        return [(path, text)], []
    aux = result.project.aux_files if result.project is not None else {}

    def read(p: Path) -> str:
        rel = relative_to_root(result.root, p)
        if rel not in aux:
            raise OSError(f"{rel} was not read")
        return aux[rel]

    parts, includes = expand(result.root / path, read, text)
    parts[0] = (path, parts[0][1])  # cited as the report names it (``backend/RULES.md``)
    return parts, list(includes)


_STATUS = {"compiled": "checked", "not_checkable": "not-checkable", "unrecognized": "unrecognized"}


def build_compliance(result: "ScanResult", *, suggest: bool = True, inferred: Any = None) -> Compliance:
    """Evaluate RULES.md with the rules engine (statements, violations, suggestions from ``rules infer``).

    Without a rules file, only suggestions are given; when the engine is
    unavailable or fails, the statements are listed as written ("not-evaluated").
    """
    found = rules_file_text(result)
    try:
        from ..rules.checks import check, input_from_scan, unmatched_findings
        from ..rules.compiler import compile_parts
    except Exception as exc:  # the report still lists the statements, marked "not evaluated"
        log.warning("rules engine unavailable for the report: %s", exc)
        return _as_written(result, found)
    if found is None:
        return Compliance(suggestions=_suggestions(result, None, inferred) if suggest else ())
    path, text = found
    try:
        parts, includes = _rules_parts(result, path, text)
        rs = compile_parts(parts, includes)
        suggestions = _suggestions(result, rs, inferred) if suggest else ()
        res = check([rs], input_from_scan(result))
        violations = tuple(res.findings) + tuple(unmatched_findings(res))
    except Exception as exc:  # a rules-engine bug must not cost the report
        log.warning("rules engine failed while building the report: %s", exc)
        return _as_written(result, found)
    kinds_at: dict[str, set[str]] = {}
    statements = []
    for e in rs.entries:
        status = _STATUS.get(e.status, e.status)
        n = sum(1 for f in violations if f.source == f"{e.source}:{e.line}")
        if status == "checked" and n:
            status = "violated"
        statements.append(Statement(e.line, e.text, status, e.kind, n, e.reason, "" if e.source == path else e.source))
        kinds_at.setdefault(f"{e.source}:{e.line}", set()).add(e.kind)
    import_kinds = {"forbidden", "protected", "allow-only", "layers", "independence"}
    edges = sorted({(h.importer, h.imported) for f in violations if kinds_at.get(f.source, set()) & import_kinds and "acyclic" not in kinds_at.get(f.source, set()) for h in f.chain[:1]})
    return Compliance(path, True, tuple(statements), violations, tuple(rs.problems), suggestions, tuple(edges))


def compile_inferred(result: "ScanResult") -> Any:
    """The ``rules infer`` draft of ``result``, compiled (a :class:`~backendscan.rules.model.RuleSet`)."""
    from ..rules.compiler import compile_rules
    from ..rules.infer import infer_rules

    return compile_rules(infer_rules(result), "rules infer")


def _as_written(result: "ScanResult", found: tuple[str, str] | None) -> Compliance:
    if found is None:
        return Compliance()
    path, text = found
    statements = tuple(Statement(line, body, "not-evaluated") for line, body in rule_statements(text))
    return Compliance(path, False, statements)


def _suggestions(result: "ScanResult", existing: Any, inferred: Any = None) -> tuple[Suggestion, ...]:
    """Statements of the ``rules infer`` draft whose rules the project's RULES.md (compiled) lacks.

    ``inferred`` is the draft already compiled (the report command keeps it per import graph).
    """
    if inferred is None:
        try:
            inferred = compile_inferred(result)
        except Exception as exc:
            log.info("rules infer unavailable: %s", exc)
            return ()
    have = set(existing.rules) if existing is not None else set()
    have_kinds = {r.kind for r in have}
    out = []
    seen: set[str] = set()
    for e in inferred.entries:
        if e.status != "compiled" or not e.rules or e.kind == "option" or e.text.lstrip().startswith("["):
            continue
        if all(r in have for r in e.rules):
            continue
        if e.kind == "acyclic" and "acyclic" in have_kinds:
            continue  # the file already forbids cycles; the draft's scoped version adds nothing
        if e.text in seen:
            continue
        seen.add(e.text)
        out.append(Suggestion(e.text, f"holds on today's code ({e.kind}); from backendscan rules infer"))
    return tuple(out)
