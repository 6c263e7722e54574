"""Findings as a SARIF 2.1.0 log (a dict; serialise with sorted keys).

One run, tool ``backendscan``.  Each result has the finding's ``ruleId``,
level, message, location (``uriBaseId`` ``%SRCROOT%``: paths are relative to
the scanned folder), ``partialFingerprints`` (the finding's fingerprint, built
without line numbers, so GitHub code scanning and baselines follow a
violation across unrelated edits) and, for import chains, a ``codeFlows``
entry with one thread-flow location per import (file, line, ``a -> b``).
Rule metadata lists every rule with its canonical sentence and where it was
written (``RULES.md:12``).  Reused by the report (pass any findings).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..model import Finding, Location, Severity

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "backendscan/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _physical(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {"artifactLocation": {"uri": loc.path or ".", "uriBaseId": "%SRCROOT%"}}
    if loc.line > 0:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column > 0:
            region["startColumn"] = loc.column
        if loc.end_line >= loc.line and loc.end_line > 0 and loc.end_line != loc.line:
            region["endLine"] = loc.end_line
        out["region"] = region
    return out


def rule_descriptor(rule_id: str, description: str = "", source: str = "", severity: Severity = Severity.ERROR, text: str = "", kind: str = "") -> dict[str, Any]:
    """A SARIF ``reportingDescriptor``."""
    d: dict[str, Any] = {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": description or rule_id},
        "defaultConfiguration": {"level": _LEVEL[severity]},
    }
    if text and text != description:
        d["fullDescription"] = {"text": text}
    props: dict[str, Any] = {}
    if source:
        props["rulesSource"] = source
    if kind:
        props["kind"] = kind
    if props:
        d["properties"] = props
    return d


def sarif_result(f: Finding, rule_index: int | None = None) -> dict[str, Any]:
    """One SARIF ``result`` for a finding."""
    text = f.message + (f" ({f.source})" if f.source else "")
    r: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": _LEVEL[f.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(f.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if rule_index is not None:
        r["ruleIndex"] = rule_index
    if f.chain:
        r["codeFlows"] = [
            {
                "message": {"text": f"{f.chain[0].importer} -> {f.chain[-1].imported}"},
                "threadFlows": [
                    {
                        "locations": [
                            {
                                "location": {
                                    "physicalLocation": _physical(h.location),
                                    "message": {"text": f"{h.importer} -> {h.imported}" + (f": {h.code}" if h.code else "")},
                                },
                                "nestingLevel": 0,
                                "executionOrder": i + 1,
                            }
                            for i, h in enumerate(f.chain)
                        ]
                    }
                ],
            }
        ]
    props: dict[str, Any] = {}
    if f.source:
        props["rulesSource"] = f.source
    if f.symbol:
        props["symbol"] = f.symbol
    if f.hint:
        props["hint"] = f.hint
    if props:
        r["properties"] = props
    return r


def sarif_log(
    findings: Sequence[Finding],
    *,
    tool_version: str,
    rules: Iterable[Mapping[str, Any]] = (),
    information_uri: str = "https://github.com/backendscan/backendscan",
) -> dict[str, Any]:
    """A complete SARIF log; ``rules`` are descriptors (see :func:`rule_descriptor`)."""
    descriptors: dict[str, dict[str, Any]] = {}
    for d in rules:
        descriptors.setdefault(str(d["id"]), dict(d))
    for f in findings:
        if f.rule_id not in descriptors:
            descriptors[f.rule_id] = rule_descriptor(f.rule_id, f.rule_id.replace("-", " "), f.source, f.severity)
    ordered = sorted(descriptors)
    index = {rid: i for i, rid in enumerate(ordered)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "backendscan",
                        "version": tool_version,
                        "informationUri": information_uri,
                        "rules": [descriptors[r] for r in ordered],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The scanned folder"}}},
                "results": [sarif_result(f, index.get(f.rule_id)) for f in findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
