"""vectorbt's order simulation, called at its compiled kernels instead of through ``vbt.Portfolio``.

``import vectorbt`` costs seconds and hundreds of MB in every run: its package
``__init__`` imports every submodule, and through them quantstats, matplotlib,
scipy.stats and plotly. The simulation itself is vectorbt-rust's kernels
(``vectorbt[rust]``), which import in milliseconds. ``simulate_target_percent``
makes the calls ``Portfolio.from_orders(..., size_type='targetpercent',
group_by=..., cash_sharing=True, call_seq='auto')`` and then ``pf.value()``,
``pf.returns()`` and ``pf.asset_value(group_by=False)`` make, with the same
arguments and vectorbt's defaults, so the numbers are the same to the last bit
(``tests/engine/test_kernels.py`` compares them with ``vbt.Portfolio``).

vectorbt-rust reads its record layouts (``order_dt``, ``log_dt``) from
``vectorbt.portfolio.enums``, and importing that runs vectorbt's whole
``__init__``. While the kernels run, ``_record_layouts`` lends them those two
layouts as stand-in modules (written out below, checked equal to vectorbt's in
the tests) and takes them back after, so a later ``import vectorbt`` in the same
process is the real one. When vectorbt is already imported, nothing is lent.

When vectorbt-rust is missing or not the version vectorbt expects (vectorbt
itself then falls back to numba), the same calls go through vectorbt's own
dispatch functions, at the cost of the full import.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import ModuleType, SimpleNamespace
from typing import Any, final

import numpy as np
import pandas as pd

__all__ = ["Simulated", "simulate_target_percent"]

# vectorbt's enums and ``settings['portfolio']`` defaults that from_orders passes on
# (checked against vectorbt itself in the tests: a vectorbt upgrade that changes one fails there)
SIZE_TYPE_TARGET_PERCENT = 5
DIRECTION_BOTH = 2
CALL_SEQ_DEFAULT = 0
MIN_SIZE = 1e-8

# vectorbt.portfolio.enums' record layouts, field by field: (names, type) in order
_ORDER_FIELDS = (("id col idx", "<i8"), ("size price fees", "<f8"), ("side", "<i8"))
_LOG_FIELDS = (
    ("id group col idx", "<i8"),
    ("cash position debt free_cash val_price value req_size req_price", "<f8"),
    ("req_size_type req_direction", "<i8"),
    ("req_fees req_fixed_fees req_slippage req_min_size req_max_size req_size_granularity req_reject_prob", "<f8"),
    ("req_lock_cash req_allow_partial req_raise_reject req_log", "?"),
    ("new_cash new_position new_debt new_free_cash new_val_price new_value res_size res_price res_fees", "<f8"),
    ("res_side res_status res_status_info order_id", "<i8"),
)


def _layout(fields: tuple[tuple[str, str], ...]) -> np.dtype:
    return np.dtype([(name, kind) for names, kind in fields for name in names.split()], align=True)


ORDER_DT = _layout(_ORDER_FIELDS)
LOG_DT = _layout(_LOG_FIELDS)


@final
@dataclass(frozen=True)
class Simulated:
    """What vectorbt computed, as arrays (rows: dates; columns: ``close``'s columns; groups: books).

    - ``orders``: vectorbt's order records (fields id, col, idx, size, price, fees, side).
    - ``value``: each group's value (dates x groups), as ``pf.value()``.
    - ``returns``: each group's returns (dates x groups), as ``pf.returns()``.
    - ``asset_value``: each column's holding value (dates x columns), as ``pf.asset_value(group_by=False)``.
    """

    orders: np.ndarray
    value: np.ndarray
    returns: np.ndarray
    asset_value: np.ndarray


def simulate_target_percent(
    close: pd.DataFrame,
    size: np.ndarray,
    group_lens: np.ndarray,
    init_cash: float,
    fees: float,
    slippage: float,
) -> Simulated:
    """Trade each group of ``close``'s columns to the target weights in ``size``, with one cash per group.

    Requires ``close`` (dates x columns, float), ``size`` of the same shape
    (a target weight, or NaN for no order that day), ``group_lens`` (the
    number of consecutive columns in each group). Sells run before buys
    within a day (vectorbt's ``call_seq='auto'``).
    """
    k = _kernels()
    shape = (close.shape[0], close.shape[1])
    group_lens = np.asarray(group_lens, dtype=np.int64)
    cash0 = np.full(len(group_lens), float(init_cash))
    call_seq = k.build_call_seq(shape, group_lens, CALL_SEQ_DEFAULT)
    closes = np.array(close.to_numpy(dtype=float))  # writeable, as vectorbt's broadcast requires
    with _record_layouts():
        orders, _ = k.simulate_from_orders(
            shape,
            group_lens,
            cash0,
            call_seq,
            np.asarray(size, dtype=float),
            np.asarray(np.inf),  # price: the close
            np.asarray(SIZE_TYPE_TARGET_PERCENT),
            np.asarray(DIRECTION_BOTH),
            np.asarray(float(fees)),
            np.asarray(0.0),  # fixed fees
            np.asarray(float(slippage)),
            np.asarray(MIN_SIZE),
            np.asarray(np.inf),  # max size
            np.asarray(np.nan),  # size granularity
            np.asarray(0.0),  # reject probability
            np.asarray(False),  # lock cash
            np.asarray(True),  # allow partial
            np.asarray(False),  # raise on reject
            np.asarray(False),  # log
            np.asarray(np.inf),  # valuation price: the close
            closes,
            auto_call_seq=True,
            ffill_val_price=True,
            update_value=False,
            max_orders=shape[0] * shape[1],
            max_logs=1,
            init_temp_records=False,
            flex_2d=True,
        )
    col_map = k.col_map(orders["col"], shape[1])
    assets = k.assets(k.asset_flow(shape, orders, col_map, DIRECTION_BOTH))
    # pf.asset_value: the close filled forward then back, 0 where nothing is held (a NaN price)
    filled = np.array(close.ffill().bfill().to_numpy(dtype=float))
    filled[assets == 0] = 0.0
    asset_value = k.asset_value(filled, assets)
    cash_flow = k.cash_flow_grouped(k.cash_flow(shape, orders, col_map, False), group_lens)
    cash_grouped = k.init_cash_grouped(cash0, group_lens, True)
    cash = k.cash_grouped(shape, cash_flow, group_lens, cash_grouped)
    value = k.value(cash, k.asset_value_grouped(asset_value, group_lens))
    return Simulated(orders, value, k.returns(value, cash_grouped), asset_value)


_lending = threading.Lock()
_STAND_INS = ("vectorbt", "vectorbt.portfolio", "vectorbt.portfolio.enums")


@contextmanager
def _record_layouts() -> Iterator[None]:
    """Lend vectorbt-rust the record layouts it imports, without running vectorbt's ``__init__``."""
    if "vectorbt" in sys.modules:  # the real vectorbt is (being) imported: it has them
        yield
        return
    with _lending:
        lent = {name: ModuleType(name) for name in _STAND_INS}
        lent["vectorbt.portfolio.enums"].__dict__.update(order_dt=ORDER_DT, log_dt=LOG_DT)
        sys.modules.update(lent)
        try:
            yield
        finally:
            for name, module in lent.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]


@cache
def _kernels() -> SimpleNamespace:
    """vectorbt-rust's kernels when they are there and match vectorbt, else vectorbt's dispatch."""
    rust = _rust_kernels()
    return rust if rust is not None else _dispatch_kernels()


def _rust_kernels() -> SimpleNamespace | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        import vectorbt_rust
        from vectorbt_rust import portfolio as p
        from vectorbt_rust import records as r
        from vectorbt_rust import returns as rr

        wanted = version("vectorbt")
    except (ImportError, PackageNotFoundError):
        return None
    # vectorbt's own rule: the same major.minor, else it uses numba
    if wanted.rsplit(".", 1)[0] != str(vectorbt_rust.__version__).rsplit(".", 1)[0]:
        return None

    def ints(a: np.ndarray) -> np.ndarray:
        return np.asarray(a, dtype=np.int64)

    def by_col(f: Any) -> Any:  # vectorbt's col_map is (col_idxs, col_lens); the kernels take them apart
        return lambda shape, orders, col_map, arg: f(orders, ints(col_map[0]), ints(col_map[1]), shape, arg)

    return SimpleNamespace(
        build_call_seq=lambda shape, lens, kind: p.build_call_seq_rs(shape, ints(lens), kind),
        simulate_from_orders=p.simulate_from_orders_rs,
        col_map=lambda cols, n: r.col_map_rs(ints(cols), n),
        asset_flow=by_col(p.asset_flow_rs),
        assets=p.assets_rs,
        asset_value=p.asset_value_rs,
        cash_flow=by_col(p.cash_flow_rs),
        cash_flow_grouped=lambda flow, lens: p.cash_flow_grouped_rs(flow, ints(lens)),
        init_cash_grouped=lambda cash, lens, sharing: p.init_cash_grouped_rs(cash, ints(lens), sharing),
        cash_grouped=lambda shape, flow, lens, cash: p.cash_grouped_rs(shape, flow, ints(lens), cash),
        asset_value_grouped=lambda av, lens: p.asset_value_grouped_rs(av, ints(lens)),
        value=p.value_rs,
        returns=rr.returns_rs,
    )


def _dispatch_kernels() -> SimpleNamespace:
    from vectorbt.portfolio import dispatch as p
    from vectorbt.records import dispatch as r
    from vectorbt.returns import dispatch as rr

    return SimpleNamespace(
        build_call_seq=p.build_call_seq,
        simulate_from_orders=p.simulate_from_orders,
        col_map=r.col_map,
        asset_flow=p.asset_flow,
        assets=p.assets,
        asset_value=p.asset_value,
        cash_flow=p.cash_flow,
        cash_flow_grouped=p.cash_flow_grouped,
        init_cash_grouped=p.init_cash_grouped,
        cash_grouped=p.cash_grouped,
        asset_value_grouped=p.asset_value_grouped,
        value=p.value,
        returns=rr.returns,
    )
