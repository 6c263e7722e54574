"""Canonical text of a rule: one English sentence the grammar compiles back to the same rule.

``rules explain`` shows this form next to each statement, so a reader sees
exactly what was understood.  The forms::

    `a` must not import `b`[ directly][, except `c`][ (including chains through other layers)]
    Only `a` may import `b`[ within `s`]
    `a` may only import `b` and `c`            /  `a` must not import anything
    Layers, top to bottom: `a` -> `b` | `c` -> (`d`)[ in `container`]
    Each layer of `a` -> `b` -> `c` imports only the layer directly below it
    Closed layers, top to bottom: `a` -> `b` -> `c`
    `a`, `b` and `c` must not import each other[ directly]
    No circular imports[ in `a`][, TYPE_CHECKING imports count]
    No cycles between sibling packages in `a`[ down to depth 2][, skipping `x`]
    `requests` is banned[ under `app/`][ outside `app.settings`][ in `async def` code][, use `httpx`]
    Cyclomatic complexity must be at most 10[ in `app/`]
    Functions must be at most 50 lines / Files ... / Classes ... / Lines must be at most 100 characters
    Functions take at most 5 parameters
    Maintainability index must be at least 20
    Every endpoint sets `response_model`   (Every task sets `time_limit` or `soft_time_limit`)
    Every endpoint requires authentication[ via `x`][, except `login`, `/health`]
    Every model defines `__repr__` or `__str__`  /  Every model has a `created_at` column
    Every model derives from `TenantModel`
    No blocking calls inside `async def` endpoints[ (`requests`, `time.sleep`)]
    Route handlers must not use the ORM session directly
    Every endpoint is `async def`  /  Every endpoint is a plain `def`
    Every [public ]function has type hints  /  Every [public ]function has a docstring
    Every class name is PascalCase
    Every endpoint is defined under `app/routers`
    `a` may be imported from anywhere

A warning renders "must" as "should", or appends "(recommended)".
"""

from __future__ import annotations

from typing import Sequence

from ..model import Severity
from .model import (
    Acyclic,
    AllowOnly,
    Ban,
    Convention,
    Forbidden,
    Independence,
    Layers,
    Limit,
    Placement,
    Protected,
    Ref,
    Rule,
    Shared,
    Spec,
)


def names(items: Sequence[Ref | str], joiner: str = "and") -> str:
    """```a`, `b` and `c``."""
    parts = [str(i) if isinstance(i, Ref) else f"`{i}`" for i in items]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {joiner} " + parts[-1]


def _layer(refs: Sequence[Ref], independent: bool) -> str:
    sep = " | " if independent else " / "
    return sep.join(str(r) for r in refs)


def _chain(spec: Layers) -> str:
    return " -> ".join(_layer(layer, spec.independent_at(i)) for i, layer in enumerate(spec.layers))


def _ignoring(pairs: Sequence[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    return ", ignoring " + names([f"{a} -> {b}" for a, b in pairs])


_SUBJECT_WORD = {"routes": "endpoint", "models": "model", "tasks": "task", "functions": "function", "classes": "class", "modules": "module"}
_CASE_WORD = {"pascal": "PascalCase", "snake": "snake_case", "upper": "UPPER_CASE"}
_METRIC_TEXT = {
    "complexity": ("Cyclomatic complexity must be", ""),
    "function-length": ("Functions must be", " lines"),
    "class-length": ("Classes must be", " lines"),
    "file-length": ("Files must be", " lines"),
    "line-length": ("Lines must be", " characters"),
    "parameters": ("Functions take", " parameters"),
    "maintainability": ("Maintainability index must be", ""),
}
_CONSTRUCT_TEXT = {
    "bare-except": "bare `except`",
    "star-import": "`import *`",
    "relative-import": "relative imports",
    "local-import": "imports inside functions",
    "third-party-import": "third-party imports",
    "db-query": "database queries",
    "raw-sql": "raw SQL",
}


def _num(x: float | int) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def render_spec(spec: Spec) -> str:
    """The canonical sentence of a spec (error severity)."""
    if isinstance(spec, Forbidden):
        text = f"{names(spec.sources)} must not import {names(spec.targets)}"
        if spec.direct:
            text += " directly"
        if spec.exceptions:
            text += f", except {names(spec.exceptions)}"
        text += _ignoring(spec.ignore_imports)
        if spec.through_layers:
            text += " (including chains through other layers)"
        return text
    if isinstance(spec, Protected):
        text = f"Only {names(spec.importers)} may import {names(spec.targets)}" if spec.importers else f"No module may import {names(spec.targets)}"
        if spec.scope:
            text += f" within {names(spec.scope)}"
        return text + _ignoring(spec.ignore_imports)
    if isinstance(spec, AllowOnly):
        if not spec.allowed:
            text = f"{names(spec.sources)} must not import anything"
        else:
            text = f"{names(spec.sources)} may only import {names(spec.allowed)}"
        if spec.externals:
            text += " (third-party included)"
        return text
    if isinstance(spec, Layers):
        chain = _chain(spec)
        if spec.closed and spec.direction:
            text = f"Closed layers, top to bottom: {chain}"
        elif spec.closed:
            text = f"Each layer of {chain} imports only the layer directly below it"
        else:
            text = f"Layers, top to bottom: {chain}"
        if spec.containers:
            text += f" in {names(spec.containers)}"
        if spec.exempt:
            text += f", except {names(spec.exempt)}"
        text += _ignoring(spec.ignore_imports)
        if spec.exhaustive:
            text += " (exhaustive)"
        return text
    if isinstance(spec, Independence):
        text = f"{names(spec.modules)} must not import each other"
        if spec.direct:
            text += " directly"
        return text + _ignoring(spec.ignore_imports)
    if isinstance(spec, Acyclic):
        if spec.siblings:
            text = "No cycles between sibling packages"
            if spec.scope:
                text += f" in {names(spec.scope)}"
            if spec.depth:
                text += f" down to depth {spec.depth}"
            if spec.skip_descendants:
                text += f", skipping {names(spec.skip_descendants)}"
        else:
            text = "No circular imports"
            if spec.scope:
                text += f" in {names(spec.scope)}"
        if spec.type_checking:
            text += ", TYPE_CHECKING imports count"
        return text
    if isinstance(spec, Ban):
        items = [_CONSTRUCT_TEXT.get(n, f"`{n}`") for n in spec.names]
        joined = ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]
        text = f"{joined} {'are' if len(items) > 1 or spec.names[0] in ('relative-import', 'third-party-import', 'local-import', 'db-query') else 'is'} banned"
        if spec.under:
            text += f" under {names(spec.under)}"
        if spec.outside:
            text += f" outside {names(spec.outside)}"
        if spec.in_async:
            text += " in `async def` code"
        if spec.replacement:
            text += f", use `{spec.replacement}`"
        return text
    if isinstance(spec, Limit):
        lead, unit = _METRIC_TEXT[spec.metric]
        if spec.maximum is not None and spec.minimum is not None:
            text = f"{lead} between {_num(spec.minimum)} and {_num(spec.maximum)}{unit}"
        elif spec.maximum is not None:
            text = f"{lead} at most {_num(spec.maximum)}{unit}"
        else:
            text = f"{lead} at least {_num(spec.minimum or 0)}{unit}"
        if spec.under:
            text += f" in {names(spec.under)}"
        return text
    if isinstance(spec, Convention):
        return _convention(spec)
    if isinstance(spec, Placement):
        word = _SUBJECT_WORD[spec.subject] + (" class" if spec.classes_only else "")
        return f"Every {word} is defined under {names(spec.folders, 'or')}"
    if isinstance(spec, Shared):
        return f"{names(spec.modules)} may be imported from anywhere"
    raise TypeError(f"unknown rule spec {spec!r}")  # pragma: no cover


def _convention(spec: Convention) -> str:
    word = _SUBJECT_WORD.get(spec.subject, spec.subject)
    public = "public " if spec.public_only else ""
    req = spec.requirement
    if req == "option":
        text = f"Every {word} sets {names(spec.names, 'or')}"
    elif req == "auth":
        text = f"Every {word} requires authentication"
        if spec.names:
            text += f" via {names(spec.names, 'or')}"
    elif req == "method":
        text = f"Every {word} defines {names(spec.names, 'or')}"
    elif req == "column":
        text = f"Every {word} has a {names(spec.names, 'or')} column"
    elif req == "base":
        text = f"Every {word} derives from {names(spec.names, 'or')}"
    elif req == "no-blocking":
        where = "endpoints" if spec.subject == "routes" else "functions"
        text = f"No blocking calls inside `async def` {where}"
        if spec.names:
            text += f" ({', '.join(f'`{n}`' for n in spec.names)})"
    elif req == "no-session":
        text = "Route handlers must not use the ORM session directly"
    elif req == "async":
        text = f"Every {word} is `async def`"
    elif req == "sync":
        text = f"Every {word} is a plain `def`, never `async def`"
    elif req == "type-hints":
        text = f"Every {public}{word} has type hints"
    elif req == "docstring":
        text = f"Every {public}{word} has a docstring"
    elif req == "case":
        text = f"Every {word} name is {_CASE_WORD[spec.names[0]]}"
    else:  # pragma: no cover
        raise TypeError(f"unknown requirement {req}")
    if spec.under:
        text += f" under {names(spec.under)}"
    if spec.exceptions:
        text += f", except {names(list(spec.exceptions))}"
    return text


def render(rule: Rule) -> str:
    """The canonical sentence of a rule, with its severity."""
    text = render_spec(rule.spec)
    if rule.severity is Severity.WARNING:
        if " must " in text:
            return text.replace(" must ", " should ", 1)
        return text + " (recommended)"
    if rule.severity is Severity.INFO:
        return text + " (for information)"
    return text


def render_rules(rules: Sequence[Rule]) -> str:
    """A Markdown list of canonical sentences, one rule per item."""
    return "".join(f"- {render(r)}.\n" for r in rules)
