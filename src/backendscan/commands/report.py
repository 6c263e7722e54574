"""``backendscan report PATH``: the architecture report in one or more formats (md, html, json, sarif).

Several formats in one run share one scan and one view model.  ``-o DIR`` (or a
path ending in ``/``) writes ``report.<ext>`` files there; with one format, ``-o
FILE`` writes that file.  ``--task``/``--task-file``/``--context`` add the
implementation plan; ``--update-context`` keeps a short findings block in the
context file (replaced, not duplicated, on re-runs).
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..errors import UsageError
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report layer loads in run(), not at CLI start-up (check/graph don't need it)
    from ..cache import Cache
    from ..forking import Forked
    from ..pipeline import Prepared, ScanResult
    from ..report.context import ReportContext

#: drawing engines for the HTML pictures (mirrors backendscan.report.diagrams.ENGINES)
ENGINES = ("auto", "dot", "python")
from .common import Progress, add_scan_options, config_for, info, keep_until_exit, write_output

Renderer = Callable[["ScanResult", "ReportContext", argparse.Namespace], str]


def _md(result: "ScanResult", ctx: "ReportContext", args: argparse.Namespace) -> str:
    from ..report.render import render_markdown

    template = "plan.md.j2" if getattr(args, "plan_only", False) and ctx.plan is not None else "report.md.j2"
    return render_markdown(ctx, args.template_dir, template)


def _html(result: "ScanResult", ctx: "ReportContext", args: argparse.Namespace) -> str:
    from ..report.render import render_html

    return render_html(ctx, args.template_dir, engine=args.diagrams)


def _json(result: "ScanResult", ctx: "ReportContext", args: argparse.Namespace, sections: Any = None) -> str:
    """``sections``: the scan's sections already written (:func:`~backendscan.report.jsondata.encoded_scan_sections`)."""
    from ..report.jsondata import dumps, report_data

    return dumps(report_data(result, ctx, include_timings=args.timings, sections=sections))


def _sarif(result: "ScanResult", ctx: "ReportContext", args: argparse.Namespace) -> str:
    from ..report.jsondata import dumps

    try:
        from ..report.sarif import rule_descriptor, sarif_log
    except ImportError as exc:  # pragma: no cover - sarif.py ships with backendscan
        raise UsageError(f"SARIF output is unavailable: {exc}") from exc
    rules = [
        rule_descriptor(c.info.id, c.info.title, "built-in", c.info.severity, f"{c.info.rationale} Fix: {c.info.hint}", c.info.theme)
        for c in ctx.checks
    ]
    return dumps(sarif_log(ctx.findings, tool_version=__version__, rules=rules))


#: format -> (file name, renderer)
FORMATS: dict[str, tuple[str, Renderer]] = {
    "md": ("report.md", _md),
    "html": ("report.html", _html),
    "json": ("report.json", _json),
    "sarif": ("report.sarif", _sarif),
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="write the architecture report", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scan_options(p)
    p.add_argument("-o", "--output", help="output file, or folder for several formats (default: stdout)")
    p.add_argument("--format", default="md", help=f"comma-separated formats: {', '.join(FORMATS)} (default: md)")
    p.add_argument("--template-dir", help="folder with templates that override the shipped ones (see README: template variables)")
    p.add_argument("--depth", type=int, help="package depth of the package graph (default 2)")
    p.add_argument("--diagrams", choices=ENGINES, default="auto", help="HTML drawings: Graphviz dot when installed (auto), always dot, or the built-in layout (python)")
    p.add_argument("--timings", action="store_true", help="include stage timings in JSON (makes output run-dependent)")
    p.add_argument("--timestamp", action="store_true", help="print the generation time in the report (makes output run-dependent)")
    plan = p.add_argument_group("implementation plan")
    plan.add_argument("--task", help='task to plan, e.g. "Add password reset by email"')
    plan.add_argument("--task-file", metavar="FILE", help="read the task from FILE")
    plan.add_argument("--context", metavar="FILE", help="agent context file (e.g. .claude/tasks/context_session.md); the task comes from it unless --task is given")
    plan.add_argument("--update-context", action="store_true", help="write a short findings block into the --context file (replaced on re-runs)")
    plan.add_argument("--plan-only", action="store_true", help="Markdown output holds only the plan")
    p.set_defaults(func=run)


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text("utf-8")
    except FileNotFoundError as exc:
        raise UsageError(f"{path}: no such {what}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the {what}: {exc}") from exc


def _task(args: argparse.Namespace) -> str | None:
    from ..report.contextfile import task_from_context

    if args.update_context and not args.context:
        raise UsageError("--update-context needs --context FILE")
    if args.task:
        return str(args.task)
    if args.task_file:
        return _read(args.task_file, "task file").strip() or None
    if args.context:
        path = Path(args.context)
        if not path.exists() and args.update_context:
            return None
        return task_from_context(_read(args.context, "context file")) or None
    return None


def _targets(formats: list[str], output: str | None) -> list[str | None]:
    """Where each format goes: stdout (None), a file, or a file in a folder."""
    if not output or output == "-":
        if len(formats) > 1:
            raise UsageError("several formats need -o DIR")
        return [None]
    out = Path(output)
    is_dir = out.is_dir() or output.endswith(("/", "\\")) or (len(formats) > 1 and not out.suffix)
    if len(formats) > 1 and not is_dir:
        raise UsageError("several formats need -o to name a folder")
    if is_dir:
        return [str(out / FORMATS[f][0]) for f in formats]
    return [output]


def _status(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False) and sys.stderr.isatty():
        sys.stderr.write(f"\r{text:<60}")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    formats = list(dict.fromkeys(f.strip().lower() for f in args.format.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format(s): {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    targets = _targets(formats, args.output)
    task = _task(args)
    if args.template_dir and not Path(args.template_dir).is_dir():
        raise UsageError(f"{args.template_dir}: no such template folder")
    t0 = time.perf_counter()
    _status(args, "scanning...")
    from ..preparation import prepare

    config, problems = config_for(args)
    # a forked child reads and hashes the files while this process imports the scan and loads the analyzers
    prepared = prepare(args.path, config if not problems else None, scope="full", meanwhile=_import_scan)
    from ..pipeline import relaxed_gc
    # the files are written inside the gc block too: when it ends, the collector gets back the scan's
    # millions of frozen objects (see paced_gc), and nothing after the last file should pay for that
    with relaxed_gc():
        texts, summary, ctx, store = _texts(args, formats, task, prepared)
        # the texts go into the cache (compressed) while the files are written: both mostly wait on
        # zlib or I/O, which let go of the GIL
        storing = threading.Thread(target=store, name="backendscan-store")
        storing.start()
        try:
            return _tail(args, formats, targets, texts, summary, ctx, t0)
        finally:
            storing.join()


def _texts(
    args: argparse.Namespace, formats: list[str], task: str | None, prepared: "Prepared"
) -> tuple[dict[str, str], dict[str, Any], "ReportContext | None", Callable[[], None]]:
    """Each format's text, from the cache when the project state and options are unchanged (then no
    view model), and what is left to do with the cache: store the texts and close it."""
    from ..pipeline import scan

    ctx: "ReportContext | None" = None
    fresh = False
    try:
        # the same project state (files, configuration, analyzers, code version), options and
        # templates give the same report: a warm run with nothing changed reads it back
        okey = _output_key(args, task) if prepared.cache is not None and not (args.timings or args.timestamp or args.update_context) else ""
        got = _cached_outputs(prepared, okey, formats) if okey else None
        if got is not None:
            texts, summary = got
        else:
            # the rules draft reads only the import graph: it is drafted (in a forked child) while the analyzers run
            drafts: list[Any] = []
            if prepared.cache is not None:
                prepared.cache.hold_records()  # written by a thread while the formats render (see _render)
            result = scan(
                args.path, prepared.config, progress=Progress(not getattr(args, "quiet", False)), scope="full", prepared=prepared,
                on_graph=lambda partial: drafts.append(_inferred_rules(prepared, partial)),
                meanwhile=_load_report_layer,
            )
            _status(args, "building the report...")
            from ..report.context import build_context

            sections = None
            if "json" in formats:
                # nine tenths of the JSON come from the scan alone: a forked child writes them meanwhile
                from ..forking import Forked
                from ..report.jsondata import encoded_scan_sections

                sections = Forked(encoded_scan_sections, result)

            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if args.timestamp else ""
            ctx = build_context(result, depth=args.depth, task=task, generated_at=stamp,
                                inferred_rules=drafts[0] if drafts else _inferred_rules(prepared, result))
            keep_until_exit(result, ctx)
            texts = _render(formats, result, ctx, args, sections, prepared.cache)
            summary = {"project": ctx.project, "counts": dict(ctx.counts), "severity": dict(ctx.severity_counts)}
            fresh = True
    except BaseException:
        prepared.close()
        raise

    def finish() -> None:
        try:
            if fresh and okey:
                _store_outputs(prepared, okey, texts, summary)
        finally:
            prepared.close()

    return texts, summary, ctx, finish


def _import_scan() -> None:
    """Import the scan's modules (0.13 s) while preparation's child reads and hashes the files."""
    from .. import pipeline  # noqa: F401


def _load_report_layer() -> None:
    """Import the view model, the renderers, the checks and the rules compiler (0.17 s) while the
    scan's workers extract, instead of after the scan."""
    from ..checks import with_checks  # noqa: F401
    from ..report import context, jsondata, render, sarif  # noqa: F401
    from ..rules import compiler, infer  # noqa: F401


def _render(
    formats: list[str], result: "ScanResult", ctx: "ReportContext", args: argparse.Namespace,
    sections: "Forked[Any] | None" = None, cache: "Cache | None" = None,
) -> dict[str, str]:
    """Each format's text.  ``sections`` is the forked child writing the JSON's scan sections
    (:mod:`backendscan.forking`; the same text either way): the JSON is put together last."""
    texts: dict[str, str] = {}
    view = None
    if sections is not None and "json" in formats:
        # and a second child writes the view model's sections
        from ..forking import Forked
        from ..report.jsondata import encoded_view_sections

        view = Forked(encoded_view_sections, result, ctx, args.timings)
    # no fork after this point: the records held since the scan are written by a thread while the
    # other formats render (SQLite lets go of the GIL while it writes)
    writing = threading.Thread(target=cache.write_held, name="backendscan-records") if cache is not None else None
    if writing is not None:
        writing.start()
    try:
        for fmt in formats:
            if fmt == "json" and sections is not None:
                continue
            _status(args, f"rendering {fmt}...")
            texts[fmt] = FORMATS[fmt][1](result, ctx, args)
    finally:
        if writing is not None:
            writing.join()
    if sections is not None and view is not None:
        from ..report.jsondata import dumps

        scan_part, view_part = sections.result(), view.result()
        if scan_part is not None and view_part is not None:
            texts["json"] = dumps({**view_part, **scan_part})
        else:
            texts["json"] = _json(result, ctx, args, scan_part)
    return {fmt: texts[fmt] for fmt in formats}


def _tail(args: argparse.Namespace, formats: list[str], targets: list[str | None], texts: dict[str, str], summary: dict[str, Any], ctx: "ReportContext | None", t0: float) -> int:
    written = []
    for fmt, target in zip(formats, targets):
        written.append(write_output(texts[fmt], target, FORMATS[fmt][0]))
    _status(args, "")
    if args.update_context:
        assert ctx is not None
        written.append(_update_context(args, ctx, next((w for w in written if w.endswith((".md", ".html")) and w != "-"), "")))
    files = [w for w in written if w != "-"]
    if files:
        c = summary["counts"]
        sc = summary["severity"]
        if not getattr(args, "quiet", False) and sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 60 + "\r")
        info(
            args,
            f"backendscan: {summary['project']}: {c['source_modules']} modules, {c['graph_edges']} imports, {c['runtime_cycles']} cycle{'s' if c['runtime_cycles'] != 1 else ''}, "
            f"{c['routes']} routes, {c['tables']} tables, {c['tasks']} tasks; {sc['error']} errors, {sc['warning']} warnings, "
            f"{sc['info']} notes ({time.perf_counter() - t0:.1f}s)\n" + "\n".join(f"  wrote {f}" for f in files),
        )
    return 0


def _output_key(args: argparse.Namespace, task: str | None) -> str:
    """Digest of everything besides the project state that shapes the rendered text."""
    import hashlib

    from ..report.paths import rendering_digest

    basis = repr((__version__, args.depth, task, args.diagrams, bool(getattr(args, "plan_only", False)), rendering_digest(args.template_dir)))
    return hashlib.blake2b(basis.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def _inferred_rules(prepared: "Prepared", result: "ScanResult") -> Any:
    """The compiled ``rules infer`` draft, kept per import graph, or a function that returns it.

    The draft reads nothing but the modules and the import graph (with each import's
    file, line and code), so editing a function body elsewhere does not change it: on
    saleor a one-file edit no longer pays for drafting and compiling it (about 0.7 s).
    When it is not cached, a forked child drafts it while the view model's other parts
    are computed, and the function returned hands it over (and caches it); it gives
    None when drafting fails (the report then drafts, or says so).
    """
    from ..forking import NICE, Forked
    from ..rules.model import RuleSet

    cache = prepared.cache
    key = f"infer:{_graph_digest(result, prepared.version)}" if cache is not None else ""
    if cache is not None:
        got = cache.get_result(key)
        if isinstance(got, RuleSet):
            return got
    job = Forked(_compile_inferred, result, nice=NICE)

    def finish() -> Any:
        rs = job.result()
        if rs is not None and cache is not None:
            cache.put_results({key: rs})
        return rs

    return finish


def _compile_inferred(result: "ScanResult") -> Any:
    """The compiled draft, or None when drafting fails (the compliance section then drafts and logs why)."""
    from ..report.compliance import compile_inferred

    try:
        return compile_inferred(result)
    except Exception:
        return None


def _graph_digest(result: "ScanResult", version: str) -> str:
    """Identity of what ``rules infer`` reads: project name, modules, graph nodes and every import on its edges."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{version}\x1f{result.name}\n".encode("utf-8", "surrogateescape"))
    for m in sorted(result.modules, key=lambda m: m.name):
        h.update(f"{m.name}\x1f{m.path}\x1f{m.kind.value}\x1f{m.is_package:d}{m.namespace:d}\n".encode("utf-8", "surrogateescape"))
    g = result.graph
    for a, b in sorted(g.edges):
        h.update(f"{a}\x1f{b}\n".encode("utf-8", "surrogateescape"))
        for site in g[a][b].get("sites", ()):
            loc = site.location
            h.update(
                f"{loc.path}:{loc.line}:{loc.column}\x1f{site.code}\x1f{site.written}\x1f{site.names}\x1f"
                f"{site.type_checking:d}{site.dynamic:d}{site.lazy:d}{site.conditional:d}{site.star:d}\n".encode("utf-8", "surrogateescape")
            )
    return h.hexdigest()


def _cached_outputs(prepared: "Prepared", okey: str, formats: list[str]) -> tuple[dict[str, str], dict[str, Any]] | None:
    import zlib

    assert prepared.cache is not None
    base = f"{prepared.project_key}:out:{okey}"
    summary = prepared.cache.get_result(f"{base}:summary")
    if not isinstance(summary, dict):
        return None
    texts = {}
    for fmt in formats:
        blob = prepared.cache.get_result(f"{base}:{fmt}")
        if not isinstance(blob, bytes):
            return None
        try:
            texts[fmt] = zlib.decompress(blob).decode("utf-8")
        except (zlib.error, UnicodeDecodeError):
            return None
    return texts, summary


def _store_outputs(prepared: "Prepared", okey: str, texts: dict[str, str], summary: dict[str, Any]) -> None:
    import zlib

    assert prepared.cache is not None
    base = f"{prepared.project_key}:out:{okey}"
    items: dict[str, object] = {f"{base}:{fmt}": zlib.compress(text.encode("utf-8"), 1) for fmt, text in texts.items()}
    items[f"{base}:summary"] = summary
    prepared.cache.put_results(items, replace_group="out")


def _update_context(args: argparse.Namespace, ctx: "ReportContext", report_path: str) -> str:
    from ..report.render import environment

    from ..report.contextfile import update_block

    path = Path(args.context)
    old = path.read_text("utf-8") if path.exists() else ""
    block = environment(args.template_dir).get_template("context_block.md.j2").render(ctx=ctx, plan_path=report_path)
    block = re.sub(r"\n{3,}", "\n\n", block).strip()
    new = update_block(old, block)
    if new != old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, "utf-8")
    return str(path)
