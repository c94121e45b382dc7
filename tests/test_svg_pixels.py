"""points_text writes what Python's ``f"{v:g}"`` writes of each pixel rounded to a hundredth, character for character."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.reports.svg.pixels import points_text


def _python(x: np.ndarray, y: np.ndarray) -> str:
    """The text as Python's formatting writes it (how rotsim's charts wrote their points before)."""
    return " ".join(f"{a:g},{b:g}" for a, b in zip(np.round(x, 2).tolist(), np.round(y, 2).tolist(), strict=True))


def _same(x: np.ndarray, y: np.ndarray) -> None:
    got, expected = points_text(x, y), _python(x, y)
    if got != expected:  # the first pair that differs, not two megabytes of text
        pairs = zip(got.split(" "), expected.split(" "), strict=False)
        raise AssertionError(next((g, e) for g, e in pairs if g != e))


def _hundredths() -> np.ndarray:
    """Every whole pixel under 10,000 with four of its hundredths, and every hundredth on wholes of each length.

    points_text writes a number's whole pixels, its hundredths and its sign
    each from that part alone: so each whole, each hundredth and each sign is
    written here, the pairs between them spread over all of them (the two
    million values there are took seconds of Python's formatting).
    """
    whole = np.repeat(np.arange(10_000), 4)
    hundredth = (whole * 37 + np.tile(np.arange(4) * 25, 10_000)) % 100  # each hundredth 400 times
    lengths = np.array([0, 1, 9, 10, 99, 100, 999, 1000, 9999])
    k = np.r_[whole * 100 + hundredth, (lengths[:, None] * 100 + np.arange(100)).ravel()]
    return np.r_[k, -k]


def test_every_whole_and_every_hundredth_under_ten_thousand() -> None:
    """Values a pixel can be written as, both signs, as x and as y."""
    k = _hundredths()
    values = k / 100
    _same(values, values[::-1])
    _same(values + 1e-9, values - 1e-9)  # a hair off a hundredth: rounded onto it
    _same((k + 0.5) / 100, -(k + 0.5) / 100)  # halfway between two: rounded as np.round rounds


@pytest.mark.parametrize("seed", range(20))
def test_random_pixels_at_every_scale(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(64, 5000))
    scale = 10.0 ** rng.uniform(-4, 4, n)
    x = np.sort(rng.uniform(-1, 1, n) * scale)
    y = rng.normal(0, 1, n) * scale
    y[rng.random(n) < 0.1] = -0.0
    y[rng.random(n) < 0.1] = rng.integers(-9999, 10_000)  # whole pixels
    _same(x, y)


def test_zeros_signs_and_integers() -> None:
    base = np.array([0.0, -0.0, 0.001, -0.001, 0.004, -0.004, 0.005, -0.005, 0.006, -0.006, 1.0, -1.0, 10.0, 100.0])
    more = np.array([1000.0, -1000.0, 9999.99, -9999.99, 9999.994, 0.1, 0.01, -0.1, 0.25, 123.4, 7.05, 2.675, 1.005])
    values = np.tile(np.r_[base, more], 4)
    _same(values, values[::-1])
    _same(values.astype(np.int64).astype(float), values)
    _same(np.arange(-5000, 5000), np.arange(5000, -5000, -1))  # integer arrays


def test_what_it_leaves_to_python_is_written_as_python_writes_it() -> None:
    """10,000 px and more (":g" drops digits, then turns to exponents), NaN, infinities; and a few points."""
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 800, 200))
    for odd in (9999.995, 10_000.0, 12_345.678, -123_456.7, 1e6, 3.3e12, np.nan, np.inf, -np.inf):
        y = rng.uniform(-50, 50, 200)
        y[17] = odd
        _same(x, y)
        _same(y, x)
    _same(np.array([]), np.array([]))
    _same(np.array([1.234]), np.array([-0.0]))
    _same(x[:63], x[:63] - 400)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="one length"):
        points_text(np.arange(100.0), np.arange(99.0))
