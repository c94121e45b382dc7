"""The look-ahead check of a run: each planned strategy re-run on its data cut, findings at the config's lines.

The check itself (cut the data, compare) is ``simulator.lookahead``; here is
what a run makes of it: a strategy that looks ahead without declaring it is
refused, at the line of the config that names it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..config import LoadedConfig
from ..contract import StrategyInput
from ..errors import StrategyError
from ..lookahead import Lookahead, WeightsOf, find_lookahead, first_difference, outputs
from .plan import PlannedStrategy

__all__ = ["run_check"]


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
    if hit.what != "weights":  # the signal or the events: one boolean column
        verb = "changes" if hit.what == "signal" else "change"
        return f"its {hit.what} on {d.day.date()} {verb} {after} {values}"
    ticker = p.tickers.get(d.column)
    asset = f"{ticker} (role {d.column})" if ticker else d.column
    return f"its weight in {asset} on {d.day.date()} changes {after} {values}"


def _whose(p: PlannedStrategy) -> str:
    return f"{p.strategy.name}, plugin {p.strategy.plugin}" if p.strategy.plugin else p.strategy.name


def _where(loaded: LoadedConfig, label: str) -> str:
    titles = [s.title for s in loaded.config.strategies]
    return loaded.where("strategies", titles.index(label), "name") if label in titles else str(loaded.path)
