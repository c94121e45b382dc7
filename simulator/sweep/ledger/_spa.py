"""Hansen's test of superior predictive ability (SPA) of the variants against the benchmark (arch).

Hansen, P. R. (2005), "A Test for Superior Predictive Ability", Journal of
Business & Economic Statistics 23(4); White, H. (2000), "A Reality Check for
Data Snooping", Econometrica 68(5). The null: no variant has a higher mean
daily return than the benchmark. ``arch.bootstrap.SPA`` takes *losses*,
lower better: a day's loss here is the negative return (the benchmark's
-b, a variant's -v), so its loss differential, benchmark minus variant, is
v - b, the variant's daily excess over the benchmark. A risk-free rate would
cancel in that difference, so none is taken. The bootstrap is arch's
stationary bootstrap, with the block length and seed set here, never left
to arch's defaults. arch's ``RealityCheck`` is the same class: White's
reality check is the upper p-value (no recentring), reported as such.

Speed: arch computes the loss differentials' long-run variances with a loop
over every lag (days^2 x variants: 6,500 days of 1,000 variants take two
minutes before the first resample) and each resample's means by copying the
resampled rows three times. :class:`_FastSPA` keeps arch's test, generator
and p-values and replaces those two steps with the same sums done faster
(the lags' products by FFT; a resample's means as day counts times the
differentials); the tests hold its p-values equal to arch's own class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, final

import numpy as np

if TYPE_CHECKING:
    from arch.bootstrap import SPA

__all__ = ["SPAResult", "default_block_size", "spa"]

_RESAMPLES = 64  # resamples per matrix product: 64 x days x 8 bytes of day counts
_FFT_COLUMNS = 128  # variants per FFT: 128 x 16,384 lags of complex numbers, 34 MB


@final
@dataclass(frozen=True)
class SPAResult:
    variants: int
    benchmark: str
    consistent: float  # Hansen's p-value (the one to read)
    lower: float  # recentring no variant worse than the benchmark: a lower bound
    upper: float  # recentring none: an upper bound, and White's reality check
    block_size: int  # mean block length of the stationary bootstrap, days
    reps: int
    seed: int

    def sentence(self) -> str:
        verdict = (
            "at least one variant beat it by more than the luck of picking among them would give"
            if self.consistent < 0.05
            else "no variant beat it by more than the luck of picking among them would give"
        )
        return (
            f"Hansen's test of superior predictive ability asks whether {_which(self.variants)} had "
            f"a higher mean daily return than {self.benchmark}, allowing for the search among them: "
            f"p = {self.consistent:.3f} (bounds {self.lower:.3f} to {self.upper:.3f}, the upper one White's reality "
            f"check; stationary bootstrap of "
            f"{self.reps:,} resamples, mean block {self.block_size} days, seed {self.seed}). "
            f"{'Below' if self.consistent < 0.05 else 'Not below'} 0.05: {verdict}."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "variants": self.variants,
            "benchmark": self.benchmark,
            "p_consistent": self.consistent,
            "p_lower": self.lower,
            "p_upper": self.upper,
            "p_reality_check": self.upper,
            "block_size": self.block_size,
            "reps": self.reps,
            "seed": self.seed,
            "method": "Hansen (2005) SPA, arch.bootstrap.SPA, stationary bootstrap; losses = -daily return "
            "(benchmark and variants); White's (2000) reality check = the upper p-value (no recentring)",
        }


def _which(n: int) -> str:
    return "the one variant" if n == 1 else f"any of the {n:,} variants"


def default_block_size(excess: np.ndarray) -> int:
    """The mean block length for the bootstrap: Politis & White's (2004) optimal stationary-bootstrap length
    (arch's ``optimal_block_length``) of the variants' average daily excess over the benchmark, at least 1 day."""
    from arch.bootstrap import optimal_block_length  # lazily: arch imports scipy

    found = float(optimal_block_length(excess.mean(axis=1))["stationary"].iloc[0])
    return max(1, round(found)) if math.isfinite(found) else 1


def spa(
    returns: np.ndarray, benchmark: np.ndarray, label: str, *, block_size: float | None, reps: int, seed: int
) -> SPAResult:
    """Hansen's SPA test of daily ``returns`` (T x N) against the daily ``benchmark`` (T,) named ``label``.

    ``block_size``: the stationary bootstrap's mean block length in days (rounded
    to whole days; None: :func:`default_block_size`). ``reps`` resamples drawn
    from ``numpy.random.default_rng(seed)``, as arch draws them.
    """
    block = default_block_size(returns - benchmark[:, None]) if block_size is None else max(1, round(block_size))
    test = _fast_spa()(-benchmark, -returns, block_size=block, reps=reps, bootstrap="stationary", seed=seed)
    test.compute()
    p = test.pvalues
    return SPAResult(
        variants=returns.shape[1],
        benchmark=label,
        consistent=float(p["consistent"]),
        lower=float(p["lower"]),
        upper=float(p["upper"]),
        block_size=block,
        reps=reps,
        seed=seed,
    )


def _fast_spa() -> type[SPA]:
    """arch's SPA with its two slow steps done faster (module docstring); a class made on first use,
    so importing the ledger does not import arch."""
    from arch.bootstrap import SPA

    class _FastSPA(SPA):
        def _compute_variance(self) -> None:
            # arch's estimator: sum(d^2)/t + 2 sum_i kappa_i sum_j d_j d_{j+i} / t, kappa_i its
            # stationary-bootstrap weights; the lag sums of every lag at once, by FFT
            d = self._loss_diff - self._loss_diff.mean(axis=0)
            t = self.t
            q = 1.0 - 1.0 / self.block_size
            lag = np.arange(1, t)
            kappa = (1.0 - lag / t) * q**lag + (lag / t) * q ** (t - lag)
            size = 1 << int(2 * t - 1).bit_length()
            out = np.empty(d.shape[1])
            for lo in range(0, d.shape[1], _FFT_COLUMNS):
                f = np.fft.rfft(d[:, lo : lo + _FFT_COLUMNS], size, axis=0)
                sums = np.fft.irfft(f.real**2 + f.imag**2, size, axis=0)[:t]
                out[lo : lo + _FFT_COLUMNS] = (sums[0] + 2.0 * (kappa @ sums[1:])) / t
            self._loss_diff_var = out

        def _simulate_values(self) -> None:
            self._compute_variance()
            self._valid_columns = self._check_column_validity()
            upper = self._loss_diff.mean(0)
            consistent = np.where(self._valid_columns, upper, 0.0)
            lower = np.maximum(upper, 0.0)
            simulated = np.zeros((self.k, self.reps, 3))
            for lo in range(0, self.reps, _RESAMPLES):
                # the draws arch's bootstrap(reps) makes, in order; each resample's mean differential is
                # how often it drew each day times that day's, a batch of resamples in one product
                batch = range(lo, min(lo + _RESAMPLES, self.reps))
                counts = np.stack([np.bincount(self.bootstrap.update_indices(), minlength=self.t) for _ in batch])
                star = (counts.astype(float) @ self._loss_diff / self.t).T
                for j, mean in enumerate((lower, consistent, upper)):
                    simulated[:, batch.start : batch.stop, j] = star - mean[:, None]
            self._simulated_vals = simulated

    return _FastSPA
