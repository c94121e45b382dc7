"""reports._swap.swapped: what rotsim changes in quantstats while it draws is put back, also after an error."""

from __future__ import annotations

import pytest

from simulator.reports._swap import swapped


def test_swapped_sets_each_attribute_within_and_restores_every_one_after_an_error() -> None:
    class A:  # modules, like these classes, are hashable by identity
        f, g = 1, 2

    class B:
        f = 3

    a, b = A, B
    with pytest.raises(RuntimeError), swapped({(a, "f"): 10, (a, "g"): 20, (b, "f"): 30}):
        assert (a.f, a.g, b.f) == (10, 20, 30)
        raise RuntimeError("while drawing")
    assert (a.f, a.g, b.f) == (1, 2, 3)
