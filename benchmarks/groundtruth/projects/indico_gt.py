"""Ground truth for Indico (Flask with IndicoBlueprint, Flask-SQLAlchemy
models in several PostgreSQL schemas, Celery via IndicoCelery with periodic
tasks).

Config: INDICO_CONFIG -> /work/gt/home/indico/indico.conf (copied from
config/indico.conf by the setup script).  The PostgreSQL/Redis URLs there point
at 127.0.0.1 and are never connected to.  No Indico plugins are installed.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = "/work/gt/home/indico"
os.environ.setdefault("INDICO_CONFIG", f"{HOME}/indico.conf")
for sub in ("log", "cache", "tmp", "archive"):
    os.makedirs(os.path.join(HOME, sub), exist_ok=True)

from gtcommon import write_json, write_meta  # noqa: E402
import dump_celery  # noqa: E402
import dump_flask  # noqa: E402
import dump_sqlalchemy  # noqa: E402

PROJECT = "indico"
ROOTS = ["indico"]


def main() -> None:
    from indico.web.flask.app import make_app

    app = make_app()  # also fires app_created, which imports all Celery task modules
    write_json(PROJECT, "routes", dump_flask.dump_app(app, ROOTS))
    with app.app_context():
        from indico.core.db import db
        from indico.core.db.sqlalchemy.util.models import import_all_models

        import_all_models()
        write_json(PROJECT, "models", dump_sqlalchemy.dump_metadata([db.metadata], ROOTS))

        from indico.core.celery import celery

        write_json(PROJECT, "tasks", dump_celery.dump_app(celery, ROOTS))
    write_meta(
        PROJECT,
        {"app": "indico.web.flask.app:make_app()",
         "config": os.environ["INDICO_CONFIG"],
         "models_from": "indico.core.db.db.metadata after import_all_models()",
         "celery_app": "indico.core.celery:celery (IndicoCelery)",
         "scan_root": "site-packages/indico"},
        ["indico", "flask", "flask-sqlalchemy", "sqlalchemy", "celery"],
    )


if __name__ == "__main__":
    main()
