"""Errors a user can fix. The CLI prints them without a traceback and exits with their ``exit_code`` (2)."""

from __future__ import annotations

from .contract import StrategyError, UserError

__all__ = ["ConfigError", "DataError", "OutputError", "StrategyError", "UserError", "WriteError"]


class ConfigError(UserError):
    """A config file that does not validate."""


class DataError(UserError):
    """Data that is missing, unreadable or fails a quality check."""


class OutputError(UserError):
    """A results folder that cannot be used: found before anything is computed."""


class WriteError(UserError):
    """Results that could not be written part-way (a full disk): nothing was kept, exit code 74 (EX_IOERR)."""

    exit_code = 74
