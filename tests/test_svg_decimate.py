"""envelope keeps, per pixel column, the points a stable sort by value puts first and last, and each end."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.reports.svg.decimate import envelope


def _by_sorting(x: np.ndarray, y: np.ndarray) -> list[int]:
    """The M4 points column by column, by a stable sort of each column's values."""
    # x increases: each pixel column's points are consecutive
    _, firsts, sizes = np.unique(np.floor(x), return_index=True, return_counts=True)
    if len(x) <= 4 * len(firsts):
        return list(range(len(x)))
    kept: set[int] = set()
    for first, size in zip(firsts.tolist(), sizes.tolist(), strict=True):
        order = np.argsort(y[first : first + size], kind="stable")
        kept |= {first, first + size - 1, first + int(order[0]), first + int(order[-1])}
    return sorted(kept)


@pytest.mark.parametrize("seed", range(40))
def test_envelope_keeps_what_a_stable_sort_keeps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 20_000))
    x = np.sort(rng.uniform(0, rng.uniform(1, 900), n))  # from a few points a column to thousands
    y = rng.normal(0, 1, n).cumsum()
    if seed % 2 == 0:
        y = np.round(y, 1)  # ties: several points at a column's lowest or highest
    if seed % 3 == 0:
        y[rng.random(n) < 0.3] = 0.0
        y[rng.random(n) < 0.3] = -0.0  # equal to 0.0, as the sort takes it
    if seed % 5 == 0:
        y[: n // 2] = 7.0  # flat stretches: every point of a column ties
    got, expected = envelope(x, y), _by_sorting(x, y)
    assert got.tolist() == expected


def test_envelope_of_short_and_flat_lines() -> None:
    for x, y in (
        (np.array([]), np.array([])),
        (np.array([3.5]), np.array([1.0])),
        (np.full(9, 3.5), np.array([2.0, 1, 1, 3, 3, 1, 2, 3, 0])),  # one column
        (np.linspace(0, 2, 12), np.ones(12)),
    ):
        assert envelope(x, y).tolist() == _by_sorting(x, y)
