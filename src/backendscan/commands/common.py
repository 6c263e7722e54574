"""Options and helpers shared by the sub-commands: scan options, progress, writing output."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Sequence, TextIO

from typing import TYPE_CHECKING

from ..config import Config, load_config, load_config_file
from ..errors import ConfigError, UsageError

if TYPE_CHECKING:
    from ..pipeline import ScanResult


#: objects left for the process's end: a list when the console script exits fast
#: (:func:`backendscan.cli.exit_now`), None when the commands run inside another program
KEPT: list[object] | None = None


def keep_until_exit(*objects: object) -> None:
    """Leave ``objects`` alive until the console script ends, so that they are never freed one
    by one (see :func:`backendscan.cli.exit_now`); does nothing when the CLI runs in-process."""
    if KEPT is not None:
        KEPT.extend(objects)


def add_scan_options(p: argparse.ArgumentParser) -> None:
    """PATH plus the options every scanning command takes."""
    p.add_argument("path", help="folder to scan (a repository root, a project folder or a package)")
    p.add_argument("--include-tests", action="store_true", default=None, help="put test modules in the graph")
    p.add_argument("--include-migrations", action="store_true", default=None, help="put migration modules in the graph")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the per-file cache")
    p.add_argument("--cache-dir", help="cache folder (default: .backendscan_cache in the scanned folder)")
    p.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")
    p.add_argument("--no-metrics", action="store_true", help="skip radon metrics")
    p.add_argument("--exclude-type-checking", action="store_true", default=None, help="leave TYPE_CHECKING imports out of the graph")
    p.add_argument(
        "--config",
        help="read [tool.backendscan] from this TOML file instead of PATH/pyproject.toml "
        "(useful for scanning an installed package: roots, excludes, ... )",
    )


def config_for(args: argparse.Namespace) -> tuple[Config, list[str]]:
    """Configuration from pyproject plus command-line overrides; config problems are returned, not raised."""
    root = Path(args.path)
    if not root.exists():
        raise UsageError(f"{args.path}: no such file or directory")
    problems: list[str] = []
    if getattr(args, "config", None):
        # an explicit config file must be valid: errors are usage errors (exit 2)
        config = load_config_file(Path(args.config))
    else:
        try:
            config = load_config(root) if root.is_dir() else Config()
        except ConfigError as exc:
            problems.append(str(exc))
            config = Config()
    config = config.with_overrides(
        include_tests=args.include_tests,
        include_migrations=args.include_migrations,
        use_cache=False if args.no_cache else None,
        cache_dir=args.cache_dir,
        jobs=args.jobs,
        metrics=False if getattr(args, "no_metrics", False) else None,
        exclude_type_checking=args.exclude_type_checking,
    )
    return config, problems


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal and not quiet."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < 200:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(f"\r{stage:>8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True
        if done >= total:
            self.stream.write("\r" + " " * (width + 40) + "\r")
            self.stream.flush()


def run_scan(args: argparse.Namespace, scope: str = "full", facts: str = "") -> "ScanResult":
    """Scan ``args.path`` with the command-line configuration (see :func:`backendscan.pipeline.scan`).

    ``facts`` ("routes", "models" or "tasks") runs only the analyzers that provide
    those facts: a listing does not pay for the others.
    """
    from ..analyzers.registry import analyzers_providing
    from ..pipeline import scan

    config, problems = config_for(args)
    if facts:
        wanted = analyzers_providing(facts, config)
        config = config.with_overrides(analyzers=wanted)
    progress = Progress(not getattr(args, "quiet", False))
    result = scan(args.path, config if not problems else None, progress=progress, scope=scope)
    keep_until_exit(result)
    return result


def write_output(text: str, output: str | None, default_name: str | None = None) -> str:
    """Write ``text`` to a file (or a folder + default name), or stdout when no output is given."""
    if not output or output == "-":
        sys.stdout.write(text)
        return "-"
    target = Path(output)
    if (target.is_dir() or output.endswith("/")) and default_name:
        target.mkdir(parents=True, exist_ok=True)
        target = target / default_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return str(target)


def info(args: argparse.Namespace, message: str) -> None:
    """A status line on stderr unless -q."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def as_table(headers: list[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned text table."""
    cols = [headers] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cols) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in cols[1:]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines) + "\n"
