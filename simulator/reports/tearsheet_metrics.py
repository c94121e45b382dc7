"""quantstats' (0.0.86) metrics table for its html report, every row from one set of shared intermediates.

quantstats' ``reports.metrics`` computes some sixty rows, each by a stats
function that prepares the returns again (copies, checks, drawdown series,
monthly groups): a quarter of a second a tearsheet with no single hotspot.
:func:`metrics_table` computes the same table once: the daily frame, its
excess over the risk-free rate, the drawdowns and their details, the monthly,
quarterly and yearly compounded returns are each computed once and every row
reads them, by the same pandas/numpy steps quantstats takes (its rounding,
NaN, "-" cells and quirks included: the tests compare it with quantstats').

Only for the arguments quantstats' ``reports.html`` passes (mode "full",
display off, compounded, 252 periods a year, prepared returns, no date
matching, rf 0 or a rate series) on data it handles the same way (finite float64
returns on unique increasing dates, a benchmark on the same dates, each book
with a drawdown or the benchmark with one); any other call goes to
quantstats' own function, whole.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..units import TRADING_DAYS as _PERIODS  # what tearsheet.py passes quantstats as periods_per_year
from .resample_bins import resampled
from .tearsheet_speed import _details

__all__ = ["metrics_table"]

_NAN_CELLS = frozenset(("-nan%", "nan%", "-nan", "nan", "-inf%", "inf%", "-inf", "inf"))
_DD_ROWS = ("Max Drawdown %", "Max DD Date", "Max DD Period Start", "Max DD Period End", "Longest DD Days")


def metrics_table(original: Callable[..., Any]) -> Callable[..., Any]:
    """quantstats' ``metrics`` (``original``), computed in one pass for the calls its html report makes."""

    def metrics(returns: Any, benchmark: Any = None, rf: Any = 0.0, *args: Any, **kwargs: Any) -> Any:
        if args or not _handled(returns, benchmark, rf, kwargs):
            return original(returns, benchmark, rf, *args, **kwargs)
        try:
            return _Table(returns, benchmark, rf, kwargs).frame()
        except _Unhandled:
            return original(returns, benchmark, rf, *args, **kwargs)

    return metrics


def _handled(returns: Any, benchmark: Any, rf: Any, kwargs: dict[str, Any]) -> bool:
    """Whether the call is the html report's, on data :class:`_Table` computes exactly as quantstats."""
    expected = {
        "display": False,
        "mode": "full",
        "sep": True,
        "internal": "True",
        "compounded": True,
        "periods_per_year": _PERIODS,
        "prepare_returns": False,
        "match_dates": False,
    }
    if set(kwargs) - set(expected) - {"benchmark_title", "strategy_title"}:
        return False
    if any(kwargs.get(k, object()) != v or type(kwargs.get(k)) is not type(v) for k, v in expected.items()):
        return False
    if not isinstance(returns, pd.Series | pd.DataFrame) or not isinstance(benchmark, pd.Series):
        return False
    index = returns.index
    if not (
        isinstance(index, pd.DatetimeIndex)
        and index.tz is None
        and len(index) >= 3
        and index.is_monotonic_increasing
        and index.is_unique
        and benchmark.index.equals(index)
    ):
        return False
    if isinstance(rf, pd.Series):
        if not (rf.index.equals(index) and rf.dtype == np.float64 and np.isfinite(rf.to_numpy()).all()):
            return False
    elif not (isinstance(rf, float | int) and not isinstance(rf, bool) and rf == 0):
        return False
    frame = returns.to_frame() if isinstance(returns, pd.Series) else returns
    # float64 only: quantstats sums float32 in float32, and raises on pandas' nullable Float64 (pd.NA)
    if not all(t == np.float64 for t in (*frame.dtypes, benchmark.dtype)) or frame.shape[1] == 0:
        return False
    values = np.column_stack([frame.to_numpy(dtype=float), benchmark.to_numpy(dtype=float)])
    if np.isinf(values).any() or np.isnan(values).all(axis=0).any():
        return False
    filled = np.nan_to_num(values, nan=0.0)
    # quantstats takes a column of only >= 0 values above 1 for prices, and checks more of them
    if ((filled.min(axis=0) >= 0) & (filled.max(axis=0) >= 1)).any() or (filled < -1).any():
        return False
    # each book's value must stay finite (quantstats fills an overflow forward)
    if not np.isfinite(np.cumprod(1.0 + filled, axis=0)).all():
        return False
    bench_title = kwargs.get("benchmark_title", "Benchmark")
    names = _book_titles(returns, kwargs.get("strategy_title", "Strategy"))
    if not isinstance(bench_title, str) or names is None:
        return False
    if len(names) != frame.shape[1] or not all(isinstance(n, str) for n in names):
        return False
    return len({*names, bench_title}) == len(names) + 1


def _book_titles(returns: pd.Series | pd.DataFrame, title: Any) -> list[Any] | None:
    """Each book's column title in quantstats' table (``strategy_title`` as it reads it); None: not a title it takes."""
    if isinstance(returns, pd.Series):
        return [title] if isinstance(title, str) else None
    if isinstance(title, str):
        return list(returns.columns) if returns.shape[1] > 1 else [title]
    return list(title) if isinstance(title, list) else None


class _Unhandled(Exception):
    """Data on which quantstats' table differs in shape (rows missing, a crash): its own function writes it."""


class _Table:
    """The intermediates quantstats' rows share, and the rows as ``metrics`` builds them before formatting."""

    def __init__(
        self, returns: pd.Series | pd.DataFrame, benchmark: pd.Series, rf: Any, kwargs: dict[str, Any]
    ) -> None:
        self.series = isinstance(returns, pd.Series)
        self.bench_title: str = kwargs.get("benchmark_title", "Benchmark")
        self.titles = _book_titles(returns, kwargs.get("strategy_title", "Strategy")) or []  # _handled: a list
        if self.series:
            columns = {"returns": returns}
        else:
            columns = {f"returns_{i + 1}": returns[c] for i, c in enumerate(returns.columns)}
        index = returns.index
        # the first and last day with a return (a frame's columns) or of the dates (a series, the benchmark)
        self.starts, self.ends = [], []
        for col in columns.values():
            days = index[col.notna().to_numpy()] if not self.series else index
            self.starts.append(days[0].strftime("%Y-%m-%d"))
            self.ends.append(days[-1].strftime("%Y-%m-%d"))
        self.starts.append(index[0].strftime("%Y-%m-%d"))
        self.ends.append(index[-1].strftime("%Y-%m-%d"))
        bench = benchmark.where(np.isfinite(benchmark.to_numpy()), np.nan)
        data = {name: col.to_numpy(dtype=float) for name, col in columns.items()}
        data["benchmark"] = bench.to_numpy(dtype=float)
        self.df = pd.DataFrame(data, index=index).fillna(0)
        self.names = list(self.df.columns)
        self.k = len(self.names)
        self.rf = rf
        self.rf_series = isinstance(rf, pd.Series)
        self.rf_scalar = float(rf.astype(float).mean()) if self.rf_series else float(rf)
        if self.rf_series and pd.isna(self.rf_scalar):
            self.rf_scalar = 0.0
        if self.rf_series and bool((rf.fillna(0) != 0).to_numpy().any()):
            daily = np.power(1 + rf.reindex(index).ffill().bfill().fillna(0.0), 1.0 / _PERIODS) - 1.0
            self.excess = self.df.sub(daily, axis=0)
        else:
            self.excess = self.df
        self._drawdowns()
        if not self.has_drawdowns:
            raise _Unhandled("no book ever under water: quantstats' table lacks the drawdown rows")

    # --- shared intermediates

    def _drawdowns(self) -> None:
        """Each book's drawdown series and details, as quantstats' to_drawdown_series and drawdown_details."""
        dd_cols, self.max_dd, self.details = {}, [], []
        for name in self.names:
            col = self.df[name]
            prices = 1.0 + 1.0 * (col.add(1).cumprod(axis=0) - 1)  # to_prices(base=1): base + base * compsum
            extended = np.r_[1.0, prices.to_numpy()]  # the phantom day before the first, at 1.0
            ratio = extended / np.maximum.accumulate(extended)
            self.max_dd.append(ratio.min() - 1)
            dd = ratio[1:] - 1.0
            dd[dd == 0] = 0.0  # quantstats replaces -0 (and 0) by 0
            dd_cols[name] = dd
            self.details.append(_details(pd.Series(dd, index=self.df.index)))
        self.dd = pd.DataFrame(dd_cols, index=self.df.index)
        self.has_drawdowns = any(len(d) for d in self.details)

    def _grouped(self, by: Any) -> pd.DataFrame:
        return self.df.add(1).groupby(by).prod() - 1

    # --- quantstats' stats, on a frame

    @staticmethod
    def _cagr(frame: pd.DataFrame) -> np.ndarray:
        total = frame.add(1).prod(axis=0) - 1
        years = np.asarray(frame.count() / _PERIODS)
        wealth = np.asarray(total + 1.0, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(wealth < 0, np.nan, np.abs(wealth) ** (1.0 / years) - 1)

    @staticmethod
    def _exposure(frame: pd.DataFrame) -> list[float]:
        out = []
        for name in frame.columns:
            ret = frame[name].to_numpy()
            observed = int((~np.isnan(ret)).sum())
            ex = int(((~np.isnan(ret)) & (ret != 0)).sum()) / observed if observed else 0.0
            out.append(math.ceil(ex * 100) / 100 if observed else 0.0)
        return out

    @staticmethod
    def _win_rate(frame: pd.DataFrame) -> list[float]:
        out = []
        for name in frame.columns:
            ret = frame[name].to_numpy()
            ret = ret[~np.isnan(ret)]
            nonzero = int((ret != 0).sum())
            out.append(int((ret > 0).sum()) / nonzero if nonzero else 0.0)
        return out

    @staticmethod
    def _autocorr_penalty(frame: pd.DataFrame) -> Any:
        returns = frame[frame.columns[0]].dropna().to_numpy()  # quantstats: the first column's, for every column
        num = len(returns)
        if num < 2:
            return 1.0
        with np.errstate(invalid="ignore", divide="ignore"):
            coef = np.abs(np.corrcoef(returns[:-1], returns[1:])[0, 1])
        if np.isnan(coef):
            return 1.0
        x = np.arange(1, num)
        return np.sqrt(1 + 2 * np.sum(((num - x) / num) * (coef**x)))

    def _sortino(self, smart: bool) -> Any:
        e = self.excess
        downside = np.sqrt((e[e < 0] ** 2).sum() / e.count())
        if smart:
            downside = downside * self._autocorr_penalty(e)
        return e.mean() / downside.replace(0, np.nan) * np.sqrt(_PERIODS)

    def _ulcer(self) -> Any:
        return np.sqrt(np.divide((self.dd**2).sum(), self.df.shape[0] - 1))

    @staticmethod
    def _cvar(frame: pd.DataFrame) -> list[float]:
        from scipy.stats import norm  # type: ignore[import-untyped]

        alpha = 1 - 0.95
        out = []
        for name in frame.columns:
            series = frame[name].dropna()
            mu, sd = series.mean(), 1 * series.std()
            out.append(mu if sd == 0 or np.isnan(sd) else mu - sd * norm.pdf(norm.ppf(alpha)) / alpha)
        return out

    @staticmethod
    def _longest_run(flags: np.ndarray) -> int:
        """The most days in a row ``flags`` holds (quantstats' ``_count_consecutive(...).max()``)."""
        edges = np.flatnonzero(np.diff(np.r_[0, flags.astype(np.int8), 0]))  # starts and ends of the runs
        return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0

    def _tail_ratio(self, upper: pd.Series, lower: pd.Series) -> pd.Series:
        result = pd.Series(index=upper.index, dtype=float)
        for col in upper.index:
            if pd.isna(upper[col]) or pd.isna(lower[col]) or lower[col] == 0:
                result[col] = np.nan
            else:
                result[col] = abs(upper[col] / lower[col])
        return result

    def _greeks(self, name: str) -> tuple[float, float]:
        r, b = self.df[name], self.df["benchmark"]
        matrix = np.cov(r, b)
        beta = np.nan if matrix[1, 1] == 0 else matrix[0, 1] / matrix[1, 1]
        alpha = (r.mean() - beta * b.mean()) * _PERIODS
        values = pd.Series({"beta": beta, "alpha": alpha}).fillna(0)
        return values["beta"], values["alpha"]

    # --- the rows

    def rows(self) -> list[tuple[str, list[Any]]]:  # noqa: PLR0915 - one row after another, as quantstats builds them
        """(name, cells by book) in quantstats' order, before its formatting; the benchmark's cell last."""
        from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
        from quantstats import stats
        from scipy.stats import norm

        df, e, k = self.df, self.excess, self.k
        blank = [""] * k
        strategies = self.names[:-1]
        rows: list[tuple[str, list[Any]]] = []

        def put(name: str, values: Any) -> None:
            rows.append((name, list(values) if not np.isscalar(values) else [values] * k))

        put("Start Period", self.starts)
        put("End Period", self.ends)
        put("Risk-Free Rate %", [self.rf_scalar * 100] * k)
        put("Time in Market %", [x * 100 for x in self._exposure(df)])
        put("~", blank)
        comp = df.add(1).prod(axis=0) - 1
        put("Cumulative Return %", [f"{x:,.2f}" for x in (comp * 100).tolist()])
        cagr = self._cagr(df)
        put("CAGR\ufe6a%", cagr * 100)
        put("~~~~~~~~~~~~~~", blank)
        std = e.std(ddof=1)
        sharpe_raw = e.mean() / std
        put("Sharpe", sharpe_raw * np.sqrt(_PERIODS))
        skew, kurt = df.skew(), df.kurtosis()
        with np.errstate(invalid="ignore", divide="ignore"):
            sigma_sr = np.sqrt((1 - (skew * sharpe_raw) + (((kurt + 3 - 1) / 4) * sharpe_raw**2)) / (len(df) - 1))
            put("Prob. Sharpe Ratio %", norm.cdf(sharpe_raw / sigma_sr) * 100)
        penalty = self._autocorr_penalty(e)
        put("Smart Sharpe", e.mean() / (std * penalty) * np.sqrt(_PERIODS))
        sortino, smart_sortino = self._sortino(False), self._sortino(True)
        put("Sortino", sortino)
        put("Smart Sortino", smart_sortino)
        put("Sortino/\u221a2", sortino / math.sqrt(2))
        put("Smart Sortino/\u221a2", smart_sortino / math.sqrt(2))
        omega = []
        for name in self.names:
            r = e[name]
            numer, denom = r[r > 0.0].sum(), -1.0 * r[r < 0.0].sum()
            omega.append(numer / denom if denom > 0.0 else np.nan)
        put("Omega", omega)
        put("~~~~~~~~", blank)
        for name in _DD_ROWS:
            put(name, blank)
        put("Volatility (ann.) %", [df[n].std() * np.sqrt(_PERIODS) * 100 for n in self.names])
        r2 = [stats.r_squared(df[n], df["benchmark"], prepare_returns=False) for n in strategies]
        info: list[Any] = []
        for n in strategies:
            diff = df[n] - df["benchmark"]
            s = diff.std()
            info.append(diff.mean() / s if s != 0 else 0)
        if not self.series and any(type(x) is int for x in info):
            raise _Unhandled("a book level with the benchmark: quantstats' information ratio is a bare 0")
        if self.series:
            put("R^2", [r2[0]] * k)
            put("Information Ratio", [info[0]] * k)
        else:
            put("R^2", [x.round(2) for x in r2] + ["-"])
            put("Information Ratio", [x.round(2) for x in info] + ["-"])
        with np.errstate(invalid="ignore", divide="ignore"):
            put("Calmar", pd.Series(cagr, index=self.names) / abs(pd.Series(self.max_dd, index=self.names)))
        put("Skew", skew)
        put("Kurtosis", kurt)
        ulcer = self._ulcer()
        put("Ulcer Performance Index", [np.nan] * k if self.rf_series else (comp - 0) / ulcer.replace(0, np.nan))
        with np.errstate(invalid="ignore", divide="ignore"):
            put("Risk-Adjusted Return %", self._cagr(e) / np.asarray(self._exposure(e)) * 100)
        mean = df.mean()
        put("Risk-Return Ratio", mean / df.std().replace(0, np.nan))
        put("~~~~~~~~~~", blank)
        avg_win, avg_loss = df[df > 0].mean(), df[df < 0].mean()
        put("Avg. Return %", df[df != 0].mean() * 100)
        put("Avg. Win %", avg_win * 100)
        put("Avg. Loss %", avg_loss * 100)
        payoff = avg_win / abs(avg_loss).replace(0, np.nan)
        put("Win/Loss Ratio", payoff)
        put("Profit Ratio", [self._profit_ratio(df[n]) for n in self.names])
        put("~~~~~~~~~~~", blank)
        idx = pd.DatetimeIndex(df.index)
        monthly = self._grouped([idx.year, idx.month])
        quarterly = self._grouped([idx.year, idx.quarter])
        yearly = self._grouped(idx.year)
        for label, frame in (("Daily", df), ("Monthly", monthly), ("Yearly", yearly)):
            put(f"Expected {label} %%", (np.nanprod(1 + frame, axis=0) ** (1 / frame.count()) - 1) * 100)
        wins = pd.Series(self._win_rate(df), index=self.names)
        safe = payoff.replace(0, np.nan)
        put("Kelly Criterion %", ((safe * wins) - (1 - wins)) / safe * 100)
        put("Risk of Ruin %", ((1 - wins) / (1 + wins)) ** df.count())
        put("Daily Value-at-Risk %", -abs(norm.ppf(1 - 0.95, mean, 1 * df.std()) * 100))
        put("Expected Shortfall (cVaR) %", -abs(np.asarray(self._cvar(df)) * 100))
        put("~~~~~~", blank)
        values = df.to_numpy()
        put("Max Consecutive Wins *int", [self._longest_run(values[:, i] > 0) for i in range(k)])
        put("Max Consecutive Losses *int", [self._longest_run(values[:, i] < 0) for i in range(k)])
        for label, freq in (("Gain/Pain Ratio", "D"), ("Gain/Pain (1M)", "ME")):
            summed = resampled(df, freq, "sum")  # pandas' resample, its periods found once per dates
            downside = abs(summed[summed < 0].sum())
            put(label, summed.sum() / downside.replace(0, np.nan))
        put("~~~~~~~", blank)
        put("Payoff Ratio", payoff)
        wins_sum, losses_sum = df[df >= 0].sum(), abs(df[df < 0].sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            factor = (wins_sum / losses_sum).replace([np.inf, -np.inf], 0)
        tail = self._tail_ratio(df.quantile(0.95), df.quantile(1 - 0.95))
        put("Profit Factor", factor)
        put("Common Sense Ratio", factor * tail)
        put("CPC Index", factor * wins * payoff)
        put("Tail Ratio", tail)
        put("Outlier Win Ratio", df.quantile(0.99) / df[df >= 0].mean().replace(0, np.nan))
        put("Outlier Loss Ratio", df.quantile(0.01) / avg_loss.replace(0, np.nan))
        put("~~", blank)
        today = pd.Timestamp(idx[-1])
        since = {
            "MTD %": dt.datetime(today.year, today.month, 1),
            "3M %": today - relativedelta(months=3),
            "6M %": today - relativedelta(months=6),
            "YTD %": dt.datetime(today.year, 1, 1),
            "1Y %": today - relativedelta(years=1),
        }
        for label, start in since.items():
            put(label, (df[idx >= start].add(1).prod(axis=0) - 1) * 100)
        for label, months in (("3Y (ann.) %", 35), ("5Y (ann.) %", 59), ("10Y (ann.) %", 119)):
            put(label, self._cagr(df[idx >= today - relativedelta(months=months)]) * 100)
        put("All-time (ann.) %", cagr * 100)
        put("~~~", blank)
        put("Best Day %", df.max() * 100)
        put("Worst Day %", df.min() * 100)
        put("Best Month %", monthly.max() * 100)
        put("Worst Month %", monthly.min() * 100)
        put("Best Year %", yearly.max() * 100)
        put("Worst Year %", yearly.min() * 100)
        put("~~~~", blank)
        dd_rows = self._dd_rows()
        for name, cells in dd_rows.items():
            if name in _DD_ROWS:  # quantstats sets them again where its blank rows were
                rows[[r[0] for r in rows].index(name)] = (name, cells)
            else:
                put(name, cells)
        put("Recovery Factor", abs(df.sum() - 0.0) / abs(pd.Series(self.max_dd, index=self.names)).replace(0, np.nan))
        put("Ulcer Index", ulcer)
        put("Serenity Index", [np.nan] * k if self.rf_series else self._serenity(ulcer))
        put("~~~~~", blank)
        put("Avg. Up Month %", monthly[monthly > 0].mean() * 100)
        put("Avg. Down Month %", monthly[monthly < 0].mean() * 100)
        put("Win Days %%", [x * 100 for x in wins])
        put("Win Month %%", [x * 100 for x in self._win_rate(monthly)])
        put("Win Quarter %%", [x * 100 for x in self._win_rate(quarterly)])
        put("Win Year %%", [x * 100 for x in self._win_rate(yearly)])
        put("~~~~~~~~~~~~", blank)
        greeks = [self._greeks(n) for n in strategies]
        put("Beta", [str(round(g[0], 2)) for g in greeks] + ["-"])
        put("Alpha", [str(round(g[1], 2)) for g in greeks] + ["-"])
        put("Correlation", [str(round(df["benchmark"].corr(df[n]) * 100, 2)) + "%" for n in strategies] + ["-"])
        put("Treynor Ratio", [self._treynor(n, g[0]) for n, g in zip(strategies, greeks, strict=True)] + ["-"])
        return rows

    @staticmethod
    def _profit_ratio(ret: pd.Series) -> float:
        wins, loss = ret[ret >= 0], ret[ret < 0]
        if len(wins) == 0:
            return 0.0
        if len(loss) == 0:
            return np.nan
        win_ratio = abs(wins.mean() / len(wins))
        loss_ratio = abs(loss.mean() / len(loss))
        return np.nan if loss_ratio == 0 else win_ratio / loss_ratio

    def _serenity(self, ulcer: pd.Series) -> pd.Series:
        std = self.df.std()
        pitfall = -pd.Series(self._cvar(self.dd), index=self.names) / std.replace(0, np.nan)
        denominator = ulcer * pitfall
        return (self.df.sum() - 0.0) / denominator.replace(0, np.nan)

    def _treynor(self, name: str, beta: float) -> str:
        if beta == 0:
            value: Any = 0
        else:
            comp: Any = self.df[name].add(1).prod(axis=0)
            value = (comp - 1 - self.rf) / beta
        return str(round(value * 100, 2)) + "%"

    def _dd_rows(self) -> dict[str, list[Any]]:
        """quantstats' ``_calc_dd`` rows: each book's deepest drawdown, longest and average ones."""
        length = max(len(d) for d in self.details)
        rows: dict[str, list[Any]] = {n: [] for n in (*_DD_ROWS, "Avg. Drawdown %", "Avg. Drawdown Days")}
        for i, details in enumerate(self.details):
            depth = np.full(length, np.nan)
            depth[: len(details)] = details["max drawdown"].to_numpy(dtype=float) if len(details) else []
            order = _nargsort(depth)
            if i == self.k - 1:  # the benchmark's is sorted twice
                order = order[_nargsort(depth[order])]
            first = int(order[0])
            if len(details):
                deepest = details.iloc[first] if first < len(details) else None
                days = details["days"].to_numpy()
                padded = len(details) < length  # NaN-padded by quantstats' concat: days become floats
                longest = np.round(days.max().astype(float) if padded else days.max())
                mean_days = np.round(np.r_[days.astype(float), np.zeros(length - len(days))].sum() / len(days))
                mean_depth = np.r_[depth[: len(details)], np.zeros(length - len(details))].sum() / len(details)
            else:
                deepest, longest, mean_days, mean_depth = None, np.nan, np.nan, np.nan
            rows["Max Drawdown %"].append(float(depth[first] / 100) * 100 if deepest is not None else np.nan)
            for row, col in (("Max DD Date", "valley"), ("Max DD Period Start", "start"), ("Max DD Period End", "end")):
                rows[row].append(deepest[col] if deepest is not None else np.nan)
            rows["Longest DD Days"].append(str(longest))
            rows["Avg. Drawdown %"].append(float(mean_depth / 100) * 100)
            rows["Avg. Drawdown Days"].append(str(mean_days))
        return rows

    # --- the table

    def frame(self) -> pd.DataFrame:
        """The table quantstats' ``metrics`` returns for these arguments."""
        rows = [(name, _formatted(name, cells)) for name, cells in self.rows()]
        table = dict(rows)
        try:
            for name in ("Longest DD Days", "Avg. Drawdown Days"):
                table[name] = [str(int(float(c))) for c in table[name]]
        except (ValueError, OverflowError):
            table["Longest DD Days"] = table["Avg. Drawdown Days"] = ["-"] * self.k
        labels, cells = [], []
        for name, _ in rows:
            label = name.replace("*int", "")
            label = "" if "~" in label else label
            label = label[:-1] if "%" in label else label
            labels.append(label.replace(" %", "").replace(" *int", "").strip())
            cells.append([_cleaned(c) for c in table[name]])
        order = [self.k - 1, *range(self.k - 1)]  # the benchmark first
        data = np.empty((len(cells), self.k), dtype=object)
        for r, row in enumerate(cells):
            for c, i in enumerate(order):
                data[r, c] = row[i]
        columns = [self.bench_title, *self.titles]
        return pd.DataFrame(data, index=pd.Index(labels, dtype=object), columns=pd.Index(columns, dtype=object))


def _nargsort(values: np.ndarray) -> np.ndarray:
    """pandas' ``nargsort`` (ascending, NaN last): the order ``sort_values`` puts ``values`` in."""
    positions = np.arange(len(values))
    nan = np.isnan(values)
    kept = positions[~nan]
    order: np.ndarray = np.r_[kept[values[~nan].argsort(kind="quicksort")], positions[nan]]
    return order


def _formatted(name: str, cells: list[Any]) -> list[Any]:
    """quantstats' display formatting of one row: 2 places as text where every cell is a number, then "%"."""
    try:
        floats = np.array([float(c) for c in cells], dtype=float)
    except (ValueError, TypeError):
        out = list(cells)
    else:
        out = [str(x) for x in np.round(floats, 2).tolist()]
    if "*int" in name:
        out = [c.replace(".0", "") if isinstance(c, str) else np.nan for c in out]
    if "%" in name:
        out = [c + "%" if isinstance(c, str) else c for c in out]
    return out


def _cleaned(cell: Any) -> Any:
    """quantstats' last clean-up of a cell: 0 for a zero or "-0", "-" for NaN, inf and their texts."""
    if isinstance(cell, str):
        if cell == "-0":
            return 0
        return "-" if cell in _NAN_CELLS else cell
    if isinstance(cell, float | int | np.number) and not isinstance(cell, bool):
        if cell == 0:
            return 0
        if not np.isfinite(cell):
            return "-"
    return cell
