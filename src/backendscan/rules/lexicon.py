"""Words the RULES.md grammar knows, in the languages real rule files use.

Everything here is data: modal words that set severity and polarity, headings
that flip polarity, role words for layers (with the role group each belongs
to), verbs that mean "import", library names and what they are, and markers
of statements no static analysis can verify.  Forms carried by structure
(arrows, backticked names, numbers) need no entry here and work in any
language.

Languages: English, Chinese, Korean, Japanese, Vietnamese, Italian,
Indonesian, Portuguese and Spanish (the ones met in real rule files).
"""

from __future__ import annotations

import re

# --------------------------------------------------------------- modality
#: hard prohibitions (error, negative)
PROHIBITIONS = (
    r"must\s+not", r"mustn'?t", r"must\s+never", r"should\s+not", r"shouldn'?t", r"should\s+never", r"ought\s+not", r"never", r"do\s+not", r"don'?t", r"does\s+not", r"doesn'?t",
    r"cannot", r"can\s+not", r"can'?t", r"may\s+not", r"shall\s+not", r"is\s+not\s+allowed", r"are\s+not\s+allowed",
    r"not\s+allowed", r"not\s+permitted", r"(?:is|are)\s+(?:forbidden|prohibited|banned|disallowed)",
    r"forbidden", r"prohibited", r"banned", r"disallowed", r"under\s+no\s+circumstances", r"no\s+longer",
    r"is\s+not\s+to", r"are\s+not\s+to", r"will\s+not", r"won'?t", r"nothing",
    # zh / ja
    "禁止", "不要", "不得", "不能", "不允许", "严禁", "嚴禁", "厳禁", "切勿", "不准", "别用", "不再", "しない", "しないこと", "禁止する", "使わない", "してはいけない", "してはならない", "しては駄目", "べからず",
    # ko
    "금지", "하지 마", "하지마", "말 것", "말것", "안 됨", "안됨", "않는다", "않도록", "불가",
    # vi
    r"không\s+được", r"không\s+nên\s+bao\s+giờ", r"cấm", r"tuyệt\s+đối\s+không", r"không",
    # it
    r"non\s+deve", r"non\s+devono", r"non\s+può", r"non\s+possono", r"non\s+bisogna", r"mai", r"vietato", r"vietata", r"vietati", r"non\s+fare", r"non\s+usare", r"non\s+importare",
    # id
    r"tidak\s+boleh", r"dilarang", r"jangan", r"tak\s+boleh",
    # pt / es
    r"nunca", r"não\s+deve", r"não\s+devem", r"não\s+pode", r"proibido", r"proibida", r"no\s+debe", r"no\s+deben", r"no\s+se\s+permite", r"prohibido", r"jamás",
)

#: hard obligations (error, positive)
OBLIGATIONS = (
    r"must", r"shall", r"always", r"required", r"requires?", r"mandatory", r"need\s+to", r"needs\s+to", r"has\s+to", r"have\s+to", r"only",
    "必须", "必需", "务必", "一律", "统一", "只能", "只有", "仅", "必ず", "必須", "すること",
    "반드시", "필수", "해야", "하여야",
    r"phải", r"bắt\s+buộc", r"chỉ",
    r"deve", r"devono", r"obbligatorio", r"sempre", r"solo",
    r"harus", r"wajib", r"selalu", r"hanya",
    r"devem", r"obrigatório", r"debe", r"deben", r"siempre", r"somente", r"apenas",
)

#: soft words: the rule is a warning
SOFT = (
    r"should", r"shouldn'?t", r"ought\s+to", r"prefer", r"preferably", r"preferred", r"avoid", r"try\s+to", r"where\s+possible",
    r"when\s+possible", r"if\s+possible", r"when\s+feasible", r"where\s+feasible", r"as\s+needed", r"if\s+needed", r"when\s+appropriate",
    r"ideally", r"recommended", r"recommend", r"consider", r"generally", r"typically", r"discouraged",
    "应该", "应当", "建议", "推荐", "尽量", "避免", "优先", "最好", "尽可能",
    "권장", "지양", "가급적", "가능하면", "바람직",
    "推奨", "避ける", "望ましい", "なるべく",
    r"nên", r"tránh", r"khuyến\s+khích", r"ưu\s+tiên",
    r"dovrebbe", r"dovrebbero", r"evitare", r"evita", r"preferire", r"preferibilmente", r"consigliato",
    r"sebaiknya", r"hindari", r"disarankan", r"bila\s+memungkinkan", r"usahakan",
    r"deveria", r"deveriam", r"evitar", r"evite", r"preferir", r"prefira", r"recomendado", r"debería", r"deberían",
)


def _alt(words: tuple[str, ...]) -> str:
    parts = sorted(words, key=len, reverse=True)
    return "|".join(parts)


def _word(words: tuple[str, ...]) -> re.Pattern[str]:
    # latin words need boundaries; CJK/Hangul words do not have them
    latin = [w for w in words if re.match(r"[a-z\\]", w)]
    other = [w for w in words if not re.match(r"[a-z\\]", w)]
    pieces = []
    if latin:
        pieces.append(r"(?<![A-Za-z0-9_])(?:" + _alt(tuple(latin)) + r")(?![A-Za-z0-9_])")
    if other:
        pieces.append("(?:" + _alt(tuple(other)) + ")")
    return re.compile("|".join(pieces), re.IGNORECASE)


PROHIBITION_RE = _word(PROHIBITIONS)
OBLIGATION_RE = _word(OBLIGATIONS)
SOFT_RE = _word(SOFT)
#: "No X" at the start of a clause (or after a label) is a prohibition
NO_PREFIX_RE = re.compile(r"^(?:no|zero|without|nessun[oa]?|niente|tanpa|sem|sin|sans|kein[e]?)\s+(?=\S)", re.IGNORECASE)

#: headings (and labels) whose bullets are prohibitions although written positively
NEGATIVE_HEADING_RE = re.compile(
    r"never|\bdon'?t|\bdo\s+not\b|don'ts|anti-?patterns?|forbidden|prohibited|not\s+allowed|\bavoid\b|pitfalls|\bbad\b|\bwrong\b|❌|🚫|⛔|✗|✘"
    r"|禁止|不要|禁忌|严禁|厳禁|금지|절대|하지\s*마|non\s+fare|\bmai\b|vietat|\bkhông\b|\bcấm\b|jangan|dilarang|larangan|nunca|proibid|prohibid|\bevitar\b",
    re.IGNORECASE,
)
POSITIVE_HEADING_RE = re.compile(r"\balways\b|\bmust\b|\bdo\b(?!\s*n)|✅|✔|必须|반드시|必ず|sempre|selalu|wajib|\bphải\b|obbligatori", re.IGNORECASE)

# --------------------------------------------------------------- roles
#: role group -> candidate module names (singular and plural are tried too)
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "api": ("api", "apis", "router", "routers", "routes", "route", "endpoints", "endpoint", "views", "view", "viewsets",
            "controllers", "controller", "handlers", "handler", "web", "http", "rest", "blueprints", "resources", "presentation", "interfaces"),
    "services": ("services", "service", "usecases", "use_cases", "application", "logic", "business", "domain_services", "interactors", "commands", "workflows"),
    "repositories": ("repositories", "repository", "repos", "repo", "crud", "dal", "data_access", "persistence", "stores", "store", "dao", "daos", "providers"),
    "db": ("db", "database", "databases", "session", "sessions", "engine", "orm"),
    "models": ("models", "model", "entities", "entity", "tables", "orm_models"),
    "schemas": ("schemas", "schema", "dto", "dtos", "serializers", "serializer", "types"),
    "tasks": ("tasks", "task", "jobs", "job", "workers", "worker", "celery"),
    "settings": ("settings", "config", "configuration", "conf", "core.config"),
    "domain": ("domain", "domains", "entities", "core"),
    "infrastructure": ("infrastructure", "infra", "adapters", "adapter", "gateways", "clients", "integrations"),
    "core": ("core", "common", "shared", "utils", "util", "helpers", "lib", "pkg", "support"),
    "middleware": ("middleware", "middlewares"),
    "ports": ("ports", "port", "interfaces"),
    "validators": ("validators", "validator", "validation"),
    "events": ("events", "event", "listeners", "signals"),
    "tests": ("tests", "test"),
}

#: surface word (lower case) -> (head word written in canonical text, role group)
ROLE_WORDS: dict[str, tuple[str, str]] = {}


def _add(group: str, *words: str, head: str | None = None) -> None:
    for w in words:
        ROLE_WORDS[w] = (head or w, group)


_add("api", "api", "apis", "router", "routers", "route", "routes", "route handler", "route handlers", "api handlers", "api handler",
     "request handlers", "request handler", "request-handling code", "request handling code", "request-handling", "handlers", "handler", "endpoint", "endpoints", "view", "views", "viewset", "viewsets",
     "controller", "controllers", "presentation", "web", "http", "blueprint", "blueprints", "resources", "api/http", "path operations")
_add("services", "service", "services", "use case", "use cases", "usecases", "application", "business logic", "interactors", "commands", "workflow", "workflows")
_add("repositories", "repository", "repositories", "repo", "repos", "crud", "dal", "data access", "persistence", "dao", "daos", "provider", "providers", "store", "stores", "queries")
_add("db", "db", "database", "the database", "session", "orm session", "database session", "db session")
_add("models", "model", "models", "orm models", "orm model", "entities", "entity", "tables")
_add("schemas", "schema", "schemas", "dto", "dtos", "serializer", "serializers", "pydantic schemas", "types")
_add("tasks", "task", "tasks", "celery tasks", "background tasks", "jobs", "job", "worker", "workers")
_add("settings", "settings", "config", "configuration")
_add("domain", "domain", "domains", "domain layer", "core domain")
_add("infrastructure", "infrastructure", "infra", "adapter", "adapters", "gateway", "gateways", "client", "clients", "integrations")
_add("core", "core", "common", "shared", "utils", "util", "helpers", "lib", "pkg")
_add("middleware", "middleware", "middlewares")
_add("ports", "ports", "port", "interfaces")
_add("validators", "validators", "validator")
_add("events", "events", "listeners")
# other languages: the head word is the English role word
_add("api", "路由", "路由层", "路由器", "接口层", "控制器", "控制层", "视图", "api层", "api 层", head="routers")
_add("api", "라우터", "컨트롤러", "엔드포인트", "api 계층", "ルーター", "コントローラー", "エンドポイント", "rotas", "controladores", head="routers")
_add("services", "服务", "服务层", "业务层", "业务逻辑层", "业务代码", "서비스", "サービス", "servizi", "servizio", "layanan", "serviços", "serviço", "servicios", head="services")
_add("repositories", "仓储", "仓储层", "仓库层", "数据访问层", "레포지토리", "리포지토리", "저장소", "リポジトリ", "データアクセス層", "repositori", "repositórios", "repositorios", head="repositories")
_add("models", "模型", "模型层", "数据模型层", "모델", "モデル", "modelli", "modelos", head="models")
_add("db", "数据库", "数据库层", "데이터베이스", "データベース", "banco de dados", "basis data", "cơ sở dữ liệu", head="db")
_add("schemas", "스키마", "スキーマ", head="schemas")
_add("domain", "도메인", "领域层", "ドメイン", head="domain")
_add("tasks", "任务", "작업", "タスク", head="tasks")

#: words that may follow a role word without changing it
LAYER_SUFFIX = r"(?:\s*(?:layers?|tiers?|packages?|modules?|code|folders?|directory|directories|files?|apps?|level|层|계층|레이어|層|層))?"
#: words that may precede a role word ("the", "tầng", "camada de", "lapisan")
LAYER_PREFIX = r"(?:(?:the|a|an|any|our|all|every|each)\s+)?(?:(?:tầng|lớp|camada\s+de|lapisan|livello|strato)\s+)?"

#: words of arrow chains that are not modules (dropped from layer chains when they match nothing)
SINK_WORDS = frozenset({
    "database", "databases", "postgresql", "postgres", "mysql", "sqlite", "mongodb", "redis", "http", "https", "request",
    "response", "http request", "http response", "client", "clients", "browser", "user", "users", "external apis", "external api",
    "external services", "third-party apis", "frontend", "ui", "network", "disk", "storage", "s3", "cache",
    "unit of work", "db (postgresql)", "数据库", "데이터베이스",
})

# --------------------------------------------------------------- verbs
IMPORT_VERB = (
    r"(?:directly\s+)?(?:import(?:s|ed|ing)?(?:\s+from)?|depend(?:s|ing)?\s+(?:up)?on|rel(?:y|ies)\s+on|use[sd]?|using|call(?:s|ed|ing)?"
    r"|access(?:es|ed|ing)?|reach(?:es)?(?:\s+into)?|touch(?:es)?|talk(?:s)?\s+to|speak(?:s)?\s+to|reference[sd]?|know(?:s)?\s+about"
    r"|pull(?:s)?\s+in|pull(?:s)?|see[s]?|couple[sd]?\s+to|invoke[sd]?|query|queries|hit[s]?|require[sd]?)"
)
#: the same, in other languages (used by the language-neutral form)
IMPORT_WORDS_RE = re.compile(
    r"(?<![A-Za-z0-9_])(?:import\w*|depend\w*|imports|use[sd]?|call\w*|access\w*|reference\w*|talk\w*\s+to|reach\w*|touch\w*|rel(?:y|ies)\s+on"
    r"|importar\w*|importa\w*|dipende\w*|usare|chiamare|accedere|mengimpor|impor|bergantung|menggunakan|memanggil|mengakses"
    r"|phụ\s+thuộc|gọi|sử\s+dụng|truy\s+cập|depender|usar|chamar|acessar|llamar)(?![A-Za-z0-9_])"
    r"|导入|引入|引用|依赖|调用|使用|访问|直接访问|의존|임포트|호출|사용|접근|참조|インポート|依存|呼び出|参照|アクセス",
    re.IGNORECASE,
)

# --------------------------------------------------------------- libraries
#: bare (unquoted) words recognised as libraries or calls, -> import name
LIBRARIES: dict[str, str] = {
    "requests": "requests", "httpx": "httpx", "aiohttp": "aiohttp", "urllib": "urllib", "urllib3": "urllib3",
    "fastapi": "fastapi", "starlette": "starlette", "flask": "flask", "django": "django", "sqlalchemy": "sqlalchemy",
    "sqlmodel": "sqlmodel", "pydantic": "pydantic", "celery": "celery", "redis": "redis", "boto3": "boto3",
    "psycopg": "psycopg", "psycopg2": "psycopg2", "asyncpg": "asyncpg", "pymysql": "pymysql", "pymongo": "pymongo",
    "motor": "motor", "peewee": "peewee", "tortoise": "tortoise", "marshmallow": "marshmallow", "graphql": "graphql",
    "graphene": "graphene", "strawberry": "strawberry", "numpy": "numpy", "pandas": "pandas", "langchain": "langchain",
    "jwt": "jwt", "pyjwt": "jwt", "jose": "jose", "alembic": "alembic", "rq": "rq", "dramatiq": "dramatiq",
    "apscheduler": "apscheduler", "uvicorn": "uvicorn", "gunicorn": "gunicorn", "pickle": "pickle", "subprocess": "subprocess",
    "print": "print", "eval": "eval", "exec": "exec", "pdb": "pdb", "breakpoint": "breakpoint", "ipdb": "ipdb",
    "os.getenv": "os.getenv", "os.environ": "os.environ", "time.sleep": "time.sleep", "os.path": "os.path",
    "logging": "logging", "mock": "unittest.mock", "sqlite3": "sqlite3", "typing.any": "typing.Any", "assert": "assert",
}
#: groups named by a phrase
LIBRARY_GROUPS: dict[str, tuple[str, ...]] = {
    "the database driver": ("psycopg", "psycopg2", "asyncpg", "pymysql", "MySQLdb", "sqlite3", "aiomysql", "aiosqlite", "oracledb", "cx_Oracle", "pyodbc"),
    "database driver": ("psycopg", "psycopg2", "asyncpg", "pymysql", "MySQLdb", "sqlite3", "aiomysql", "aiosqlite", "oracledb", "cx_Oracle", "pyodbc"),
    "the orm": ("sqlalchemy", "sqlmodel", "django.db", "peewee", "tortoise", "pony", "mongoengine"),
    "orm": ("sqlalchemy", "sqlmodel", "django.db", "peewee", "tortoise", "pony", "mongoengine"),
    "django orm": ("django.db",),
    "the django orm": ("django.db",),
    "raw sql": ("sqlalchemy.text",),
    "http libraries": ("requests", "httpx", "aiohttp", "urllib3"),
    "web framework": ("fastapi", "flask", "django", "starlette"),
    "framework": ("fastapi", "flask", "django", "starlette"),
    "frameworks": ("fastapi", "flask", "django", "starlette"),
}
#: calls that block the event loop (prefix match on the resolved callee)
BLOCKING_CALLS = (
    "requests.", "time.sleep", "urllib.request.urlopen", "urllib3.", "subprocess.run", "subprocess.call", "subprocess.check_output",
    "subprocess.check_call", "socket.create_connection", "httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.delete",
    "httpx.request", "httpx.Client", "psycopg2.connect", "psycopg.connect", "pymysql.connect", "sqlite3.connect",
    "sqlalchemy.orm.Session", "sqlalchemy.create_engine", "open",
)

# --------------------------------------------------------------- not checkable
#: (category, pattern) -- statements about people, process, tools or intent
NOT_CHECKABLE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (cat, re.compile(p, re.IGNORECASE))
    for cat, p in (
        ("agent behaviour", r"\b(?:you|your|claude|the ai|ai assistant|the agent|agents?|copilot|cursor|llm|respond|reply|answer|ask(?:ing)? (?:the )?user|the user|explain|think|plan|confirm|summari[sz]e|hypothes[ie]s)\b|回答|回复|回應|用户|ユーザー|사용자에게|응답|답변|質問"),
        ("data and domain", r"\b(?:idempotent|transaction|transactions|atomic|business rules?|invariants?|domain logic|business logic)\b|事务|트랜잭션"),
        ("version control", r"\b(?:commit|commits|branch|branches|pull request|prs?|merge|rebase|git|push|force-push|changelog|release|tag the|code review|reviewers?)\b|提交|分支|커밋|브랜치|コミット"),
        ("tooling", r"\b(?:run|execute|install|uv|pip|poetry|npm|yarn|pnpm|docker|make|pre-commit|ruff|black|mypy|pyright|isort|flake8|pylint|lint|linter|format(?:ter)?|ci|pipeline|script|command|terminal|shell|venv|virtualenv)\b"),
        ("testing practice", r"\b(?:tests?|testing|tdd|coverage|pytest|unittest|fixtures?|mocks?|e2e|integration tests?|unit tests?)\b|测试|单测|테스트|テスト"),
        ("documentation", r"\b(?:document|documentation|docs|readme|comments?|changelog|adr)\b|文档|문서|ドキュメント"),
        ("runtime", r"\b\d+\s*(?:ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|/min|/s|rps|qps|%|mb|gb|kb)\b|\b(?:latency|p9\d|slo|sla|throughput|rate limit|timeout|uptime|performance)\b"),
        ("security intent", r"\b(?:secrets?|password|credentials?|tokens?|validate|validation|sanitiz|escape|injection|xss|csrf|encrypt|permissions?|authori[sz]ation)\b"),
        ("frontend", r"\b(?:typescript|javascript|react|vue|angular|css|tailwind|html|component|components|frontend|front-end|ui|jsx|tsx|axios|zustand|next\.js|vite)\b|前端|프론트엔드|フロントエンド"),
        ("code quality", r"\b(?:clean|readable|readability|maintainable|maintainability|simple|simplicity|solid|dry|kiss|yagni|focused|clear|meaningful|descriptive|concise|elegant|idiomatic|best practices?|consistent|consistency|boring|clever|small|short|modular|cohesive|quality|robust|pythonic|self-explanatory)\b|简洁|可读|清晰|가독성|명확|簡潔|読みやすい"),
        ("change control", r"\b(?:modify|change|edit|rename|delete|remove|touch)\b.*\b(?:without|unless|asked|requested|approval|permission)\b|\bunless\s+(?:explicitly\s+)?(?:asked|requested|told)\b"),
        ("environment", r"\b(?:environment variables?|\.env|env vars?|wsl|localhost|port \d+|production server|staging)\b"),
        ("logging practice", r"\b(?:log|logs|logging|logger|structlog)\b|日志|로그|ログ"),
        ("naming practice", r"\b(?:name|names|naming)\b|命名|네이밍|이름|命名規則"),
        ("error handling", r"\b(?:errors?|exceptions?|handle|handling|raise|retry)\b|异常|예외|例外"),
    )
)

#: qualifiers that make an otherwise checkable rule vague ("clear docstrings")
VAGUE_RE = re.compile(
    r"\b(?:clear|good|meaningful|descriptive|proper|properly|appropriate|appropriately|clean|readable|concise|useful|helpful|sensible|reasonable|small|short|boring|clever|simple|focused|thin|lean|minimal|well[- ]\w+)\b",
    re.IGNORECASE,
)


#: calls that run or build a database query, for "database queries live in the repositories":
#: SQLAlchemy / SQLModel statement constructors and session execution, Django managers, raw cursors.
#: Matched like banned calls (resolved through imports, or by the written tail: ``self.session.execute``).
#: ``sqlalchemy.text`` is not among them: it mostly writes SQL fragments (index predicates, server defaults).
DB_QUERY_CALLS = (
    "sqlalchemy.select", "sqlalchemy.insert", "sqlalchemy.update", "sqlalchemy.delete",
    "sqlalchemy.sql.select", "sqlalchemy.sql.insert", "sqlalchemy.sql.update", "sqlalchemy.sql.delete",
    "sqlalchemy.sql.expression.select", "sqlalchemy.future.select", "sqlalchemy.dialects.postgresql.insert", "sqlmodel.select",
    "session.execute", "session.scalars", "session.scalar", "session.query", "session.exec",
    "objects.filter", "objects.get", "objects.all", "objects.exclude", "objects.create", "objects.update",
    "objects.get_or_create", "objects.update_or_create", "objects.bulk_create", "objects.raw", "objects.values",
    "connection.cursor",
)


#: calls that send SQL text to the database, for "no raw SQL": raw cursors, ``Manager.raw`` and
#: SQLAlchemy's ``text()`` (an ORM ``select()`` is no raw SQL)
RAW_SQL_CALLS = ("connection.cursor", "objects.raw", "sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text")
