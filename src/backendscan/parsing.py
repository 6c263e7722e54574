"""Source bytes -> :class:`ParsedModule` (an ``ast`` tree plus the text).

CPython's ``ast`` is the fast path (libcst is about 11x slower on the same files).
When the running interpreter cannot parse a file, a tokenizer pass first lowers
the commonest newer syntax (PEP 695 type parameters and ``type`` aliases, PEP 758
``except A, B:``; :func:`lower_newer_syntax`).  If the result still does not
parse, libcst (whose native parser knows Python 3.0-3.14 syntax) decides whether
the file is newer Python or broken: newer syntax (also ``except*`` on old
interpreters and PEP 701/750 strings) is *downlevelled* by a libcst transformer
that keeps every line where it was, and the result is parsed with ``ast``.
Everything downstream sees one tree type.

Undecodable bytes, null bytes, Python 2 and other syntax errors, and nesting too
deep for the parser become :class:`~backendscan.model.Finding` objects with the
file, line and a clear reason; they never raise.
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

from .model import Finding, Location, Severity

_CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


@dataclass(frozen=True)
class ParsedModule:
    """A parsed first-party module, as analyzers see it."""

    path: str  # POSIX, relative to the scanned root
    module: str
    is_package: bool
    text: str
    tree: ast.Module
    via: str = "ast"  # "ast" or "libcst" (downlevelled newer syntax)

    @cached_property
    def lines(self) -> Sequence[str]:
        return self.text.splitlines()

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.module if self.is_package else self.module.rpartition(".")[0]

    def location(self, node: ast.AST | None) -> Location:
        return Location.of(self.path, node)

    def segment(self, node: ast.AST, limit: int = 240) -> str:
        """Source text of a node (first ``limit`` characters, whitespace collapsed)."""
        return source_segment(self.lines, node, limit)


def source_segment(lines: Sequence[str], node: ast.AST, limit: int = 240) -> str:
    """Source text of ``node`` from pre-split lines, whitespace runs collapsed."""
    start = getattr(node, "lineno", 0)
    end = getattr(node, "end_lineno", start) or start
    if not start or start > len(lines):
        return ""
    col = getattr(node, "col_offset", 0) or 0
    end_col = getattr(node, "end_col_offset", None)
    if start == end and end_col is not None:
        line = lines[start - 1]
        if line.isascii():  # columns are characters; most import statements: one ASCII line
            text = line[col:end_col].strip()
            if text.isprintable() and "  " not in text:  # single spaces only: nothing for the collapse to do
                return text if len(text) <= limit else text[: limit - 1] + "…"
    chunk = list(lines[start - 1 : end])
    if not chunk:
        return ""
    # ast columns are UTF-8 byte offsets
    if end_col is not None:
        last = chunk[-1].encode("utf-8")[:end_col].decode("utf-8", "replace")
        chunk[-1] = last
    first = chunk[0].encode("utf-8")[col:].decode("utf-8", "replace")
    chunk[0] = first
    text = " ".join(part.strip() for part in chunk)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class ParseOutcome:
    """Result of :func:`parse_source`: a module, or the finding that explains why not."""

    module: ParsedModule | None
    problems: tuple[Finding, ...] = field(default_factory=tuple)


def _finding(path: str, line: int, column: int, message: str, rule: str = "parse-error") -> Finding:
    return Finding(
        rule_id=rule,
        severity=Severity.ERROR,
        message=message,
        location=Location(path, max(line, 0), max(column, 0)),
        hint="The file was not analysed; the rest of the scan goes on.",
    )


def decode_source(data: bytes) -> str:
    """Decode Python source bytes (PEP 263 cookie, UTF-8 BOM), newlines normalised.

    Raises ``UnicodeDecodeError``/``SyntaxError``/``LookupError`` on bad input.
    """
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    else:
        for line in data.split(b"\n", 2)[:2]:
            m = _CODING_RE.match(line)
            if m:
                encoding = m.group(1).decode("ascii")
                codecs.lookup(encoding)
                break
    text = data.decode(encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode_error_location(data: bytes, exc: UnicodeDecodeError) -> tuple[int, int]:
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    col = exc.start - (before.rfind(b"\n") + 1) + 1
    return line, col


def parse_source(path: str, module: str, is_package: bool, data: bytes) -> ParseOutcome:
    """Parse one file; never raises for bad input."""
    try:
        text = decode_source(data)
    except UnicodeDecodeError as exc:
        line, col = _decode_error_location(data, exc)
        return ParseOutcome(
            None,
            (_finding(path, line, col, f"undecodable bytes ({exc.reason}, encoding {exc.encoding})", "decode-error"),),
        )
    except (LookupError, SyntaxError) as exc:
        return ParseOutcome(None, (_finding(path, 1, 1, f"unknown source encoding: {exc}", "decode-error"),))
    if "\x00" in text:
        before = text[: text.index("\x00")]
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        return ParseOutcome(None, (_finding(path, line, col, "source contains a null byte", "parse-error"),))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path, type_comments=False)
        return ParseOutcome(ParsedModule(path, module, is_package, text, tree))
    except SyntaxError as exc:
        # without its traceback: the traceback holds this frame, which holds the error
        first_error = exc.with_traceback(None)
    except (RecursionError, MemoryError):
        return ParseOutcome(
            None, (_finding(path, 1, 1, "nesting too deep for the Python parser", "parse-error"),)
        )
    except ValueError as exc:  # e.g. odd characters some versions reject with ValueError
        return ParseOutcome(None, (_finding(path, 1, 1, f"cannot parse: {exc}"),))
    return _parse_newer_syntax(path, module, is_package, text, first_error)


_TEMPLATE_TAG_RE = re.compile(r"\{%-?\s*\w.*?-?%\}|\{\{-?\s*[\w.]+(\s*\|[^}]*)?\s*-?\}\}")


def _template_line(text: str, error_line: int) -> tuple[str, int]:
    """The template tag that explains a syntax error (Jinja/Django ``{% for %}`` or ``{{ name }}``) and its line.

    Only called for files that do not parse: a tag on the failing line, or a line that
    is nothing but a ``{% ... %}`` statement tag, marks a template with a ``.py`` name
    (Polar's SDK generator, cookiecutter projects).
    """
    lines = text.split("\n")
    if 0 < error_line <= len(lines):
        m = _TEMPLATE_TAG_RE.search(lines[error_line - 1])
        if m:
            return m.group(0)[:60], error_line
    for i, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if stripped.startswith("{%") and stripped.endswith("%}"):
            return stripped[:60], i
    return "", 0


_PY2_LINE_RE = re.compile(r"^\s*(print\s+[^\s(=]|exec\s+['\"]|raise\s+\w+\s*,)|\bur['\"]|`|\b0[0-7]+L?\b|<>")


def _syntax_message(exc: SyntaxError) -> str:
    msg = exc.msg or "invalid syntax"
    line = exc.text or ""
    if "Missing parentheses in call to" in msg or _PY2_LINE_RE.search(line):
        msg += " (looks like Python 2)"
    return f"syntax error: {msg}"


def _parse_newer_syntax(
    path: str, module: str, is_package: bool, text: str, error: SyntaxError
) -> ParseOutcome:
    line, col = error.lineno or 1, error.offset or 1
    if "too many nested" in (error.msg or "") or "too deeply nested" in (error.msg or ""):
        return ParseOutcome(
            None, (_finding(path, line, col, f"nesting too deep for the Python parser ({error.msg})"),)
        )
    where = f"Python {sys.version_info.major}.{sys.version_info.minor}"
    try:
        quick = lower_newer_syntax(text)
    except Exception:  # the quick way is an optimisation: anything odd goes the libcst way
        quick = None
    if quick is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(quick, filename=path)
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            pass  # something else is newer (or broken): libcst decides below
        else:
            note = Finding(
                rule_id="newer-syntax",
                severity=Severity.INFO,
                message=(
                    f"uses syntax newer than the running {where} ({error.msg} at line {line}); "
                    "lowered token by token"
                ),
                location=Location(path, line, col),
            )
            return ParseOutcome(ParsedModule(path, module, is_package, text, tree, via="lowered"), (note,))
    try:
        import libcst as cst

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cst_tree = cst.parse_module(text, config=cst.PartialParserConfig(python_version="3.14"))
    except Exception:  # libcst.ParserSyntaxError and anything else: really broken source
        template, tag_line = _template_line(text, line)
        if template:
            return ParseOutcome(
                None,
                (
                    Finding(
                        rule_id="template-file",
                        severity=Severity.INFO,
                        message=f"a template, not Python: template tags such as `{template}`; not analysed",
                        location=Location(path, tag_line, 1),
                        hint="Code generators keep Jinja templates of Python files; exclude the folder to silence this.",
                    ),
                )
            )
        return ParseOutcome(None, (_finding(path, line, col, _syntax_message(error)),))
    try:
        lowered = cst_tree.visit(_Downlevel()).code
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(lowered, filename=path)
    except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
        return ParseOutcome(
            None,
            (
                _finding(
                    path,
                    line,
                    col,
                    f"valid newer Python that {where} cannot parse and backendscan could not lower ({exc.__class__.__name__})",
                    "unsupported-syntax",
                ),
            ),
        )
    note = Finding(
        rule_id="newer-syntax",
        severity=Severity.INFO,
        message=(
            f"uses syntax newer than the running {where} "
            f"({error.msg} at line {line}); parsed with libcst and lowered"
        ),
        location=Location(path, line, col),
    )
    return ParseOutcome(ParsedModule(path, module, is_package, text, tree, via="libcst"), (note,))


_BRACKETS = {"[": 1, "]": -1}


def lower_newer_syntax(text: str) -> str | None:
    """``text`` with PEP 695 and PEP 758 syntax lowered for an older parser, lines kept; or None.

    The cheap first try for a file the running Python cannot parse: libcst costs about 30x a
    parse (Polar's 73 such files took 6.3 s of a 2 s parse floor), a tokenizer pass about 3x.

    * ``def f[T](...)`` and ``class C[T](...)`` get their type parameter list blanked with
      spaces, so every later column stays where it was;
    * ``type X[T] = v`` becomes ``X = v`` (the name moves to the statement's start);
    * ``except A, B:`` becomes ``except(A, B):`` (what follows on that line moves one column).

    A list over several lines keeps its lines: each blanked line ends in a backslash
    continuation (libcst's lowering drops those lines and moves every later statement up).
    None when the text holds none of these, does not tokenize (PEP 701 strings on an old
    tokenizer), or a list holds an empty line: the caller then goes the libcst way, as it
    does when the result still does not parse.
    """
    try:
        toks = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in (tokenize.COMMENT, tokenize.NL)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    lines = text.split("\n")
    edits: list[tuple[int, int, int, str]] = []  # (row, start col, end col, replacement)

    def bracket_end(i: int) -> int | None:
        # index of the ']' closing toks[i] (a '[')
        depth = 0
        for j in range(i, len(toks)):
            depth += _BRACKETS.get(toks[j].string, 0) if toks[j].type == tokenize.OP else 0
            if depth == 0:
                return j
        return None

    def blank(i: int, j: int) -> bool:
        # blank toks[i]..toks[j] out; across lines, each blanked line ends in a backslash
        (r0, c0), (r1, c1) = toks[i].start, toks[j].end
        if r0 == r1:
            edits.append((r0, c0, c1, ""))
            return True
        for row in range(r0, r1):
            start = c0 if row == r0 else 0
            width = len(lines[row - 1]) - start
            if width < 1:
                return False  # an empty line inside the list: nothing to hang the backslash on
            edits.append((row, start, start + width, " " * (width - 1) + "\\"))
        edits.append((r1, 0, c1, ""))
        return True

    for i, tok in enumerate(toks[:-2]):
        if tok.type == tokenize.NAME and tok.string == "except" and toks[i + 1].string != "*":
            lowered = _except_list(toks, i)
            if lowered is None:
                return None
            edits.extend(lowered)
            continue
        if tok.type != tokenize.NAME or toks[i + 1].type != tokenize.NAME:
            continue
        name, after = toks[i + 1], toks[i + 2]
        if tok.string in ("def", "class"):
            if after.string != "[":
                continue
            end = bracket_end(i + 2)
            if end is None or not blank(i + 2, end):
                return None
        elif tok.string == "type" and (i == 0 or toks[i - 1].type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) or toks[i - 1].string == ";"):
            if after.string == "[":
                end = bracket_end(i + 2)
                if end is None or end + 1 >= len(toks) or toks[end + 1].string != "=" or not blank(i + 2, end):
                    return None
            elif after.string != "=":
                continue
            if name.start[0] != tok.start[0]:
                return None
            edits.append((tok.start[0], tok.start[1], name.end[1], name.string))
    if not edits:
        return None
    for row, start, end, keep in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + keep.ljust(end - start) + line[end:]
    return "\n".join(lines)


def _except_list(toks: list[tokenize.TokenInfo], i: int) -> list[tuple[int, int, int, str]] | None:
    """Edits that parenthesize the PEP 758 list after ``toks[i]`` (an ``except``); [] when there is none."""
    depth = 0
    comma = False
    for j in range(i + 1, len(toks)):
        t = toks[j]
        if t.type == tokenize.OP and t.string in "([{":
            depth += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            depth -= 1
        elif depth == 0 and t.type == tokenize.OP and t.string == ",":
            comma = True
        elif depth == 0 and t.type == tokenize.NAME and t.string == "as":
            return []  # not the unparenthesized form (which cannot bind a name)
        elif depth == 0 and t.type == tokenize.OP and t.string == ":":
            if not comma:
                return []
            row = toks[i].end[0]
            if t.start[0] != row or toks[i + 1].start[1] == toks[i].end[1]:
                return None
            return [(row, toks[i].end[1], toks[i].end[1] + 1, "("), (row, t.start[1], t.start[1], ")")]
        elif t.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            return []
    return []


def _string_placeholder(code: str) -> str:
    newlines = code.count("\n")
    return '"""' + "\n" * newlines + '"""' if newlines else '""'


def _make_downlevel():  # type: ignore[no-untyped-def]
    import libcst as cst

    class Downlevel(cst.CSTTransformer):
        """Rewrite syntax newer than the host Python into equivalent older syntax, line for line."""

        def leave_TypeAlias(self, original, updated):  # type: ignore[no-untyped-def]
            return cst.Assign(
                targets=[cst.AssignTarget(target=updated.name)],
                value=updated.value,
                semicolon=updated.semicolon,
            )

        def leave_FunctionDef(self, original, updated):  # type: ignore[no-untyped-def]
            if getattr(updated, "type_parameters", None) is not None:
                return updated.with_changes(type_parameters=None)
            return updated

        def leave_ClassDef(self, original, updated):  # type: ignore[no-untyped-def]
            if getattr(updated, "type_parameters", None) is not None:
                return updated.with_changes(type_parameters=None)
            return updated

        def leave_ExceptHandler(self, original, updated):  # type: ignore[no-untyped-def]
            t = updated.type
            if isinstance(t, cst.Tuple) and not t.lpar:
                return updated.with_changes(
                    type=t.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]),
                    whitespace_after_except=cst.SimpleWhitespace(" "),
                )
            return updated

        def leave_ExceptStarHandler(self, original, updated):  # type: ignore[no-untyped-def]
            if sys.version_info >= (3, 11):
                return updated
            return cst.ExceptHandler(
                body=updated.body,
                type=updated.type,
                name=updated.name,
                leading_lines=updated.leading_lines,
                whitespace_after_except=cst.SimpleWhitespace(" "),
            )

        def leave_FormattedString(self, original, updated):  # type: ignore[no-untyped-def]
            code = cst.Module(body=[]).code_for_node(updated)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ast.parse("(" + code + ")", mode="eval")
                return updated
            except SyntaxError:
                return cst.SimpleString(_string_placeholder(code))

        def on_leave(self, original, updated):  # type: ignore[no-untyped-def]
            if type(updated).__name__ == "TemplatedString":
                code = cst.Module(body=[]).code_for_node(updated)
                return cst.SimpleString(_string_placeholder(code))
            return super().on_leave(original, updated)

    return Downlevel


_DOWNLEVEL_CLASS = None


def _Downlevel():  # type: ignore[no-untyped-def]
    global _DOWNLEVEL_CLASS
    if _DOWNLEVEL_CLASS is None:
        _DOWNLEVEL_CLASS = _make_downlevel()
    return _DOWNLEVEL_CLASS()


def comment_lines(text: str) -> dict[int, str]:
    """Map line -> comment text (without ``#``) using ``tokenize``; empty on tokenize errors."""
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string[1:].strip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out
