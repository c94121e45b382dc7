"""The parameters the small-cap vs large-cap tilts share: the small-cap weight on and off."""

from __future__ import annotations

from typing import Annotated

from simulator.contract import Param

OnSmall = Annotated[float, Param("small-cap weight while the signal is on (the rest in large caps)", ge=0, le=1)]
OffSmall = Annotated[float, Param("small-cap weight otherwise (the neutral mix; the rest in large caps)", ge=0, le=1)]
