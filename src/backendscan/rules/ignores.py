"""Inline suppressions: ``# backendscan: ignore[rule-id] reason``.

An ignore comment suppresses findings of the named rules (comma separated,
``*`` for any) on its own line, or on the next line when the comment stands
alone on its line.  A reason is required: an ignore without one suppresses
nothing and is itself an ``ignore-without-reason`` finding; an ignore that
suppresses nothing is an ``unused-ignore`` warning (tach's
``require_ignore_directive_reasons`` and ``unused_ignore_directives``).
Ignores of the fenced block (``[[ignore]] rule, path, reason``) work on whole
files.  Comments are read by the command layer (they are not in the syntax
tree); this module only matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Iterable, Mapping, Sequence

from ..model import Finding, Location, Severity

IGNORE_RE = re.compile(r"backendscan\s*:\s*ignore\s*(?:\[(?P<ids>[^\]]*)\])?\s*[:\-—]?\s*(?P<reason>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Ignore:
    """One inline ignore comment."""

    path: str
    line: int  # the line the comment is on
    applies_to: int  # the line whose findings it suppresses
    rules: tuple[str, ...]  # rule ids, or ("*",)
    reason: str


def parse_ignores(path: str, comments: Mapping[int, str], code_lines: Iterable[int] = ()) -> list[Ignore]:
    """Ignores from the comments of one file (line -> comment text without ``#``).

    ``code_lines`` are lines that hold code; a comment on any other line applies
    to the next line.
    """
    code = set(code_lines)
    out = []
    for line, text in sorted(comments.items()):
        m = IGNORE_RE.search(text)
        if not m:
            continue
        ids = tuple(i.strip() for i in (m.group("ids") or "*").split(",") if i.strip()) or ("*",)
        applies = line if (not code or line in code) else line + 1
        out.append(Ignore(path, line, applies, ids, m.group("reason").strip()))
    return out


def _matches(ig: Ignore, f: Finding) -> bool:
    return f.location.line == ig.applies_to and ("*" in ig.rules or f.rule_id in ig.rules)


@dataclass(frozen=True)
class IgnoreOutcome:
    """Findings left, findings suppressed, and problems with the ignores themselves."""

    kept: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    problems: tuple[Finding, ...]


def apply_ignores(
    findings: Sequence[Finding],
    ignores: Sequence[Ignore],
    file_ignores: Sequence[tuple[str, str, str]] = (),
) -> IgnoreOutcome:
    """Suppress findings by inline ignores (with reasons) and by the fenced block's file ignores."""
    by_path: dict[str, list[Ignore]] = {}
    for ig in ignores:
        by_path.setdefault(ig.path, []).append(ig)
    used: set[Ignore] = set()
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for f in findings:
        hit = None
        for ig in by_path.get(f.location.path, ()):
            if ig.reason and _matches(ig, f):
                hit = ig
                break
        if hit is None:
            for rule, pattern, reason in file_ignores:
                if reason and (rule in ("*", f.rule_id)) and (fnmatchcase(f.location.path, pattern) or f.location.path == pattern):
                    hit = Ignore(f.location.path, 0, 0, (rule,), reason)
                    break
        if hit is not None:
            used.add(hit)
            suppressed.append(f)
        else:
            kept.append(f)
    problems: list[Finding] = []
    for ig in ignores:
        loc = Location(ig.path, ig.line)
        if not ig.reason:
            problems.append(
                Finding(
                    "ignore-without-reason",
                    Severity.ERROR,
                    f"`backendscan: ignore[{', '.join(ig.rules)}]` has no reason, so it suppresses nothing",
                    loc,
                    symbol=f"{ig.path}:ignore:{','.join(ig.rules)}",
                    hint="Write why, e.g. `# backendscan: ignore[ban-requests] the probe must not use our client`.",
                    category="rules",
                )
            )
        elif ig not in used:
            problems.append(
                Finding(
                    "unused-ignore",
                    Severity.WARNING,
                    f"`backendscan: ignore[{', '.join(ig.rules)}]` suppresses nothing on line {ig.applies_to}",
                    loc,
                    symbol=f"{ig.path}:unused-ignore:{','.join(ig.rules)}",
                    hint="Remove it, or fix the rule id.",
                    category="rules",
                )
            )
    return IgnoreOutcome(tuple(kept), tuple(suppressed), tuple(problems))
