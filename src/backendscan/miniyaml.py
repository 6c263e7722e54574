"""A small, forgiving YAML reader for deployment files (compose, Kubernetes, app specs).

It reads the block subset those files use (mappings, sequences, plain and quoted
scalars, one-line flow lists and maps, ``---`` documents, comments, block scalars)
and keeps the 1-based line of every key and item, so report evidence can point at
``file:line``.  Anchors, aliases, tags and multi-line flow collections are kept as
text.  It never raises: a line it does not understand is skipped.  We do not
depend on PyYAML because a scan must not need the scanned project's tools, and a
real YAML loader gives no line numbers.
"""

from __future__ import annotations

import re
from typing import Any


class YMap(dict):  # type: ignore[type-arg]
    """A mapping with the line of each key (``lines[key]``) and of the mapping itself."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class YSeq(list):  # type: ignore[type-arg]
    """A sequence with the line of each item (``lines[i]``)."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


_KEY_RE = re.compile(r"""^(?P<key>"[^"]*"|'[^']*'|[^\s#'"{\[][^:#]*?|\S[^:]*?)\s*:(?:\s+(?P<rest>.*)|$)""")


def _strip_comment(text: str) -> str:
    out = []
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def scalar(text: str) -> Any:
    """A plain or quoted scalar, or a one-line flow list/map (as Python values)."""
    t = text.strip()
    if not t:
        return ""
    if t[0] in "'\"" and len(t) >= 2 and t[-1] == t[0]:
        return t[1:-1]
    if t.startswith("[") and t.endswith("]"):
        return [scalar(p) for p in _split_flow(t[1:-1]) if p.strip()]
    if t.startswith("{") and t.endswith("}"):
        out: dict[str, Any] = {}
        for part in _split_flow(t[1:-1]):
            k, sep, v = part.partition(":")
            if sep:
                out[str(scalar(k))] = scalar(v)
        return out
    if t.startswith(("&", "*", "!")):  # anchor / alias / tag: keep the text after it
        parts = t.split(None, 1)
        return scalar(parts[1]) if len(parts) > 1 else t
    return t


def _split_flow(text: str) -> list[str]:
    parts, depth, quote, cur = [], 0, "", []
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


def load_all(text: str) -> list[Any]:
    """Every document of ``text`` (``---`` separated) as YMap/YSeq/scalars; [] when empty."""
    docs: list[list[tuple[int, int, str]]] = [[]]
    block_indent = -1
    for number, raw in enumerate(text.splitlines(), 1):
        if block_indent >= 0:
            indent = len(raw) - len(raw.lstrip(" "))
            if not raw.strip() or indent > block_indent:
                continue
            block_indent = -1
        stripped = raw.strip()
        if stripped.startswith("---"):
            docs.append([])
            continue
        if stripped == "..." or not stripped or stripped.startswith("#") or stripped.startswith("%"):
            continue
        line = _strip_comment(raw.replace("\t", "  "))
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        docs[-1].append((number, indent, line.strip()))
        if re.search(r":\s*[|>][-+0-9]*$", line) or line.strip() in ("|", ">", "- |", "- >"):
            block_indent = indent
    out = []
    for lines in docs:
        if lines:
            value, _ = _parse(lines, 0, lines[0][1])
            out.append(value)
    return out


def _parse(lines: list[tuple[int, int, str]], i: int, indent: int) -> tuple[Any, int]:
    """Parse the block starting at ``lines[i]`` whose items sit at ``indent``."""
    number, _, text = lines[i]
    if text.startswith("- ") or text == "-":
        return _parse_seq(lines, i, indent)
    if _KEY_RE.match(text):
        return _parse_map(lines, i, indent)
    return scalar(text), i + 1


def _value_after(lines: list[tuple[int, int, str]], i: int, indent: int, rest: str) -> tuple[Any, int]:
    """The value of a key or item whose inline text is ``rest`` (block below when empty)."""
    if rest and not re.fullmatch(r"[|>][-+0-9]*", rest) and not (rest.startswith(("&", "!")) and len(rest.split()) == 1):
        return scalar(rest), i + 1
    if rest and re.fullmatch(r"[|>][-+0-9]*", rest):
        return "", i + 1  # block scalar: content skipped by load_all
    j = i + 1
    if j < len(lines) and (lines[j][1] > indent or (lines[j][1] == indent and lines[j][2].startswith("- "))):
        return _parse(lines, j, lines[j][1])
    return None, j


def _parse_map(lines: list[tuple[int, int, str]], i: int, indent: int) -> tuple[YMap, int]:
    out = YMap(lines[i][0])
    while i < len(lines) and lines[i][1] == indent:
        number, _, text = lines[i]
        m = _KEY_RE.match(text)
        if not m or text.startswith("- "):
            break
        key = str(scalar(m.group("key")))
        value, i = _value_after(lines, i, indent, (m.group("rest") or "").strip())
        out[key] = value
        out.lines[key] = number
        while i < len(lines) and lines[i][1] > indent:  # junk deeper than expected
            i += 1
    return out, i


def _parse_seq(lines: list[tuple[int, int, str]], i: int, indent: int) -> tuple[YSeq, int]:
    out = YSeq(lines[i][0])
    while i < len(lines) and lines[i][1] == indent and (lines[i][2].startswith("- ") or lines[i][2] == "-"):
        number, _, text = lines[i]
        rest = text[1:].strip()
        if rest and _KEY_RE.match(rest):
            # "- key: value" starts a mapping whose keys sit at indent + 2
            inner_indent = indent + (len(text) - len(rest))
            sub = [(number, inner_indent, rest)]
            j = i + 1
            while j < len(lines) and lines[j][1] > indent:
                sub.append(lines[j])
                j += 1
            value, _ = _parse_map(sub, 0, inner_indent)
            i = j
        else:
            value, i = _value_after(lines, i, indent, rest)
        out.append(value)
        out.lines.append(number)
    return out, i
