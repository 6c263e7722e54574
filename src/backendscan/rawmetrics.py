"""radon's raw metrics (LOC, LLOC, SLOC, comments, multi, blank), computed in one tokenizer pass.

``radon.raw.analyze`` re-tokenizes a growing buffer of lines until it forms a
complete statement, which is quadratic in the length of multi-line statements
(40x slower than parsing on real code: 35 s for 800 saleor files).  This module
reproduces its definitions exactly from a single ``tokenize`` pass over the
file: radon's "chunks" (the shortest runs of stripped lines that tokenize on
their own) are the logical lines that end in a NEWLINE token, plus every
blank or comment-only line outside brackets.  Per chunk the counting rules are
radon's own, quirks included (the colon rule of ``_logical``, strings alone on
a chunk counted as docstrings).  Files with characters on which
``str.splitlines`` and the tokenizer disagree about line breaks fall back to
radon.  Equality with radon is tested on every fixture file and on random
programs, and measured on django and saleor in ``benchmarks/``.
"""

from __future__ import annotations

import io
import tokenize
from typing import NamedTuple

_ODD_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r")
_COMMENT = tokenize.COMMENT
_STRING = tokenize.STRING
_NL = tokenize.NL
_NEWLINE = tokenize.NEWLINE
_EM = tokenize.ENDMARKER
_OP = tokenize.OP
_SKIP = (tokenize.INDENT, tokenize.DEDENT)
_OPEN = "([{"
_CLOSE = ")]}"


class RawCounts(NamedTuple):
    """The fields of ``radon.raw.Module``."""

    loc: int
    lloc: int
    sloc: int
    comments: int
    multi: int
    blank: int
    single_comments: int


def _logical(tokens: list[tuple[int, str]]) -> int:
    """radon.raw._logical on (type, string) pairs."""
    total = 0
    sub: list[tuple[int, str]] = []
    subs = [sub]
    for t in tokens:
        if t[0] == _OP and t[1] == ";":
            sub = []
            subs.append(sub)
        else:
            sub.append(t)
    for part in subs:
        processed = [t for t in part if t[0] not in (_COMMENT, _NL, _NEWLINE)]
        pos = -1
        for i in range(len(processed) - 1, -1, -1):
            if processed[i][0] == _OP and processed[i][1] == ":":
                pos = i
                break
        if pos >= 0:
            total += 2 - (pos == len(processed) - 2)
        elif any(t[0] not in (_NL, _NEWLINE, _EM) for t in processed):
            total += 1
    return total


def raw_counts(text: str) -> RawCounts:
    """radon.raw.analyze(text), computed in one pass (see the module docstring)."""
    if any(ch in text for ch in _ODD_BREAKS):
        return _radon(text)
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _radon(text)
    lines = text.splitlines()
    stripped_empty = [not line.strip() for line in lines]
    lloc = comments = single_comments = multi = blank = sloc = 0
    depth = 0
    chunk: list[tuple[int, str]] = []
    first_row = 1
    start_rows: list[int] = []
    end_rows: list[int] = []
    n_lines = len(lines)
    for tok in toks:
        ttype = tok[0]
        if ttype in _SKIP or ttype == _EM:
            continue
        if ttype == _OP:
            s = tok[1]
            if s in _OPEN:
                depth += 1
            elif s in _CLOSE:
                depth -= 1
        chunk.append((ttype, tok[1]))
        start_rows.append(tok[2][0])
        end_rows.append(tok[3][0])
        if ttype == _NEWLINE or (ttype == _NL and depth <= 0):
            last_row = tok[2][0]
            if last_row > n_lines:  # the implicit NEWLINE after a last line without "\n"
                last_row = n_lines
            rows = range(first_row, last_row + 1)
            chunk.append((_EM, ""))
            comments += sum(1 for t in chunk if t[0] == _COMMENT)
            kinds = [t[0] for t in chunk]
            if kinds[0] == _COMMENT and all(k in (_EM, _NL, _NEWLINE) for k in kinds[1:]):
                single_comments += 1
            elif kinds[0] == _STRING and all(k in (_EM, _NL, _NEWLINE) for k in kinds[1:]):
                if start_rows[0] == end_rows[0]:
                    single_comments += 1
                else:
                    for r in rows:
                        if stripped_empty[r - 1]:
                            blank += 1
                        else:
                            multi += 1
            else:
                for r in rows:
                    if r - 1 < n_lines and stripped_empty[r - 1]:
                        blank += 1
                    else:
                        sloc += 1
            lloc += _logical(chunk)
            chunk = []
            start_rows = []
            end_rows = []
            first_row = last_row + 1
            depth = 0
    for r in range(first_row, n_lines + 1):  # trailing whitespace-only lines emit no token
        if stripped_empty[r - 1]:
            blank += 1
        else:  # pragma: no cover - the tokenizer always ends a non-blank line
            return _radon(text)
    loc = sloc + blank + multi + single_comments
    return RawCounts(loc, lloc, sloc, comments, multi, blank, single_comments)


def _radon(text: str) -> RawCounts:
    from radon.raw import analyze

    m = analyze(text)
    return RawCounts(m.loc, m.lloc, m.sloc, m.comments, m.multi, m.blank, m.single_comments)
