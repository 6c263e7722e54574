"""Declared dependencies: which files declare the project's dependencies, and the findings they gate."""

from __future__ import annotations

from backendscan.dependencies import read_declarations
from backendscan.testing import scan_files


def _deps(result):
    return sorted((f.rule_id, f.symbol) for f in result.findings if f.rule_id.endswith("-dependency"))


def test_a_helper_tools_requirements_file_does_not_judge_the_package(tmp_path):
    # Superset ships translations/requirements.txt (Babel, jinja2) inside the package
    r = scan_files(
        tmp_path,
        {
            "app/__init__.py": "import flask\nimport jinja2\n",
            "app/views.py": "from flask_appbuilder import BaseView\n",
            "app/translations/requirements.txt": "Babel==2.9.1\njinja2==3.1.6\n",
        },
    )
    assert _deps(r) == []
    assert r.declarations.sources == ()
    assert [(d.name, d.group, d.source, d.version) for d in r.declarations.dependencies] == [
        ("babel", "tool", "app/translations/requirements.txt:1", "2.9.1"),
        ("jinja2", "tool", "app/translations/requirements.txt:2", "3.1.6"),
    ]


def test_project_requirements_next_to_a_helper_tools_file(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "requirements.txt": "flask==3.0.0\n",
            "tools/requirements.txt": "sphinx==7.0\n",
            "app/__init__.py": "import flask\nimport requests\nimport sphinx\n",
        },
    )
    assert r.declarations.sources == ("requirements.txt",)
    # the tool's sphinx still counts as declared; it is never "unused"
    assert _deps(r) == [("undeclared-dependency", "requests")]
    assert {(d.name, d.group) for d in r.declarations.dependencies} == {("flask", "main"), ("sphinx", "tool")}


def test_requirements_folders_and_project_folders_are_project_declarations():
    files = {
        "requirements/base.txt": "django==5.1\n",
        "web/requirements.txt": "celery==5.3\n",
        "svc/pyproject.toml": "",
        "svc/requirements/prod.txt": "gunicorn==23.0\n",
        "svc/tools/requirements.txt": "black==24.1\n",
    }
    d = read_declarations(files, {}, project_dirs=["web"])
    assert d.sources == ("requirements/base.txt", "svc/requirements/prod.txt", "web/requirements.txt")
    assert [(x.name, x.group) for x in d.dependencies] == [
        ("black", "tool"),
        ("celery", "main"),
        ("django", "main"),
        ("gunicorn", "main"),
    ]
