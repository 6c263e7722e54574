"""radon's raw metrics (LOC, LLOC, SLOC, comments, multi, blank), computed in one scan.

``radon.raw.analyze`` re-tokenizes a growing buffer of lines until it forms a
complete statement, which is quadratic in the length of multi-line statements
(40x slower than parsing on real code: 35 s for 800 saleor files).  This module
reproduces its definitions exactly from one scan of the file's tokens: radon's
"chunks" (the shortest runs of stripped lines that tokenize on their own) are
the logical lines that end in a NEWLINE token, plus every blank or
comment-only line outside brackets.  Per chunk the counting rules are radon's
own, quirks included (the colon rule of ``_logical``, strings alone on a chunk
counted as docstrings).  Files with characters on which ``str.splitlines`` and
the tokenizer disagree about line breaks fall back to radon.

The counts need far less than the tokens: per chunk whether it has tokens,
where its last ``:`` is and whether zero, one or more tokens follow it, plus
brackets, ``;``, comments, strings and line breaks.  So the fast path is one
regex scan (``_SCAN``) whose matches are mostly whole *runs*: a first token
(or a colon and the token after it), then everything up to the next colon,
comment, backslash or unpaired bracket (names, numbers, operators, one-line
strings, bracket pairs closed on the line), often with the line break that
ends the run.  Which named (empty) group closed last tells the loop what the
match did: one token or more, the change in bracket depth, whether it started
with a colon, and whether a line break, an opening bracket and a line break,
or a colon and a line break end it.  Only the first token of a run is matched
token by token (a string alone on its chunk is a docstring, ``rb'x'`` is one
token); the rest is matched by character classes that cannot end inside a
token.  That makes 4.5 to 6 times fewer matches than tokens, and 5 to 6 times
less CPU than the previous token-by-token regex scan (and 10x less than
``tokenize``); anything the scan does not model goes through ``tokenize`` (and
from there to radon if the tokenizer fails).  Equality with
radon is tested on every fixture file and on random programs, and measured on
real projects in ``benchmarks/compare_rawmetrics.py``.
"""

from __future__ import annotations

import io
import re
import sys
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
_OPEN = frozenset("([{")
_CLOSE = frozenset(")]}")


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


# --- the run scan ---
#
# The reference is a token-by-token scan that, at each position, takes the first of: a
# comment, a string (tokenize's prefixes, then the bodies _Q3S, _Q3D, _Q1S, _Q1D), a line
# break, a backslash continuation, a name, number or operator (tokenize.Number, then
# [^\W\d]\w*, then _OPERATOR), one of ()[]{}:; and else gives up (tokenize decides).  For
# these counts it agrees with tokenize on valid code (names, numbers and operators are just
# "real" tokens, every line break an NL).  _SCAN reads the same tokens, a run at a time:
# * A run starts where the reference starts a token, and its first token is matched with the
#   reference's own alternatives, except that a name directly followed by a quote or by a
#   non-ASCII character is left to the later alternatives (it may be a string prefix, or a
#   longer identifier).
# * The rest of a run is made of characters that the reference reads as names, numbers and
#   operators only (ASCII letters, digits, ``_``, operator characters, spaces and tabs; ``!``
#   only in ``!=``, ``:`` only in ``:=``), of one-line strings and of bracket pairs closed on
#   the line (nested at most twice).  How the reference splits those characters into tokens
#   does not matter: they are all real tokens, none of them a colon, and with the first token
#   they make at least two.  The run ends before a character that no such token contains
#   (``:``, ``;``, ``#``, ``\``, a line break, an unpaired bracket, anything else), so not
#   inside a token, and the reference starts a token there too.  Where the next character
#   could continue the last token (a non-ASCII letter after a name, a quote after a string
#   prefix), the run backs off to an earlier boundary (_END).
# * A string inside a run spans what the reference's string would (the same bodies; a prefix
#   is among the characters before it).  A string that starts a run needs company: a string
#   alone on its chunk is a docstring candidate and matched by the ``str`` alternative.
# * A run may start with a colon (not ``:=``) and the token after it: then its tokens are
#   counted after the colon, which is what radon's colon rule asks.
# Every named group is empty and ends an alternative, so the group that closed last names the
# kind of match (_KINDS).  Each group makes every match object bigger: keep them few (up to
# 57 groups, match objects of CPython 3.11 still come from glibc's fast small-block cache).

_Q3S = "'''" + r"[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*" + "'''"
_Q3D = '"""' + r'[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*' + '"""'
_Q1S = r"'[^\n'\\]*(?:\\[\s\S][^\n'\\]*)*'"
_Q1D = r'"[^\n"\\]*(?:\\[\s\S][^\n"\\]*)*"'
_OPERATOR = r"->|:=|\*\*=?|//=?|>>=?|<<=?|[-+*/%@&|^=<>!]=|\.\.\.|[-+*/%@&|^~<>=.,]"
_FSTRING_PREFIX = re.compile(r"(?<!\w)(?:[rR]?[fFtT]|[fFtT][rR])['\"]")
_NUMBER = re.sub(r"\((?!\?)", "(?:", tokenize.Number)  # the same pattern without captures


def _prefix_pattern() -> tuple[str, str]:
    """tokenize's string prefixes as a compact alternation, and the characters they use."""
    rests: dict[str, set[str]] = {}
    for p in tokenize.StringPrefix[1:-1].split("|"):
        if p:
            rests.setdefault(p[0], set()).add(p[1:])
    alts = []
    for first, rest in sorted(rests.items()):
        seconds = "".join(sorted(r for r in rest if r))
        assert all(len(r) <= 1 for r in rest), rest
        alts.append(re.escape(first) + ("[" + seconds + "]" + ("?" if "" in rest else "") if seconds else ""))
    return "(?:" + "|".join(alts) + ")", "".join(sorted(rests.keys()))


_PREFIX, _PREFIX_CHARS = _prefix_pattern()
# one-line strings without prefix: the reference's bodies minus escaped line breaks (a string
# with a line break fails here and is matched whole by the ``str`` alternative)
_S1 = (
    r"'''[^'\\\n]*(?:(?:\\[^\n]|'(?!''))[^'\\\n]*)*'''"
    r'|"""[^"\\\n]*(?:(?:\\[^\n]|"(?!""))[^"\\\n]*)*"""'
    r"|'(?!'')[^\n'\\]*(?:\\[^\n][^\n'\\]*)*'"
    r'|"(?!"")[^\n"\\]*(?:\\[^\n][^\n"\\]*)*"'
)
_STR = "(?:" + _Q3S + "|" + _Q3D + "|" + _Q1S + "|" + _Q1D + ")"
_INNER = r"[A-Za-z0-9_ \t.,+\-*/%@&|^~<>=]*"  # names, numbers and operators without : or !
_BRACKETS = r"[(\[{]" + _INNER + "(?:(?:" + _S1 + r"|!=|:=)" + _INNER + r")*[)\]}]"
_BRACKETS = r"[(\[{]" + _INNER + "(?:(?:" + _BRACKETS + "|" + _S1 + r"|!=|:=)" + _INNER + r")*[)\]}]"
_SPECIAL = _BRACKETS + "|" + _S1 + "|!=|:="
# after a run comes no character that could continue its last token: else it backs off to a
# boundary before (a space, or a bracket pair, string, != or := that it then leaves out)
_END = r"(?![A-Za-z0-9_.,+\-*/%@&|^~<>='\"\x80-\U0010ffff]|!=|:=)"
_REST = r"[ \t]*(?:[A-Za-z0-9_.,+\-*/%@&|^~<>=]|" + _SPECIAL + ")" + _INNER + "(?:(?:" + _SPECIAL + ")" + _INNER + ")*" + _END

# what a match does, looked up by the number of the group that closed last: group name ->
# (mode, tokens: 1 or 2 for "two or more", change in bracket depth); the modes are tokens,
# tokens then a line break, a colon and a line break (nothing after the colon), a line break
# alone, tokens after a colon, and tokens after a colon then a line break
_TOKENS, _TOKENS_NL, _COLON_NL, _NL_ONLY, _AFTER_COLON, _AFTER_COLON_NL = 0, 1, 2, 3, 4, 5
_KINDS: dict[str, tuple[int, int, int]] = {"nl": (_NL_ONLY, 0, 0), "xx": (_TOKENS, 1, 0)}


def _run(
    name: str, first: str, depth: int, one: str = "1noq", more: str = "2noq", first_tokens: int = 1, colon: bool = False
) -> str:
    """A run: ``first`` (``first_tokens`` tokens; a bracket pair counts two), then more tokens
    or not, then maybe a line break (n), an opening bracket and a line break (o) or a colon
    and a line break (q).  ``one`` and ``more`` list the endings the regex tells apart after
    ``first`` alone and after more tokens ("1" and "2": no line break; leave out what is rare,
    as every named group makes every match object bigger).  With ``colon``, ``first`` starts
    with a colon that is not counted: the tokens are those after it."""
    tokens_mode, tokens_nl_mode = (_AFTER_COLON, _AFTER_COLON_NL) if colon else (_TOKENS, _TOKENS_NL)

    def ends(kind: str, tokens: int, which: str) -> list[str]:
        alts = []
        if "n" in which:
            alts.append(r"\n(?P<" + kind + "_n>)")
            _KINDS[kind + "_n"] = (tokens_nl_mode, tokens, depth)
        if "o" in which:
            alts.append(r"[(\[{][ \t]*\n(?P<" + kind + "_o>)")
            _KINDS[kind + "_o"] = (tokens_nl_mode, tokens + 1, depth + 1)
        if "q" in which:
            alts.append(r":[ \t]*\n(?P<" + kind + "_q>)")
            _KINDS[kind + "_q"] = (_COLON_NL, 0, depth)
        if not alts:
            return []
        return [r"[ \t]*(?:" + "|".join(alts) + ")"]

    def variant(kind: str, tokens: int, which: str) -> list[str]:
        alts = ends(kind, tokens, which)
        if which.startswith(("1", "2")):
            alts.append("(?P<" + kind + ">)")
            _KINDS[kind] = (tokens_mode, tokens, depth)
        return alts

    alts = [_REST + "(?:" + "|".join(variant(name + "2", 2, more)) + ")"]
    alts += variant(name + "1", first_tokens, one)
    return first + "(?:" + "|".join(alts) + ")"


_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_\x80-\U0010ffff'\"])"  # see above: not before ' " or non-ASCII
_NUMBER_OR_OPERATOR = r"(?:(?=[0-9]|\.[0-9])(?:" + _NUMBER + ")|(?=[-+*/%@&|^~<>=.,!:])(?:" + _OPERATOR + "))"
_STRING1 = "(?:" + _S1 + "|" + _PREFIX + "(?:" + _S1 + "))"
_ONE_TOKEN = "(?:" + _NAME + "|" + _NUMBER_OR_OPERATOR + "|" + _STRING1 + ")"
_SCAN = re.compile(
    r"[ \t]*(?:"
    r"\n(?P<nl>)"
    "|" + _run("name", _NAME, 0)
    + "|" + _run("close", r"[)\]}]", -1, one="1nq", more="2nq")
    + "|" + _run("pair", _BRACKETS, 0, one="1n", more="2n", first_tokens=2)
    + "|" + _run("open", r"[(\[{]", 1, one="1n", more="2")
    + "|" + _run("colon", r":(?!=)[ \t]*" + _ONE_TOKEN, 0, one="1n", more="2n", colon=True)
    + r"|:(?!=)(?:[ \t]*\n(?P<co_n>)|(?P<co>))"
    r"|#[^\n]*(?:\n(?P<c_n>)|(?P<c>))"
    "|" + _run("str1", _STRING1, 0, one="", more="2n")
    + r"|(?=[" + _PREFIX_CHARS + r"'\"])(?:" + _STR + "|" + _PREFIX + _STR + r")(?:[ \t]*\n(?P<str_n>)|(?P<str>))"
    "|" + _run("other", _NUMBER_OR_OPERATOR, 0, one="1n", more="2no")
    + r"|;(?P<sc>)"
    r"|\\\n(?P<k>)"
    r"|(?:[^\W\d]\w*|" + _NUMBER + "|" + _OPERATOR + r")(?P<xx>)"
    r"|\S(?P<bad>)"
    r")"
)
_MODE = [-1] * (_SCAN.groups + 1)
_ADD = [0] * (_SCAN.groups + 1)
_DEPTH = [0] * (_SCAN.groups + 1)
for _name, (_mode, _add, _depth) in _KINDS.items():
    _i = _SCAN.groupindex[_name]
    _MODE[_i], _ADD[_i], _DEPTH[_i] = _mode, _add, _depth
_K_CO, _K_CO_N = _SCAN.groupindex["co"], _SCAN.groupindex["co_n"]
_K_STR, _K_STR_N = _SCAN.groupindex["str"], _SCAN.groupindex["str_n"]
_K_C, _K_C_N = _SCAN.groupindex["c"], _SCAN.groupindex["c_n"]
_K_SC, _K_K = _SCAN.groupindex["sc"], _SCAN.groupindex["k"]
_K_BAD = _SCAN.groupindex["bad"]


def _fast_tokens(text: str) -> list[tuple[str, str]] | None:
    """The runs of the fast scan as (kind, text) pairs, or None when the text holds something
    the scan does not model (then ``raw_counts`` goes through ``tokenize``)."""
    out = []
    for m in _SCAN.finditer(text):
        if m.lastindex == _K_BAD:
            return None
        out.append((m.lastgroup or "", m.group()))
    return out


def _scan_counts(text: str, lines: list[str], scan: str | None = None) -> RawCounts | None:
    """The counts from the run scan of ``scan`` (the text, or the text with a final line break
    where the token-by-token scan adds its final NL token), or None when the scan meets
    something it does not model."""
    n_lines = len(lines)
    lloc = comments = single_comments = multi = blank = sloc = 0
    row = first_row = 1  # the current line, the first line of the current chunk
    depth = 0
    # 0: no token in the chunk yet, 1: ordinary, 2: only a comment or a one-line string so far,
    # 3: only a multi-line string so far
    head = 0
    # radon's _logical, per ';'-separated part: colon seen, real tokens after the last colon
    # (only == 0 and == 1 are asked), real tokens at all
    has_colon = False
    after = 0
    real = False
    pending = False  # a token after the last line break
    mode_of, add_of, depth_of = _MODE, _ADD, _DEPTH
    for m in _SCAN.finditer(text if scan is None else scan):
        k: int = m.lastindex  # type: ignore[assignment]  # every alternative ends in a group
        mode = mode_of[k]
        if mode == _TOKENS_NL:
            head = 1
            real = True
            after += add_of[k]
            depth += depth_of[k]
        elif mode == _TOKENS:
            head = 1
            real = pending = True
            after += add_of[k]
            depth += depth_of[k]
            continue
        elif mode == _NL_ONLY:
            pass
        elif mode == _COLON_NL:
            head = 1
            real = has_colon = True
            after = 0
            depth += depth_of[k]
        elif mode == _AFTER_COLON_NL:
            head = 1
            real = has_colon = True
            after = add_of[k]
            depth += depth_of[k]
        elif mode == _AFTER_COLON:
            head = 1
            real = has_colon = pending = True
            after = add_of[k]
            depth += depth_of[k]
            continue
        elif k == _K_CO or k == _K_CO_N:
            head = 1
            real = has_colon = True
            after = 0
            if k == _K_CO:
                pending = True
                continue
        elif k == _K_STR or k == _K_STR_N:
            line_breaks = m.group().count("\n") - (k == _K_STR_N)
            if head == 0:
                head = 3 if line_breaks else 2
            else:
                head = 1
            row += line_breaks
            real = True
            after += 1
            if k == _K_STR:
                pending = True
                continue
        elif k == _K_C or k == _K_C_N:
            comments += 1
            head = 2 if head == 0 else 1
            if k == _K_C:
                pending = True
                continue
        elif k == _K_SC:
            # a part before ';' has no ENDMARKER: radon counts one line when exactly one
            # token follows its last colon, two otherwise
            head = 1
            if has_colon:
                lloc += 2 - (after == 1)
            elif real:
                lloc += 1
            has_colon = real = False
            pending = True
            after = 0
            continue
        elif k == _K_K:
            row += 1
            continue
        else:  # a character the scan does not model
            return None
        # a line break
        pending = False
        if depth > 0:
            row += 1
            continue
        last_row = row if row <= n_lines else n_lines
        if head == 1:
            if first_row == last_row:  # one line with a token on it
                sloc += 1
            else:
                for r in range(first_row - 1, last_row):
                    if lines[r].strip():
                        sloc += 1
                    else:
                        blank += 1
        elif head == 0:
            for r in range(first_row - 1, last_row):
                if lines[r].strip():
                    sloc += 1
                else:
                    blank += 1
        elif head == 2:
            single_comments += 1
        else:
            for r in range(first_row - 1, last_row):
                if lines[r].strip():
                    multi += 1
                else:
                    blank += 1
        # the last part of a chunk ends with ENDMARKER: a colon "at the end" has nothing after it
        if has_colon:
            lloc += 2 - (after == 0)
        elif real:
            lloc += 1
        row += 1
        first_row = last_row + 1
        depth = head = after = 0
        has_colon = real = False
    if pending and scan is None:  # the file ends in a token: end its line as the reference does
        return _scan_counts(text, lines, text + "\n")
    for r in range(first_row - 1, n_lines):  # trailing whitespace-only lines emit no token
        if lines[r].strip():  # an unclosed bracket
            return _radon(text)
        blank += 1
    loc = sloc + blank + multi + single_comments
    return RawCounts(loc, lloc, sloc, comments, multi, blank, single_comments)


# --- the tokenize path ---


def _tokenize_tokens(text: str) -> list[tuple[int, str, int, int]]:
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok[0] in _SKIP or tok[0] == _EM:
            continue
        ttype = _NL if tok[0] == _NEWLINE else tok[0]
        out.append((ttype, tok[1], tok[2][0], tok[3][0]))
    return out


def _token_counts(text: str, toks: list[tuple[int, str, int, int]]) -> RawCounts:
    """The counts from (type, string, start row, end row) tokens, every line break as NL."""
    lines = text.splitlines()
    stripped_empty = [not line.strip() for line in lines]
    n_lines = len(lines)
    lloc = comments = single_comments = multi = blank = sloc = 0
    depth = 0
    first_row = 1
    # state of the current chunk (radon's unit: the lines one tokenize call needs)
    first_type = -1
    first_multiline = False
    only_first = True  # nothing but the first token (and line breaks) so far
    # radon's _logical, per ';'-separated part: colon seen, real tokens after the last
    # colon (capped at 2), real tokens at all
    has_colon = False
    after_colon = 0
    real = 0
    chunk_lloc = 0
    for ttype, string, start_row, end_row in toks:
        if ttype == _NL:
            if depth > 0:
                continue
            last_row = min(start_row, n_lines)
            if first_type == -1:  # a blank line
                for r in range(first_row, last_row + 1):
                    if r - 1 < n_lines and stripped_empty[r - 1]:
                        blank += 1
                    else:
                        sloc += 1
            elif first_type == _COMMENT and only_first:
                single_comments += 1
            elif first_type == _STRING and only_first:
                if not first_multiline:
                    single_comments += 1
                else:
                    for r in range(first_row, last_row + 1):
                        if stripped_empty[r - 1]:
                            blank += 1
                        else:
                            multi += 1
            else:
                for r in range(first_row, last_row + 1):
                    if r - 1 < n_lines and stripped_empty[r - 1]:
                        blank += 1
                    else:
                        sloc += 1
            # the last part of a chunk ends with ENDMARKER: a colon "at the end" has nothing after it
            if has_colon:
                chunk_lloc += 2 - (after_colon == 0)
            elif real:
                chunk_lloc += 1
            lloc += chunk_lloc
            first_row = last_row + 1
            depth = 0
            first_type = -1
            only_first = True
            has_colon = False
            after_colon = real = chunk_lloc = 0
            continue
        if first_type == -1:
            first_type = ttype
            first_multiline = end_row != start_row
        else:
            only_first = False
        if ttype == _COMMENT:
            comments += 1
            continue
        if ttype == _OP:
            if string in _OPEN:
                depth += 1
            elif string in _CLOSE:
                depth -= 1
            elif string == ";":
                # a part before ';' has no ENDMARKER: radon counts one line when exactly one
                # token follows its last colon, two otherwise
                if has_colon:
                    chunk_lloc += 2 - (after_colon == 1)
                elif real:
                    chunk_lloc += 1
                has_colon = False
                after_colon = real = 0
                continue
            elif string == ":":
                has_colon = True
                after_colon = 0
                real += 1
                continue
        real += 1
        if has_colon and after_colon < 2:
            after_colon += 1
    for r in range(first_row, n_lines + 1):  # trailing whitespace-only lines emit no token
        if stripped_empty[r - 1]:
            blank += 1
        else:  # pragma: no cover - the tokenizer always ends a non-blank line
            return _radon(text)
    loc = sloc + blank + multi + single_comments
    return RawCounts(loc, lloc, sloc, comments, multi, blank, single_comments)


def raw_counts(text: str, fast: bool = True) -> RawCounts:
    """radon.raw.analyze(text), computed in one pass (see the module docstring).

    ``fast`` uses a single regex scan (about 10x faster than ``tokenize``); on Python >= 3.12,
    files with f-strings (which the tokenizer splits into parts there) and anything the scan
    does not model go through ``tokenize``.
    """
    if any(ch in text for ch in _ODD_BREAKS):
        return _radon(text)
    if fast and not (sys.version_info >= (3, 12) and _FSTRING_PREFIX.search(text)):
        counts = _scan_counts(text, text.splitlines())
        if counts is not None:
            return counts
    try:
        toks = _tokenize_tokens(text)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _radon(text)
    return _token_counts(text, toks)


def _radon(text: str) -> RawCounts:
    from radon.raw import analyze

    m = analyze(text)
    return RawCounts(m.loc, m.lloc, m.sloc, m.comments, m.multi, m.blank, m.single_comments)
