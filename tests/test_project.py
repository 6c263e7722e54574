"""The shared resolver/evaluator (project.py): helper functions the constant folder follows."""

from __future__ import annotations

import ast

from backendscan.testing import scan_files


def _evaluate(tmp_path, files, module, expr):
    result = scan_files(tmp_path, files)
    project = result.project
    assert project is not None
    return project.evaluate(module, ast.parse(expr, mode="eval").body)


HELPERS = {
    "pkg/__init__.py": "",
    "pkg/paths.py": '''
        import os

        STATIC_PREFIX_ENV_VAR = "_STATIC_PREFIX"
        API = "/api/3.0/things"
        DEBUG = False


        def add_static_prefix(route: str) -> str:
            """Prefix a route with the static prefix from the environment."""
            if prefix := os.environ.get(STATIC_PREFIX_ENV_VAR):
                return prefix.rstrip("/") + route
            return route


        def prefixes() -> tuple[str, ...]:
            from pkg.paths import add_static_prefix as add

            return (add("/ajax" + API), add(API))


        def pick(route):
            if DEBUG:
                return "/debug" + route
            if route == "/x":
                return "/was-x"
            return route


        def unknown(route, flag):
            if flag:
                return "/a"
            return route


        def join(base, suffix):
            full = base + "/" + suffix
            return full
    ''',
}


def test_guarded_return_reading_an_unset_env_var_takes_the_final_return(tmp_path):
    v = _evaluate(tmp_path, HELPERS, "pkg.paths", "add_static_prefix('/api/2.0')")
    assert (v.status, v.value, v.env_overridable) == ("resolved", "/api/2.0", True)


def test_single_return_after_local_imports(tmp_path):
    v = _evaluate(tmp_path, HELPERS, "pkg.paths", "prefixes()")
    assert (v.status, v.value, v.env_overridable) == ("resolved", ("/ajax/api/3.0/things", "/api/3.0/things"), True)


def test_guarded_returns_with_folded_tests(tmp_path):
    assert _evaluate(tmp_path, HELPERS, "pkg.paths", "pick('/x')").value == "/was-x"
    assert _evaluate(tmp_path, HELPERS, "pkg.paths", "pick('/y')").value == "/y"


def test_guarded_return_with_an_unknown_test_stays_unresolved(tmp_path):
    v = _evaluate(tmp_path, HELPERS, "pkg.paths", "unknown('/b', some_flag)")
    assert v.status == "unresolved"
    assert v.unknowns


def test_function_locals_see_the_bound_parameters(tmp_path):
    result = scan_files(tmp_path, HELPERS)
    project = result.project
    fn = project.symbols["pkg.paths"].function("join")
    assert fn.single_return is None and fn.guarded_returns == ()
    # evaluated inside the function scope with its parameters bound
    from backendscan.project import Value

    env = {"base": Value("resolved", "/api"), "suffix": Value("resolved", "items")}
    v = project.evaluate("pkg.paths", ast.parse("full", mode="eval").body, "join", env)
    assert (v.status, v.value) == ("resolved", "/api/items")


def test_comparisons_and_not_fold(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/conf.py": '''
            ENV = "development"
            VERSION = 3
            FLAGS = ("a", "b")
        ''',
    }
    result = scan_files(tmp_path, files)
    project = result.project

    def ev(text):
        return project.evaluate("pkg.conf", ast.parse(text, mode="eval").body)

    assert ev("ENV == 'development'").value is True
    assert ev("ENV != 'development'").value is False
    assert ev("not ENV == 'production'").value is True
    assert ev("'a' in FLAGS and 1").status == "unresolved"  # 'and' is not folded
    assert ev("1 < VERSION <= 3").value is True
    assert ev("-VERSION").value == -3
    assert ev("ENV == unknown_name").status == "unresolved"


def test_a_cached_scan_restores_the_symbol_tables(tmp_path):
    from backendscan.config import Config
    from backendscan.pipeline import scan
    from backendscan.testing import write_files

    root = write_files(tmp_path / "proj", HELPERS)
    cfg = Config(use_cache=True, cache_dir=str(tmp_path / "cache"), jobs=1, metrics=False)
    first = scan(root, cfg)
    second = scan(root, cfg)
    assert second.stats.from_cache == first.stats.files
    fn = second.project.symbols["pkg.paths"].function("add_static_prefix")
    assert len(fn.guarded_returns) == 2


SHADOWING = {
    "shop/__init__.py": "",
    "shop/api/__init__.py": '''
        from .Spec import Spec
        from .Tags import Tags, Tag
        from . import util
    ''',
    "shop/api/Spec.py": "class Spec:\n    pass\n",
    "shop/api/Tags.py": "class Tags:\n    pass\n\n\nclass Tag:\n    pass\n",
    "shop/api/util.py": "def helper():\n    pass\n",
    "shop/app.py": '''
        import shop.api as api_pkg
        from shop.api import Spec, Tag, util
        from shop.api.Tags import Tags
    ''',
}


def test_a_name_a_package_binds_wins_over_its_submodule(tmp_path):
    # shop/api/__init__ does `from .Spec import Spec`: `shop.api.Spec` is the class, not the module
    result = scan_files(tmp_path, SHADOWING)
    p = result.project
    assert p.resolve_name("shop.app", "Spec") == "shop.api.Spec.Spec"
    assert p.resolve_name("shop.app", "api_pkg.Spec") == "shop.api.Spec.Spec"
    assert p.lookup(p.resolve_name("shop.app", "Spec")).kind == "class"
    # a from-import names a module path: `from .Tags import Tag` is the module's Tag, whatever
    # the package binds as `Tags`
    assert p.resolve_name("shop.app", "Tag") == "shop.api.Tags.Tag"
    assert p.resolve_name("shop.app", "Tags") == "shop.api.Tags.Tags"
    # `from . import util` binds the submodule itself
    assert p.resolve_name("shop.app", "util.helper") == "shop.api.util.helper"


def test_string_tests_and_slices_fold(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/rules.py": '''
            RULE = "!/favicon.ico"
            BANG = RULE.startswith("!/")
            PLAIN = RULE[1:]
            PARTS = "a/b/c".rsplit("/", 1)
        ''',
    }
    assert _evaluate(tmp_path, files, "pkg.rules", "BANG").value is True
    assert _evaluate(tmp_path / "b", files, "pkg.rules", "PLAIN").value == "/favicon.ico"
    assert _evaluate(tmp_path / "c", files, "pkg.rules", "RULE.endswith('.ico')").value is True
    assert _evaluate(tmp_path / "d", files, "pkg.rules", "PARTS").value == ["a/b", "c"]
    assert _evaluate(tmp_path / "e", files, "pkg.rules", "RULE[UNKNOWN:]").status == "unresolved"


def test_a_name_defined_in_terms_of_itself_is_reported_not_recursed(tmp_path):
    # Django admin's ModelAdmin._create_formsets: ``prefix`` refers to itself twice per level, which
    # made the evaluation take 2**25 steps (the flask analyzer folding an if-test hung on Django)
    files = {
        "pkg/__init__.py": "",
        "pkg/admin.py": '''
            def create(items):
                prefixes = {}
                for item in items:
                    prefix = item.get_default_prefix()
                    prefixes[prefix] = prefixes.get(prefix, 0) + 1
                    if prefixes[prefix] != 1 or not prefix:
                        prefix = "%s-%s" % (prefix, prefixes[prefix])
                return prefix

            COUNT = COUNT + 1
        ''',
    }
    result = scan_files(tmp_path, files)
    project = result.project
    v = project.evaluate("pkg.admin", ast.parse("prefixes[prefix] != 1 or not prefix", mode="eval").body, "create")
    assert v.status == "unresolved"
    v = project.evaluate("pkg.admin", ast.parse("COUNT", mode="eval").body)
    assert v.status == "unresolved"
    assert [(u.expr, u.reason) for u in v.unknowns] == [("COUNT", "'pkg.admin.COUNT' is defined in terms of itself")]


def test_shared_constants_fold_once_and_exactly(tmp_path):
    # a chain where every name uses the previous one twice: 2**30 evaluations without memoising
    lines = ["A0 = 'x'"] + [f"A{i} = A{i - 1} + '-' + A{i - 1}[:1]" for i in range(1, 31)]
    result = scan_files(tmp_path, {"pkg/__init__.py": "", "pkg/chain.py": "\n".join(lines) + "\n"})
    project = result.project
    v = project.evaluate("pkg.chain", ast.parse("A20", mode="eval").body)
    assert (v.status, v.value) == ("resolved", "x" + "-x" * 20)
    # past the depth limit the value is partial, and says why
    v = project.evaluate("pkg.chain", ast.parse("A30", mode="eval").body)
    assert v.status == "partial" and v.value.startswith("{A5}-{A5[:1]}-{A6[:1]}-")
    assert "too many levels of indirection" in {u.reason for u in v.unknowns}


def test_a_helper_calling_itself_twice_stops_within_the_step_budget(tmp_path):
    import time

    files = {"pkg/__init__.py": "", "pkg/rec.py": "def twice(n):\n    return twice(n) + twice(n)\n"}
    project = scan_files(tmp_path, files).project
    t = time.perf_counter()
    v = project.evaluate("pkg.rec", ast.parse("twice(1)", mode="eval").body)
    assert time.perf_counter() - t < 10
    assert v.status != "resolved"
    assert "evaluation took too many steps" in {u.reason for u in v.unknowns}


def test_a_class_factory_folds_to_its_local_class(tmp_path):
    # Polar: polar/kit/routing.py get_api_router_class(); polar/routing.py APIRouter = get_api_router_class(APIRoute)
    files = {
        "pkg/__init__.py": "",
        "pkg/kit.py": '''
            from fastapi import APIRouter as _APIRouter


            def get_api_router_class(route_class):
                """Returns a subclass of `APIRouter` that uses the given `route_class`."""

                class _CustomAPIRouter(_APIRouter):
                    def __init__(self, *args, **kwargs):
                        kwargs["route_class"] = route_class
                        super().__init__(*args, **kwargs)

                return _CustomAPIRouter
        ''',
        "pkg/routing.py": "from fastapi.routing import APIRoute\nfrom pkg.kit import get_api_router_class\n\nAPIRouter = get_api_router_class(APIRoute)\n",
    }
    project = scan_files(tmp_path, files).project
    fn = project.symbols["pkg.kit"].function("get_api_router_class")
    assert isinstance(fn.single_return, ast.Name) and fn.single_return.id == "_CustomAPIRouter"
    v = project.evaluate("pkg.routing", ast.parse("APIRouter", mode="eval").body)
    assert (v.status, v.value.qualname) == ("resolved", "pkg.kit.get_api_router_class.<locals>._CustomAPIRouter")
    assert project.is_subclass(v.value.qualname, {"fastapi.APIRouter"})
