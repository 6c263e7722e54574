"""The RULES.md grammar: one clause in, an :class:`Outcome` out.

The grammar is anchor based.  Names (code spans, role words, libraries,
dotted or slashed names) are found with their positions
(:mod:`backendscan.rules.names`); a few anchors decide the form: arrows (layer
chains), an import verb with a negation (forbidden imports), "only" (allow
lists and confinement), "each other" (independence), "circular" (cycles), a
number with a measured thing (limits), an entity word with a requirement
(framework conventions), a placement verb, "banned"/"no X"/"use Y instead of
X" (bans).  Subject and object are "the names before the anchor" and "the
names after it", with locative particles (``에서``, ``在…中``, "in", "nei",
"di", "trong") marking the subject wherever it is, so the same code serves
English, Chinese, Korean, Vietnamese, Italian, Indonesian, Portuguese and
Spanish phrasings.

Forms are listed, with the canonical text each compiles to, in
:mod:`backendscan.rules.render`; whatever matches none of them is classified
as ``not_checkable`` (with the reason) or ``unrecognized`` (with the closest
compilable phrasing).
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from ..model import Severity
from . import lexicon
from .model import (
    COMPILED,
    NOT_CHECKABLE,
    UNRECOGNIZED,
    Acyclic,
    AllowOnly,
    Ban,
    Convention,
    Forbidden,
    Independence,
    Layers,
    Limit,
    Placement,
    Protected,
    Ref,
    Shared,
    Spec,
)
from .names import PLACEHOLDER, Occurrence, Text, normalise, occurrences, refs_in
from .parser import OPTIONAL, Modality, modality


@dataclass
class Clause:
    """A clause ready for the grammar."""

    line: int
    raw: str
    t: Text
    mod: Modality
    subject: tuple[Ref, ...] = ()  # from a label, heading or table row
    context: str = ""  # headings and labels above, lower case
    block: str = "paragraph"
    polarity: int = 0


@dataclass
class Outcome:
    """What a clause compiled to."""

    status: str
    kind: str
    specs: list[tuple[Spec, Severity | None]] = field(default_factory=list)
    reason: str = ""
    suggestion: str = ""
    modifier: tuple[str, object] | None = None  # applied to earlier rules by the compiler
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role word, module/path) defined here


def compiled(kind: str, *specs: Spec, severity: Severity | None = None) -> Outcome:
    return Outcome(COMPILED, kind, [(s, severity) for s in specs])


def not_checkable(kind: str, reason: str) -> Outcome:
    return Outcome(NOT_CHECKABLE, kind, reason=reason)


def unrecognized(reason: str, suggestion: str, kind: str = "unrecognized") -> Outcome:
    return Outcome(UNRECOGNIZED, kind, reason=reason, suggestion=suggestion)


# ===================================================================== helpers
_MOTIVE = re.compile(
    r":\s+(?:it|they|this|that|these|those|which|so|because)\b.*$|[,(]?\s*(?:(?:in order )?to avoid|so that|so as to|because|since (?:it|they|this)|,\s*since\s+(?!\d)|as (?:it|they|this) |otherwise|which (?:would|causes|creates|leads)"
    r"|(?<=\w)\s+(?:in order )?to (?:ensure|guarantee|make sure)\b|for (?:consistency|readability|performance|security|testability)|以避免|避免循环|以免|为了|因为|하기 위해|위해서|ために|per evitare|untuk menghindari|để tránh|para evitar).*$",
)
_PAREN = re.compile(r"\(([^()]*)\)")
_EXAMPLE = re.compile(r"^\s*(?:e\.g\.?|eg\.?|i\.e\.?|for example|for instance|such as|like|see|例如|比如|예:|예를 들어|ad es\.?|contoh|ví dụ|ex\.?|por ejemplo|por exemplo)\b", re.I)
_LABEL = re.compile(r"^\s*([^:]{1,60}?)\s*:\s+(?=\S)")
_EXCEPT = r"(?:except(?:\s+for)?|other than|apart from|besides|but not|excluding|with the exception of|save for|unless|除了|除外|제외|tranne|eccetto|kecuali|ngoại trừ|exceto|excepto|salvo)"
_STOP = re.compile(r"\b" + _EXCEPT + r"\b|[;(]|\b(?:because|since|so that|to avoid|otherwise|instead|rather than|use|prefer)\b")

_ARROW_RE = re.compile(r"\s*(→|⟶|➔|➜|⇒|=>|->|-->|←|⟵|<-|<--|↓|⬇|⇓)\s*")
_GT_CHAIN = re.compile(r"\s+>\s+")
_DEP_CONTEXT = re.compile(
    r"layer|architect|depend|import|tier|hexagon|onion|clean arch|分层|依赖|层|계층|레이어|의존|層|依存|tầng|lớp|strato|livell|lapisan|camada|capa|호출 순서|调用",
    re.I,
)
_FLOW_CONTEXT = re.compile(r"flow|pipeline|workflow|lifecycle|status|state|transition|process|request flow|데이터 흐름|流程|流转|흐름|フロー|luồng|fluxo|flusso|alur", re.I)


def _mask(s: str) -> str:
    """``s`` with the digits of code placeholders hidden (same length), for number searches."""
    return re.sub(r"⟦(\d+)⟧", lambda m: "⟦" + "#" * len(m.group(1)) + "⟧", s)


def _strip(t: Text) -> Text:
    """Drop motive tails and example parentheticals; keep parentheticals that name things."""
    norm = t.norm
    norm = _MOTIVE.sub("", norm)

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        if _EXAMPLE.match(inner) or not inner.strip():
            return " "
        return m.group(0)

    norm = _PAREN.sub(paren, norm)
    return Text(t.raw, re.sub(r"\s+", " ", norm).strip(" ,"), t.codes)


def _names(t: Text, start: int = 0, end: int | None = None, modules_only: bool = False) -> list[Occurrence]:
    occ = occurrences(t, start, end)
    if modules_only:
        occ = [o for o in occ if o.kind != "lib" or o.ref.text in ("django", "fastapi", "flask", "sqlalchemy", "pydantic", "celery")]
    return occ


def _refs(occ: Sequence[Occurrence]) -> tuple[Ref, ...]:
    seen: dict[Ref, None] = {}
    for o in occ:
        seen.setdefault(o.ref, None)
    return tuple(seen)


def _except_split(t: Text, start: int, end: int) -> tuple[int, tuple[Ref, ...]]:
    """Position where an "except ..." part starts in [start, end) and the names it lists."""
    m = re.search(r"(?<![A-Za-z0-9_])" + _EXCEPT + r"(?![A-Za-z0-9_])", t.norm[start:end])
    if not m:
        return end, ()
    at = start + m.start()
    return at, _refs(_names(t, at, end))


def _direct(norm: str) -> bool | None:
    if re.search(r"\b(?:indirectly|transitively|import path|directly or indirectly|even indirectly|via any chain)\b", norm):
        return False
    if re.search(r"\b(?:directly|direct|themselves|itself|bypass(?:ing)?)\b|직접|直接|trực tiếp|direttamente|langsung|diretamente", norm):
        return True
    return None


def _and_list_has_or(segment: str) -> bool:
    return bool(re.search(r"\bor\b|/|或|또는|hoặc|oppure|atau|\bou\b|\bo\b", segment))


# ===================================================================== chains
def _chain_nodes(t: Text, segment: str) -> tuple[list[Ref], bool, list[tuple[str, str]], bool]:
    """Names of one chain node: (siblings, independent, role definitions, optional)."""
    roles: list[tuple[str, str]] = []
    seg = segment.strip()
    optional = False
    m = re.fullmatch(r"\((.+)\)", seg)
    if m and len(occurrences(Text(t.raw, m.group(1), t.codes))) == 1:
        optional = True
        seg = m.group(1)
    # annotations: "Routers (`backend/routers/`)" defines a role; "(HTTP)" is dropped
    for pm in list(_PAREN.finditer(seg)):
        inner = Text(t.raw, pm.group(1), t.codes)
        inner_occ = occurrences(inner)
        outer = Text(t.raw, seg[: pm.start()], t.codes)
        outer_occ = occurrences(outer)
        if inner_occ and inner_occ[0].kind in ("code", "bare") and outer_occ and ("/" in inner_occ[0].ref.text or "." in inner_occ[0].ref.text):
            roles.append((outer_occ[-1].ref.text, inner_occ[0].ref.text))
        if "|" in pm.group(1) or "," in pm.group(1):
            continue
        seg = seg.replace(pm.group(0), " ")
    independent = "|" in seg
    sub = Text(t.raw, seg, t.codes)
    occ = occurrences(sub)
    names = [o.ref for o in occ]
    if occ:
        rest = seg
        for o in reversed(occ):
            rest = rest[: o.start] + " " + rest[o.end :]
        leftover = [w for w in re.findall(r"[^\W\d_][\w'-]*", rest) if w not in _CHAIN_FILLER]
        if leftover:
            names = []  # "Domain -> Pure business logic": a description, not a layer name
    if not names:
        words = re.findall(r"[a-z_][\w]*", re.sub(r"\(\d+\)|\d+", " ", seg))
        words = [w for w in words if w not in ("the", "layer", "layers", "and", "or", "only", "nothing", "our", "top", "to", "bottom")]
        if len(words) == 1:
            names = [Ref(words[0], quoted=False)]
        elif len(words) == 2 and words[1] in ("layer", "tier"):
            names = [Ref(words[0], quoted=False)]
    if optional:
        names = [Ref(n.text, n.quoted, True) for n in names]
    return names, independent, roles, optional


_CHAIN_FILLER = {"the", "layer", "layers", "and", "or", "our", "top", "to", "bottom", "tier", "package", "packages", "module", "modules",
                 "app", "apps", "code", "folder", "层", "계층", "레이어", "層", "tầng", "only", "一", "x", "v", "↓"}


def _chain(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    arrows = list(_ARROW_RE.finditer(norm))
    gt = False
    if not arrows:
        gts = list(_GT_CHAIN.finditer(norm))
        if len(gts) >= 2:
            arrows = gts
            gt = True
        else:
            return None
    if len(arrows) == 1 and not gt:
        inside = [p for p in _PAREN.finditer(norm) if p.start() < arrows[0].start() < p.end()]
        if (
            inside
            and norm[: inside[0].start()].strip(" -*:")
            and re.search(r"⟦\d+⟧\s*$", norm[inside[0].start() : arrows[0].start()])
            and re.match(r"^\s*⟦\d+⟧", norm[arrows[0].end() : inside[0].end()])
        ):
            # "No cryptic names (`usr_cnt` → `user_count`)": an example rename in parentheses, not a dependency
            return not_checkable("mapping", "an arrow inside parentheses: an example (a rename or a mapping), not a dependency rule")
    # the chain is the run of arrow-separated nodes; text before the first node is a lead-in
    pieces: list[str] = []
    last = 0
    for m in arrows:
        pieces.append(norm[last : m.start()])
        last = m.end()
    pieces.append(norm[last:])
    reverse = not gt and all(a.group(1) in ("←", "⟵", "<-", "<--") for a in arrows)
    lead = ""
    prefix = ""
    first = pieces[0]
    if ":" in first:
        lead, first = first.rsplit(":", 1)
    lead_occ = occurrences(Text(t.raw, first, t.codes))
    if lead_occ:
        start = lead_occ[-1].start
        for a, b in zip(reversed(lead_occ[:-1]), reversed(lead_occ[1:])):
            gap = first[a.end : b.start]
            if re.fullmatch(r"\s*(?:\||/|,|:|and|\)?\s*[|/,]\s*\(?)?\s*", gap):
                start = a.start
            else:
                break
        if start > 0 and first[start - 1 : start] == "(":
            start -= 1
        prefix = first[:start]
        lead += " " + prefix
        first = first[start:]
    pieces[0] = first
    tail_rest = ""
    last_piece = pieces[-1]
    cut = _node_end(t, last_piece)
    if cut < len(last_piece):
        tail_rest = last_piece[cut:]
        pieces[-1] = last_piece[:cut]
    if reverse:
        pieces.reverse()
    nodes: list[tuple[list[Ref], bool]] = []
    roles: list[tuple[str, str]] = []
    for k, p in enumerate(pieces):
        if 0 < k < len(pieces) - 1 and re.search(r"⟧\s*,\s*⟦|\w\s*,\s*\w", re.sub(r"\([^)]*\)", "", p)):
            return not_checkable("mapping", "arrows between comma-separated pairs: a list of mappings, not a layer chain")
        names, independent, rdefs, _ = _chain_nodes(t, p)
        roles.extend(rdefs)
        nodes.append((names, independent))
    heads = [n for n, _ in nodes]
    if any(r.quoted and _STYLE_OR_URL.fullmatch(r.text) for h in heads for r in h):
        # "module names `snake_case` -> URL paths `/api/kebab-case`": a naming or routing map
        return not_checkable("mapping", "an arrow between naming styles or URL paths: a naming or routing map, not a dependency rule")
    context = (c.context + " " + lead + " " + tail_rest).lower()
    # a single arrow: "X -> Y" is an edge; what it means depends on the context
    if len(nodes) == 2 and not re.search(r"\blayers?\b|top to bottom", lead.lower()):
        return _single_arrow(c, t, nodes, tail_rest, roles, lead, prefix)
    if any(not h for h in heads):
        if sum(1 for h in heads if h) >= 3 and _DEP_CONTEXT.search(context):
            nodes = [(h, i) for h, i in nodes if h]
            heads = [h for h in heads if h]
        else:
            return not_checkable("flow", "an arrow chain whose nodes are not all names: a flow or a mapping, not a dependency rule")
    flat = [r.text for h in heads for r in h]
    role_nodes = sum(1 for h in heads for r in h if r.text in lexicon.ROLE_WORDS or r.text in lexicon.LIBRARIES)
    if len(set(flat)) < len(flat):
        return not_checkable("flow", "an arrow chain that returns to a node it started from: a request/data flow, not a layering")
    if _FLOW_CONTEXT.search(context) and not re.search(r"layer|architect|depend|import|分层|계층|레이어|tầng", context):
        return not_checkable("flow", "an arrow chain in a flow or status context, not a dependency rule")
    module_nodes = sum(1 for h in heads for r in h if r.quoted and ("." in r.text or "/" in r.text))
    near_context = (lead + " " + tail_rest + " " + c.context.split(" / ")[-1]).lower()
    if not (role_nodes >= 2 or module_nodes >= 2 or _DEP_CONTEXT.search(near_context) or (c.block == "code" and _DEP_CONTEXT.search(context))):
        return not_checkable("flow", "an arrow chain that names no layer (a pipeline, mapping or status flow?)")
    if re.search(r"\b(?:di|dependency injection|inject(?:ion|ed)?|regist(?:er|ration|ered)|wir(?:e|ing)|bootstrap|startup|init(?:iali[sz]ation)?)\b|đăng ký|注册|注入|등록|주입|登録", lead.lower()):
        return not_checkable("flow", "a registration or injection order, not a dependency rule")
    low_first = any(r.text in _LOW_ROLES for r in heads[0]) and any(r.text in _HIGH_ROLES for r in heads[-1])
    if low_first and not re.search(r"top to bottom|top-down|from the top", lead.lower()):
        return unrecognized(
            "the arrows run from the data layer up to the entry points: a build or data order, or a dependency chain written bottom-up?",
            "Layers, top to bottom: " + " -> ".join(" | ".join(str(r) for r in h) for h in reversed(heads)),
            "layers",
        )
    layers = tuple(tuple(h) for h in heads)
    indep = tuple(i or len(h) == 1 for h, i in nodes)
    lead_l = lead.lower()
    closed_only = bool(re.search(r"each layer of|every layer of", lead_l)) or bool(re.search(r"imports? only the layer directly below|only (?:import|talk to|call)s? the layer directly below", tail_rest))
    closed = closed_only or bool(re.search(r"\bclosed\b|directly below|never skip|no skipping|不能跨层|不得跨层|건너뛰", lead_l + " " + tail_rest + " " + c.context))
    tail_text = Text(t.raw, tail_rest, t.codes)
    containers: tuple[Ref, ...] = ()
    exempt: tuple[Ref, ...] = ()
    ignore: tuple[tuple[str, str], ...] = ()
    mi = re.search(r",\s*ignoring\s+(?P<i>.+?)(?=\s*\(|$)", tail_rest)
    if mi:
        pairs = []
        for x in re.findall(r"⟦(\d+)⟧", mi.group("i")):
            lhs, _, rhs = t.code(int(x)).partition("->")
            if rhs:
                pairs.append((lhs.strip(), rhs.strip()))
        ignore = tuple(pairs)
    me = re.search(r",\s*" + _EXCEPT + r"\s+(?P<e>.+?)(?=,\s*ignoring|\s*\(|$)", tail_rest)
    if me:
        exempt = _refs(_names(tail_text, me.start("e"), me.end("e")))
    mc = re.search(r"(?:^|\s)(?:in|within|inside)\s+(?P<c>⟦\d+⟧(?:\s*(?:,|and)\s*⟦\d+⟧)*)", tail_rest)
    if mc:
        containers = _refs(_names(tail_text, mc.start("c"), mc.end("c")))
    exhaustive = "(exhaustive)" in tail_rest
    spec = Layers(layers=layers, independent=indep, containers=containers, closed=closed, direction=not closed_only,
                  exempt=exempt, ignore_imports=ignore, exhaustive=exhaustive)
    out = compiled("layers", spec)
    out.roles = roles
    if re.search(r"acyclic|circular|cycle|循环|순환", tail_rest + " " + t.norm):
        out.specs.append((Acyclic(), None))
    return out


_LOW_ROLES = frozenset({"db", "database", "models", "model", "repositories", "repository", "repo", "repos", "dao", "daos", "data access", "persistence", "orm", "entities"})
_HIGH_ROLES = frozenset({"api", "apis", "routers", "router", "routes", "controllers", "controller", "views", "view", "handlers", "endpoints", "endpoint", "presentation", "web", "ui"})


def _node_end(t: Text, piece: str) -> int:
    """Where the last node of a chain ends: after its names and the separators between them."""
    occ = occurrences(Text(t.raw, piece, t.codes))
    if not occ:
        m = re.search(r"[;.,]|\s(?:only|is|are|must|should|never|where|with|imports?|in)\b", piece)
        return m.start() if m and m.start() > 0 else len(piece)
    end = occ[0].end
    for a, b in zip(occ, occ[1:]):
        gap = piece[a.end : b.start]
        if re.fullmatch(r"\s*(?:\||/|,|:|and|\)?\s*[|/,]\s*\(?)?\s*", gap):
            end = b.end
        else:
            break
    if end < len(piece) and piece[end : end + 1] == ")":
        end += 1
    # words glued to the node (annotations such as "(HTTP)") stay with it
    m = re.match(r"\s*\([^)]*\)", piece[end:])
    if m and not re.search(r"exhaustive", m.group(0)):
        end += m.end()
    return end


def _single_arrow(c: Clause, t: Text, nodes: list[tuple[list[Ref], bool]], tail: str, roles: list[tuple[str, str]], lead: str = "", prefix: str = "") -> Outcome | None:
    left, right = nodes[0][0], nodes[1][0]
    if right and re.match(r"^\s*(?:and|or|&)\s+[^\W\d_]", tail) and not re.match(r"^\s*,\s*(?:except|ignoring)\b", tail):
        # "Application → Use cases and orchestration": the right side is a description that goes on, not a layer name
        return not_checkable("mapping", "a single arrow from a name to a description: a mapping, not a dependency rule")
    rhs_text = t.norm[t.norm.rfind(">") + 1 :] if ">" in t.norm else t.norm
    nothing = re.search(r"\b(?:nothing|none|no imports|anything)\b|无|없음|なし", rhs_text)
    only = re.search(r"\bonly\b|仅|只|만|のみ", rhs_text + " " + tail)
    if not left:
        return None
    context = c.context.lower()
    negative = c.polarity < 0 or c.mod.negative
    if negative and (right or nothing):
        if nothing:
            return compiled("allow-only", AllowOnly(tuple(left), ()))
        direct = _direct(t.norm)
        spec = Forbidden(tuple(left), tuple(right), direct=bool(direct))
        out = compiled("forbidden", spec)
        out.roles = roles
        return out
    if nothing and not right:
        return compiled("allow-only", AllowOnly(tuple(left), ()))
    if not right:
        return None
    if len(re.findall(r"[^\W\d_]{2,}", re.sub(r"⟦\d+⟧", " ", prefix))) >= 2 and not re.search(r"\blayers?\b|depend|import", prefix):
        return not_checkable("mapping", "an arrow inside a sentence (\"parse X -> DTOs\"): a transformation, not a dependency rule")
    allowed_ctx = re.search(r"allow|may import|can import|dependency rules|depends? on|imports? from|依赖规则|允许|허용|의존", context + " " + t.norm)
    if only or allowed_ctx or (c.block == "code" and _DEP_CONTEXT.search(context)):
        out = compiled("allow-only", AllowOnly(tuple(left), tuple(right)))
        out.roles = roles
        return out
    if _DEP_CONTEXT.search(context) and len(right) == 1 and (left[0].text in lexicon.ROLE_WORDS or right[0].text in lexicon.ROLE_WORDS):
        out = compiled("layers", Layers(layers=((left[0],), (right[0],)), independent=(True, True)))
        out.roles = roles
        return out
    return not_checkable("mapping", "a single arrow between two names: a mapping or pointer, not a dependency rule")


# ===================================================================== import rules
_VERB_RE = re.compile(r"(?<![A-Za-z0-9_])" + lexicon.IMPORT_VERB + r"(?![A-Za-z0-9_])")
_PASSIVE_RE = re.compile(r"(?<![A-Za-z0-9_])(?:be\s+|is\s+|are\s+|being\s+|get\s+)?(?:imported|used|accessed|called|depended\s+(?:up)?on|referenced|touched)\s+(?:by|from|in|inside|within)(?![A-Za-z0-9_])")
_LOCATIVE_AFTER = re.compile(r"^\s*(?:에서는|에서|에는|에|中的|中|里|内|内で|中で|で|では|の中で|层中|层里)")
_LOCATIVE_BEFORE = re.compile(r"(?:\b(?:in|inside|within|into|from within|nei|nel|nella|negli|nelle|dentro|di dalam|di|trong|em|dentro de|en|dans)|在)\s*(?:(?:the|your|our|a|an|any|every)\s+)?$")


def _subject_object(c: Clause, t: Text, anchor: re.Match[str]) -> tuple[tuple[Ref, ...], tuple[Ref, ...], tuple[Ref, ...]]:
    """(subject, object, exceptions) around an import verb."""
    norm = t.norm
    before = _names(t, 0, anchor.start())
    stop = _STOP.search(norm, anchor.end())
    end = stop.start() if stop else len(norm)
    exc_at, exceptions = _except_split(t, anchor.end(), len(norm))
    end = min(end, exc_at)
    after = _names(t, anchor.end(), end)
    # exceptions written before the verb: "except X, Y must not ..."
    mk = re.search(r"(?P<x>⟦\d+⟧(?:\s*(?:,|와|과|및)\s*⟦\d+⟧)*)\s*(?:를|을)?\s*(?:제외(?:하고|한|하면)?|を除(?:く|いて))", norm[: anchor.start()])
    if not exceptions and mk:
        # "X를 제외하고 Y는 Z를 import 금지": the names before the postposition are excused
        exceptions = _refs(_names(t, mk.start("x"), mk.end("x")))
        before = [o for o in before if o.start >= mk.end()]
    if not exceptions:
        pre_exc_at, pre_exc = _except_split(t, 0, anchor.start())
        comma = norm.find(",", pre_exc_at, anchor.start()) if pre_exc else -1
        if pre_exc and comma > 0 and any(o.start > comma for o in before):
            # "除了 X，Y 不得导入 Z" / "except X, Y must not import Z": X is excused, Y is the subject
            exceptions = _refs(_names(t, pre_exc_at, comma))
            before = [o for o in before if o.start > comma]
        elif pre_exc:
            exceptions = pre_exc
            before = [o for o in before if o.start < pre_exc_at]
    if not exceptions:
        # "X 不得导入 Y（Z 除外）": a trailing parenthesis names the exception
        mp = re.search(r"\((?P<x>[^)]*?)\s*(?:除外|제외|を除く|除く|excepted)\s*\)", norm)
        if mp:
            exceptions = _refs(_names(t, mp.start("x"), mp.end("x")))
    subject: list[Occurrence] = []
    obj: list[Occurrence] = []
    # locative particles mark the subject wherever it is
    for o in before + after:
        tail = norm[o.end : o.end + 6]
        head = norm[max(0, o.start - 16) : o.start]
        if _LOCATIVE_AFTER.match(tail) or (o in after and _LOCATIVE_BEFORE.search(head)):
            subject.append(o)
    if subject:
        obj = [o for o in before + after if o not in subject]
    else:
        subject = before
        obj = after
        if not obj and len(before) >= 2:  # SOV: "X는 Y를 import 금지"
            subject, obj = before[:1], before[1:]
    return _refs(subject), _refs(obj), exceptions


def _ignoring(t: Text) -> tuple[Text, tuple[tuple[str, str], ...]]:
    """", ignoring `a.b -> c.d`" (import-linter's ignore_imports): the pairs, and the text without them."""
    m = re.search(r",?\s*ignoring\s+(?P<i>⟦\d+⟧(?:\s*(?:,|and)\s*⟦\d+⟧)*)", t.norm)
    if not m:
        return t, ()
    pairs = []
    for x in re.findall(r"⟦(\d+)⟧", m.group("i")):
        a, _, b = t.code(int(x)).partition("->")
        if b.strip():
            pairs.append((a.strip(), b.strip()))
    return Text(t.raw, (t.norm[: m.start()] + t.norm[m.end() :]).strip(), t.codes), tuple(pairs)


def _import_rule(c: Clause, t: Text) -> Outcome | None:
    t, ignore = _ignoring(t)
    norm = t.norm
    if re.search(r"each other|one another|among themselves|between (?:them|each other)|相互|互相|서로|lẫn nhau|tra loro|satu sama lain|entre si|entre ellos|mutually", norm):
        return None  # independence
    if _constructs_in(t):
        return None  # "relative imports are banned": a construct ban
    # "no import path from core to `app_django`": the direction is spelled out
    mft = re.search(r"\b(?:no|never|not|without)\s+(?:\w+\s+){0,2}?(?:imports?|import\s+paths?|dependenc(?:y|ies))\s+from\s+(?P<a>.+?)\s+(?:to|into|on)\s+(?P<b>.+?)(?=\s*(?:[;,.)]|$))", norm)
    if mft:
        a = _refs(_names(t, mft.start("a"), mft.end("a")))
        b = _refs(_names(t, mft.start("b"), mft.end("b")))
        if a and b and all(_module_like(r, t) for r in a + b):
            return compiled("forbidden", Forbidden(a, b, ignore_imports=ignore))
    passive = _PASSIVE_RE.search(norm)
    verb = _VERB_RE.search(norm)
    noun = re.search(r"(?<![A-Za-z0-9_])(?:imports?|dependenc(?:y|ies)|access|queries|calls|coupling|usage|references?)(?![A-Za-z0-9_])|접근|쿼리|호출|의존|访问|查询|调用|依赖|アクセス|依存", norm)
    neutral = lexicon.IMPORT_WORDS_RE.search(norm)
    anchor = passive or verb or noun or neutral
    if anchor is None:
        return None
    neg = c.mod.negative and _negation_near(c, t, anchor)
    before_anchor = norm[: anchor.start()]
    if before_anchor.count("(") > before_anchor.count(")") and not re.search(r"\b(?:not|never|no)\b|不|금지|không|non\b|tidak|jangan|nunca|não", before_anchor[before_anchor.rfind("(") :]):
        return None  # "business logic in views (use services)": the parenthesis gives the remedy, not the ban
    subject, obj, exceptions = _subject_object(c, t, anchor)
    if passive is not None and anchor is passive:
        before = _refs(_names(t, 0, passive.start()))
        after = _refs(_names(t, passive.end(), _except_split(t, passive.end(), len(norm))[0]))
        subject, obj = after, before
        only_by = re.search(r"\bonly\b[^,;]*$", norm[: passive.start()]) or re.match(r"^\s*(?:by\s+|from\s+)?(?:\S+\s+){0,1}only\b", norm[passive.end() :])
        if only_by and obj and subject:
            return compiled("protected", Protected(targets=obj, importers=subject))
    obj = tuple(o for o in obj if " " not in o.text or not o.quoted)
    subject = tuple(o for o in subject if " " not in o.text or not o.quoted)
    if any(not _module_like(r, t) for r in obj + subject):
        # "use it as an `__in` subquery", "the `id` field", "e.g. `8.8.8.0`": not modules, so no import rule
        if any(_NOT_A_MODULE_AFTER.match(norm[m.end() :]) for m in re.finditer(r"⟦\d+⟧", norm)):
            return not_checkable("data and domain", "about a field, attribute or argument, which import and call facts do not show")
        return None
    if not (passive is not None and anchor is passive) and lexicon.NO_PREFIX_RE.match(norm) and not obj:
        # "no direct DB access (in X)": the names before the noun are what is forbidden
        obj = tuple(r for r in subject)
        subject = ()
        loc = re.search(r"\b(?:in|from|inside|within)\s+(?P<s>.+)$", norm[anchor.end():])
        if loc:
            subject = _refs(_names(t, anchor.end() + loc.start("s"), len(norm)))
    from_context = False
    if not subject and c.subject:
        subject = c.subject
        from_context = True
    if len(subject) > 1:
        subject = tuple(r for r in subject if r.text not in lexicon.LIBRARY_GROUPS) or subject
    if not subject and not lexicon.NO_PREFIX_RE.match(norm):
        # "Widgets never import X": a plain plural noun before the verb names the subject
        mw = re.match(r"^\s*(?:the\s+|all\s+)?([a-z][a-z_]{2,})\s+(?:(?:must|should|may|can|do|does|shall)\s+)?(?:never|not|n't|no longer)\b", norm)
        if mw and mw.group(1) not in _NOT_SUBJECT_WORDS:
            subject = (Ref(mw.group(1), quoted=False),)
    if not obj:
        if neg and re.search(r"\banything\b|\bnothing\b|任何|아무것도", norm) and subject:
            return compiled("allow-only", AllowOnly(subject, (), externals=bool(re.search(r"third[- ]party included|third[- ]party too|or third[- ]party", norm))))
        if neg and re.search(r"\b(?:external|third[- ]party)\b|第三方|외부", norm) and subject:
            return compiled("ban", Ban(("third-party-import",), under=subject))
        return None
    if not neg:
        return None
    codes_after = [t.code(int(x)) for x in re.findall(r"⟦(\d+)⟧", norm[anchor.end():])]
    if codes_after and all(re.search(r"\(\s*\)?$|\(.*\)$", x) for x in codes_after) and re.match(r"(?:call|invoke|use)", anchor.group(0).strip()):
        return None  # "never call `session.commit()`": a call ban, not an import rule
    if not subject and any(o.quoted and "/" not in o.text or o.text in lexicon.LIBRARIES for o in obj) and not re.match(r"^\s*(?:nothing|no module|no code|no one|nobody)\b", norm):
        return None  # "do not use `langchain.chains`": a ban, not an import rule between layers
    if not subject:
        if re.match(r"^\s*(?:nothing|no module|no code|no one|nobody|none of the code)\b", norm):
            subject = (Ref("**"),)
        else:
            mf = re.search(r"\b(?:from|in|inside|within)\s+", norm[anchor.end():])
            if mf:
                src = _refs(_names(t, anchor.end() + mf.end(), len(norm)))
                what = tuple(o for o in obj if o not in src)
                if src and what:
                    return unrecognized(
                        "'import X from Y' reads both ways (Y as the importer or as the source); name who must not import what",
                        f"{', '.join(str(o) for o in src)} must not import {', '.join(str(o) for o in what)}",
                        "forbidden",
                    )
            return unrecognized(
                "a forbidden import without a subject (who must not import it?)",
                f"`app.some_layer` must not import {', '.join(str(o) for o in obj)}",
                "forbidden",
            )
    weak_negation = not lexicon.NO_PREFIX_RE.match(norm) and not re.search(r"must|never|cannot|can't|shall|may not|禁止|금지|不得|不要|không|non\s|tidak|jangan|dilarang|nunca", norm) and c.polarity >= 0
    if from_context and weak_negation and not re.search(r"import|depend|导入|引入|依赖|의존|임포트|インポート|依存|importa|mengimpor|impor", norm) and not any(o.quoted or o.text in lexicon.LIBRARIES for o in obj):
        return None  # a verb like "touch" with only a heading for subject is too weak to compile
    if subject and all(not r.quoted and r.text in lexicon.LIBRARIES for r in subject):
        return None  # "in the Celery app, do not import tasks": a third-party library imports none of the project's code
    if set(subject) & set(obj):
        return unrecognized(
            "speaks of two members of the same kind (one domain and another); name the container of the members",
            "The packages in `app.domains` must not import each other",
            "independence",
        )
    # "route handlers must not use the ORM session directly" is a convention, not an import rule
    if any(o.text in ("session", "orm session", "database session", "db session", "db.session") for o in obj) and _entity(subject) == "routes":
        return compiled("convention", Convention("routes", "no-session"))
    direct = _direct(norm)
    through = bool(re.search(r"through other (?:declared )?layers|through any layer|via other layers", norm))
    spec = Forbidden(subject, obj, exceptions=exceptions, ignore_imports=ignore, direct=bool(direct), through_layers=through)
    return compiled("forbidden", spec)


_STYLE_OR_URL = re.compile(r"/[\w{}<>:.*/-]*|(?i:snake_case|kebab-case|camel_?case|pascal_?case|upper_snake_case|screaming_snake_case|lower_?case|upper_?case|title_?case)")
_BUILTIN_NAMES = frozenset(dir(builtins))
# words before "not"/"never" that are no subject: pronouns and auxiliaries ("does not touch the schema")
_NOT_SUBJECT_WORDS = frozenset(
    "code nothing nobody you we one it they this that these those there which who she he "
    "does did do has have had was were are will would should could can may might must shall".split()
)
_NOT_A_MODULE_AFTER = re.compile(
    r"^\s*(?:(?:db|database|model|orm|django)\s+)?(?:fields?|attributes?|columns?|parameters?|params?|arguments?|args?|kwargs?|keys?|variables?|propert(?:y|ies)|flags?|lookups?|subquer(?:y|ies)|values?|headers?)\b"
)


def _module_like(ref: Ref, t: Text) -> bool:
    """Could a name of an import rule be a module, package, path, role or library?

    Role words and libraries written as words are; a code span is not when it
    is a builtin (`id`, `list`), a number or address (`8.8.8.0`), a Django
    lookup (`__in`), a method (`.get()`) or a name followed by "field",
    "attribute", "argument"... (what it names is data, not a module).
    """
    if not ref.quoted:
        return True
    text = ref.text
    if text in _BUILTIN_NAMES or text.startswith(".") and not text.startswith("./"):
        return False
    if re.fullmatch(r"__\w+", text) and not text.endswith("__"):
        return False
    if not re.fullmatch(r"[A-Za-z_*][\w*-]*(?:[./][\w*-]+)*/?|[\w*./-]+/", text):
        return False
    for i, code in enumerate(t.codes):
        if code.strip().strip("`") != text and not code.startswith(text):
            continue
        m = re.search(f"⟦{i}⟧", t.norm)
        if m and _NOT_A_MODULE_AFTER.match(t.norm[m.end() :]):
            return False
    return True


def _negation_near(c: Clause, t: Text, anchor: re.Match[str]) -> bool:
    """The negation belongs to this verb: no comma or semicolon between them (heading polarity counts)."""
    if c.polarity < 0:
        return True
    norm = t.norm
    best = None
    for m in lexicon.PROHIBITION_RE.finditer(norm):
        d = abs(m.start() - anchor.start())
        if best is None or d < best[0]:
            best = (d, m)
    m_no = lexicon.NO_PREFIX_RE.match(norm)
    if best is None:
        return bool(m_no) or bool(re.search(r"\bno\s+(?:direct|raw)\b", norm))
    m = best[1]
    lo, hi = sorted((m.end(), anchor.start()))
    between = norm[lo:hi]
    return not re.search(r"[,;(（)）]|→|->", between)


# ===================================================================== only
_ONLY_WORD = r"(?:only|solely|exclusively|just)"


def _only_rule(c: Clause, t: Text) -> Outcome | None:
    t, ignore = _ignoring(t)
    out = _only_rule_inner(c, t)
    if out is not None and ignore:
        out.specs = [(replace(s, ignore_imports=ignore) if isinstance(s, Protected) else s, sev) for s, sev in out.specs]
    return out


def _only_rule_inner(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    # "X is the only module (in S) allowed to import Y"
    m = re.search(r"\b(?:is|are)\s+the\s+only\s+(?:modules?|packages?|layers?|places?|ones?|code|files?)?\s*(?:(?:in|of|within|inside)\s+(?P<scope>.+?)\s+)?(?:that\s+(?:is|are|may|can)\s+|which\s+(?:may|can)\s+)?(?:allowed\s+|permitted\s+)?(?:to\s+)?(?P<verb>" + lexicon.IMPORT_VERB + r")\b", norm)
    if m:
        before = _names(t, 0, m.start())
        importers = _refs(before[-1:]) if before else c.subject
        scope: tuple[Ref, ...] = ()
        if m.group("scope"):
            scope = _refs(_names(t, m.start("scope"), m.end("scope")))
        targets = _refs(_names(t, m.end(), len(norm)))
        if importers and targets:
            return compiled("protected", Protected(targets=targets, importers=importers, scope=scope))
    # "only X may import Y" / "only X imports Y"
    m = re.search(r"(?:^|[:,]\s*|\b)" + _ONLY_WORD + r"\s+(?P<who>.+?)\s+(?:may|can|should|must|is allowed to|are allowed to|are permitted to|is permitted to|gets? to)?\s*(?P<verb>" + lexicon.IMPORT_VERB + r")\b", norm)
    if m and m.start("who") < 40 and not re.match(r"\s*(?:by|for|when|if|in|on)\b", m.group("who")) and (
        re.search(r"\b(?:may|can|should|must|is allowed to|are allowed to|are permitted to|is permitted to|gets? to)\s*$", norm[: m.start("verb")]) or re.match(r"imports|depends|uses|calls|accesses", m.group("verb"))
    ):
        importers = _refs(_names(t, m.start("who"), m.end("who")))
        stop = _STOP.search(norm, m.end())
        end = stop.start() if stop else len(norm)
        targets = _refs(_names(t, m.end(), end))
        within = re.search(r"\b(?:within|in|inside)\s+(?P<s>.+)$", norm[m.end():])
        scope = ()
        if within and targets:
            scope_refs = _refs(_names(t, m.end() + within.start("s"), len(norm)))
            targets = tuple(r for r in targets if r not in scope_refs)
            scope = scope_refs
        if importers and targets:
            return compiled("protected", Protected(targets=targets, importers=importers, scope=scope))
    # "X should reach Y only via Z": X must not import Y directly
    m = re.search(r"\b(?:may|should|must|can|is allowed to|are allowed to)?\s*(?:reach|access|import|use|call|talk\s+to|depend\s+on)\s+(?P<y>.+?)\s+only\s+(?:via|through)\s+(?P<z>.+)$", norm)
    if m:
        xs = _refs(_names(t, 0, m.start()))
        ys = _refs(_names(t, m.start("y"), m.end("y")))
        if xs and ys:
            return compiled("forbidden", Forbidden(xs, ys, direct=True))
    # "all database queries must be in repository files"
    m = re.search(
        r"^(?:all\s+|every\s+|any\s+)?(?P<what>(?:(?:raw\s+)?(?:database|db|sql|orm)\s+)?(?:queries|query|access|calls|operations|writes|reads)|persistence|data\s+access|sql)\s+(?:must|should|has to|have to|need to|needs to|may)?\s*(?:only\s+)?(?:be|live|stay|happen|go|belong|reside)s?\s+(?:only\s+)?(?:in|inside|within|through|via)\s+(?P<where>.+)$",
        norm,
    )
    if m and re.search(r"database|\bdb\b|sql|orm|quer|persist|data access", m.group("what")):
        via = _refs(_names(t, m.start("where"), len(norm)))
        if via and re.search(r"quer(?:y|ies)", m.group("what")):
            # queries are calls (a select, a session.execute, a manager call), not imports: a service that
            # imports the session type to hand it to a repository runs no query
            if not any(lexicon.ROLE_WORDS.get(r.text.lower(), ("", ""))[1] == "models" for r in via):
                via = via + (Ref("models", quoted=False),)
            return compiled("ban", Ban(("db-query",), outside=via))
        if via:
            # queries are read as imports of the ORM; the model modules import it to declare tables, which is no query
            if not any(lexicon.ROLE_WORDS.get(r.text.lower(), ("", ""))[1] == "models" for r in via):
                via = via + (Ref("models", quoted=False),)
            return compiled("protected", Protected(targets=(Ref("db", quoted=False), Ref("orm", quoted=False)), importers=via))
    # CJK: "只能由 X 导入 Y", "Y는 X에서만 import"
    m = re.search(r"(?:只能由|只有|仅由|仅限|오직)\s*(?P<x>.+?)\s*(?:才)?(?:可以|能|可)?\s*(?:导入|引入|依赖|使用|访问|import|임포트|사용|접근)\s*(?P<y>.+)$", norm)
    if m:
        importers = _refs(_names(t, m.start("x"), m.end("x")))
        targets = _refs(_names(t, m.start("y"), m.end("y")))
        if importers and targets:
            return compiled("protected", Protected(targets=targets, importers=importers))
    # anchored and guarded: an unanchored leading ".+?" retries from every position (quadratic on long clauses)
    m = re.search(r"^(?P<y>.+?)(?:은|는|을|를)?\s*(?P<x>⟦\d+⟧|\S+?)\s*에서만\s*(?:import|임포트|사용|접근|의존)", norm) if "에서만" in norm else None
    if m:
        importers = _refs(_names(t, m.start("x"), m.end("x")))
        targets = _refs(_names(t, m.start("y"), m.end("y")))
        if importers and targets:
            return compiled("protected", Protected(targets=targets, importers=importers))
    # "no module may import X" / "nothing imports X"
    m = re.match(r"^\s*(?:no\s+(?:other\s+)?(?:module|package|code|layer)|nothing|nobody)\s+(?:else\s+)?(?:may|can|must|should|is allowed to)?\s*(?:import|depend on|use)s?\s+(?P<y>.+)$", norm)
    if m:
        within = re.search(r"\s+(?:within|inside)\s+(?P<s>.+)$", norm[m.start("y"):])
        end = m.start("y") + within.start() if within else len(norm)
        targets = _refs(_names(t, m.start("y"), end))
        scope = _refs(_names(t, m.start("y") + within.start("s"), len(norm))) if within else ()
        if targets:
            return compiled("protected", Protected(targets=targets, importers=(), scope=scope))
    # "Y (may|can|must) only be imported by X"
    m = re.search(r"\b(?:may|can|must|should|is to|are to)?\s*(?:only\s+be|be\s+only|only)\s+(?:imported|used|accessed|called)\s+(?:by|from|in|within|inside)\s+", norm)
    if m:
        targets = _refs(_names(t, 0, m.start()))
        importers = _refs(_names(t, m.end(), len(norm)))
        if targets and importers:
            return compiled("protected", Protected(targets=targets, importers=importers))
    # "configuration comes from `app.config.settings`": reading the environment anywhere else is banned
    m = re.search(r"^(?:all\s+)?(?:the\s+)?(?:configuration|config|settings|environment variables?|env vars?)\s+(?:(?:must|should|may)\s+)?(?:only\s+)?(?:comes?|is read|are read|is loaded|are loaded|lives?|be read|be loaded|come)\s+(?:only\s+)?(?:from|in|via|through)\s+(?P<w>.+)$", norm)
    if m:
        via = _refs(_names(t, m.start("w"), len(norm)))
        if via:
            return compiled("ban", Ban(("os.getenv", "os.environ"), outside=via))
    # "all database access goes through the repositories" / "persistence goes through X only"
    m = re.search(r"\b(?:go(?:es)?|pass(?:es)?|happen(?:s)?|flow(?:s)?|is done|are done|must go|must pass|route[sd]?)\s+(?:only\s+)?(?:through|via)\s+", norm)
    m2 = re.search(r"\b(?:only|solely|exclusively)\s+(?:through|via|by way of)\s+", norm)
    anchor = m or m2
    if anchor:
        what = norm[: anchor.start()]
        via = _refs(_names(t, anchor.end(), len(norm)))
        target = _activity_target(what, t, anchor.start())
        if target and via:
            if target == ("config",):
                return compiled("ban", Ban(("os.getenv", "os.environ"), outside=via))
            return compiled("protected", Protected(targets=target, importers=via))  # type: ignore[arg-type]
    return None


def _activity_target(what: str, t: Text, end: int) -> tuple[Ref, ...] | tuple[str]:
    """What "all X goes through Y" confines: the DB layer, configuration, or the names written."""
    if re.search(r"persist|database|\bdb\b|quer(?:y|ies)|\bsql\b|data access|storage|数据库|데이터베이스|データベース|持久化|영속", what):
        return (Ref("db", quoted=False), Ref("orm", quoted=False))
    if re.search(r"config|settings|environment|env var|os\.environ|os\.getenv|配置|설정", what):
        return ("config",)
    names = _refs(_names(t, 0, end))
    return names


# ===================================================================== allow-only
def _allow_only(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    pats = [
        r"\b(?:may|can|should|must|is allowed to|are allowed to)\s+only\s+(?:directly\s+)?(?P<verb>import(?:\s+from)?|depend\s+on|use|call|access|talk\s+to)\b",
        r"\b(?:may|can|should|must)?\s*(?P<verb>import(?:s)?(?:\s+from)?|depends?\s+on|uses?|calls?|talks?\s+to|accesses)\s+only(?:\s+from|\s+on)?\b",
        r"\bonly\s+(?P<verb>imports?(?:\s+from)?|depends?\s+on|uses|calls|talks\s+to)\b",
        r"\b(?P<verb>imports?|calls?|uses?|depends?\s+on)\s+nothing\s+but\b",
    ]
    for p in pats:
        m = re.search(p, norm)
        if not m:
            continue
        subject = _refs(_names(t, 0, m.start())) or c.subject
        stop = re.search(r"[;(]|\b(?:because|since|so that)\b", norm[m.end():])
        end = m.end() + stop.start() if stop else len(norm)
        allowed = tuple(r for r in _refs(_names(t, m.end(), end)) if r.text not in ("itself", "themselves"))
        externals = bool(re.search(r"third[- ]party|external|libraries", norm[m.end():]))
        if subject and (allowed or re.search(r"\bnothing\b", norm[m.end():])):
            if c.mod.negative and not re.search(r"\bonly\b|nothing but", norm):
                return None
            return compiled("allow-only", AllowOnly(subject, allowed, externals=externals))
    # Korean / Chinese / Vietnamese "only call Y": "Service만 호출", "只能调用 Service", "chỉ gọi controller"
    m = re.search(r"(?P<y>⟦\d+⟧|[\w가-힣]+)\s*만\s*(?:호출|import|임포트|의존|사용)", norm)
    if m and c.subject:
        allowed = _refs(_names(t, m.start("y"), m.end("y")))
        if allowed:
            return compiled("allow-only", AllowOnly(c.subject, allowed))
    m = re.search(r"(?:只能|仅能|只|chỉ(?:\s+được)?)\s*(?:调用|导入|依赖|gọi|import|phụ thuộc vào)\s*", norm)
    if m:
        subject = _refs(_names(t, 0, m.start())) or c.subject
        allowed = _refs(_names(t, m.end(), len(norm)))
        if subject and allowed:
            return compiled("allow-only", AllowOnly(subject, allowed))
    return None


# ===================================================================== independence
def _independence(c: Clause, t: Text) -> Outcome | None:
    t, ignore = _ignoring(t)
    norm = t.norm
    m = re.search(
        r"each other|one another|among themselves|between (?:them|each other)|相互|互相|彼此|서로|互いに|lẫn nhau|tra loro|fra loro|satu sama lain|entre si|entre ellos|entre elas",
        norm,
    )
    m2 = re.search(r"\b(?:are|be|stay|remain|kept)\s+(?:fully\s+|mutually\s+)?independent\b|\bindependent of each other\b|\bisolated from each other\b|\bno (?:imports|dependencies|coupling|cross-imports?) between\b|\bno cross-(?:app|module|domain|package) (?:imports|coupling|dependencies)\b|\bavoid cross-(?:app|module|domain|package) (?:imports|coupling|dependencies)\b", norm)
    if not (m or m2):
        return None
    if m and not (c.mod.negative or c.mod.soft or re.search(r"independent|isolated", norm)):
        return None
    members: tuple[Ref, ...] = _refs(_names(t, 0, len(norm)))
    implicit = re.search(r"\b(?:apps|applications|modules|domains|packages|sub-?packages|features|bounded contexts|plugins|services|slices)\b\s+(?:in|under|of|inside|within)\s+(?P<c>.+)$", norm)
    if implicit:
        container = _refs(_names(t, implicit.start("c"), len(norm)))
        if container:
            base = container[0].text.rstrip("/")
            sep = "/" if "/" in base else "."
            members = (Ref(f"{base}{sep}*", quoted=True),)
    direct = bool(_direct(norm))
    if len(members) >= 2 or (len(members) == 1 and "*" in members[0].text):
        return compiled("independence", Independence(members, direct=direct, ignore_imports=ignore))
    return unrecognized(
        "independence needs the modules named, or a container whose children are independent",
        "`app.billing`, `app.shipping` and `app.users` must not import each other"
        " (or: the packages in `app.modules` must not import each other)",
        "independence",
    )


# ===================================================================== acyclic
_CYCLE = re.compile(r"circular|cyclic|\bcycles?\b|acyclic|cycle-free|循环|循環|순환|vòng|circolar|ciclic|melingkar|siklik|circulares|circulaires|\bciclos?\b")


def _acyclic(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    if not _CYCLE.search(norm):
        return None
    positive = re.search(r"acyclic|cycle-free|free of cycles|no cycles|without cycles", norm)
    if not (c.mod.negative or positive or c.mod.soft):
        return None
    cyc = _CYCLE.search(norm)
    near = norm[max(0, cyc.start() - 40) : cyc.end() + 30] if cyc else ""  # type: ignore[union-attr]
    if not positive and not (lexicon.PROHIBITION_RE.search(near) or lexicon.NO_PREFIX_RE.match(norm) or lexicon.SOFT_RE.search(near) or re.search(r"\bno\b|不|없|금지|禁止|không|non\b|tidak|jangan|sem\b|sin\b", near)):
        return None  # cycles only mentioned as a motive or in passing
    if re.search(r"event|subscription|signal|reference cycle|gc\b|garbage|foreign key|relationship", norm):
        return not_checkable("runtime", "a cycle of runtime objects or events, not of imports")
    siblings = bool(re.search(r"sibling", norm))
    scope: tuple[Ref, ...] = ()
    m = re.search(r"\b(?:in|within|inside|between the children of|among the children of|under)\s+(?P<s>.+)$", norm)
    if m:
        scope = _refs(_names(t, m.start("s"), len(norm)))
    tc = bool(re.search(r"type_checking|type checking|type-checking", norm) and re.search(r"\b(?:count|included|including)\b", norm) and not re.search(r"not count|don'?t count|excluded|ignored", norm))
    depth = 0
    md = re.search(r"(?:depth|down to depth|levels? deep)\s*(?:of\s*)?(\d+)|(\d+)\s+levels? deep", norm)
    if md:
        depth = int(md.group(1) or md.group(2))
    skip: tuple[Ref, ...] = ()
    ms = re.search(r"\bskipping\s+(?P<k>.+)$", norm)
    if ms:
        skip = _refs(_names(t, ms.start("k"), len(norm)))
        scope = tuple(r for r in scope if r not in skip)
    return compiled("acyclic", Acyclic(scope=scope, type_checking=tc, siblings=siblings, depth=depth, skip_descendants=skip))


# ===================================================================== limits
_UNIT_LINES = r"(?:lines?|loc|sloc|行|줄|righe|riga|dòng|baris|linhas|líneas|lineas|行数)"
_CMP = (
    r"(?P<cmp><=|≤|=<|<|>=|≥|>|at\s+most|no\s+more\s+than|not\s+more\s+than|max(?:imum)?(?:\s+of)?|up\s+to|within|under|below|less\s+than|fewer\s+than"
    r"|(?:must\s+)?not\s+exceed|exceed(?:s|ing)?|over|above|more\s+than|at\s+least|min(?:imum)?(?:\s+of)?|not\s+(?:drop|fall)\s+below"
    r"|不超过|不得超过|不能超过|超过|少于|小于|大于|多于|最多|至少|不低于|以内|以下|以上|tối\s+đa|không\s+quá|vượt\s+quá|maksimal|maksimum|tidak\s+lebih\s+dari|lebih\s+dari|minimal"
    r"|al\s+massimo|massimo|non\s+più\s+di|più\s+di|no\s+máximo|máximo|como\s+máximo|no\s+más\s+de|menos\s+de|até)?"
)
_NUM = re.compile(_CMP + r"\s*~?\s*(?P<n>\d+(?:[.,]\d+)?)(?:\s*[-–~]\s*(?P<n2>\d+))?\s*(?P<post>이하|미만|초과|이상|以内|以下|以上|까지|or\s+(?:fewer|less|more)|max(?:imum)?)?", re.I)
_METRIC_WORDS: tuple[tuple[str, str], ...] = (
    ("maintainability", r"maintainability(?:\s+index)?|\bmi\b|可维护性|유지보수성\s*지수|保守性"),
    ("complexity", r"cyclomatic(?:\s+complexity)?|complexity|\bmccabe\b|\bcc\b|圈复杂度|复杂度|복잡도|複雑度|complessit[aà]|độ\s+phức\s+tạp|kompleksitas|complexidade|complejidad"),
    ("parameters", r"parameters?|params?\b|arguments?|\bargs\b|参数|매개\s*변수|파라미터|인자|引数|parametri|tham\s+số|parâmetros|parámetros"),
    ("line-length", r"line\s+length|characters?\s+per\s+line|chars?\s+per\s+line|line\s+width|每行|한\s*줄|caratteri\s+per\s+riga|ký\s+tự|karakter\s+per\s+baris|caracteres\s+por\s+linha"),
    ("function-length", r"functions?|methods?|\bdefs?\b|函数|方法|함수|메서드|메소드|関数|メソッド|funzion[ei]|metod[io]|hàm|phương\s+thức|fungsi|metode|funç(?:ão|ões)|funci(?:ón|ones)|métodos?"),
    ("class-length", r"class(?:es)?\b|类|클래스|クラス|classi|lớp|kelas|classes"),
    ("file-length", r"files?|modules?|文件|파일|ファイル|\bfile\b|tệp|arquivos?|archivos?|moduli"),
)
_NON_STATIC_UNIT = re.compile(r"^\s*(?:ms|milliseconds?|seconds?|secs?|s\b|minutes?|mins?|hours?|h\b|%|percent|mb|gb|kb|requests?|rps|qps|users?|tokens?|days?|weeks?|/min|/s|chars?\s+for\s+commit)", re.I)


def _limits(c: Clause, t: Text) -> Outcome | None:
    norm = _mask(t.norm)
    if not re.search(r"\d", norm):
        return None
    segments = re.split(r",\s*|;\s*|\band\b\s+(?=\S+\s+(?:<|≤|at most|max|under))", norm)
    specs: list[tuple[Spec, Severity | None]] = []
    saw_runtime = False
    offset = 0
    for seg in segments:
        seg_start = norm.find(seg, offset)
        offset = seg_start + len(seg) if seg_start >= 0 else offset
        for m in _NUM.finditer(seg):
            after = seg[m.end() :]
            if re.match(r"^:\d", after) or re.search(r"\d:$", seg[: m.start("n")]):
                continue  # "1:1", "16:9": a ratio, not a size
            if _NON_STATIC_UNIT.match(after) or re.match(r"\s*(?:%|percent)", after):
                saw_runtime = True
                continue
            if re.search(r"coverage|覆盖率|커버리지|cobertura|copertura", seg):
                saw_runtime = True
                continue
            metric = _metric_of(seg, m)
            if metric is None:
                continue
            if not (m.group("cmp") or "").strip() and re.search(r"\b(?:instead\s+of|rather\s+than)\b", seg[: m.start()]):
                continue  # "a helper instead of narrating a ~100-line function": an example size, not a limit
            n = float(m.group("n").replace(",", "."))
            if m.group("n2"):  # a range "300-400": the upper bound is the limit
                n = float(m.group("n2"))
            kind = _bound(m.group("cmp") or "", m.group("post") or "", seg, metric)
            if kind is None:
                continue
            bound, strict = kind
            if metric == "maintainability":
                spec: Spec = Limit(metric, minimum=n) if bound == "min" else Limit(metric, maximum=int(n))
            elif bound == "max":
                spec = Limit(metric, maximum=int(n) - (1 if strict else 0))
            else:
                spec = Limit(metric, minimum=n + (1 if strict else 0))
            under = _scope_refs(t, seg_start + m.end() if seg_start >= 0 else len(norm), seg_start + len(seg) if seg_start >= 0 else len(norm))
            if under:
                spec = Limit(spec.metric, spec.maximum, spec.minimum, under)  # type: ignore[union-attr]
            sev = Severity.WARNING if lexicon.SOFT_RE.search(seg) else None
            specs.append((spec, sev))
            break
    if specs:
        out = Outcome(COMPILED, "limit", specs)
        return out
    if saw_runtime:
        return not_checkable("runtime", "a number about run time, coverage or sizes no static analysis measures")
    return None


def _metric_of(seg: str, m: re.Match[str]) -> str | None:
    window = seg
    has_lines = bool(re.search(_UNIT_LINES, seg))
    chars = bool(re.search(r"characters?|chars?\b|字符|자\b|caratteri|ký tự|karakter|caracteres", seg))
    found: list[tuple[int, str]] = []
    for metric, pat in _METRIC_WORDS:
        for mm in re.finditer(pat, window, re.I):
            found.append((abs(mm.start() - m.start()), metric))
    if not found and not chars:
        if re.search(r"^\s*(?:lines?|loc)\b", seg[m.end():]) and re.search(r"per\s+file|a\s+file|each\s+file", seg):
            return "file-length"
        return None
    if chars and re.search(r"\blines?\b|行|줄|righe|baris|dòng", seg):
        return "line-length"
    found.sort()
    ranked = [metric for _, metric in found]
    if "maintainability" in ranked:
        return "maintainability"
    if "complexity" in ranked:
        return "complexity"
    if chars and re.search(r"line", seg):
        return "line-length"
    if "line-length" in ranked:
        return "line-length"
    if "parameters" in ranked and not has_lines:
        return "parameters"
    for metric in ranked:
        if metric in ("function-length", "class-length", "file-length") and has_lines:
            return metric
    return None


_LE = re.compile(r"<=|≤|=<|at\s+most|no\s+more\s+than|not\s+more\s+than|max|up\s+to|within|not\s+exceed|不超过|不得超过|不能超过|最多|以内|以下|tối\s+đa|không\s+quá|maksimal|maksimum|tidak\s+lebih\s+dari|al\s+massimo|massimo|non\s+più\s+di|no\s+máximo|máximo|como\s+máximo|no\s+más\s+de|até", re.I)
_LT = re.compile(r"^(?:<|under|below|less\s+than|fewer\s+than|少于|小于|menos\s+de)$", re.I)
_GE = re.compile(r"^(?:>=|≥|at\s+least|min(?:imum)?(?:\s+of)?|至少|不低于|以上|minimal|not\s+(?:drop|fall)\s+below)$", re.I)
_GT = re.compile(r"^(?:>|over|above|more\s+than|exceed(?:s|ing)?|超过|大于|多于|vượt\s+quá|lebih\s+dari|più\s+di)$", re.I)


def _bound(cmp: str, post: str, seg: str, metric: str) -> tuple[str, bool] | None:
    """("max"|"min", strict) from the comparator and its context."""
    cmp = re.sub(r"\s+", " ", cmp.strip().lower())
    post = post.strip().lower()
    violation = bool(re.search(r"violation|split|refactor|too (?:long|big|complex)|must be split|분리|拆分|分割|bị tách|dipecah|dividere|forbidden|not allowed|error|fail", seg))
    if post in ("이하", "以内", "以下", "까지", "max", "maximum", "or fewer", "or less"):
        return ("max", False)
    if post == "미만":
        return ("max", True)
    if post in ("이상", "以上", "or more"):
        return ("min", False) if metric == "maintainability" else ("max", False)
    if post == "초과":
        return ("max", False)
    if cmp and _LE.fullmatch(cmp) or (cmp and _LE.match(cmp)):
        return ("max", False)
    if cmp and _LT.match(cmp):
        return ("max", True)
    if cmp and _GE.match(cmp):
        return ("min", False)
    if cmp and _GT.match(cmp):
        if metric == "maintainability" and not violation:
            return ("min", True)
        return ("max", False)
    # no comparator: "300 lines per file", "CC 10"
    if metric == "maintainability":
        return ("min", False)
    return ("max", False)


def _scope_refs(t: Text, start: int, end: int) -> tuple[Ref, ...]:
    m = re.search(r"\b(?:in|under|inside|within|for)\s+", t.norm[start:end])
    if not m:
        return ()
    refs = tuple(r for r in _refs(_names(t, start + m.end(), end)) if r.quoted or "/" in r.text or "." in r.text)
    return refs


# ===================================================================== conventions
_ENTITY_WORDS: tuple[tuple[str, str], ...] = (
    ("routes", r"endpoints?|routes?|path operations?|route handlers?|api routes?|api endpoints?|request handlers?|handlers?|views?|viewsets?|controllers?|api views?|路由|接口|端点|视图|엔드포인트|라우트|라우터|ルート|エンドポイント|rotas?|endpoint"),
    ("models", r"(?:orm |django |sqlalchemy |database |db )?models?|tables?|entities|modell[oi]|modelos?|tabelle|tabel|mô hình|模型|数据表|表|모델|테이블|モデル|テーブル"),
    ("tasks", r"(?:celery |background |async )?tasks?|jobs?|workers?|任务|작업|태스크|タスク|tarefas?"),
    ("functions", r"(?:public |all |every |each )?(?:functions?|methods?|defs?|函数|方法|함수|메서드|関数|funzioni|fungsi|hàm|funções)"),
    ("classes", r"class(?:es)?|类|클래스|クラス|classi|kelas"),
    ("modules", r"modules?|files?|packages?|模块|文件|모듈|파일|モジュール"),
)
_ROUTE_OPTIONS = {
    "response model": "response_model", "response_model": "response_model", "status code": "status_code", "status_code": "status_code",
    "tags": "tags", "tag": "tags", "summary": "summary", "description": "description", "response description": "response_description",
    "operation id": "operation_id", "dependencies": "dependencies", "responses": "responses", "name": "name", "deprecated": "deprecated",
    "response_class": "response_class", "include_in_schema": "include_in_schema",
}
_TASK_OPTIONS = {
    "max retries": "max_retries", "max_retries": "max_retries", "acks late": "acks_late", "acks_late": "acks_late",
    "time limit": "time_limit|soft_time_limit", "time limits": "time_limit|soft_time_limit", "timeout": "time_limit|soft_time_limit",
    "time_limit": "time_limit", "soft_time_limit": "soft_time_limit", "soft time limit": "soft_time_limit", "retry backoff": "retry_backoff",
    "retry_backoff": "retry_backoff", "queue": "queue", "rate limit": "rate_limit", "rate_limit": "rate_limit", "bind": "bind",
    "autoretry_for": "autoretry_for", "ignore_result": "ignore_result", "name": "name", "retry_jitter": "retry_jitter",
    "reject_on_worker_lost": "reject_on_worker_lost", "default_retry_delay": "default_retry_delay", "serializer": "serializer",
}


def _entity(subject: Sequence[Ref]) -> str:
    for r in subject:
        group = lexicon.ROLE_WORDS.get(r.text, ("", ""))[1]
        if group == "api":
            return "routes"
        if group == "models":
            return "models"
        if group == "tasks":
            return "tasks"
    return ""


def _split_top(pat: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in pat:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def scripted(pat: str) -> str:
    """An alternation with ASCII word boundaries around Latin alternatives only (CJK words attach to anything)."""
    latin = [p for p in _split_top(pat) if re.match(r"[A-Za-z(\\]", p)]
    other = [p for p in _split_top(pat) if not re.match(r"[A-Za-z(\\]", p)]
    parts = []
    if latin:
        parts.append(r"(?<![A-Za-z0-9_])(?:" + "|".join(latin) + r")(?![A-Za-z0-9_])")
    if other:
        parts.append("(?:" + "|".join(other) + ")")
    return "|".join(parts)


_ENTITY_RX = tuple((subject, re.compile(scripted(pat))) for subject, pat in _ENTITY_WORDS)


def _entity_in(norm: str) -> tuple[str, int, int]:
    best: tuple[str, int, int] = ("", -1, -1)
    for subject, rx in _ENTITY_RX:
        m = rx.search(norm)
        if m and (best[1] < 0 or m.start() < best[1]):
            best = (subject, m.start(), m.end())
    return best


_QUANTIFIER = re.compile(r"\b(?:every|all|each|any)\b|所有|每个|每一个|一律|모든|각|すべて|全て|各|tutti|tutte|ogni|semua|setiap|mọi|todos|todas|cada")
_IMPERATIVE = re.compile(r"^\s*(?:use|add|write|annotate|include|type|always|usar|use|usa|aggiungi|gunakan|tambahkan|dùng|sử dụng|thêm|adicione|añade|agrega)\b|^\s*(?:使用|添加|사용|추가)")


_SUBSET_BEFORE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:admin|administrative|internal|public|private|partner|webhook|dashboard|backoffice|back-office|mobile|legacy|deprecated|debug|"
    r"customer-facing|user-facing|external|authenticated|unauthenticated|anonymous|third-party|mutating|read-only|sensitive|protected|"
    r"privileged|staff|superuser|beta|experimental|streaming|websocket|paginated)\s+$"
)
_SUBSET_AFTER = re.compile(
    r"^\s*(?:(?:that|which|who|whose)\s+(?!(?:is|are)\s+(?:all|every)\b)\S|(?:used|called|served|exposed|reached|consumed|accessed|hit|"
    r"intended|meant|reserved|only|visible|available|restricted|limited)\b)"
)


def _entity_subset(norm: str, subject: str) -> str:
    """"endpoints used only by the dashboard", "admin endpoints": the words that pick some of the entities, or ''."""
    rx = next((r for s, r in _ENTITY_RX if s == subject), None)
    if rx is None:
        return ""
    for m in rx.finditer(norm):
        before = _SUBSET_BEFORE.search(norm[max(0, m.start() - 24) : m.start()])
        if before:
            return norm[m.start() - len(before.group(0)) : m.end()]
        after = _SUBSET_AFTER.match(norm[m.end() :])
        if after:
            rest = norm[m.end() :]
            stop = re.search(r"[,;:(]|\s(?:must|should|shall|need|have to|use|require)\b", rest)
            return norm[m.start() : m.end() + (stop.start() if stop else len(rest))].strip()
    return ""


_ROUTE_OPTION_OWNERS = re.compile(r"\b(?:serializers?|querysets?|query\s*sets?|schemas?|forms?|fields?|payloads?|templates?|filtersets?|tables?)\b")


def _convention(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    subject = _entity(c.subject)
    if not subject:
        subject, s_at, s_end = _entity_in(norm)
    if not subject and c.context:
        subject = _entity_in(c.context.split(" / ")[-1])[0] or _entity_in(c.context)[0]
    if not subject:
        ts = [_clean(t.code(int(x))) for x in re.findall(r"⟦(\d+)⟧", norm)]
        if ts and all(re.fullmatch(r"(?:created|updated|deleted)_at", x) for x in ts) and (c.mod.obligation or _QUANTIFIER.search(norm)):
            subject = "models"  # "must have `created_at` and `updated_at` timestamp fields": only models have columns
    if not subject and not re.search(r"type hints?|annotations?|docstrings?|snake_case|pascalcase|camelcase|upper_snake|async def|驼峰|下划线|类型注解|타입 힌트|型ヒント", t.restore(norm).lower()):
        return None
    codes = [t.code(int(x)) for x in re.findall(r"⟦(\d+)⟧", norm)]
    exceptions = _exceptions(t)
    body_end = len(norm)
    em = re.search(r"(?<![A-Za-z0-9_])" + _EXCEPT + r"(?![A-Za-z0-9_])", norm)
    if em:
        body_end = em.start()
    body = norm[:body_end]
    rich = body + " " + " ".join(codes).lower()
    under = _scope_under(t, body)
    if subject in ("routes", "models", "tasks") and not under:
        subset = _entity_subset(norm, subject)
        if subset:
            return not_checkable(
                "scope",
                f"holds only for {t.restore(subset)}, which the scan cannot tell apart from the other {subject} (compiling it for every "
                f"one would widen it); name the folder or module, e.g. 'under `app/admin/`'",
            )
    # --- blocking calls in async code
    blocking_words = r"block|synchronous|\bsync\b|i/o|\bio\b|阻塞|同步|블로킹|동기|ブロッキング|同期|chặn|đồng bộ|bloccant|sincron|memblokir|blokir|sinkron|bloqueante|síncron"
    if re.search(blocking_words + r"|time\.sleep|sleep|requests", rich) and re.search(r"async|asynchronous|异步|비동기|非同期|bất đồng bộ|asincron|asinkron|assíncron", rich):
        inside_async = re.search(r"(?:\b(?:in|inside|within|from|into)\s+(?:an?\s+|the\s+)?(?:⟦\d+⟧|async)|在\s*⟦\d+⟧|⟦\d+⟧\s*(?:中|에서|内|で)|async\s+(?:endpoints?|routes?|handlers?|functions?|views?|code))", body)
        if inside_async and (c.mod.negative or re.search(r"\bno\b|never|avoid|don't|must not", body)) and re.search(blocking_words, body):
            paren = re.search(r"\(([^)]*)\)", body)
            listed = re.findall(r"⟦(\d+)⟧", paren.group(1)) if paren else []
            names = tuple(_clean(t.code(int(x))) for x in listed)
            subj = "routes" if re.search(r"endpoint|route|handler|view|path operation|\bapi\b|接口|路由|端点|视图|엔드포인트|라우트|핸들러|エンドポイント|ルート", body) else "async-functions"
            return compiled("convention", Convention(subj, "no-blocking", names=names, under=under))
    # --- ORM session in handlers
    if subject == "routes" and re.search(r"\bsession\b|db\.session|⟦\d+⟧", body) and (c.mod.negative) and re.search(r"session", " ".join(codes) + body):
        return compiled("convention", Convention("routes", "no-session", under=under))
    # --- async handlers
    async_code = any(x.strip() in ("async def", "async") for x in codes)
    if subject == "routes" and (
        (async_code and re.search(r"(?:are|be|is|must be|written as|defined as|declared as|use)\s+⟦\d+⟧", body))
        or re.search(r"(?:are|be|is|must be)\s+(?:written\s+)?(?:as\s+)?async(?:hronous)?\b", body)
    ):
        if c.mod.negative:
            return compiled("convention", Convention("routes", "sync", under=under))
        return compiled("convention", Convention("routes", "async", exceptions=exceptions, under=under))
    # --- authentication
    if subject == "routes" and re.search(r"authenticat|\bauth\b|login|logged[- ]in|protected|permission|认证|鉴权|登录|身份验证|验证用户身份|校验用户|인증|로그인|認証|ログイン|xác thực|autenticazion|autentikasi|autenticação|autenticación", body):
        if re.search(r"\b(?:no|without)\s+(?:auth|authentication)\b|unauthenticated|public", body) and not c.mod.negative:
            return None
        if not (c.mod.obligation or c.mod.soft or re.search(r"\b(?:every|all|each|require[sd]?|must|need|protect(?:ed)?)\b|所有|每个|每一个|必须|모든|반드시|必ず|すべて|全て|tutti|ogni|semua|setiap|mọi|todos|todas", body)):
            return None
        via = re.search(r"\b(?:via|with|using|through|by)\s+(?P<v>.+)$", body)
        names = tuple(_clean(t.code(int(x))) for x in re.findall(r"⟦(\d+)⟧", via.group("v"))) if via else ()
        return compiled("convention", Convention("routes", "auth", names=names, exceptions=exceptions, under=under))
    # --- type hints / docstrings / naming
    if re.search(r"type hints?|type annotations?|annotations?|typed|类型注解|类型提示|타입 힌트|型ヒント|型注釈|tipizzazion|type hint", body):
        if c.mod.negative and not re.search(r"omit|without|skip|生略|생략|省略", body):
            return None
        if not (c.mod.obligation or c.mod.soft or c.mod.negative or c.polarity > 0 or _QUANTIFIER.search(body) or _IMPERATIVE.match(body)):
            return None  # "Code style, type hints, async patterns": a list of topics
        return compiled("convention", Convention("functions", "type-hints", public_only=bool(re.search(r"public|公开|공개|公開", body)), under=under))
    if re.search(r"docstrings?|文档字符串|功能说明|函数说明|독스트링|ドキュメンテーション|docstring", body):
        if c.mod.negative and not re.search(r"without|missing|omit|skip|省略|생략", body):
            return None
        if re.search(r"prefer\b.*docstrings?\s+to\s|docstrings?\s+(?:over|instead\s+of|rather\s+than|vs\.?|versus|than|in\s+favou?r\s+of)\s|(?:over|instead\s+of|rather\s+than|than)\s+(?:an?\s+|the\s+)?docstrings?\b|docstrings?,?\s+not\s+(?:inline\s+)?comments?\b", body):
            # "prefer a docstring to an inline comment": how to explain code, not a docstring on every function
            return not_checkable("documentation", "compares docstrings with comments for explaining code; it does not ask for a docstring on every function")
        if lexicon.VAGUE_RE.search(body) or re.search(r"lengthy|long|short|verbose", body):
            return not_checkable(
                "code quality",
                "how good a docstring is cannot be checked; its presence can: write 'Every public function has a docstring'",
            )
        if subject in ("models", "routes", "tasks") and _entity_in(norm)[0] == subject:
            return not_checkable(
                "scope",
                f"asks for docstrings on {subject} only; backendscan checks docstrings of every function, class or module, which would widen it",
            )
        subj = subject if subject in ("functions", "classes", "modules") else "functions"
        if re.search(r"class", body) and re.search(r"module", body):
            return Outcome(
                COMPILED,
                "convention",
                [(Convention("modules", "docstring", public_only=True, under=under), None), (Convention("classes", "docstring", public_only=True, under=under), None)],
            )
        return compiled("convention", Convention(subj, "docstring", public_only=bool(re.search(r"public|publik|pubblic|públic|公开|公共|공개|公開", body)), under=under))
    case = _case_conventions(c, t)
    if case is not None:
        return case
    if not subject:
        return None
    generic = bool(
        c.mod.obligation
        or c.mod.soft
        or c.polarity > 0
        or re.search(r"\b(?:every|all|each|any)\b|所有|每个|每一个|一律|모든|각|すべて|全て|各|tutti|ogni|semua|setiap|mọi|todos|todas|cada", body)
        or (re.match(r"^\s*(?:the\s+)?(?:" + "|".join(p for _, p in _ENTITY_WORDS[:3]) + r")\s+(?:set|sets|have|has|define|defines|declare|declares|use|uses|include|includes|require|requires|are|carry|carries)\b", body))
    )
    if not generic:
        return None
    verbish = re.search(r"\b(?:set|sets|declare|declares|specify|specifies|define|defines|implement|implements|have|has|include|includes|use|uses|pass|passes|provide|provides|with|carry|carries|need|needs|require|requires)\b|必须|需要|설정|정의|지정|포함|둔다|둬야|두어야|가진다|갖는다|있어야|必須|phải|deve|harus|wajib", body)
    # --- methods on models/classes
    dunder = [x for x in codes if re.fullmatch(r"__\w+__", _clean(x))]
    if dunder and subject in ("models", "classes"):
        if not verbish and not c.mod.obligation:
            return None
        return compiled("convention", Convention(subject, "method", names=tuple(_clean(x) for x in dunder), under=under))
    # --- base classes
    mb = re.search(r"\b(?:inherit(?:s)?(?:\s+from)?|subclass(?:es)?|extend(?:s)?|derive(?:s)?\s+from|base(?:d)?\s+on)\b|继承|상속|継承|kế thừa|ereditano|mewarisi|herdam", body)
    if mb and subject in ("models", "classes", "tasks", "routes") and codes and (c.mod.obligation or re.search(r"\b(?:every|all|each|must)\b|所有|每个|必须|모든|반드시|tutti|ogni|semua|setiap|mọi|todos", body)):
        names = tuple(_clean(x) for x in codes)
        return compiled("convention", Convention(subject if subject != "routes" else "classes", "base", names=names, under=under))
    # --- columns on models
    if subject == "models":
        cols = [_clean(x) for x in codes if re.fullmatch(r"[a-z_][a-z0-9_]*", _clean(x))]
        if not cols:
            m_ts = re.search(r"\b(created_at|updated_at|timestamps?)\b", body)
            if m_ts:
                cols = ["created_at", "updated_at"] if m_ts.group(1).startswith("timestamp") else [m_ts.group(1)]
        colword = re.search(r"columns?|fields?|attributes?|primary key|\bpk\b|timestamps?|字段|列|主键|컬럼|필드|칼럼|기본\s*키|カラム|フィールド|主キー|campo|campi|kolom|cột|trường|colunas?|columnas?", body) or (
            codes and all(re.fullmatch(r"(?:created|updated|deleted)_at|id|uuid", _clean(x)) for x in codes))
        if cols and (verbish or c.mod.obligation) and not c.mod.negative and colword:
            alternatives = _and_list_has_or(body) and "/" not in body
            if alternatives:
                return compiled("convention", Convention("models", "column", names=tuple(cols), under=under))
            return Outcome(COMPILED, "convention", [(Convention("models", "column", names=(col,), under=under), None) for col in cols])
    # --- options on routes / tasks
    if subject in ("routes", "tasks") and (verbish or c.mod.obligation or re.search(r"\bset\b|\bsets\b", body)) and not c.mod.negative:
        table = _ROUTE_OPTIONS if subject == "routes" else _TASK_OPTIONS
        groups = _option_groups(body, codes, table)
        known = {v for val in table.values() for v in val.split("|")}
        explicit = re.search(r"\b(?:set|sets|declare|declares|specify|specifies|pass|passes|define|defines|include|includes|carry|carries|have|has|require|requires|need|needs)\b|设置|指定|설정|지정", OPTIONAL.sub(" ", body))
        if groups and not explicit and not all(n in known for g in groups for n in g):
            groups = []
        if groups and not (c.mod.obligation or _QUANTIFIER.search(body)) and not all(n in known for g in groups for n in g):
            groups = []  # "REST API views typically don't need to add `select_related()`": no rule, and not an option
        if groups and not explicit and not codes:
            groups = []  # "routes stay thin and only orchestrate dependencies": the word, not the `dependencies=` option
        if groups and subject == "routes" and not all(n in known for g in groups for n in g):
            other = _ROUTE_OPTION_OWNERS.search(body)
            if other:
                # "API serializers must include a `url` field", "list views don't add `select_related()` on their
                # querysets": the names belong to a serializer, queryset or schema, not to the route's declaration
                return not_checkable(
                    "no checkable form",
                    f"the names belong to code backendscan does not read as facts ('{other.group(0)}': serializers, querysets, "
                    "schemas, fields); a route option is a keyword of the route's declaration (response_model, status_code, tags, ...)",
                )
        if groups:
            return Outcome(COMPILED, "convention", [(Convention(subject, "option", names=g, exceptions=exceptions, under=under), None) for g in groups])
    return None


def _clean(code: str) -> str:
    from .names import clean_code

    return clean_code(code).lstrip("@")


def _option_groups(body: str, codes: list[str], table: dict[str, str]) -> list[tuple[str, ...]]:
    """Required options: one group per "and", alternatives within a group ("a or b")."""
    found: list[tuple[int, str]] = []
    for m in re.finditer(r"⟦(\d+)⟧", body):
        code = codes[[int(x) for x in re.findall(r"⟦(\d+)⟧", body)].index(int(m.group(1)))] if False else None
    placeholders = list(re.finditer(r"⟦(\d+)⟧", body))
    for i, m in enumerate(placeholders):
        name = _clean(codes[i]) if i < len(codes) else ""
        name = name.split("=")[0].strip()
        if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            found.append((m.start(), name))
    taken: list[tuple[int, int]] = []
    for phrase in sorted(table, key=len, reverse=True):
        for m in re.finditer(r"(?<![A-Za-z0-9_⟦])" + re.escape(phrase) + r"(?![A-Za-z0-9_])", body):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), table[phrase]))
    if not found:
        return []
    found.sort()
    groups: list[list[str]] = []
    prev_end = -1
    for pos, name in found:
        between = body[prev_end:pos] if prev_end >= 0 else ""
        alt = "|" in name
        names = name.split("|")
        if groups and re.search(r"\bor\b|/|或|또는|hoặc|oppure|atau|\bou\b", between) and not re.search(r"\band\b|,", between.replace(" or ", "")):
            groups[-1].extend(names)
        else:
            groups.append(list(names))
        prev_end = pos + 1
        _ = alt
    return [tuple(dict.fromkeys(g)) for g in groups]


def _exceptions(t: Text) -> tuple[str, ...]:
    m = re.search(r"\b" + _EXCEPT + r"\b\s*(?:for\s+)?(?:the\s+)?(?P<rest>.+)$", t.norm)
    if not m:
        return ()
    rest = m.group("rest")
    rest = re.sub(r"\b(?:endpoints?|routes?|views?|handlers?|models?|tasks?|ones?|paths?|which|that|are|is|public|by design)\b.*$", "", rest) if not re.search(r"⟦", rest) else rest
    words: list[str] = []
    for piece in re.split(r",|\band\b|\bor\b|/(?![\w{])|、|和|및", rest):
        piece = piece.strip(" .;:")
        if not piece:
            continue
        codes = re.findall(r"⟦(\d+)⟧", piece)
        if codes:
            words.extend(_clean(t.code(int(x))) for x in codes)
        else:
            w = re.sub(r"^(?:the|a|an)\s+", "", piece)
            w = re.sub(r"\s+(?:endpoints?|routes?|paths?|views?)$", "", w)
            if w and len(w.split()) <= 3:
                words.append(w)
    return tuple(words)


def _scope_under(t: Text, body: str) -> tuple[Ref, ...]:
    m = re.search(r"\b(?:under|in|inside|within)\s+(?P<s>⟦\d+⟧(?:\s*(?:,|and|or)\s*⟦\d+⟧)*)", body)
    if not m:
        mr = re.search(r"\bunder\s+(?P<s>.+)$", body)
        if mr:
            return tuple(r for r in _refs(_names(t, mr.start("s"), mr.start("s") + len(mr.group("s")))) if r.text in lexicon.ROLE_WORDS)
        return ()
    refs = []
    for x in re.findall(r"⟦(\d+)⟧", m.group("s")):
        code = _clean(t.code(int(x)))
        if "/" in code or ("." in code and not code.startswith("__") and not code.endswith(")")):
            refs.append(Ref(code))
    return tuple(refs)


_CASES = (
    ("upper", r"upper[_ ]?snake[_ ]?case|screaming[_ ]snake|all[_ ]caps|upper[_ ]case|大写|대문자"),
    ("pascal", r"pascal\s*case|pascalcase|upper\s*camel\s*case|capwords|大驼峰|파스칼|camelcase|camel\s*case|驼峰"),
    ("snake", r"snake[_ ]?case|lower_case_with_underscores|小写下划线|下划线|스네이크|スネーク"),
)


def _case_conventions(c: Clause, t: Text) -> Outcome | None:
    norm = t.restore(t.norm).lower()
    if not re.search(r"case|驼峰|下划线|대문자|스네이크|파스칼|大写", norm):
        return None
    specs: list[tuple[Spec, Severity | None]] = []
    skipped: list[str] = []
    for seg in re.split(r"[,;]|\|", norm):
        case = ""
        for name, pat in _CASES:
            if re.search(pat, seg):
                case = name
                break
        if not case:
            continue
        if re.search(r"camel", seg) and not re.search(r"upper\s*camel|pascal|大驼峰", seg) and re.search(r"function|variable|method", seg):
            skipped.append(seg)
            continue
        seg_plain = re.sub(r"`[^`]*`", " ", seg)
        subjects = []
        if re.search(scripted(r"class(?:es)?|classi|kelas|类|클래스|クラス"), seg_plain):
            subjects.append("classes")
        if re.search(scripted(r"functions?|methods?|funzion[ei]|fungsi|hàm|函数|方法|함수|메서드|関数"), seg_plain):
            subjects.append("functions")
        if re.search(scripted(r"modules?|files?|moduli|模块|文件|모듈|파일|ファイル"), seg_plain) and not re.search(r"template|html|css|\.js|\.ts|component|模板|템플릿|テンプレート", seg):
            subjects.append("modules")
        if re.search(scripted(r"constants?|variables?|costanti|konstanta|常量|变量|상수|변수|定数"), seg_plain) and not subjects:
            skipped.append(seg)
            continue
        for s in subjects:
            specs.append((Convention(s, "case", names=(case,)), None))
    if specs:
        return Outcome(COMPILED, "convention", specs)
    if skipped:
        return not_checkable("naming practice", "constants and variables are not told apart statically; class, function and module names can be checked")
    return None


# ===================================================================== placement
def _placement(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    m = re.search(
        r"\b(?:must\s+|should\s+|always\s+|only\s+)?(?:belongs?|lives?|go(?:es)?|are\s+(?:defined|placed|located|kept|declared|registered|written)|is\s+(?:defined|placed|located|kept)|be\s+(?:defined|placed|kept|put)|are|is)\s+(?:only\s+)?(?:in|under|inside|into|within)\s+(?P<where>.+)$",
        norm,
    )
    m2 = re.search(r"\b(?:put|place|keep|define|create|add|declare|write)\s+(?:all\s+|new\s+|every\s+)?(?P<what>.+?)\s+(?:only\s+)?(?:in|under|inside|into)\s+(?P<where>.+)$", norm)
    if m:
        what = norm[: m.start()]
        where_at = m.start("where")
    elif m2:
        what = m2.group("what")
        where_at = m2.start("where")
    else:
        return None
    subject, _, _ = _entity_in(what)
    stop = re.search(r"\s(?:and\s+(?:be|are|is|get|must|should)|via|through|using|with|so|because|where|which)\b|[;(]", norm[where_at:])
    where_end = where_at + stop.start() if stop else len(norm)
    folders = tuple(r for r in _refs(_names(t, where_at, where_end)) if r.quoted or "/" in r.text or "." in r.text or r.text in lexicon.ROLE_WORDS)
    if not folders:
        return None
    if subject in ("routes", "models", "tasks") and not c.mod.negative:
        if re.search(r"\btests?\b|测试|테스트", what):
            return None
        classes_only = subject == "tasks" and bool(re.search(r"\bclass(?:es)?\b", what))
        return compiled("placement", Placement(subject, folders, classes_only=classes_only))
    if c.mod.negative or not m or not re.search(r"logic|code|schemas?|helpers?|utilit|quer|wiring|services?|clients?|validators?|serializers?|config|constants|exceptions|types|dtos?", what):
        return None
    return not_checkable(
        "placement",
        "places a kind of code backendscan has no facts about (it knows routes, models and tasks); "
        "write an import rule for the folder instead",
    )


# ===================================================================== shared
def _shared(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    m = re.search(r"\b(?:may|can)\s+be\s+(?:imported|used)\s+(?:from|by|in)\s+(?:anywhere|any\s+(?:layer|module|package|code)|every\s+(?:layer|module)|all\s+layers)|\b(?:importable|usable)\s+(?:from\s+)?(?:anywhere|everywhere|by any)|\bare\s+shared\b|\bis\s+shared\b", norm)
    m2 = re.search(r"\bany\s+(?:layer|module|package)\s+(?:may|can)\s+(?:import|use)\b", norm)
    if not (m or m2):
        return None
    if m2:
        names = _refs(_names(t, m2.end(), len(norm)))
    else:
        names = _refs(_names(t, 0, m.start()))  # type: ignore[union-attr]
    if not names:
        return None
    return compiled("shared", Shared(names))


# ===================================================================== bans
_CONSTRUCTS = (
    ("bare-except", r"bare\s+(?:⟦\d+⟧|except(?:\s+clauses?)?|excepts?)|(?:⟦\d+⟧|except)\s*(?:without|with no)\s+(?:an?\s+)?(?:exception|type)|catch(?:-all|ing)?\s+(?:all|everything)|空的?\s*except|빈\s*except|except\s+kosong"),
    ("star-import", r"(?:wildcard|star)\s+imports?|import\s*\*|from\s+\S+\s+import\s+\*"),
    ("relative-import", r"relative\s+imports?"),
    ("local-import", r"imports?\s+(?:inside|within|in)\s+(?:functions?|methods?)|(?:function|method)[- ]level\s+imports?|local\s+imports?"),
    ("third-party-import", r"(?:external|third[- ]party)\s+(?:imports?|dependencies|libraries|packages)"),
    ("raw-sql", r"raw\s+(?:sql|(?:database|db)\s+quer(?:y|ies))(?:\s+quer(?:y|ies)|\s+strings?|\s+statements?)?"),
    ("db-query", r"(?<!raw\s)(?:database|db|sql|orm)\s+quer(?:y|ies)"),
)
_CONSTRUCT_CODES = {"except:": "bare-except", "except": "bare-except", "import *": "star-import", "from x import *": "star-import", "*": "star-import"}


_EXCEPT_CODE = re.compile(r"except\s*:?|except\s+(?:Exception|BaseException)\s*:?")


def _constructs_in(t: Text) -> list[tuple[int, str]]:
    """Constructs a clause names, with their positions.

    "bare" counts only with ``except`` (its object): "a bare `.delay()`" or
    "a bare `Exception`" is no bare-except rule.
    """
    out: list[tuple[int, str]] = []
    for name, pat in _CONSTRUCTS:
        for m in re.finditer(pat, t.norm):
            if name == "bare-except":
                codes = re.findall(r"⟦(\d+)⟧", m.group(0))
                if codes and not all(_EXCEPT_CODE.fullmatch(t.code(int(x)).strip()) for x in codes):
                    continue
            out.append((m.start(), name))
            break
    return sorted(out)


# a word right before a banned name that limits the ban to some of its uses: "a bare `.delay()`",
# "needlessly broad `Model.save()` calls", "no-argument `datetime.now()`", "a blocking `Queue.get()`"
_QUALIFIER = re.compile(
    r"(?:(?<![A-Za-z0-9_])(?:bare|broad|unbounded|blocking|excessive|redundant|nested|naive|unguarded|unchecked|repeated|needless|unnecessar\w*"
    r"|no-?arg(?:ument)?s?|zero-?arg(?:ument)?s?|argument-?less|arg-?less|parameter-?less)|无理由|没有理由|不必要的?|重复|手动|显式)"
    r"\s*(?:(?:calls?\s+(?:to|of)|uses?\s+of)\s+)?$"
)
_NO_ARGS_AFTER = re.compile(r"^\s*(?:calls?\s+)?(?:without\s+(?:any\s+)?(?:arguments?|args?|parameters?)|with\s+no\s+(?:arguments?|args?|parameters?))\b")
# words after the banned name that make it a condition on some calls only
_CONDITION = re.compile(
    r"(?<![A-Za-z0-9_])(?:when|whenever|while|if|unless|during|before|after|until|once|on\s+(?:a|an|the|every|each|any)|across|per\s+(?:row|item|object|record|request|iteration|call|loop)"
    r"|without|with\s+(?:a|an|no|the|any)|against|back\s+to|into)(?![A-Za-z0-9_])|无理由|除非|如果|的时候|경우|とき|場合"
)
_SOFT_CONDITION = re.compile(r"\b(?:when|where|if)\s+(?:possible|feasible|appropriate|needed|necessary|practical)\b")
# verbs that act on a name without using (calling or importing) it: "never gate `Queue.get()` on ...",
# "do not swap `a()` back to `b()`", "never suggest a default for `options.get()`"
_NON_USE_VERB = re.compile(
    r"(?<![A-Za-z0-9_-])(?:gate|gating|swap|catch|re-?raise|suggest|bypass|mock|patch|rename|change|modify|edit|remove|delete|compare|parse|override|shadow|wrap|cache"
    r"|document|assign|mutate|expose|duplicate|copy|trust|assume|store|serialize|pass|bake|name|reorder|move)(?![A-Za-z0-9_-])"
)
_SCOPE_PHRASE = re.compile(
    r"(?<![A-Za-z0-9_])(?:in(?!\s+(?:favou?r|place|order|case|addition|particular|general)\b)|inside|within|under|during|throughout)\s+(?P<obj>.+?)"
    r"(?=\s*(?:[,;.(]|—|\s-\s|(?<![A-Za-z0-9_])(?:but|use|instead|rather|so|because|to|with|when|while|if|unless|except|outside|from|than|over|not)(?![A-Za-z0-9_])|$))"
)
_GLOBAL_SCOPE = re.compile(
    r"^(?:(?:the|our|any|all|every|new|production|prod|application|app|source|backend|python|library|committed|server|shipped|runtime)\s+)*"
    r"(?:production|prod|code(?:base)?|modules?|files?|source|project|repo(?:sitory)?|package|application|app|form|way|case|layer|general|practice|anywhere|places?|src)\b"
)
_TEST_SCOPE = re.compile(r"(?<![A-Za-z0-9_])(?:tests?|test\s+(?:code|files?|suites?|modules?|cases?|helpers?)|testing|pytest|unit\s+tests?)(?![A-Za-z0-9_])|测试|테스트|テスト")
_ASYNC_SCOPE = re.compile(r"async|asynchronous|coroutines?|异步|비동기|非同期")
_FUNCTIONS_SCOPE = re.compile(r"^(?:the\s+|a\s+|an\s+)?(?:functions?|methods?|function\s+bodies)\b")


def _scope_problem(c: Clause, t: Text, spans: Sequence[tuple[int, int]]) -> Outcome | None:
    """A scope the ban cannot keep: tests, or a place ("in request-handling code") that names no module.

    ``spans`` are the parts of the clause that are not about where (the
    replacement, the banned names).  Compiling such a ban without its scope
    would widen it to the whole project, so it is not checkable instead.
    """
    norm = t.norm
    for ctx_text in c.context.split(" / ") if c.context else ():
        if _TEST_SCOPE.search(ctx_text):
            return not_checkable("testing practice", "a rule for test code, which the gate does not check (tests are left out of rule checks)")
    for m in _SCOPE_PHRASE.finditer(norm):
        if any(a <= m.start() < b for a, b in spans):
            continue
        before = norm[max(0, m.start() - 24) : m.start()]
        if re.search(r"(?:outside(?:\s+of)?|except|other\s+than|apart\s+from|anywhere)\s*$", before):
            continue  # "outside tests", "except in `app/cli/`": an exemption, kept or harmless
        obj = m.group("obj").strip()
        if _names(t, m.start("obj"), m.end("obj")) and any(_scope_ref(o.ref) for o in _names(t, m.start("obj"), m.end("obj"))):
            continue
        plain = re.sub(r"^(?:the|a|an|any|all|our|every)\s+", "", obj)
        if _ASYNC_SCOPE.search(t.restore(plain).lower()) or _FUNCTIONS_SCOPE.match(plain) or _GLOBAL_SCOPE.match(plain) or not plain:
            continue
        if _TEST_SCOPE.search(plain):
            return not_checkable("testing practice", "a rule for test code, which the gate does not check (tests are left out of rule checks)")
        return not_checkable(
            "scope",
            f"the ban holds only in '{t.restore(obj)}', which names no module backendscan can map (compiling it for the whole project "
            "would widen it); name the folder or module, e.g. 'under `app/api/`'",
        )
    return None


def _limited_use(t: Text, occ: Sequence[Occurrence], tail_end: int) -> Outcome | None:
    """The ban is about some uses only (a qualifier, a condition, no arguments): not checkable on call sites."""
    norm = t.norm
    if not occ:
        return None
    names = ", ".join(str(o.ref) for o in occ)
    for o in occ:
        if _QUALIFIER.search(norm[max(0, o.start - 48) : o.start]):
            if re.search(r"no-?arg|zero-?arg|argument-?less|arg-?less|parameter-?less", norm[max(0, o.start - 48) : o.start]):
                break
            return not_checkable(
                "conditional ban",
                f"bans only some uses of {names} (a qualifier such as 'bare', 'broad' or 'blocking' limits it), which call sites do not show; "
                "banning every use would widen it",
            )
    else:
        last = max(o.end for o in occ)
        tail = _SOFT_CONDITION.sub(" ", norm[last:tail_end])
        if not _NO_ARGS_AFTER.match(tail):
            m = _CONDITION.search(tail)
            if m is None:
                return None
            return not_checkable(
                "conditional ban",
                f"bans {names} only under a condition ('{t.restore(tail[m.start():].strip())[:60]}'), which static analysis of call sites "
                "cannot tell apart; banning every use would widen it",
            )
    return not_checkable(
        "conditional ban",
        f"bans only calls of {names} without arguments; backendscan's call facts carry no argument count, and banning every call "
        "would widen the rule",
    )


def _replacement_home(t: Text, start: int, end: int) -> tuple[Ref, ...]:
    """"use `now()` from `app/timeutil.py`": the module the replacement comes from may use what is banned."""
    m = re.search(r"\bfrom\s+(?:the\s+)?(?P<w>⟦\d+⟧)", t.norm[start:end])
    if not m:
        return ()
    refs = _refs(_names(t, start + m.start("w"), start + m.end("w")))
    return tuple(r for r in refs if "/" in r.text or ("." in r.text and not r.text.endswith(")") and re.fullmatch(r"[A-Za-z_][\w.]*", r.text)))


_DESCRIPTIVE_VERB = re.compile(r"(?<![A-Za-z0-9_])(?:is|are|was|were|gets|becomes|returns|raises|reads|writes|sends|uses|calls|does|has|happens|runs|lives)(?![A-Za-z0-9_])")
_REPLACEMENT_MARK = re.compile(r"instead of|rather than|in favou?r of|\(not |, not |replace|替代|대신|invece|bukan|thay vì|em vez|en lugar|\bbut\b|\bover\b")
_DIRECTIVE_VERB = re.compile(r"(?<![A-Za-z0-9_])(?:use|prefer|choose|pick|call|import|write|switch\s+to|go\s+with|rely\s+on|replace|adopt|favou?r|usare|usa|gunakan|dùng|sử dụng|usar)(?![A-Za-z0-9_])|使用|用|사용|써")


def _replacement_match(norm: str) -> "re.Match[str] | None":
    """Where "use Y instead of X" (and its variants) puts Y and X, if the clause has that shape."""
    return (
        re.search(r"(?:\bnot|\bnever|n't)\s+(?:[a-z]+\s+){0,2}?(?P<x>⟦\d+⟧(?:\s*(?:,|or|/)\s*⟦\d+⟧)*)\s*,?\s+but\s+(?:rather\s+)?(?:use\s+|write\s+|call\s+)?(?P<y>⟦\d+⟧.*)$", norm)
        or re.search(r"\b(?:use|prefer|choose|pick)\s+(?P<y>.+?)\s*(?:,\s*)?(?:instead\s+of|rather\s+than|in\s+favou?r\s+of|over|not|and\s+not|but\s+not|in\s+place\s+of)\s+(?P<x>.+)$", norm)
        or re.search(r"^(?P<y>.+?)\s*(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+(?P<x>.+)$", norm)
        or re.search(r"^(?P<y>.+?)\s*\(\s*not\s+(?P<x>[^)]+)\)", norm)
        or re.search(r"\bavoid\s+(?P<x>.+?)\s+in\s+favou?r\s+of\s+(?P<y>.+)$", norm)
        or re.search(r"\breplace\s+(?P<x>.+?)\s+with\s+(?P<y>.+)$", norm)
        or re.search(r"用\s*(?P<y>.+?)\s*(?:替代|代替|取代)\s*(?P<x>.+)$", norm)
        or ("대신" in norm and re.search(r"^(?P<x>.+?)\s*대신\s*(?P<y>.+?)(?:을|를)?\s*(?:사용|써)", norm))
        or re.search(r"\b(?:usare|usa|gunakan|dùng|sử dụng|usar|use)\s+(?P<y>.+?)\s+(?:invece di|bukan|thay vì|em vez de|en lugar de)\s+(?P<x>.+)$", norm)
    )


def _replacement(c: Clause, t: Text) -> Outcome | None:
    """"use Y instead of X" / "prefer Y over X" / "Y, not X" / "do not write X but Y": X is banned, never Y."""
    norm = t.norm
    marks = list(re.finditer(r"instead\s+of|rather\s+than", norm))
    if len(marks) > 1:
        # "Bulk `qs.update()` instead of saving per row, and `.iterator()` instead of `list()`": one pair per part
        parts = [p for p in re.finditer(r"[^;]+?(?=,\s*and\s+|;|$)", norm) if p.group(0).strip(" ,")]
        if len(parts) > 1:
            outs = []
            for p in parts:
                sub = Text(t.raw, " " * p.start() + p.group(0), t.codes)  # positions kept
                o = _replacement(c, sub)
                if o is not None:
                    outs.append(o)
            specs = [sp for o in outs if o.status == COMPILED for sp in o.specs]
            if specs:
                return Outcome(COMPILED, "ban", specs)
            outs.sort(key=lambda o: o.kind not in ("conditional ban", "scope", "testing practice"))
            return outs[0] if outs else None
    repl = _replacement_match(norm)
    if not repl:
        return None
    ys, ye = repl.span("y")
    xs_, xe = repl.span("x")
    # a directive, not a description: "a missing key is reported as `None` rather than raising `KeyError`"
    lead = norm[: min(ys, xs_)] + " " + norm[ys:ye]
    if not (c.mod.modal or c.polarity or _DIRECTIVE_VERB.search(lead)) and _DESCRIPTIVE_VERB.search(norm[: max(ys, xs_)]):
        return Outcome(NOT_CHECKABLE, "descriptive", reason="describes what the code does instead of something else; it states no rule")
    # the banned part ends where the sentence moves on: "..., and keep ...", ";", a dash
    if xs_ > ys:
        cut = re.search(r",\s*(?:and|but)\s+(?!⟦)|;|—|\s-\s|\((?!\s*(?:⟦\d+⟧\s*)?\))", norm[xs_:xe])
        if cut:
            xe = xs_ + cut.start()
    ys_occ = _names(t, ys, ye)
    lib_pair = any(o.kind in ("lib", "code") for o in ys_occ)
    x_occ = [o for o in _names(t, xs_, xe) if _bannable(o, t) or (lib_pair and o.kind == "lib" and _FOLLOW_OK.match(norm[o.end : o.end + 24]))]
    x_occ = [o for o in x_occ if not _NON_USE_VERB.search(norm[xs_ : o.start])]
    if not x_occ:
        return None
    scope_problem = _scope_problem(c, t, [(o.start, o.end) for o in x_occ + ys_occ[:1]])
    if scope_problem is not None:
        return scope_problem
    limited = _limited_use(t, x_occ, xe if xs_ > ys else min(xe, ys))
    if limited is not None:
        return limited
    names = tuple(dict.fromkeys(_ban_name(o) for o in x_occ))
    y = ys_occ[0].ref.text if ys_occ else ""
    under: tuple[Ref, ...] = ()
    for m in _SCOPE_PHRASE.finditer(norm):
        under += tuple(r for r in _refs(_names(t, m.start("obj"), m.end("obj"))) if _scope_ref(r) and r.text not in names)
    outside = _replacement_home(t, ys, ye)
    soft = bool(re.search(r"\bprefer|over\b", norm)) and c.mod.soft
    return compiled("ban", Ban(names, under=tuple(dict.fromkeys(under)), outside=outside, replacement=y), severity=Severity.WARNING if soft else None)


_QUERY_COUNT = re.compile(
    r"per[- ](?:request|row|item|object|record|iteration)|hot[- ]paths?|\bin\s+(?:a\s+)?loops?\b|\bn\s*\+\s*1\b|"
    r"\b(?:extra|additional|unnecessary|redundant|repeated|duplicate)\s+(?:(?:database|db|sql|orm)\s+)?quer"
)


def _ban(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    repl_out = _replacement(c, t)
    if repl_out is not None and repl_out.status == COMPILED:
        return repl_out
    if not c.mod.negative:
        return repl_out if repl_out is not None and repl_out.kind != "descriptive" else None
    # names on the recommended side of "prefer Y over X" are never banned
    protected: tuple[int, int] = (-1, -1)
    prefer = _replacement_match(norm)
    if prefer:
        protected = (prefer.start("y"), prefer.end("y") if prefer.start("y") > prefer.start("x") else prefer.start("x"))
    found_constructs = _constructs_in(t)
    constructs = [name for _, name in found_constructs]
    if ("db-query" in constructs or "raw-sql" in constructs) and _QUERY_COUNT.search(norm):
        # "don't add per-request DB queries to hot paths": how many queries run, and when, is run time
        return not_checkable(
            "runtime",
            "about how many queries run or when (per request, per row, in loops, on hot paths); no call site shows it",
        )
    # names that are banned: code spans and library words, not layer names
    scope_at = _scope_start(norm)
    occ = [o for o in _names(t, 0, scope_at) if _bannable(o, t) and not protected[0] <= o.start < protected[1]]
    for o in list(occ):
        code_construct = _CONSTRUCT_CODES.get(o.ref.text.strip())
        if code_construct:
            if code_construct not in constructs:
                found_constructs.append((o.start, code_construct))
                constructs.append(code_construct)
            occ.remove(o)
    if not occ and not constructs:
        return repl_out if repl_out is not None and repl_out.kind != "descriptive" else None
    # "no `x` imports in `y`" where x is a layer is an import rule, handled before
    replacement = ""
    scope_end = len(norm)
    mr = re.search(r"(?:,|;|—|-|\()\s*(?:统一|一律|请|应|改|instead\s+)?\s*(?:use|prefer|utilize|使用|用|사용|usare|usa|gunakan|dùng|sử dụng|usar|utilizar)\s*(?P<y>.+)$", norm)
    outside_home: tuple[Ref, ...] = ()
    if mr:
        ys = _names(t, mr.start("y"), len(norm))
        if ys:
            replacement = ys[0].ref.text
            occ = [o for o in occ if o.start < mr.start()]
            scope_end = mr.start()
            outside_home = _replacement_home(t, mr.start("y"), len(norm))
    if occ:
        first = min(o.start for o in occ)
        verb = _NON_USE_VERB.search(norm[max(0, first - 40) : first])
        if verb and re.fullmatch(r"catch|re-?raise|wrap", verb.group(0)):
            # "don't catch and re-raise as `XError`": how errors travel, not a ban on the class
            return not_checkable(
                "error handling",
                "error-handling practice (how an exception is caught, re-raised or wrapped), not a ban on using the name; no call site shows it",
            )
        if verb:
            # "never gate `Queue.get()` on ...": the verb acts on the name without banning its use
            return not_checkable("no checkable form", "the verb acts on the names (gate, swap, catch, suggest...) rather than banning their use; nothing a call site shows")
    spans = [(o.start, o.end) for o in occ] + ([(mr.start(), len(norm))] if mr else []) + ([protected] if protected[0] >= 0 else [])
    problem = _scope_problem(c, t, spans)
    if problem is not None and (occ or not constructs or problem.kind == "testing practice"):
        return problem
    limited = _limited_use(t, occ, scope_end)
    if limited is not None:
        return limited
    under, outside, in_async = _ban_scope(Text(t.raw, norm[:scope_end], t.codes), min(scope_at, scope_end), c)
    outside = tuple(dict.fromkeys(outside + outside_home))
    ordered = sorted([(o.start, _ban_name(o)) for o in occ] + [(p, n) for p, n in found_constructs])
    names = tuple(dict.fromkeys(n for _, n in ordered))
    if not names:
        return None
    if not under:
        # "services must not call `session.commit()`": the layer named before the prohibition scopes the ban
        ms = re.match(r"^(?P<s>.+?)\s+(?:(?:must|should|shall|may|can|do|does)\s*(?:not|never|n't)|never)\b", norm)
        if ms:
            subj = [o for o in _names(t, 0, ms.end("s")) if not _bannable(o, t)]
            if subj and all(o.ref.text in lexicon.ROLE_WORDS or "/" in o.ref.text or (o.ref.quoted and "." in o.ref.text) for o in subj):
                under = _refs(subj)
    if not under and c.subject:
        # a heading naming a library ("Logging") is a topic, not a place
        under = tuple(r for r in c.subject if r.text not in lexicon.LIBRARIES and r.text not in names)
    return compiled("ban", Ban(names, under=under, outside=outside, replacement=replacement, in_async=in_async))


_COMMON_WORD_LIBS = {"requests", "logging", "print", "eval", "exec", "pickle", "unittest.mock", "typing.Any", "assert", "redis", "celery", "jwt", "mock", "subprocess", "rq"}
_FOLLOW_OK = re.compile(
    r"^\s*(?:$|[,.;:)(/|—–-]|\b(?:is|are|was|be|in|under|outside|except|anywhere|at|on|from|calls?|imports?|usage|statements?|"
    r"should|must|may|can|cannot|can't|will|shall|never|not|isn't|aren't|use|used|allowed|banned|forbidden|"
    r"library|libraries|modules?|packages?|directly|and|or|nor|for|itself|entirely|anymore|at all|but|since|without|with|when|while|if|unless|on|inside|within|across|during|before|after)\b|[^\x00-\x7f])"
)


def _bannable(o: Occurrence, t: Text) -> bool:
    """A code span or library word that names a library, call or construct (not a layer/path).

    A library word written without backticks that is also a common English
    word ("requests", "logging") needs backticks or "library"/"module" after
    it; a name followed by a noun is an adjective ("SQLAlchemy warnings",
    "the logging setup"), not the thing banned; ALL-CAPS names are constants
    or SQL keywords.
    """
    after = t.norm[o.end : o.end + 24]
    if not _FOLLOW_OK.match(after) or re.match(r"^\s*(?:请求头|头部|字段|参数|属性|变量|헤더|필드|변수|ヘッダ|フィールド|変数)", after):
        return False
    if o.kind == "lib":
        if o.ref.text in _COMMON_WORD_LIBS or o.ref.text in lexicon.LIBRARY_GROUPS:
            return bool(re.match(r"^\s*(?:library|libraries|module|package)\b", after))
        return True
    if o.kind == "code":
        text = o.ref.text
        mcode = PLACEHOLDER.fullmatch(t.norm[o.start : o.end].strip())
        if mcode and t.code(int(mcode.group(1))).strip().endswith("/"):
            return False  # `core/`: a folder
        if "/" in text or text.endswith(".py") or re.match(r"(?:self|cls)\.", text):
            return False  # a path, or an attribute of the instance (`self._attr`): nothing a call site or import names
        if re.search(r"\.(?:md|mdc|rst|txt|ya?ml|json|toml|cfg|ini|lock|html?|css|jsx?|tsx?|env|sql|csv)$", text, re.I):
            return False  # `AGENTS.md`, `settings.json`: a file, not a call or an import
        if len(text) > 1 and text.replace("_", "").isupper():
            return False
        if re.fullmatch(r"[A-Za-z_][\w.]*|except:?|import \*|from \S+ import \*|@[\w.]+|[\w.]+\(\)", text):
            return True
        return bool(re.fullmatch(r"except\s*:|except\s+Exception\s*:?", text))
    return False


_TYPING_NAMES = {"Any", "Optional", "Union", "List", "Dict", "Tuple", "Set", "Type", "cast"}


def _ban_name(o: Occurrence) -> str:
    text = o.ref.text.strip().lstrip("@")
    if text in _TYPING_NAMES:
        return "typing." + text
    return _CONSTRUCT_CODES.get(text, text)


def _scope_start(norm: str) -> int:
    m = re.search(r"\b(?:in|under|inside|within|outside(?:\s+of)?|except\s+in|anywhere\s+(?:in|under)|from)\s+(?!functions?\b|methods?\b)(?=(?:the\s+|any\s+|our\s+|production\s+|async\s+)?(?:⟦|\w))", norm)
    return m.start() if m else len(norm)


def _ban_scope(t: Text, at: int, c: Clause) -> tuple[tuple[Ref, ...], tuple[Ref, ...], bool]:
    norm = t.norm
    tail = norm[at:]
    in_async = bool(re.search(r"async|asynchronous|异步|비동기|非同期", t.restore(tail).lower()))
    outside: tuple[Ref, ...] = ()
    under: tuple[Ref, ...] = ()
    mo = re.search(r"\b(?:outside(?:\s+of)?|except\s+in|other\s+than\s+in|apart\s+from)\s+", tail)
    if mo:
        outside = _scope_refs_only(_refs(_names(t, at + mo.end(), len(norm))))
        tail_under = tail[: mo.start()]
        under = tuple(r for r in _refs(_names(t, at, at + mo.start())) if _scope_ref(r))
    else:
        under = tuple(r for r in _refs(_names(t, at, len(norm))) if _scope_ref(r))
        _ = tail
    if re.search(r"production|prod code|生产", tail) and not under:
        under = ()
    return under, outside, in_async


def _scope_ref(r: Ref) -> bool:
    return r.text not in ("async def", "async", "def") and not r.text.startswith("async ")


def _scope_refs_only(refs: tuple[Ref, ...]) -> tuple[Ref, ...]:
    return tuple(r for r in refs if _scope_ref(r))


# ===================================================================== modifiers
def _modifier(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    raw = t.raw.lower()
    if ("type_checking" in raw or re.search(r"type[- ]checking", norm)) and not _CYCLE.search(norm) and not _VERB_RE.search(norm.replace("imports", "")):
        if re.search(r"not count|don'?t count|do not count|excluded|ignored|are skipped|not counted|doesn'?t count|不计|제외|무시", norm):
            return Outcome(COMPILED, "option", modifier=("type_checking", False))
        if re.search(r"\bcount\b|included|are checked", norm):
            return Outcome(COMPILED, "option", modifier=("type_checking", True))
    if re.search(r"(?:only|just)\s+(?:import\s+)?(?:from\s+)?the\s+(?:layer|one|level)\s+(?:directly\s+|immediately\s+|right\s+)?(?:below|beneath|under)|never\s+skip\s+(?:a\s+)?layers?|no\s+layer[- ]skipping|must\s+not\s+skip\s+(?:a\s+)?layers?|layers?\s+(?:must|may|can)\s+not\s+be\s+skipped|skip(?:ping)?\s+(?:a\s+)?layers?\s+is\s+(?:not allowed|forbidden)|are\s+closed|不能跨层|不得跨层|禁止跨层|건너뛰", norm):
        exempt: tuple[Ref, ...] = ()
        m = re.search(r"any\s+layer\s+(?:may|can)\s+(?:import|use)\s+(?P<x>.+)$|(?P<y>.+?)\s+(?:may|can)\s+be\s+imported\s+(?:from|by)\s+any", norm)
        if m:
            start = m.start("x") if m.group("x") else m.start("y")
            end = m.end("x") if m.group("x") else m.end("y")
            exempt = _refs(_names(t, start, end))
        return Outcome(COMPILED, "layers", modifier=("closed", exempt))
    if re.search(
        r"nothing\s+(?:imports|points|depends|reaches)\s+(?:back\s+)?(?:up|upward|upwards)|(?:flow|point|go)s?\s+(?:downward|downwards|down|inward|inwards)\s*(?:only)?"
        r"|only\s+(?:depend|point|flow)s?\s+(?:forward|downward|inward)|never\s+the\s+other\s+way|no\s+(?:layer|module)\s+(?:reaches|imports|points)\s+(?:back\s+)?up"
        r"|lower\s+layers?\s+(?:must\s+|should\s+|may\s+)?(?:never|not)\s+(?:import|depend\s+on|know\s+about)\s+(?:from\s+)?(?:the\s+)?higher|(?:no|never)\s+(?:import(?:ing)?|depend(?:ing|encies)?)\s+upwards?"
        r"|backward\s+imports?\s+(?:are\s+)?(?:forbidden|not allowed)|upward\s+imports?\s+(?:are\s+)?(?:forbidden|not allowed)|向下|아래\s*(?:방향)?으로만|下方向のみ|chỉ\s+(?:đi\s+)?xuống",
        norm,
    ):
        return Outcome(COMPILED, "layers", modifier=("direction", None))
    return None


_ABOVE = re.compile(r"\b(?:sits?|is|are|lives?|stays?)\s+(?:above|on top of|over)\s+|\b(?:is|are)\s+(?:a\s+)?higher(?:\s+layer)?\s+than\s+")
_BELOW = re.compile(r"\b(?:sits?|is|are|lives?|stays?)\s+(?:below|beneath|under(?:neath)?)\s+|\b(?:is|are)\s+(?:a\s+)?lower(?:\s+layer)?\s+than\s+")


def _above(c: Clause, t: Text) -> Outcome | None:
    norm = t.norm
    for pat, flip in ((_ABOVE, False), (_BELOW, True)):
        m = pat.search(norm)
        if not m:
            continue
        hi = _refs(_names(t, 0, m.start()))
        lo = _refs(_names(t, m.end(), len(norm)))
        if len(hi) == 1 and len(lo) == 1:
            a, b = (lo[0], hi[0]) if flip else (hi[0], lo[0])
            return compiled("layers", Layers(layers=((a,), (b,)), independent=(True, True)))
    return None


# ===================================================================== classification
_DOC_FILE = re.compile(r"\.(?:md|mdc|txt|json|ya?ml|toml|ini|cfg|env|lock|csv|html?|css|js|ts|tsx|jsx|sql|sh|gitignore|nvmrc)$|^\.|^/|^--|\{|\s")
_IDENT = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$")


def _cues(c: Clause, t: Text) -> list[str]:
    """Which checkable forms a clause comes close to (empty: nothing backendscan could check)."""
    norm = t.norm
    occ = occurrences(t)
    code_names = [o for o in occ if o.kind in ("code", "bare") and _IDENT.match(o.ref.text) and not _DOC_FILE.search(o.ref.text)]
    module_names = [o for o in occ if o.kind == "role" or (o.kind in ("code", "bare") and ("/" in o.ref.text and not _DOC_FILE.search(o.ref.text.rsplit("/", 1)[-1]) or (_IDENT.match(o.ref.text) and "." in o.ref.text)))]
    libs = [o for o in occ if o.kind == "lib"]
    cues = []
    verb = lexicon.IMPORT_WORDS_RE.search(norm) or re.search(r"\bdepend|\bimport", norm)
    if verb and len(module_names) + len(libs) >= 2 and (c.mod.negative or re.search(r"\bonly\b|只能|만|chỉ|solo|hanya", norm)):
        cues.append("import")
    if c.mod.negative and (code_names or libs) and not verb:
        cues.append("ban")
    masked = _mask(norm)
    if re.search(r"\d", masked) and any(re.search(p, norm, re.I) for _, p in _METRIC_WORDS) and re.search(_UNIT_LINES + r"|complex|param|argument|maintainab|character|字符|자", norm):
        cues.append("limit")
    entity = _entity(c.subject) or _entity_in(norm)[0]
    if entity in ("routes", "models", "tasks") and code_names and (c.mod.obligation or re.search(r"\b(?:set|sets|have|has|define|defines|declare|declares|inherit|inherits|require|requires)\b|继承|상속|必须|필수", norm)):
        cues.append("convention")
    if entity in ("routes", "models", "tasks") and re.search(r"\b(?:in|under|inside)\b", norm) and any("/" in o.ref.text for o in occ):
        cues.append("placement")
    return cues


def classify_rest(c: Clause, t: Text) -> Outcome:
    """A clause no form matched: not checkable (with the reason) or unrecognized (with a suggestion).

    It is ``unrecognized`` only when it comes close to a form backendscan can
    check (an import verb between two modules, a banned code name, a measured
    number, a framework entity with a requirement); everything else is
    classified with the reason it cannot be checked.
    """
    norm = t.norm
    strong = ("data and domain", "agent behaviour", "version control", "tooling", "testing practice", "documentation", "frontend", "runtime", "security intent", "environment", "change control")
    for category, pat in lexicon.NOT_CHECKABLE:
        if category in strong and (pat.search(t.raw) or pat.search(norm)):
            return not_checkable(category, _REASONS.get(category, "a rule about " + category + ", which no static analysis of the code can verify"))
    cues = _cues(c, t)
    if cues:
        return unrecognized("reads like a rule about the code, but matches no form backendscan can check", suggest(c, t, cues))
    for category, pat in lexicon.NOT_CHECKABLE:
        if pat.search(t.raw) or pat.search(norm):
            return not_checkable(category, _REASONS.get(category, "a rule about " + category + ", which no static analysis of the code can verify"))
    has_modal = c.mod.modal or c.polarity != 0
    imperative = re.match(r"^\s*(?:use|keep|make|ensure|write|add|create|put|follow|prefer|avoid|always|never|do|don'?t|handle|return|raise|check|validate|define|implement|wrap|pass|apply|store|log|call|set|map|extend|update|read|verify|preserve|resolve|transform|filter|herdar|usar|ler|verificar|filtrar|criar|adicionar|manter|evitar|usa|leggi|segui|evitare|modificare|cambiare|gunakan|buat|pastikan|tambahkan|dùng|tạo|luôn)\b", norm)
    if not has_modal and not imperative:
        return not_checkable("descriptive", "describes the project; it states no rule")
    if re.search(r"(?<![A-Za-z0-9_])(?:use|using|utilize|adopt|usar|use|usare|utilizzare|gunakan|menggunakan|dùng|sử dụng)(?![A-Za-z0-9_])|使用|采用|사용|利用|採用", norm) and not c.mod.negative:
        return not_checkable(
            "positive usage",
            "'use X' cannot be checked without knowing what X replaces; write 'use X instead of Y' to ban Y",
        )
    return not_checkable(
        "no checkable form",
        "a process, design or domain statement: it names nothing whose imports, calls, size or framework facts could be checked",
    )


_REASONS = {
    "agent behaviour": "addresses the assistant or a person, not the code",
    "version control": "about commits, branches or reviews, not the code",
    "tooling": "about tools and commands, not the code",
    "testing practice": "about writing or running tests",
    "documentation": "about documentation, not the code",
    "runtime": "about run time behaviour (latency, timeouts, rates), which static analysis does not measure",
    "security intent": "about runtime data handling (secrets, validation); needs review or a taint analysis",
    "frontend": "about frontend code, outside a Python backend",
    "code quality": "a judgement of quality with no measurable threshold",
    "change control": "about which changes are allowed, checkable only against a diff and a request",
    "data and domain": "about business rules and runtime data",
    "environment": "about the environment and deployment",
    "logging practice": "about what to log, which is judged in review",
    "naming practice": "a naming guideline without a checkable pattern",
    "error handling": "about how errors are handled at run time",
}


def suggest(c: Clause, t: Text, cues: Sequence[str] = ()) -> str:
    """The closest compilable phrasing for an unrecognized clause, filled with its names."""
    norm = t.norm
    if cues and cues[0] == "ban":
        keep = _replacement_match(norm)
        kept = (keep.start("y"), keep.end("y")) if keep else (-1, -1)
        # never suggest banning what the clause recommends ("prefer `dataclass` over ad-hoc dicts")
        names = [str(o.ref) for o in occurrences(t) if o.kind in ("code", "lib") and not kept[0] <= o.start < kept[1]]
        return f"{names[0] if names else '`x`'} is banned" + (" under `app/`" if re.search(r"\b(?:in|under)\b", norm) else "")
    if cues and cues[0] == "convention":
        ent = _entity(c.subject) or _entity_in(norm)[0]
        return {"routes": "Every endpoint sets `response_model`", "models": "Every model has a `created_at` column", "tasks": "Every task sets `max_retries`"}.get(ent, "Every model defines `__str__`")
    names = [str(o.ref) for o in occurrences(t)]
    a = names[0] if names else "`app.api`"
    b = names[1] if len(names) > 1 else "`app.db`"
    if re.search(r"\bonly\b", norm):
        return f"Only {a} may import {b}" if len(names) > 1 else f"{a} may only import `app.models`"
    if lexicon.IMPORT_WORDS_RE.search(norm) or re.search(r"depend|access|call|talk", norm):
        return f"{a} must not import {b}"
    if re.search(r"\d", _mask(norm)):
        return "Functions must be at most 50 lines (also: files, parameters, cyclomatic complexity, maintainability index)"
    if re.search(r"endpoint|route|view|handler", norm):
        return "Every endpoint sets `response_model` (or: requires authentication, except `/health`)"
    if re.search(r"model|table", norm):
        return "Every model defines `__str__` (or: has a `created_at` column)"
    if re.search(r"task|job|celery", norm):
        return "Every task sets `max_retries`"
    if re.search(r"\b(?:in|under|inside)\b", norm):
        return f"{a} is banned under `app/`"
    return f"{a} is banned" if names else "`requests` is banned, use `httpx`"


# ===================================================================== driver
Form = Callable[[Clause, Text], "Outcome | None"]
# ===================================================================== import style
_ABSOLUTE = re.compile(
    r"absolute\s+imports?|imports?\s+(?:use|with|using)\s+absolute|absolute\s+(?:import\s+)?paths?|绝对导入|絶対インポート|절대\s*(?:경로\s*)?(?:import|임포트)"
    r"|import\s+assolut[io]|impor\s+absolut|import\s+tuyệt\s+đối|importações\s+absolutas|imports?\s+absolutos|importaciones\s+absolutas"
)
_TOP_IMPORTS = re.compile(r"imports?(?:\s+statements?)?\s+(?:at|on)\s+(?:the\s+)?(?:top\s+of\s+(?:the\s+|each\s+|every\s+)?(?:module|file)|module\s+top|module\s+level)")
_LOCAL_IMPORTS = re.compile(
    r"imports?(?:\s+statements?)?\s+(?:inside|within|in)\s+(?:functions?|methods?|function\s+bodies)|(?:function|method)[- ]level\s+imports?|local\s+imports?|inline\s+imports?"
    r"|(?:inside|within|in)\s+(?:functions?|methods?)(?:\s+or\s+(?:functions?|methods?))?\s*$"
    r"|函数内(?:部)?(?:的)?导入|在函数(?:内部|中|里)导入|함수\s*(?:내부|안)(?:에서)?\s*(?:import|임포트)"
)


def _import_style(c: Clause, t: Text) -> Outcome | None:
    """"use absolute imports" bans relative ones; "imports at the module top" bans imports inside functions."""
    plain = re.sub(r"`", "", t.raw).lower()
    if not re.search(r"import|导入|임포트|インポート|impor", plain):
        return None
    negated = c.mod.negative or bool(re.search(r"\b(?:never|no|not|avoid|don'?t)\b|禁止|不要|不得|금지|하지\s*마", plain))
    if negated and any(re.search(pat, t.norm) for name, pat in _CONSTRUCTS if name in ("local-import", "relative-import")):
        return None  # "imports inside functions are banned (under X, in async code, use Y)": the ban form reads it all
    names: list[str] = []
    if _ABSOLUTE.search(plain) and not re.search(r"(?:never|don'?t|do not|avoid)\s+(?:use\s+)?absolute", plain):
        names.append("relative-import")
    top = _TOP_IMPORTS.search(plain)
    if top and not negated and re.search(r"\b(?:keep|put|place|must|should|always|belong|go)\b|^\s*imports?\s+(?:at|on)\b", plain):
        names.append("local-import")
    elif (top or _LOCAL_IMPORTS.search(plain)) and negated and not re.search(r"top[- ]level\s+of|at\s+the\s+top\s+level", plain):
        names.append("local-import")
    if not names:
        return None
    if re.search(r"\b(?:allowed|fine|ok|okay|acceptable|may|can)\b", plain) and not negated:
        return None  # "local imports are fine to break a cycle"
    under = tuple(r for r in c.subject if r.text not in lexicon.LIBRARIES)
    for m in re.finditer(r"\b(?:in|under|within)\s+(?:the\s+)?(?!functions?\b|methods?\b|function\s+bodies)", t.norm):
        refs = [o for o in _names(t, m.end(), len(t.norm)) if o.ref.text in lexicon.ROLE_WORDS or "/" in o.ref.text or (o.ref.quoted and " " not in o.ref.text)]
        if refs and refs[0].start == m.end():
            under = _refs(refs)
            break
    return compiled("ban", Ban(tuple(dict.fromkeys(names)), under=under))


FORMS: tuple[tuple[str, Form], ...] = (
    ("import-style", _import_style),
    ("chain", _chain),
    ("modifier", _modifier),
    ("limit", _limits),
    ("acyclic", _acyclic),
    ("independence", _independence),
    ("shared", _shared),
    ("only", _only_rule),
    ("allow", _allow_only),
    ("above", _above),
    ("convention", _convention),
    ("placement", _placement),
    ("ban-replacement", lambda c, t: _ban(c, t) if _REPLACEMENT_MARK.search(t.norm) else None),
    ("import", _import_rule),
    ("ban", _ban),
)


def label_is_rule(label: str) -> bool:
    """A label that states a rule itself ("Nothing imports upwards: ...")."""
    t = normalise(label)
    if len(t.norm.split()) < 2:
        return False
    return bool(_VERB_RE.search(t.norm) or _CYCLE.search(t.norm) or lexicon.PROHIBITION_RE.search(t.norm)) and not re.search(r"^\s*(?:do|don'?t|never|always|must)\s*$", t.norm)


def split_label(raw: str) -> tuple[str, str]:
    """``**Routers**: HTTP only`` -> ("Routers", "HTTP only"); no label -> ("", raw)."""
    t = raw.strip()
    m = re.match(r"^\s*(?:\*\*|__)?([^:：*`]{1,48}?|`[^`]+`)(?:\*\*|__)?\s*[:：]\s+(?=\S)", t)
    if not m:
        return "", raw
    label = m.group(1).strip()
    rest = t[m.end():]
    if len(label.split()) > 6 or label.lower() in ("e.g", "note", "i.e"):
        return "", raw
    return label, rest


def _parallel(c: Clause, t: Text) -> Outcome | None:
    """"repositories never import services, services never import the api": one rule per part."""
    parts = [p for p in re.split(r"\s*[,;]\s*(?:and\s+|but\s+)?", t.norm) if p.strip()]
    if len(parts) < 2:
        return None
    for p in parts:
        v = _VERB_RE.search(p)
        if not v or not occurrences(Text(t.raw, p[: v.start()], t.codes)) or not occurrences(Text(t.raw, p[v.end() :], t.codes)):
            return None
    specs: list[tuple[Spec, Severity | None]] = []
    for p in parts:
        sub = Text(t.raw, p, t.codes)
        mod = modality(sub.restore(p), c.polarity)
        pc = Clause(c.line, sub.restore(p), sub, mod, c.subject, c.context, c.block, c.polarity)
        out = _import_rule(pc, sub)
        if out is None or out.status != COMPILED:
            return None
        specs.extend(out.specs)
    return Outcome(COMPILED, "forbidden", specs)


_FRONTEND = re.compile(r"\b(?:typescript|javascript|react|vue|angular|svelte|css|tailwind|jsx|tsx|axios|zustand|next\.js|frontend|front-end|npm|eslint|prettier)\b|(?<!')\bts\b|前端|프론트엔드|フロントエンド", re.I)

# prose words (code spans are masked) that put a clause in version control or test practice
_VCS = re.compile(r"\b(?:force[- ]push(?:ed|ing)?|push(?:ed|ing)?\s+(?:directly\s+)?to|git\s+(?:add|commit|push|history)|pull\s+requests?|committ(?:are|ere|ed\s+to)|commit\s+(?:to|messages?|secrets?|generated|lock\s*files?|directly)|merge\s+(?:to|into)|rebase)\b|提交到|커밋하지|コミットしない", re.I)
_FIXTURE = re.compile(r"\b(?:fixtures?|test\s+cases?|unit\s+tests?|mocks?)\b", re.I)


def compile_clause(c: Clause) -> Outcome:
    """Run the forms in order; the first that recognises the clause wins."""
    t = _strip(c.t)
    if not t.norm.strip(" .,:;-*"):
        return not_checkable("empty", "no text")
    if t.norm != c.t.norm:
        # "X is loaded lazily to avoid Y", "..., since callers never ...": the motive's modal words are not the rule's
        c = replace(c, mod=modality(t.restore(t.norm), c.polarity))
    outer = c.context.split(" / ") if c.context else []  # headings above; one that names the backend too is no frontend section
    if (
        _FRONTEND.search(t.raw)
        or _FRONTEND.search(c.context.split(" / ")[-1] if c.context else "")
        or _FRONTEND.search(" ".join(r.text for r in c.subject))
        or any(_FRONTEND.search(h) and not re.search(r"back-?end|server|\bapi\b|python|full-?stack|django|flask|fastapi|后端|백엔드|バックエンド", h) for h in outer)
    ):
        return not_checkable("frontend", _REASONS["frontend"])
    if _VCS.search(t.norm):
        return not_checkable("version control", _REASONS["version control"])
    if _FIXTURE.search(t.norm):
        return not_checkable("testing practice", _REASONS.get("testing practice", "about tests, not the code they test"))
    par = _parallel(c, t)
    if par is not None:
        return par
    for _name, form in FORMS:
        try:
            out = form(c, t)
        except (IndexError, ValueError, AttributeError):  # a form that trips on odd text does not stop the others
            out = None
        if out is not None:
            return out
    return classify_rest(c, t)


_CODE_SPAN = re.compile(r"``\s?(.+?)\s?``|`([^`\n]+)`")


def expand_code_chains(raw: str) -> str:
    """```api -> services -> db``` is a chain written as one code span: give each node its own span."""

    def sub(m: re.Match[str]) -> str:
        inner = m.group(1) or m.group(2) or ""
        if not re.search(r"->|→|=>|⇒", inner):
            return m.group(0)
        if len(re.findall(r"->|→|=>|⇒", inner)) < 2 and re.search(r"ignoring\s*$", raw[: m.start()]):
            return m.group(0)
        if len(re.findall(r"->|→|=>|⇒", inner)) < 2 and re.search(r"\b(?:ignoring|ignore)\b", raw, re.I):
            return m.group(0)
        parts = re.split(r"\s*(->|→|=>|⇒)\s*", inner)
        out = []
        for p in parts:
            if p in ("->", "→", "=>", "⇒"):
                out.append(f" {p} ")
            elif p.strip():
                out.append(" | ".join(f"`{x.strip()}`" for x in p.split("|") if x.strip()))
        return "".join(out)

    return _CODE_SPAN.sub(sub, raw)


def make_clause(
    line: int, raw: str, polarity: int, context: str, block: str, subject: tuple[Ref, ...] = ()
) -> Clause:
    """Normalise a clause, read its label (a subject) and its modal words."""
    label, rest = split_label(raw)
    subj = subject
    topic = False
    if label:
        lt = normalise(label)
        lrefs = refs_in(lt)
        if lrefs and len(lt.norm.split()) <= 4:
            subj = lrefs
        else:
            topic = True  # "Type hints: all function signatures" -- the label is part of the rule
        context = (context + " " + label).strip()
        lpol = 0
        from .parser import heading_polarity

        lpol = heading_polarity(label)
        if lpol:
            polarity = lpol
    body = expand_code_chains(rest if label and not topic else raw)
    t = normalise(body)
    mod = modality(body, polarity)
    return Clause(line, raw, t, mod, subj, context.lower(), block, polarity)
