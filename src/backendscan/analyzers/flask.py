"""Flask routes: apps, blueprints, class-based views, Flask-RESTful and Flask-RESTX.

What is understood (names are resolved through imports, aliases, re-exports and
class hierarchies, never by variable name; project subclasses of ``Flask``,
``Blueprint``, ``Api``, ``Namespace``, ``View``/``MethodView``/``Resource``
count):

* applications: ``Flask(__name__)`` at module level or inside app factories
  (``create_app()``; the factory's local app object, local imports included);
* blueprints: ``Blueprint(name, __name__, url_prefix=)``,
  ``app.register_blueprint(bp, url_prefix=)`` (the call's ``url_prefix``
  overrides the blueprint's own), blueprints registered on blueprints, and
  blueprints made by factory functions (``construct_blueprint(...)``);
* registration: ``@x.route(rule, methods=[...])`` (stacked decorators give
  one route per rule), ``@x.get/post/put/delete/patch``,
  ``add_url_rule(rule, endpoint, view_func, methods=)`` with functions,
  ``View.as_view()`` and ``MethodView`` classes (methods = the verb methods
  the class implements, inherited ones included, unless ``methods`` is set);
  the default is GET and Flask's automatic HEAD/OPTIONS are left out;
* helper functions called with the app or a blueprint (``init_app(app)``,
  ``register_blueprints(app)``, ``register_api(View, "ep", "/url")``):
  parameters are bound to the arguments (up to 8 calls deep); functions that
  register something but are never called from the scanned code (an app
  factory started by gunicorn) are run with unknown parameters;
* Flask-RESTful / Flask-RESTX: ``Api(app_or_bp, prefix=)``, deferred
  ``api.init_app(app)``, ``api.add_resource(Resource, *urls, endpoint=)``,
  ``@api.resource``, ``Namespace(name, path=)``, ``api.namespace()``,
  ``@ns.route`` on Resource classes, ``api.add_namespace(ns, path)``, and
  wrapper methods of ``Api`` subclasses (inlined: a URL transformation that
  folds gives the real URL, else a ``{...}`` placeholder); flask-smorest
  ``Api.register_blueprint``;
* project subclasses that override Flask's own methods are followed, not
  assumed: ``add_url_rule`` overrides run with ``self`` bound (``super()``
  reaches Flask's), ``__init__`` and ``@contextmanager`` methods set the
  instance attributes they read, and a ``make_setup_state`` override's setup
  state decides how each rule joins the prefix (indico's ``'!/'`` rules);
* loops over literal lists/tuples (also ``dict.items()``, ``itertools.chain``,
  concatenations, lists built with ``append``, and tables returned by helper
  functions) are unrolled, with ``if``-branches whose test folds taken alone;
  registration driven by other data gives a ``dynamic-registration`` finding
  at the call site naming the part the scan could not enumerate;
* prefixes and rules are constant-folded (module constants, settings,
  ``os.environ.get`` defaults, f-strings, one-line helpers); what does not
  fold stays visible as a ``{expr}`` placeholder (``path_status`` partial);
* blueprints, ``Api`` objects and namespaces no app reaches: routes with
  ``orphan=true`` plus an ``orphan-blueprint``/``orphan-api`` finding; routes
  added to an existing app by a function no scanned code calls (an entry
  point or a plugin hook) carry a ``reachability`` option;
* auth evidence: decorators on the view (``login_required``,
  ``jwt_required()``, ``auth.login_required``, ``roles_required``, and project
  decorators whose body references ``current_user``, ``login_required``,
  ``verify_jwt_in_request`` or calls ``abort(401|403)``), class
  ``decorators``/``method_decorators`` (inherited), ``Api``/``Namespace``
  ``decorators=`` and ``before_request`` hooks that check auth, inherited by
  every route of their blueprint or app.

Not understood (reported, never guessed): routes computed from runtime data
(protobuf service tables, ``importlib`` plugin discovery), overrides whose
effect the scan cannot follow (their routes get Flask's behaviour and an
``overridden_by`` option), auth checks inside view-class methods, the
static-file route Flask adds for ``static_folder`` and the documentation
routes of RESTX.  Flask-AppBuilder views and APIs are the
``flask_appbuilder`` analyzer's (:mod:`.flask_appbuilder`).

The interpreter runs only when some module imports ``flask``, a ``flask_*``
extension or ``apiflask`` (the text pre-check also matches Django code), and
it unpickles the body of a function only when it runs it (see
:mod:`.flask_summary`).
"""

from __future__ import annotations

from typing import ClassVar

from ..parsing import ParsedModule
from ..project import Project
from .base import AnalyzerOutput
from .flask_interp import Interpreter
from .flask_routes import Composer
from .flask_summary import FlaskVisitor

_KEYWORDS = (
    "flask",
    "Flask",
    "Blueprint",
    "blueprint",
    "add_url_rule",
    "add_resource",
    "add_namespace",
    "MethodView",
    "Resource",
    "as_view",
    "before_request",
    "init_app",
    ".route(",
    "create_app",
    "make_app",
)


def uses_flask(project: Project) -> bool:
    """Some module imports ``flask``, a ``flask_*`` extension or ``apiflask``.

    The text pre-check (``_KEYWORDS``) also matches Django code (``as_view``,
    ``create_app``...); without a Flask import nothing the interpreter finds can
    be a Flask route, so it is not run.
    """
    for syms in project.symbols.values():
        for b in syms.bindings:
            top = b.target.split(".", 1)[0]
            if top == "flask" or top.startswith("flask_") or top == "apiflask":
                return True
    return False


class FlaskAnalyzer:
    """The ``flask`` analyzer plugin (see the module docstring)."""

    name: ClassVar[str] = "flask"
    version: ClassVar[str] = "8"
    kinds: ClassVar[frozenset[str]] = frozenset({"source"})  # resolve reads application code only

    def interested(self, module: str, text: str) -> bool:
        return any(k in text for k in _KEYWORDS)

    def visitor(self, parsed: ParsedModule) -> FlaskVisitor:
        return FlaskVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        summaries = {
            m: s for m, s in project.summaries_of(self.name).items()
            if (mod := project.modules.get(m)) is not None and mod.kind.value == "source"
        }
        if not summaries or not uses_flask(project):
            return AnalyzerOutput()
        interp = Interpreter(project, summaries)
        regs = interp.run()
        routes, findings = Composer(project, interp, regs).compose()
        notes = tuple(("flask", n) for n in regs.notes)
        all_findings = sorted(list(regs.findings.values()) + findings, key=lambda f: f.sort_key())
        return AnalyzerOutput(routes=tuple(routes), findings=tuple(all_findings), notes=notes)
