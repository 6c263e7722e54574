"""The JSON report: plain data with a ``schema_version``, validated by ``schemas/report.schema.json``.

Keys are sorted when serialised; nothing machine-specific (absolute paths,
timings, timestamps) is included unless asked for, so the same input gives
byte-identical output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from ..graph import Cycle
from ..pipeline import ScanResult
from .context import ReportContext
from .serialize import finding_data, site_data, to_data

SCHEMA_VERSION = "1.1"


def schema_path() -> Path:
    return Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json"


def cycle_data(c: Cycle) -> dict[str, Any]:
    hop = lambda h: {"importer": h.importer, "imported": h.imported, "file": h.location.path, "line": h.location.line, "code": h.code}  # noqa: E731
    return {"members": list(c.members), "example": [hop(h) for h in c.example], "cut": [hop(h) for h in c.cut], "cut_weight": c.cut_weight}


def graph_data(g: nx.DiGraph, sites: dict[int, Any] | None = None) -> dict[str, Any]:
    """NetworkX node-link data with import sites on the edges (``nodes`` and ``edges``).

    ``sites``: id of an ImportSite -> its data, already made for the report's ``imports`` list.
    """
    sites = sites or {}
    return {
        "directed": True,
        "multigraph": False,
        "nodes": [{"id": n, **{k: v for k, v in sorted(d.items())}} for n, d in sorted(g.nodes(data=True))],
        "edges": [
            {"source": a, "target": b, "sites": [sites.get(id(s)) or site_data(s) for s in d["sites"]]}
            for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1]))
        ],
    }


#: top-level keys of the report that come from the scan result alone (no view model): nine
#: tenths of the text on saleor, so :func:`encoded_scan_sections` can write them beforehand
SCAN_SECTIONS = ("beat", "graph", "imports", "models", "modules", "routes", "task_calls", "tasks")


def scan_sections(result: ScanResult) -> dict[str, Any]:
    """The report's :data:`SCAN_SECTIONS` as data."""
    sites = {id(s): Shared(site_data(s)) for s in result.imports}
    return {
        "modules": [
            {"name": m.name, "path": m.path, "kind": m.kind.value, "package": m.is_package, "namespace": m.namespace, "lines": m.lines, "parsed": m.parsed}
            for m in result.modules
        ],
        "imports": [sites[id(s)] for s in result.imports],
        "graph": graph_data(result.graph, sites),
        "routes": to_data(result.routes),
        "models": to_data(result.models),
        "tasks": to_data(result.tasks),
        "task_calls": to_data(result.task_calls),
        "beat": to_data(result.beat),
    }


def encoded_scan_sections(result: ScanResult) -> dict[str, "Encoded"] | None:
    """The :data:`SCAN_SECTIONS` already written as the report's JSON text writes them (None when a
    value needs the standard library's encoder).  ``report_data(..., sections=...)`` takes them, and
    :func:`dumps` puts the text in place: the report command writes them in a forked child while it
    builds the view model."""
    return _encoded_sections(scan_sections(result))


def _encoded_sections(data: dict[str, Any]) -> dict[str, "Encoded"] | None:
    """Each top-level value of ``data`` written at nesting level 1, sharing one memo of
    :class:`Shared` dicts; None when a value needs the standard library's encoder."""
    encode = _encoder()
    try:
        return {k: Encoded(encode(v, 1), 1) for k, v in data.items()}
    except _Unusual:
        return None


def encoded_view_sections(result: ScanResult, ctx: ReportContext, include_timings: bool = False) -> dict[str, "Encoded"] | None:
    """The report's other top-level sections (those of the view model) already written, like
    :func:`encoded_scan_sections`; ``dumps({**view, **scan})`` is then the whole report."""
    return _encoded_sections(report_data(result, ctx, include_timings=include_timings, sections={}))


def report_data(
    result: ScanResult,
    ctx: ReportContext,
    *,
    include_timings: bool = False,
    extra: dict[str, Any] | None = None,
    sections: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole report as JSON-ready data; ``sections`` are the :data:`SCAN_SECTIONS` when the
    caller has them (from :func:`scan_sections` or :func:`encoded_scan_sections`)."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "backendscan", "version": ctx.tool_version},
        "project": {
            "name": ctx.project,
            "root": ctx.root_name,
            "package_mode": ctx.package_mode,
            "roots": [{"path": r.path, "reason": r.reason} for r in ctx.roots],
            "analyzers": list(ctx.analyzers),
        },
        "summary": {**ctx.counts, "verdict": ctx.verdict, "findings": ctx.severity_counts},
        **(sections if sections is not None else scan_sections(result)),
        "packages": {
            "depth": ctx.depth,
            "coupling": to_data(ctx.packages),
            "edges": [{"source": a, "target": b, "weight": w} for a, b, w in ctx.package_edges],
            "layers": [list(layer) for layer in ctx.layers],
        },
        "cycles": [cycle_data(c) for c in ctx.cycles],
        "orphans": list(ctx.orphans),
        "dependencies": {
            "declared": to_data(ctx.declared),
            "sources": list(result.declarations.sources),
            "external_imports": to_data(ctx.externals),
            "findings": [finding_data(f) for f in ctx.dependency_findings],
        },
        "metrics": {
            "files": [
                {"path": p, **{k: v for k, v in to_data(m).items() if k != "blocks"}} for p, m in sorted(result.metrics.items())
            ],
            "hotspots": to_data(ctx.hotspots),
        },
        "stack": {
            "components": to_data(ctx.stack.components),
            "deployment": to_data(ctx.stack.deployment),
        },
        "testing": {
            "counts": ctx.reach.counts(),
            "test_modules": list(ctx.reach.test_modules),
            "modules": to_data(ctx.reach.modules),
            "routes": [
                {"methods": list(r.route.methods), "path": r.route.path, "handler": r.route.handler, "status": r.status, "calls": list(r.calls)}
                for r in ctx.reach.routes
            ],
            "tasks": [{"name": t.task.name, "function": t.task.function, "status": t.status} for t in ctx.reach.tasks],
        },
        "checks": [
            {
                "id": c.info.id,
                "severity": c.info.severity.value,
                "theme": c.info.theme,
                "title": c.info.title,
                "rationale": c.info.rationale,
                "hint": c.info.hint,
                "enabled": c.enabled,
                "count": c.count,
            }
            for c in ctx.checks
        ],
        "compliance": {
            "rules_file": ctx.compliance.rules_file,
            "engine": ctx.compliance.engine,
            "statements": to_data(ctx.compliance.statements),
            "violations": [finding_data(f) for f in ctx.compliance.violations],
            "problems": list(ctx.compliance.problems),
            "suggestions": to_data(ctx.compliance.suggestions),
        },
        "findings": [finding_data(f) for f in ctx.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in ctx.skipped],
        "notes": [{"topic": t, "text": x} for t, x in ctx.notes],
    }
    if ctx.plan is not None:
        data["plan"] = to_data(ctx.plan)
    if include_timings:
        data["stats"] = {"stages": dict(result.stats.stages), "workers": result.stats.workers, "from_cache": result.stats.from_cache}
    if extra:
        data.update(extra)
    return data


def dumps(data: Any, compact: bool = False) -> str:
    """Deterministic JSON text (``compact``: one line, about ten times faster to write for big graphs).

    The indented form is exactly ``json.dumps(data, indent=2, sort_keys=True,
    ensure_ascii=False)`` plus a newline, written by :func:`_pretty` (the standard
    library's indenting encoder is pure Python and generator-based: 1.3 s for saleor's 29 MB).
    """
    if compact:
        return json.dumps(_plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    try:
        return _pretty(data) + "\n"
    except _Unusual:
        return json.dumps(_plain(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class Encoded:
    """A value already written by :func:`_pretty` at nesting ``level``; :func:`dumps` puts the text
    in place (re-indented when it lands at another level)."""

    text: str
    level: int


def _plain(data: Any) -> Any:
    """``data`` with :class:`Encoded` values read back (for the standard library's encoder).

    They were written from plain JSON values, so reading them back gives equal values
    and the same text."""
    if isinstance(data, Encoded):
        return json.loads(data.text)
    if isinstance(data, dict) and any(isinstance(v, Encoded) for v in data.values()):
        return {k: _plain(v) for k, v in data.items()}
    return data


class _Unusual(Exception):
    """A value :func:`_pretty` leaves to the standard library (non-str keys, custom types, cycles)."""


class Shared(dict):  # type: ignore[type-arg]
    """A dict placed in several spots of the report (an import site under ``imports`` and on its
    graph edge): :func:`dumps` encodes it once and re-indents the text for the other spots."""

    __slots__ = ()


def _pretty(data: Any) -> str:
    """``json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)``, byte for byte, faster.

    Plain dicts, lists, tuples, str, int, float, bool and None only (anything else raises
    :class:`_Unusual`); :class:`Shared` dicts are encoded once; :class:`Encoded` values are
    put in as written.
    """
    return _encoder()(data, 0)


def _encoder() -> Callable[[Any, int], str]:
    """A function writing a value as :func:`_pretty` does at a nesting level; the values it writes
    share one memo of :class:`Shared` dicts."""
    from json.encoder import encode_basestring as enc_str

    out: list[str] = []
    append = out.append
    pads: list[str] = ["\n"]
    memo: dict[int, tuple[int, str]] = {}
    keys: dict[str, str] = {}
    inf = float("inf")

    def pad(level: int) -> str:
        while len(pads) <= level:
            pads.append(pads[-1] + "  ")
        return pads[level]

    def other(v: Any) -> str:
        """Text of a scalar that is not a str or an int."""
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if type(v) is float:
            if v != v:
                return "NaN"
            if v == inf:
                return "Infinity"
            if v == -inf:
                return "-Infinity"
            return float.__repr__(v)
        raise _Unusual(type(v).__name__)

    def value(v: Any, level: int) -> None:
        t = type(v)
        if t is str:
            append(enc_str(v))
        elif t is int:
            append(int.__repr__(v))
        elif t is dict:
            obj(v, level)
        elif t is list or t is tuple:
            arr(v, level)
        elif t is Shared:
            shared(v, level)
        elif t is Encoded:
            append(moved(v.text, v.level, level))
        else:
            append(other(v))

    def moved(text: str, at: int, level: int) -> str:
        """``text`` written at nesting level ``at``, re-indented for ``level``."""
        if at == level:
            return text
        if at < level:
            return text.replace("\n", pad(level - at))
        return text.replace(pad(at - level), "\n")

    def shared(d: Shared, level: int) -> None:
        seen = memo.get(id(d))
        if seen is None:
            start = len(out)
            obj(d, level)
            text = "".join(out[start:])
            del out[start:]
            append(text)
            memo[id(d)] = (level, text)
            return
        at, text = seen
        append(moved(text, at, level))

    def obj(d: dict[Any, Any], level: int) -> None:
        if not d:
            append("{}")
            return
        if level > 900:
            raise _Unusual("deep")
        inner = pad(level + 1)
        sep = "," + inner
        append("{" + inner)
        first = True
        for k in sorted(d):
            kt = keys.get(k)
            if kt is None:
                if type(k) is not str:
                    raise _Unusual("key")
                kt = keys[k] = enc_str(k) + ": "
            if first:
                first = False
            else:
                append(sep)
            v = d[k]
            t = type(v)
            if t is str:
                append(kt + enc_str(v))
            elif t is int:
                append(kt + int.__repr__(v))
            elif t is bool or v is None:
                append(kt + ("true" if v is True else "false" if v is False else "null"))
            else:
                append(kt)
                value(v, level + 1)
        append(pad(level) + "}")

    def arr(a: list[Any] | tuple[Any, ...], level: int) -> None:
        if not a:
            append("[]")
            return
        if level > 900:
            raise _Unusual("deep")
        inner = pad(level + 1)
        sep = "," + inner
        append("[" + inner)
        first = True
        for v in a:
            if first:
                first = False
            else:
                append(sep)
            value(v, level + 1)
        append(pad(level) + "]")

    def encode(data: Any, level: int) -> str:
        value(data, level)
        text = "".join(out)
        out.clear()
        return text

    return encode
