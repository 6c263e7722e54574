"""Ground truth for the MLflow tracking server.

Routes: the FastAPI wrapper (``mlflow.server.fastapi_app.create_fastapi_app``),
whose catch-all mount at "/" is the Flask app ``mlflow.server:app`` behind a
WSGIMiddleware; both route sets go into routes.json (framework "fastapi" /
"flask").  The optional basic-auth app (``mlflow.server.auth``) is not
included in routes; its models are dumped separately as models_auth.json.

Models: ``mlflow.store.db.base_sql_model.Base.metadata`` after importing
``mlflow.store.db.utils`` (which imports every ORM module).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = "/work/gt/home/mlflow"
os.makedirs(HOME, exist_ok=True)
os.environ.setdefault("MLFLOW_TRACKING_URI", f"sqlite:///{HOME}/mlflow.db")
os.environ.setdefault("_MLFLOW_SERVER_FILE_STORE", f"sqlite:///{HOME}/mlflow.db")
os.environ.setdefault("_MLFLOW_SERVER_ARTIFACT_ROOT", f"{HOME}/artifacts")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_fastapi  # noqa: E402
import dump_flask  # noqa: E402
import dump_sqlalchemy  # noqa: E402

PROJECT = "mlflow"
ROOTS = ["mlflow"]


def main() -> None:
    from mlflow.server import app as flask_app

    routes = []
    try:
        from mlflow.server.fastapi_app import create_fastapi_app

        fa = create_fastapi_app(flask_app)
        routes.extend(dump_fastapi.dump_app(fa, ROOTS))
    except Exception as exc:  # the Flask part is still useful
        print(f"[groundtruth] FastAPI wrapper failed: {exc!r}", file=sys.stderr)
    routes.extend(dump_flask.dump_app(flask_app, ROOTS))
    write_json(PROJECT, "routes", routes)

    import mlflow.store.db.utils  # noqa: F401  (imports every ORM module)
    from mlflow.store.db.base_sql_model import Base

    write_json(PROJECT, "models", dump_sqlalchemy.dump_metadata([Base.metadata], ROOTS))

    from mlflow.server.auth.db import models as auth_models

    write_json(PROJECT, "models_auth", dump_sqlalchemy.dump_metadata([auth_models.Base.metadata], ROOTS))
    write_meta(
        PROJECT,
        {"app": "mlflow.server.fastapi_app:create_fastapi_app(mlflow.server:app)",
         "scan_root": "site-packages/mlflow",
         "models_from": "mlflow.store.db.base_sql_model.Base.metadata (+ mlflow.server.auth.db.models.Base.metadata in models_auth.json)"},
        ["mlflow", "mlflow-skinny", "flask", "fastapi", "starlette", "sqlalchemy"],
    )


if __name__ == "__main__":
    main()
