"""Ground truth for Apache Airflow 3's API server (FastAPI routes: core API,
execution API, UI API, auth-manager routes) and its SQLAlchemy models.

AIRFLOW_HOME is a throw-away folder with a SQLite metadata DB that is never
migrated; the default SimpleAuthManager is used; no providers besides the
ones airflow-core pulls in.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = os.environ.setdefault("AIRFLOW_HOME", "/work/gt/home/airflow")
os.makedirs(HOME, exist_ok=True)
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{HOME}/airflow.db")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
os.environ.setdefault("AIRFLOW__API_AUTH__JWT_SECRET", "groundtruth-not-a-secret")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_fastapi  # noqa: E402
import dump_sqlalchemy  # noqa: E402

PROJECT = "airflow"
ROOTS = ["airflow"]


def main() -> None:
    from airflow.api_fastapi.app import create_app

    app = create_app(apps="all")
    write_json(PROJECT, "routes", dump_fastapi.dump_app(app, ROOTS))

    from airflow.models import import_all_models
    from airflow.models.base import Base

    import_all_models()
    write_json(PROJECT, "models", dump_sqlalchemy.dump_metadata([Base.metadata], ROOTS))
    write_meta(
        PROJECT,
        {"app": "airflow.api_fastapi.app:create_app(apps='all')",
         "models_from": "airflow.models.base.Base.metadata after airflow.models.import_all_models()",
         "scan_root": "site-packages/airflow"},
        ["apache-airflow-core", "fastapi", "starlette", "sqlalchemy"],
    )


if __name__ == "__main__":
    main()
