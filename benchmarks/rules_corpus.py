"""Compile a corpus of real rule files (CLAUDE.md, AGENTS.md, .cursorrules...) and count outcomes.

Usage::

    python benchmarks/rules_corpus.py /work/rules-corpus/files            # Markdown table of counts per file
    python benchmarks/rules_corpus.py /work/rules-corpus/files --show unrecognized   # the clauses themselves (local use)

The corpus itself stays outside the repository; only counts go into
benchmarks/results/rules.md.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

from backendscan.rules.compiler import compile_rules


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--show", choices=["unrecognized", "not_checkable", "compiled"], help="print the clauses with this status")
    ap.add_argument("--kinds", action="store_true", help="count compiled rule kinds and not-checkable reasons")
    args = ap.parse_args(argv)
    files = sorted(p for p in Path(args.folder).iterdir() if p.is_file())
    rows = []
    totals: dict[str, collections.Counter[str]] = {"real": collections.Counter(), "template": collections.Counter()}
    kinds: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    for f in files:
        text = f.read_text("utf-8", errors="replace")
        rs = compile_rules(text, f.name)
        c = rs.counts()
        num = re.match(r"(\d+)", f.name)
        group = "template" if num and int(num.group(1)) >= 90 else "real"
        totals[group].update(c)
        totals[group]["rules"] += len(rs.rules)
        totals[group]["files"] += 1
        rows.append((f.name[:2], c["compiled"], c["not_checkable"], c["unrecognized"], len(rs.rules), group))
        for e in rs.entries:
            if e.status == "compiled":
                kinds[e.kind] += 1
            elif e.status == "not_checkable":
                reasons[e.kind] += 1
            if args.show and e.status == args.show:
                extra = f"  => {e.suggestion}" if e.suggestion else (f"  [{e.kind}] {e.reason}" if args.show != "compiled" else "  " + "; ".join(r.id for r in e.rules))
                print(f"{f.name[:2]}:{e.line}: {e.text[:160]}{extra}")
    if args.show:
        return 0
    print("| file | compiled | not_checkable | unrecognized | rules |")
    print("|---|---:|---:|---:|---:|")
    for name, comp, nc, un, nrules, group in rows:
        print(f"| {name}{' (template)' if group == 'template' else ''} | {comp} | {nc} | {un} | {nrules} |")
    for group, c in totals.items():
        n = c["compiled"] + c["not_checkable"] + c["unrecognized"]
        if not n:
            continue
        print(
            f"| **{group} ({c['files']} files)** | {c['compiled']} ({100 * c['compiled'] / n:.0f} %) | {c['not_checkable']} ({100 * c['not_checkable'] / n:.0f} %) "
            f"| {c['unrecognized']} ({100 * c['unrecognized'] / n:.0f} %) | {c['rules']} |"
        )
    if args.kinds:
        print("\ncompiled kinds:", dict(kinds.most_common()))
        print("not checkable reasons:", dict(reasons.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
