"""The figures a strategy's tearsheet and quantstats' report of all strategies both draw, drawn once.

quantstats' report of several strategies draws, for each one, the same three
figures its own tearsheet draws (drawdown periods, monthly heatmap, return
quantiles): same data, same arguments, the same SVG. A tearsheet keeps them
(:func:`keeping`); the report of all strategies is written with a marker in
their place (:func:`leaving_out`), which :func:`put_back` fills.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from ._swap import swapped

__all__ = ["SLOTS", "keeping", "leaving_out", "put_back"]

# quantstats' plotting function -> its slot in the page template
SLOTS = {"drawdowns_periods": "dd_periods", "monthly_heatmap": "monthly_heatmap", "distribution": "returns_dist"}
_MARKER = re.compile(r"<!--rotsim:figure:(\w+):(\d+)-->")


@contextmanager
def keeping(into: MutableMapping[str, str]) -> Iterator[None]:
    """Within: each of the :data:`SLOTS` figures quantstats draws is also kept in ``into`` (slot -> SVG)."""

    def tee(original: Callable[..., Any], slot: str) -> Callable[..., Any]:
        def drawn(*args: Any, **kwargs: Any) -> Any:
            out = _output(kwargs)
            start = out.tell() if out is not None else 0
            result = original(*args, **kwargs)
            if out is not None:
                into[slot] = out.getvalue()[start:].decode()
            return result

        return drawn

    with _patched(tee):
        yield


@contextmanager
def leaving_out(columns: Sequence[str]) -> Iterator[None]:
    """Within: the :data:`SLOTS` figures of a strategy named in ``columns`` are a marker, not drawn."""

    def mark(original: Callable[..., Any], slot: str) -> Callable[..., Any]:
        def drawn(returns: Any, *args: Any, **kwargs: Any) -> Any:
            out = _output(kwargs)
            name = returns.name if isinstance(returns, pd.Series) else None
            if out is None or not isinstance(name, str) or name not in columns:
                return original(returns, *args, **kwargs)
            out.write(f"<!--rotsim:figure:{slot}:{list(columns).index(name)}-->".encode())
            return None

        return drawn

    with _patched(mark):
        yield


def put_back(html: str, columns: Sequence[str], figures: Mapping[str, Mapping[str, str]]) -> str:
    """``html`` with each marker :func:`leaving_out` left replaced by that strategy's figure from ``figures``."""
    return _MARKER.sub(lambda m: figures[columns[int(m.group(2))]][m.group(1)], html)


def _output(kwargs: Mapping[str, Any]) -> Any:
    """The stream quantstats draws the figure into (``savefig={"fname": stream, ...}``), or None."""
    savefig = kwargs.get("savefig")
    out = savefig.get("fname") if isinstance(savefig, dict) else None
    return out if hasattr(out, "getvalue") else None


@contextmanager
def _patched(wrap: Callable[[Callable[..., Any], str], Callable[..., Any]]) -> Iterator[None]:
    from quantstats import plots

    with swapped({(plots, name): wrap(getattr(plots, name), slot) for name, slot in SLOTS.items()}):
        yield
