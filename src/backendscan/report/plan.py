"""The implementation plan for a task: where a change goes, following the project's own patterns.

**Ranking is lexical.**  Modules, routes, models and tasks become small documents
(identifiers split on case and underscores, paths, docstrings, route paths,
table and column names); the task text is tokenised the same way, expanded with a
short built-in synonym list, and documents are scored with Okapi BM25 (k1=1.2,
b=0.75).  Nothing here understands meaning; the report says so.

From the ranking the plan derives the layers to touch by following the import
graph from the most relevant route's handler module: the services it imports,
the repositories those import, the schemas module, the models, the tasks (with
the way existing producers start them) and the settings.  Each step names a
file and an anchor to put the change next to.  It also lists the RULES.md
statements that constrain those layers, the tests that already reach the
touched modules, and the tests to add.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from ..facts import OrmModel, Route, Task
from ..model import FileKind
from .reach import ReachReport

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import ScanResult

STOP = frozenset(
    """a an and are as at be by for from in into is it of on or so that the this to with without we our
    should must can could would will when where which who how what new add adds adding implement implementing
    support supporting allow allows make makes let lets use using via per each all any some also then than
    feature endpoint api please need needs want wants able via etc e g i e fix fixes update updates change
    changes improve refactor handle handles ensure""".split()
)

#: a few backend synonyms so that "mail" finds "email" and "signin" finds "login" (lexical, not semantic)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": ("mail", "smtp", "notification"),
    "mail": ("email", "smtp"),
    "login": ("auth", "signin", "token", "session"),
    "signin": ("login", "auth"),
    "signup": ("register", "registration"),
    "register": ("signup", "registration"),
    "password": ("credential", "hash", "secret"),
    "auth": ("login", "token", "permission"),
    "user": ("account", "customer", "member"),
    "account": ("user",),
    "customer": ("user", "client"),
    "payment": ("pay", "charge", "billing", "invoice"),
    "pay": ("payment", "charge"),
    "order": ("checkout", "purchase", "cart"),
    "product": ("catalog", "item", "sku"),
    "notify": ("notification", "email", "send"),
    "notification": ("notify", "email"),
    "schedule": ("beat", "cron", "periodic"),
    "background": ("task", "job", "worker", "celery"),
    "job": ("task", "worker"),
    "delete": ("remove", "purge"),
    "remove": ("delete",),
    "search": ("query", "filter", "find"),
    "upload": ("file", "attachment", "storage"),
    "permission": ("role", "auth", "admin"),
    "admin": ("superuser", "staff", "permission"),
    "reset": ("recover", "recovery", "forgot"),
    "forgot": ("reset", "recover"),
    "token": ("jwt", "access"),
}

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "api": ("api", "apis", "routes", "routers", "router", "views", "view", "endpoints", "endpoint", "controllers", "handlers", "resources", "blueprints", "urls", "viewsets", "rest", "http", "web", "graphql", "mutations", "mutation", "resolvers", "resolver"),
    "services": ("services", "service", "usecases", "use_cases", "domain", "logic", "business", "actions", "interactors", "managers"),
    "repositories": ("repositories", "repository", "repos", "repo", "crud", "dal", "store", "stores", "queries", "selectors", "dao"),
    "models": ("models", "model", "entities", "tables", "orm", "db_models"),
    "schemas": ("schemas", "schema", "serializers", "serializer", "dto", "dtos", "forms", "validators", "contracts"),
    "tasks": ("tasks", "task", "jobs", "workers", "worker", "celery", "queue", "consumers"),
    "settings": ("settings", "config", "conf", "configuration"),
}
ROLE_ORDER = ("api", "schemas", "services", "repositories", "models", "tasks", "settings")
BACKGROUND_WORDS = {"email", "mail", "send", "notify", "notification", "async", "background", "schedule", "nightly", "periodic", "report", "export", "import", "sync", "webhook", "queue"}


_CHUNK_RE = re.compile(r"[A-Za-z0-9]+")
_PART_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def split_identifier(text: str) -> list[str]:
    """``getUserByID`` / ``get_user_by_id`` / ``/api/v1/users/{id}`` -> lower-case words."""
    return [part.lower() for chunk in _CHUNK_RE.findall(text) for part in _PART_RE.findall(chunk)]


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A very light English stemmer (plural and -ing/-ed), enough to match users/user, sending/send."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("sses"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed") and not w.endswith("eed"):
        w = w[:-2]
    return w


def tokens(text: str) -> list[str]:
    """Search tokens of ``text``: identifiers split, lower-cased, stop words dropped, stemmed."""
    return [stem(w) for w in split_identifier(text) if len(w) > 1 and w not in STOP and not w.isdigit()]


@dataclass(frozen=True)
class Doc:
    """A searchable item."""

    kind: str  # module, route, model, task
    key: str
    title: str
    file: str
    line: int
    text: str  # what was indexed (for matched-term display)
    obj: object = field(default=None, compare=False)
    name: str = ""  # the item's own name (class, function, module tail): matches here weigh more


@dataclass(frozen=True)
class Ranked:
    """A search hit."""

    kind: str
    key: str
    title: str
    file: str
    line: int
    score: float
    matched: tuple[str, ...]


class BM25:
    """Okapi BM25 over token lists (k1=1.2, b=0.75)."""

    def __init__(self, docs: Sequence[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = (sum(self.len) / len(docs)) if docs else 0.0
        df: Counter[str] = Counter()
        for d in self.tf:
            df.update(d.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, i: int, query: dict[str, float]) -> tuple[float, list[str]]:
        tf, dl = self.tf[i], self.len[i]
        total = 0.0
        matched = []
        for term, weight in query.items():
            f = tf.get(term, 0)
            if not f:
                continue
            idf = self.idf.get(term, 0.0)
            total += weight * idf * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / (self.avg or 1)))
            matched.append(term)
        return total, matched


def query_terms(task: str) -> dict[str, float]:
    """Task tokens (weight 1) plus their synonyms (weight 0.4)."""
    q: dict[str, float] = {}
    for t in tokens(task):
        q[t] = 1.0
    for t in list(q):
        for s in SYNONYMS.get(t, ()):
            s = stem(s)
            q.setdefault(s, 0.4)
    return q


def role_of(module: str) -> str:
    """The layer a module belongs to by its name (api, services, ...; "" when unknown)."""
    parts = module.lower().split(".")
    for part in reversed(parts[1:] or parts):
        for role in ROLE_ORDER:
            if part in ROLE_WORDS[role]:
                return role
    return ""


def build_docs(result: "ScanResult") -> list[Doc]:
    """Searchable documents for modules, routes, models and tasks."""
    p = result.project
    docs: list[Doc] = []
    for m in result.modules:
        if m.kind is not FileKind.SOURCE or not m.path:
            continue
        parts = [m.name, m.name, m.path]
        syms = p.symbols.get(m.name) if p is not None else None
        if syms is not None:
            parts.append(syms.docstring[:400])
            for c in syms.classes:
                parts.append(c.name)
                parts.append(c.docstring.split("\n", 1)[0][:200])
                parts.extend(c.attributes[:40])
            for f in syms.functions:
                if f.scope == "" or "." not in f.qualname:
                    parts.append(f.name)
                    parts.append(f.docstring.split("\n", 1)[0][:200])
            # names the module imports say what it works with (OAuth2PasswordRequestForm, send_welcome, ...)
            parts.extend(b.name for b in syms.bindings if b.scope == "" and b.name != "*")
        docs.append(Doc("module", m.name, m.name, m.path, 1, " ".join(parts), None, m.name.rsplit(".", 1)[-1]))
    for r in result.routes:
        handler = r.handler.rsplit(".", 1)[-1]
        text = [r.path, r.path, " ".join(r.methods), handler, handler, r.name, r.group]
        text.extend(v for k, v in r.options if k in ("tags", "summary", "name", "description"))
        if p is not None:
            d = p.lookup(r.handler)
            if d.kind == "function":
                fn = d.obj
                text.append(getattr(fn, "docstring", "")[:300])
                text.extend(getattr(fn, "params", ()))
                args = getattr(fn, "args", None)
                for a in (args.posonlyargs + args.args + args.kwonlyargs) if args is not None else ():
                    if a.annotation is not None:
                        text.extend(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", ast.unparse(a.annotation)))
        docs.append(Doc("route", f"{' '.join(r.methods)} {r.path}", f"{' '.join(r.methods)} {r.path}", r.file, r.line, " ".join(text), r))
    seen_tables: set[str] = set()
    for om in result.models:
        key = om.class_name or om.table
        if key in seen_tables or om.framework_provided:  # a framework's table is no place for the change
            continue
        seen_tables.add(key)
        cls = om.class_name.rsplit(".", 1)[-1]
        text = [cls, cls, om.table, om.table] + [c.name for c in om.columns] + [rel.name for rel in om.relationships]
        title = f"{cls} ({om.table})" if cls else om.table
        docs.append(Doc("model", key, title, om.file, om.line, " ".join(text), om, cls or om.table))
    for t in result.tasks:
        fn = t.function.rsplit(".", 1)[-1]
        text = [t.name, fn, fn]
        if p is not None:
            d = p.lookup(t.function)
            if d.kind == "function":
                text.append(getattr(d.obj, "docstring", "")[:300])
        docs.append(Doc("task", t.name, t.name, t.file, t.line, " ".join(text), t, fn))
    return docs


@dataclass(frozen=True)
class PlanStep:
    """One change the task needs, in one layer."""

    layer: str
    text: str  # Markdown-free sentence
    file: str
    line: int = 0
    anchor: str = ""  # what to put it next to


@dataclass(frozen=True)
class RuleRef:
    """A RULES.md statement that constrains the change."""

    line: int
    text: str
    checked: bool | None = None  # True: checked by backendscan; False: not machine-checkable; None: unknown


@dataclass(frozen=True)
class Plan:
    """The implementation plan for a task."""

    task: str
    terms: tuple[str, ...]
    synonyms: tuple[str, ...]
    unmatched: tuple[str, ...]
    modules: tuple[Ranked, ...]
    routes: tuple[Ranked, ...]
    models: tuple[Ranked, ...]
    tasks: tuple[Ranked, ...]
    steps: tuple[PlanStep, ...]
    rules: tuple[RuleRef, ...]
    rules_file: str
    tests_existing: tuple[tuple[str, str], ...]  # (test module path, why)
    tests_to_add: tuple[str, ...]
    notes: tuple[str, ...]


def rank(result: "ScanResult", task: str, limit: int = 8) -> tuple[dict[str, list[Ranked]], dict[str, float]]:
    """BM25 hits per kind for the task text (the best ``limit`` of each kind; ``limit=0``: all).

    A long document (a model with 60 columns) is not penalised for being long
    when the task names the item itself: each query term found in the item's own
    name adds twice its idf, scaled by the share of the name the task covers
    (``Interface`` for "a device's interfaces" beats ``InterfaceTemplate`` and a
    ``WirelessLink`` whose columns mention interfaces).
    """
    docs = build_docs(result)
    index = BM25([tokens(d.text) for d in docs])
    q = query_terms(task)
    hits: dict[str, list[Ranked]] = defaultdict(list)
    for i, d in enumerate(docs):
        s, matched = index.score(i, q)
        if s <= 0:
            continue
        name = set(tokens(d.name)) if d.name else set()
        covered = [term for term in matched if term in name]
        if covered:
            s += 2 * sum(q[term] * index.idf.get(term, 0.0) for term in covered) * len(covered) / len(name)
        hits[d.kind].append(Ranked(d.kind, d.key, d.title, d.file, d.line, round(s, 3), tuple(matched)))
    for kind in hits:
        hits[kind].sort(key=lambda r: (-r.score, r.key))
        if limit:
            hits[kind] = hits[kind][:limit]
    return hits, q


API_WORDS = frozenset({"api", "rest", "endpoint", "endpoints", "json", "graphql"})


def _is_api_path(path: str) -> bool:
    """``/api/...``, ``/v1/...``, ``/graphql``: placeholders such as ``{settings.BASE_PATH}api`` are ignored."""
    segments = re.sub(r"\{[^}]*\}", "", path).lower().strip("/").split("/")
    return any(seg in ("api", "graphql") or re.fullmatch(r"v\d+", seg) for seg in segments)


def make_plan(
    result: "ScanResult",
    task: str,
    reach: ReachReport | None = None,
    rules_text: tuple[str, str] | None = None,
    statements: Sequence[object] = (),
) -> Plan:
    """The plan for ``task`` (see the module docstring).  ``rules_text`` = (path, text) of RULES.md."""
    all_hits, q = rank(result, task, limit=0)
    hits = {kind: found[:8] for kind, found in all_hits.items()}
    terms = tuple(t for t, w in q.items() if w == 1.0)
    synonyms = tuple(sorted(t for t, w in q.items() if w < 1.0))
    matched_any = {m for kind in hits.values() for r in kind for m in r.matched}
    unmatched = tuple(t for t in terms if t not in matched_any)
    g = result.graph
    modules = {m.name: m for m in result.modules}
    route_objs = {f"{' '.join(r.methods)} {r.path}": r for r in result.routes}
    model_objs = {m.class_name or m.table: m for m in result.models}
    task_objs = {t.name: t for t in result.tasks}
    module_score = {r.key: r.score for r in hits.get("module", [])}

    def path(module: str) -> str:
        m = modules.get(module)
        return m.path if m else ""

    def module_of(dotted: str) -> str:
        parts = dotted.split(".")
        for i in range(len(parts), 0, -1):
            cand = ".".join(parts[:i])
            if cand in modules:
                return cand
        return ""

    def imported_by(module: str, role: str) -> list[str]:
        if module not in g:
            return []
        out = [b for b in g.successors(module) if role_of(b) == role and modules.get(b) and modules[b].path]
        return sorted(out, key=lambda b: (-module_score.get(b, 0.0), b))

    steps: list[PlanStep] = []
    touched: list[str] = []
    api_module = ""
    anchor_route: Route | None = None
    route_hits = [h for h in all_hits.get("route", []) if h.key in route_objs]
    wants_api = bool(API_WORDS & set(split_identifier(task)))
    if wants_api and route_hits and not _is_api_path(route_objs[route_hits[0].key].path):
        # "an API endpoint" while the best match is a page: the API twin of that page (the API route
        # sharing most path words with it), else the best API route when it is nearly as relevant
        top_words = set(tokens(route_objs[route_hits[0].key].path))
        api_hits = [h for h in route_hits if _is_api_path(route_objs[h.key].path)]
        twin = max(api_hits, key=lambda h: len(top_words & set(tokens(route_objs[h.key].path))), default=None)
        if twin is not None and not top_words & set(tokens(route_objs[twin.key].path)):
            twin = api_hits[0] if api_hits[0].score >= 0.5 * route_hits[0].score else None
        if twin is not None:
            route_hits.remove(twin)
            route_hits.insert(0, twin)
    if route_hits:
        anchor_route = route_objs[route_hits[0].key]
    if anchor_route is None and result.routes:
        # no route matches: take the route module that is, or imports, the most relevant code
        handler_routes: dict[str, list[Route]] = defaultdict(list)
        for route in result.routes:
            handler_routes[module_of(route.handler)].append(route)
        best, best_score = "", 0.0
        for mod in sorted(handler_routes):
            score = module_score.get(mod, 0.0) + sum(module_score.get(b, 0.0) for b in (g.successors(mod) if mod in g else ()))
            if score > best_score:
                best, best_score = mod, score
        if best:
            anchor_route = sorted(handler_routes[best], key=lambda r: (r.line, r.path))[0]
    if anchor_route is not None:
        api_module = module_of(anchor_route.handler)
        siblings = [r for r in result.routes if module_of(r.handler) == api_module]
        auth = sorted({a.name for r in siblings for a in r.auth if not a.public})
        conventions = []
        if auth:
            conventions.append(f"its sibling routes require {', '.join(auth[:3])}")
        if anchor_route.framework == "fastapi" and any(k == "response_model" for r in siblings for k, _ in r.options):
            conventions.append("declare response_model like its siblings")
        text = f"Add the route handler in {anchor_route.file} next to {' '.join(anchor_route.methods)} {anchor_route.path} (line {anchor_route.line})"
        if conventions:
            text += "; " + "; ".join(conventions)
        steps.append(PlanStep("api", text, anchor_route.file, anchor_route.line, f"{' '.join(anchor_route.methods)} {anchor_route.path}"))
        touched.append(api_module)
    if anchor_route is None:
        api_hit = next((h for h in hits.get("module", []) if role_of(h.key) == "api"), None)
        if api_hit is not None:
            api_module = api_hit.key
            steps.append(PlanStep("api", f"Add or extend the API entry point next to {api_hit.file} (the most relevant API module: {api_hit.key})", api_hit.file))
            touched.append(api_module)
    services = imported_by(api_module, "services") if api_module else []
    service = services[0] if services else next((h.key for h in hits.get("module", []) if role_of(h.key) == "services"), "")
    domain = ""
    if not service:  # no services layer: the most relevant module outside the API/data/task layers holds the logic
        domain = next((h.key for h in hits.get("module", []) if role_of(h.key) in ("", "domain") and modules[h.key].is_package is False), "")
    schemas = imported_by(api_module, "schemas") if api_module else []
    if schemas:
        steps.append(PlanStep("schemas", f"Request/response models in {path(schemas[0])} (the schema module {api_module} already imports)", path(schemas[0])))
        touched.append(schemas[0])
    if service:
        why = f"{api_module} calls it" if service in services else "most relevant service module"
        steps.append(PlanStep("services", f"Business logic in {path(service)} ({why}); keep the route thin", path(service)))
        touched.append(service)
    if domain:
        steps.append(PlanStep("logic", f"Domain logic next to {path(domain)} (the most relevant module outside the API, data and task layers)", path(domain)))
        touched.append(domain)
    repos = imported_by(service, "repositories") if service else []
    if repos:
        steps.append(PlanStep("repositories", f"Data access in {path(repos[0])} (used by {service})", path(repos[0])))
        touched.append(repos[0])
    model_hits = [model_objs[r.key] for r in hits.get("model", []) if r.key in model_objs]
    migration_dirs = sorted({m.path.rsplit("/", 1)[0] for m in result.modules if m.kind is FileKind.MIGRATION and m.path})
    if model_hits:
        mh: OrmModel = model_hits[0]
        cls = mh.class_name.rsplit(".", 1)[-1] or mh.table
        text = f"Data: {cls} (table {mh.table}) in {mh.file}:{mh.line}"
        model_terms = {t for r in hits.get("model", []) for t in r.matched}
        missing = [t for t in terms if t not in model_terms]
        if missing and migration_dirs:
            home = max(migration_dirs, key=lambda d: _shared_prefix(d.replace("/", "."), mh.file.replace("/", ".")))  # first of the closest
            text += f"; if the change stores new data ({', '.join(missing[:3])} match no model), add the column/model there and a migration in {home}/"
        steps.append(PlanStep("models", text, mh.file, mh.line, cls))
        touched.append(module_of(mh.class_name) if mh.class_name else "")
    task_hits = [task_objs[r.key] for r in hits.get("task", []) if r.key in task_objs]
    near = set(touched) | (set(g.successors(api_module)) if api_module in g else set())
    task_hits.sort(key=lambda t: not any(module_of(c.caller) in near for c in t.callers))  # stable: keeps score order
    wants_background = bool(set(terms) & {stem(w) for w in BACKGROUND_WORDS})
    if task_hits or (wants_background and result.tasks):
        if task_hits:
            t: Task = task_hits[0]
        else:  # no task matches the words: the task that lives closest to the code being changed
            t = max(sorted(result.tasks, key=lambda x: (x.file, x.line)), key=lambda x: max((_shared_prefix(x.function, m) for m in touched), default=0))
        producer = next(iter(sorted(t.callers, key=lambda c: (c.file, c.line))), None)
        how = f"; start it the way {producer.file}:{producer.line} starts {t.name} (.{producer.method}())" if producer else ""
        fn = t.function.rsplit(".", 1)[-1]
        lead = "Background work" if task_hits else "If the work should not run inside the request: background work"
        steps.append(PlanStep("tasks", f"{lead} as a {t.framework} task in {t.file} next to {fn} (line {t.line}){how}", t.file, t.line, fn))
        touched.append(module_of(t.function))
    settings_hits = [r for r in hits.get("module", []) if role_of(r.key) == "settings"]
    if settings_hits:
        s = settings_hits[0]
        steps.append(PlanStep("settings", f"New configuration (URLs, secrets, expiry times) in {s.file}, read from the environment like the existing settings", s.file))
        touched.append(s.key)
    touched = [t for t in dict.fromkeys(touched) if t]

    # tests
    tests_existing: list[tuple[str, str]] = []
    if reach is not None:
        seen: set[str] = set()
        pairs = {(s.importer, s.target) for s in result.imports}
        for module in touched:
            mr = reach.of_module(module)
            if mr is None:
                continue
            for tmod in mr.tests:
                if tmod in seen or not modules.get(tmod):
                    continue
                direct = mr.status == "direct" and (tmod, module) in pairs
                seen.add(tmod)
                how = "imports it" if direct else "reaches it through imports"
                tests_existing.append((modules[tmod].path, f"{how}: {module}"))
        tests_existing.sort(key=lambda t: not t[1].startswith("imports it"))  # direct importers first (stable)
        for rr in reach.routes:
            if rr.status == "called" and api_module and module_of(rr.route.handler) == api_module:
                for call in rr.calls[:2]:
                    tests_existing.append((call, f"calls {' '.join(rr.route.methods)} {rr.route.path}"))
    tests_to_add: list[str] = []

    def test_home(module: str, name: str) -> str:
        """The test file that imports ``module`` directly, else test_<name>.py in the nearest test folder.

        For a module of an ``api`` package (``dcim/api/views.py``) a nearby ``test_api.py`` comes first.
        """
        mr = reach.of_module(module) if reach is not None and module else None
        if mr is not None and mr.status == "direct" and mr.tests and modules.get(mr.tests[0]):
            return f"extend {modules[mr.tests[0]].path}"
        names = (["api"] if "api" in module.split(".")[:-1] and name != "api" else []) + [name]
        found = [f for f in (_existing_test(result, n, path(module)) for n in names) if f]
        existing = max(found, key=lambda f: _shared_prefix(f.replace("/", "."), path(module).replace("/", ".")), default="")
        return f"extend {existing}" if existing else f"add {_test_dir(result, path(module))}/test_{name}.py"

    if api_module:
        resource = api_module.rsplit(".", 1)[-1]
        has_auth = any(a for rt in result.routes if module_of(rt.handler) == api_module for a in rt.auth if not a.public)
        extra = " and a 401/403 case without credentials" if has_auth else ""
        tests_to_add.append(f"{test_home(api_module, resource)}: the new entry point's success path, validation errors{extra}")
    logic = service or domain
    if logic:
        name = logic.rsplit(".", 1)[-1]
        tests_to_add.append(f"{test_home(logic, name)}: unit tests of the new logic (no HTTP)")
    task_steps = [st for st in steps if st.layer == "tasks"]
    if task_steps:
        tmod = next((module_of(t.function) for t in result.tasks if t.file == task_steps[0].file), "")
        framework = next((t.framework for t in result.tasks if t.file == task_steps[0].file), "celery")
        start = {"rq": ".enqueue", "dramatiq": ".send"}.get(framework, ".delay/.apply_async")
        tests_to_add.append(f"{test_home(tmod, tmod.rsplit('.', 1)[-1] if tmod else 'tasks')}: assert the task is enqueued (mock {start}) and test the task body directly")
    if any(st.layer == "models" and "migration" in st.text for st in steps):
        tests_to_add.append("a migration check (upgrade/downgrade on an empty database) if the schema changes")

    rules: list[RuleRef] = []
    rules_file = ""
    if rules_text is not None:
        rules_file, text = rules_text
        roles = {s.layer for s in steps}
        rules = relevant_rules(text, roles, set(terms))
        status = {getattr(st, "line", 0): getattr(st, "status", "") for st in statements if not getattr(st, "source", "")}
        rules = [
            RuleRef(r.line, r.text, None if r.line not in status else status[r.line] in ("checked", "violated"))
            for r in rules
        ]

    notes = [
        "Ranking is lexical (BM25 over identifiers, paths, docstrings and route paths, with a small synonym list); "
        "it finds code that uses the task's words, not code that means the same thing in other words.",
    ]
    if unmatched:
        notes.append(f"No code mentions: {', '.join(unmatched)}. These are likely new concepts for this codebase.")
    return Plan(
        task=task.strip(),
        terms=terms,
        synonyms=synonyms,
        unmatched=unmatched,
        modules=tuple(hits.get("module", [])),
        routes=tuple(hits.get("route", [])),
        models=tuple(hits.get("model", [])),
        tasks=tuple(hits.get("task", [])),
        steps=tuple(steps),
        rules=tuple(rules),
        rules_file=rules_file,
        tests_existing=tuple(tests_existing[:8]),
        tests_to_add=tuple(tests_to_add),
        notes=tuple(notes),
    )


_RULE_ROLE_WORDS = {
    "api": ("endpoint", "route", "router", "api", "view", "handler", "http", "auth", "response_model", "async"),
    "schemas": ("schema", "serializer", "response_model", "pydantic"),
    "services": ("service", "transaction", "business"),
    "repositories": ("repositor", "database", "db", "query", "session"),
    "models": ("model", "orm", "migration", "table", "column"),
    "tasks": ("task", "celery", "job", "queue", "retry", "time_limit", "worker"),
    "settings": ("setting", "config", "secret", "environment"),
}


def rule_statements(text: str) -> list[tuple[int, str]]:
    """(line, text) of every bullet or numbered item of a Markdown file, continuation lines joined."""
    out: list[tuple[int, str]] = []
    fence = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        m = re.match(r"^([-*+]|\d+[.)])\s+(.*)$", line)
        if m:
            out.append((number, m.group(2)))
        elif line and out and raw[:1] in (" ", "\t") and not line.startswith("#"):
            out[-1] = (out[-1][0], out[-1][1] + " " + line)
    return out


def relevant_rules(text: str, roles: set[str], terms: set[str]) -> list[RuleRef]:
    """RULES.md statements that mention a touched layer or a task word, or the architecture, with their line."""
    out = []
    general = ("import", "layer", "circular")  # architecture rules constrain every change
    for number, body in rule_statements(text):
        low = body.lower()
        words = set(tokens(body))
        hit = any(w in low for role in roles for w in _RULE_ROLE_WORDS.get(role, ())) or bool(words & terms)
        if hit or any(w in low for w in general):
            out.append(RuleRef(number, body))
    return out


def _test_dir(result: "ScanResult", near: str = "") -> str:
    """The test folder closest to ``near`` (longest shared path), else the one with most tests."""
    dirs = Counter(m.path.rsplit("/", 1)[0] if "/" in m.path else "." for m in result.modules if m.kind is FileKind.TEST and m.path)
    if not dirs:
        return "tests"
    if near:
        parts = near.split("/")[:-1]

        def shared(d: str) -> int:
            n = 0
            for a, b in zip(parts, d.split("/")):
                if a != b:
                    break
                n += 1
            return n

        return max(sorted(dirs), key=lambda d: (shared(d), dirs[d], -len(d)))
    return dirs.most_common(1)[0][0]


def _existing_test(result: "ScanResult", name: str, near: str = "") -> str:
    """A test file named after ``name``; of several, the one sharing most folders with ``near``."""
    found = sorted(
        m.path
        for m in result.modules
        if m.kind is FileKind.TEST and m.path.rsplit("/", 1)[-1] in (f"test_{name}.py", f"{name}_test.py", f"tests_{name}.py")
    )
    if not found:
        return ""
    return max(found, key=lambda f: _shared_prefix(f.replace("/", "."), near.replace("/", ".")))  # first of the closest


def _shared_prefix(a: str, b: str) -> int:
    """How many leading dotted parts ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a.split("."), b.split(".")):
        if x != y:
            break
        n += 1
    return n


