"""Ground truth for Nautobot (Django + DRF routes, Django models, Celery tasks).

Needs a config made once with ``nautobot-server init`` in $NAUTOBOT_ROOT (the
setup script does it).  The database engine is switched to SQLite and Redis
points at loopback; nothing connects to either while dumping.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ROOT = os.environ.setdefault("NAUTOBOT_ROOT", "/work/gt/home/nautobot")
os.environ.setdefault("NAUTOBOT_DB_ENGINE", "django.db.backends.sqlite3")
os.environ.setdefault("NAUTOBOT_DB_NAME", f"{ROOT}/nautobot.sqlite3")
os.environ.setdefault("NAUTOBOT_REDIS_HOST", "127.0.0.1")
os.environ.setdefault("NAUTOBOT_INSTALLATION_METRICS_ENABLED", "False")
# Celery's Django fixup runs system checks on import; they would query Redis.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_celery  # noqa: E402
import dump_django  # noqa: E402

PROJECT = "nautobot"
ROOTS = ["nautobot"]


def main() -> None:
    import nautobot

    nautobot.setup(os.path.join(ROOT, "nautobot_config.py"))
    from django.conf import settings

    write_json(PROJECT, "routes", dump_django.dump_routes(ROOTS))
    write_json(PROJECT, "models", dump_django.dump_models(ROOTS))

    import nautobot.core.celery as nb_celery
    from nautobot.core.celery import app

    # The import_modules hook also loads Jobs from Git repositories recorded in
    # the database (a JSON "contains" query SQLite cannot run); there are none.
    nb_celery._import_jobs_from_git_repositories = lambda: None

    write_json(PROJECT, "tasks", dump_celery.dump_app(app, ROOTS))
    write_meta(
        PROJECT,
        {"settings": "nautobot_config (from nautobot-server init) with SQLite",
         "root_urlconf": settings.ROOT_URLCONF,
         "installed_apps": list(settings.INSTALLED_APPS),
         "celery_app": "nautobot.core.celery:app",
         "scan_root": "site-packages/nautobot"},
        ["nautobot", "django", "djangorestframework", "celery"],
    )


if __name__ == "__main__":
    main()
