"""backendscan: a static architecture scanner for Python backends.

Library use::

    import backendscan
    result = backendscan.scan("path/to/repo")
    for route in result.routes: ...

Nothing is imported or executed from the scanned code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .pipeline import ScanResult

__all__ = ["__version__", "scan", "Config", "ScanResult"]


def scan(path: Any, config: "Config | None" = None, **kwargs: Any) -> "ScanResult":
    """Scan the codebase at ``path``; see :func:`backendscan.pipeline.scan`."""
    from .pipeline import scan as _scan

    return _scan(path, config, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Config":
        from .config import Config

        return Config
    if name == "ScanResult":
        from .pipeline import ScanResult

        return ScanResult
    raise AttributeError(name)
