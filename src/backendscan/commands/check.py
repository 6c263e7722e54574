"""``backendscan check PATH``: the CI gate over RULES.md (and import-linter contracts).

Exit codes: 0 no violation at or above ``--fail-on`` (default error); 1
violations at or above it; 2 usage, configuration or rules errors (unreadable
or uncompilable rules file, a name that matches no module with ``--strict``,
a stale baseline with ``--strict-baseline``); 3 internal error.  The code
never depends on how many violations there are.

Rules come from ``--rules FILE`` (Markdown, a TOML file of backendscan
tables, or an import-linter configuration: pyproject.toml, .importlinter,
setup.cfg), else from ``[tool.backendscan] rules`` or ``RULES.md`` in PATH plus
any import-linter contracts there.  I/O happens here: reading the rules file,
the baseline and the comments of files (inline ignores are not in the syntax
tree); the checks themselves are pure.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import RulesError, UsageError
from ..model import Finding, Location, Severity, sorted_findings
from .common import add_scan_options, config_for, info, keep_until_exit, write_output

FORMATS = ("text", "json", "sarif", "github", "junit")
DEFAULT_BASELINE = ".backendscan-baseline.json"
_PROBLEM_RULES = {"parse-error", "decode-error", "read-error", "unsupported-syntax", "config-error"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help="check the code against RULES.md (CI gate)", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scan_options(p)
    p.add_argument("--rules", action="append", metavar="FILE", help="rules file (repeatable; default: RULES.md and import-linter contracts in PATH)")
    p.add_argument("--format", default="text", choices=FORMATS, help="output format (default: text)")
    p.add_argument("-o", "--output", help="write the report to FILE (default: stdout)")
    p.add_argument("--fail-on", default="error", choices=["error", "warning", "info"], help="lowest severity that fails the gate (default: error)")
    p.add_argument("--strict", action="store_true", help="a name in the rules that matches no module is an error (exit 2)")
    p.add_argument("--baseline", metavar="FILE", help=f"baseline of known violations (default: {DEFAULT_BASELINE} in PATH, when present)")
    p.add_argument("--update-baseline", action="store_true", help="write the current violations to the baseline and pass")
    p.add_argument("--strict-baseline", action="store_true", help="fail (exit 2) when the baseline lists violations that are fixed")
    p.add_argument("--no-importlinter", action="store_true", help="do not read import-linter contracts from PATH")
    p.add_argument("--show-roles", action="store_true", help="list what each name in the rules resolved to")
    p.set_defaults(func=run)


# ------------------------------------------------------------------ rules files
def load_rules_file(path: Path, cache_dir: Path | None = None):  # type: ignore[no-untyped-def]
    """Read and compile one rules file (its kind by name); unreadable -> RulesError.

    A Markdown file's ``@path`` lines (CLAUDE.md's ``@AGENTS.md``) are
    followed, relative to the including file, each file once.  With
    ``cache_dir`` the compiled rules are kept there, keyed by the text of every
    file read and the rules compiler's source, so an unchanged RULES.md is not
    compiled again (and the grammar is not even imported).
    """
    parts, includes = read_rules_file(path)
    if cache_dir is None:
        return _compile_rules_text(path, parts, includes)
    import pickle

    cached = cache_dir / f"rules-{rules_digest(parts, includes)}.pickle"
    try:
        return pickle.loads(cached.read_bytes())
    except Exception:  # missing, unreadable or from another version: compile again
        pass
    rs = _compile_rules_text(path, parts, includes)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{__import__('os').getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(rs, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cached)
    except OSError:
        pass
    return rs


def read_rules_file(path: Path):  # type: ignore[no-untyped-def]
    """The texts a rules file stands for: ``[(name, text), ...]`` with its ``@path`` includes followed."""
    text = _read_rules_text(path)
    parts: list[tuple[str, str]] = [(path.name, text)]
    includes: list = []
    if _is_markdown(path.name) and "@" in text:
        from ..rulefiles import expand

        parts, includes = expand(path, _read_rules_text_raw, text)
    return parts, includes


def rules_digest(parts: list[tuple[str, str]], includes=()) -> str:  # type: ignore[no-untyped-def]
    """Identity of a rules file's compiled form: the rules compiler's source and every text read."""
    import hashlib

    h = hashlib.blake2b(_rules_code().encode(), digest_size=16)
    for name, body in parts:
        h.update(f"\0{name}\0{len(body)}\0{body}".encode("utf-8", "surrogatepass"))
    for inc in includes:
        h.update(f"\0{inc.source}:{inc.line}:{inc.target}:{inc.status}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _read_rules_text_raw(path: Path) -> str:
    return path.read_text("utf-8-sig")


def _read_rules_text(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read the rules file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(f"{path}: the rules file is not UTF-8 (byte {exc.start})") from exc


def _is_markdown(name: str) -> bool:
    return not (name.endswith((".toml", ".ini", ".cfg")) or name == ".importlinter")


_RULES_CODE: str | None = None


def _rules_code() -> str:
    """A digest of the rules compiler's source: a changed grammar compiles the file again.

    The version number alone is not enough: between releases a grammar fix
    would otherwise keep serving the rules an older grammar compiled.
    """
    global _RULES_CODE
    if _RULES_CODE is None:
        from ..cache import source_digest

        package = Path(__file__).resolve().parent.parent
        # the compiler, plus the reader of @include lines that decides which texts it sees
        import hashlib

        includes = hashlib.blake2b((package / "rulefiles.py").read_bytes(), digest_size=8).hexdigest()
        _RULES_CODE = f"{source_digest(package / 'rules')}-{includes}"
    return _RULES_CODE


def _compile_rules_text(path: Path, parts: list[tuple[str, str]], includes=()):  # type: ignore[no-untyped-def]
    from ..rules.compiler import compile_parts
    from ..rules.fenced import compile_fenced
    from ..rules.importlinter import from_ini, from_pyproject

    name = path.name
    text = parts[0][1]
    if name.endswith(".toml"):
        rs = from_pyproject(text, name)
        if rs is None:
            rs = compile_fenced(text, 1, name)
        return rs
    if name in (".importlinter", "setup.cfg") or name.endswith((".ini", ".cfg")):
        rs = from_ini(text, name)
        if rs is None:
            raise RulesError(f"{path}: no [importlinter] section")
        return rs
    if len(parts) == 1 and not includes:
        from ..rulefiles import blank_includes, include_lines

        parts = [(name, blank_includes(text, include_lines(text)))]
    return compile_parts(parts, includes)


def include_findings(rulesets) -> list[Finding]:  # type: ignore[no-untyped-def]
    """A ``@path`` include line whose file does not exist: its rules are silently lost otherwise."""
    out = []
    for rs in rulesets:
        for inc in getattr(rs, "includes", ()):
            if inc.status != "missing":
                continue
            out.append(
                Finding(
                    "rules-include-missing",
                    Severity.WARNING,
                    f"@{inc.target} includes {inc.shown}, which cannot be read; its rules are not checked",
                    Location(inc.source, inc.line),
                    symbol=f"@{inc.target}",
                    hint="Fix the path (it is relative to the including file) or remove the line.",
                    source=f"{inc.source}:{inc.line}",
                    category="rules",
                )
            )
    return out


def _rules_cache(root: Path, args: argparse.Namespace, config) -> Path | None:  # type: ignore[no-untyped-def]
    if args.no_cache or not config.use_cache:
        return None
    p = Path(config.cache_dir)
    return p if p.is_absolute() else root / p


_IMPORTLINTER_FILES = ("pyproject.toml", ".importlinter", "setup.cfg")


def _rules_paths(root: Path, args: argparse.Namespace, config) -> list[Path]:  # type: ignore[no-untyped-def]
    """The rules files named by ``--rules``, else the project's RULES.md (or the configured file)."""
    out = []
    if args.rules:
        for f in args.rules:
            p = Path(f)
            if not p.is_absolute() and not p.exists() and (root / f).exists():
                p = root / f
            if not p.exists():
                raise UsageError(f"{f}: no such rules file")
            out.append(p)
        return out
    md = root / (config.rules or "RULES.md")
    if md.is_file():
        out.append(md)
    elif config.rules:
        raise RulesError(f"{md}: the rules file named in [tool.backendscan] does not exist")
    return out


def _importlinter_paths(root: Path, args: argparse.Namespace) -> list[Path]:
    if args.rules or args.no_importlinter:
        return []
    return [root / name for name in _IMPORTLINTER_FILES if (root / name).is_file()]


def find_rules(root: Path, args: argparse.Namespace, config) -> list:  # type: ignore[no-untyped-def]
    from ..rules.importlinter import from_ini, from_pyproject

    cache = _rules_cache(root, args, config)
    out = [load_rules_file(p, cache) for p in _rules_paths(root, args, config)]
    for f in _importlinter_paths(root, args):
        reader = from_pyproject if f.name == "pyproject.toml" else from_ini
        try:
            rs = reader(f.read_text("utf-8", errors="replace"), f.name)
        except OSError:
            continue
        if rs is not None and rs.rules:
            out.append(rs)
    if not out:
        raise UsageError(f"{root}: no RULES.md (or import-linter contracts) found; pass --rules FILE")
    return out


def rules_sources_digest(root: Path, args: argparse.Namespace, config) -> str:  # type: ignore[no-untyped-def]
    """Identity of every text :func:`find_rules` would compile, read but not compiled."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for p in _rules_paths(root, args, config):
        h.update(f"{p}\0{rules_digest(*read_rules_file(p))}\0".encode("utf-8", "surrogateescape"))
    for f in _importlinter_paths(root, args):
        try:
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        except OSError:
            h.update(f"{f.name}\0unreadable\0".encode())
    return h.hexdigest()


# ------------------------------------------------------------------ helpers
_IGNORE_COMMENT = re.compile(r"#[^\n]*backendscan\s*:\s*ignore", re.IGNORECASE)


def _read_ignores(result) -> list:  # type: ignore[no-untyped-def]
    from ..parsing import comment_lines
    from ..rules.ignores import parse_ignores

    out = []
    for m in result.modules:
        if not m.path or m.kind.value != "source":
            continue
        try:
            text = (result.root / m.path).read_text("utf-8", errors="replace")
        except OSError:
            continue
        if not _IGNORE_COMMENT.search(text):
            continue
        lines = text.splitlines()
        code = [i + 1 for i, ln in enumerate(lines) if ln.strip() and not ln.strip().startswith("#")]
        out.extend(parse_ignores(m.path, comment_lines(text), code))
    return out


def _long_lines(result, limit: int) -> dict[str, tuple[tuple[int, int], ...]]:  # type: ignore[no-untyped-def]
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    for m in result.modules:
        if not m.path or m.kind.value != "source":
            continue
        try:
            text = (result.root / m.path).read_text("utf-8", errors="replace")
        except OSError:
            continue
        out[m.path] = tuple((i + 1, len(ln)) for i, ln in enumerate(text.splitlines()) if len(ln) > limit)
    return out


def _needs_facts(rules) -> bool:  # type: ignore[no-untyped-def]
    """Do these rules read more than the import graph (symbols, metrics, routes, models, tasks)?"""
    from ..rules import lexicon
    from ..rules.explain import rule_refs

    for r in rules:
        if r.kind in ("ban", "convention", "placement", "limit"):
            return True
        for ref in rule_refs(r):
            group = lexicon.ROLE_WORDS.get(ref.text.lower(), ("", ""))[1]
            if not ref.quoted and group in ("api", "models", "tasks"):
                return True
    return False


def _needs_framework_facts(rules) -> bool:  # type: ignore[no-untyped-def]
    """Do these rules read routes, models or tasks (so the framework analyzers must run)?"""
    from ..rules import lexicon
    from ..rules.explain import rule_refs
    from ..rules.model import Convention

    for r in rules:
        if r.kind == "placement":
            return True
        if isinstance(r.spec, Convention) and r.spec.subject in ("routes", "models", "tasks"):
            return True
        for ref in rule_refs(r):
            group = lexicon.ROLE_WORDS.get(ref.text.lower(), ("", ""))[1]
            if not ref.quoted and group in ("api", "models", "tasks"):
                return True
    return False


def _names_symbols(rulesets, result) -> bool:  # type: ignore[no-untyped-def]
    """Does a name in the rules point inside a module (a function or class), so symbols are needed?"""
    from ..rules.explain import rule_refs
    from ..rules.inputs import Context, input_from_scan

    inp = input_from_scan(result)
    for rs in rulesets:
        resolver = Context(rs, inp).resolver
        for r in rs.rules:
            for ref in rule_refs(r):
                if "the module that defines" in resolver.resolve(ref).how:
                    return True
    return False


@dataclass(frozen=True)
class GateOutput:
    """What one ``check`` run prints: the report text, status lines for stderr, the exit code.

    ``cacheable`` is False when the run wrote a file besides its report (a baseline),
    so that replaying it would skip the write.
    """

    text: str
    code: int
    notes: tuple[str, ...] = ()
    error: str = ""
    cacheable: bool = True
    analyzers: str = ""  # the installed analyzer plugins the verdict read facts from ("" when it read none)


def run(args: argparse.Namespace) -> int:
    root = Path(args.path)
    config, problems = config_for(args)
    if not root.is_dir():
        raise UsageError(f"{args.path}: not a folder")
    key, prepared = _gate_cache(root, args, config, problems)
    store = prepared.cache if prepared is not None else None
    try:
        got = store.get_result(key) if store is not None else None
        out = got if isinstance(got, GateOutput) else None
        if out is not None and out.analyzers and out.analyzers != _analyzer_plugins():
            out = None  # a plugin was installed, removed or upgraded since: its facts may differ
        if out is None:
            out = _evaluate(args, root, config, problems, prepared)
            if store is not None and out.cacheable:
                store.put_results({key: out}, replace_group="gate")
    finally:
        if store is not None:
            store.close()
    write_output(out.text, args.output)
    for note in out.notes:
        info(args, note)
    if out.error:
        print(out.error, file=sys.stderr)
    return out.code


def _gate_cache(root: Path, args: argparse.Namespace, config, problems):  # type: ignore[no-untyped-def]
    """The key of this run's verdict and the prepared project state whose cache may hold it, or ("", None).

    The verdict is a function of the project state (every file's content, the
    configuration, backendscan's own code: the scan's project key), the texts of
    the rules files and the options that shape the output, so an unchanged
    project answers without scanning, compiling rules or importing networkx.
    """
    if args.update_baseline or problems or args.no_cache or not config.use_cache:
        return "", None
    import hashlib

    from ..preparation import prepare

    prepared = prepare(root, config, scope="imports", analyzers=())
    if prepared.cache is None:
        return "", None
    baseline_path = _baseline_path(root, args)
    try:
        baseline = baseline_path.read_bytes() if baseline_path.is_file() else b""
    except OSError:
        baseline = b"unreadable"
    options = (args.format, args.fail_on, args.strict, args.strict_baseline, args.show_roles, str(baseline_path))
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{prepared.project_key}\0{rules_sources_digest(root, args, config)}\0{options!r}\0".encode("utf-8", "surrogateescape"))
    h.update(baseline)
    return f"{prepared.project_key}:gate:{h.hexdigest()}", prepared


def _analyzer_plugins() -> str:
    """The installed analyzer entry points with their distributions' versions (80 ms: read only when needed)."""
    from importlib.metadata import entry_points

    from ..analyzers.registry import GROUP

    eps = entry_points(group=GROUP)
    return "\n".join(sorted(f"{ep.name}={ep.value}@{getattr(ep.dist, 'name', '')}=={getattr(ep.dist, 'version', '')}" for ep in eps))


def _baseline_path(root: Path, args: argparse.Namespace) -> Path:
    path = Path(args.baseline) if args.baseline else root / DEFAULT_BASELINE
    if args.baseline and not path.is_absolute() and not path.exists() and (root / args.baseline).exists():
        path = root / args.baseline
    return path


def _evaluate(args: argparse.Namespace, root: Path, config, problems, prepared=None) -> GateOutput:  # type: ignore[no-untyped-def]
    """Compile the rules, scan what they need, check; ``prepared`` (the verdict key's project state) spares an
    import-graph scan from walking and hashing the project again."""
    from ..pipeline import scan
    from ..report import gate
    from ..rules import baseline as bl
    from ..rules.checks import check, input_from_scan, unmatched_findings
    from ..rules.ignores import apply_ignores
    from ..rules.model import Limit

    rulesets = find_rules(root, args, config)
    bad = [p for rs in rulesets for p in rs.problems]
    if bad:
        raise RulesError("the rules cannot be compiled", tuple(bad))
    all_rules = [r for rs in rulesets for r in rs.rules]
    needs_metrics = any(isinstance(r.spec, Limit) and r.spec.metric not in ("parameters", "line-length") for r in all_rules)
    if not needs_metrics and not getattr(args, "no_metrics", False):
        config = config.with_overrides(metrics=False)
    scope = "full" if _needs_facts(all_rules) else "imports"
    plugins = None if _needs_framework_facts(all_rules) else ()
    analyzers = _analyzer_plugins() if plugins is None else ""
    if scope == "imports" and prepared is not None:
        result = scan(root, prepared.config, scope="imports", prepared=prepared)
    else:
        if prepared is not None:
            # the scan prepares its own state: the digests just computed spare it from hashing every file again
            prepared.cache.put_digests(prepared.new_digests)
        result = scan(root, config if not problems else None, scope=scope, analyzers=plugins)
    if scope == "imports" and _names_symbols(rulesets, result):
        # a name like `app.deps.get_db` is checked against the module's symbols, which a full scan reads
        result = scan(root, config if not problems else None, scope="full", analyzers=plugins)
    keep_until_exit(result)
    long_limit = [r.spec.maximum for r in all_rules if isinstance(r.spec, Limit) and r.spec.metric == "line-length" and r.spec.maximum is not None]
    inp = input_from_scan(result, _long_lines(result, min(long_limit)) if long_limit else None)
    outcome = check(rulesets, inp)
    meta = list(unmatched_findings(outcome, strict=args.strict)) + include_findings(rulesets)
    # files that could not be analysed are reported (as warnings) so nothing is silently skipped
    skipped = [f for f in result.findings if f.rule_id in _PROBLEM_RULES]
    scan_problems = [
        Finding(f.rule_id, Severity.WARNING, f.message + " (not analysed)", f.location, f.symbol, f.hint, category=f.category)
        for f in skipped
    ]
    ignores = _read_ignores(result)
    file_ignores = [ig for rs in rulesets for ig in rs.ignores]
    ig = apply_ignores(outcome.findings, ignores, file_ignores)
    violations = list(ig.kept)
    summary_kwargs: dict = {}
    baseline_path = _baseline_path(root, args)
    exit_extra = 0
    wrote = False
    if args.update_baseline:
        data = bl.dumps(bl.baseline_of(violations))
        try:
            baseline_path.write_text(data, "utf-8")
        except OSError as exc:
            raise UsageError(f"{baseline_path}: cannot write the baseline: {exc.strerror or exc}") from exc
        info(args, f"backendscan: wrote {len(violations)} violations to {baseline_path}")
        wrote = True
        summary_kwargs.update(known=len(violations), baseline_size=len(violations), baseline_path=str(baseline_path))
        violations = []
    elif baseline_path.is_file():
        try:
            base = bl.loads(baseline_path.read_text("utf-8"), str(baseline_path))
        except OSError as exc:
            raise UsageError(f"{baseline_path}: cannot read the baseline: {exc.strerror or exc}") from exc
        applied = bl.apply_baseline(violations, base)
        violations = list(applied.new)
        fixed = sum(e.count for e in applied.stale)
        summary_kwargs.update(known=len(applied.known), baseline_size=base.size, baseline_path=str(baseline_path), fixed=fixed)
        if applied.stale:
            if args.strict_baseline:
                exit_extra = 2
                for e in applied.stale:
                    meta.append(
                        Finding(
                            "stale-baseline",
                            Severity.ERROR,
                            f"baseline entry no longer violated ({e.count}x {e.rule_id}: {e.message}); run with --update-baseline",
                            Location(e.path),
                            symbol=e.fingerprint,
                            category="rules",
                        )
                    )
            else:
                smaller = bl.shrunk(base, applied)
                try:
                    baseline_path.write_text(bl.dumps(smaller), "utf-8")
                    wrote = True
                    info(args, f"backendscan: {fixed} fixed violations removed from {baseline_path}")
                except OSError:
                    pass
    elif args.baseline:
        raise UsageError(f"{args.baseline}: no such baseline file (create it with --update-baseline)")
    findings = sorted_findings(violations + list(ig.problems) + meta + scan_problems)
    counts = {"compiled": 0, "not_checkable": 0, "unrecognized": 0}
    for rs in rulesets:
        for k, v in rs.counts().items():
            counts[k] = counts.get(k, 0) + v
    roles = tuple(r.describe() for r in outcome.resolutions)
    summary = gate.GateSummary(
        files=result.stats.files,
        analysed=result.stats.files - len({f.location.path for f in skipped}),
        skipped=len({f.location.path for f in skipped}),
        rules=outcome.rules_checked,
        statements=sum(counts.values()),
        not_checkable=counts["not_checkable"],
        unrecognized=counts["unrecognized"],
        suppressed=len(ig.suppressed),
        fail_on=Severity.parse(args.fail_on),
        sources=tuple(rs.source for rs in rulesets),
        roles=roles,
        **summary_kwargs,
    )
    if args.format == "text":
        text = gate.format_text(findings, summary, verbose_roles=args.show_roles)
    elif args.format == "json":
        text = gate.format_json(findings, summary, all_rules, version=__version__)
    elif args.format == "sarif":
        text = gate.format_sarif(findings, all_rules, version=__version__)
    elif args.format == "github":
        text = gate.format_github(findings, summary)
    else:
        text = gate.format_junit(findings, summary, all_rules)
    notes = []
    if args.format != "text" or (args.output and args.output != "-"):
        notes.append(f"backendscan check: {gate.summary_line(findings, summary)}")
    strict_fail = args.strict and any(f.rule_id == "rule-matches-nothing" and f.severity is Severity.ERROR for f in findings)
    if strict_fail or exit_extra:
        error = "backendscan: error: " + ("names in the rules match no module (--strict)" if strict_fail else "the baseline lists fixed violations (--strict-baseline); run with --update-baseline")
        return GateOutput(text, 2, tuple(notes), error, not wrote, analyzers)
    gated = [f for f in findings if f.rule_id not in ("rule-matches-nothing", "stale-baseline")]
    return GateOutput(text, 1 if summary.failed(gated) else 0, tuple(notes), "", not wrote, analyzers)
