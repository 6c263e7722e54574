"""``rules infer`` drafts round-trip: every rule line compiles back to its rule, prose is no statement.

Exhaustive over the fixture projects: for each, the draft is scanned from the
same code, then

* the draft has no "not checkable" or "unrecognized" statement (its
  explanations and the imports to remove from a cycle sit in prose regions);
* each rule line, pasted alone into a RULES.md, compiles to the rules it gave
  inside the draft, and the fenced block states the same rules as the prose;
* ``check`` on the draft finds nothing (the draft holds on today's code).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.rules.checks import check, input_from_scan
from backendscan.rules.compiler import compile_rules
from backendscan.rules.infer import infer_rules
from backendscan.rules.model import COMPILED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", PROJECTS)
def test_every_drafted_line_compiles_back_to_its_rule(name: str) -> None:
    result = scan(FIXTURES / name, Config(use_cache=False, metrics=False))
    draft = infer_rules(result)
    rs = compile_rules(draft, "RULES.md")
    assert rs.problems == ()
    assert {e.status for e in rs.entries} <= {COMPILED}, [(e.line, e.status, e.text) for e in rs.entries if e.status != COMPILED]
    lines = draft.split("\n")
    prose_rules = set()
    fenced_rules = set()
    for e in rs.entries:
        if not e.rules:
            continue  # options ("Imports under `if TYPE_CHECKING:` do not count")
        line = lines[e.line - 1]
        if line.startswith("- "):
            alone = compile_rules(line + "\n", "RULES.md")
            assert set(alone.rules) == set(e.rules), line
            prose_rules |= set(e.rules)
        else:
            fenced_rules |= set(e.rules)
    assert prose_rules, draft
    assert fenced_rules <= prose_rules
    assert check([rs], input_from_scan(result)).findings == ()


def test_prose_regions_hold_no_statements() -> None:
    text = "# T\n\n<!-- backendscan: prose -->\nWe never import `pickle` here.\n\n- remove `import a` at `b.py:1`\n<!-- backendscan: rules -->\n\n- `marshal` is banned\n"
    rs = compile_rules(text)
    assert [(e.line, e.status) for e in rs.entries] == [(9, COMPILED)]
    # an unclosed region runs to the end of the file
    assert compile_rules("<!-- backendscan: prose -->\n- `marshal` is banned\n").entries == ()
