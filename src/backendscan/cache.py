"""Per-file result cache, keyed by content hash (not mtime).

A restored cache therefore works in a fresh CI clone.  The key holds the content
hash, the module name (relative imports depend on it) and the backendscan
version.  A record is stored in columns (head: imports and problems; symbols;
summaries; metrics) so a run loads only the parts it needs; a run that computes
more parts rewrites the row.  Storage is one SQLite file; a corrupt or
unwritable cache is ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

if TYPE_CHECKING:
    from .extraction import FileRecord

log = logging.getLogger(__name__)

SCHEMA = 4
#: records and results not used by the last KEEP_RUNS scans are deleted
KEEP_RUNS = 10
#: a record's "last used" run is rewritten only when older than this many runs: rewriting
#: every row (4 329 on saleor, each with its blobs) cost 0.3 s per warm run.  A record in use
#: is therefore never older than REFRESH_AFTER + 1 runs, and one no longer used goes after
#: KEEP_RUNS - REFRESH_AFTER to KEEP_RUNS runs.
REFRESH_AFTER = KEEP_RUNS // 2
_COLUMNS = ("head", "symbols", "summaries", "metrics")


_CODE_VERSION: str | None = None


def code_version() -> str:
    """A digest of backendscan's own source: any change to the code invalidates the cache.

    Hand-kept version numbers get forgotten; a summary class renamed without a
    bump would otherwise fail to unpickle (or, worse, load stale meaning).
    """
    global _CODE_VERSION
    if _CODE_VERSION is None:
        _CODE_VERSION = source_digest(Path(__file__).resolve().parent)
    return _CODE_VERSION


def source_digest(folder: Path) -> str:
    """Digest of the version number and every ``.py`` file under ``folder`` (names and bytes, sorted)."""
    from . import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=12)
    for path in sorted(folder.rglob("*.py")):
        h.update(path.relative_to(folder).as_posix().encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            continue
    return h.hexdigest()


def digest(data: bytes) -> str:
    """Content hash of a file: the cache key of its record."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_key(digest: str, module: str, is_package: bool, salt: str, kind: str = "source") -> str:
    """Cache key of one file's record (the kind decides which analyzers read the file)."""
    basis = f"{digest}\x1f{module}\x1f{int(is_package)}\x1f{kind}\x1f{salt}"
    return hashlib.blake2b(basis.encode("utf-8"), digest_size=16).hexdigest()


#: a record as the cache stores it: pickled head, symbols, summaries and metrics
Blobs = tuple[bytes, bytes, bytes, bytes]


def split_record(r: FileRecord) -> Blobs:
    """``r`` as the cache stores it; extraction workers send records this way, so the
    parent stores what it receives without pickling every record a second time."""
    head = replace(r, symbols=None, summaries_blob=b"", metrics=None)
    for lazy in ("summary_blobs", "_summary_cache", "_blob_cache"):
        head.__dict__.pop(lazy, None)
    dump = lambda obj: pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)  # noqa: E731
    return (
        dump(head),
        dump(r.symbols) if r.symbols is not None else b"",
        r.summaries_blob,
        dump(r.metrics) if r.metrics is not None else b"",
    )


def join_record(blobs: Blobs) -> FileRecord:
    """The record :func:`split_record` split (summaries stay pickled until read)."""
    head, symbols, summaries, metrics = blobs
    rec: FileRecord = pickle.loads(head)
    if symbols:
        object.__setattr__(rec, "symbols", pickle.loads(symbols))
    if summaries:
        object.__setattr__(rec, "summaries_blob", summaries)
    if metrics:
        object.__setattr__(rec, "metrics", pickle.loads(metrics))
    return rec


def stored_digests(directory: Path) -> dict[str, tuple[int, int, str]]:
    """:meth:`Cache.digests` of the cache in ``directory``, read without opening it for a run.

    Nothing is created and no run is counted (:meth:`Cache._connect` does both), so
    preparation can read them in a forked child; {} when there is no readable cache
    of this schema.
    """
    path = directory / "records.sqlite3"
    if not path.is_file():
        return {}
    try:
        db = sqlite3.connect(path, timeout=10)
        try:
            row = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
            if row is None or row[0] != str(SCHEMA):
                return {}
            return {p: (s, m, d) for p, s, m, d in db.execute("SELECT path, size, mtime, digest FROM stats")}
        finally:
            db.close()
    except sqlite3.Error:
        return {}


class Cache:
    """A key -> FileRecord store in ``<dir>/records.sqlite3``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "records.sqlite3"
        self._db: sqlite3.Connection | None = None
        self.disabled = False
        self.run = 0
        self._touched: list[str] = []
        self._held: list[tuple[Mapping[str, FileRecord], Mapping[str, Blobs] | None]] | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self.disabled:
            return None
        if self._db is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                gitignore = self.directory / ".gitignore"
                if not gitignore.exists():
                    gitignore.write_text("*\n", "utf-8")
                # one thread at a time, but not always the one that opened it: the report writes the
                # held records from a thread while it renders, then stores its texts and closes the
                # cache from another while the files are written
                db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")
                db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                row = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
                if row is None or row[0] != str(SCHEMA):
                    for table in ("records", "results", "stats"):
                        db.execute(f"DROP TABLE IF EXISTS {table}")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                db.execute(
                    "CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, head BLOB, symbols BLOB, summaries BLOB, metrics BLOB, used INTEGER DEFAULT 0)"
                )
                db.execute("CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, digest TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data BLOB, used INTEGER DEFAULT 0)")
                row = db.execute("SELECT v FROM meta WHERE k='run'").fetchone()
                self.run = (int(row[0]) if row else 0) + 1
                db.execute("INSERT OR REPLACE INTO meta VALUES ('run', ?)", (str(self.run),))
                db.commit()
                self._db = db
            except (OSError, sqlite3.Error) as exc:
                log.warning("cache disabled: %s", exc)
                self.disabled = True
                return None
        return self._db

    def get_many(self, keys: Iterable[str], parts: Iterable[str] = _COLUMNS) -> dict[str, FileRecord]:
        """Records for the keys that are cached, with only the wanted columns loaded."""
        db = self._connect()
        keys = list(keys)
        out: dict[str, FileRecord] = {}
        if db is None or not keys:
            return out
        cols = ["head"] + [c for c in ("symbols", "summaries", "metrics") if c in set(parts)]
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = "SELECT key, used, %s FROM records WHERE key IN (%s)" % (", ".join(cols), ",".join("?" * len(chunk)))
                for key, used, *rest in db.execute(q, chunk):
                    row = (key, *rest)
                    try:
                        extra = dict(zip(cols[1:], row[2:]))
                        rec = join_record((row[1], extra.get("symbols") or b"", extra.get("summaries") or b"", extra.get("metrics") or b""))
                        rec.summary_blobs  # noqa: B018 - a broken entry is a cache miss; summaries load lazily
                        if "symbols" not in cols or "metrics" not in cols or "summaries" not in cols:
                            # parts not loaded are not available to this run
                            loaded = {p for p in rec.parts if p == "imports"}
                            if "symbols" in cols:
                                loaded |= {p for p in rec.parts if p.split(":", 1)[0] == "symbols"}
                            if "metrics" in cols:
                                loaded |= {p for p in rec.parts if p == "metrics"}
                            if "summaries" in cols:
                                loaded |= {p for p in rec.parts if p.startswith("a:")}
                            object.__setattr__(rec, "parts", frozenset(loaded))
                        out[row[0]] = rec
                        if (used or 0) < self.run - REFRESH_AFTER:
                            self._touched.append(row[0])
                    except Exception:
                        continue
        except sqlite3.Error as exc:
            log.warning("cache read failed: %s", exc)
        return out

    def hold_records(self) -> None:
        """Keep the records given to :meth:`put_many` in memory until :meth:`write_held` (or
        :meth:`close`) writes them.

        Writing saleor's 4,300 fresh records (56 MiB) takes 0.2 s; the report command holds
        them while the scan goes on and writes them from a thread while it renders.
        Nothing reads them back in between (a run reads records before extracting).
        """
        if self._held is None:
            self._held = []

    def write_held(self) -> None:
        """Write the records held since :meth:`hold_records`, and stop holding."""
        held, self._held = self._held, None
        for records, blobs in held or ():
            self.put_many(records, blobs)

    def put_many(self, records: Mapping[str, FileRecord], blobs: Mapping[str, Blobs] | None = None) -> None:
        """Store ``records``; ``blobs`` holds those already split (:func:`split_record`)."""
        if self._held is not None:
            if records:
                self._held.append((records, blobs))
            return
        blobs = blobs or {}
        db = self._connect()
        if db is None or not records:
            return
        try:
            db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                [(k, *(blobs.get(k) or split_record(r)), self.run) for k, r in records.items()],
            )
            db.commit()
        except (sqlite3.Error, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("cache write failed: %s", exc)

    def get_result(self, key: str) -> object | None:
        """A whole-program result (an analyzer's output, the checks' findings) stored under ``key``."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT data, used FROM results WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            if (row[1] or 0) < self.run - REFRESH_AFTER:
                db.execute("UPDATE results SET used = ? WHERE key = ?", (self.run, key))
                # committed at once: an open write transaction would lock out another Cache on the same
                # file in this process (a second scan of the same project) until its timeout
                db.commit()
            return pickle.loads(row[0])
        except Exception:  # unreadable or stale: recompute
            return None

    def put_results(self, items: Mapping[str, object], *, replace_group: str = "") -> None:
        """Store whole-program results; ``replace_group`` (e.g. ``"out"``) first deletes the rows of
        that group (keys holding ``:<group>:``) stored under other project keys, so large results
        (rendered reports) are kept for the latest project state only."""
        db = self._connect()
        if db is None or not items:
            return
        try:
            if replace_group:
                keep = {k.split(":", 1)[0] for k in items}
                marker = f"%:{replace_group}:%"
                for (key,) in db.execute("SELECT key FROM results WHERE key LIKE ?", (marker,)).fetchall():
                    if key.split(":", 1)[0] not in keep:
                        db.execute("DELETE FROM results WHERE key = ?", (key,))
            db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL), self.run) for k, v in items.items()],
            )
            db.commit()
        except (sqlite3.Error, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("cache write failed: %s", exc)

    def digests(self) -> dict[str, tuple[int, int, str]]:
        """path -> (size, mtime_ns, content digest) of files read by earlier runs.

        Only a shortcut: a file whose size and mtime match is not read again to
        learn its content hash; records are still keyed by content.
        """
        db = self._connect()
        if db is None:
            return {}
        try:
            return {p: (s, m, d) for p, s, m, d in db.execute("SELECT path, size, mtime, digest FROM stats")}
        except sqlite3.Error:
            return {}

    def put_digests(self, entries: Iterable[tuple[str, int, int, str]]) -> None:
        db = self._connect()
        entries = list(entries)
        if db is None or not entries:
            return
        try:
            db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?)", entries)
            db.commit()
        except sqlite3.Error as exc:
            log.warning("cache write failed: %s", exc)

    def close(self) -> None:
        """Write held records, mark what this run used, forget what the last KEEP_RUNS runs did not use, close."""
        self.write_held()
        if self._db is not None:
            try:
                db = self._db
                if self._touched:
                    db.executemany("UPDATE records SET used = ? WHERE key = ?", [(self.run, k) for k in self._touched])
                    self._touched = []
                db.execute("DELETE FROM records WHERE used < ?", (self.run - KEEP_RUNS,))
                db.execute("DELETE FROM results WHERE used < ?", (self.run - KEEP_RUNS,))
                db.commit()
            except sqlite3.Error as exc:
                log.warning("cache maintenance failed: %s", exc)
            self._db.close()
            self._db = None
