"""Ground truth for Prefect's server (FastAPI routes, SQLAlchemy models).

Run with the prefect venv's python (see ../README.md).  Uses a throw-away
PREFECT_HOME with a local SQLite database; nothing is served.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = os.environ.setdefault("PREFECT_HOME", "/work/gt/home/prefect")
os.makedirs(HOME, exist_ok=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{HOME}/prefect.db")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_fastapi  # noqa: E402
import dump_sqlalchemy  # noqa: E402

PROJECT = "prefect"
ROOTS = ["prefect"]


def main() -> None:
    from prefect.server.api.server import create_app

    # ephemeral=False so that the UI static bundle mounts are created as well.
    app = create_app(ephemeral=False, final=True)
    routes = dump_fastapi.dump_app(app, ROOTS)
    write_json(PROJECT, "routes", routes)

    from prefect.server.database import orm_models

    models = dump_sqlalchemy.dump_metadata([orm_models.Base.metadata], ROOTS)
    write_json(PROJECT, "models", models)
    write_meta(
        PROJECT,
        {"app": "prefect.server.api.server:create_app(ephemeral=False, final=True)",
         "scan_root": "site-packages/prefect",
         "models_from": "prefect.server.database.orm_models.Base.metadata"},
        ["prefect", "fastapi", "starlette", "sqlalchemy"],
    )


if __name__ == "__main__":
    main()
