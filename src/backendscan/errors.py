"""Exception tree.  Each class knows the CLI exit code it maps to."""

from __future__ import annotations


class BackendscanError(Exception):
    """Base of every error backendscan raises on purpose."""

    exit_code = 3


class UsageError(BackendscanError):
    """Bad command-line usage or a path that does not exist."""

    exit_code = 2


class ConfigError(BackendscanError):
    """Invalid configuration; ``problems`` lists every problem found, with locations."""

    exit_code = 2

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        self.problems = problems
        text = message if not problems else message + "\n" + "\n".join(f"  {p}" for p in problems)
        super().__init__(text)


class RulesError(ConfigError):
    """A RULES.md (or rules config) that cannot be compiled at all."""


class InternalError(BackendscanError):
    """A bug in backendscan."""

    exit_code = 3
