"""Auth evidence for FastAPI routes: which dependencies protect a route.

A dependency (``Depends(x)`` / ``Security(x)``, in a ``dependencies=[...]``
list or on a handler parameter, directly or through an ``Annotated[...]``
alias such as ``CurrentUser = Annotated[User, Depends(get_current_user)]``)
counts as auth when

* it is written ``Security(...)``;
* it reaches a ``fastapi.security`` scheme (``OAuth2PasswordBearer``,
  ``HTTPBearer``, ``APIKeyHeader``, ...), directly or through the parameters
  of dependency functions, classes and callable instances, up to
  :data:`MAX_DEPTH` levels;
* its name looks like auth (``get_current_user``, ``require_admin``,
  ``authenticate``, ``verify_token``, ...; see :data:`AUTH_NAME`), or matches
  ``[tool.backendscan] auth-dependencies = [...]`` (names or ``fnmatch``
  patterns, matched against the last dotted part and the full name).

``Depends(get_db)`` is not auth.  The evidence names the head of the chain
(``get_current_user``), not the scheme it reaches.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..project import Project
from ..visiting import dotted_name

MAX_DEPTH = 4

DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"})
SECURITY = frozenset({"fastapi.Security", "fastapi.params.Security", "fastapi.param_functions.Security"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})

_SCHEME_NAMES = (
    "OAuth2",
    "OAuth2PasswordBearer",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2ClientCredentials",
    "HTTPBearer",
    "HTTPBasic",
    "HTTPDigest",
    "HTTPBase",
    "APIKeyHeader",
    "APIKeyQuery",
    "APIKeyCookie",
    "OpenIdConnect",
    "SecurityBase",
)
_SCHEME_MODULES = (
    "fastapi.security",
    "fastapi.security.oauth2",
    "fastapi.security.http",
    "fastapi.security.api_key",
    "fastapi.security.open_id_connect_url",
    "fastapi.security.base",
)
SCHEMES = frozenset(f"{m}.{n}" for m in _SCHEME_MODULES for n in _SCHEME_NAMES)

AUTH_NAME = re.compile(
    r"(^|_)current_(\w+_)?(user|principal|account|member|admin|superuser|identity|subject|client)"
    r"|^requires?_|^enforce_(auth|permission|login)"
    r"|^o?auth(?!or)|(^|_)o?auth(2|entic\w*|ori[sz]\w*|_|$)"
    r"|verify_(access_)?(token|jwt|api_?key|key|signature|auth\w*|user|credentials|password|session)"
    r"|(^|_)(login|auth|admin|superuser|token|permission|scope)s?_required"
    r"|(^|_)(jwt|api_?key|bearer)(_|$)"
    r"|check_(permissions?|access|token|auth\w*|scopes?|api_?key)"
    r"|has_(permissions?|scopes?|roles?)|^is_(admin|superuser|staff|authenticated)"
    r"|(^|_)(admin|superuser|staff)_(user|only|required)|^get_(admin|superuser)"
    r"|(^|_)permissions?(_|$)"
    r"|get_(user|principal)_from_(token|request|session)|^get_(authenticated|logged_in)_",
)


def snake(name: str) -> str:
    """``RequireAdmin`` -> ``require_admin`` (class names are matched in snake case)."""
    s = re.sub(r"OAuth", "Oauth", name)
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", s)
    return s.lower()


@dataclass(frozen=True)
class Marker:
    """One ``Depends(...)``/``Security(...)`` use: what it depends on, written where."""

    kind: str  # "depends" or "security"
    target: ast.expr | None  # the dependency expression (None for ``Depends()``)
    type_hint: ast.expr | None  # the annotated type (``Depends()`` depends on it)
    module: str
    scope: str
    node: ast.AST  # the Depends/Security call, for the location


@dataclass(frozen=True)
class Verdict:
    """Why a dependency counts as auth."""

    kind: str  # "security" (reaches a scheme or written Security) or "dependency" (by name)
    name: str  # head of the chain, e.g. "get_current_user"


class AuthResolver:
    """Classifies dependencies (cached per dependency)."""

    def __init__(self, project: Project, extra_names: Iterable[str] = ()) -> None:
        self.p = project
        self.extra = tuple(str(n) for n in extra_names)
        self._cache: dict[str, Verdict | None] = {}
        self._busy: set[str] = set()

    # ---------------------------------------------------------------- markers
    def _marker_kind(self, module: str, call: ast.AST, scope: str) -> str:
        if not isinstance(call, ast.Call):
            return ""
        name = dotted_name(call.func)
        if not name:
            return ""
        q = self.p.resolve_name(module, name, scope)
        if q in DEPENDS:
            return "depends"
        if q in SECURITY:
            return "security"
        return ""

    def marker(self, module: str, node: ast.AST, scope: str, type_hint: ast.expr | None = None) -> Marker | None:
        """``node`` as a Depends/Security marker, or None."""
        kind = self._marker_kind(module, node, scope)
        if not kind:
            return None
        assert isinstance(node, ast.Call)
        target: ast.expr | None = node.args[0] if node.args else None
        for kw in node.keywords:
            if kw.arg == "dependency":
                target = kw.value
        return Marker(kind, target, type_hint, module, scope, node)

    def list_markers(self, module: str, expr: ast.expr | None, scope: str, depth: int = 0) -> list[Marker]:
        """Markers in a ``dependencies=[...]`` expression (a literal list or a name bound to one)."""
        if expr is None or depth > 3:
            return []
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            out: list[Marker] = []
            for e in expr.elts:
                if isinstance(e, ast.Starred):
                    out.extend(self.list_markers(module, e.value, scope, depth + 1))
                    continue
                m = self.marker(module, e, scope)
                if m is not None:
                    out.append(m)
            return out
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.list_markers(module, expr.left, scope, depth + 1) + self.list_markers(
                module, expr.right, scope, depth + 1
            )
        name = dotted_name(expr)
        if name:
            q = self.p.resolve_name(module, name, scope)
            out = []
            for a in self.p.assignments_of(q):
                if a.value is not None and a.op in ("=", "+="):
                    mod = self.p._module_prefix(q)[0]
                    out.extend(self.list_markers(mod, a.value, a.scope, depth + 1))
            return out
        return []

    def annotation_markers(self, module: str, ann: ast.expr | None, scope: str, depth: int = 0) -> list[Marker]:
        """Markers inside an annotation: ``Annotated[T, Depends(x)]`` or an alias of one."""
        if ann is None or depth > 4:
            return []
        if isinstance(ann, ast.Subscript):
            base = dotted_name(ann.value)
            q = self.p.resolve_name(module, base, scope) if base else ""
            elts = list(ann.slice.elts) if isinstance(ann.slice, ast.Tuple) else [ann.slice]
            if q in ANNOTATED and elts:
                out: list[Marker] = []
                for meta in elts[1:]:
                    m = self.marker(module, meta, scope, elts[0])
                    if m is not None:
                        out.append(m)
                return out or self.annotation_markers(module, elts[0], scope, depth + 1)
            if q.rsplit(".", 1)[-1] in ("Optional", "Union"):
                return [m for e in elts for m in self.annotation_markers(module, e, scope, depth + 1)]
            return []
        if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
            return self.annotation_markers(module, ann.left, scope, depth + 1) + self.annotation_markers(
                module, ann.right, scope, depth + 1
            )
        if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
            try:
                parsed = ast.parse(ann.value, mode="eval").body
            except SyntaxError:
                return []
            return self.annotation_markers(module, parsed, scope, depth + 1)
        name = dotted_name(ann)
        if not name:
            return []
        q = self.p.resolve_name(module, name, scope)
        d = self.p.lookup(q)
        if d.kind == "assignment" and d.obj.value is not None and isinstance(d.obj.value, (ast.Subscript, ast.BinOp)):
            return self.annotation_markers(d.module, d.obj.value, d.obj.scope, depth + 1)
        return []

    def parameter_markers(
        self, module: str, args: ast.arguments, scope: str, skip_first: bool = False
    ) -> Iterator[tuple[ast.arg, Marker]]:
        """(parameter, marker) for every parameter that declares a dependency."""
        positional = list(args.posonlyargs) + list(args.args)
        if skip_first and positional:
            positional = positional[1:]
        defaults: dict[str, ast.expr] = {}
        pos_all = list(args.posonlyargs) + list(args.args)
        for a, d in zip(pos_all[len(pos_all) - len(args.defaults):], args.defaults):
            defaults[a.arg] = d
        for a, kd in zip(args.kwonlyargs, args.kw_defaults):
            if kd is not None:
                defaults[a.arg] = kd
        for a in positional + list(args.kwonlyargs):
            found = False
            default = defaults.get(a.arg)
            if default is not None:
                m = self.marker(module, default, scope, a.annotation)
                if m is not None:
                    found = True
                    yield a, m
            if not found:
                for m in self.annotation_markers(module, a.annotation, scope):
                    yield a, m

    # ------------------------------------------------------------- verdicts
    def classify(self, m: Marker) -> Verdict | None:
        """Why ``m`` protects a route, or None when it does not look like auth."""
        verdict = self._target(m.module, m.target if m.target is not None else m.type_hint, m.scope, 0)
        if m.kind == "security":
            name = verdict.name if verdict else _name_of(m.target if m.target is not None else m.type_hint)
            return Verdict("security", name or "Security")
        return verdict

    def _by_name(self, qualified: str) -> bool:
        if qualified.startswith(("fastapi.", "starlette.")):
            return False  # FastAPI's own helpers (request forms, credentials models) are not auth by name
        last = qualified.rsplit(".", 1)[-1]
        if AUTH_NAME.search(snake(last)):
            return True
        for pat in self.extra:
            if fnmatch.fnmatchcase(last, pat) or fnmatch.fnmatchcase(qualified, pat):
                return True
        return False

    def _target(self, module: str, expr: ast.expr | None, scope: str, depth: int) -> Verdict | None:
        if expr is None or depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            name = dotted_name(expr.func)
            if not name:
                return None
            cq = self.p.resolve_name(module, name, scope)
            if self._is_scheme_class(cq):
                return Verdict("security", cq.rsplit(".", 1)[-1])
            d = self.p.lookup(cq)
            if d.kind == "class":
                return self._instance(cq, cq, depth)
            if self._by_name(cq):
                return Verdict("dependency", cq.rsplit(".", 1)[-1])
            return None
        name = dotted_name(expr)
        if not name:
            return None
        q = self.p.resolve_name(module, name, scope)
        return self._qualified(q, depth)

    def _qualified(self, q: str, depth: int) -> Verdict | None:
        if q in self._cache:
            return self._cache[q]
        if q in self._busy:
            return None
        self._busy.add(q)
        try:
            verdict = self._qualified_uncached(q, depth)
        finally:
            self._busy.discard(q)
        if depth == 0 or verdict is not None:
            self._cache[q] = verdict
        return verdict

    def _qualified_uncached(self, q: str, depth: int) -> Verdict | None:
        last = q.rsplit(".", 1)[-1]
        if self._is_scheme_class(q):
            return Verdict("security", last)
        d = self.p.lookup(q)
        if d.kind == "assignment":
            a = d.obj
            value = a.value
            if isinstance(value, ast.Call):
                cname = dotted_name(value.func)
                cq = self.p.resolve_name(d.module, cname, a.scope) if cname else ""
                if cq and self._is_scheme_class(cq):
                    return Verdict("security", last)
                if cq and self.p.lookup(cq).kind == "class":
                    v = self._instance(cq, q, depth)
                    if v is not None:
                        return v
                if self._by_name(q):
                    return Verdict("dependency", last)
                # a dependency made by a factory call, e.g. ``require = make_checker(...)``
                if cq and self._by_name(cq):
                    return Verdict("dependency", last)
                return None
            if isinstance(value, (ast.Name, ast.Attribute)):
                return self._target(d.module, value, a.scope, depth + 1)
            return Verdict("dependency", last) if self._by_name(q) else None
        if d.kind == "function":
            inner = self._parameters(d.module, d.obj.args, d.obj.scope, d.obj.is_method, depth)
            if inner is not None:
                return Verdict(inner.kind, last)
            return Verdict("dependency", last) if self._by_name(q) else None
        if d.kind == "class":
            return self._instance(q, q, depth, constructor=True)
        return Verdict("dependency", last) if self._by_name(q) else None

    def _instance(self, cls: str, shown: str, depth: int, constructor: bool = False) -> Verdict | None:
        """A class used as a dependency (``constructor``) or an instance of it (``__call__``)."""
        last = shown.rsplit(".", 1)[-1]
        if self._is_scheme_class(cls):
            return Verdict("security", last)
        by_name = self._by_name(shown) or self._by_name(cls)
        methods = self.p.class_methods(cls)
        method = "__init__" if constructor else "__call__"
        owner = methods.get(method)
        found = self.p.lookup(f"{owner}.{method}") if owner is not None else None
        if found is not None and found.kind == "function":
            fn = found.obj
            inner = self._parameters(found.module, fn.args, fn.scope, True, depth)
            if inner is not None:
                return Verdict(inner.kind, last)
        return Verdict("dependency", last) if by_name else None

    def _parameters(self, module: str, args: ast.arguments, scope: str, is_method: bool, depth: int) -> Verdict | None:
        """The strongest auth verdict among a dependency's own parameters (security wins)."""
        if depth >= MAX_DEPTH:
            return None
        best: Verdict | None = None
        for _, m in self.parameter_markers(module, args, scope, skip_first=is_method):
            if m.kind == "security":
                return Verdict("security", _name_of(m.target if m.target is not None else m.type_hint))
            v = self._target(m.module, m.target if m.target is not None else m.type_hint, m.scope, depth + 1)
            if v is not None:
                if v.kind == "security":
                    return v
                best = best or v
        return best

    def _is_scheme_class(self, q: str) -> bool:
        if q in SCHEMES:
            return True
        if self.p.first_party(q) and self.p.lookup(q).kind == "class":
            return any(c in SCHEMES for c in self.p.mro(q)[1:])
        return False


def _name_of(expr: ast.expr | None) -> str:
    if expr is None:
        return ""
    if isinstance(expr, ast.Call):
        return dotted_name(expr.func).rsplit(".", 1)[-1]
    return dotted_name(expr).rsplit(".", 1)[-1]
