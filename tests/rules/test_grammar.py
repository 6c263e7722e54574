"""Prose forms real rule files use, in several languages, and what each compiles to.

Every sentence here is written for these tests (shapes seen in real CLAUDE.md /
AGENTS.md / .cursorrules files of Python backends, words our own).  The
expected value is the canonical sentence of each compiled rule.
"""

from __future__ import annotations

import pytest

from backendscan.model import Severity
from backendscan.rules.compiler import compile_rules
from backendscan.rules.model import COMPILED, NOT_CHECKABLE, UNRECOGNIZED, Forbidden, Layers
from backendscan.rules.render import render


def canon(text: str) -> list[str]:
    rs = compile_rules(text)
    return [render(r) for e in rs.entries for r in e.rules]


ENGLISH = [
    # layer chains with arrows or words
    ("- Our layers: `web -> services -> storage -> models`", ["Layers, top to bottom: `web` -> `services` -> `storage` -> `models`"]),
    ("- handlers → services → data access; nothing points back up", ["Layers, top to bottom: handlers -> services -> data access"] * 2),
    ("- api > services > db", ["Layers, top to bottom: api -> services -> db"]),
    ("- services sit above repositories", ["Layers, top to bottom: services -> repositories"]),
    ("- Domain ← Application ← Adapters ← Web", ["Layers, top to bottom: web -> adapters -> application -> domain"]),
    ("- Layers (top to bottom): `app.http` -> `app.billing` | `app.shipping` -> `app.core`",
     ["Layers, top to bottom: `app.http` -> `app.billing` | `app.shipping` -> `app.core`"]),
    # forbidden imports
    ("- `app.services` cannot depend on `app.api`", ["`app.services` must not import `app.api`"]),
    ("- The views must never import from `app.db`", ["views must not import `app.db`"]),
    ("- no imports from `app.db` in `app.web`", ["`app.web` must not import `app.db`"]),
    ("- API handlers never talk to the database driver themselves", ["api handlers must not import database driver directly"]),
    ("- Services should not use `fastapi`", ["services should not import `fastapi`"]),
    ("- `app.jobs` must not import `app.web` (even indirectly), except `app.web.schemas`",
     ["`app.jobs` must not import `app.web`, except `app.web.schemas`"]),
    # confinement and allow-lists
    ("- Only `app.storage` may import `sqlalchemy`", ["Only `app.storage` may import `sqlalchemy`"]),
    ("- `app.db` may only be imported by `app.storage`", ["Only `app.storage` may import `app.db`"]),
    ("- persistence goes through the repository layer only", ["Only repository may import db and orm"]),
    ("- configuration comes from `app.config.settings`; no direct `os.getenv`",
     ["`os.getenv` and `os.environ` are banned outside `app.config.settings`"] * 2),
    ("- `app.domain` may only import `app.shared` and `app.types`", ["`app.domain` may only import `app.shared` and `app.types`"]),
    ("- `app.models` imports nothing", ["`app.models` must not import anything"]),
    # independence and cycles
    ("- `billing`, `shipping` and `users` must not import each other", ["`billing`, `shipping` and `users` must not import each other"]),
    ("- The apps in `app/features/` are independent of each other", ["`app/features/*` must not import each other"]),
    ("- No circular imports.", ["No circular imports"]),
    ("- imports must be acyclic within `app.core`", ["No circular imports in `app.core`"]),
    # bans
    ("- `requests` is banned, use `httpx`", ["`requests` is banned, use `httpx`"]),
    ("- Use `httpx` instead of `requests`", ["`requests` is banned, use `httpx`"]),
    ("- `print` is not allowed in production modules under `app/`", ["`print` is banned under `app`"]),
    ("- `exec`/`eval` are forbidden", ["`exec` and `eval` are banned"]),
    ("- no bare `except`", ["bare `except` is banned"]),
    ("- No wildcard imports", ["`import *` is banned"]),
    ("- never call `time.sleep()` in async functions", ["`time.sleep` is banned in `async def` code"]),
    # limits
    ("- Functions must not exceed 50 lines", ["Functions must be at most 50 lines"]),
    ("- Keep files at most 400 lines", ["Files must be at most 400 lines"]),
    ("- max 5 parameters per function", ["Functions take at most 5 parameters"]),
    ("- cyclomatic complexity ≤ 10", ["Cyclomatic complexity must be at most 10"]),
    ("- maintainability index at least 20", ["Maintainability index must be at least 20"]),
    ("- file ≤ 300 LOC, function ≤ 50 LOC, parameters ≤ 5, cyclomatic complexity ≤ 10",
     ["Files must be at most 300 lines", "Functions must be at most 50 lines", "Functions take at most 5 parameters", "Cyclomatic complexity must be at most 10"]),
    ("- lines of at most 120 characters", ["Lines must be at most 120 characters"]),
    # framework conventions
    ("- each path operation sets a response model", ["Every endpoint sets `response_model`"]),
    ("- every endpoint declares `status_code` and `tags`", ["Every endpoint sets `status_code`", "Every endpoint sets `tags`"]),
    ("- all routes require authentication except `/health` and `/metrics`", ["Every endpoint requires authentication, except `/health` and `/metrics`"]),
    ("- Celery tasks set `max_retries`, `acks_late` and a time limit",
     ["Every task sets `max_retries`", "Every task sets `acks_late`", "Every task sets `time_limit` or `soft_time_limit`"]),
    ("- models define `__repr__`/`__str__`", ["Every model defines `__repr__` or `__str__`"]),
    ("- every model has `created_at` and `updated_at`", ["Every model has a `created_at` column", "Every model has a `updated_at` column"]),
    ("- All models inherit from `TenantModel`", ["Every model derives from `TenantModel`"]),
    ("- no blocking calls (`requests`, `time.sleep`, sync DB sessions) inside `async def` endpoints",
     ["No blocking calls inside `async def` endpoints (`requests`, `time.sleep`)"]),
    ("- route handlers must not use the ORM session directly", ["Route handlers must not use the ORM session directly"]),
    ("- Route handlers are `async def`", ["Every endpoint is `async def`"]),
    ("- Every public function has type hints", ["Every public function has type hints"]),
    ("- classes use PascalCase, functions snake_case", ["Every class name is PascalCase", "Every function name is snake_case"]),
    # placement
    ("- endpoints belong in `app/routers/`", ["Every endpoint is defined under `app/routers`"]),
    ("- new models go in `app/models/`", ["Every model is defined under `app/models`"]),
]

OTHER_LANGUAGES = [
    # Chinese
    ("- 分层：Router → Service → Repository → Model", ["Layers, top to bottom: router -> service -> repository -> model"]),
    ("- 路由层禁止直接导入 `app.db`", ["routers must not import `app.db` directly"]),
    ("- `app.services` 不得依赖 `app.api`", ["`app.services` must not import `app.api`"]),
    ("- 禁止使用 `print`，统一使用 logging", ["`print` is banned, use `logging`"]),
    ("- 所有模型必须包含 `created_at` 字段", ["Every model has a `created_at` column"]),
    ("- 函数不超过 50 行", ["Functions must be at most 50 lines"]),
    ("- 禁止循环导入", ["No circular imports"]),
    ("- 只能由 `app.repositories` 导入 `app.db`", ["Only `app.repositories` may import `app.db`"]),
    ("- 不要在 `async def` 接口中调用阻塞 I/O", ["No blocking calls inside `async def` endpoints"]),
    # Korean
    ("- 계층: `router` → `service` → `repository`", ["Layers, top to bottom: `router` -> `service` -> `repository`"]),
    ("- `repositories`에서 `services` import 금지", ["`repositories` must not import `services`"]),
    ("- 서비스 계층에서 직접 DB 접근 금지", ["services must not import db directly"]),
    ("- `print()` 사용 금지", ["`print` is banned"]),
    ("- 함수는 30줄 이하 권장", ["Functions should be at most 30 lines"]),
    ("- 순환 의존성 금지", ["No circular imports"]),
    ("- 모든 모델에 `created_at` 필드 필수", ["Every model has a `created_at` column"]),
    ("- `app.db`는 `app.repositories`에서만 import", ["Only `app.repositories` may import `app.db`"]),
    # Italian
    ("- I servizi non devono importare `app.api`", ["services must not import `app.api`"]),
    ("- Non usare mai `eval`", ["`eval` is banned"]),
    ("- Le funzioni devono avere al massimo 40 righe", ["Functions must be at most 40 lines"]),
    ("- Evitare import circolari", ["No circular imports (recommended)"]),
    ("- Ogni modello deve definire `__str__`", ["Every model defines `__str__`"]),
    # Vietnamese
    ("- Tầng `services` KHÔNG ĐƯỢC import `fastapi`", ["`services` must not import `fastapi`"]),
    ("- Không dùng `print`, dùng logger", ["`print` is banned"]),
    ("- Mỗi hàm tối đa 50 dòng", ["Functions must be at most 50 lines"]),
    ("- Không được có import vòng", ["No circular imports"]),
    # Indonesian
    ("- `app.services` tidak boleh mengimpor `app.api`", ["`app.services` must not import `app.api`"]),
    ("- Dilarang menggunakan `requests`, gunakan `httpx`", ["`requests` is banned, use `httpx`"]),
    ("- File maksimal 300 baris", ["Files must be at most 300 lines"]),
    ("- Jangan ada impor melingkar", ["No circular imports"]),
    # Japanese, Portuguese, Spanish
    ("- サービス層は `app.api` をインポートしない", ["services must not import `app.api`"]),
    ("- 関数は50行以内", ["Functions must be at most 50 lines"]),
    ("- Os serviços nunca devem importar `app.api`", ["services must not import `app.api`"]),
    ("- Arquivos devem ter no máximo 300 linhas", ["Files must be at most 300 lines"]),
    ("- Los servicios no deben importar `app.api`", ["services must not import `app.api`"]),
]


@pytest.mark.parametrize("text,expected", ENGLISH, ids=[t for t, _ in ENGLISH])
def test_english_forms(text, expected):  # type: ignore[no-untyped-def]
    assert canon(text) == expected


@pytest.mark.parametrize("text,expected", OTHER_LANGUAGES, ids=[t for t, _ in OTHER_LANGUAGES])
def test_forms_in_other_languages(text, expected):  # type: ignore[no-untyped-def]
    assert canon(text) == expected


def test_structure_carries_the_rule_in_any_language():
    # arrows, backticked names and numbers need no vocabulary
    assert canon("- Kiến trúc: `app.web` → `app.core` → `app.db`") == ["Layers, top to bottom: `app.web` -> `app.core` -> `app.db`"]


def test_heading_gives_subject_and_flips_polarity():
    text = "### Entities (`internal/entities/`)\n\n**DON'T ❌:**\n- No SQLAlchemy\n- No direct DB access\n"
    rs = compile_rules(text)
    assert [render(r) for r in rs.rules] == ["`sqlalchemy` is banned under entities", "entities must not import db directly"]
    assert rs.roles == (("entities", ("internal/entities",)),)


def test_never_heading_over_arrows_forbids_the_edges():
    rs = compile_rules("**NEVER:**\n- adapters → services\n- entities → anything\n")
    assert [render(r) for r in rs.rules] == ["adapters must not import services", "entities must not import anything"]


def test_layer_table_with_allow_and_deny_columns():
    text = (
        "| Layer | Path | May import from | Never import from |\n|---|---|---|---|\n"
        "| Types | `backend/types/` | (none) | All others |\n"
        "| Service | `backend/service/` | Types, Repo | UI |\n"
    )
    rs = compile_rules(text)
    assert [render(r) for r in rs.rules] == ["types must not import anything", "service may only import types and repo", "service must not import ui"]
    assert dict(rs.roles) == {"types": ("backend/types",), "service": ("backend/service",)}


def test_metric_table_gives_an_error_limit_and_a_warning_limit():
    rs = compile_rules("| Metric | Limit | Warning |\n|---|---|---|\n| Lines per file | 300 | 250 |\n")
    assert [(render(r), r.severity) for r in rs.rules] == [
        ("Files must be at most 300 lines", Severity.ERROR),
        ("Files must be at most 250 lines", Severity.ERROR),
    ] or [(render(r), r.severity) for r in rs.rules] == [
        ("Files must be at most 300 lines", Severity.ERROR),
        ("Files should be at most 250 lines", Severity.WARNING),
    ]
    assert rs.rules[1].severity is Severity.WARNING


def test_closed_layers_and_exceptions_refer_to_the_chain_above():
    text = (
        "- Layers, top to bottom: `app.api` -> `app.services` -> `app.db`\n"
        "- Each layer may import only the layer directly below it. Any layer may import `app.db.types`.\n"
        "- Nothing imports upwards.\n"
    )
    rs = compile_rules(text)
    kinds = [(e.line, e.status, e.kind, e.duplicate_of) for e in rs.entries]
    assert kinds == [(1, COMPILED, "layers", 0), (2, COMPILED, "layers", 0), (2, COMPILED, "shared", 0), (3, COMPILED, "layers", 1)]
    closed = rs.rules[1].spec
    assert isinstance(closed, Layers) and closed.closed and not closed.direction


def test_the_only_module_allowed_excuses_it_from_the_forbidden_rule():
    rs = compile_rules("- Routers must not import `app.db`. `app.api.deps` is the only module in `app.api` allowed to import `app.db`.\n")
    forbidden = rs.rules[0].spec
    assert isinstance(forbidden, Forbidden) and [r.text for r in forbidden.exceptions] == ["app.api.deps"]
    assert render(rs.rules[1]) == "Only `app.api.deps` may import `app.db` within `app.api`"


def test_not_checkable_statements_say_why():
    rs = compile_rules(
        "- Write clean, readable code.\n- Commit messages use the imperative mood.\n- Ask the user before deleting files.\n"
        "- Keep the p95 latency under 200 ms.\n- Validate every input at the edge.\n"
    )
    assert [(e.status, e.kind) for e in rs.entries] == [
        (NOT_CHECKABLE, "code quality"),
        (NOT_CHECKABLE, "version control"),
        (NOT_CHECKABLE, "agent behaviour"),
        (NOT_CHECKABLE, "runtime"),
        (NOT_CHECKABLE, "security intent"),
    ]
    assert all(e.reason for e in rs.entries)


def test_vague_docstring_rule_is_not_checkable_but_points_at_the_checkable_one():
    e = compile_rules("- Write clear docstrings for public classes.\n").entries[0]
    assert e.status == NOT_CHECKABLE and "Every public function has a docstring" in e.reason


def test_reaching_something_only_through_another_layer_forbids_the_direct_import():
    assert canon("- `app.web` should reach `app.db` only via `app.services`\n") == ["`app.web` should not import `app.db` directly"]


def test_unrecognized_statement_gets_the_closest_phrasing():
    e = compile_rules("- Dependencies must point inward\n").entries[0]
    assert (e.status, e.kind) == (UNRECOGNIZED, "layers")
    assert e.suggestion == "Layers, top to bottom: `app.api` -> `app.services` -> `app.db`"
    e = compile_rules("- Models must set `Meta.ordering`\n").entries[0]
    assert (e.status, e.suggestion) == (UNRECOGNIZED, "Every model has a `created_at` column")


def test_duplicates_cite_the_first_statement():
    rs = compile_rules("- No circular imports.\n- Imports must be acyclic.\n")
    assert len(rs.rules) == 1
    assert rs.entries[1].duplicate_of == 1


def test_rule_ids_are_readable_and_unique():
    rs = compile_rules("- `a.api` must not import `a.db`\n- `b.api` must not import `b.db`\n- `print` is banned\n")
    assert [r.id for r in rs.rules] == ["api-must-not-import-db", "api-must-not-import-db-2", "ban-print"]


def test_fenced_block_is_precise_and_cites_its_lines():
    text = (
        "# Rules\n\n```backendscan\n[roles]\nrouters = \"shop.api\"\n\n[[forbidden]]\nsource = [\"shop.api\"]\nforbidden = [\"shop.db\"]\n"
        "direct = true\nseverity = \"warning\"\nid = \"api-no-db\"\nbecause = \"go through services\"\n\n"
        "[[limit]]\nmetric = \"complexity\"\nmax = 12\n```\n"
    )
    rs = compile_rules(text)
    assert not rs.problems
    assert [(r.id, r.line, r.severity, r.because) for r in rs.rules] == [
        ("api-no-db", 7, Severity.WARNING, "go through services"),
        ("complexity-max-12", 15, Severity.ERROR, ""),
    ]
    assert rs.roles == (("routers", ("shop.api",)),)


def test_fenced_block_problems_have_lines():
    rs = compile_rules("```backendscan\n[[forbidden]]\nsource = [\"a\"]\nwrong = 1\n\n[[nope]]\nx = 1\n```\n")
    assert rs.problems == (
        "RULES.md:2: [[forbidden]]: 'forbidden' is required",
        "RULES.md:2: [[forbidden]]: unknown key(s) 'wrong'",
        "RULES.md:6: unknown table [nope] in the backendscan block; known: acyclic, allow, allow_only, ban, convention, forbidden, independence, layers, limit, placement, protected, shared, roles, ignore",
    )
    bad = compile_rules("```backendscan\n[[forbidden]\n```\n")
    assert bad.problems and bad.problems[0].startswith("RULES.md:2: invalid TOML")


# statements that look like rules to a careless reader; each must NOT compile into something else
LOOKALIKES = [
    ("- Build one client per worker lifecycle and share it across jobs", NOT_CHECKABLE),  # "lifecycle" is no cycle
    ("- Do not force-push to `develop`", NOT_CHECKABLE),
    ("- Reuse the shared fixtures (`db_session`, `client`) and do not rebuild their data", NOT_CHECKABLE),
    ("## Dependencies\n\n- `invoice_reader.py`: read vendor CSV/XLSX → DTOs", NOT_CHECKABLE),
    ("- Register providers in this order: repo → service → controller", NOT_CHECKABLE),
    ("- Billing notes: ONLY the `ledger` table", UNRECOGNIZED),
    ("- Logging, type hints, async patterns, Pydantic schemas", NOT_CHECKABLE),
]


@pytest.mark.parametrize("text,status", LOOKALIKES, ids=[t for t, _ in LOOKALIKES])
def test_lookalikes_do_not_compile(text, status):  # type: ignore[no-untyped-def]
    rs = compile_rules(text)
    assert [e.status for e in rs.entries][-1] == status and not rs.rules


def test_chain_written_bottom_up_is_questioned_not_guessed():
    e = compile_rules("- Models → services → API\n").entries[0]
    assert (e.status, e.kind) == (UNRECOGNIZED, "layers")
    assert e.suggestion == "Layers, top to bottom: api -> services -> models"


def test_import_x_from_y_is_ambiguous_and_says_so():
    e = compile_rules("- Never import routers from services\n").entries[0]
    assert e.status == UNRECOGNIZED and e.suggestion == "services must not import routers"


def test_calls_written_with_parentheses_are_call_bans_scoped_by_the_subject():
    assert canon("- Services must not call `session.commit()`\n") == ["`session.commit` is banned under services"]
    assert canon("- Never call `session.commit()` in repositories\n") == ["`session.commit` is banned under repositories"]
    assert canon("- Routers must not call services\n") == ["routers must not import services"]


def test_the_document_title_names_no_subject():
    rs = compile_rules("# Services\n\n## Rules\n\n- Never import routers\n")
    assert rs.entries[-1].status == UNRECOGNIZED


def test_a_remedy_in_parentheses_is_not_the_ban_and_a_library_heading_is_no_place():
    rs = compile_rules("## Do not\n\n- Business rules in views (use services)\n\n## Logging\n\n- Never use `print()` in production code\n")
    assert [render(r) for r in rs.rules] == ["`print` is banned"]


def test_import_style_in_several_languages():
    assert canon("- Always use absolute imports in services\n") == ["relative imports are banned under services"]
    assert canon("- 必须使用绝对导入\n") == ["relative imports are banned"]
    assert canon("- Keep `import` statements at module top\n") == ["imports inside functions are banned"]
    assert canon("- 함수 내부에서 import 금지\n") == ["imports inside functions are banned"]
    assert canon("- Local imports are fine to break a cycle\n") == []
    assert canon("- Within one package, use relative imports\n") == []


def test_latin_names_glued_to_cjk_text_and_common_word_libraries_in_replacements():
    assert canon("- 使用HTTPX替代Requests\n") == ["`requests` is banned, use `httpx`"]
    assert canon("- Use httpx instead of requests\n") == ["`requests` is banned, use `httpx`"]
    assert canon("- Reuse one client across requests instead of one per call\n") == []
    assert canon("- 必须包含`created_at`和`updated_at`时间戳字段\n") == [
        "Every model has a `created_at` column",
        "Every model has a `updated_at` column",
    ]


def test_table_row_whose_first_cell_names_the_layer():
    table = (
        "| Principle | Detail |\n|---|---|\n"
        "| **Controller has no business logic** | Only calls service + DTO |\n"
        "| **Service không biết HTTP** | Không import FastAPI, không throw HTTPException |\n"
    )
    assert canon(table) == ["controller may only import service and dto", "service must not import fastapi"]


@pytest.mark.parametrize(
    "text",
    [
        "- 除了 `app.api.deps`，`app.api` 不得导入 `app.db`",
        "- `app.api` 不得导入 `app.db`（`app.api.deps` 除外）",
        "- `app.api.deps`를 제외하고 `app.api`는 `app.db`를 import 금지",
        "- `app.api.deps`を除いて、`app.api`は`app.db`をimportしてはいけない",
        "- Except `app.api.deps`, `app.api` must not import `app.db`",
    ],
)
def test_exceptions_before_or_after_the_rule(text):  # type: ignore[no-untyped-def]
    assert canon(text) == ["`app.api` must not import `app.db`, except `app.api.deps`"]
