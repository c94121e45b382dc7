"""The errors a plugin meets: a user's mistake, and a strategy's.

``simulator.errors`` holds the rest (config, data, output) and re-exports
these two, so ``simulator.errors.StrategyError`` is this class.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input: a config, a data file or a command-line argument.

    ``where`` names the file (and line, when known) at fault so the message
    can lead with it, compiler style: ``configs/x.yaml:12: ...``.
    """

    exit_code = 2

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class StrategyError(UserError):
    """A strategy that cannot be found, configured or that returned bad weights."""
