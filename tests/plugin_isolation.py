"""Keep rotsim's tests blind to strategy plugins installed in the environment.

A user who installs a plugin (as docs/writing-strategies.md shows) must still
see rotsim's own suite pass: its tests count, list and run rotsim's
strategies, and a broken plugin would add warnings to every command. So, when
the session starts, the distributions already on the path that declare a
``rotsim.strategies`` entry point (all but rotsim itself) are recorded, and
entry-point discovery skips them, in the test process and in every ``rotsim``
subprocess (which reads the record from ``$ROTSIM_TESTS_HIDDEN_PLUGINS``).
Plugins a test installs itself, into a folder of its own, stay visible.

Loaded by file path in subprocesses (see ``conftest.run_cli``), so it imports
nothing from the tests.
"""

from __future__ import annotations

import email
import functools
import json
import os
import re
from collections.abc import Callable, Iterable
from importlib.metadata import Distribution, EntryPoint, distributions

__all__ = ["HIDDEN_ENV", "hide_installed_plugins", "installed_plugins", "visible_entry_points"]

HIDDEN_ENV = "ROTSIM_TESTS_HIDDEN_PLUGINS"  # JSON list of [distribution name, folder]
GROUP = "rotsim.strategies"  # simulator.plugins.ENTRY_POINT_GROUP, not imported: this runs before simulator
OWN = "rotsim"

Key = tuple[str, str]


def _key(dist: Distribution) -> Key:
    # A distribution is its normalised name (PEP 503) in the folder it was found in: a test's
    # own install of a package that is also installed in the environment is another key.
    name = re.sub(r"[-_.]+", "-", _name(_metadata_text(dist))).lower()
    return name, str(dist.locate_file(""))


def _metadata_text(dist: Distribution) -> str:
    # The text ``Distribution.metadata`` parses, read without parsing it: reading is cheap, parsing is not.
    return dist.read_text("METADATA") or dist.read_text("PKG-INFO") or dist.read_text("") or ""


@functools.cache
def _name(metadata: str) -> str:
    # Every plugin load looks at every distribution on the path; parsing their metadata
    # (long descriptions and all) each time cost a tenth of a second a ``rotsim`` command.
    return email.message_from_string(metadata)["Name"] or ""


def installed_plugins() -> list[Key]:
    """The distributions on the path now, other than rotsim, that declare rotsim strategy plugins."""
    return sorted({_key(d) for d in distributions() if d.entry_points.select(group=GROUP) and _key(d)[0] != OWN})


def visible_entry_points(hidden: Iterable[Key]) -> Callable[..., list[EntryPoint]]:
    """``importlib.metadata.entry_points(group=...)`` as if the ``hidden`` distributions were not installed."""
    skip = {tuple(k) for k in hidden}

    def entry_points(*, group: str) -> list[EntryPoint]:
        # importlib.metadata's rule: of distributions with one name, the first on the path counts;
        # a hidden one must not shadow a test's own copy further down the path.
        seen: set[str] = set()
        found: list[EntryPoint] = []
        for dist in distributions():
            key = _key(dist)
            if key in skip or key[0] in seen:
                continue
            seen.add(key[0])
            found.extend(dist.entry_points.select(group=group))
        return found

    return entry_points


def hide_installed_plugins(hidden: Iterable[Key] | None = None) -> list[Key]:
    """Make rotsim's plugin loader skip ``hidden`` (default: the record in ``$ROTSIM_TESTS_HIDDEN_PLUGINS``).

    Returns what is hidden. Requires: simulator importable.
    """
    from simulator.plugins import manager

    keys = [tuple(k) for k in (json.loads(os.environ.get(HIDDEN_ENV) or "[]") if hidden is None else hidden)]
    manager.entry_points = visible_entry_points(keys)
    return keys
