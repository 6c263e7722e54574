"""Baselines: adopt rules on code that already breaks them.

A baseline is a JSON file of the violations known when it was written, keyed
by finding fingerprint (rule, path, symbol; never the line), with a count for
violations that share a fingerprint.  :func:`apply_baseline` splits current
findings into new and known ones and lists the stale entries (fixed
violations); :func:`shrunk` is the baseline without them, so it only ever
shrinks (ArchUnit's freeze).  Pure functions: the command layer reads and
writes the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ..errors import ConfigError
from ..model import Finding

VERSION = 1


@dataclass(frozen=True)
class BaselineEntry:
    """Known violations with one fingerprint."""

    fingerprint: str
    rule_id: str
    path: str
    symbol: str
    message: str
    count: int = 1


@dataclass(frozen=True)
class Baseline:
    """Known violations by fingerprint."""

    entries: Mapping[str, BaselineEntry]

    @property
    def size(self) -> int:
        return sum(e.count for e in self.entries.values())


@dataclass(frozen=True)
class BaselineOutcome:
    """Current findings split against a baseline."""

    new: tuple[Finding, ...]
    known: tuple[Finding, ...]
    stale: tuple[BaselineEntry, ...]  # count = how many of that fingerprint were fixed


def baseline_of(findings: Iterable[Finding]) -> Baseline:
    """A baseline holding ``findings``."""
    entries: dict[str, BaselineEntry] = {}
    for f in findings:
        fp = f.fingerprint
        e = entries.get(fp)
        if e is None:
            entries[fp] = BaselineEntry(fp, f.rule_id, f.location.path, f.symbol, f.message, 1)
        else:
            entries[fp] = BaselineEntry(fp, e.rule_id, e.path, e.symbol, e.message, e.count + 1)
    return Baseline(dict(sorted(entries.items())))


def apply_baseline(findings: Sequence[Finding], baseline: Baseline) -> BaselineOutcome:
    """New findings (not in the baseline, or more of them than it knows) and stale entries."""
    left = {fp: e.count for fp, e in baseline.entries.items()}
    new: list[Finding] = []
    known: list[Finding] = []
    for f in findings:
        fp = f.fingerprint
        if left.get(fp, 0) > 0:
            left[fp] -= 1
            known.append(f)
        else:
            new.append(f)
    stale = tuple(
        BaselineEntry(e.fingerprint, e.rule_id, e.path, e.symbol, e.message, left[fp])
        for fp, e in sorted(baseline.entries.items())
        if left.get(fp, 0) > 0
    )
    return BaselineOutcome(tuple(new), tuple(known), stale)


def shrunk(baseline: Baseline, outcome: BaselineOutcome) -> Baseline:
    """The baseline without the violations that were fixed."""
    fixed = {e.fingerprint: e.count for e in outcome.stale}
    entries = {}
    for fp, e in baseline.entries.items():
        count = e.count - fixed.get(fp, 0)
        if count > 0:
            entries[fp] = BaselineEntry(fp, e.rule_id, e.path, e.symbol, e.message, count)
    return Baseline(entries)


def dumps(baseline: Baseline) -> str:
    """Deterministic JSON text of a baseline."""
    data = {
        "version": VERSION,
        "tool": "backendscan",
        "violations": [
            {"fingerprint": e.fingerprint, "rule": e.rule_id, "path": e.path, "symbol": e.symbol, "message": e.message, "count": e.count}
            for e in sorted(baseline.entries.values(), key=lambda e: (e.path, e.rule_id, e.symbol, e.fingerprint))
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def loads(text: str, source: str = "baseline") -> Baseline:
    """Read a baseline; a malformed file is a ConfigError (exit code 2)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: not a baseline file (invalid JSON: {exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("violations"), list):
        raise ConfigError(f"{source}: not a backendscan baseline (no 'violations' list)")
    entries: dict[str, BaselineEntry] = {}
    problems = []
    for i, v in enumerate(data["violations"]):
        if not isinstance(v, dict) or not isinstance(v.get("fingerprint"), str):
            problems.append(f"entry {i + 1}: needs a 'fingerprint'")
            continue
        count = v.get("count", 1)
        if not isinstance(count, int) or count < 1:
            problems.append(f"entry {i + 1}: 'count' must be a positive integer")
            continue
        fp = v["fingerprint"]
        prev = entries.get(fp)
        entries[fp] = BaselineEntry(fp, str(v.get("rule", "")), str(v.get("path", "")), str(v.get("symbol", "")), str(v.get("message", "")), count + (prev.count if prev else 0))
    if problems:
        raise ConfigError(f"{source}: invalid baseline", tuple(problems))
    return Baseline(dict(sorted(entries.items())))
