"""Align what a source returns into one ``MarketData``: the run's trading calendar.

Prices are put on the benchmark's trading days; macro series on the same days
**as of when each value was known**, so a strategy cannot see a number before
it was published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import final

import numpy as np
import pandas as pd

from ..errors import DataError
from ..plugins.strategy import StrategyInput
from .calendar import TRADING_DAYS
from .checks import DataWarning, in_span, missing_days
from .series import SeriesSpec, spec
from .source import Source

MIN_BARS = 20


@final
@dataclass(frozen=True)
class MarketData:
    """Prices and macro series on one trading calendar.

    - ``prices``: trading days x tickers, adjusted closes, no NaN, from the
      first day every ticker has a price (history before ``start`` is there
      for strategies' look-back windows, not simulated).
    - ``macro``: same days x series names, values as known at each close.
    - ``start``/``end``: the simulated span.
    """

    prices: pd.DataFrame
    macro: pd.DataFrame
    source: str
    synthetic: bool
    start: pd.Timestamp
    end: pd.Timestamp
    hashes: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def input_for(self, tickers: Mapping[str, str], series: Iterable[str]) -> StrategyInput:
        """Prices by role (``tickers``: role -> ticker) and the named macro series."""
        prices = pd.DataFrame({role: self.prices[t] for role, t in tickers.items()}, index=self.prices.index)
        return StrategyInput(prices=prices, macro=self.macro[list(series)].copy())


def build_market(
    source: Source,
    tickers: Iterable[str],
    benchmark: str,
    series: Iterable[str | SeriesSpec] = (),
    start: date | None = None,
    end: date | None = None,
    lag_overrides: Mapping[str, int] | None = None,
) -> MarketData:
    """Load ``tickers`` and ``series`` from ``source`` and align them on the benchmark's days.

    ``series`` are catalogue names or the ``SeriesSpec`` a strategy defined.
    """
    tickers = list(dict.fromkeys([benchmark, *tickers]))
    series = list(dict.fromkeys(series))
    warnings: list[str | DataWarning] = []
    raw = source.load_prices(tickers)
    calendar = raw[benchmark].index
    prices, price_warnings = _on_calendar(raw, calendar)
    warnings += price_warnings
    first = max(prices[t].first_valid_index() for t in tickers)
    last = min(prices[t].last_valid_index() for t in tickers)
    sim_start, sim_end = _span(raw, tickers, first, last, start, end, warnings)
    prices = prices.loc[first:sim_end]

    specs = [s if isinstance(s, SeriesSpec) else spec(s) for s in series]
    wanted = list(dict.fromkeys(i for s in specs for i in s.ids))
    absent = set(source.missing([], [i for s in specs for i in s.optional])) if wanted else set()
    ids = [i for i in wanted if i not in absent]
    loaded = source.load_series(ids) if ids else {}
    macro = pd.DataFrame(index=prices.index)
    for s in specs:
        lag = (lag_overrides or {}).get(s.name, s.lag_days)
        obs = splice([_prepared(loaded[i], i, s) for i in s.ids if i in loaded])
        macro[s.name] = as_known(obs, s, lag, prices.index)
        known = macro[s.name].loc[sim_start:]
        if obs.empty or known.isna().all():
            raise DataError(f"macro series '{s.name}' ({'+'.join(s.ids)}) has no value known during the run")
        # the last id spliced in serves the end; read its raw dates (a step series keeps only its changes)
        last_id = [i for i in s.ids if i in loaded and loaded[i].notna().any()][-1]
        last = loaded[last_id].dropna().index[-1]
        if s.frequency == "daily" and (gap := (sim_end - last).days) > 7:
            warnings.append(
                f"{s.name}: last observed on {last.date()}, {gap} days before the last simulated "
                f"day ({sim_end.date()}); its last value is carried forward"
            )
        if pd.isna(known.iloc[0]):
            warnings.append(
                f"{s.name}: first known on {known.first_valid_index().date()}, after the run starts "
                f"({sim_start.date()}); strategies see NaN before then"
            )

    warnings += getattr(source, "warnings", [])
    hashes = {t: _hash(raw[t]) for t in tickers} | {i: _hash(loaded[i]) for i in ids}
    return MarketData(
        prices=prices.astype(float),
        macro=macro,
        source=source.name,
        synthetic=source.synthetic,
        start=sim_start,
        end=sim_end,
        hashes=hashes,
        warnings=tuple(in_span(warnings, sim_start, sim_end)),  # what the run concerns, not whole files
    )


def as_known(obs: pd.Series, s: SeriesSpec, lag_days: int, index: pd.DatetimeIndex) -> pd.Series:
    """Each trading day's latest value whose publication date is on or before it.

    A ``hindsight`` series is placed on the dates its values describe instead.
    """
    obs = obs.dropna().sort_index()
    dates = pd.DatetimeIndex(obs.index)
    if s.hindsight:
        known = dates
    elif s.frequency == "daily":
        known = dates + pd.offsets.BDay(lag_days) if lag_days else dates
    else:
        known = dates + pd.offsets.MonthEnd(0) + pd.Timedelta(days=lag_days)
    right = pd.DataFrame({"known": known.as_unit("ns"), "value": obs.to_numpy(dtype=float)})
    right = right.sort_values("known", kind="stable")  # same day: the later observation wins
    left = pd.DataFrame({"date": pd.DatetimeIndex(index).as_unit("ns")})
    merged = pd.merge_asof(left, right, left_on="date", right_on="known", direction="backward")
    return pd.Series(merged["value"].to_numpy(), index=index, name=s.name)


def _prepared(obs: pd.Series, id_: str, s: SeriesSpec) -> pd.Series:
    """One id's observations in the series' units and dating, ready to splice."""
    if id_ in s.daily_percent:
        obs = ((1.0 + obs / 100.0) ** TRADING_DAYS - 1.0) * 100.0
    backdated = dict(s.announced_day_before)
    return backdate_changes(obs, backdated[id_]) if id_ in backdated else obs


def backdate_changes(obs: pd.Series, since: str | pd.Timestamp, days: int = 1) -> pd.Series:
    """A step series whose changes from ``since`` on are dated ``days`` calendar days late, put right.

    Requires: a step series (e.g. a policy rate). Sets: its change points only
    (callers read it as a step function), those dated on or after ``since``
    moved ``days`` earlier.
    """
    obs = obs.dropna().sort_index()
    changes = obs[obs.ne(obs.shift())]
    dates = pd.DatetimeIndex(changes.index)
    moved = dates.where(dates < pd.Timestamp(since), dates - pd.Timedelta(days=days))
    return pd.Series(changes.to_numpy(), index=moved, name=obs.name)


def splice(parts: list[pd.Series]) -> pd.Series:
    """Join series end to end: each later part wins from its own first date."""
    out = pd.Series(dtype=float)
    for part in parts:
        part = part.dropna().sort_index()
        if part.empty:
            continue
        out = pd.concat([out[out.index < part.index[0]], part]) if not out.empty else part
    return out.astype(float)


def _on_calendar(raw: Mapping[str, pd.Series], calendar: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[DataWarning]]:
    warnings = []
    cols = {}
    for t, s in raw.items():
        on = s.reindex(calendar)
        inside = on.loc[s.index[0] : s.index[-1]]
        holes = inside.index[inside.isna()]
        if len(holes):
            warnings += missing_days(t, holes, calendar, "trading day(s) of the benchmark", then="carried forward")
            on.loc[s.index[0] : s.index[-1]] = inside.ffill()
        cols[t] = on
    return pd.DataFrame(cols, index=calendar), warnings


def _span(
    raw: Mapping[str, pd.Series],
    tickers: list[str],
    first: pd.Timestamp,
    last: pd.Timestamp,
    start: date | None,
    end: date | None,
    warnings: list[str],
) -> tuple[pd.Timestamp, pd.Timestamp]:
    lo = pd.Timestamp(start) if start else first
    hi = pd.Timestamp(end) if end else last
    if lo < first:
        latest = max(tickers, key=lambda t: raw[t].index[0])
        warnings.append(f"{latest} starts on {first.date()}; the run starts there, not on {lo.date()}")
        lo = first
    if hi > last:
        earliest = min(tickers, key=lambda t: raw[t].index[-1])
        warnings.append(f"{earliest} ends on {last.date()}; the run ends there, not on {hi.date()}")
        hi = last
    days = raw[tickers[0]].index
    n = int(((days >= lo) & (days <= hi)).sum())
    if n < MIN_BARS:
        raise DataError(
            f"only {n} trading days between {lo.date()} and {hi.date()} where every ticker "
            f"({', '.join(tickers)}) has a price; need at least {MIN_BARS}"
        )
    sim_days = days[(days >= lo) & (days <= hi)]
    return sim_days[0], sim_days[-1]


def _hash(s: pd.Series) -> str:
    h = hashlib.sha256()
    h.update(pd.DatetimeIndex(s.index).as_unit("ns").asi8.tobytes())
    h.update(np.ascontiguousarray(s.to_numpy(dtype=float)).tobytes())
    return h.hexdigest()[:16]
