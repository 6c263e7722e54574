"""Output of ``backendscan check``: text, JSON, SARIF, GitHub annotations, JUnit XML.

Text follows the convention of compilers and linters, so editors and CI logs
link to the code::

    shop/api/orders.py:6:1: error [closed-layers-api-services-repositories-models] shop.api.orders ... (RULES.md:13)
        shop/api/orders.py:6: shop.api.orders -> shop.repositories.orders

and ends with a summary: counts by severity, files analysed and skipped, the
rules checked, and the known violations a baseline ignored.  Every renderer
returns a string; nothing here prints or exits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from ..model import Finding, Severity
from ..rules.model import Rule
from ..rules.render import render
from .sarif import rule_descriptor, sarif_log
from .serialize import finding_data


@dataclass(frozen=True)
class GateSummary:
    """What a ``check`` run saw and decided."""

    files: int = 0
    analysed: int = 0
    skipped: int = 0
    rules: int = 0
    statements: int = 0
    not_checkable: int = 0
    unrecognized: int = 0
    known: int = 0  # violations a baseline ignored
    baseline_size: int = 0
    baseline_path: str = ""
    fixed: int = 0  # baseline entries no longer violated
    suppressed: int = 0  # by inline or block ignores
    fail_on: Severity = Severity.ERROR
    sources: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # "routers -> shop.api (where the routes are defined)"

    def counts(self, findings: Sequence[Finding]) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in findings:
            out[f.severity.value] += 1
        return out

    def failed(self, findings: Sequence[Finding]) -> bool:
        return any(f.severity.rank >= self.fail_on.rank for f in findings)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(findings: Sequence[Finding], s: GateSummary) -> str:
    """One line: counts by severity, files, rules, baseline."""
    c = s.counts(findings)
    parts = [f"{_plural(c['error'], 'error')}, {_plural(c['warning'], 'warning')}, {c['info']} info"]
    parts.append(f"{_plural(s.files, 'file')} ({s.analysed} analysed, {s.skipped} skipped)")
    rules = f"{_plural(s.rules, 'rule')} checked"
    if s.sources:
        rules += f" from {', '.join(s.sources)}"
    if s.not_checkable or s.unrecognized:
        rules += f" ({s.not_checkable} statements not checkable, {s.unrecognized} unrecognized)"
    parts.append(rules)
    line = "; ".join(parts)
    if s.baseline_path:
        line += f"\n{s.known} known violations ignored (baseline {s.baseline_path}: {s.baseline_size} entries"
        line += f", {s.fixed} fixed)" if s.fixed else ")"
    if s.suppressed:
        line += f"\n{_plural(s.suppressed, 'violation')} suppressed by ignore comments"
    return line


def format_text(findings: Sequence[Finding], s: GateSummary, *, verbose_roles: bool = False) -> str:
    lines: list[str] = []
    for f in findings:
        src = f" ({f.source})" if f.source else ""
        lines.append(f"{f.location}: {f.severity.value} [{f.rule_id}] {f.message}{src}")
        for h in f.chain:
            code = f"  {h.code}" if h.code else ""
            lines.append(f"    {h.location.short}: {h.importer} -> {h.imported}{code}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    if verbose_roles and s.roles:
        lines.append("names in the rules:")
        lines.extend(f"    {r}" for r in s.roles)
    verdict = "FAILED" if s.failed(findings) else "passed"
    lines.append(f"backendscan check {verdict}: {summary_line(findings, s)}")
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], s: GateSummary, rules: Sequence[Rule], *, version: str) -> str:
    data: dict[str, Any] = {
        "tool": {"name": "backendscan", "version": version},
        "summary": {
            "findings": s.counts(findings),
            "failed": s.failed(findings),
            "fail_on": s.fail_on.value,
            "files": s.files,
            "analysed": s.analysed,
            "skipped": s.skipped,
            "rules": s.rules,
            "not_checkable": s.not_checkable,
            "unrecognized": s.unrecognized,
            "baseline": {"path": s.baseline_path, "size": s.baseline_size, "known": s.known, "fixed": s.fixed},
            "suppressed": s.suppressed,
            "sources": list(s.sources),
        },
        "rules": [
            {"id": r.id, "kind": r.kind, "severity": r.severity.value, "source": r.where, "text": r.text, "canonical": render(r)}
            for r in rules
        ],
        "roles": list(s.roles),
        "findings": [finding_data(f) for f in findings],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def rule_descriptors(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    return [rule_descriptor(r.id, render(r), r.where, r.severity, r.text, r.kind) for r in rules if r.id]


def format_sarif(findings: Sequence[Finding], rules: Sequence[Rule], *, version: str) -> str:
    log = sarif_log(findings, tool_version=version, rules=rule_descriptors(rules))
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding], s: GateSummary) -> str:
    """GitHub Actions workflow commands (``::error file=..,line=..::message``)."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for f in findings:
        props = [f"file={_gh_prop(f.location.path)}"]
        if f.location.line:
            props.append(f"line={f.location.line}")
        if f.location.column:
            props.append(f"col={f.location.column}")
        props.append(f"title={_gh_prop(f.rule_id)}")
        body = f.message + (f" ({f.source})" if f.source else "")
        if f.chain:
            body += "\n" + "\n".join(f"{h.location.short}: {h.importer} -> {h.imported}" for h in f.chain)
        out.append(f"::{level[f.severity]} {','.join(props)}::{_gh_data(body)}")
    out.append(f"backendscan check: {summary_line(findings, s).replace(chr(10), '; ')}")
    return "\n".join(out) + "\n"


def format_junit(findings: Sequence[Finding], s: GateSummary, rules: Sequence[Rule]) -> str:
    """JUnit XML: one test case per rule (failed when it has violations at or above --fail-on)."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    cases: list[tuple[str, str, list[Finding]]] = []
    seen = set()
    for r in rules:
        if not r.id or r.id in seen:
            continue
        seen.add(r.id)
        cases.append((r.id, f"{r.id}: {render(r)} ({r.where})", by_rule.get(r.id, [])))
    for rid in sorted(set(by_rule) - seen):
        cases.append((rid, rid, by_rule[rid]))
    failures = sum(1 for _, _, fs in cases if any(f.severity.rank >= s.fail_on.rank for f in fs))
    body = []
    for rid, name, fs in cases:
        failing = [f for f in fs if f.severity.rank >= s.fail_on.rank]
        body.append(f'    <testcase classname="backendscan.rules" name={quoteattr(name)}>')
        if failing:
            detail = "\n".join(
                f"{f.location}: {f.severity.value} {f.message}" + "".join(f"\n    {h.location.short}: {h.importer} -> {h.imported}" for h in f.chain)
                for f in failing
            )
            body.append(f"      <failure message={quoteattr(f'{len(failing)} violation(s)')} type={quoteattr(rid)}>{escape(detail)}</failure>")
        elif fs:
            body.append(f"      <system-out>{escape(chr(10).join(f'{f.location}: {f.severity.value} {f.message}' for f in fs))}</system-out>")
        body.append("    </testcase>")
    head = f'  <testsuite name="backendscan" tests="{len(cases)}" failures="{failures}" errors="0" skipped="0">'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="backendscan" tests="{len(cases)}" failures="{failures}">\n'
        + head + "\n" + "\n".join(body) + ("\n" if body else "") + "  </testsuite>\n</testsuites>\n"
    )


_ = field
