"""Where the report's templates live, and a digest of everything that shapes rendered text
besides the scan itself (templates, the ``dot`` executable); light to import."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def template_dirs(extra: str | Path | None = None) -> list[Path]:
    """Folders searched for templates, user folder first."""
    dirs: list[Path] = []
    if extra:
        dirs.append(Path(extra))
    here = Path(__file__).resolve().parent.parent
    shipped = here / "templates"
    if shipped.is_dir():
        dirs.append(shipped)
    repo = here.parent.parent / "templates"  # editable install / source checkout
    if repo.is_dir():
        dirs.append(repo)
    return dirs


#: libraries whose version can change rendered text (templating, escaping, graph algorithms, drawings)
RENDERING_LIBRARIES = ("jinja2", "markupsafe", "networkx", "pydeps", "markdown-it-py", "radon", "libcst")


def rendering_digest(template_dir: str | Path | None = None) -> str:
    """Digest of every template file (names and bytes), of the ``dot`` executable (path, size,
    mtime) and of the versions of :data:`RENDERING_LIBRARIES`.

    Rendered reports cached under a project key are keyed by this too: an edited
    template, an upgraded Graphviz or Jinja gives a fresh rendering.
    """
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.blake2b(digest_size=16)
    for lib in RENDERING_LIBRARIES:
        try:
            h.update(f"\x1c{lib}={version(lib)}".encode())
        except PackageNotFoundError:
            h.update(f"\x1c{lib}=-".encode())
    for i, d in enumerate(template_dirs(template_dir)):
        for path in sorted(p for p in d.rglob("*") if p.is_file()):
            h.update(f"\x1e{i}\x1f{path.relative_to(d).as_posix()}\x1f".encode("utf-8", "surrogateescape"))
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"\x00unreadable")
    dot = shutil.which("dot")
    if dot:
        try:
            st = Path(dot).resolve().stat()
            h.update(f"\x1ddot\x1f{dot}\x1f{st.st_size}\x1f{st.st_mtime_ns}".encode("utf-8", "surrogateescape"))
        except OSError:
            h.update(f"\x1ddot\x1f{dot}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
