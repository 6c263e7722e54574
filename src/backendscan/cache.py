"""Per-file result cache, keyed by content hash (not mtime).

A restored cache therefore works in a fresh CI clone.  The key also holds the
module name (relative imports depend on it), the backendscan version and the
versions of the analyzers that ran, and whether metrics were computed.  Storage
is one SQLite file; a corrupt or unwritable cache is ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping

from .extraction import FileRecord

log = logging.getLogger(__name__)

SCHEMA = 1


def cache_key(digest: str, module: str, is_package: bool, salt: str) -> str:
    """Cache key of one file's record."""
    basis = f"{digest}\x1f{module}\x1f{int(is_package)}\x1f{salt}"
    return hashlib.blake2b(basis.encode("utf-8"), digest_size=16).hexdigest()


class Cache:
    """A key -> FileRecord store in ``<dir>/records.sqlite3``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "records.sqlite3"
        self._db: sqlite3.Connection | None = None
        self.disabled = False

    def _connect(self) -> sqlite3.Connection | None:
        if self.disabled:
            return None
        if self._db is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                gitignore = self.directory / ".gitignore"
                if not gitignore.exists():
                    gitignore.write_text("*\n", "utf-8")
                db = sqlite3.connect(self.path, timeout=10)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")
                db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                row = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
                if row is None or row[0] != str(SCHEMA):
                    db.execute("DROP TABLE IF EXISTS records")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                db.execute("CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, data BLOB)")
                db.commit()
                self._db = db
            except (OSError, sqlite3.Error) as exc:
                log.warning("cache disabled: %s", exc)
                self.disabled = True
                return None
        return self._db

    def get_many(self, keys: Iterable[str]) -> dict[str, FileRecord]:
        """Records for the keys that are cached (unreadable entries are skipped)."""
        db = self._connect()
        keys = list(keys)
        out: dict[str, FileRecord] = {}
        if db is None or not keys:
            return out
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = "SELECT key, data FROM records WHERE key IN (%s)" % ",".join("?" * len(chunk))
                for key, blob in db.execute(q, chunk):
                    try:
                        out[key] = pickle.loads(blob)
                    except Exception:
                        continue
        except sqlite3.Error as exc:
            log.warning("cache read failed: %s", exc)
        return out

    def put_many(self, records: Mapping[str, FileRecord]) -> None:
        db = self._connect()
        if db is None or not records:
            return
        try:
            db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?)",
                [(k, pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) for k, r in records.items()],
            )
            db.commit()
        except (sqlite3.Error, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("cache write failed: %s", exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
