"""RULES.md text -> :class:`~backendscan.rules.model.RuleSet`.

:func:`compile_rules` is pure (text in, rule set out).  It parses the
Markdown, compiles every clause with :mod:`backendscan.rules.grammar`, reads
tables whose header says what a column means ("Layer | May import from |
Never import from", "Metric | Limit | Warning", "Layer | Path"), reads
```` ```backendscan ```` TOML blocks with :mod:`backendscan.rules.fenced`, then:

* applies modifiers to earlier rules: "Imports under ``if TYPE_CHECKING:`` do
  not count", "each layer may import only the layer directly below it"
  (closed layers, built from the nearest layer chain), "nothing imports
  upwards" (the direction of the nearest chain, already checked);
* marks a clause that compiles to a rule stated earlier as a duplicate
  (the finding cites the first statement);
* gives every rule a readable, stable id (a slug of its canonical form).

Problems that make the file unusable (bad TOML in a fenced block, unknown
keys) are collected with their lines in ``RuleSet.problems``; prose never
fails: what the grammar cannot compile is an ``unrecognized`` entry.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Sequence

from ..model import Severity
from . import lexicon
from ..rulefiles import Include
from .grammar import Clause, Outcome, compile_clause, label_is_rule, make_clause, not_checkable, split_label
from .model import (
    COMPILED,
    NOT_CHECKABLE,
    UNRECOGNIZED,
    Acyclic,
    AllowOnly,
    Ban,
    Convention,
    Entry,
    Forbidden,
    Independence,
    Layers,
    Limit,
    Placement,
    Protected,
    Ref,
    Rule,
    RuleSet,
    Shared,
    Spec,
)
from .names import normalise, occurrences, refs_in
from .parser import Statement, clauses, heading_polarity, parse_markdown


def compile_rules(text: str, source: str = "RULES.md") -> RuleSet:
    """Compile a Markdown rule file (never raises; fatal problems go to ``problems``).

    ``@path`` include lines are left out of the prose here; following them is
    I/O, done by the caller with :func:`backendscan.rulefiles.expand` and
    :func:`compile_parts`.
    """
    from ..rulefiles import blank_includes, include_lines

    return compile_parts([(source, blank_includes(text, include_lines(text)))])


def compile_parts(parts: Sequence[tuple[str, str]], includes: Sequence[Include] = ()) -> RuleSet:
    """Compile several Markdown texts as one rule set, ``[(cited name, text)]``, first one first.

    Every rule and entry cites the file it was read from; duplicates and ids
    are shared across the parts, and the first part names the rule set.
    """
    from .fenced import compile_fenced

    state = _State(parts[0][0] if parts else "RULES.md")
    for order, (source, text) in enumerate(parts):
        state.source = source
        state.order.setdefault(source, order)
        doc = parse_markdown(text)
        for stmt in _grouped(doc.statements):
            if isinstance(stmt, list):
                state.table(stmt)
            else:
                state.statement(stmt)
        for fence in doc.fences:
            if fence.info in ("backendscan", "backendscan-rules", "toml-backendscan"):
                fenced = compile_fenced(fence.content, fence.line, source)
                state.absorb(fenced)
    state.source = parts[0][0] if parts else "RULES.md"
    return replace(state.result(), includes=tuple(includes))


def _grouped(statements: Iterable[Statement]) -> list["Statement | list[Statement]"]:
    out: list[Statement | list[Statement]] = []
    for s in statements:
        if s.block == "table":
            last = out[-1] if out else None
            if isinstance(last, list) and last[-1].header == s.header and s.line - last[-1].line <= 2:
                last.append(s)
                continue
            out.append([s])
        else:
            out.append(s)
    return out


_DIRECTION_PLACEHOLDER = "__direction__"


class _State:
    """Entries and rules accumulated while reading one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.entries: list[Entry] = []
        self.rules: list[Rule] = []
        self.roles: list[tuple[str, tuple[str, ...]]] = []
        self.problems: list[str] = []
        self.type_checking = False
        self.dynamic_imports = True
        self.ignores: list[tuple[str, str, str]] = []
        self.seen: dict[tuple[object, Severity], Rule] = {}
        self.order: dict[str, int] = {source: 0}  # cited file -> position among the parts

    # ----------------------------------------------------------- statements
    def statement(self, stmt: Statement) -> None:
        subject, ctx_roles, context = _context(stmt)
        for role, path in ctx_roles:
            self._role(role, path)
        pieces: list[tuple[int, str]] = []
        for line, raw in clauses(stmt):
            label, rest = split_label(raw)
            if label and label_is_rule(label):
                pieces.extend([(line, label), (line, rest)])
            else:
                pieces.append((line, raw))
        made: list[tuple[int, Clause, Outcome]] = []
        for line, raw in pieces:
            c = make_clause(line, raw, stmt.polarity, context, stmt.block, subject)
            out = compile_clause(c)
            if re.search(r"\(for information\)", raw):
                out.specs = [(s, Severity.INFO) for s, _ in out.specs]
            made.append((line, c, out))
        self._resolve_statement(_remedy_homes(made))

    def table(self, rows: list[Statement]) -> None:
        header = [h.lower() for h in rows[0].header]
        cols = _table_columns(header)
        if not cols:
            for r in rows:
                self._generic_row(r)
            return
        for r in rows:
            self._table_row(r, cols)

    def _table_row(self, row: Statement, cols: dict[str, int]) -> None:
        cells = list(row.cells) + [""] * (len(row.header) - len(row.cells))
        subject_ctx, ctx_roles, context = _context(row)
        made: list[tuple[int, Clause, Outcome]] = []
        if "metric" in cols:
            made.extend(self._metric_row(row, cells, cols, context))
        elif "layer" in cols:
            layer_cell = cells[cols["layer"]]
            subj = _cell_refs(layer_cell)
            if len(re.sub(r"[*_`]", "", layer_cell).split()) > 3:
                subj = subj[:1]  # "Controller has no business logic": the layer is the first name, the rest is prose
            if not subj:
                made.append((row.line, make_clause(row.line, row.text, 0, context, "table"), not_checkable("descriptive", "a table row without a layer name")))
            else:
                if "path" in cols and cells[cols["path"]].strip():
                    for p in _cell_refs(cells[cols["path"]]):
                        self._role(subj[0].text, p.text)
                for key in ("allow", "deny", "rules"):
                    if key not in cols:
                        continue
                    cell = cells[cols[key]].strip()
                    c = make_clause(row.line, f"{layer_cell}: {cell}", -1 if key == "deny" else 0, context, "table", subj)
                    if not cell or re.fullmatch(r"[-—–]|n/?a", cell.lower()):
                        continue
                    low = cell.lower()
                    if key == "allow":
                        if re.search(r"\ball\b|\bany\b|anything|everything|全部|모든|tutti|semua", low):
                            made.append((row.line, c, not_checkable("allow-list", "allows everything: nothing to check")))
                            continue
                        allowed = () if re.search(r"\(?none\)?|nothing|无|없음|なし|nessuno|tidak ada", low) else _cell_refs(cell)
                        made.append((row.line, c, Outcome(COMPILED, "allow-only", [(AllowOnly(subj, allowed), None)])))
                    elif key == "deny":
                        if re.search(r"\(?none\)?|nothing|无|없음|なし|-", low) and not _cell_refs(cell):
                            continue
                        if re.search(r"all others|all other|everything else|其他|나머지", low):
                            made.append((row.line, c, not_checkable("allow-list", "'all others' restates the allow-list of the same row")))
                            continue
                        targets = _cell_refs(cell)
                        if targets:
                            made.append((row.line, c, Outcome(COMPILED, "forbidden", [(Forbidden(subj, targets), None)])))
                    else:
                        header_neg = heading_polarity(row.header[cols[key]]) < 0 or re.search(r"must not|don'?t|never|not allowed|không|금지|禁止", row.header[cols[key]].lower())
                        for piece in re.split(r"[,;，；、]|\s+/\s+", cell):
                            if not piece.strip():
                                continue
                            pc = make_clause(row.line, piece.strip(), -1 if header_neg else 0, context, "table", subj)
                            made.append((row.line, pc, compile_clause(pc)))
                if not made:
                    c = make_clause(row.line, row.text, 0, context, "table", subj)
                    made.append((row.line, c, compile_clause(c)))
        else:
            self._generic_row(row)
            return
        self._resolve_statement(made)

    def _generic_row(self, row: Statement) -> None:
        """A row of a table whose columns say nothing known: a statement, or a layer and its rule."""
        cells = list(row.cells) + [""] * (len(row.header) - len(row.cells))
        lead = _row_subject(cells)
        if lead is None:
            self.statement(row)
            return
        # "| **Service knows no HTTP** | no FastAPI imports |": the first cell names the layer, the others say the rule
        _subject, _roles, context = _context(row)
        body = " ; ".join(c for c in cells[1:] if c.strip())
        neg = any(heading_polarity(h) < 0 for h in row.header[1:])
        made: list[tuple[int, Clause, Outcome]] = []
        for _line, raw in clauses(replace(row, text=body, cells=(), breaks=())):
            c = make_clause(row.line, raw, -1 if neg else row.polarity, context, "table", (lead,))
            made.append((row.line, c, compile_clause(c)))
        self._resolve_statement(made)

    def _metric_row(self, row: Statement, cells: list[str], cols: dict[str, int], context: str) -> list[tuple[int, Clause, Outcome]]:
        from .grammar import _METRIC_WORDS

        what = cells[cols["metric"]].lower()
        metric = ""
        lines = bool(re.search(r"lines?|loc|行|줄", what))
        for name, pat in _METRIC_WORDS:
            if re.search(pat, what, re.I):
                if name in ("function-length", "class-length", "file-length") and not lines:
                    continue
                metric = name
                break
        c = make_clause(row.line, row.text, 0, context, "table")
        if not metric:
            return [(row.line, c, not_checkable("descriptive", "a metric backendscan does not measure"))]
        out: list[tuple[int, Clause, Outcome]] = []
        for key, sev in (("limit", None), ("warning", Severity.WARNING)):
            if key not in cols:
                continue
            m = re.search(r"\d+(?:\.\d+)?", cells[cols[key]])
            if not m:
                continue
            n = float(m.group(0))
            spec = Limit(metric, minimum=n) if metric == "maintainability" else Limit(metric, maximum=int(n))
            out.append((row.line, c, Outcome(COMPILED, "limit", [(spec, sev)])))
        return out or [(row.line, c, not_checkable("descriptive", "a metric row without a number"))]

    # ----------------------------------------------------------- resolution
    def _resolve_statement(self, made: list[tuple[int, Clause, Outcome]]) -> None:
        stmt_rules: list[Rule] = []
        config_outside: tuple[Ref, ...] = ()
        for line, c, out in made:
            entry_rules: list[Rule] = []
            duplicate_of = 0
            status, kind, reason, suggestion = out.status, out.kind, out.reason, out.suggestion
            for role, path in out.roles:
                self._role(role, path)
            if out.modifier is not None:
                name, value = out.modifier
                if name == "type_checking":
                    targets = [r for r in stmt_rules if isinstance(r.spec, (Acyclic,))]
                    if targets:
                        for r in targets:
                            assert isinstance(r.spec, Acyclic)
                            new = replace(r, spec=replace(r.spec, type_checking=bool(value)))
                            self._replace(r, new)
                    else:
                        self.type_checking = bool(value)
                    self.entries.append(Entry(line, c.raw, COMPILED, "option", c.mod.severity, (), reason="TYPE_CHECKING imports " + ("count" if value else "do not count") + " in import rules", source=self.source))
                    continue
                layers = self._last_layers()
                if layers is None:
                    self.entries.append(Entry(line, c.raw, UNRECOGNIZED, "layers", c.mod.severity, reason="refers to layers, but no layer chain was declared before it", suggestion="Layers, top to bottom: `app.api` -> `app.services` -> `app.db`", source=self.source))
                    continue
                if name == "direction":
                    self.entries.append(Entry(line, c.raw, COMPILED, "layers", layers.severity, (layers,), reason="the direction of the layer chain declared before it", source=self.source, duplicate_of=layers.line))
                    continue
                if name == "closed":
                    exempt = tuple(value) if isinstance(value, tuple) else ()
                    assert isinstance(layers.spec, Layers)
                    closed_spec: Spec = replace(layers.spec, direction=False, closed=True, exempt=exempt)
                    out = Outcome(COMPILED, "layers", [(closed_spec, None)])
            # bans in the same statement as "configuration comes from X" are allowed in X
            specs = out.specs
            adjusted: list[tuple[Spec, Severity | None]] = []
            for one, sev in specs:
                if isinstance(one, Ban) and set(one.names) & {"os.getenv", "os.environ"}:
                    if one.outside:
                        config_outside = one.outside
                    elif config_outside:
                        one = replace(one, outside=config_outside)
                adjusted.append((one, sev))
            for spec, sev in adjusted:
                severity = sev or c.mod.severity
                if isinstance(spec, Protected):
                    self._except_in_forbidden(spec, stmt_rules)
                rule = Rule(spec, severity, line, c.raw, self.source)
                key = (spec, severity)
                earlier = self.seen.get(key)
                covered = self._covered(spec, severity, stmt_rules)
                if earlier is not None:
                    duplicate_of = earlier.line
                    entry_rules.append(earlier)
                elif covered is not None:
                    duplicate_of = covered.line
                    entry_rules.append(covered)
                else:
                    rule = replace(rule, id=self._id(rule))
                    self.seen[key] = rule
                    self.rules.append(rule)
                    entry_rules.append(rule)
                    stmt_rules.append(rule)
            kinds = sorted({r.kind for r in entry_rules}) or [kind]
            self.entries.append(
                Entry(
                    line,
                    c.raw,
                    status,
                    "+".join(kinds) if status == COMPILED else kind,
                    max((r.severity for r in entry_rules), key=lambda s: s.rank) if entry_rules else c.mod.severity,
                    tuple(entry_rules),
                    reason,
                    suggestion,
                    self.source,
                    duplicate_of,
                )
            )

    def _except_in_forbidden(self, spec: Protected, stmt_rules: list[Rule]) -> None:
        """"X must not import Y. Z is the only module in X allowed to import Y": Z is excused."""
        for i, r in enumerate(stmt_rules):
            f = r.spec
            if not isinstance(f, Forbidden) or not set(f.targets) & set(spec.targets):
                continue
            if spec.scope and not set(spec.scope) & set(f.sources) and not any(s.text.lower() in lexicon.ROLE_WORDS for s in f.sources):
                continue
            new = replace(r, spec=replace(f, exceptions=tuple(dict.fromkeys(f.exceptions + spec.importers))))
            self.seen.pop((r.spec, r.severity), None)
            self._replace(r, new)
            stmt_rules[i] = new

    def _covered(self, spec: Spec, severity: Severity, stmt_rules: list[Rule]) -> Rule | None:
        """An earlier ban of the same statement that already covers this one."""
        if not isinstance(spec, Ban):
            return None
        for r in stmt_rules:
            s = r.spec
            if isinstance(s, Ban) and set(spec.names) <= set(s.names) and spec.under == s.under and spec.outside == s.outside and r.severity.rank >= severity.rank:
                return r
        return None

    def _replace(self, old: Rule, new: Rule) -> None:
        self.rules = [new if r is old else r for r in self.rules]
        self.seen = {k: (new if v is old else v) for k, v in self.seen.items()}
        self.seen[(new.spec, new.severity)] = new
        self.entries = [replace(e, rules=tuple(new if r is old else r for r in e.rules)) for e in self.entries]

    def _last_layers(self) -> Rule | None:
        for r in reversed(self.rules):
            if isinstance(r.spec, Layers) and r.spec.direction:
                return r
        return None

    def _role(self, role: str, path: str) -> None:
        role = role.strip().lower()
        path = path.strip().rstrip("/")
        if not role or not path:
            return
        for i, (k, v) in enumerate(self.roles):
            if k == role:
                if path not in v:
                    self.roles[i] = (k, v + (path,))
                return
        self.roles.append((role, (path,)))

    def _id(self, rule: Rule) -> str:
        base = rule_slug(rule.spec)
        taken = {r.id for r in self.rules}
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def absorb(self, other: RuleSet) -> None:
        """Rules, entries and options from a fenced block."""
        for e in other.entries:
            rules = []
            for r in e.rules:
                key = (r.spec, r.severity)
                if key in self.seen:
                    rules.append(self.seen[key])
                    continue
                r2 = r if r.id else replace(r, id=self._id(r))
                if r2.id in {x.id for x in self.rules}:
                    r2 = replace(r2, id=self._id(r2))
                self.seen[key] = r2
                self.rules.append(r2)
                rules.append(r2)
            self.entries.append(replace(e, rules=tuple(rules)))
        for role, paths in other.roles:
            for p in paths:
                self._role(role, p)
        self.problems.extend(other.problems)
        self.ignores.extend(other.ignores)
        if other.type_checking:
            self.type_checking = True
        if not other.dynamic_imports:
            self.dynamic_imports = False

    def result(self) -> RuleSet:
        entries = sorted(self.entries, key=lambda e: (self.order.get(e.source, 0), e.line))
        return RuleSet(
            source=self.source,
            entries=tuple(entries),
            rules=tuple(self.rules),
            roles=tuple(self.roles),
            problems=tuple(self.problems),
            type_checking=self.type_checking,
            dynamic_imports=self.dynamic_imports,
            ignores=tuple(self.ignores),
        )


# --------------------------------------------------------------------- helpers
def _context(stmt: Statement) -> tuple[tuple[Ref, ...], list[tuple[str, str]], str]:
    """Subject (role named by the innermost heading or label), role definitions and context text."""
    subject: tuple[Ref, ...] = ()
    roles: list[tuple[str, str]] = []
    texts = []
    for ctx in stmt.context:
        texts.append(ctx.text)
        if ctx.level == 1 and len(stmt.context) > 1:
            continue  # the document title ("Backend Commands") names no subject for the whole file
        t = normalise(ctx.text.rstrip(":："))
        plain = re.sub(r"\(.*?\)|[\U0001F300-\U0001FAFF\u2600-\u27BF]|[#*_✅❌🚫⛔]", " ", t.norm)
        plain = re.sub(r"\b\d+[.)]?\s*", " ", plain).strip(" :-")
        found = refs_in(t)
        words = plain.split()
        rest = re.sub(r"⟦\d+⟧", " ", plain)
        for o in found:
            rest = rest.replace(o.text.lower(), " ")
        filler = {"the", "layer", "layers", "rules", "rule", "module", "modules", "package", "packages", "folder", "directory", "code", "and", "/", "&", "层", "계층", "레이어", "tầng", "(", ")"}
        leftover = [w for w in re.findall(r"[\w\u00C0-\uFFFF]+", rest) if w not in filler]
        if found and len(words) <= 5 and len(leftover) <= 1:
            roles_here = [r for r in found if not r.quoted or ("/" not in r.text and "." not in r.text)]
            paths = [r for r in found if r.quoted and ("/" in r.text or "." in r.text)] + [
                r for r in found if not r.quoted and "/" in r.text
            ]
            m_path = re.search(r"\(([^)]*)\)", ctx.text)
            if m_path:
                inner = refs_in(normalise(m_path.group(1)))
                paths = [r for r in inner if "/" in r.text or "." in r.text] or paths
            roles_here = [r for r in roles_here if not re.search(r"\.(?:md|mdc|txt|rst|json|ya?ml|toml|cfg|ini)$", r.text)]
            paths = [r for r in paths if not re.search(r"\.(?:md|mdc|txt|rst|json|ya?ml|toml|cfg|ini)$", r.text)]
            if roles_here:
                head = roles_here[0]
                if head.text in lexicon.ROLE_WORDS or not head.quoted:
                    subject = (head,)
                    for p in paths:
                        if p.text != head.text:
                            roles.append((head.text, p.text))
                else:
                    subject = (head,)
            elif paths:
                subject = (paths[0],)
    return subject, roles, " / ".join(texts).lower()


_HOME_VERB = re.compile(r"^\s*⟦(\d+)⟧\s+(?:provides|wraps|defines|exposes|contains|implements|offers|holds|has)\b")
_USE_FROM = re.compile(r"^\s*(?:use|call)\s+(?P<y>⟦\d+⟧)(?:\s+(?:from|in)\s+⟦(?P<home>\d+)⟧)?(?:\s+instead)?\s*$")


def _path_like(code: str) -> bool:
    return "/" in code or bool(re.fullmatch(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+", code))


def _remedy_homes(made: list[tuple[int, Clause, Outcome]]) -> list[tuple[int, Clause, Outcome]]:
    """Bans whose remedy is in another clause of the same statement.

    "Never call `X()` directly — use `now()` from `app/time.py` instead": the
    next clause names the replacement and the module it comes from, which may
    call ``X`` (it is the wrapper).  "`app/time.py` provides `now()`, ... .
    Never call `Y()` directly — use the helpers instead": the module the
    statement says provides the helpers is where the direct call belongs.
    """
    homes: list[str] = []
    for _line, c, _out in made:
        m = _HOME_VERB.match(c.t.norm)
        if m:
            code = c.t.code(int(m.group(1)))
            if _path_like(code):
                homes.append(code)
    out: list[tuple[int, Clause, Outcome]] = []
    for i, (line, c, o) in enumerate(made):
        if o.status != COMPILED or not any(isinstance(sp, Ban) for sp, _ in o.specs):
            out.append((line, c, o))
            continue
        replacement, home = "", ""
        nxt = made[i + 1][1] if i + 1 < len(made) else None
        if nxt is not None:
            mu = _USE_FROM.match(nxt.t.norm)
            if mu:
                replacement = re.sub(r"\(.*\)$", "", nxt.t.code(int(mu.group("y")[1:-1]))).strip()
                if mu.group("home") and _path_like(nxt.t.code(int(mu.group("home")))):
                    home = nxt.t.code(int(mu.group("home")))
            elif re.match(r"^\s*use\s+the\s+(?:helpers?|wrappers?|utilities)\b", nxt.t.norm) and len(set(homes)) == 1:
                home = homes[0]
        if not home and re.search(r"\bdirectly\b", c.t.norm) and len(set(homes)) == 1 and nxt is not None and re.match(r"^\s*use\b", nxt.t.norm):
            home = homes[0]
        if not (replacement or home):
            out.append((line, c, o))
            continue
        specs = []
        for sp, sev in o.specs:
            if isinstance(sp, Ban) and not sp.outside:
                sp = replace(sp, replacement=sp.replacement or replacement, outside=(Ref(home.rstrip("/")),) if home else ())
            specs.append((sp, sev))
        out.append((line, c, Outcome(o.status, o.kind, specs, o.reason, o.suggestion, o.modifier, o.roles)))
    return out


def _table_columns(header: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        h = h.strip().lower()
        if "layer" not in cols and re.search(r"layer|^module|^package|component|层|계층|레이어|tầng|strato|camada|capa|レイヤー|層", h) and not re.search(r"import|rule|must|never", h):
            cols["layer"] = i
        elif re.search(r"never\s+import|must\s+not\s+import|cannot\s+import|can'?t\s+import|forbidden\s+import|not\s+allowed\s+to\s+import|禁止(?:导入|依赖|import)|금지|không\s+được\s+import", h):
            cols["deny"] = i
        elif re.search(r"may\s+import|can\s+import|allowed|may\s+depend|depends?\s+on|imports?\s+from|允许|허용|có thể import|può importare|boleh", h):
            cols["allow"] = i
        elif re.search(r"^path|folder|director|location|경로|路径|目录|đường dẫn|percorso|lokasi|caminho", h):
            cols["path"] = i
        elif re.search(r"must\s+not|don'?t|never|rules?|constraint|规则|규칙|không\s+được|quy tắc|regol|aturan|regras|禁止|금지", h):
            cols["rules"] = i
        elif re.search(r"^metric|指标|지표|métrica|metrica", h):
            cols["metric"] = i
        elif re.search(r"^limit|^max|threshold|限制|上限|제한|limite|batas", h):
            cols["limit"] = i
        elif re.search(r"warn|soft|警告|경고|aviso|avviso|peringatan", h):
            cols["warning"] = i
    if "metric" in cols and ("limit" in cols or "warning" in cols):
        return cols
    if "layer" in cols and ({"allow", "deny", "rules", "path"} & set(cols)):
        cols.pop("metric", None)
        return cols
    return {}


def _row_subject(cells: list[str]) -> Ref | None:
    """The layer a table row is about, when its first cell starts with a layer name and the row says more."""
    if len(cells) < 2 or not any(c.strip() for c in cells[1:]):
        return None
    t = normalise(re.sub(r"[*_]", "", cells[0]))
    if len(t.norm.split()) > 6:
        return None
    occ = occurrences(t)
    if not occ or occ[0].start > 0:
        return None
    ref = occ[0].ref
    if ref.text in lexicon.ROLE_WORDS or (ref.quoted and " " not in ref.text):
        return ref
    return None


def _cell_refs(cell: str) -> tuple[Ref, ...]:
    """Names listed in a table cell, comma separated: code spans, role words, or plain words."""
    out: list[Ref] = []
    for piece in re.split(r"[,;、，]|\band\b|\bor\b|\s/\s", cell):
        t = normalise(piece)
        found = refs_in(t)
        if found:
            out.extend(found)
            continue
        w = re.sub(r"\(.*?\)|[*_`]", "", t.norm).strip().lower()
        w = re.sub(r"\s+(?:layer|layers)$", "", w)
        if w and re.fullmatch(r"[a-z_][\w.-]*", w):
            out.append(Ref(w, quoted=False))
    return tuple(dict.fromkeys(out))


def rule_slug(spec: Spec) -> str:
    """A readable id for a rule, from its kind and names (stable across edits of other lines)."""

    def last(text: str) -> str:
        if "/" in text:
            return re.sub(r"\.py$", "", text.rstrip("/").split("/")[-1]) or "all"
        return text.split(".")[-1] or "all"

    def n(refs: Iterable[Ref | str]) -> str:
        return "-".join(last(r.text if isinstance(r, Ref) else r) for r in refs)

    if isinstance(spec, Forbidden):
        s = f"{n(spec.sources)}-must-not-import-{n(spec.targets)}"
    elif isinstance(spec, Protected):
        s = f"only-{n(spec.importers)}-imports-{n(spec.targets)}" if spec.importers else f"nothing-imports-{n(spec.targets)}"
    elif isinstance(spec, AllowOnly):
        s = f"{n(spec.sources)}-imports-only-{n(spec.allowed) or 'nothing'}"
    elif isinstance(spec, Layers):
        s = ("closed-layers-" if spec.closed and not spec.direction else "layers-") + n(r for layer in spec.layers for r in layer[:1])
    elif isinstance(spec, Independence):
        s = f"independent-{n(spec.modules)}"
    elif isinstance(spec, Acyclic):
        s = ("acyclic-siblings" if spec.siblings else "no-cycles") + (f"-{n(spec.scope)}" if spec.scope else "")
    elif isinstance(spec, Ban):
        s = "ban-" + n(spec.names) + (f"-under-{n(spec.under)}" if spec.under else "")
    elif isinstance(spec, Limit):
        s = f"{spec.metric}-" + (f"max-{spec.maximum}" if spec.maximum is not None else f"min-{spec.minimum:g}")
    elif isinstance(spec, Convention):
        s = f"{spec.subject}-{spec.requirement}" + (f"-{n(spec.names)}" if spec.names and spec.requirement not in ("no-blocking",) else "")
    elif isinstance(spec, Placement):
        s = f"{spec.subject}{'-classes' if spec.classes_only else ''}-in-{n(spec.folders)}"
    elif isinstance(spec, Shared):
        s = f"shared-{n(spec.modules)}"
    else:  # pragma: no cover
        s = spec.kind
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s[:64].rstrip("-") or spec.kind
