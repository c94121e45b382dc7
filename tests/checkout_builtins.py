"""The tests run this checkout's built-in strategies under their installed name, ``rotsim_strategies``.

The repository keeps them in ``strategies/``; installing rotsim maps that
folder to the package ``rotsim_strategies`` (setup.py), and an editable
install maps it to the folder of the checkout it was made from. The tests may
run another checkout with the checkout first on ``PYTHONPATH`` (a second
worktree sharing one environment): ``PYTHONPATH`` cannot rename a folder, so
a finder put ahead of the installed one serves ``rotsim_strategies`` from
this checkout's ``strategies/``, in the test process and in every ``rotsim``
subprocess (see ``conftest.run_cli``). Where the install is of this
checkout it changes nothing.

Loaded by file path in subprocesses, so it imports nothing from the tests.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType

__all__ = ["NAME", "use_checkout_builtins"]

NAME = "rotsim_strategies"
MUTATION_ENV = "ROTSIM_MUTATION"  # set by scripts/mutation.py
FOLDER = Path(__file__).resolve().parents[1] / "strategies"


class _CheckoutBuiltins:
    """A meta path finder for the top-level package only; its modules are found on its ``__path__``."""

    @staticmethod
    def find_spec(
        fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != NAME:
            return None
        return spec_from_file_location(NAME, FOLDER / "__init__.py", submodule_search_locations=[str(FOLDER)])


def use_checkout_builtins() -> None:
    """Import ``rotsim_strategies`` from this checkout's ``strategies/`` from now on (once per process)."""
    if os.environ.get(MUTATION_ENV):
        _as_repository_package()
    elif not any(getattr(f, "__name__", "") == _CheckoutBuiltins.__name__ for f in sys.meta_path):
        sys.meta_path.insert(0, _CheckoutBuiltins)  # type: ignore[arg-type]


def _as_repository_package() -> None:
    """Under mutation testing, ``rotsim_strategies.X`` *is* the module ``strategies.X`` of this checkout.

    mutmut names a mutant by its file's path (``strategies.small_cap_thrust``)
    and switches it on only in a module of that name: the built-ins imported
    under their installed name would be neither counted nor mutated.
    """
    if str(FOLDER.parent) not in sys.path:
        sys.path.insert(0, str(FOLDER.parent))
    sys.modules[NAME] = importlib.import_module(FOLDER.name)
    for info in pkgutil.iter_modules([str(FOLDER)]):
        sys.modules[f"{NAME}.{info.name}"] = importlib.import_module(f"{FOLDER.name}.{info.name}")
