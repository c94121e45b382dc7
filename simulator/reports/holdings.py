"""What a strategy holds and when, in a few lines: for the manifest and the tearsheet title."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

MAX_MIXES = 8  # the manifest lists the most-held mixes; the rest are counted
MAX_SPELLS = 40


def holdings_summary(targets: pd.DataFrame, signal: pd.Series | None = None) -> dict[str, Any]:
    """The distinct target mixes of ``targets`` with the share of days each was chosen, and the signal's spells.

    Requires: target weights by ticker on the simulated days (rows sum to at
    most 1; the rest is cash) and optionally a boolean signal on those days.
    Sets: nothing; returns a JSON-ready dict.
    """
    held = targets.round(4).to_numpy(dtype=float)
    held = np.where(held > 0, held, 0.0)  # what a mix leaves out: nothing, cash (NaN) or a short, all alike
    n = len(held)
    _, first, counts = np.unique(_rows_as_bytes(held), return_index=True, return_counts=True)
    order = sorted(range(len(first)), key=lambda k: (-counts[k], first[k]))  # ties: the one chosen first
    tickers = [str(t) for t in targets.columns]
    mixes = [
        {
            "weights": {t: float(w) for t, w in zip(tickers, held[first[k]]) if w > 0},
            "share_of_days": round(counts[k] / n, 4),
            "days": int(counts[k]),
        }
        for k in order[:MAX_MIXES]
    ]
    out: dict[str, Any] = {
        "basis": "target weights decided at each close (the engine trades them `lag` bars later); the rest is cash",
        "mixes": mixes,
    }
    if len(order) > MAX_MIXES:
        rest = sum(int(counts[k]) for k in order[MAX_MIXES:])
        out["other_mixes"] = {"count": len(order) - MAX_MIXES, "share_of_days": round(rest / n, 4), "days": rest}
    if signal is not None:
        out["signal"] = signal_summary(signal.reindex(targets.index).fillna(False).astype(bool))
    return out


def signal_summary(on: pd.Series) -> dict[str, Any]:
    """Share of days on, and each spell of consecutive on-days as [first, last]."""
    spells = [list(span) for span in signal_spans(on)]
    out: dict[str, Any] = {"on_share": round(float(on.mean()), 4) if len(on) else 0.0, "spell_count": len(spells)}
    out["spells"] = spells[:MAX_SPELLS]
    if len(spells) > MAX_SPELLS:
        out["spells_not_listed"] = len(spells) - MAX_SPELLS
    return out


def holdings_brief(summary: Mapping[str, Any], top: int = 2) -> str:
    """'holds IWM (31% of days), SPY (69%); signal on 31% of days': the most-held mixes, for a title."""
    parts = []
    for i, m in enumerate(summary["mixes"][:top]):
        share = f"{m['share_of_days']:.0%}" + (" of days" if i == 0 else "")
        parts.append(f"{_mix_text(m['weights'])} ({share})")
    others = len(summary["mixes"]) - top + summary.get("other_mixes", {}).get("count", 0)
    if others > 0:
        parts.append(f"{others} other mix{'es' if others > 1 else ''}")
    text = "holds " + ", ".join(parts)
    if "signal" in summary:
        text += f"; signal on {summary['signal']['on_share']:.0%} of days"
    return text


def _rows_as_bytes(values: np.ndarray) -> np.ndarray:
    """Each row as one opaque value, so that numpy counts equal rows in C (equal bytes: no -0.0 or NaN here)."""
    if values.shape[1] == 0:  # no tickers: every day is the same mix, all cash
        return np.zeros(len(values), dtype=np.int8)
    return np.ascontiguousarray(values).view(np.dtype((np.void, values.dtype.itemsize * values.shape[1])))[:, 0]


def _mix_text(weights: dict[str, float]) -> str:
    if not weights:
        return "cash"
    if len(weights) == 1 and next(iter(weights.values())) == 1.0:
        return next(iter(weights))
    text = " + ".join(f"{t} {w:.0%}" for t, w in weights.items())
    cash = 1.0 - sum(weights.values())
    return text + (f" + cash {cash:.0%}" if cash > 1e-4 else "")


def signal_spans(signal: pd.Series) -> list[tuple[str, str]]:
    """(first day on, last day on) of each run of True in ``signal``, as ISO dates."""
    on = signal.to_numpy(dtype=bool)
    if not on.any():
        return []
    edges = np.diff(np.concatenate([[False], on, [False]]).astype(int))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    dates = signal.index
    return [(f"{dates[a]:%Y-%m-%d}", f"{dates[b]:%Y-%m-%d}") for a, b in zip(starts.tolist(), ends.tolist())]
