"""``backendscan rules explain|infer``: what a rules file compiles to, and a draft that holds today.

``rules explain RULES.md [--project PATH]`` prints, line by line, what each
statement became: the canonical rule (and, with a project, the modules its
names resolved to), or why it is not checkable, or the closest phrasing that
would compile.  Exit 2 when the file cannot be read or its fenced block is
invalid; prose never fails.

``rules infer PATH`` writes a RULES.md draft (prose plus a fenced block) of
layers, independent packages and acyclicity that hold on today's code, with
the smallest set of imports to remove for each import cycle.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import RulesError, UsageError
from .common import add_scan_options, config_for, info, write_output


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("rules", parents=[common], help="explain a rules file, or draft one from the code", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    rsub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    rsub.required = True
    e = rsub.add_parser("explain", parents=[common], help="show what each statement of a rules file compiles to")
    e.add_argument("file", help="RULES.md (or an import-linter configuration)")
    e.add_argument("--project", help="resolve the names against this project")
    e.add_argument("--format", default="text", choices=["text", "json"])
    e.add_argument("-o", "--output", help="output file (default: stdout)")
    e.set_defaults(func=run_explain)
    i = rsub.add_parser("infer", parents=[common], help="draft a RULES.md that holds on today's code")
    add_scan_options(i)
    i.add_argument("--depth", type=int, default=0, help="package depth of the layers (default: 2 for one top package, else 1)")
    i.add_argument("-o", "--output", help="output file (default: stdout)")
    i.set_defaults(func=run_infer, no_metrics=True)


def run_explain(args: argparse.Namespace) -> int:
    from ..rules.explain import explain_data, explain_text
    from .check import load_rules_file

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{args.file}: no such rules file")
    rs = load_rules_file(path)
    resolver = None
    if args.project:
        from ..config import Config
        from ..pipeline import scan
        from ..rules.checks import Context, input_from_scan

        proj = Path(args.project)
        if not proj.is_dir():
            raise UsageError(f"{args.project}: not a folder")
        ns = argparse.Namespace(path=str(proj), include_tests=None, include_migrations=None, no_cache=False, cache_dir=None, jobs=None, no_metrics=True, exclude_type_checking=None)
        config, problems = config_for(ns)
        result = scan(proj, config.with_overrides(metrics=False) if not problems else Config(metrics=False))
        resolver = Context(rs, input_from_scan(result)).resolver
    if args.format == "json":
        text = json.dumps(explain_data([rs], resolver), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        text = explain_text([rs], resolver)
    write_output(text, args.output)
    if rs.problems:
        raise RulesError("the rules cannot be compiled", rs.problems)
    return 0


def run_infer(args: argparse.Namespace) -> int:
    from ..pipeline import scan
    from ..rules.infer import infer_rules

    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    config, problems = config_for(args)
    result = scan(args.path, config.with_overrides(metrics=False) if not problems else None)
    text = infer_rules(result, args.depth)
    written = write_output(text, args.output)
    if written != "-":
        info(args, f"backendscan: wrote a rules draft to {written}")
    return 0
