"""Checks for strategy authors' own tests: one call, no data files.

    from simulator.testing import assert_strategy_ok

    def test_my_strategy():
        assert_strategy_ok(my_strategy, {"lookback": 126})

``assert_strategy_ok`` runs every check below on rotsim's synthetic market and
raises one ``AssertionError`` listing each that failed. Each check is also a
function of its own, ``check_x(strategy, data, params=None)``, so a test can
run one on data it built (``input_for`` and ``sample_input`` build it from the
synthetic market; any ``StrategyInput`` will do).

- ``check_shape``: a DataFrame on the input's dates, a numeric column per
  role traded, only roles the strategy reads; ``attrs['signal']`` and
  ``attrs['events']`` well formed.
- ``check_no_nan``: no NaN or infinite weight.
- ``check_bounds``: weights >= 0, each row summing to at most 1.
- ``check_no_lookahead``: cutting the data after day t leaves every weight up
  to t (and its signal and events) unchanged, at several t.
- ``check_deterministic``: the same input gives the same weights twice.
- ``check_input_untouched``: the strategy does not modify its input.
- ``check_declared_data``: it runs on exactly the roles and series it
  declares (nothing undeclared is read), and each declared one matters (the
  role is traded, or replacing its data changes the weights).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

from .contract import SeriesSpec, Strategy, StrategyInput
from .contract.checks import bounds_problem, nan_problem, shape_problem, signal_problem
from .data.sources import Source
from .lookahead import find_lookahead, first_difference, outputs

__all__ = [
    "SAMPLE_UNIVERSE",
    "assert_strategy_ok",
    "check_bounds",
    "check_declared_data",
    "check_deterministic",
    "check_input_untouched",
    "check_no_lookahead",
    "check_no_nan",
    "check_shape",
    "input_for",
    "sample_input",
]

# Role names for every ticker of the synthetic market: what `input_for` uses
# when no universe is given (a strategy's own default tickers come next).
SAMPLE_UNIVERSE: dict[str, str] = {
    "large_cap": "SPY",
    "sp500": "^GSPC",
    "small_cap": "IWM",
    "small_cap_index": "^RUT",
    "small_cap_600": "IJR",
    "growth": "QQQ",
    "nasdaq100": "^NDX",
    "financials": "XLF",
    "tech": "XLK",
    "energy": "XLE",
    "health": "XLV",
    "discretionary": "XLY",
    "staples": "XLP",
    "industrials": "XLI",
    "utilities": "XLU",
    "materials": "XLB",
    "real_estate": "XLRE",
    "communication": "XLC",
}

# Where `check_no_lookahead` cuts the data by default, as fractions of its length.
CUT_FRACTIONS = (0.2, 0.33, 0.45, 0.58, 0.7, 0.82, 0.9, 0.97)

Params = Mapping[str, Any] | None
Day = str | date | pd.Timestamp
DateLike = Day | None


# --------------------------------------------------------------------------- inputs


def sample_input(
    roles: Iterable[str] | Mapping[str, str] = ("large_cap",),
    series: Iterable[str | SeriesSpec] = (),
    *,
    source: Source | None = None,
    start: DateLike = None,
    end: DateLike = None,
) -> StrategyInput:
    """A ``StrategyInput`` with these roles and macro series, from the synthetic market.

    ``roles``: role names from ``SAMPLE_UNIVERSE``, or a mapping role ->
    ticker. ``series``: catalogue names or ``SeriesSpec``. ``source``
    (default: the synthetic market, seed 7) can be any data source, e.g.
    ``CsvSource(folder)``. The input runs from ``start`` (default: the first
    day every ticker has a price) to ``end`` (default: the last).
    """
    tickers = dict(roles) if isinstance(roles, Mapping) else {r: _sample_ticker(r) for r in roles}
    return _market_input(tickers, list(series), source, start, end)


def input_for(
    strategy: Strategy,
    params: Params = None,
    *,
    universe: Mapping[str, str] | None = None,
    source: Source | None = None,
    start: DateLike = None,
    end: DateLike = None,
) -> StrategyInput:
    """What ``strategy`` sees in a run with ``universe`` (default ``SAMPLE_UNIVERSE``), on ``source``.

    Roles come from the universe, else the strategy's default tickers, else
    their fallbacks, exactly as in a run; series are the ones it declares.
    """
    resolved = strategy.resolve_params(params or {})
    tickers = strategy.role_tickers(resolved, SAMPLE_UNIVERSE if universe is None else universe)
    if missing := [role for role, ticker in tickers.items() if ticker is None]:
        raise ValueError(
            f"strategy '{strategy.name}' reads role(s) {', '.join(missing)}, which the universe does not name "
            "and it has no default ticker for; pass universe={role: ticker, ...}"
        )
    custom = {s.name: s for s in strategy.custom_series}
    series = [custom.get(name, name) for name in strategy.series]
    return _market_input({r: t for r, t in tickers.items() if t is not None}, series, source, start, end)


def _sample_ticker(role: str) -> str:
    try:
        return SAMPLE_UNIVERSE[role]
    except KeyError:
        raise ValueError(
            f"no sample ticker for role '{role}' (roles: {', '.join(SAMPLE_UNIVERSE)}); pass {{role: ticker}}"
        ) from None


def _market_input(
    tickers: Mapping[str, str],
    series: Sequence[str | SeriesSpec],
    source: Source | None,
    start: DateLike,
    end: DateLike,
) -> StrategyInput:
    from .data.market.alignment import build_market
    from .data.sources.sample import SampleSource

    if not tickers:
        raise ValueError("a strategy input needs at least one role")
    source = source or SampleSource(seed=7)
    calendar = next(iter(tickers.values()))  # the first role's trading days (in a run: the benchmark's)
    market = build_market(source, tickers.values(), calendar, series)
    full = market.input_for(tickers, [s.name if isinstance(s, SeriesSpec) else s for s in series])
    lo, hi = (pd.Timestamp(d) if d is not None else None for d in (start, end))
    observed = None if full.observed is None else full.observed.loc[lo:hi]
    return StrategyInput(full.prices.loc[lo:hi], full.macro.loc[lo:hi], observed)


# --------------------------------------------------------------------------- the checks


def check_shape(strategy: Strategy, data: StrategyInput, params: Params = None) -> None:
    """A DataFrame on ``data.index``, numeric columns among the roles it reads, a well-formed signal."""
    out = _run(strategy, data, params)
    problem = shape_problem(out, data.index, set(map(str, data.prices.columns)))
    _fail_if(strategy, problem or signal_problem(out, data.index))


def check_no_nan(strategy: Strategy, data: StrategyInput, params: Params = None) -> None:
    """No NaN (or infinite) weight on any day: a weight the engine cannot trade."""
    _fail_if(strategy, nan_problem(_frame(strategy, data, params)))


def check_bounds(strategy: Strategy, data: StrategyInput, params: Params = None) -> None:
    """Long only, no leverage: every weight >= 0 and each row sums to at most 1."""
    _fail_if(strategy, bounds_problem(_frame(strategy, data, params)))


def check_no_lookahead(
    strategy: Strategy, data: StrategyInput, params: Params = None, cuts: Iterable[Day] | None = None
) -> None:
    """Cutting the data after day t leaves the weights (and signal and events) up to t unchanged.

    ``cuts``: the days t (each moved to the next trading day); default: eight
    spread over the data (``CUT_FRACTIONS``).
    """
    full = _frame(strategy, data, params)

    def weights_of(part: StrategyInput) -> pd.DataFrame:
        t = part.index[-1]
        out = _run(strategy, part, params, f"on data cut after {t.date()}")
        _fail_if(strategy, shape_problem(out, part.index))
        return cast(pd.DataFrame, out)  # shape_problem found none: a frame

    if hit := find_lookahead(weights_of, data, full, _cut_days(data.index, cuts)):
        _fail_if(
            strategy,
            f"looks ahead: removing the data after {hit.cut.date()} changes its {hit.what} on {hit.difference} "
            "(a decision on day t may use data up to t only)",
        )


def check_deterministic(strategy: Strategy, data: StrategyInput, params: Params = None) -> None:
    """Two runs on equal inputs give equal weights: no unseeded randomness, no state kept between calls."""
    first = _frame(strategy, _copy(data), params)
    second = _frame(strategy, _copy(data), params, "the second time")
    for what, a, b in outputs(first, second):
        if diff := first_difference(a, b, exact=True):
            _fail_if(strategy, f"is not deterministic: two runs on the same input differ in its {what} on {diff}")


def check_input_untouched(strategy: Strategy, data: StrategyInput, params: Params = None) -> None:
    """The strategy leaves ``data`` as it found it (in a run, other code reads the same market)."""
    before = _copy(data)
    _run(strategy, data, params)
    parts = [("prices", before.prices, data.prices), ("macro series", before.macro, data.macro)]
    if before.observed is not None and data.observed is not None:
        parts.append(("observation dates", before.observed, data.observed))
    for what, a, b in parts:
        if not a.equals(b):
            _fail_if(strategy, f"modified its input's {what}; work on a copy (e.g. data.prices.copy())")


def check_declared_data(strategy: Strategy, data: StrategyInput, params: Params = None) -> None:
    """It reads only the roles and series it declares, and each of them matters.

    The strategy runs on ``data`` cut down to its declared roles and series
    (what a run gives it): reading anything else fails there, and if ``data``
    had more, the weights must not change. Then each declared role must be
    traded or move the weights when its prices are replaced by another
    random walk, and each series must move them when its values are reversed
    or held at their highest or lowest. With ``series_used``, only the series
    these params read count as declared.
    """
    resolved = strategy.resolve_params(params or {})
    roles = list(strategy.input_roles(resolved, data.prices.columns))
    series = strategy.required_series(resolved)
    absent = [r for r in roles if r not in data.prices] + [s for s in series if s not in data.macro]
    if absent:
        raise AssertionError(f"the test input lacks {', '.join(absent)}, which strategy '{strategy.name}' declares")
    observed = None if data.observed is None else data.observed[list(series)].copy()
    declared = StrategyInput(data.prices[roles].copy(), data.macro[list(series)].copy(), observed)
    base = _frame(strategy, declared, resolved, "on its declared roles and series only")
    if declared.prices.shape != data.prices.shape or declared.macro.shape != data.macro.shape:
        for what, a, b in outputs(base, _frame(strategy, data, resolved)):
            if diff := first_difference(a, b):
                _fail_if(strategy, f"depends on undeclared data: its {what} on {diff} changes when it is given more")
    traded = set(map(str, base.columns))
    for kind, name, variants in _perturbations(declared, roles, series):
        if kind == "role" and name in traded:
            continue
        outs = [_frame(strategy, changed, resolved, f"with {kind} '{name}' replaced") for changed in variants]
        if not any(first_difference(a, b) for out in outs for _, a, b in outputs(base, out)):
            how = "it is not traded and replacing its prices" if kind == "role" else "replacing its values"
            _fail_if(
                strategy,
                f"declares {kind} '{name}' but does not use it: {how} leaves the weights unchanged; "
                "drop it from the declaration (or skip this check)",
            )


CHECKS: dict[str, Callable[[Strategy, StrategyInput, Params], None]] = {
    "shape": check_shape,
    "no_nan": check_no_nan,
    "bounds": check_bounds,
    "input_untouched": check_input_untouched,
    "deterministic": check_deterministic,
    "no_lookahead": check_no_lookahead,
    "declared_data": check_declared_data,
}


def assert_strategy_ok(
    strategy: Strategy,
    params: Params = None,
    *,
    data: StrategyInput | None = None,
    skip: Iterable[str] = (),
) -> pd.DataFrame:
    """Run every check (``CHECKS``, minus ``skip``) and return the weights; raise one AssertionError naming each failure.

    ``params``: as a config's ``params:`` (validated and completed with the
    defaults). ``data``: default ``input_for(strategy, params)``, the
    synthetic market. If the shape check fails the others are not run
    (they read the weights the shape check rejected).
    """
    resolved = strategy.resolve_params(params or {})
    if unknown := set(skip) - set(CHECKS):
        raise ValueError(f"unknown check(s) {sorted(unknown)}; checks: {', '.join(CHECKS)}")
    data = input_for(strategy, resolved) if data is None else data
    try:
        _run(strategy, data, resolved)
    except AssertionError as exc:  # every check would fail the same way: say it once
        label = "declared_data" if isinstance(exc, _Undeclared) else "runs"
        raise AssertionError(f"strategy '{strategy.name}' failed 1 check(s):\n[{label}] {exc}") from exc.__cause__
    failures = []
    for name, check in CHECKS.items():
        if name in skip:
            continue
        try:
            check(strategy, data, resolved)
        except AssertionError as exc:
            failures.append(f"[{name}] {exc}")
            if name == "shape":
                break
    if failures:
        raise AssertionError(f"strategy '{strategy.name}' failed {len(failures)} check(s):\n" + "\n".join(failures))
    return _frame(strategy, data, resolved)


# --------------------------------------------------------------------------- helpers


class _Undeclared(AssertionError):
    """The strategy looked up a role or series its input does not have."""


def _run(strategy: Strategy, data: StrategyInput, params: Params, when: str = "") -> Any:
    """The strategy's raw output; an exception it raises becomes an AssertionError naming it."""
    resolved = strategy.resolve_params(params or {})
    try:
        return strategy.func(data, **resolved)
    except KeyError as exc:
        key = exc.args[0] if exc.args else None
        if isinstance(key, str) and key not in data.prices.columns and key not in data.macro.columns:
            raise _Undeclared(
                f"strategy '{strategy.name}' reads '{key}', which it does not declare (its input has roles "
                f"{', '.join(map(str, data.prices.columns)) or 'none'}; series {', '.join(map(str, data.macro.columns)) or 'none'}); "
                "declare it in roles=, default_tickers= or series="
            ) from exc
        raise _raised(strategy, exc, when) from exc
    except Exception as exc:
        raise _raised(strategy, exc, when) from exc


def _raised(strategy: Strategy, exc: Exception, when: str) -> AssertionError:
    where = f" {when}" if when else ""
    return AssertionError(f"strategy '{strategy.name}' raised{where}: {type(exc).__name__}: {exc}")


def _frame(strategy: Strategy, data: StrategyInput, params: Params, when: str = "") -> pd.DataFrame:
    """The output, which must pass the shape clause for the other checks to read it."""
    out = _run(strategy, data, params, when)
    _fail_if(strategy, shape_problem(out, data.index))
    return cast(pd.DataFrame, out)  # shape_problem found none: a frame


def _fail_if(strategy: Strategy, problem: str) -> None:
    if problem:
        raise AssertionError(f"strategy '{strategy.name}' {problem}")


def _copy(data: StrategyInput) -> StrategyInput:
    observed = None if data.observed is None else data.observed.copy(deep=True)
    return StrategyInput(data.prices.copy(deep=True), data.macro.copy(deep=True), observed)


def _cut_days(index: pd.DatetimeIndex, cuts: Iterable[Day] | None) -> list[pd.Timestamp]:
    if cuts is None:
        positions = sorted({int(f * (len(index) - 1)) for f in CUT_FRACTIONS})
        return [index[p] for p in positions]
    days = []
    for c in cuts:
        at = int(index.searchsorted(pd.Timestamp(c)))
        if at >= len(index):
            raise ValueError(f"cut {c} is after the data's last day {index[-1].date()}")
        days.append(index[at])
    return days


def _perturbations(
    data: StrategyInput, roles: Iterable[str], series: Iterable[str]
) -> Iterable[tuple[str, str, list[StrategyInput]]]:
    """For each role and series, ``data`` with that one column's values replaced by unrelated ones."""
    rng = np.random.default_rng(20240716)
    for role in roles:
        prices = data.prices.copy()
        walk = np.exp(np.cumsum(rng.normal(0.0, 0.02, len(prices))))
        prices[role] = prices[role].iloc[0] * walk
        prices.loc[data.prices[role].isna(), role] = np.nan
        yield "role", role, [StrategyInput(prices, data.macro, data.observed)]
    for name in series:
        known = data.macro[name].notna().to_numpy()
        values = data.macro[name].to_numpy(dtype=float)[known]
        flipped = values[::-1] + (1.0 if np.allclose(values, values[::-1]) else 0.0)
        # reversed, then held at each extreme: a flag that is rarely on (a
        # recession) may matter only when it is on at the right moment
        variants = []
        for replaced in (flipped, np.full_like(values, values.max()), np.full_like(values, values.min())):
            macro = data.macro.copy()
            macro.loc[known, name] = replaced
            variants.append(StrategyInput(data.prices, macro, data.observed))
        yield "series", name, variants
