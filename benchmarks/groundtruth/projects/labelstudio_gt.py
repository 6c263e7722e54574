"""Ground truth for Label Studio (Django + DRF routes).

Label Studio runs with its package folder on ``sys.path`` (``label_studio/server.py``
inserts it), so its modules are top-level (``core``, ``projects``, ``tasks``...).
Settings: ``core.settings.label_studio`` with SQLite in /work/gt/home/labelstudio.
Only routes are dumped (its models are not part of this benchmark).

    /work/gt/venv-labelstudio/bin/python benchmarks/groundtruth/projects/labelstudio_gt.py
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import label_studio  # noqa: E402

LS_PATH = os.path.dirname(os.path.abspath(label_studio.__file__))
sys.path.insert(0, LS_PATH)
HOME = "/work/gt/home/labelstudio"
os.environ.setdefault("LABEL_STUDIO_BASE_DATA_DIR", HOME)
os.environ.setdefault("DJANGO_DB", "sqlite")
os.environ.setdefault("LATEST_VERSION_CHECK", "false")  # no network: skip the PyPI version check
os.environ.setdefault("COLLECT_ANALYTICS", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.label_studio")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_django  # noqa: E402

PROJECT = "labelstudio"


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    roots = sorted(n for n in os.listdir(LS_PATH) if os.path.isfile(os.path.join(LS_PATH, n, "__init__.py")))
    write_json(PROJECT, "routes", dump_django.dump_routes(roots))
    write_meta(
        PROJECT,
        {"settings": "core.settings.label_studio (SQLite, LABEL_STUDIO_BASE_DATA_DIR=/work/gt/home/labelstudio)",
         "root_urlconf": settings.ROOT_URLCONF,
         "installed_apps": list(settings.INSTALLED_APPS),
         "roots": roots,
         "scan_root": "site-packages/label_studio (import root: the folder itself)"},
        ["label-studio", "django", "djangorestframework"],
    )


if __name__ == "__main__":
    main()
