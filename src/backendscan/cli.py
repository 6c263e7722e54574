"""The ``backendscan`` command line: arguments, writing output, exit codes; nothing else.

Exit codes: 0 ok (or no violation at the gate's threshold), 1 violations
(``check``), 2 usage / configuration / RULES.md errors, 3 internal error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence

from . import __version__
from .errors import BackendscanError

COMMAND_MODULES = ("report", "graph", "listing", "check", "rules")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backendscan",
        description="Static architecture scanner for Python backends (nothing is imported or run).",
    )
    parser.add_argument("--version", action="version", version=f"backendscan {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="no progress or status output")
    common.add_argument("-v", "--verbose", action="count", default=0, help="log what happens (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f".commands.{name}", __package__)
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (never calls sys.exit itself)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.func(args))
    except BackendscanError as exc:
        print(f"backendscan: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("backendscan: interrupted", file=sys.stderr)
        return 3
    except BrokenPipeError:
        return 0
    except Exception as exc:  # internal error
        if args.verbose:
            import traceback

            traceback.print_exc()
        print(f"backendscan: internal error: {exc.__class__.__name__}: {exc} (run with -v for details)", file=sys.stderr)
        return 3


def entry() -> None:  # pragma: no cover - console script shim
    from .commands import common

    common.KEPT = []
    code = main()
    exit_now(code)


def exit_now(code: int) -> None:
    """End the process without tearing down its objects: the console script's exit.

    A report holds millions of objects (records, symbol tables, the graph, the view
    model); freeing them one by one and then tearing down the interpreter took
    0.3 s on saleor after the last file was written.  The commands hand them to
    :func:`backendscan.commands.common.keep_until_exit` instead, and this flushes the
    standard streams and the log handlers and leaves through ``os._exit``, as mypy
    does.  Every file has been written and closed by then; the cache is closed by
    the commands.  ``main()`` (the library-style entry tests call) keeps the normal
    exit.
    """
    import os

    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # a closed pipe or stream: nothing more to say
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    logging.shutdown()
    os._exit(code)
