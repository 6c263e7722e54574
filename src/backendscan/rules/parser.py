"""Markdown rule files -> statements with line numbers, context and clauses.

:func:`parse_markdown` reads a RULES.md / CLAUDE.md / AGENTS.md / .cursorrules
with markdown-it-py and returns a :class:`Document`: every list item,
paragraph, table row and rule-looking line of a plain code fence becomes a
:class:`Statement` that knows its 1-based line, the headings above it (and the
labels such as ``**NEVER:**`` that introduce its list), and for table rows
the header.  Fenced ```` ```backendscan ```` blocks are returned separately
(they hold TOML).  YAML front matter (``.mdc`` files) is skipped, lines kept.

:func:`clauses` splits a statement into its clauses (sentences, ``;``,
dashes, CJK full stops) with the line each starts on, and
:func:`modality` reads the modal words of a clause: whether it forbids or
requires something and how hard (error or warning), in every language of
:mod:`backendscan.rules.lexicon`.

Nothing here raises on bad input: arbitrary text gives some statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Severity
from . import lexicon


@dataclass(frozen=True)
class Context:
    """A heading, a label (``**DON'T:**``) or a parent list item above a statement."""

    text: str
    level: int  # 1-6 headings; 7 labels and parent items
    polarity: int  # -1 prohibitions below, +1 obligations below, 0 neutral


@dataclass(frozen=True)
class Statement:
    """One rule-bearing unit of the file, as text with inline code kept in backticks."""

    line: int
    text: str
    block: str  # item, paragraph, table, code
    context: tuple[Context, ...] = ()
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    breaks: tuple[int, ...] = ()  # offsets in ``text`` where a new source line starts
    checklist: bool = False

    @property
    def polarity(self) -> int:
        """The innermost non-neutral polarity of the context (0 when none)."""
        for c in reversed(self.context):
            if c.polarity:
                return c.polarity
        return 0

    def line_at(self, offset: int) -> int:
        """Source line of the character at ``offset``."""
        return self.line + sum(1 for b in self.breaks if b <= offset)


@dataclass(frozen=True)
class Fence:
    """A fenced code block: its info string, content and the line of its first content line."""

    line: int
    info: str
    content: str
    context: tuple[Context, ...] = ()


@dataclass(frozen=True)
class Document:
    """A parsed rule file."""

    statements: tuple[Statement, ...] = ()
    fences: tuple[Fence, ...] = ()
    headings: tuple[tuple[int, str], ...] = ()  # (line, text)
    front_matter: tuple[tuple[str, str], ...] = ()  # key, raw value


# ------------------------------------------------------------------ markdown
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


_MD = None


def _md():  # type: ignore[no-untyped-def]
    global _MD
    if _MD is None:
        _MD = _markdown()
    return _MD


def _flatten(token) -> tuple[str, tuple[int, ...]]:  # type: ignore[no-untyped-def]
    """Inline token -> text (code spans in backticks, emphasis dropped) and line-break offsets."""
    parts: list[str] = []
    breaks: list[int] = []
    size = 0
    for child in token.children or ():
        t = child.type
        if t == "text":
            piece = child.content
        elif t == "code_inline":
            tick = "``" if "`" in child.content else "`"
            pad = " " if child.content.startswith("`") or child.content.endswith("`") else ""
            piece = f"{tick}{pad}{child.content}{pad}{tick}"
        elif t in ("softbreak", "hardbreak"):
            breaks.append(size + 1)
            piece = " "
        elif t == "image":
            piece = child.content or ""
        elif t == "html_inline":
            piece = ""
        else:
            piece = ""
        parts.append(piece)
        size += len(piece)
    return "".join(parts), tuple(breaks)


_LABEL_END = re.compile(r"[:：]\s*$")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.S)


def _strip_front_matter(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    m = _FRONT.match(text)
    if not m:
        return text, ()
    body = m.group(1)
    keys = tuple(
        (k.strip(), v.strip()) for k, _, v in (ln.partition(":") for ln in body.splitlines()) if k.strip() and not k.startswith((" ", "-"))
    )
    blank = "\n" * m.group(0).count("\n")
    return blank + text[m.end():], keys


def heading_polarity(text: str) -> int:
    """-1 for headings/labels that introduce prohibitions, +1 for obligations, else 0."""
    if lexicon.NEGATIVE_HEADING_RE.search(text):
        return -1
    if lexicon.POSITIVE_HEADING_RE.search(text):
        return 1
    return 0


_LABEL_FILLER = frozenset(
    "do use these this those the following things patterns pattern practices list below here what to not we you in of and or a an "
    "rules examples code ever import imports from modules module call calls libraries library packages package functions write add "
    "s ever at all list".split()
)


def list_polarity(text: str) -> int:
    """The polarity a heading gives the statements under it.

    A heading that is a label ("Don'ts", "Never use these", "Anti-patterns to
    avoid") makes the bullets below prohibitions.  A heading that states a
    rule of its own, with its own object ("Never rely on `settings.SITE_ID`",
    "Avoid check-then-act race conditions"), does not: the bullets below
    explain it and often say what to do instead, and read as prohibitions
    they would ban the remedy.
    """
    pol = heading_polarity(text)
    if pol >= 0:
        return pol
    if re.search(r"\bsolutions?\b|\bfix(?:es)?\b|\bremed(?:y|ies)\b|\bworkarounds?\b|\bdo'?s\b(?!\s*n)|\bdos\b|\bbest\s+practices\b|\bgood\b|✅|✔", text, re.IGNORECASE):
        return 0  # "Pitfalls & solutions", "Do's and don'ts": the bullets below are of both kinds
    m = lexicon.NEGATIVE_HEADING_RE.search(text)
    rest = text[m.end() :] if m else ""
    if "`" in rest:
        return 0
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", rest.lower()) if w not in _LABEL_FILLER]
    return 0 if len(words) >= 2 else pol


def _is_label(text: str) -> bool:
    """A short line ending with a colon that introduces a list (``**NEVER:**``, ``DON'T ❌:``)."""
    body = text.strip()
    if not _LABEL_END.search(body):
        return False
    words = body.rstrip(":：").split()
    return 0 < len(words) <= 10


def parse_markdown(text: str) -> Document:
    """Read a Markdown rule file; never raises (falls back to one statement per line)."""
    try:
        return _parse(text)
    except Exception:  # pragma: no cover - markdown-it does not raise on text; keep the promise anyway
        stmts = tuple(
            Statement(i + 1, ln.strip(), "paragraph") for i, ln in enumerate(text.splitlines()) if ln.strip()
        )
        return Document(stmts)


def _parse(text: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", " ")
    body, front = _strip_front_matter(text)
    tokens = _md().parse(body)
    statements: list[Statement] = []
    fences: list[Fence] = []
    headings: list[tuple[int, str]] = []
    heading_stack: list[Context] = []
    item_stack: list[list[Context]] = []  # per open list item: contexts it contributes to nested items
    label: Context | None = None  # a "**NEVER:**" paragraph that applies to the next list/fence
    list_labels: list[Context | None] = []  # label attached to each open list
    table_header: tuple[str, ...] = ()
    row_cells: list[str] = []
    row_line = 0
    in_head = False
    item_first_para: list[bool] = []
    i = 0
    n = len(tokens)

    def context() -> tuple[Context, ...]:
        out = list(heading_stack)
        for lab in list_labels:
            if lab is not None:
                out.append(lab)
        for ctxs in item_stack:
            out.extend(ctxs)
        return tuple(out)

    while i < n:
        tok = tokens[i]
        t = tok.type
        if t == "heading_open":
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 6
            inline = tokens[i + 1] if i + 1 < n else None
            htext = _flatten(inline)[0].strip() if inline is not None and inline.type == "inline" else ""
            line = (tok.map[0] + 1) if tok.map else 0
            headings.append((line, htext))
            heading_stack[:] = [c for c in heading_stack if c.level < level]
            heading_stack.append(Context(htext, level, list_polarity(htext)))
            label = None
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            list_labels.append(label)
            label = None
        elif t in ("bullet_list_close", "ordered_list_close"):
            if list_labels:
                list_labels.pop()
        elif t == "list_item_open":
            item_stack.append([])
            item_first_para.append(True)
        elif t == "list_item_close":
            if item_stack:
                item_stack.pop()
            if item_first_para:
                item_first_para.pop()
        elif t == "paragraph_open":
            inline = tokens[i + 1] if i + 1 < n else None
            if inline is None or inline.type != "inline":
                i += 1
                continue
            ptext, breaks = _flatten(inline)
            line = (tok.map[0] + 1) if tok.map else 0
            in_item = bool(item_stack)
            nxt = tokens[i + 3].type if i + 3 < n else ""
            introduces = nxt in ("bullet_list_open", "ordered_list_open", "fence", "table_open")
            if _is_label(ptext) and (introduces or (in_item and nxt != "paragraph_open")):
                ctx = Context(ptext.strip(), 7, heading_polarity(ptext))
                if in_item:
                    item_stack[-1].append(ctx)
                else:
                    label = ctx
                if not ptext.strip().rstrip(":：").strip():
                    pass
                i += 3
                continue
            block = "item" if in_item and item_first_para and item_first_para[-1] else "paragraph"
            checklist = False
            stripped = ptext.lstrip()
            m = re.match(r"\[( |x|X)\]\s+", stripped)
            if m and in_item:
                checklist = True
                off = len(ptext) - len(stripped) + m.end()
                ptext = ptext[off:]
                breaks = tuple(b - off for b in breaks if b > off)
            if ptext.strip():
                statements.append(Statement(line, ptext, block, context(), breaks=breaks, checklist=checklist))
            if in_item and item_first_para:
                item_first_para[-1] = False
                # the item's text is context for its nested items ("Routers: ..." then sub-bullets)
                item_stack[-1].append(Context(ptext.strip(), 7, heading_polarity(ptext) if _is_label(ptext) else 0))
            if not in_item:
                label = None
            i += 3
            continue
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            row_cells = []
            row_line = (tok.map[0] + 1) if tok.map else 0
        elif t == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            row_cells.append(_flatten(tok)[0].strip())
        elif t == "tr_close":
            if in_head:
                table_header = tuple(row_cells)
            elif any(row_cells):
                statements.append(
                    Statement(row_line, " | ".join(row_cells), "table", context(), cells=tuple(row_cells), header=table_header)
                )
        elif t == "table_close":
            table_header = ()
            label = None
        elif t in ("fence", "code_block"):
            line = (tok.map[0] + 2) if tok.map and t == "fence" else ((tok.map[0] + 1) if tok.map else 0)
            info = (tok.info or "").strip().split()[0].lower() if (tok.info or "").strip() else ""
            fctx = context() + ((label,) if label is not None else ())
            fences.append(Fence(line, info, tok.content, fctx))
            if t == "fence" and info in ("", "text", "txt", "plain", "plaintext", "ascii", "rules", "md", "markdown"):
                statements.extend(_fence_statements(line, tok.content, fctx))
            label = None
        elif t == "hr":
            label = None
        i += 1
    statements.sort(key=lambda s: s.line)
    regions = prose_regions(text)
    if regions:
        statements = [s for s in statements if not any(a <= s.line <= b for a, b in regions)]
    return Document(tuple(statements), tuple(fences), tuple(headings), front)


PROSE_START = "<!-- backendscan: prose -->"
PROSE_END = "<!-- backendscan: rules -->"
_PROSE_MARK = re.compile(r"^\s*<!--\s*backendscan\s*:\s*(prose|rules)\s*-->\s*$", re.I)


def prose_regions(text: str) -> list[tuple[int, int]]:
    """Line ranges between ``<!-- backendscan: prose -->`` and ``<!-- backendscan: rules -->`` (or the end).

    Text there is for people (explanations, to-do lists such as the imports
    to remove from a cycle): it is no statement, so it counts neither as a
    rule nor as "not checkable".  ``rules infer`` writes its prose this way.
    """
    out: list[tuple[int, int]] = []
    start = 0
    lines = text.split("\n")
    for i, ln in enumerate(lines, 1):
        m = _PROSE_MARK.match(ln)
        if not m:
            continue
        if m.group(1).lower() == "prose" and not start:
            start = i
        elif m.group(1).lower() == "rules" and start:
            out.append((start, i))
            start = 0
    if start:
        out.append((start, len(lines)))
    return out


_ARROWS = "→⟶➔➜⇒=>->←⟵<-↓↑"
_ARROW_LINE = re.compile(r"(?:→|⟶|➔|➜|⇒|=>|->|←|⟵|<-)")
_TREE = re.compile(r"[├└│┌┐┘┬┴┼─]")
_CODE_LINE = re.compile(r"^\s*(?:def |class |async |return |import |from |if |for |while |@|#|//|\$|>>>)|[{:;=]\s*$|\bdef\b|\blambda\b")


def _fence_statements(first_line: int, content: str, ctx: tuple[Context, ...]) -> list[Statement]:
    """Rule-looking lines of a plain code fence: arrow chains and ``layer -> targets`` lists."""
    out: list[Statement] = []
    lines = content.split("\n")
    # vertical chains: name / ↓ / name / ↓ / name
    chain: list[tuple[int, str]] = []

    def flush() -> None:
        if len(chain) >= 2:
            out.append(Statement(chain[0][0], " → ".join(c for _, c in chain), "code", ctx))
        chain.clear()

    pending_arrow = False
    for k, raw in enumerate(lines):
        ln = raw.strip()
        line = first_line + k
        if not ln:
            continue
        if ln in ("↓", "|", "v", "V", "⬇", "⇓", "▼"):
            pending_arrow = True
            continue
        if _TREE.search(ln):
            flush()
            pending_arrow = False
            continue
        if _ARROW_LINE.search(ln) and not _CODE_LINE.search(ln):
            flush()
            pending_arrow = False
            out.append(Statement(line, ln, "code", ctx))
            continue
        name = re.split(r"\s{2,}|#", ln)[0].strip()
        if pending_arrow and chain:
            chain.append((line, name))
        else:
            flush()
            chain.append((line, name))
        pending_arrow = False
    flush()
    return [s for s in out if "→" in s.text or _ARROW_LINE.search(s.text)]


# ------------------------------------------------------------------ clauses
_CODE = re.compile(r"``.+?``|`[^`\n]+`")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|no|incl|resp|ca|ex|esp|viz|mr|dr)\.)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[`*_A-Z0-9\x01\u00C0-\uFFFF])|[。！？；;]\s*|\s+[—–]\s+|\s+--\s+|,\s+(?=(?:no|never|don't|do not|nor)\s)|，\s*(?=不要|禁止|不得|不能|严禁|切勿|避免|请勿)")


def _mask_code(text: str) -> str:
    """``text`` with code spans and parentheses' contents blanked out (same length)."""
    masked = _CODE.sub(lambda m: "\x01" * len(m.group(0)), text)
    return masked


def _outer_parens(masked: str) -> tuple[int, ...]:
    """Offsets of a pair of parentheses around the whole text ("(Don't ... — it ...)"), else ()."""
    a = len(masked) - len(masked.lstrip())
    b = len(masked.rstrip()) - 1
    if b <= a or masked[a] not in "(（" or masked[b] not in ")）":
        return ()
    depth = 0
    for k in range(a, b + 1):
        if masked[k] in "(（":
            depth += 1
        elif masked[k] in ")）":
            depth -= 1
            if depth == 0 and k < b:
                return ()
    return (a, b) if depth == 0 else ()


def clauses(stmt: Statement) -> list[tuple[int, str]]:
    """Split a statement into clauses: ``(line, text)`` in order; empty clauses dropped."""
    text = stmt.text
    masked = _mask_code(text)
    # do not split inside parentheses (but a statement wrapped whole in one pair is split as if bare)
    depth = 0
    chars = list(masked)
    outer = _outer_parens(masked)
    for k, ch in enumerate(chars):
        if k in outer:
            continue
        if ch in "(（[":
            depth += 1
        elif ch in ")）]" and depth:
            depth -= 1
        elif depth:
            chars[k] = "\x02"
    masked = "".join(chars)
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(masked):
        end = m.start()
        piece = text[start:end]
        if m.group(0).strip() in (".",) or masked[end - 1 : end] == ".":
            if _ABBREV.search(text[max(0, end - 8) : end]) or re.search(r"\d\.$", text[start:end]) and re.match(r"\d", text[m.end() : m.end() + 1]):
                continue
        if piece.strip():
            out.append((stmt.line_at(start), piece.strip()))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        out.append((stmt.line_at(start), tail.strip()))
    return [(ln, c.rstrip(".。 ")) for ln, c in out if c.strip(" .。;；-—–*_")]


# ------------------------------------------------------------------ modality
@dataclass(frozen=True)
class Modality:
    """What the modal words of a clause say."""

    negative: bool  # forbids something
    obligation: bool  # requires something (must, always, 必须)
    soft: bool  # should / prefer / avoid / recommended
    modal: bool  # any modal word at all

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.soft else Severity.ERROR


_CODE_SPAN = re.compile(r"`[^`]*`")
#: "X doesn't need (to) / has no need to / is not required to": an obligation lifted, nothing forbidden
OPTIONAL = re.compile(
    r"\b(?:do|does|did)\s*(?:not|n't)\s+(?:need|have\s+to)\b|\b(?:don|doesn|didn)'?t\s+(?:need|have\s+to)\b|\bneedn'?t\b|"
    r"\bno\s+need\s+(?:to|for)\b|\b(?:is|are)\s+not\s+(?:required|necessary|needed)\b|\bnot\s+(?:required|necessary)\s+to\b",
    re.IGNORECASE,
)


def modality(text: str, polarity: int = 0) -> Modality:
    """Modal reading of a clause, taking the heading polarity into account."""
    plain = _CODE_SPAN.sub(" CODE ", text)
    # a negation inside a relative clause describes the thing, it forbids nothing:
    # "X reads a cache, which is never invalidated by Y", "builds (which don't ship Z) can import W"
    plain = re.sub(r"(?:,\s*|\(\s*)(?:which|who|whose)\b[^,;.()]*", " ", plain, flags=re.IGNORECASE)
    # "X doesn't need to / has no need to / is not required to do Y" lifts an obligation; it forbids nothing
    plain = OPTIONAL.sub(" ", plain)
    neg = bool(lexicon.PROHIBITION_RE.search(plain)) or bool(lexicon.NO_PREFIX_RE.match(plain.strip(" *-:")))
    if re.search(r"\bno\s+(?:direct|raw|bare|blocking|circular|cyclic|wildcard|star|relative|sync|synchronous)\b", plain, re.IGNORECASE):
        neg = True
    # "avoid X" forbids X softly
    soft = bool(lexicon.SOFT_RE.search(plain))
    if re.search(r"(?<![A-Za-z0-9_])(?:avoid|evitare|evitar|hindari|tránh|避免|避ける|지양)(?![A-Za-z0-9_])", plain, re.IGNORECASE) or "避免" in plain or "지양" in plain:
        neg = True
    obligation = bool(lexicon.OBLIGATION_RE.search(plain))
    if polarity < 0 and not neg:
        neg = True
    elif polarity < 0 and neg and re.match(r"^\s*(?:no|never|don'?t|do not|not)\b", plain, re.IGNORECASE):
        neg = True  # "DON'T: - No SQLAlchemy" is still a prohibition (double negation in real files)
    return Modality(neg, obligation and not neg, soft, neg or obligation or soft)
