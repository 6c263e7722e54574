"""Django ORM models and migrations (analyzer ``django_models``).

Emits one ``OrmModel`` fact (``orm="django"``) per model class and per
auto-created many-to-many table, without importing the project:

* ``class_name``: dotted class (``""`` for an auto-created M2M table, ``kind="m2m"``);
* ``table`` / ``table_status``: ``Meta.db_table`` (``resolved``; ``partial`` or
  ``unresolved`` when it does not fold) or ``<app_label>_<model>`` (``derived``);
  abstract and proxy models have no table (``none``);
* ``base``: the app label; ``options``: ``app_label``, ``app_label_from``
  (``Meta.app_label``, ``AppConfig <class>``, ``INSTALLED_APPS`` or ``package``),
  ``db_table``, ``managed``, ``proxy``, ... as written;
* ``columns``: concrete fields with their database column (``db_column``,
  ``<name>_id`` for ``ForeignKey``/``OneToOneField``), the type as
  ``FieldClass(max_length=...)``, nullability, primary key (explicit, parent
  link, or the implicit ``id`` of ``DEFAULT_AUTO_FIELD`` /
  ``AppConfig.default_auto_field``), uniqueness, index and default;
  ``inherited_from`` names the abstract base a column comes from;
* ``foreign_keys``: ``{column, references: "table.column"}`` resolved through
  labels, ``"self"``, ``settings.AUTH_USER_MODEL`` and class objects;
* ``relationships``: FK / O2O / M2M accessors with ``related_name`` (as
  ``backref``), M2M ``secondary`` tables, generic relations (logical only);
* ``parent`` / ``inheritance``: ``multi_table`` (MTI child) or ``proxy``;
* a model class defined under ``if``/``try`` gets the option ``condition``.

Migrations (``<app>/migrations/*.py``) are replayed per app and compared with
the models (findings ``table-without-model`` and ``model-without-migration``).
The details and the rules followed are in :mod:`.djangoorm`.

Configuration (``[tool.backendscan]``):

* ``django-logical-fk-fields = ["HybridCloudForeignKey"]``: relation field
  classes that are not database foreign keys;
* ``django-external-tables = {"taggit.Tag" = "taggit_tag.id"}``: tables of models
  outside the scan, for foreign keys that point at them;
* ``django-max-name-length = 63``: the backend's identifier limit for Django's
  name shortening, when ``DATABASES`` does not say.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..model import Finding, Location, Severity
from ..parsing import ParsedModule
from ..project import Project
from ..visiting import Context, FileVisitor
from .base import AnalyzerOutput
from .djangoorm import fields as F
from .djangoorm.apps import AppRegistry
from .djangoorm.migrations import Migrations, compare
from .djangoorm.schema import Schema


@dataclass(frozen=True)
class ModuleSummary:
    """What one file tells about Django fields: custom ``__init__`` defaults and ``add_to_class`` calls."""

    inits: tuple[F.InitSpec, ...] = ()
    adds: tuple[F.AddToClass, ...] = ()
    conditional: tuple[tuple[str, str], ...] = ()  # (class qualname, condition text) of classes under if/try


class _Visitor(FileVisitor):
    def __init__(self, parsed: ParsedModule) -> None:
        self.inits: list[F.InitSpec] = []
        self.adds: list[F.AddToClass] = []
        self.conditional: list[tuple[str, str]] = []

    def visit_ClassDef(self, node: ast.ClassDef, ctx: Context) -> None:
        if ctx.conditional and not ctx.in_function:
            conds = ctx.conditions()
            text = " and ".join(("" if branch else "not ") + F.unparse(test) for test, branch in conds) or "try/loop block"
            prefix = ctx.qualname
            self.conditional.append((f"{prefix}.{node.name}" if prefix else node.name, text))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        if node.name == "__init__" and ctx.in_class_body:
            spec = F.init_spec(node, ctx.scope)
            if spec is not None:
                self.inits.append(spec)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Expr(self, node: ast.Expr, ctx: Context) -> None:
        call = node.value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            return
        if call.func.attr != "add_to_class" or len(call.args) != 2:
            return
        model = _dotted(call.func.value)
        name, value = call.args
        if model and isinstance(name, ast.Constant) and isinstance(name.value, str) and isinstance(value, ast.Call):
            self.adds.append(F.AddToClass(model, name.value, value, node.lineno, ctx.scope))

    def finish(self) -> ModuleSummary | None:
        if not self.inits and not self.adds and not self.conditional:
            return None
        return ModuleSummary(tuple(self.inits), tuple(self.adds), tuple(self.conditional))


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class DjangoModelsAnalyzer:
    """Django ORM models, relations and migration drift (see the module docstring)."""

    name = "django_models"
    version = "2"
    #: resolve() replays every migration's ``dependencies``/``operations``: loaded while files are still extracted
    prefetch = {"migration": ("assignments",)}

    def interested(self, module: str, text: str) -> bool:
        return ("__init__" in text and "kwargs" in text) or "add_to_class" in text or "models" in text

    def visitor(self, parsed: ParsedModule) -> FileVisitor:
        return _Visitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        if not _uses_django(project):
            return AnalyzerOutput()
        inits: dict[str, tuple[str, F.InitSpec]] = {}
        adds: list[tuple[str, F.AddToClass]] = []
        conditional: dict[str, str] = {}
        for module, summary in sorted(project.summaries_of(self.name).items()):
            if not isinstance(summary, ModuleSummary):
                continue
            for spec in summary.inits:
                inits[f"{module}.{spec.cls}"] = (module, spec)
            adds.extend((module, a) for a in summary.adds)
            conditional.update((f"{module}.{q}", text) for q, text in summary.conditional)
        apps = AppRegistry(project)
        schema = Schema(project, apps, inits, adds, conditional)
        schema.collect()
        models = schema.facts()
        findings: list[Finding] = []
        notes: list[str] = []
        for first, second in schema.duplicates:
            findings.append(Finding(
                rule_id="duplicate-model",
                severity=Severity.WARNING,
                message=f"{second.qualname} and {first.qualname} are both model '{first.name}' of app '{first.label}'",
                location=Location(second.file, second.line),
                symbol=second.qualname,
                hint="Django refuses two models with the same app label and name; give one a Meta.app_label.",
                category="models",
            ))
        drift, mig_notes = compare(models, Migrations(schema, apps))
        findings.extend(drift)
        notes.extend(mig_notes)
        if models:
            n_models = sum(1 for m in models if m.kind == "model")
            n_m2m = len(models) - n_models
            notes.append(
                f"{n_models} Django model classes and {n_m2m} auto-created many-to-many tables; "
                f"AUTH_USER_MODEL = {schema.auth_user_model} ({schema.auth_user_source}); "
                f"implicit primary keys: {apps.default_auto_field.rsplit('.', 1)[-1]} ({apps.default_auto_field_source})"
            )
            if schema.max_name_length:
                notes.append(f"table names shortened to {schema.max_name_length} characters ({schema.name_length_source})")
            elif schema.name_length_source:
                notes.append(f"table names are not shortened ({schema.name_length_source} has no name limit)")
            else:
                notes.append("table names are not shortened: the database backend's name limit is not known")
        return AnalyzerOutput(
            models=tuple(models),
            findings=tuple(findings),
            notes=tuple(("django models", n) for n in notes),
        )


def _uses_django(project: Project) -> bool:
    if project.django_settings_modules:
        return True
    for syms in project.symbols.values():
        for b in syms.bindings:
            if b.target == "django" or b.target.startswith("django."):
                return True
    return False


__all__ = ["DjangoModelsAnalyzer", "ModuleSummary"]
