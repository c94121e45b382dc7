"""Attributes of other modules swapped for the length of a block (how rotsim mends quantstats while it draws)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["swapped"]


@contextmanager
def swapped(patches: Mapping[tuple[Any, str], Any]) -> Iterator[None]:
    """Within: each ``(module, name)`` of ``patches`` set to its value; every original back after, error or not."""
    saved = {key: getattr(*key) for key in patches}
    try:
        for (module, name), value in patches.items():
            setattr(module, name, value)
        yield
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)
