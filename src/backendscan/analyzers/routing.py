"""Helpers shared by the route analyzers: path normalisation and prefix joining.

Normalised paths write every parameter as ``{name}``:

* FastAPI/Starlette ``{id:uuid}`` -> ``{id}``
* Flask/werkzeug ``<int:id>`` / ``<id>`` -> ``{id}``
* Django ``<int:pk>`` -> ``{pk}``; regex routes ``^items/(?P<pk>[^/.]+)/$`` -> ``items/{pk}/``
  (anchors dropped, escaped characters unescaped, unnamed groups -> ``{arg1}``...)

Placeholders of unresolved prefixes (``{settings.BASE_PATH}``) are kept as they are.
"""

from __future__ import annotations

import re

_FLASK_PARAM = re.compile(r"<(?:(?P<conv>[A-Za-z_][\w]*)(?:\([^)]*\))?:)?(?P<name>[A-Za-z_]\w*)>")
_STARLETTE_PARAM = re.compile(r"\{(?P<name>[A-Za-z_]\w*):[^}]+\}")


def normalize_flask(path: str) -> str:
    """``/users/<int:id>`` -> ``/users/{id}``."""
    return _FLASK_PARAM.sub(lambda m: "{" + m.group("name") + "}", path)


def normalize_starlette(path: str) -> str:
    """``/items/{id:uuid}`` -> ``/items/{id}``."""
    return _STARLETTE_PARAM.sub(lambda m: "{" + m.group("name") + "}", path)


def normalize_django_path(route: str) -> str:
    """Django ``path()`` route: ``<int:pk>/`` -> ``{pk}/``."""
    return _FLASK_PARAM.sub(lambda m: "{" + m.group("name") + "}", route)


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


def normalize_django_regex(regex: str) -> str:
    """Django ``re_path``/``url`` regex -> a readable path with ``{name}`` parameters.

    Named groups become ``{name}``, unnamed capturing groups ``{argN}``; anchors,
    optional markers after groups and escapes are removed.  Non-capturing and
    look-around groups are dropped.
    """
    out: list[str] = []
    i = 0
    n_unnamed = 0
    r = regex
    if r.startswith("^"):
        r = r[1:]
    if r.endswith("$") and not r.endswith("\\$"):
        r = r[:-1]
    if r.endswith("\\Z"):
        r = r[:-2]
    while i < len(r):
        ch = r[i]
        if ch == "\\" and i + 1 < len(r):
            nxt = r[i + 1]
            if nxt in "dwsDWSbB":
                out.append("{" + nxt + "}")  # a bare class outside a group; rare
            else:
                out.append(nxt)
            i += 2
            continue
        if ch == "(":
            end = _skip_group(r, i)
            m = re.match(r"\(\?P<(\w+)>", r[i:])
            if m:
                out.append("{" + m.group(1) + "}")
            elif r.startswith("(?:", i) or r.startswith("(?=", i) or r.startswith("(?!", i) or r.startswith("(?<", i):
                inner = r[i + 3 : end - 1]
                if r.startswith("(?:", i) and "(?P<" in inner:
                    out.append(normalize_django_regex(inner))
            else:
                n_unnamed += 1
                out.append("{arg" + str(n_unnamed) + "}")
            i = end
            if i < len(r) and r[i] in "?*+":
                i += 1
            continue
        if ch in "^$":
            i += 1
            continue
        if ch in "?*+" and out:
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


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
