"""Mapping the names written in rules onto the scanned project's modules.

Rules say "routers", "the DB layer", "`services`", "`app/api/`", "`app.*.api`"
or "requests".  :class:`Resolver` turns each :class:`~backendscan.rules.model.Ref`
into first-party modules (treated as packages: a module stands for itself and
its descendants) and/or external import names, and says how it got there, so
``rules explain`` can show the mapping.  The order, first match wins:

1. an explicit mapping: ``[tool.backendscan.roles]``, the ``[roles]`` table
   of a fenced block, or a role written with its path in the rule file
   ("Routers (`backend/routers/`)", a "Layer | Path" table);
2. ``*``/``**`` globs over dotted names or paths (``app.*.api``, ``apps/**/views.py``);
3. a path (``app/services/``, ``app/db.py``), also when written relative to a sub-folder;
4. a dotted module, or the module that defines a dotted name (``app.deps.get_db``);
5. packages whose name is the word (singular or plural): ``services`` -> ``shop.services``;
6. for HTTP, model and task roles, where the analyzers found routes, models
   and tasks (a package when most of its modules hold them, else the modules);
7. packages, then modules, named by a synonym of the role ("routers" ->
   ``api``, ``views``, ``endpoints``; "data access" -> ``repositories``, ``crud``);
8. modules whose name is the word;
9. libraries: a library word or phrase ("the ORM", "the database driver"),
   or any external import name the project uses.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Callable, Iterable, Mapping, Sequence

from . import lexicon
from .model import Ref


@dataclass(frozen=True)
class Resolution:
    """What a name stands for in the scanned project."""

    ref: Ref
    modules: tuple[str, ...] = ()  # first-party modules, each with its descendants
    externals: tuple[str, ...] = ()  # external import names (dotted prefixes)
    how: str = ""

    @property
    def found(self) -> bool:
        return bool(self.modules or self.externals)

    def describe(self) -> str:
        parts = list(self.modules) + list(self.externals)
        if not parts:
            return f"{self.ref}: matches no module"
        shown = ", ".join(parts[:6]) + (f" (+{len(parts) - 6} more)" if len(parts) > 6 else "")
        return f"{self.ref} -> {shown} ({self.how})"


def _variants(word: str) -> list[str]:
    w = word.lower().strip().replace(" ", "_").replace("-", "_")
    out = [w]
    if w.endswith("ies"):
        out.append(w[:-3] + "y")
    elif w.endswith("ses"):
        out.append(w[:-2])
    elif w.endswith("s"):
        out.append(w[:-1])
    else:
        out.append(w + ("es" if w.endswith(("s", "x", "ch", "sh")) else "s"))
        if w.endswith("y"):
            out.append(w[:-1] + "ies")
    return list(dict.fromkeys(out))


def collapse(modules: Iterable[str]) -> tuple[str, ...]:
    """Drop modules that are inside another listed module; sorted."""
    out: list[str] = []
    for m in sorted(set(modules)):
        if out and (m == out[-1] or m.startswith(out[-1] + ".")):
            continue
        out.append(m)
    return tuple(out)


class Resolver:
    """Resolves refs against one project (module names and paths, facts, external imports)."""

    def __init__(
        self,
        modules: Mapping[str, str],
        packages: Iterable[str] = (),
        explicit: Sequence[tuple[str, Sequence[str]]] = (),
        route_modules: Iterable[str] = (),
        model_modules: Iterable[str] = (),
        task_modules: Iterable[str] = (),
        externals: Iterable[str] = (),
        defines: "Callable[[str, str], bool | None] | None" = None,
    ) -> None:
        self.defines = defines
        self.paths = dict(modules)  # module -> path ("" for namespace packages)
        self.names = sorted(self.paths)
        implied = {".".join(m.split(".")[:i]) for m in self.names for i in range(1, m.count(".") + 1)}
        self.all_names = sorted(set(self.names) | implied)  # with parent packages that have no file
        self.packages = set(packages)
        self.by_path = {p: m for m, p in self.paths.items() if p}
        self.explicit: dict[str, tuple[str, ...]] = {}
        for role, targets in explicit:
            key = role.strip().lower()
            self.explicit[key] = tuple(dict.fromkeys(self.explicit.get(key, ()) + tuple(targets)))
        self.facts = {
            "api": tuple(sorted(set(route_modules))),
            "models": tuple(sorted(set(model_modules))),
            "tasks": tuple(sorted(set(task_modules))),
        }
        self.externals = frozenset(externals)
        self._cache: dict[Ref, Resolution] = {}
        self._last: dict[str, list[str]] = {}
        for m in self.names:
            self._last.setdefault(m.rsplit(".", 1)[-1].lower(), []).append(m)

    # ------------------------------------------------------------ queries
    def descendants(self, module: str) -> list[str]:
        """``module`` and every module below it (sorted)."""
        i = bisect.bisect_left(self.names, module)
        out = []
        if i < len(self.names) and self.names[i] == module:
            out.append(module)
            i += 1
        prefix = module + "."
        j = bisect.bisect_left(self.names, prefix)
        while j < len(self.names) and self.names[j].startswith(prefix):
            out.append(self.names[j])
            j += 1
        return out

    def exists(self, module: str) -> bool:
        i = bisect.bisect_left(self.names, module)
        if i < len(self.names) and self.names[i] == module:
            return True
        return bool(self.descendants(module))

    def resolve(self, ref: Ref) -> Resolution:
        hit = self._cache.get(ref)
        if hit is None:
            hit = self._resolve(ref)
            self._cache[ref] = hit
        return hit

    def modules_of(self, refs: Iterable[Ref]) -> tuple[str, ...]:
        return collapse(m for r in refs for m in self.resolve(r).modules)

    def members(self, refs: Iterable[Ref]) -> set[str]:
        """Every module the refs cover (descendants included)."""
        out: set[str] = set()
        for m in self.modules_of(refs):
            out.update(self.descendants(m))
        return out

    # ------------------------------------------------------------ resolution
    def _resolve(self, ref: Ref) -> Resolution:
        text = ref.text.strip()
        low = text.lower()
        if text in ("**", "*", "everything", "all"):
            tops = collapse(m.split(".", 1)[0] for m in self.names)
            return Resolution(ref, tops, (), "the whole project")
        mapped = self.explicit.get(low) or next((self.explicit[v] for v in _variants(low) if v in self.explicit), None)
        if mapped:
            found_mods: list[str] = []
            found_ext: list[str] = []
            for target in mapped:
                r = self._literal(Ref(target))
                found_mods.extend(r.modules)
                found_ext.extend(r.externals)
            return Resolution(ref, collapse(found_mods), tuple(sorted(set(found_ext))), "explicit mapping " + ", ".join(mapped))
        lit = self._literal(ref)
        if lit.found:
            return lit
        # role words and bare words
        word = low.replace(" ", "_")
        group = lexicon.ROLE_WORDS.get(low, ("", ""))[1]
        if not group:
            for g, cands in lexicon.ROLE_GROUPS.items():
                if word in cands:
                    group = g
                    break
        named = self._named(_variants(word), packages=True)
        if named:
            # `polar/kit/repository/` and `polar/<domain>/repository.py` are the same role
            files = self._named(_variants(word), packages=False)
            if files:
                both = collapse(named + files)
                return Resolution(ref, both, (), f"packages and modules named {word} at any depth: {shapes(both)}")
            return Resolution(ref, named, (), f"packages named {word}")
        if group in self.facts and self.facts[group]:
            fact_mods = self._fact_modules(self.facts[group])
            what = {"api": "routes", "models": "models", "tasks": "tasks"}[group]
            return Resolution(ref, fact_mods, (), f"where the {what} are defined")
        if group:
            synonyms = [v for c in lexicon.ROLE_GROUPS.get(group, ()) for v in _variants(c)]
            named = tuple(self._named(synonyms, packages=True))
            if named:
                return Resolution(ref, named, (), f"packages named like {group}")
        named = self._named(_variants(word), packages=False)
        if named:
            return Resolution(ref, named, (), f"modules named {word}")
        if group:
            named = self._named([v for c in lexicon.ROLE_GROUPS.get(group, ()) for v in _variants(c)], packages=False)
            if named:
                return Resolution(ref, named, (), f"modules named like {group}")
        ext = self._external(text)
        if ext:
            return Resolution(ref, (), ext, "library")
        return Resolution(ref, (), (), "matches no module")

    def _literal(self, ref: Ref) -> Resolution:
        text = ref.text.strip().strip("`")
        if not text:
            return Resolution(ref)
        if "*" in text:
            return self._glob(ref, text)
        if "/" in text or text.endswith(".py"):
            mods = self._path(text)
            if mods:
                return Resolution(ref, mods, (), "path")
            return Resolution(ref)
        if self.exists(text):
            return Resolution(ref, (text,), (), "module")
        if "." in text and re.fullmatch(r"[\w.]+", text):
            parts = text.split(".")
            for i in range(len(parts) - 1, 0, -1):
                cand = ".".join(parts[:i])
                if cand in self.paths:
                    known = self.defines(cand, parts[i]) if self.defines is not None else None
                    if known is False:
                        break
                    return Resolution(ref, (cand,), (), f"the module that defines {text}")
            suffix = [m for m in self.names if m.endswith("." + text)]
            if suffix:
                return Resolution(ref, collapse(suffix), (), f"modules ending in .{text}")
        if ref.quoted and re.fullmatch(r"[\w]+", text):
            named = self._named([text.lower()], packages=True) or self._named([text.lower()], packages=False)
            if named and text.lower() not in lexicon.ROLE_WORDS:
                return Resolution(ref, named, (), f"modules named {text}")
        if text.lower() in lexicon.LIBRARY_GROUPS:
            return Resolution(ref, (), tuple(lexicon.LIBRARY_GROUPS[text.lower()]), "library group")
        return Resolution(ref)

    def _glob(self, ref: Ref, pattern: str) -> Resolution:
        if "/" in pattern or pattern.endswith(".py"):
            pat = pattern.strip("/")
            found = []
            for m, p in self.paths.items():
                if not p:
                    continue
                target = p[:-12] if p.endswith("/__init__.py") else (p[:-3] if p.endswith(".py") else p)
                if _path_glob(pat.removesuffix(".py"), target) or _path_glob(pat, p):
                    found.append(m)
            return Resolution(ref, collapse(found), (), "path glob") if found else Resolution(ref)
        rx = re.compile("^" + ".".join("[^.]+" if part == "*" else (".+" if part == "**" else re.escape(part)) for part in pattern.split(".")) + "$")
        found = [m for m in self.all_names if rx.match(m)]
        return Resolution(ref, tuple(sorted(set(found))) if pattern.endswith("*") and not pattern.endswith("**") else collapse(found), (), "glob") if found else Resolution(ref)

    def _path(self, text: str) -> tuple[str, ...]:
        p = text.strip().lstrip("./").rstrip("/")
        if p.endswith(".py"):
            m = self.by_path.get(p)
            if m:
                return (m,)
            hits = [mod for path, mod in self.by_path.items() if path.endswith("/" + p)]
            return collapse(hits)
        direct = self.by_path.get(p + ".py") or self.by_path.get(p + "/__init__.py")
        if direct:
            return (direct,)
        # a folder: the package whose files live under it (also namespace packages and sub-roots)
        found: list[str] = []
        for path, mod in self.by_path.items():
            idx = -1
            if path.startswith(p + "/"):
                idx = 0
            else:
                k = path.find("/" + p + "/")
                if k >= 0:
                    idx = k + 1
            if idx < 0:
                continue
            rest = path[idx + len(p) + 1 :]
            depth = rest.count("/") + (0 if rest.endswith("__init__.py") else 1)
            parts = mod.split(".")
            if rest.endswith("__init__.py"):
                depth = rest.count("/")
            pkg = ".".join(parts[: len(parts) - depth]) if depth <= len(parts) else ""
            if pkg:
                found.append(pkg)
        return collapse(found)

    def _named(self, words: Sequence[str], packages: bool) -> tuple[str, ...]:
        hits: list[str] = []
        for w in words:
            for m in self._last.get(w, ()):
                is_pkg = m in self.packages or any(n.startswith(m + ".") for n in self.descendants(m)[1:2])
                if is_pkg == packages:
                    hits.append(m)
        return collapse(hits)

    def _fact_modules(self, modules: Sequence[str]) -> tuple[str, ...]:
        """A package when most of its modules hold the facts, else the modules themselves."""
        by_parent: dict[str, list[str]] = {}
        for m in modules:
            parent = m.rsplit(".", 1)[0] if "." in m else m
            by_parent.setdefault(parent, []).append(m)
        out: list[str] = []
        for parent, mods in by_parent.items():
            children = [n for n in self.descendants(parent) if n.count(".") == parent.count(".") + 1 and n not in self.packages]
            if "." in parent and children and len(set(mods)) * 2 >= len(children):
                out.append(parent)
            else:
                out.extend(mods)
        return collapse(out)

    def _external(self, text: str) -> tuple[str, ...]:
        low = text.lower()
        if low in lexicon.LIBRARY_GROUPS:
            return tuple(lexicon.LIBRARY_GROUPS[low])
        name = lexicon.LIBRARIES.get(low, text)
        if name in self.externals or name.split(".")[0] in self.externals or low in lexicon.LIBRARIES:
            return (name,)
        if re.fullmatch(r"[A-Za-z_][\w.]*", text) and any(e == text.lower() or e.startswith(text.lower() + ".") for e in self.externals):
            return (text.lower(),)
        return ()


def shapes(modules: Sequence[str], limit: int = 4) -> str:
    """The dotted shapes of modules, most common first: ``polar.*.repository (51), polar.*.*.repository (2)``."""
    count: dict[str, int] = {}
    for m in modules:
        parts = m.split(".")
        shape = ".".join([parts[0]] + ["*"] * (len(parts) - 2) + [parts[-1]]) if len(parts) > 2 else m
        count[shape] = count.get(shape, 0) + 1
    ordered = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{k} ({v})" for k, v in ordered[:limit])
    return shown + (f" (+{len(ordered) - limit} more shapes)" if len(ordered) > limit else "")


def _path_glob(pattern: str, path: str) -> bool:
    """``**`` spans folders, ``*`` stays within one."""
    rx = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            rx += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            rx += ".*"
            i += 2
        elif pattern[i] == "*":
            rx += "[^/]*"
            i += 1
        else:
            rx += re.escape(pattern[i])
            i += 1
    return re.fullmatch(rx, path) is not None or fnmatchcase(path, pattern)
