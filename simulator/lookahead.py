"""Look-ahead: does removing the data after day t change what a strategy decided up to t?

A decision on day t may use data up to t only. Strategies are vectorised, so
re-running one on its data cut after a few days is cheap, and any weight (or
signal) up to a cut that changes shows the strategy read what came after.
One check, two users: ``simulator.testing.check_no_lookahead`` (authors'
tests) and every run (``run_check``: refuses a strategy that looks ahead
unless its params declare the hindsight).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, final

import numpy as np
import pandas as pd

from .contract import StrategyError, StrategyInput

if TYPE_CHECKING:
    from .config import LoadedConfig
    from .plan import PlannedStrategy

__all__ = [
    "Difference",
    "Lookahead",
    "even_cuts",
    "find_lookahead",
    "first_difference",
    "head",
    "outputs",
    "run_check",
]

WeightsOf = Callable[[StrategyInput], pd.DataFrame]


@final
@dataclass(frozen=True)
class Difference:
    """Where two outputs first differ: the day, the column and both values (or how their shapes differ)."""

    day: pd.Timestamp | None = None
    column: str = ""
    left: float = np.nan
    right: float = np.nan
    shape: str = ""  # set when the columns or dates differ; the rest is then unset

    def __str__(self) -> str:
        if self.shape or self.day is None:
            return self.shape
        return f"{self.day.date()} ({self.column}: {self.left:g} vs {self.right:g})"


@final
@dataclass(frozen=True)
class Lookahead:
    """A strategy's ``what`` ("weights" or "signal") changed when its data was cut after ``cut``."""

    cut: pd.Timestamp
    what: str
    difference: Difference


def head(weights: pd.DataFrame, t: pd.Timestamp) -> pd.DataFrame:
    """Weights (and signal) up to and including ``t``."""
    out = weights.loc[:t].copy()
    out.attrs = {k: v.loc[:t] if k == "signal" and isinstance(v, pd.Series) else v for k, v in weights.attrs.items()}
    return out


def outputs(a: pd.DataFrame, b: pd.DataFrame) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """The weights, and the signals if either sets one, as pairs to compare."""
    pairs = [("weights", a, b)]
    sa, sb = a.attrs.get("signal"), b.attrs.get("signal")
    if sa is not None or sb is not None:
        as_frame = lambda s: pd.DataFrame({"signal": s}) if s is not None else pd.DataFrame()  # noqa: E731
        pairs.append(("signal", as_frame(sa), as_frame(sb)))
    return pairs


def first_difference(a: pd.DataFrame, b: pd.DataFrame, exact: bool = False) -> Difference | None:
    """Where ``a`` and ``b`` first differ (to 1e-9 relative unless ``exact``), or None if they agree."""
    if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
        return Difference(
            shape=f"the columns or dates ({list(a.columns)} on {len(a)} days vs {list(b.columns)} on {len(b)} days)"
        )
    x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    same = (x == y) if exact else np.isclose(x, y, rtol=1e-9, atol=1e-12)
    same |= np.isnan(x) & np.isnan(y)
    if same.all():
        return None
    row, col = np.argwhere(~same)[0]
    return Difference(a.index[row], str(a.columns[col]), float(x[row, col]), float(y[row, col]))


def find_lookahead(
    weights_of: WeightsOf, data: StrategyInput, full: pd.DataFrame, cuts: Iterable[pd.Timestamp]
) -> Lookahead | None:
    """The first cut at which ``weights_of(data cut after it)`` differs from ``full`` up to it, or None.

    ``full``: ``weights_of(data)``. ``weights_of`` raises what it likes on a
    bad output; the caller decides how a failure on cut data is reported.
    """
    for t in cuts:
        part = weights_of(data.truncate(t))
        for what, a, b in outputs(head(full, t), part):
            if diff := first_difference(a, b):
                return Lookahead(t, what, diff)
    return None


def even_cuts(days: pd.DatetimeIndex, n: int) -> list[pd.Timestamp]:
    """``n`` days spread evenly inside ``days`` (at 1/(n+1), 2/(n+1), ... of the way), none the last."""
    if n <= 0 or len(days) < 2:
        return []
    positions = sorted({min(len(days) - 2, (k * len(days)) // (n + 1)) for k in range(1, n + 1)})
    return [days[p] for p in positions]


# --------------------------------------------------------------------------- in a run


def run_check(
    loaded: LoadedConfig,
    planned: Sequence[PlannedStrategy],
    inputs: Mapping[str, StrategyInput],
    weights: Mapping[str, pd.DataFrame],
    cuts: Sequence[pd.Timestamp],
) -> dict[str, str]:
    """Re-run each planned strategy on its input cut after each of ``cuts``; label -> what was found.

    Requires ``inputs`` and ``weights`` (its checked output on the whole
    input) by label. Raises ``StrategyError`` listing every strategy that
    looks ahead without declaring it (or is not deterministic, so the check
    cannot tell), each at its config line. A strategy whose params declare
    hindsight is not refused: what the check found is returned for reports.
    """
    found: dict[str, str] = {}
    refused: list[str] = []
    for p in planned:
        where = _where(loaded, p.label)
        note = p.hindsight_note()
        weights_of = _on_cut(p, where)
        hit = find_lookahead(weights_of, inputs[p.label], weights[p.label], cuts)
        if hit is None:
            found[p.label] = "passed"
            continue
        what = _describe(hit, p)
        again = p.strategy.weights(inputs[p.label], p.params)
        pairs = outputs(weights[p.label], again)
        if unstable := next((d for _, a, b in pairs if (d := first_difference(a, b))), None):
            refused.append(
                f"{where}: strategy '{p.label}' ({_whose(p)}) is not deterministic: two runs on the same data "
                f"differ on {unstable}, so whether it looks ahead cannot be checked; seed its randomness "
                "(or set engine.lookahead_checks: 0 to run it unchecked)"
            )
        elif note:
            found[p.label] = f"looks ahead, as its params declare (HINDSIGHT: {note}): {what}"
        else:
            refused.append(
                f"{where}: strategy '{p.label}' ({_whose(p)}) looks ahead: {what}; a decision on day t may use "
                "data up to t only. Fix the strategy, declare the future it uses on purpose "
                "(@strategy(hindsight=...)), or set engine.lookahead_checks: 0 to run it unchecked"
            )
    if refused:
        raise StrategyError("\n".join(refused))
    return found


def _on_cut(p: PlannedStrategy, where: str) -> WeightsOf:
    """The strategy's checked weights on cut data; a failure there names the cut and the check."""

    def weights_of(data: StrategyInput) -> pd.DataFrame:
        try:
            return p.strategy.weights(data, p.params)
        except StrategyError as exc:
            raise StrategyError(
                f"{where}: {exc.message} (on its data cut after {data.index[-1].date()}, for the look-ahead "
                "check; engine.lookahead_checks: 0 skips it)"
            ) from exc

    return weights_of


def _describe(hit: Lookahead, p: PlannedStrategy) -> str:
    d = hit.difference
    after = f"when the data after {hit.cut.date()} is removed"
    if d.day is None:
        return f"its {hit.what} change {after}: {d}"
    values = f"({d.left:g} on the whole data, {d.right:g} on the cut data)"
    if hit.what == "signal":
        return f"its signal on {d.day.date()} changes {after} {values}"
    ticker = p.tickers.get(d.column)
    asset = f"{ticker} (role {d.column})" if ticker else d.column
    return f"its weight in {asset} on {d.day.date()} changes {after} {values}"


def _whose(p: PlannedStrategy) -> str:
    return f"{p.strategy.name}, plugin {p.strategy.plugin}" if p.strategy.plugin else p.strategy.name


def _where(loaded: LoadedConfig, label: str) -> str:
    titles = [s.title for s in loaded.config.strategies]
    return loaded.where("strategies", titles.index(label), "name") if label in titles else str(loaded.path)
