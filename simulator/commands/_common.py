"""Helpers the commands share: the console, markup escaping, plugin warnings."""

from __future__ import annotations

import os
import sys


def console(stderr: bool = False):  # noqa: ANN202
    from rich.console import Console

    # CI logs and pipes get plain text at a readable width
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=stderr, width=width)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def report_broken(registry, out) -> None:  # noqa: ANN001 - Registry, rich Console
    for p in registry.broken:
        out.print(f"[yellow]warning:[/] plugin {p.name} ({p.source}) did not load: {escape(p.error)}", highlight=False)

