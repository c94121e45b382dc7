"""The ``rotsim`` command.

argparse and only the standard library at import time: ``rotsim --help``
must answer at once. Each command is a module in ``simulator.commands`` with
a ``register(subparsers)`` function (``new-strategy`` lives in
``new_strategy.py``); it imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

EXIT_USER_ERROR = 2
COMMANDS = ("run", "sweep", "study", "compare", "validate", "strategies", "series", "plugins", "new-strategy", "data")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USER_ERROR
    from .commands._common import console, escape
    from .errors import UserError
    from .interrupt import exit_code, on_termination, signal_name

    try:
        with on_termination():  # SIGTERM and SIGHUP stop a run as Ctrl-C does: cleaned up, nothing written
            return int(args.func(args) or 0)
    except UserError as exc:
        console(stderr=True).print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        kept = "; ".join(getattr(exc, "__notes__", [])) or "nothing was written"  # a sweep keeps its chunks
        print(f"interrupted ({signal_name(exc)}); {kept}", file=sys.stderr)
        return exit_code(exc)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rotsim",
        description="Portfolio rotation simulator: test market-rotation claims as strategies on history.",
    )
    sub = p.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".commands.{name.replace('-', '_')}", __package__).register(sub)
    return p


if __name__ == "__main__":
    sys.exit(main())
