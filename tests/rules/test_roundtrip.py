"""Rendering a rule to its canonical sentence and compiling that sentence gives the same rule."""

from __future__ import annotations

from hypothesis import given, strategies as st

from backendscan.model import Severity
from backendscan.rules.compiler import compile_rules
from backendscan.rules.model import (
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
)
from backendscan.rules.render import render, render_rules

word = st.sampled_from(["app", "core", "billing", "shop", "users", "orders", "web", "infra", "legacy", "payments"])
module = st.builds(lambda a, b: f"{a}.{b}", word, word)
path = st.builds(lambda a, b: f"{a}/{b}", word, word)
role = st.sampled_from(["routers", "services", "repositories", "models", "schemas", "handlers"])
mod_ref = st.builds(Ref, module)
any_ref = st.one_of(mod_ref, st.builds(lambda r: Ref(r, quoted=False), role))


def uniq(strategy, min_size=1, max_size=2):  # type: ignore[no-untyped-def]
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique_by=lambda r: r.text).map(tuple)


def disjoint(*groups):  # type: ignore[no-untyped-def]
    seen = set()
    for g in groups:
        for r in g:
            if r.text in seen:
                return False
            seen.add(r.text)
    return True


forbidden = st.builds(
    Forbidden,
    sources=uniq(any_ref),
    targets=uniq(any_ref),
    exceptions=uniq(mod_ref, 0, 1),
    ignore_imports=st.lists(st.tuples(module, module), max_size=1).map(tuple),
    direct=st.booleans(),
    through_layers=st.booleans(),
).filter(lambda s: disjoint(s.sources, s.targets, s.exceptions))
protected = st.builds(Protected, targets=uniq(mod_ref), importers=uniq(mod_ref, 0, 2), scope=uniq(mod_ref, 0, 1), ignore_imports=st.lists(st.tuples(module, module), max_size=1).map(tuple)).filter(
    lambda s: disjoint(s.targets, s.importers, s.scope)
)
allow = st.builds(AllowOnly, sources=uniq(any_ref, 1, 1), allowed=uniq(mod_ref, 0, 2), externals=st.booleans()).filter(
    lambda s: disjoint(s.sources, s.allowed)
)
layer = uniq(mod_ref, 1, 2)


@st.composite
def layers(draw):  # type: ignore[no-untyped-def]
    ls = draw(st.lists(layer, min_size=2, max_size=4))
    if not disjoint(*ls):
        ls = [tuple(Ref(f"{r.text}{i}") for r in layer_) for i, layer_ in enumerate(ls)]
    independent = tuple(draw(st.booleans()) if len(layer_) > 1 else True for layer_ in ls)
    direction, closed = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
    containers = draw(uniq(st.builds(Ref, word), 0, 1))
    exempt = draw(uniq(st.builds(Ref, st.builds(lambda a: f"x.{a}", word)), 0, 1)) if closed else ()
    ignore = tuple(draw(st.lists(st.tuples(module, module), max_size=1)))
    return Layers(tuple(ls), independent, containers, direction, closed, exempt, ignore, exhaustive=draw(st.booleans()))


independence = st.builds(Independence, modules=uniq(mod_ref, 2, 3), direct=st.booleans(), ignore_imports=st.lists(st.tuples(module, module), max_size=1).map(tuple))
acyclic = st.one_of(
    st.builds(Acyclic, scope=uniq(mod_ref, 0, 2), type_checking=st.booleans()),
    st.builds(
        lambda scope, depth, skip, tc: Acyclic(scope, tc, True, depth, skip),
        uniq(mod_ref, 1, 1),
        st.integers(0, 5),
        uniq(st.builds(Ref, st.builds(lambda a: f"skip.{a}", word)), 0, 1),
        st.booleans(),
    ),
)
ban_names = st.lists(st.sampled_from(["requests", "print", "os.getenv", "eval", "exec", "pickle", "bare-except", "star-import", "relative-import", "third-party-import", "local-import", "time.sleep"]), min_size=1, max_size=2, unique=True).map(tuple)
ban = st.builds(
    Ban,
    names=ban_names,
    under=uniq(st.builds(Ref, path), 0, 1),
    outside=uniq(mod_ref, 0, 1),
    replacement=st.sampled_from(["", "httpx", "logging"]),
    in_async=st.booleans(),
)
limit = st.one_of(
    st.builds(lambda m, n, u: Limit(m, maximum=n, under=u), st.sampled_from(["complexity", "function-length", "class-length", "file-length", "parameters", "line-length"]), st.integers(1, 900), uniq(st.builds(Ref, path), 0, 1)),
    st.builds(lambda n: Limit("maintainability", minimum=float(n)), st.integers(1, 90)),
)
convention = st.one_of(
    st.builds(lambda names, exc: Convention("routes", "option", names, exc), st.sampled_from([("response_model",), ("status_code",), ("tags",), ("summary", "description")]), st.sampled_from([(), ("/health",)])),
    st.builds(lambda names: Convention("tasks", "option", names), st.sampled_from([("max_retries",), ("acks_late",), ("time_limit", "soft_time_limit")])),
    st.builds(lambda exc, names: Convention("routes", "auth", names, exc), st.sampled_from([(), ("login", "/health")]), st.sampled_from([(), ("get_current_user",)])),
    st.builds(lambda names: Convention("models", "method", names), st.sampled_from([("__repr__",), ("__str__",), ("__repr__", "__str__")])),
    st.builds(lambda name: Convention("models", "column", (name,)), st.sampled_from(["created_at", "updated_at", "id"])),
    st.builds(lambda name: Convention("models", "base", (name,)), st.sampled_from(["TenantModel", "Base"])),
    st.just(Convention("routes", "no-blocking")),
    st.just(Convention("routes", "no-blocking", ("requests", "time.sleep"))),
    st.just(Convention("async-functions", "no-blocking")),
    st.just(Convention("routes", "no-session")),
    st.just(Convention("routes", "async")),
    st.builds(lambda s, p: Convention(s, "type-hints", public_only=p), st.just("functions"), st.booleans()),
    st.builds(lambda s, p: Convention(s, "docstring", public_only=p), st.sampled_from(["functions", "classes", "modules"]), st.booleans()),
    st.builds(lambda s, c: Convention(s, "case", (c,)), st.sampled_from(["classes", "functions", "modules"]), st.sampled_from(["pascal", "snake"])),
)
placement = st.builds(Placement, st.sampled_from(["routes", "models", "tasks"]), uniq(st.builds(Ref, path), 1, 2))
shared = st.builds(Shared, uniq(mod_ref, 1, 2))
specs = st.one_of(forbidden, protected, allow, layers(), independence, acyclic, ban, limit, convention, placement, shared)
severity = st.sampled_from([Severity.ERROR, Severity.WARNING, Severity.INFO])


@given(specs, severity)
def test_render_then_compile_gives_the_same_rule(spec, sev):  # type: ignore[no-untyped-def]
    rule = Rule(spec, sev)
    text = render_rules([rule])
    rs = compile_rules(text)
    assert not rs.problems
    assert list(rs.rules) == [rule], (text, rs.entries)


@given(st.lists(st.tuples(specs, severity), min_size=1, max_size=6))
def test_a_rendered_rule_file_compiles_to_the_same_rules(items):  # type: ignore[no-untyped-def]
    rules = []
    for spec, sev in items:
        r = Rule(spec, sev)
        if r not in rules:
            rules.append(r)
    # a closed-only layer rule needs no layer chain before it in canonical form; shared rules are kept as they are
    rs = compile_rules(render_rules(rules))
    assert list(rs.rules) == rules


def test_canonical_forms_read_naturally():
    assert render(Rule(Forbidden((Ref("app.api"),), (Ref("app.db"),), (Ref("app.api.deps"),), direct=True))) == (
        "`app.api` must not import `app.db` directly, except `app.api.deps`"
    )
    assert render(Rule(Ban(("requests",), replacement="httpx"), Severity.WARNING)) == "`requests` is banned, use `httpx` (recommended)"
    assert render(Rule(Limit("complexity", maximum=10))) == "Cyclomatic complexity must be at most 10"
    assert render(Rule(Convention("routes", "auth", exceptions=("/health",)))) == "Every endpoint requires authentication, except `/health`"
