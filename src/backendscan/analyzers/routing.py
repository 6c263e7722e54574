"""Helpers shared by the route analyzers: path normalisation and prefix joining.

Normalised paths write every parameter as ``{name}``:

* FastAPI/Starlette ``{id:uuid}`` -> ``{id}``
* Flask/werkzeug ``<int:id>`` / ``<id>`` -> ``{id}``
* Django ``<int:pk>`` -> ``{pk}``; regex routes ``^items/(?P<pk>[^/.]+)/$`` -> ``items/{pk}/``
  (anchors and a trailing ``/?`` dropped, escaped characters unescaped, unnamed groups ->
  ``{arg0}``, ``{arg1}``..., other regex syntax kept verbatim), exactly as the runtime
  ground truth in ``benchmarks/groundtruth/gtcommon.py`` spells them

Placeholders of unresolved prefixes (``{settings.BASE_PATH}``) are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FLASK_PARAM = re.compile(r"<(?:(?P<conv>[A-Za-z_][\w]*)(?:\([^)]*\))?:)?(?P<name>[A-Za-z_]\w*)>")
_STARLETTE_PARAM = re.compile(r"\{(?P<name>[A-Za-z_]\w*):[^}]+\}")


def normalize_flask(path: str) -> str:
    """``/users/<int:id>`` -> ``/users/{id}``."""
    return _FLASK_PARAM.sub(lambda m: "{" + m.group("name") + "}", path)


def normalize_starlette(path: str) -> str:
    """``/items/{id:uuid}`` -> ``/items/{id}``."""
    return _STARLETTE_PARAM.sub(lambda m: "{" + m.group("name") + "}", path)


_DJANGO_ROUTE_PARAM = re.compile(r"<(?:[A-Za-z_][A-Za-z0-9_]*:)?([A-Za-z_][A-Za-z0-9_]*)>")


def normalize_django_path(route: str) -> str:
    """Django ``path()`` route: ``<int:pk>/`` -> ``{pk}/`` (no slash handling; pieces are concatenated)."""
    return _DJANGO_ROUTE_PARAM.sub(r"{\1}", route)


def _skip_group(regex: str, start: int) -> int:
    """Index just after the group that opens at ``regex[start] == '('``."""
    depth = 0
    i = start
    in_class = False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(regex)


def _skip_quantifier(regex: str, i: int) -> int:
    if i < len(regex) and regex[i] in "?*+":
        i += 1
        if i < len(regex) and regex[i] in "?+":  # lazy / possessive
            i += 1
    elif i < len(regex) and regex[i] == "{":
        end = regex.find("}", i)
        if end != -1 and re.fullmatch(r"\{\d*(,\d*)?\}", regex[i : end + 1]):
            i = end + 1
    return i


@dataclass(frozen=True)
class RegexPiece:
    """One Django regex (``re_path``/``url``/DRF router) piece, normalised.

    ``text`` is the readable form, ``next_positional`` the counter for the
    following piece's unnamed groups (``{arg0}``, ``{arg1}``... count across
    the whole composed path, as Django passes them positionally),
    ``leftover`` says regex syntax remained (``.``, ``[...]``, ``|``, ``\\d``,
    ``(?:...)``) and ``optional_slash`` that a trailing ``/?`` was removed.
    """

    text: str
    next_positional: int = 0
    leftover: bool = False
    optional_slash: bool = False


def django_regex_piece(regex: str, positional: int = 0) -> RegexPiece:
    """Normalise one regex piece exactly like the runtime ground truth (benchmarks/groundtruth/gtcommon.py).

    * a trailing ``/?$``, ``/?\\Z`` or ``/?`` is dropped (``optional_slash``);
    * ``^`` at the start and ``$``/``\\Z`` at the end are dropped;
    * ``(?P<name>...)`` -> ``{name}`` (a quantifier after it is dropped);
      unnamed capturing groups -> ``{argN}``;
    * escaped literals are unescaped (``\\.`` -> ``.``); class escapes
      (``\\d``), non-capturing/look-around groups, character classes and
      ``. | ? * +`` are kept verbatim (``leftover``).
    """
    optional_slash = False
    for tail in ("/?$", "/?\\Z", "/?"):
        if regex.endswith(tail):
            regex = regex[: -len(tail)]
            optional_slash = True
            break
    out: list[str] = []
    i = 0
    n = len(regex)
    leftover = False
    while i < n:
        ch = regex[i]
        if ch == "^" and i == 0:
            i += 1
            continue
        if ch == "$" and (i == n - 1 or regex[i + 1 :] == "\\Z"):
            i += 1
            continue
        if regex.startswith("\\Z", i) and i + 2 == n:
            i += 2
            continue
        if ch == "\\" and i + 1 < n:
            nxt = regex[i + 1]
            if nxt in "dDwWsSbBAZ":
                out.append(regex[i : i + 2])
                leftover = True
            else:
                out.append(nxt)
            i += 2
            continue
        if ch == "(":
            end = _skip_group(regex, i)
            body = regex[i:end]
            m = re.match(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>", body)
            after = _skip_quantifier(regex, end)
            if m:
                out.append("{" + m.group(1) + "}")
            elif body.startswith("(?"):
                out.append(regex[i:after])
                leftover = True
            else:
                out.append("{arg%d}" % positional)
                positional += 1
                if after != end:
                    leftover = True
            i = after
            continue
        if ch in "?*+[]|.":
            if ch == "[":
                j = i + 1
                while j < n and regex[j] != "]":
                    j += 2 if regex[j] == "\\" else 1
                after = _skip_quantifier(regex, j + 1)
                out.append(regex[i:after])
                i = after
            else:
                out.append(ch)
                i += 1
            leftover = True
            continue
        out.append(ch)
        i += 1
    return RegexPiece("".join(out), positional, leftover, optional_slash)


def normalize_django_regex(regex: str) -> str:
    """Django ``re_path``/``url`` regex -> a readable path with ``{name}`` parameters.

    ``^items/(?P<pk>[^/.]+)/$`` -> ``items/{pk}/``; see :func:`django_regex_piece`.
    """
    return django_regex_piece(regex).text


def join_flask(prefix: str, rule: str) -> str:
    """Flask's blueprint joining: ``prefix.rstrip('/') + '/' + rule.lstrip('/')`` (empty rule -> prefix)."""
    if not prefix:
        return rule
    if not rule:
        return prefix
    return prefix.rstrip("/") + "/" + rule.lstrip("/")


def join_plain(prefix: str, path: str) -> str:
    """FastAPI/Starlette joining: plain concatenation (``include_router`` prefixes have no trailing slash)."""
    return (prefix or "") + (path or "")


def ensure_leading_slash(path: str) -> str:
    return path if path.startswith("/") or path.startswith("{") else "/" + path
