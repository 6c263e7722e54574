"""Ground truth for changedetection.io (Flask blueprints + Flask-RESTful
resources).  No ORM models and no Celery: routes only.

The app factory normally starts fetch workers, a ticker, notification workers
and a version checker that calls an outside host.  Here: batch_mode=True (no
ticker/notification/version threads), FETCH_WORKERS=1 (idle: no watches), DISABLE_VERSION_CHECK,
an empty datastore in /work/gt/home/changedetection without default watches,
and the process ends with os._exit right after the dump.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

HOME = "/work/gt/home/changedetection"
os.makedirs(HOME, exist_ok=True)
os.environ["DISABLE_VERSION_CHECK"] = "yes"
os.environ["FETCH_WORKERS"] = "1"  # a worker only consumes the (empty) queue
os.environ["NOTIFICATION_WORKERS"] = "0"
os.environ.setdefault("DISABLE_GC_FREEZE", "yes")

from gtcommon import write_json, write_meta  # noqa: E402
import dump_flask  # noqa: E402

PROJECT = "changedetection"
ROOTS = ["changedetectionio"]


def main() -> None:
    from changedetectionio import __version__, store
    from changedetectionio.flask_app import changedetection_app
    from changedetectionio.pluggy_interface import inject_datastore_into_plugins, register_builtin_restock_plugins

    datastore = store.ChangeDetectionStore(datastore_path=HOME, version_tag=__version__, include_default_watches=False)
    register_builtin_restock_plugins()
    inject_datastore_into_plugins(datastore)
    app = changedetection_app({"datastore_path": HOME, "batch_mode": True}, datastore)
    write_json(PROJECT, "routes", dump_flask.dump_app(app, ROOTS))
    write_meta(
        PROJECT,
        {"app": "changedetectionio.flask_app:changedetection_app(batch_mode=True)",
         "scan_root": "site-packages/changedetectionio"},
        ["changedetection.io", "flask", "flask-restful"],
    )


if __name__ == "__main__":
    code = 0
    try:
        main()
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # do not wait for the app's background threads
