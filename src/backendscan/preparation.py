"""The project's state before extraction: discovery, configuration, file digests, the project key.

Kept apart from :mod:`backendscan.pipeline` so that a command can learn the
project key (and answer from the cache) without importing what a scan needs:
networkx, the analyzers, the parsers.  ``backendscan check`` on an unchanged
project reads its verdict back this way.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from .cache import Cache, code_version, digest, stored_digests
from .config import Config, load_config
from .discovery import Discovery, discover
from .errors import ConfigError, UsageError
from .model import Finding, Location, Severity, SourceFile
from .rulefiles import included_texts, project_rules_file

if TYPE_CHECKING:
    from .analyzers.base import Analyzer


@dataclass
class Prepared:
    """A project's state before extraction: files, configuration, loaded analyzers and the project key.

    :func:`prepare` computes it from discovery plus one ``stat`` per file (content
    digests come from the cache when size and mtime match); callers may look up
    whole-program results under ``project_key`` before paying for the scan, then pass
    it to :func:`scan`.  The cache stays open until ``close()`` (``scan`` closes it
    when it made the state itself).
    """

    t0: float
    root: Path
    disc: Discovery
    config: Config
    scope: str
    findings: list[Finding]
    loaded: tuple[Analyzer, ...]
    cache: Cache | None
    sources: list[tuple[SourceFile, bytes | None, str]]
    new_digests: list[tuple[str, int, int, str]]
    aux_texts: dict[str, str]
    version: str
    project_key: str
    stages: list[tuple[str, float]]

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def prepare(
    path: str | os.PathLike[str],
    config: Config | None = None,
    *,
    analyzers: Sequence[Analyzer] | None = None,
    scope: str = "full",
    meanwhile: Callable[[], object] | None = None,
) -> Prepared:
    """Discovery, configuration, analyzers, file digests and the project key (see :class:`Prepared`).

    ``meanwhile`` (the report command imports the scan's modules there) is called while a forked
    child reads and hashes the files, and the analyzers are loaded meanwhile too: on saleor,
    0.15 s of the 0.6 s before the workers started, with the machine's other core idle.
    """
    if scope not in ("full", "imports"):
        raise UsageError(f"unknown scan scope {scope!r}")
    t0 = time.perf_counter()
    root = Path(path)
    if not root.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not root.is_dir():
        raise UsageError(f"{path}: not a folder (give the folder that holds the code)")
    findings: list[Finding] = []
    if config is None:
        try:
            config = load_config(root)
        except ConfigError as exc:
            findings.append(
                Finding(
                    rule_id="config-error",
                    severity=Severity.ERROR,
                    message=str(exc).replace(str(root) + "/", ""),
                    location=Location("pyproject.toml"),
                    hint="The scan used default settings.",
                    category="config",
                )
            )
            config = Config()
    stages: list[tuple[str, float]] = []

    disc = discover(root, config)
    t1 = time.perf_counter()
    stages.append(("discovery", t1 - t0))

    # reading and hashing the sources is I/O and C code: with ``meanwhile``, a forked child does it
    # while this process imports the analyzers (and what the caller imports in ``meanwhile``)
    reading = None
    if meanwhile is not None:
        from .forking import Forked

        reading = Forked(_read_sources, disc, config)
        meanwhile()

    if scope != "full":
        loaded: tuple[Analyzer, ...] = ()
    elif analyzers is None:
        from .analyzers.registry import load_analyzers

        loaded, plugin_findings = load_analyzers(config)
        findings.extend(plugin_findings)
    else:
        loaded = tuple(analyzers)

    contents = reading.result() if reading is not None else _read_sources(disc, config)
    sources: list[tuple[SourceFile, bytes | None, str]] = []
    new_digests: list[tuple[str, int, int, str]] = []
    for f, got in zip(disc.files, contents):
        if isinstance(got, str):  # why it could not be read
            findings.append(Finding("read-error", Severity.ERROR, got, Location(f.path)))
            continue
        data, d = got
        sources.append((f, data, d))
        if data is not None and f.mtime_ns:
            new_digests.append((f.path, len(data), f.mtime_ns, d))
    aux_texts = _read_aux(disc, config)
    cache = Cache(_cache_dir(disc, config)) if config.use_cache else None
    t2 = time.perf_counter()
    stages.append(("read", t2 - t1))

    version = code_version()
    # whole-program results (imports, graph, analyzer outputs, built-in checks, reports) are cached
    # per project state: the same files, configuration, analyzers, code version and auxiliary files
    # give the same results
    project_key = _project_key(version, config, sources, aux_texts, scope, tuple(analyzer_identity(a) for a in loaded))
    return Prepared(
        t0, root, disc, config, scope, findings, tuple(loaded), cache, sources, new_digests, aux_texts, version, project_key, stages
    )


def _read_sources(disc: Discovery, config: Config) -> list[tuple[bytes | None, str] | str]:
    """Per discovered file (I/O at the edge): its bytes and content digest, (None, digest) when its
    size and mtime match the cache's record of it (the digest is known), or why it cannot be read.

    Plain values only, so that a forked child can hand them back quickly (the files
    themselves would cost as much to pickle as to discover again)."""
    known = stored_digests(_cache_dir(disc, config)) if config.use_cache else {}
    out: list[tuple[bytes | None, str] | str] = []
    base = os.path.join(disc.root, "")  # plain strings: a Path per file was a third of reading saleor's 4,329
    for f in disc.files:
        hit = known.get(f.path)
        if hit is not None and f.mtime_ns and hit[0] == f.size and hit[1] == f.mtime_ns:
            out.append((None, hit[2]))
            continue
        try:
            with open(base + f.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            out.append(f"cannot read file: {exc.strerror or exc}")
            continue
        out.append((data, digest(data)))
    return out


def analyzer_identity(analyzer: "Analyzer") -> str:
    """An analyzer's name plus, for a plugin, a digest of the source file of its class.

    Our own analyzers change with backendscan's code (the code version is in the key);
    a third-party plugin upgraded in place must not keep serving results its old
    version computed.
    """
    cls = type(analyzer)
    if cls.__module__.split(".", 1)[0] == "backendscan":
        return analyzer.name
    import hashlib
    import inspect

    try:
        path = inspect.getsourcefile(cls) or inspect.getfile(cls)
        body = Path(path).read_bytes()
    except (OSError, TypeError):
        body = repr((cls.__module__, cls.__qualname__, getattr(analyzer, "version", ""))).encode()
    return f"{analyzer.name}@{hashlib.blake2b(body, digest_size=8).hexdigest()}"


def _project_key(
    version: str,
    config: Config,
    sources: Sequence[tuple[SourceFile, bytes | None, str]],
    aux: Mapping[str, str],
    scope: str,
    analyzers: tuple[str, ...] = (),
) -> str:
    """Identity of the whole-program state: code, configuration, analyzers, every file's content and kind."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{version}\x1f{scope}\x1f{config!r}\x1f{','.join(analyzers)}".encode("utf-8", "replace"))
    for f, _, d in sorted(sources, key=lambda t: t[0].path):
        h.update(f"\x1e{f.path}\x1f{f.module}\x1f{f.kind.value}\x1f{d}".encode("utf-8", "replace"))
    for path in sorted(aux):
        h.update(f"\x1d{path}\x1f".encode("utf-8", "replace"))
        h.update(aux[path].encode("utf-8", "replace"))
    return h.hexdigest()



def _cache_dir(disc: Discovery, config: Config) -> Path:
    """The cache folder: configured, else ``.backendscan_cache`` in the scanned folder.

    An installed package (package mode) or a read-only folder gets a per-path
    folder under the user cache instead, so scanning never writes into it.
    """
    p = Path(config.cache_dir)
    if p.is_absolute():
        return p
    if config.cache_dir != Config().cache_dir or (not disc.package_mode and os.access(disc.root, os.W_OK)):
        return disc.root / p
    import hashlib

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backendscan"
    return base / hashlib.blake2b(str(disc.root).encode(), digest_size=8).hexdigest()


def _read_aux(disc: Discovery, config: Config) -> dict[str, str]:
    """Configuration and deployment files, plus the files the rules file includes (``@docs/rules.md``).

    Included rule files are read here, with the others, so that they are part of the
    project key: editing one changes the report's RULES.md section like editing RULES.md.
    """
    out: dict[str, str] = {}
    for rel in disc.aux_files:
        try:
            out[rel] = (disc.root / rel).read_text("utf-8", errors="replace")
        except OSError:
            continue
    rules = project_rules_file(out, config.rules)
    if rules is not None and "@" in out[rules]:
        out.update(included_texts(disc.root, rules, out, lambda p: p.read_text("utf-8")))
    return out


