"""An event study: forward returns after each event set's days, per asset and horizon, against every day.

The sample is the calendar's days through ``events_until`` (all of them when
unset): the events are counted there, and the baseline is every day there
with a complete window. Forward windows may run on into the data after it.
An event whose window runs past the asset's last price is listed in the
events table but left out of that horizon's statistics (``n_past_data``
says how many).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import final

import numpy as np
import pandas as pd

from .events import event_days, independent
from .forward import Entry, entry_offset, forward_returns, window_past_data
from .stats import Bootstrap, describe, holm, resample_days

__all__ = ["SUMMARY_COLUMNS", "StudySpec", "StudyTables", "event_study"]

SUMMARY_COLUMNS = (
    "event",
    "asset",
    "measure",
    "horizon",
    "n",
    "n_independent",
    "n_past_data",
    "n_before_data",
    "mean",
    "median",
    "hit_rate",
    "baseline_n",
    "baseline_mean",
    "baseline_hit_rate",
    "excess_vs_baseline",
    "t_stat",
    "p_raw",
    "p_value",
    "ci_low",
    "ci_high",
)


@final
@dataclass(frozen=True)
class StudySpec:
    """How to measure: horizons in trading days, the entry close, the events' span, overlap, the bootstrap."""

    horizons: tuple[int, ...]
    entry: Entry = "close"
    events_until: pd.Timestamp | None = None
    independent: bool = False  # statistics over independent events only (both counts are reported)
    boot: Bootstrap | None = field(default_factory=Bootstrap)
    band_z: float = 1.96  # the average path's band: mean +- z standard errors


@final
@dataclass(frozen=True)
class StudyTables:
    summary: pd.DataFrame  # SUMMARY_COLUMNS, one row per event set x asset x measure x horizon
    events: pd.DataFrame  # one row per event: its date, entry date, forward returns, independence
    paths: pd.DataFrame  # event, asset, day, n, mean, low, high, baseline_mean


def event_study(
    prices: pd.DataFrame,
    events: Mapping[str, pd.Series],
    spec: StudySpec,
    benchmark: pd.Series | None = None,
    *,
    paths: bool = True,
) -> StudyTables:
    """The study of each event set in ``events`` on every asset (column) of ``prices``.

    Requires: ``prices`` on one trading calendar, a column per asset (NaN
    where it has no price); ``events`` boolean Series by event-set name;
    ``benchmark`` prices on the same calendar, named by its ticker B, or None.
    Sets: the tables; measure 'return' is the asset's forward return,
    'excess over B' the asset's minus the benchmark's over the same window
    (assets other than B). ``paths=False`` leaves the average paths out.
    """
    calendar = pd.DatetimeIndex(prices.index)
    in_sample = np.ones(len(calendar), dtype=bool)
    if spec.events_until is not None:
        in_sample = np.asarray(calendar <= spec.events_until)
    measures = _measures(prices, benchmark, spec.entry)
    rows: list[dict[str, object]] = []
    tables, path_frames = [], []
    for name, marks in events.items():
        on = event_days(marks, calendar, spec.events_until).to_numpy()
        positions = np.flatnonzero(on)
        # the events table's columns in the summary's order: each measure at every horizon, then independence
        columns: dict[str, np.ndarray] = {_column(m, h): np.empty(0) for m in measures for h in spec.horizons}
        found: dict[tuple[int, int], dict[str, object]] = {}
        for hi, h in enumerate(spec.horizons):
            days = _resamples(int(in_sample.sum()), h, spec.boot)  # one draw per horizon serves every measure
            kept = np.zeros(len(calendar), dtype=bool)
            kept[positions[independent(positions, h)]] = True
            used = kept if spec.independent else on
            for mi, m in enumerate(measures):
                fwd = m.forward(h).to_numpy()
                past = m.past_data(h).to_numpy()
                stats = describe(fwd[in_sample], used[in_sample], h, spec.boot, (on & ~used)[in_sample], days)
                found[(mi, hi)] = {
                    "event": name, "asset": m.asset, "measure": m.name, "horizon": h,
                    "n": int(np.isfinite(fwd[on]).sum()), "n_independent": int(np.isfinite(fwd[kept]).sum()),
                    "n_past_data": int(past[on].sum()), "n_before_data": int((on & ~np.isfinite(fwd) & ~past).sum()),
                    "mean": stats.mean, "median": stats.median, "hit_rate": stats.hit_rate,
                    "baseline_n": stats.baseline_n, "baseline_mean": stats.baseline_mean,
                    "baseline_hit_rate": stats.baseline_hit_rate, "excess_vs_baseline": stats.excess,
                    "t_stat": stats.t_stat, "p_raw": stats.p_value, "ci_low": stats.ci_low, "ci_high": stats.ci_high,
                }  # fmt: skip
                columns[_column(m, h)] = fwd[positions]
            columns[f"independent {h}d"] = kept[positions]
        rows += [found[key] for key in sorted(found)]  # by asset and measure, then horizon
        tables.append(_events_table(name, calendar, positions, spec.entry).assign(**columns))
        if paths:
            path_frames += [
                _path(name, m.asset, m.prices, positions, in_sample, spec) for m in measures if m.bench is None
            ]
    summary = pd.DataFrame(rows, columns=[c for c in SUMMARY_COLUMNS if c != "p_value"])
    summary["p_value"] = np.nan
    for _, group in summary.groupby(["event", "asset", "measure"], sort=False):
        summary.loc[group.index, "p_value"] = holm(group["p_raw"].to_numpy(dtype=float))
    return StudyTables(
        summary[list(SUMMARY_COLUMNS)],
        pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(),
        pd.concat(path_frames, ignore_index=True) if path_frames else pd.DataFrame(),
    )


def _resamples(n: int, horizon: int, boot: Bootstrap | None) -> np.ndarray | None:
    return resample_days(n, horizon, boot) if boot is not None and boot.reps >= 1 else None


@final
@dataclass(frozen=True)
class _Measure:
    """What is measured on one asset: its forward return, or its excess over the benchmark's."""

    asset: str
    name: str  # 'return' or 'excess over B'
    prices: pd.Series
    bench: pd.Series | None
    entry: Entry

    def forward(self, h: int) -> pd.Series:
        own = forward_returns(self.prices, h, self.entry)
        return own if self.bench is None else own - forward_returns(self.bench, h, self.entry)

    def past_data(self, h: int) -> pd.Series:
        own = window_past_data(self.prices, h, self.entry)
        return own if self.bench is None else own | window_past_data(self.bench, h, self.entry)


def _measures(prices: pd.DataFrame, benchmark: pd.Series | None, entry: Entry) -> list[_Measure]:
    out = []
    for asset in map(str, prices.columns):
        out.append(_Measure(asset, "return", prices[asset], None, entry))
        if benchmark is not None and asset != benchmark.name:
            out.append(_Measure(asset, f"excess over {benchmark.name}", prices[asset], benchmark, entry))
    return out


def _column(m: _Measure, h: int) -> str:
    return f"{m.asset} {h}d" if m.bench is None else f"{m.asset} {m.name} {h}d"


def _events_table(name: str, calendar: pd.DatetimeIndex, positions: np.ndarray, entry: Entry) -> pd.DataFrame:
    at = np.minimum(positions + entry_offset(entry), len(calendar) - 1)
    entry_dates = [
        calendar[a].date() if p + entry_offset(entry) < len(calendar) else None for p, a in zip(positions, at)
    ]
    return pd.DataFrame({"event": name, "date": [d.date() for d in calendar[positions]], "entry_date": entry_dates})


def _path(
    name: str, asset: str, prices: pd.Series, positions: np.ndarray, in_sample: np.ndarray, spec: StudySpec
) -> pd.DataFrame:
    """The average cumulative return from the entry close to each day k up to the longest horizon.

    Each day k averages the events whose window reaches k; the band is mean
    +- z standard errors over the events independent at the longest horizon
    (an approximation: overlapping events are not independent draws). The
    baseline is the same path averaged over every day of the sample.
    """
    longest = max(spec.horizons)
    n_eff = max(int(independent(positions, longest).sum()), 1)
    rows = []
    for k in range(longest + 1):
        fwd = forward_returns(prices, k, spec.entry).to_numpy()  # k = 0: 0 where the entry close is known
        ev = fwd[positions]
        ev = ev[np.isfinite(ev)]
        base = fwd[in_sample]
        base = base[np.isfinite(base)]
        mean = float(ev.mean()) if len(ev) else np.nan
        se = float(ev.std(ddof=1)) / np.sqrt(n_eff) if len(ev) > 1 else np.nan
        rows.append((k, len(ev), mean, mean - spec.band_z * se, mean + spec.band_z * se, float(base.mean())))
    frame = pd.DataFrame(rows, columns=["day", "n", "mean", "low", "high", "baseline_mean"])
    return frame.assign(event=name, asset=asset)[["event", "asset", *frame.columns]]
