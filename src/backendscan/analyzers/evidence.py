"""Small per-file evidence the report and the built-in checks need and no framework analyzer collects.

* **HTTP requests made by tests**: in test modules, calls such as
  ``client.post("/api/v1/users/", json=...)`` or ``client.get(f"{API}/users/{uid}")``
  (method = the called attribute, path = the string literal or f-string, with
  ``{}`` for every formatted part).  The report matches them against route paths
  to say which routes tests call.
* **Celery-wide time limits**: ``task_time_limit`` / ``task_soft_time_limit`` (and
  the old upper-case names) set anywhere as a keyword, dict key or assignment, so
  the "task without time limit" check does not fire when the app sets a default.

Nothing is resolved here; :meth:`EvidenceAnalyzer.resolve` returns no facts, the
summaries are read by :mod:`backendscan.checks` and :mod:`backendscan.report`.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from dataclasses import dataclass

from ..parsing import ParsedModule
from ..project import Project
from ..visiting import FileVisitor, statement_expressions, walk_nodes
from .base import AnalyzerOutput

HTTP_METHODS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "head": "HEAD", "options": "OPTIONS"}
LIMIT_NAMES = frozenset(
    {
        "task_time_limit",
        "task_soft_time_limit",
        "CELERY_TASK_TIME_LIMIT",
        "CELERY_TASK_SOFT_TIME_LIMIT",
        "CELERYD_TASK_TIME_LIMIT",
        "CELERYD_TASK_SOFT_TIME_LIMIT",
    }
)


@dataclass(frozen=True)
class HttpCall:
    """An HTTP request a test makes: ``client.<method>(<path>)``."""

    method: str  # upper case; "ANY" for .request()/.open() without a literal method
    path: str  # literal text, "{}" for formatted parts; query string removed
    line: int
    scope: str


@dataclass(frozen=True)
class EvidenceSummary:
    """What one file holds."""

    requests: tuple[HttpCall, ...] = ()
    time_limits: tuple[tuple[str, int], ...] = ()  # (setting name, line)


def is_test_module(module: str) -> bool:
    """``tests.x``, ``app.tests.test_y``, ``test_z``, ``conftest``: named like pytest/unittest modules."""
    parts = module.split(".")
    return any(p in ("tests", "test", "conftest") or p.startswith("test_") or p.endswith("_test") or p.endswith("_tests") for p in parts)


def path_literal(node: ast.expr | None) -> str | None:
    """The text of a string literal or f-string (``{}`` for formatted parts), None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            else:
                parts.append("{}")
        text = "".join(parts)
    else:
        return None
    text = text.split("?", 1)[0].split("#", 1)[0]
    if not (text.startswith("/") or text.startswith("{}") or text.startswith("http")):
        return None
    return text


#: every attribute a request call can be made through (see ``_Visitor._call``)
_REQUEST_WORDS = tuple(sorted(set(HTTP_METHODS) | {"request", "open", "fetch"}))
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def candidate_lines(text: str) -> list[int] | None:
    """Lines holding a word a request call needs (``get``, ``post``, ``request``...), ascending.

    The called attribute's name is written on a line inside the statement that
    makes the call, so statements spanning none of these lines hold no request and
    their expressions need no walk (most of a test module: assertions, fixtures,
    setup).  Lines with non-ASCII characters count as candidates: identifiers are
    NFKC-normalised, so ``ｇｅｔ`` names ``get`` too.  None (look at every statement)
    when the parser could count lines differently (``\r``).  ``str.find`` per word
    is ten times faster than one alternation regex over the text.
    """
    if "\r" in text:
        return None
    starts: list[int] = []
    n = len(text)
    for word in _REQUEST_WORDS:
        size = len(word)
        i = text.find(word)
        while i >= 0:
            end = i + size
            if (i == 0 or text[i - 1] not in _WORD_CHARS) and (end == n or text[end] not in _WORD_CHARS):
                starts.append(i)
            i = text.find(word, end)
    if not text.isascii():
        starts.extend(m.start() for m in _NON_ASCII.finditer(text))
    starts.sort()
    lines: list[int] = []
    line, pos = 1, 0
    for start in starts:
        line += text.count("\n", pos, start)
        pos = start
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _nested_bodies(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested in a compound statement other than ``def``/``class``, in the
    order :func:`backendscan.visiting.walk` visits them."""
    if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [stmt.body]
    if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
        return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody]  # type: ignore[attr-defined]
    if isinstance(stmt, ast.Match):
        return [c.body for c in stmt.cases]
    return []


class _Visitor(FileVisitor):
    """Finds the requests and time limits when the summary is asked for (:meth:`finish`).

    It does not ride the batched walk: it descends the statement tree itself and
    skips every statement, with everything nested in it, that spans no candidate
    line (:func:`candidate_lines`).  On saleor's test modules 2% of the statements
    span one; through the walk, each of the 200,000 cost a call.
    """

    def __init__(self, parsed: ParsedModule, prefilter: bool = True) -> None:
        self.parsed = parsed
        self.test = is_test_module(parsed.module)
        self.requests: list[HttpCall] = []
        self.limits: list[tuple[str, int]] = []
        # time-limit settings can be any name, key or keyword: only without them may statements be skipped
        self.lines = candidate_lines(parsed.text) if prefilter and "time_limit" not in parsed.text.lower() else None

    def _body(self, stmts: list[ast.stmt], parts: tuple[str, ...]) -> None:
        """Visit ``stmts`` (in the walker's order: each statement, then its nested bodies) inside scope ``parts``."""
        lines = self.lines
        for stmt in stmts:
            if lines is not None:
                i = bisect_left(lines, stmt.lineno)
                if i == len(lines) or lines[i] > (stmt.end_lineno or stmt.lineno):
                    continue  # neither the statement nor anything nested in it names a request method
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._body(stmt.body, parts + (stmt.name, "<locals>"))
                continue
            if isinstance(stmt, ast.ClassDef):
                self._body(stmt.body, parts + (stmt.name,))
                continue
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continue
            qualname = ".".join(parts)
            self._statement(stmt, qualname[: -len(".<locals>")] if qualname.endswith(".<locals>") else qualname)
            for nested in _nested_bodies(stmt):
                self._body(nested, parts)

    def _statement(self, stmt: ast.stmt, scope: str) -> None:
        """One statement's own expressions (not its nested bodies); ``scope`` as :attr:`Context.scope` says it."""
        for expr in statement_expressions(stmt):
            for node in walk_nodes(expr):
                if isinstance(node, ast.Call):
                    self._call(node, scope)
                elif isinstance(node, ast.Dict):
                    for k in node.keys:
                        if isinstance(k, ast.Constant) and k.value in LIMIT_NAMES:
                            self.limits.append((str(k.value), k.lineno))
                elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(getattr(node, "ctx", None), ast.Store):
                    name = node.id if isinstance(node, ast.Name) else node.attr
                    if name in LIMIT_NAMES:
                        self.limits.append((name, node.lineno))

    def _call(self, node: ast.Call, scope: str) -> None:
        for kw in node.keywords:
            if kw.arg in LIMIT_NAMES:
                self.limits.append((kw.arg, node.lineno))
        if not self.test or not isinstance(node.func, ast.Attribute):
            return
        attr = node.func.attr
        method = HTTP_METHODS.get(attr)
        url_node: ast.expr | None = node.args[0] if node.args else None
        if attr in ("request", "open", "fetch"):
            if len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                method = node.args[0].value.upper()
                url_node = node.args[1]
            else:
                method = "ANY"
                for kw in node.keywords:
                    if kw.arg == "method" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        method = kw.value.value.upper()
        if method is None:
            return
        for kw in node.keywords:
            if kw.arg in ("url", "path"):
                url_node = kw.value
        path = path_literal(url_node)
        if path is None:
            return
        if path.startswith("http"):
            rest = path.split("//", 1)[-1]
            path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        self.requests.append(HttpCall(method, path, node.lineno, scope))

    def finish(self) -> EvidenceSummary:
        try:
            self._body(self.parsed.tree.body, ())
        except RecursionError:  # as deep as the walk's own limit: it has said so already; keep what was found
            pass
        return EvidenceSummary(tuple(self.requests), tuple(sorted(set(self.limits), key=lambda t: (t[1], t[0]))))


class EvidenceAnalyzer:
    """Collects test HTTP requests and Celery-wide time limits (see the module docstring)."""

    name = "evidence"
    version = "2"

    def interested(self, module: str, text: str) -> bool:
        # a test module that names no request method (ASCII text, no such substring) yields an empty
        # summary: it is not visited at all (1,034 of saleor's 1,725 test files)
        if is_test_module(module) and (not text.isascii() or any(word in text for word in _REQUEST_WORDS)):
            return True
        return "time_limit" in text.lower()

    def visitor(self, parsed: ParsedModule) -> FileVisitor:
        return _Visitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        return AnalyzerOutput()
