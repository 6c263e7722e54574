#!/usr/bin/env python3
"""Field flags of Django models at run time vs backendscan: unique, db_index, default.

compare_models.py scores tables, columns, nullability, primary keys, types and
foreign keys.  This script adds the flags backendscan also reports per column:

  # 1. in the project's venv (imports the app, like benchmarks/groundtruth/projects/*_gt.py)
  /work/gt/venv-pretix/bin/python benchmarks/django_field_flags.py dump pretix > /tmp/pretix-flags.json
  # 2. anywhere (standard library only)
  python3 benchmarks/django_field_flags.py compare /tmp/pretix-flags.json report.json

``dump`` writes {"table.column": {"unique", "db_index", "has_default"}} for the
local concrete fields of every model (URLconf loaded first, as a running server
does).  ``compare`` scores the agreement on (table, column) pairs present in both.
"""

from __future__ import annotations

import json
import os
import sys


def _setup(project: str) -> None:
    if project == "nautobot":
        root = os.environ.setdefault("NAUTOBOT_ROOT", "/work/gt/home/nautobot")
        os.environ.setdefault("NAUTOBOT_DB_ENGINE", "django.db.backends.sqlite3")
        os.environ.setdefault("NAUTOBOT_DB_NAME", f"{root}/nautobot.sqlite3")
        os.environ.setdefault("NAUTOBOT_REDIS_HOST", "127.0.0.1")
        os.environ.setdefault("NAUTOBOT_INSTALLATION_METRICS_ENABLED", "False")
        os.environ.setdefault("CELERY_SKIP_CHECKS", "1")
        import nautobot

        nautobot.setup(os.path.join(root, "nautobot_config.py"))
        return
    if project == "pretix":
        os.environ.setdefault("PRETIX_CONFIG_FILE", "/work/gt/home/pretix/pretix.cfg")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretix.settings")
        os.environ.setdefault("CELERY_SKIP_CHECKS", "1")
    elif project == "labelstudio":
        import label_studio

        sys.path.insert(0, os.path.dirname(os.path.abspath(label_studio.__file__)))
        os.environ.setdefault("LABEL_STUDIO_BASE_DATA_DIR", "/work/gt/home/labelstudio")
        os.environ.setdefault("DJANGO_DB", "sqlite")
        os.environ.setdefault("LATEST_VERSION_CHECK", "false")
        os.environ.setdefault("COLLECT_ANALYTICS", "false")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.label_studio")
    else:
        raise SystemExit(f"unknown project {project!r} (nautobot, pretix, labelstudio)")
    import django

    django.setup()


def dump(project: str) -> int:
    _setup(project)
    from django.apps import apps
    from django.db.models import NOT_PROVIDED
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - import the views (and the models only they import)
    out = {}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.local_concrete_fields:
            out[f"{model._meta.db_table}.{f.column}"] = {
                "unique": bool(f.unique),
                "db_index": bool(f.db_index),
                "has_default": f.default is not NOT_PROVIDED,
            }
    json.dump(out, sys.stdout, indent=0, sort_keys=True)
    return 0


def compare(flags_path: str, report_path: str) -> int:
    with open(flags_path, encoding="utf-8") as fh:
        truth = json.load(fh)
    with open(report_path, encoding="utf-8") as fh:
        report = json.load(fh)
    models = report["models"] if isinstance(report, dict) else report
    found: dict[str, dict] = {}
    for m in models:
        for c in m.get("columns", []):
            found.setdefault(f"{m.get('table')}.{c.get('name')}", c)
    keys = sorted(set(truth) & set(found))
    print(f"columns compared: {len(keys)} (truth {len(truth)}, report {len(found)})")
    for flag, get in (
        ("unique", lambda c: bool(c.get("unique"))),
        ("db_index", lambda c: bool(c.get("index"))),
        ("has_default", lambda c: bool(c.get("default"))),
    ):
        bad = [k for k in keys if get(found[k]) != truth[k][flag]]
        ok = len(keys) - len(bad)
        print(f"{flag:<12} {ok / len(keys) if keys else 0:.3f} ({ok}/{len(keys)})")
        for k in bad[:15]:
            print(f"    {k}: truth={truth[k][flag]} found={get(found[k])}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "dump":
        return dump(argv[1])
    if len(argv) == 3 and argv[0] == "compare":
        return compare(argv[1], argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
