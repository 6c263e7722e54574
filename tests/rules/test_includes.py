"""``@path`` include lines (CLAUDE.md that only says ``@AGENTS.md``) and role words that name files at any depth."""

from __future__ import annotations

import json
from pathlib import Path

from backendscan.cli import main
from backendscan.commands.check import load_rules_file
from backendscan.rulefiles import expand, include_lines
from backendscan.rules.model import Ref
from backendscan.rules.roles import Resolver

BAN = "- `pickle` is banned\n"


def test_include_lines_are_whole_lines_outside_code_fences() -> None:
    text = "@AGENTS.md\n- @docs/style.md\nMail @someone about it\n```\n@not/this.md\n```\n@decorator\n"
    assert include_lines(text) == [(1, "AGENTS.md"), (2, "docs/style.md")]


def test_an_included_file_is_compiled_and_cited_with_its_own_name_and_line(tmp_path: Path) -> None:
    (tmp_path / "CLAUDE.md").write_text("@AGENTS.md\n", "utf-8")
    (tmp_path / "AGENTS.md").write_text("# Team\n\nSome words.\n\n" + BAN, "utf-8")
    rs = load_rules_file(tmp_path / "CLAUDE.md")
    assert [r.where for r in rs.rules] == ["AGENTS.md:5"]
    # the include line itself is no statement
    assert all(e.source == "AGENTS.md" for e in rs.entries)
    assert [(i.source, i.line, i.status) for i in rs.includes] == [("CLAUDE.md", 1, "included")]


def test_includes_are_relative_to_the_including_file_and_loops_are_read_once(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "CLAUDE.md").write_text("@docs/a.md\n", "utf-8")
    (tmp_path / "docs" / "a.md").write_text("@b.md\n" + BAN, "utf-8")
    (tmp_path / "docs" / "b.md").write_text("@a.md\n@../CLAUDE.md\n- Never import `shelve`\n", "utf-8")
    parts, met = expand(tmp_path / "CLAUDE.md", lambda p: p.read_text("utf-8"))
    assert [name for name, _ in parts] == ["CLAUDE.md", "docs/a.md", "docs/b.md"]
    assert [(i.source, i.target, i.status) for i in met] == [
        ("CLAUDE.md", "docs/a.md", "included"),
        ("docs/a.md", "b.md", "included"),
        ("docs/b.md", "a.md", "repeated"),
        ("docs/b.md", "../CLAUDE.md", "repeated"),
    ]
    rs = load_rules_file(tmp_path / "CLAUDE.md")
    assert sorted(r.where for r in rs.rules) == ["docs/a.md:2", "docs/b.md:3"]


def test_a_missing_include_is_a_finding_at_the_include_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    proj = tmp_path / "proj"
    (proj / "app").mkdir(parents=True)
    (proj / "app" / "__init__.py").write_text("import pickle\n", "utf-8")
    (proj / "CLAUDE.md").write_text("# Rules\n\n@RULES-extra.md\n\n" + BAN, "utf-8")
    code = main(["check", str(proj), "--rules", str(proj / "CLAUDE.md"), "--format", "json", "--no-cache", "-q"])
    out = json.loads(capsys.readouterr().out)
    missing = [f for f in out["findings"] if f["rule_id"] == "rules-include-missing"]
    assert len(missing) == 1 and missing[0]["file"] == "CLAUDE.md" and missing[0]["line"] == 3
    assert code == 1  # the ban still holds and fails the gate


def test_the_cache_key_covers_included_files(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (tmp_path / "CLAUDE.md").write_text("@AGENTS.md\n", "utf-8")
    (tmp_path / "AGENTS.md").write_text(BAN, "utf-8")
    assert len(load_rules_file(tmp_path / "CLAUDE.md", cache).rules) == 1
    (tmp_path / "AGENTS.md").write_text(BAN + "- `marshal` is banned\n", "utf-8")
    assert len(load_rules_file(tmp_path / "CLAUDE.md", cache).rules) == 2


def test_a_role_word_maps_to_packages_and_modules_of_that_name_at_any_depth() -> None:
    modules = {
        "shop": "shop/__init__.py",
        "shop.kit": "shop/kit/__init__.py",
        "shop.kit.repository": "shop/kit/repository/__init__.py",
        "shop.kit.repository.base": "shop/kit/repository/base.py",
        "shop.orders": "shop/orders/__init__.py",
        "shop.orders.repository": "shop/orders/repository.py",
        "shop.orders.service": "shop/orders/service.py",
        "shop.billing": "shop/billing/__init__.py",
        "shop.billing.refunds": "shop/billing/refunds/__init__.py",
        "shop.billing.refunds.repository": "shop/billing/refunds/repository.py",
    }
    packages = [m for m, p in modules.items() if p.endswith("__init__.py")]
    res = Resolver(modules, packages).resolve(Ref("repository"))
    assert res.modules == ("shop.billing.refunds.repository", "shop.kit.repository", "shop.orders.repository")
    assert "shop.*.repository (2), shop.*.*.repository (1)" in res.how


def test_a_warm_check_does_not_import_the_grammar(tmp_path: Path) -> None:
    """The compiled-rules cache spares the ~0.1-0.3 s of importing and compiling the grammar's regexes."""
    import subprocess
    import sys

    proj = tmp_path / "proj"
    (proj / "app").mkdir(parents=True)
    (proj / "app" / "__init__.py").write_text("import json\n", "utf-8")
    (proj / "RULES.md").write_text(BAN + "- `app` must not import `shelve`\n", "utf-8")
    probe = (
        "import sys\n"
        "from backendscan.cli import main\n"
        f"code = main(['check', {str(proj)!r}, '-q', '--cache-dir', {str(tmp_path / 'c')!r}])\n"
        "print(code, 'backendscan.rules.grammar' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()[-2:]
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()[-2:]
    assert first == ["0", "True"]
    assert warm == ["0", "False"]
