"""Growth/inflation quads: regimes on whether growth and inflation are speeding up or slowing down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import with_events

__all__ = ["DEFENSIVE", "growth_inflation_quads", "quads", "sequence_triggers", "yoy_change"]

GROWTH_SERIES = {"indpro": "indpro_yoy", "gdp": "real_gdp_yoy"}
DEFENSIVE = ("staples", "utilities", "health")  # the defensive mix, in equal parts

Small = Annotated[float, Param("small-cap weight in this quad", ge=0, le=1)]
Defensive = Annotated[
    float, Param("weight of the defensive mix (staples, utilities, health in equal parts) in this quad", ge=0, le=1)
]


def yoy_change(known: pd.Series, observed: pd.Series, months: int) -> pd.Series:
    """The change of a year-on-year rate over ``months`` months of observations, on each day, as known then.

    Requires: a rate as known at each close (``known``: NaN before the first
    publication) and the observation date of each of those values
    (``observed``: the month or quarter it describes, its first day; NaT
    before the first), as ``StrategyInput.observed`` gives them. Sets: on
    each day, with M the observation known then, the rate for M minus the
    rate for the latest observation dated on or before M - ``months``
    months (NaN until one is known). A release is a day the observation date
    moves, so a release equal to the one before it (CPI's rate repeated
    itself six times, 1958-2005) still counts. Without gaps this is the
    change since ``months`` releases earlier (``months / 3`` for quarterly
    GDP); across a missing month (CPI's 2025-10) the step is one month
    wider only where M - ``months`` is the missing month (2026-01 against
    2025-09), not for every release after it.
    """
    dates = pd.DatetimeIndex(observed)
    values = known.to_numpy(dtype=float)
    at = dates.as_unit("ns").asi8
    has = ~np.asarray(dates.isna(), dtype=bool)
    released = has & (at != np.concatenate([[np.iinfo(np.int64).min], at[:-1]]))  # NaT's value: none before
    released_on, released_values = dates[released], np.append(values[released], np.nan)
    if not released_on.is_monotonic_increasing:
        raise ValueError(f"the observation dates of '{known.name}' go back in time; each release must be newer")
    # releases dated on or before M - months were all out before M was: the search reads no later release
    back = released_on.searchsorted(dates - pd.DateOffset(months=months), side="right") - 1
    earlier = released_values[np.where(has & (back >= 0), back, -1)]  # -1: the NaN appended
    return pd.Series(values - earlier, index=known.index, name=known.name)


def quads(growth_change: pd.Series, inflation_change: pd.Series) -> pd.Series:
    """The quad on each day: 1 growth up / inflation down, 2 both up, 3 growth down / inflation up, 4 both down.

    "Up" is a change above zero (accelerating); zero or below is down. NaN
    until both changes are known.
    """
    g = growth_change.to_numpy(dtype=float) > 0
    i = inflation_change.to_numpy(dtype=float) > 0
    quad = np.select([g & ~i, g & i, ~g & i], [1.0, 2.0, 3.0], 4.0)
    known = growth_change.notna().to_numpy() & inflation_change.notna().to_numpy()
    return pd.Series(np.where(known, quad, np.nan), index=growth_change.index, name="quad")


def sequence_triggers(quad: pd.Series) -> pd.Series:
    """True on each day the quads complete the sequence 4 -> 3 -> 1 or 2 (three spells in a row).

    A spell is a run of days in one quad. The trigger is the first day of a
    Quad 1 or 2 spell that follows a Quad 3 spell that followed a Quad 4
    spell; days before the quad is known break a sequence.
    """
    values = quad.to_numpy(dtype=float)
    out = np.zeros(len(values), dtype=bool)
    spells: list[float] = []  # the quads of the spells so far (NaN spells included)
    for t, q in enumerate(values):
        if t == 0 or not (q == values[t - 1] or (np.isnan(q) and np.isnan(values[t - 1]))):
            spells.append(q)
            out[t] = len(spells) >= 3 and q in (1.0, 2.0) and spells[-2] == 3.0 and spells[-3] == 4.0
    return pd.Series(out, index=quad.index)


def _vintage(params: Mapping[str, Any]) -> str:
    growth = "GDPC1" if params.get("growth") == "gdp" else "INDPRO"
    return f"{growth} and CPIAUCSL as revised since, not as first published (dated by publication)"


@strategy(
    roles=("small_cap", "large_cap"),
    default_tickers={"staples": "XLP", "utilities": "XLU", "health": "XLV"},
    series=("indpro_yoy", "real_gdp_yoy", "cpi_yoy"),
    series_used=lambda p: (GROWTH_SERIES[p["growth"]], "cpi_yoy"),
    vintage=_vintage,
)
def growth_inflation_quads(
    data: StrategyInput,
    growth: Annotated[
        Literal["indpro", "gdp"],
        Param("growth measure: 'indpro' industrial production (monthly) or 'gdp' real GDP (quarterly)"),
    ] = "indpro",
    change_over_months: Annotated[
        int,
        Param(
            "months over which the year-on-year rates' change is taken (3: this quarter's rate against the "
            "last quarter's); real GDP uses the quarters in it (at least one)",
            ge=1,
            le=24,
        ),
    ] = 3,
    entry: Annotated[
        Literal["quad", "sequence"],
        Param(
            "'quad': hold each quad's weights; 'sequence': small caps from the day the quads complete "
            "4 -> 3 -> 1/2 until the quad turns 3 or 4 again, large caps otherwise"
        ),
    ] = "quad",
    quad1_small: Small = 1.0,
    quad2_small: Small = 1.0,
    quad3_small: Small = 0.0,
    quad4_small: Small = 0.0,
    quad1_defensive: Defensive = 0.0,
    quad2_defensive: Defensive = 0.0,
    quad3_defensive: Defensive = 0.0,
    quad4_defensive: Defensive = 1.0,
) -> pd.DataFrame:
    """Hold small caps while growth accelerates, large caps in Quad 3, a defensive mix in Quad 4.

    Hypothesis: what moves asset classes is not the level of growth and
    inflation but their rate of change. Four regimes ("quads"): Quad 1
    growth accelerating and inflation decelerating, Quad 2 both
    accelerating, Quad 3 growth decelerating and inflation accelerating,
    Quad 4 both decelerating. Small caps, the most cyclical, lead when
    growth accelerates (Quads 1 and 2); large caps hold up better in
    Quad 3, defensives (staples, utilities, health care) in Quad 4. Source
    idea ("the quad count"): small caps are bought when the sequence moves
    4 -> 3 -> 2/1, when recession fears peak and growth turns up
    (``entry: sequence``).

    Growth is industrial production (monthly, the faster proxy; series
    ``indpro_yoy``) or real GDP (quarterly, ``real_gdp_yoy``); inflation is
    CPI (``cpi_yoy``); each as its year-on-year rate, accelerating when that
    rate is above its value ``change_over_months`` earlier. Each value counts
    only once published: CPI 15 days after its month ends, industrial
    production 17 days, GDP's advance estimate 30 days after its quarter
    (``rotsim series`` lists the lags). The values at hand are today's
    revised ones, not those first published: the strategy declares a
    data-vintage note, which reports carry (not HINDSIGHT: the dates are
    right, the figures are later vintages).

    Requires: roles ``small_cap`` and ``large_cap``; ``staples``,
    ``utilities`` and ``health`` (default XLP, XLU, XLV; on long history
    e.g. Ken French's NoDur, Utils and Hlth); series ``cpi_yoy`` and
    ``indpro_yoy`` or ``real_gdp_yoy``.
    Sets: with entry 'quad', in Quad q ``quad{q}_small`` in small_cap,
    ``quad{q}_defensive`` in thirds across the defensive roles and the rest
    in large_cap (their sum may not exceed 1); 100% large_cap until a quad
    is known. With entry 'sequence', 100% small_cap from each completed
    4 -> 3 -> 1/2 sequence while the quad stays 1 or 2, else 100% large_cap.
    Signal: 'quad': growth accelerating (Quads 1 and 2); 'sequence': the
    small-cap spells. Events: 'quad': each day the quad changes (not the
    first quad known); 'sequence': each day a sequence completes.
    """
    small = (quad1_small, quad2_small, quad3_small, quad4_small)
    defensive = (quad1_defensive, quad2_defensive, quad3_defensive, quad4_defensive)
    if over := [q + 1 for q in range(4) if small[q] + defensive[q] > 1 + 1e-12]:
        raise ValueError(f"quad{over[0]}_small + quad{over[0]}_defensive exceed 1 (the rest goes to large caps)")
    macro, observed = data.macro, data.observed_or_raise("growth_inflation_quads")
    growth_months = 3 * max(1, change_over_months // 3) if growth == "gdp" else change_over_months
    name = GROWTH_SERIES[growth]
    quad = quads(
        yoy_change(macro[name], observed[name], growth_months),
        yoy_change(macro["cpi_yoy"], observed["cpi_yoy"], change_over_months),
    )
    q = quad.to_numpy()
    known = ~np.isnan(q)
    if entry == "sequence":
        triggers = sequence_triggers(quad)
        growing = np.isin(q, (1.0, 2.0))  # a trigger day is one of them
        # on from a trigger while the quad stays 1 or 2: within each run of such days, from its first trigger on
        runs = np.cumsum(~growing)
        on = growing & pd.Series(triggers.to_numpy()).groupby(runs).cummax().to_numpy(dtype=bool)
        weights = pd.DataFrame({"small_cap": on.astype(float), "large_cap": 1.0 - on}, index=data.index)
        for role in DEFENSIVE:
            weights[role] = 0.0
        weights.attrs["signal"] = pd.Series(on, index=data.index)
        return with_events(weights, triggers)
    at = np.where(known, np.nan_to_num(q, nan=1.0).astype(int) - 1, 0)
    s = np.where(known, np.take(small, at), 0.0)
    d = np.where(known, np.take(defensive, at), 0.0)
    weights = pd.DataFrame({"small_cap": s, "large_cap": 1.0 - s - d}, index=data.index)
    for role in DEFENSIVE:
        weights[role] = d / len(DEFENSIVE)
    weights["large_cap"] = weights["large_cap"].clip(lower=0.0)  # 1 - s - d may round to -1e-16
    changes = known & np.concatenate([[False], known[:-1]]) & (q != np.concatenate([[np.nan], q[:-1]]))
    weights.attrs["signal"] = pd.Series(np.isin(q, (1.0, 2.0)), index=data.index)
    return with_events(weights, pd.Series(changes, index=data.index))
