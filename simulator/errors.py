"""Errors a user can fix. The CLI prints them without a traceback and exits with their ``exit_code`` (2)."""

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


class ConfigError(UserError):
    """A config file that does not validate."""


class DataError(UserError):
    """Data that is missing, unreadable or fails a quality check."""


class StrategyError(UserError):
    """A strategy that cannot be found, configured or that returned bad weights."""


class OutputError(UserError):
    """A results folder that cannot be used: found before anything is computed."""


class WriteError(UserError):
    """Results that could not be written part-way (a full disk): nothing was kept, exit code 74 (EX_IOERR)."""

    exit_code = 74
