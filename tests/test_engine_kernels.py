"""The engine calls vectorbt's kernels directly: the same numbers as ``vbt.Portfolio``, without its import.

``simulator.engine.kernels`` replays what ``Portfolio.from_orders(...,
size_type='targetpercent', cash_sharing=True, call_seq='auto')`` and its
``value()``, ``returns()`` and ``asset_value(group_by=False)`` compute. These
tests hold it to vectorbt itself, bit for bit, on random books: several
groups of different sizes, prices with gaps, days without orders, fees and
slippage; through vectorbt-rust and through vectorbt's own dispatch.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine import kernels
from simulator.engine.kernels import LOG_DT, ORDER_DT, simulate_target_percent

from conftest import checkout_env
from property_settings import PROPERTY


def _book(seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, float, float]:
    rng = np.random.default_rng(seed)
    lens = rng.integers(1, 4, size=rng.integers(1, 4))
    n, m = int(rng.integers(5, 120)), int(lens.sum())
    close = pd.DataFrame(100.0 * np.exp(np.cumsum(rng.normal(0, 0.02, (n, m)), axis=0)))
    if rng.random() < 0.5:  # a ticker that starts late or has a missing close: vectorbt fills the value's price
        close.iloc[: int(rng.integers(1, n)), int(rng.integers(0, m))] = np.nan
    parts = []
    for k in lens:  # each group's targets add up to at most 1 (the rest in cash)
        raw = rng.random((n, k)) * (rng.random((n, k)) < 0.7)
        total = raw.sum(axis=1, keepdims=True)
        parts.append(np.divide(raw, total, out=np.zeros_like(raw), where=total > 0) * rng.uniform(0.3, 1.0))
    size = np.hstack(parts)
    size[rng.random(n) < 0.5] = np.nan  # days without orders
    return close, size, lens, float(rng.uniform(0, 0.002)), float(rng.uniform(0, 0.001))


def _portfolio(close: pd.DataFrame, size: np.ndarray, lens: np.ndarray, fees: float, slippage: float):  # noqa: ANN202
    import vectorbt as vbt

    groups = pd.Index(np.repeat(np.arange(len(lens)), lens))
    return vbt.Portfolio.from_orders(
        close=close,
        size=pd.DataFrame(size, index=close.index, columns=close.columns),
        size_type="targetpercent",
        group_by=groups,
        cash_sharing=True,
        call_seq="auto",
        init_cash=100_000.0,
        fees=fees,
        slippage=slippage,
        freq="1D",
    )


def _same(a: np.ndarray, b: np.ndarray) -> None:
    assert a.shape == b.shape
    assert np.array_equal(a, b, equal_nan=True), np.nanmax(np.abs(a - b))


@pytest.fixture(params=["rust", "dispatch"])
def which(request, monkeypatch) -> str:
    if request.param == "dispatch":
        monkeypatch.setattr(kernels, "_kernels", kernels._dispatch_kernels)
    else:
        assert kernels._rust_kernels() is not None, "vectorbt[rust] is a dependency: its kernels must load"
    return request.param


@PROPERTY
@given(seed=st.integers(0, 2**32 - 1))
def test_kernels_equal_vectorbt_portfolio_bit_for_bit(seed: int) -> None:
    close, size, lens, fees, slippage = _book(seed)
    pf = _portfolio(close, size, lens, fees, slippage)  # the reference, read once: both kernels are held to it
    want_orders = pf.orders.values
    want_value, want_returns = np.asarray(pf.value()), np.asarray(pf.returns())
    want_asset_value = np.asarray(pf.asset_value(group_by=False))
    for use in (kernels._rust_kernels, kernels._dispatch_kernels):
        k = use()
        assert k is not None
        original = kernels._kernels
        kernels._kernels = lambda k=k: k  # type: ignore[assignment]
        try:
            # copies: each kernel gets the book as drawn
            got = simulate_target_percent(close.copy(), size.copy(), lens, 100_000.0, fees, slippage)
        finally:
            kernels._kernels = original
        assert got.orders.dtype == want_orders.dtype
        assert got.orders.tobytes() == want_orders.tobytes()
        _same(got.value, want_value.reshape(got.value.shape))
        _same(got.returns, want_returns.reshape(got.returns.shape))
        _same(got.asset_value, want_asset_value.reshape(got.asset_value.shape))


def test_a_run_that_buys_and_sells_matches_vectorbt(which: str) -> None:
    close = pd.DataFrame({"a": [10.0, 11.0, 12.0, 9.0, 10.0], "b": [20.0, 19.0, 21.0, 22.0, 20.0]})
    size = np.array([[0.5, 0.5], [np.nan, np.nan], [1.0, 0.0], [0.0, 1.0], [np.nan, np.nan]])
    pf = _portfolio(close, size, np.array([2]), 0.001, 0.0005)
    got = simulate_target_percent(close, size, np.array([2]), 100_000.0, 0.001, 0.0005)
    assert got.orders.tobytes() == pf.orders.values.tobytes()
    assert len(got.orders) == 6  # two buys, a sell then a buy, a sell then a buy: sells first each day
    assert list(got.orders["side"][2:4]) == [1, 0] and list(got.orders["side"][4:]) == [1, 0]
    _same(got.value[:, 0], np.asarray(pf.value()))


def test_record_layouts_are_vectorbts() -> None:
    from vectorbt._settings import settings
    from vectorbt.portfolio.enums import CallSeqType, Direction, SizeType, log_dt, order_dt

    assert ORDER_DT == order_dt and ORDER_DT.itemsize == order_dt.itemsize
    assert LOG_DT == log_dt and LOG_DT.itemsize == log_dt.itemsize
    assert kernels.SIZE_TYPE_TARGET_PERCENT == SizeType.TargetPercent
    assert kernels.DIRECTION_BOTH == Direction.Both and settings["portfolio"]["order_direction"] == "both"
    assert kernels.CALL_SEQ_DEFAULT == CallSeqType.Default
    assert kernels.MIN_SIZE == settings["portfolio"]["min_size"]


def test_a_vectorbt_rust_of_another_version_is_not_used(monkeypatch) -> None:
    import vectorbt_rust

    monkeypatch.setattr(vectorbt_rust, "__version__", "0.1.0")
    assert kernels._rust_kernels() is None


SIMULATE_THEN_IMPORT = """
import sys
import numpy as np, pandas as pd
from simulator.engine.simulate import EngineParams, simulate
idx = pd.bdate_range("2020-01-01", periods=30)
prices = pd.DataFrame({"A": np.linspace(10, 13, 30), "B": np.linspace(20, 18, 30)}, index=idx)
books = {"x": pd.DataFrame({"A": 0.6, "B": 0.4}, index=idx)}
out = simulate(books, prices, EngineParams(fees_bps=5), idx[0], idx[-1])
heavy = sorted(m for m in ("vectorbt", "quantstats", "matplotlib", "scipy", "plotly", "numba") if m in sys.modules)
print("imported:", ",".join(heavy) or "-")
import vectorbt as vbt
print("vectorbt:", vbt.Portfolio.__name__, len(out["x"].orders))
"""


def test_simulating_imports_no_plotting_stack_and_leaves_vectorbt_importable() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SIMULATE_THEN_IMPORT], capture_output=True, text=True, env=checkout_env(), check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "imported: -"
    assert lines[1].startswith("vectorbt: Portfolio")
