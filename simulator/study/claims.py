"""Claimed against measured: each published figure beside the study's, with a verdict in plain words.

Three verdicts, as the report states them: **reproduced** (the measured
figure within the stated tolerance of the published one), **different**
(with the likely definitional cause the study can see: another event
count, windows past the data, what the config says it measures
differently), and, whatever the match, whether the events' result is
**distinguishable from the baseline** (Holm-adjusted p < ``ALPHA``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import final

import numpy as np
import pandas as pd

__all__ = ["ALPHA", "ClaimFigures", "compare_claim"]

ALPHA = 0.05


@final
@dataclass(frozen=True)
class ClaimFigures:
    """What a source published, as plain values (fractions, trading-day horizons)."""

    source: str
    published: pd.Timestamp
    events: int | None = None
    mean: Mapping[str, Mapping[int, float]] | None = None  # asset -> horizon -> mean
    group_mean: Mapping[str, Mapping[str, float]] | None = None  # asset -> group ('all': every period) -> mean
    tolerance: float = 0.02
    count_tolerance: float = 0.1
    note: str = ""


def compare_claim(
    claim: ClaimFigures, summary: pd.DataFrame | None, periods: pd.DataFrame | None, measured_events: int | None
) -> pd.DataFrame:
    """One row per published figure: claimed, measured, difference, verdict, baseline test, and why.

    Requires: the study's summary (rows with measure 'return') and/or its
    period table, and the number of events it counted (through
    events_until). Sets: a DataFrame with columns figure, asset, at,
    claimed, measured, difference, verdict, versus_baseline, why.
    """
    rows = []
    count_off = ""
    if claim.events is not None and measured_events is not None:
        off = abs(measured_events - claim.events) > claim.count_tolerance * max(claim.events, 1)
        if measured_events != claim.events:  # a cause worth naming beside a mean, even within the tolerance
            count_off = f"{measured_events} events measured, {claim.events} published"
        rows.append(_row("events", "", "", float(claim.events), float(measured_events), not off, np.nan, count_off))
    for asset, by_h in (claim.mean or {}).items():
        for h, value in by_h.items():
            hit = _find(summary, asset=asset, horizon=h, measure="return")
            measured = float(hit["mean"]) if hit is not None else np.nan
            why = [count_off] if count_off else []
            if hit is not None and hit["n_past_data"]:
                why.append(f"{int(hit['n_past_data'])} event window(s) run past the data")
            within = bool(np.isfinite(measured) and _within(measured, value, claim.tolerance))
            p = float(hit["p_value"]) if hit is not None else np.nan
            rows.append(_row("mean", asset, f"{h}d", value, measured, within, p, _cause(within, why, claim)))
    for asset, by_group in (claim.group_mean or {}).items():
        for group, value in by_group.items():
            hit = _find(periods, asset=asset) if group == "all" else _find(periods, asset=asset, group=group)
            measured = float(hit["all_mean" if group == "all" else "mean"]) if hit is not None else np.nan
            within = bool(np.isfinite(measured) and _within(measured, value, claim.tolerance))
            p = float(hit["p_value"]) if hit is not None else np.nan
            span = f"measured over {hit['first']}..{hit['last']}" if hit is not None else "no such group measured"
            rows.append(_row("group mean", asset, group, value, measured, within, p, _cause(within, [span], claim)))
    return pd.DataFrame(
        rows,
        columns=["figure", "asset", "at", "claimed", "measured", "difference", "verdict", "versus_baseline", "why"],
    )


def _within(measured: float, claimed: float, tolerance: float) -> bool:
    """Within the tolerance as written in decimal: 0.04 against 0.06 is exactly 0.02 apart (12 places)."""
    return round(abs(measured - claimed), 12) <= tolerance


def _find(table: pd.DataFrame | None, **match: object) -> pd.Series | None:
    if table is None or table.empty:
        return None
    mask = np.ones(len(table), dtype=bool)
    for key, value in match.items():
        mask &= (table[key] == value).to_numpy()
    return table[mask].iloc[0] if mask.any() else None


def _cause(within: bool, why: list[str], claim: ClaimFigures) -> str:
    if within:
        return "; ".join(w for w in why if "measured over" in w)
    causes = [w for w in why if w] + ([claim.note] if claim.note else [])
    return "; ".join(causes) or "same events, other returns: price vs total return, or the entry day"


def _row(
    figure: str, asset: str, at: str, claimed: float, measured: float, within: bool, p: float, why: str
) -> dict[str, object]:
    if not np.isfinite(measured):
        verdict = "not measured"
    else:
        verdict = "reproduced" if within else "different"
    if np.isfinite(p):
        test = f"{'distinguishable' if p < ALPHA else 'not distinguishable'} from the baseline (Holm p = {p:.3f})"
    else:
        test = ""
    return {
        "figure": figure,
        "asset": asset,
        "at": at,
        "claimed": claimed,
        "measured": measured,
        "difference": measured - claimed,
        "verdict": verdict,
        "versus_baseline": test,
        "why": why,
    }
