"""Helpers for testing analyzers and rules (ours and plugin authors').

``scan_files`` writes a small project from a mapping of relative paths to
(dedented) source text into a folder and scans it without a cache::

    result = scan_files(tmp_path, {
        "app/__init__.py": "",
        "app/main.py": '''
            from fastapi import FastAPI
            app = FastAPI()
            @app.get("/ping")
            def ping(): ...
        ''',
    })
    assert [(r.methods, r.path) for r in result.routes] == [(("GET",), "/ping")]
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Mapping

from .config import Config
from .pipeline import ScanResult, scan


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``; text is dedented."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip("\n"), "utf-8")
    return root


def scan_files(root: Path, files: Mapping[str, str | bytes], **config: Any) -> ScanResult:
    """Write ``files`` under ``root`` and scan it (no cache, one process, no metrics unless asked)."""
    write_files(root, files)
    cfg = Config(use_cache=False, jobs=1, metrics=config.pop("metrics", False), **config)
    return scan(root, cfg)
