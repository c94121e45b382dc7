"""Align what a source returns into one ``MarketData``: the run's trading calendar.

Prices are put on the benchmark's trading days; macro series on the same days
**as of when each value was known**, so a strategy cannot see a number before
it was published.

Strategies see all the history of their inputs that exists before the run
starts (its warm-up), so their first decision can be made before the first
simulated day: the calendar reaches back before the benchmark's first day
through the other tickers' own trading days, and before any price through
weekdays, as far as the earliest macro series goes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import cast, final

import numpy as np
import pandas as pd

from ...contract import SeriesSpec, StrategyInput
from ...errors import DataError
from ...units import TRADING_DAYS
from ..checks import DataWarning, in_span, missing_days
from ..sources.protocol import Source
from .series import spec

MIN_BARS = 20


@final
@dataclass(frozen=True)
class MarketData:
    """Prices and macro series on one trading calendar.

    - ``prices``: days x tickers, adjusted closes; each ticker from its own
      first price (NaN before it), every ticker priced from ``start`` to
      ``end``. The days before ``start`` are the strategies' warm-up, not
      simulated: the benchmark's trading days, before those the other
      tickers' own days, and before any price weekdays (for macro history).
    - ``macro``: same days x series names, values as known at each close.
    - ``observed``: same days x series names, the observation date of each
      of those values (NaT before the first is published).
    - ``start``/``end``: the simulated span.
    """

    prices: pd.DataFrame
    macro: pd.DataFrame
    observed: pd.DataFrame
    source: str
    synthetic: bool
    start: pd.Timestamp
    end: pd.Timestamp
    hashes: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def input_for(self, tickers: Mapping[str, str], series: Iterable[str]) -> StrategyInput:
        """Prices by role (``tickers``: role -> ticker) and the named macro series, up to ``end``.

        From the first day any of them has a value: all the history the
        strategy can use before the run starts, and none of the days before
        its own inputs begin.
        """
        prices = pd.DataFrame({role: self.prices[t] for role, t in tickers.items()}, index=self.prices.index)
        names = list(series)  # read twice below: an iterator would be spent by the first
        macro = self.macro[names]
        firsts = [c.first_valid_index() for _, c in prices.items()] + [c.first_valid_index() for _, c in macro.items()]
        known = [cast(pd.Timestamp, f) for f in firsts if f is not None]  # on a DatetimeIndex
        lo = min(known, default=self.start)
        observed = self.observed[names].loc[lo:].copy()  # build_market dates every series it loads
        return StrategyInput(prices=prices.loc[lo:].copy(), macro=macro.loc[lo:].copy(), observed=observed)

    @property
    def history_from(self) -> pd.Timestamp:
        """The first day of the warm-up calendar."""
        return cast(pd.Timestamp, self.prices.index[0])


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
    specs = [s if isinstance(s, SeriesSpec) else spec(s) for s in series]
    wanted = list(dict.fromkeys(i for s in specs for i in s.ids))
    absent = set(source.missing([], [i for s in specs for i in s.optional])) if wanted else set()
    ids = [i for i in wanted if i not in absent]
    loaded = source.load_series(ids) if ids else {}

    calendar = warm_up_calendar(
        raw, benchmark, [cast(pd.Timestamp, f) for v in loaded.values() if (f := v.first_valid_index()) is not None]
    )
    prices, price_warnings = _on_calendar(raw, calendar, raw[benchmark].index[0])
    warnings += price_warnings
    if unpriced := [t for t in tickers if not prices[t].notna().any()]:
        raise DataError(
            f"no price on any trading day of the benchmark ({benchmark}) for {', '.join(unpriced)}"
            if unpriced != [benchmark]
            else f"{benchmark}: no prices"
        )
    # every ticker has a price (checked above), so neither is None
    first = max(cast(pd.Timestamp, prices[t].first_valid_index()) for t in tickers)
    last = min(cast(pd.Timestamp, prices[t].last_valid_index()) for t in tickers)
    sim_start, sim_end = _span(raw, tickers, first, last, start, end, warnings)
    prices = prices.loc[:sim_end]

    macro = pd.DataFrame(index=prices.index)
    observed = pd.DataFrame(index=prices.index)
    for s in specs:
        lag = (lag_overrides or {}).get(s.name, s.lag_days)
        obs = splice([_prepared(loaded[i], i, s) for i in s.ids if i in loaded])
        obs = year_on_year(obs) if s.yoy else obs
        merged = _latest_known(obs, s, lag, cast(pd.DatetimeIndex, prices.index))  # as_known, observed_as_known
        macro[s.name] = merged["value"].to_numpy()
        observed[s.name] = pd.DatetimeIndex(merged["observed"])
        known = macro[s.name].loc[sim_start:]
        if obs.empty or known.isna().all():
            raise DataError(f"macro series '{s.name}' ({'+'.join(s.ids)}) has no value known during the run")
        # the last id spliced in serves the end; read its raw dates (a step series keeps only its changes)
        last_id = [i for i in s.ids if i in loaded and loaded[i].notna().any()][-1]
        last = cast(pd.Timestamp, loaded[last_id].dropna().index[-1])
        if s.frequency == "daily" and (gap := (sim_end - last).days) > 7:
            warnings.append(
                f"{s.name}: last observed on {last.date()}, {gap} days before the last simulated "
                f"day ({sim_end.date()}); its last value is carried forward"
            )
        if pd.isna(known.iloc[0]):
            warnings.append(
                f"{s.name}: first known on {cast(pd.Timestamp, known.first_valid_index()).date()}, after the run starts "
                f"({sim_start.date()}); strategies see NaN before then"
            )

    warnings += getattr(source, "warnings", [])
    hashes = {t: _hash(raw[t]) for t in tickers} | {i: _hash(loaded[i]) for i in ids}
    return MarketData(
        prices=prices.astype(float),
        macro=macro,
        observed=observed,
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
    merged = _latest_known(obs, s, lag_days, index)
    return pd.Series(merged["value"].to_numpy(), index=index, name=s.name)


def observed_as_known(obs: pd.Series, s: SeriesSpec, lag_days: int, index: pd.DatetimeIndex) -> pd.Series:
    """The observation date of ``as_known``'s value on each trading day (NaT before the first is published).

    Tells a new release from the one before when both have the same value.
    """
    merged = _latest_known(obs, s, lag_days, index)
    return pd.Series(pd.DatetimeIndex(merged["observed"]), index=index, name=s.name)


def _latest_known(obs: pd.Series, s: SeriesSpec, lag_days: int, index: pd.DatetimeIndex) -> pd.DataFrame:
    """For each day of ``index``: the latest observation published on or before it (columns observed, value)."""
    obs = obs.dropna().sort_index()
    dates = pd.DatetimeIndex(obs.index)
    if s.hindsight:
        known = dates
    elif s.frequency == "daily":
        known = dates + pd.offsets.BDay(lag_days) if lag_days else dates
    elif s.frequency == "quarterly":
        known = dates + pd.offsets.QuarterEnd(0) + pd.Timedelta(days=lag_days)
    else:
        known = dates + pd.offsets.MonthEnd(0) + pd.Timedelta(days=lag_days)
    right = pd.DataFrame(
        {"known": known.as_unit("ns"), "observed": dates.as_unit("ns"), "value": obs.to_numpy(dtype=float)}
    )
    right = right.sort_values("known", kind="stable")  # same day: the later observation wins
    left = pd.DataFrame({"date": pd.DatetimeIndex(index).as_unit("ns")})
    return pd.merge_asof(left, right, left_on="date", right_on="known", direction="backward")


def year_on_year(obs: pd.Series) -> pd.Series:
    """Percent change of each observation over the one dated a year earlier (NaN where there is none).

    Matched by date, not by position: a missing month (CPI's 2025-10) leaves
    a hole, not a shift of every later value.
    """
    obs = obs.dropna().sort_index()
    earlier = obs.reindex(pd.DatetimeIndex(obs.index) - pd.DateOffset(years=1)).to_numpy(dtype=float)
    return pd.Series((obs.to_numpy(dtype=float) / earlier - 1.0) * 100.0, index=obs.index, name=obs.name).dropna()


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


def warm_up_calendar(
    raw: Mapping[str, pd.Series], benchmark: str, macro_firsts: Iterable[pd.Timestamp] = ()
) -> pd.DatetimeIndex:
    """The benchmark's trading days, after the other tickers' own days before them, after weekdays before any price.

    Requires: ``raw`` price series by ticker (the benchmark's among them) and
    the first observation date of each macro series. Sets: the days on which
    strategies see their inputs; only the benchmark's days are ever simulated.
    """
    bench = pd.DatetimeIndex(raw[benchmark].index).as_unit("ns")
    days = pd.DatetimeIndex(np.unique(np.concatenate([pd.DatetimeIndex(s.index).as_unit("ns") for s in raw.values()])))
    earlier = days[days < bench[0]]
    first_price = earlier[0] if len(earlier) else bench[0]
    weekdays = pd.bdate_range(min(macro_firsts, default=first_price), first_price, inclusive="left")
    # DatetimeIndex.append of DatetimeIndexes is one (pandas-stubs says Index)
    return cast(pd.DatetimeIndex, weekdays.as_unit("ns").append([earlier, bench]).rename(bench.name))


def _on_calendar(
    raw: Mapping[str, pd.Series], calendar: pd.DatetimeIndex, checked_from: pd.Timestamp
) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Each ticker on ``calendar``, holes inside its own span carried forward.

    A hole is warned about only from ``checked_from`` (the benchmark's first
    day): before it the calendar is a union of other tickers' days.
    """
    warnings = []
    cols = {}
    for t, s in raw.items():
        on = s.reindex(calendar)
        inside = on.loc[s.index[0] : s.index[-1]]
        holes = cast(pd.DatetimeIndex, inside.index[inside.isna() & (inside.index >= checked_from)])
        if inside.isna().any():
            on.loc[s.index[0] : s.index[-1]] = inside.ffill()
        if len(holes):
            warnings += missing_days(t, holes, calendar, "trading day(s) of the benchmark", then="carried forward")
        cols[t] = on
    return pd.DataFrame(cols, index=calendar), warnings


def _span(
    raw: Mapping[str, pd.Series],
    tickers: list[str],
    first: pd.Timestamp,
    last: pd.Timestamp,
    start: date | None,
    end: date | None,
    warnings: list[str | DataWarning],
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
