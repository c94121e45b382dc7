"""Hook specifications: the extension points rotsim calls, one stub each.

The argument names are the contract: pluggy passes arguments by name, so a
plugin's implementation may accept any subset of them, and renaming one
breaks every plugin. A plugin implements a hook with a function of the same
name decorated with ``simulator.contract.hookimpl``, in the module its entry
point (or ``--plugin``) names. The guide, docs/writing-strategies.md, lists
every hook with its docstring (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ._strategy import Strategy

PROJECT = "rotsim"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_strategies(register: Callable[[Strategy], None]) -> None:
    """Call ``register(strategy)`` once for each strategy the plugin provides."""
