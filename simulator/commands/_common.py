"""Helpers the commands share: the console, markup escaping, plugin options and warnings."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ..data.sources.pick import DataAccess
    from ..plugins.manager import Registry


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # CI logs and pipes get plain text at a readable width
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=stderr, width=width)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def report_broken(registry: Registry, out: Console) -> None:
    print_warnings(out, [f"plugin {p.name} ({p.source}) did not load: {p.error}" for p in registry.broken])


def print_warnings(out: Console, warnings: Sequence[str]) -> None:
    """Each warning on its own line, as `run` and `validate` both print them."""
    for w in warnings:
        out.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)


def add_plugin_options(parser: argparse.ArgumentParser) -> None:
    """``--plugin`` and ``--disable-plugin``, as every command that loads plugins takes them."""
    parser.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="FILE|MODULE",
        help="also load this plugin: a .py file or an importable module (repeatable; or $ROTSIM_PLUGINS, comma-separated)",
    )
    parser.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="do not load this installed plugin (repeatable; or $ROTSIM_DISABLE_PLUGINS, comma-separated; '*': all but builtin)",
    )


def load_registry(args: argparse.Namespace, plugins: Sequence[str | Path] | None = None) -> Registry:
    """The plugins for a command: ``plugins`` (default: ``--plugin``) minus ``--disable-plugin``, plus the environment's."""
    from ..plugins import load_plugins

    return load_plugins(args.plugin if plugins is None else plugins, args.disable_plugin)


def add_data_options(parser: argparse.ArgumentParser, *, refresh: bool = True, offline: bool = True) -> None:
    """The options that say where downloaded data lives and whether to download."""
    parser.add_argument(
        "--cache-dir", metavar="DIR", help="download cache (overrides $ROTSIM_CACHE_DIR and data.cache_dir)"
    )
    if offline:
        parser.add_argument("--offline", action="store_true", help="never download; use the folder and the cache only")
    if refresh:
        parser.add_argument(
            "--refresh", action="store_true", help="update every cached download now (prices incrementally)"
        )


def data_access(args: argparse.Namespace) -> DataAccess:
    from ..data.sources import DataAccess

    return DataAccess(
        cache_dir=args.cache_dir, offline=getattr(args, "offline", False), refresh=getattr(args, "refresh", False)
    )
