"""rotsim's built-in strategies, registered through the ``rotsim.strategies``
entry point exactly like a third-party plugin.

This folder installs as the package ``rotsim_strategies`` (setup.py): import
it by that name. Its modules import rotsim only from ``simulator.contract``
(and the election calendar).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulator.contract import hookimpl

from .election_barbell import election_barbell
from .growth_inflation_quads import growth_inflation_quads
from .policy_curve_trigger import policy_curve_trigger
from .post_election_cooloff import post_election_cooloff
from .rate_cut_regime import rate_cut_regime
from .rotation_spread import rotation_spread
from .small_cap_thrust import small_cap_thrust
from .static_weights import static_weights
from .threshold_cross import threshold_cross
from .yield_tilt import yield_tilt

if TYPE_CHECKING:
    from simulator.contract import Strategy

BUILT_INS = (
    static_weights,
    small_cap_thrust,
    rotation_spread,
    election_barbell,
    rate_cut_regime,
    policy_curve_trigger,
    yield_tilt,
    threshold_cross,
    growth_inflation_quads,
    post_election_cooloff,
)


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:  # the hookspec's signature
    for s in BUILT_INS:
        register(s)
