"""Typed rules compiled from a RULES.md (or an import-linter configuration).

A rule file is read into *statements* (one per list item, paragraph sentence,
table row or line of a rule block), each statement is split into clauses, and
every clause ends up as an :class:`Entry` with one of three statuses:

* ``compiled``: it became one or more :class:`Rule` objects that
  :mod:`backendscan.rules.checks` can verify;
* ``not_checkable``: recognised, but no static analysis can verify it
  ("write clean code", "commit messages in English");
* ``unrecognized``: it reads like a rule but the grammar could not compile it;
  the entry carries the closest compilable phrasing as a suggestion.

Rules never refer to the scanned project directly: names stay symbolic
(:class:`Ref`) and :mod:`backendscan.rules.roles` maps them onto modules when
a project is checked, so one rule file can be compiled, rendered and tested
without any code.  ``Rule`` equality ignores where the rule was written
(line, text), so "render then parse gives the same rules" is a plain ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ..model import Severity
from ..rulefiles import Include

COMPILED = "compiled"
NOT_CHECKABLE = "not_checkable"
UNRECOGNIZED = "unrecognized"
STATUSES = (COMPILED, NOT_CHECKABLE, UNRECOGNIZED)


@dataclass(frozen=True, order=True)
class Ref:
    """A name used in a rule: a dotted module, a path, a glob, a role word or a library.

    ``text`` is normalised (role words lower case and singular/plural kept as
    written, paths with ``/``, modules dotted).  ``quoted`` says the name was
    written as code (in backticks), which only matters for rendering.
    ``optional`` marks a layer that may be absent (import-linter's ``(name)``).
    """

    text: str
    quoted: bool = True
    optional: bool = False

    def __str__(self) -> str:
        body = f"`{self.text}`" if self.quoted else self.text
        return f"({body})" if self.optional else body


def refs(*names: str) -> tuple[Ref, ...]:
    """``Ref`` objects for dotted names or paths (quoted)."""
    return tuple(Ref(n) for n in names)


# --------------------------------------------------------------------- specs
@dataclass(frozen=True)
class Forbidden:
    """``sources`` must not import ``targets``, even indirectly (unless ``direct``).

    ``exceptions`` name modules excused from the rule: an exception inside the
    sources may import the targets (and chains through it are not reported),
    an exception inside the targets may be imported.  ``through_layers``:
    report chains that pass through a module of another declared layer too
    (import-linter's ``forbidden`` semantics); by default a RULES.md that
    declares layers leaves those chains to its layer rules, as import-linter's
    ``layers`` contract does.
    """

    sources: tuple[Ref, ...]
    targets: tuple[Ref, ...]
    exceptions: tuple[Ref, ...] = ()
    ignore_imports: tuple[tuple[str, str], ...] = ()
    direct: bool = False
    through_layers: bool = False
    as_packages: bool = True
    kind: str = "forbidden"


@dataclass(frozen=True)
class Protected:
    """Only ``importers`` may import ``targets`` (direct imports, import-linter's ``protected``).

    ``scope`` limits the rule to importers inside it ("the only module in
    ``shop.api`` allowed to import ``shop.db``").
    """

    targets: tuple[Ref, ...]
    importers: tuple[Ref, ...]
    scope: tuple[Ref, ...] = ()
    ignore_imports: tuple[tuple[str, str], ...] = ()
    as_packages: bool = True
    kind: str = "protected"


@dataclass(frozen=True)
class AllowOnly:
    """``sources`` may import nothing first-party but themselves, ``allowed`` and shared modules (direct)."""

    sources: tuple[Ref, ...]
    allowed: tuple[Ref, ...]
    externals: bool = False  # the allow-list covers third-party imports too
    kind: str = "allow-only"


@dataclass(frozen=True)
class Layers:
    """Ordered layers, top (importers) first; each layer is a tuple of sibling names.

    ``independent[i]`` says whether the siblings of layer ``i`` must not
    import each other (import-linter ``|``) or may (``:``).  With
    ``containers``, layer names are relative to each container.
    ``direction``: lower layers must not import higher ones (even
    indirectly).  ``closed``: a layer must not bypass the layer below it
    (chains have to go through it); ``exempt`` modules may be imported from
    any layer even so.
    """

    layers: tuple[tuple[Ref, ...], ...]
    independent: tuple[bool, ...] = ()
    containers: tuple[Ref, ...] = ()
    direction: bool = True
    closed: bool = False
    exempt: tuple[Ref, ...] = ()
    ignore_imports: tuple[tuple[str, str], ...] = ()
    exhaustive: bool = False
    kind: str = "layers"

    def independent_at(self, i: int) -> bool:
        return self.independent[i] if i < len(self.independent) else True


@dataclass(frozen=True)
class Independence:
    """None of ``modules`` imports another, in any direction, even indirectly (unless ``direct``)."""

    modules: tuple[Ref, ...]
    direct: bool = False
    ignore_imports: tuple[tuple[str, str], ...] = ()
    kind: str = "independence"


@dataclass(frozen=True)
class Acyclic:
    """No import cycles (within ``scope`` when given).

    ``type_checking``: count imports under ``if TYPE_CHECKING:``.  ``siblings``
    switches to import-linter's ``acyclic_siblings`` (cycles between the
    children of each package below ``scope``, ``depth`` generations deep).
    """

    scope: tuple[Ref, ...] = ()
    type_checking: bool = False
    siblings: bool = False
    depth: int = 0
    skip_descendants: tuple[Ref, ...] = ()
    kind: str = "acyclic"


@dataclass(frozen=True)
class Ban:
    """A library, call or construct that must not be used.

    ``names`` are dotted names (``requests``, ``print``, ``os.getenv``) or
    constructs (``bare-except``, ``star-import``, ``relative-import``,
    ``local-import`` for imports inside functions, ``db-query`` for the calls
    that build or run database queries, ``raw-sql`` for those that send SQL text).  The
    ban applies ``under`` the given names (everywhere when empty) and not in
    ``outside``; ``in_async`` limits it to code inside ``async def``.
    """

    names: tuple[str, ...]
    under: tuple[Ref, ...] = ()
    outside: tuple[Ref, ...] = ()
    replacement: str = ""
    in_async: bool = False
    kind: str = "ban"


#: the names a :class:`Ban` may hold that are constructs, not dotted names
BAN_CONSTRUCTS = frozenset({"bare-except", "star-import", "relative-import", "third-party-import", "local-import", "db-query", "raw-sql"})


METRICS = ("complexity", "function-length", "file-length", "parameters", "maintainability", "line-length", "class-length")


@dataclass(frozen=True)
class Limit:
    """A numeric limit on a radon metric (or line length): ``minimum <= value <= maximum``."""

    metric: str
    maximum: int | None = None
    minimum: float | None = None
    under: tuple[Ref, ...] = ()
    kind: str = "limit"


SUBJECTS = ("routes", "models", "tasks", "functions", "classes", "modules", "async-functions")


@dataclass(frozen=True)
class Convention:
    """A requirement on every detected framework entity of ``subject``.

    ``requirement`` is one of: ``option`` (a keyword among ``names`` is set),
    ``auth`` (the route requires authentication; ``names`` narrows the
    accepted evidence), ``method`` (the class defines one of ``names``),
    ``column`` (the model has every column in ``names``), ``base`` (the class
    derives from one of ``names``), ``no-blocking`` (no blocking call inside
    ``async def``), ``no-session`` (the handler does not use the ORM session
    itself), ``async`` / ``sync`` (handlers are ``async def`` / ``def``),
    ``type-hints``, ``docstring``, ``case`` (``names[0]`` in snake, pascal,
    upper).  ``exceptions`` are words, paths or names that excuse an entity.
    """

    subject: str
    requirement: str
    names: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    under: tuple[Ref, ...] = ()
    public_only: bool = False
    kind: str = "convention"


@dataclass(frozen=True)
class Placement:
    """Every entity of ``subject`` (routes, models, tasks) is defined inside ``folders``.

    ``classes_only``: the rule speaks of classes ("Job classes live in jobs.py"), so
    function-based tasks are not its concern.
    """

    subject: str
    folders: tuple[Ref, ...]
    kind: str = "placement"
    classes_only: bool = False


@dataclass(frozen=True)
class Shared:
    """``modules`` may be imported from anywhere (exempt from allow-lists and closed layers)."""

    modules: tuple[Ref, ...]
    kind: str = "shared"


Spec = Union[Forbidden, Protected, AllowOnly, Layers, Independence, Acyclic, Ban, Limit, Convention, Placement, Shared]
IMPORT_KINDS = ("forbidden", "protected", "allow-only", "layers", "independence", "acyclic")


@dataclass(frozen=True)
class Rule:
    """One checkable rule: what (``spec``), how bad (``severity``) and where it was written.

    Equality and hashing use only ``spec`` and ``severity``; ``line``,
    ``text``, ``source``, ``id`` and ``because`` say where it came from.
    """

    spec: Spec
    severity: Severity = Severity.ERROR
    line: int = field(default=0, compare=False)
    text: str = field(default="", compare=False)
    source: str = field(default="RULES.md", compare=False)
    id: str = field(default="", compare=False)
    because: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def where(self) -> str:
        """``RULES.md:12`` (or just the file when the line is unknown)."""
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass(frozen=True)
class Entry:
    """What became of one clause of the rule file (shown by ``rules explain``)."""

    line: int
    text: str
    status: str
    kind: str
    severity: Severity
    rules: tuple[Rule, ...] = ()
    reason: str = ""
    suggestion: str = ""
    source: str = "RULES.md"
    duplicate_of: int = 0  # line of an earlier entry that compiled to the same rules


@dataclass(frozen=True)
class RuleSet:
    """A compiled rule file: every entry, the rules to check, role mappings and options."""

    source: str
    entries: tuple[Entry, ...] = ()
    rules: tuple[Rule, ...] = ()
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # role -> module names/globs/paths written in the file
    problems: tuple[str, ...] = ()  # fatal problems (bad TOML, unknown keys) with line numbers
    type_checking: bool = False  # count TYPE_CHECKING imports in import rules
    dynamic_imports: bool = True  # count literal importlib.import_module(...) imports
    ignores: tuple[tuple[str, str, str], ...] = ()  # (rule id or *, path glob, reason) from the fenced block
    includes: tuple[Include, ...] = ()  # ``@path`` lines followed (or not) while reading the file

    def counts(self) -> dict[str, int]:
        """Entries per status."""
        out = {s: 0 for s in STATUSES}
        for e in self.entries:
            out[e.status] = out.get(e.status, 0) + 1
        return out

    def merged(self, other: "RuleSet") -> "RuleSet":
        """This rule set plus ``other`` (rules, entries, roles, problems; options from self)."""
        return RuleSet(
            source=self.source,
            entries=self.entries + other.entries,
            rules=self.rules + other.rules,
            roles=self.roles + other.roles,
            problems=self.problems + other.problems,
            type_checking=self.type_checking,
            dynamic_imports=self.dynamic_imports,
            ignores=self.ignores + other.ignores,
            includes=self.includes + other.includes,
        )
