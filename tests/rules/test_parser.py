"""Reading Markdown rule files: statements, lines, context, clauses, modal words."""

from __future__ import annotations

import textwrap

from hypothesis import given, strategies as st

from backendscan.model import Severity
from backendscan.rules.compiler import compile_rules
from backendscan.rules.parser import clauses, modality, parse_markdown


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_items_paragraphs_tables_and_code_lines_keep_their_lines():
    doc = parse_markdown(
        md(
            """
            # Rules

            Intro paragraph that says nothing.

            ## Imports

            - `app.api` must not import `app.db`.
            - Functions must be at most
              60 lines.

            | Layer | May import from |
            |---|---|
            | `app.api` | `app.services` |

            ```
            web -> services -> db
            ```
            """
        )
    )
    got = [(s.line, s.block, s.text) for s in doc.statements]
    assert got == [
        (3, "paragraph", "Intro paragraph that says nothing."),
        (7, "item", "`app.api` must not import `app.db`."),
        (8, "item", "Functions must be at most 60 lines."),
        (13, "table", "`app.api` | `app.services`"),
        (16, "code", "web -> services -> db"),
    ]
    assert doc.statements[1].context[-1].text == "Imports"
    assert doc.statements[3].header == ("Layer", "May import from")
    assert [ln for ln, _ in doc.headings] == [1, 5]


def test_a_clause_on_the_second_line_of_an_item_gets_that_line():
    doc = parse_markdown("- `a.b` must not import `c.d`.\n  `e.f` must not import `g.h`.\n")
    assert clauses(doc.statements[0]) == [(1, "`a.b` must not import `c.d`"), (2, "`e.f` must not import `g.h`")]


def test_clauses_split_on_sentences_semicolons_dashes_and_cjk_stops_but_not_inside_code_or_parentheses():
    doc = parse_markdown(
        "- Never `print()`; use `log.info(a; b)` (e.g. in `x.y`). Keep it — always.\n- 禁止循环导入。必须写类型注解\n"
    )
    assert [c for _, c in clauses(doc.statements[0])] == ["Never `print()`", "use `log.info(a; b)` (e.g. in `x.y`)", "Keep it", "always"]
    assert [c for _, c in clauses(doc.statements[1])] == ["禁止循环导入", "必须写类型注解"]


def test_headings_and_labels_that_flip_polarity():
    doc = parse_markdown(
        md(
            """
            ## NEVER:
            - import `app.db` from `app.api`

            **DON'T ❌:**
            - No SQLAlchemy

            ## Non fare mai:
            - modificare lo schema senza richiesta

            ## 🚫 절대 금지
            - `print` 사용

            ## Always
            - set `max_retries`
            """
        )
    )
    pol = [(s.text, s.polarity) for s in doc.statements]
    assert pol == [
        ("import `app.db` from `app.api`", -1),
        ("No SQLAlchemy", -1),
        ("modificare lo schema senza richiesta", -1),
        ("`print` 사용", -1),
        ("set `max_retries`", 1),
    ]


def test_front_matter_is_skipped_and_lines_stay_right():
    doc = parse_markdown("---\nglobs: app/**/*.py\nalwaysApply: true\n---\n- `a.b` must not import `c.d`\n")
    assert [(s.line, s.text) for s in doc.statements] == [(5, "`a.b` must not import `c.d`")]
    assert ("globs", "app/**/*.py") in doc.front_matter


def test_vertical_arrow_diagram_in_a_fence_is_one_chain():
    doc = parse_markdown("```\nRouter (API)\n    ↓\nService\n    ↓\nRepository\n```\n")
    assert [(s.line, s.text) for s in doc.statements] == [(2, "Router (API) → Service → Repository")]


def test_python_fences_are_not_read_as_rules():
    doc = parse_markdown("```python\ndef f() -> int:\n    return 1\n```\n")
    assert doc.statements == ()
    assert doc.fences[0].info == "python"


def test_checklists_are_statements_without_the_box():
    doc = parse_markdown("- [ ] Functions are at most 30 lines?\n")
    assert doc.statements[0].text == "Functions are at most 30 lines?"
    assert doc.statements[0].checklist


MODALS = [
    ("Services must not import the API", True, Severity.ERROR),
    ("Services should not import the API", True, Severity.WARNING),
    ("Never call print", True, Severity.ERROR),
    ("Prefer small modules", False, Severity.WARNING),
    ("Avoid global state", True, Severity.WARNING),
    ("No bare except", True, Severity.ERROR),
    ("Every route sets a response model", False, Severity.ERROR),
    ("路由层禁止直接访问数据库", True, Severity.ERROR),
    ("必须写类型注解", False, Severity.ERROR),
    ("尽量避免全局变量", True, Severity.WARNING),
    ("서비스에서 DB 접근 금지", True, Severity.ERROR),
    ("함수는 30줄 이하 권장", False, Severity.WARNING),
    ("Tầng Repository KHÔNG ĐƯỢC import FastAPI", True, Severity.ERROR),
    ("I servizi non devono importare la API", True, Severity.ERROR),
    ("Evitare import circolari", True, Severity.WARNING),
    ("Layanan tidak boleh mengimpor API", True, Severity.ERROR),
    ("Sebaiknya fungsi pendek", False, Severity.WARNING),
]


def test_modal_words_in_several_languages():
    for text, negative, severity in MODALS:
        m = modality(text)
        assert (text, m.negative, m.severity) == (text, negative, severity)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_the_reader_never_raises_on_arbitrary_text(text):  # type: ignore[no-untyped-def]
    rs = compile_rules(text)
    assert isinstance(rs.entries, tuple)
    for e in rs.entries:
        assert e.status in ("compiled", "not_checkable", "unrecognized")


markdown_bits = st.sampled_from(
    ["# ", "## NEVER\n", "- ", "* ", "1. ", "| a | b |\n|---|---|\n", "```\n", "```backendscan\n", "`", "**", "->", "→", " must not import ",
     " only ", "\n", "  ", "[x] ", "> ", "禁止", "금지", ":", "(", ")", "`app.x`", "50 lines", "---\n", "[[layers]]\n", "layers = [\"a\", \"b\"]\n"]
)


@given(st.lists(st.one_of(markdown_bits, st.text(max_size=12)), max_size=60).map("".join))
def test_the_reader_never_raises_on_arbitrary_markdown(text):  # type: ignore[no-untyped-def]
    rs = compile_rules(text)
    assert all(e.line >= 0 for e in rs.entries)
    assert all(isinstance(p, str) for p in rs.problems)
