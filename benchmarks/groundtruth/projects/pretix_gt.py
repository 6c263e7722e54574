"""Ground truth for pretix (Django + DRF routes, Django models, Celery tasks).

Config: a minimal pretix.cfg with a SQLite database (written by the setup
script to /work/gt/home/pretix/pretix.cfg).  Bundled plugins
(``pretix.plugins.*``) are part of INSTALLED_APPS and therefore included.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = "/work/gt/home/pretix"
os.environ.setdefault("PRETIX_CONFIG_FILE", f"{HOME}/pretix.cfg")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretix.settings")
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_celery  # noqa: E402
import dump_django  # noqa: E402

PROJECT = "pretix"
ROOTS = ["pretix"]


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    write_json(PROJECT, "routes", dump_django.dump_routes(ROOTS))
    write_json(PROJECT, "models", dump_django.dump_models(ROOTS))

    from pretix.celery_app import app

    write_json(PROJECT, "tasks", dump_celery.dump_app(app, ROOTS))
    write_meta(
        PROJECT,
        {"settings": "pretix.settings with PRETIX_CONFIG_FILE (SQLite)",
         "root_urlconf": settings.ROOT_URLCONF,
         "installed_apps": list(settings.INSTALLED_APPS),
         "celery_app": "pretix.celery_app:app",
         "scan_root": "site-packages/pretix"},
        ["pretix", "django", "djangorestframework", "celery"],
    )


if __name__ == "__main__":
    main()
