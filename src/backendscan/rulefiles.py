"""Rules files on disk: which file is the project's, and its ``@path`` include lines (CLAUDE.md's ``@AGENTS.md``).

A Markdown rule file may consist of nothing but ``@AGENTS.md``: Claude Code
reads the named file in its place.  :func:`include_lines` finds the lines whose
whole text is ``@path`` (also as a list item, ``- @docs/rules.md``) outside
code fences; :func:`blank_includes` removes them (keeping line numbers) so the
include line is not compiled as prose.  :func:`expand` follows the includes
from a first file with a reader function, relative to the including file,
depth first, each file once (a loop or a file included twice is read once)
and at most :data:`MAX_DEPTH` levels deep, as Claude Code does.  The parts it
returns carry the path shown in citations (relative to the first file's
folder), so a rule read from ``AGENTS.md`` cites ``AGENTS.md:37``.

Only :func:`expand`'s ``read`` argument touches the disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

MAX_DEPTH = 5

_INCLUDE = re.compile(r"^[ \t]{0,3}(?:[-*+][ \t]+)?@(?P<path>[^\s@`]+)[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Include:
    """One ``@path`` line: where it is written, what it names and what became of it."""

    source: str  # the including file, as cited
    line: int
    target: str  # as written
    status: str  # "included", "missing", "repeated" (loop or already read), "outside" (home folder), "too deep"
    shown: str = ""  # the included file, as cited


def include_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, path) of every ``@path`` line outside code fences."""
    out: list[tuple[int, str]] = []
    fence = ""
    for i, ln in enumerate(text.splitlines(), 1):
        m = _FENCE.match(ln)
        if m:
            mark = m.group(1)
            if not fence:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not ln.strip()[len(mark):].strip():
                fence = ""
            continue
        if fence:
            continue
        m = _INCLUDE.match(ln)
        if m and _looks_like_path(m.group("path")):
            out.append((i, m.group("path")))
    return out


def _looks_like_path(p: str) -> bool:
    """``@AGENTS.md``, ``@docs/rules.md``, ``@~/x.md``; not ``@decorator``-like words or e-mail handles."""
    return "/" in p or "." in p.lstrip(".")


def blank_includes(text: str, lines: list[tuple[int, str]]) -> str:
    """``text`` with the include lines emptied (line numbers kept)."""
    if not lines:
        return text
    drop = {n for n, _ in lines}
    return "".join("\n" if i in drop else ln for i, ln in enumerate(text.splitlines(keepends=True), 1))


def expand(first: Path, read: Callable[[Path], str], text: str | None = None) -> tuple[list[tuple[str, str]], list[Include]]:
    """Parts to compile, ``[(cited name, text)]`` (first file first), and every include line met.

    ``read`` returns a file's text or raises ``OSError``/``UnicodeDecodeError``
    (the include is then ``missing``).  ``text`` is the first file's text when
    the caller has read it already.
    """
    base = first.resolve().parent
    parts: list[tuple[str, str]] = []
    met: list[Include] = []
    seen: set[Path] = set()

    def shown(p: Path) -> str:
        try:
            return p.relative_to(base).as_posix()
        except ValueError:
            return p.as_posix()

    def visit(path: Path, body: str, name: str, depth: int) -> None:
        seen.add(path)
        found = include_lines(body)
        parts.append((name, blank_includes(body, found)))
        for line, target in found:
            if target.startswith("~"):
                met.append(Include(name, line, target, "outside"))
                continue
            child = (path.parent / target.split("#", 1)[0]).resolve()  # `@AGENTS.md#backend`: the file
            child_name = shown(child)
            if child in seen:
                met.append(Include(name, line, target, "repeated", child_name))
                continue
            if depth >= MAX_DEPTH:
                met.append(Include(name, line, target, "too deep", child_name))
                continue
            try:
                child_text = read(child)
            except (OSError, UnicodeDecodeError):
                met.append(Include(name, line, target, "missing", child_name))
                continue
            met.append(Include(name, line, target, "included", child_name))
            visit(child, child_text, child_name, depth + 1)

    start = first.resolve()
    visit(start, read(start) if text is None else text, first.name, 0)
    return parts, met


def project_rules_file(paths: Iterable[str], configured: str = "") -> str | None:
    """The project's rules file among ``paths`` (relative POSIX): the configured one, else the shallowest RULES.md."""
    paths = list(paths)
    wanted = configured or "RULES.md"
    if wanted in paths:
        return wanted
    candidates = sorted((p for p in paths if p.rsplit("/", 1)[-1] == "RULES.md"), key=lambda p: (p.count("/"), p))
    return candidates[0] if candidates else None


def included_texts(root: Path, rules_file: str, texts: Mapping[str, str], read: Callable[[Path], str]) -> dict[str, str]:
    """Every file ``rules_file`` includes (transitively), keyed by its path relative to ``root``.

    ``texts`` holds files already read (the rules file among them); ``read`` reads
    the others.  What is returned is what :func:`expand` over ``texts`` needs.
    """
    first = texts.get(rules_file)
    if first is None or "@" not in first:
        return {}
    got: dict[str, str] = {}

    def reader(path: Path) -> str:
        rel = relative_to_root(root, path)
        if rel in texts:
            return texts[rel]
        body = read(path)
        got[rel] = body
        return body

    expand(root / rules_file, reader, first)
    return got


def relative_to_root(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` as a POSIX string (``../x.md`` for files beside it)."""
    return Path(os.path.relpath(path, root.resolve())).as_posix()
