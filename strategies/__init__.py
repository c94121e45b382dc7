"""rotsim's built-in strategies, registered through the ``rotsim.strategies``
entry point exactly like a third-party plugin."""

from simulator import hookimpl

from .small_cap_thrust import small_cap_thrust
from .static_weights import static_weights


@hookimpl
def register_strategies(register):  # noqa: ANN001, ANN201 - signature fixed by the hookspec
    register(static_weights)
    register(small_cap_thrust)
