"""Finding the names a rule clause talks about.

A clause is normalised once (:class:`Text`): code spans become placeholders
``⟦0⟧``, ``⟦1⟧``..., other text is lower-cased and full-width punctuation is
made ASCII, so patterns can be written once.  :func:`occurrences` lists every
name in order with its position: code spans, role words ("routers", "the DB
layer", "服务层"), library words ("requests", "the ORM") and bare dotted or
slashed names (``app.services``, ``app/services/``).  Positions let the
grammar take "the names before the verb" and "the names after it", which is
what makes the forms work in SVO and SOV languages alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon
from .model import Ref

PLACEHOLDER = re.compile(r"⟦(\d+)⟧")
_CODE = re.compile(r"``\s?(.+?)\s?``|`([^`\n]+)`")
_FULLWIDTH = str.maketrans({"，": ", ", "：": ": ", "（": " (", "）": ") ", "；": "; ", "、": ", ", "。": ". ", "！": "! ", "？": "? ", "’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


@dataclass
class Text:
    """A clause with its code spans replaced by placeholders."""

    raw: str
    norm: str
    codes: list[str] = field(default_factory=list)

    def code(self, i: int) -> str:
        return self.codes[i] if 0 <= i < len(self.codes) else ""

    def restore(self, s: str) -> str:
        """``s`` (a slice of ``norm``) with placeholders turned back into backticked code."""
        return PLACEHOLDER.sub(lambda m: f"`{self.code(int(m.group(1)))}`", s)


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_LATIN = re.compile(f"(?<=[{_CJK}])(?=[A-Za-z])|(?<=[A-Za-z])(?=[{_CJK}])")


def normalise(raw: str) -> Text:
    """Placeholders for code spans, lower case, ASCII punctuation, single spaces."""
    codes: list[str] = []

    def sub(m: re.Match[str]) -> str:
        codes.append((m.group(1) or m.group(2) or "").strip())
        return f" ⟦{len(codes) - 1}⟧ "

    body = _CODE.sub(sub, raw)
    body = body.translate(_FULLWIDTH)
    # "使用SQLAlchemy", "FastAPI를": a Latin word glued to CJK text is still a word of its own
    body = _CJK_LATIN.sub(" ", body)
    body = re.sub(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", body)
    body = body.lower()
    body = re.sub(r"[ \t]+", " ", body).strip()
    body = re.sub(r" ([,.;:!?)])", r"\1", body)
    body = re.sub(r"\( ", "(", body)
    return Text(raw, body, codes)


def clean_code(code: str) -> str:
    """The name a code span stands for: ``print()`` -> ``print``, ``app/routers/`` -> ``app/routers``."""
    c = code.strip().strip("'\"")
    c = re.sub(r"\(\s*\)$", "", c)
    c = re.sub(r"\(\.\.\.\)$", "", c)
    if len(c) > 1 and c.endswith("/"):
        c = c.rstrip("/")
    if c.startswith("./"):
        c = c[2:]
    return c


def _alternation(words: list[str]) -> str:
    latin = sorted((w for w in words if re.match(r"[a-z0-9]", w)), key=len, reverse=True)
    other = sorted((w for w in words if not re.match(r"[a-z0-9]", w)), key=len, reverse=True)
    parts = []
    if latin:
        parts.append(r"(?<![A-Za-z0-9_/.-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in latin) + r")(?![A-Za-z0-9_])")
    if other:
        parts.append("(?:" + "|".join(re.escape(w) for w in other) + ")")
    return "|".join(parts)


_ROLE_RE = _alternation(list(lexicon.ROLE_WORDS))
_LIB_RE = _alternation(list(lexicon.LIBRARIES) + list(lexicon.LIBRARY_GROUPS))
_BARE_RE = r"(?<![A-Za-z0-9_/.-])[a-z_][a-z0-9_-]*(?:[./][a-z0-9_*-]+)+/?(?![A-Za-z0-9_])"
_WORD_NAME = re.compile(
    r"(?P<code>⟦\d+⟧)"
    r"|(?P<lib>" + _LIB_RE + r")"
    r"|(?P<pre>" + lexicon.LAYER_PREFIX + r")(?P<role>" + _ROLE_RE + r")(?P<suf>" + lexicon.LAYER_SUFFIX + r")"
    r"|(?P<bare>" + _BARE_RE + r")",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Occurrence:
    """A name in a clause: where it is in ``norm`` and the :class:`Ref` it stands for."""

    start: int
    end: int
    ref: Ref
    kind: str  # code, role, lib, bare


def occurrences(t: Text, start: int = 0, end: int | None = None) -> list[Occurrence]:
    """Names in ``t.norm[start:end]`` in order (longest match wins at each position)."""
    stop = len(t.norm) if end is None else end
    out: list[Occurrence] = []
    pos = start
    while pos < stop:
        m = _WORD_NAME.search(t.norm, pos, stop)
        if not m:
            break
        if m.group("code"):
            i = int(PLACEHOLDER.match(m.group("code")).group(1))  # type: ignore[union-attr]
            name = clean_code(t.code(i))
            if name:
                out.append(Occurrence(m.start(), m.end(), Ref(name), "code"))
        elif m.group("lib"):
            word = re.sub(r"\s+", " ", m.group("lib"))
            if word.startswith("the "):
                word = word[4:]
            out.append(Occurrence(m.start(), m.end(), Ref(lexicon.LIBRARIES.get(word, word), quoted=False), "lib"))
        elif m.group("role"):
            word = re.sub(r"\s+", " ", m.group("role"))
            head = lexicon.ROLE_WORDS.get(word, (word, ""))[0]
            out.append(Occurrence(m.start("role"), m.end(), Ref(head, quoted=False), "role"))
        elif m.group("bare"):
            name = m.group("bare").rstrip("/.")
            if name in ("e.g", "i.e", "etc", "vs", "a.k.a", "and/or", "i/o", "input/output", "read/write", "request/response"):
                pos = m.end()
                continue
            out.append(Occurrence(m.start(), m.end(), Ref(name, quoted=False), "bare"))
        pos = max(m.end(), pos + 1)
    return out


def refs_in(t: Text, start: int = 0, end: int | None = None) -> tuple[Ref, ...]:
    """The refs of :func:`occurrences`, duplicates removed, order kept."""
    seen: dict[Ref, None] = {}
    for o in occurrences(t, start, end):
        seen.setdefault(o.ref, None)
    return tuple(seen)


def is_module_like(ref: Ref) -> bool:
    """Could name a module, package or path (not a call like ``print`` or ``os.getenv``)."""
    return not ref.text.startswith("@") and " " not in ref.text.strip()
