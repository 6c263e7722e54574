"""Ground truth for Apache Superset (Flask + Flask-AppBuilder routes,
SQLAlchemy models on Flask-AppBuilder's ``Model`` base, Celery tasks).

Config: SUPERSET_CONFIG_PATH -> /work/gt/home/superset/superset_config.py
(SQLite metadata DB, in-process caches; written by the setup script).
Routes are those of ``superset.app.create_app()`` with default feature flags.
"""

import importlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = "/work/gt/home/superset"
os.environ.setdefault("SUPERSET_CONFIG_PATH", f"{HOME}/superset_config.py")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_celery  # noqa: E402
import dump_flask  # noqa: E402
import dump_sqlalchemy  # noqa: E402

PROJECT = "superset"
ROOTS = ["superset"]


def import_model_modules() -> list[str]:
    """Import every ``models.py`` / ``models/*.py`` module of superset (found on
    disk, so that unrelated packages are not imported)."""
    import superset

    root = os.path.dirname(superset.__file__)
    base = os.path.dirname(root)
    done = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("migrations", "tests", "__pycache__", "mcp_service")]
        in_models_dir = os.path.basename(dirpath) == "models"
        for fn in sorted(filenames):
            if not fn.endswith(".py"):
                continue
            if not (fn == "models.py" or in_models_dir):
                continue
            rel = os.path.relpath(os.path.join(dirpath, fn), base)[:-3]
            name = rel.replace(os.sep, ".").removesuffix(".__init__")
            try:
                importlib.import_module(name)
                done.append(name)
            except Exception as exc:
                print(f"[groundtruth] could not import {name}: {exc!r}", file=sys.stderr)
    return done


def main() -> None:
    from superset.app import create_app

    app = create_app()
    write_json(PROJECT, "routes", dump_flask.dump_app(app, ROOTS))

    with app.app_context():
        imported = import_model_modules()
        from flask_appbuilder import Model

        write_json(PROJECT, "models", dump_sqlalchemy.dump_metadata([Model.metadata], ROOTS))

        import superset.tasks.celery_app as celery_module

        write_json(PROJECT, "tasks", dump_celery.dump_app(celery_module.app, ROOTS))
    write_meta(
        PROJECT,
        {"app": "superset.app:create_app()",
         "config": os.environ["SUPERSET_CONFIG_PATH"],
         "models_from": "flask_appbuilder.Model.metadata after importing superset.*models* modules",
         "model_modules_imported": imported,
         "celery_app": "superset.tasks.celery_app:app (conf from superset.config.CeleryConfig)",
         "scan_root": "site-packages/superset"},
        ["apache-superset", "flask", "flask-appbuilder", "flask-sqlalchemy", "sqlalchemy", "celery", "flask-caching"],
    )


if __name__ == "__main__":
    main()
