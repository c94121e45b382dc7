"""A new strategy plugin package, ready to install: what `rotsim new-strategy NAME` writes.

The package is the smallest complete plugin: ``pyproject.toml`` declaring the
``rotsim.strategies`` entry point, a src-layout module with a commented,
working strategy, a config that runs it on the synthetic market, a README and
a test built on ``simulator.testing``. Templates use ``string.Template``
(``$name``) so the Python braces inside them need no escaping.
"""

from __future__ import annotations

import keyword
import re
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from string import Template

from .errors import UserError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=70.1"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "A rotsim strategy plugin: $name."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["rotsim>=$rotsim_version"]

[project.optional-dependencies]
test = ["pytest>=8"]

# How rotsim finds the plugin: an entry point in the "rotsim.strategies" group
# naming the module that holds the register_strategies hook.
[project.entry-points."rotsim.strategies"]
$name = "$package"

[tool.setuptools.packages.find]
where = ["src"]
"""

MODULE = '''\
"""$name: a rotsim strategy plugin.

rotsim imports this module through the entry point in pyproject.toml and calls
``register_strategies`` once. Everything a plugin needs comes from
``simulator.contract``; ``simulator.contract.signals`` has building blocks
(thresholds, holding periods, confirmations, month starts, two-role tilts,
trigger days).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import pandas as pd

from simulator.contract import Param, Strategy, StrategyInput, hookimpl, strategy
from simulator.contract.signals import above, turns_on, with_events

__version__ = "0.1.0"


# What the strategy reads:
# - roles: names for the assets it reads, mapped to tickers by a config's
#   `universe` (large_cap: SPY). The prices arrive by role, not by ticker.
# - default_tickers={"bonds": "TLT"}: a role with the ticker to load when the
#   config's universe does not name it.
# - series=("y10",): macro series, each value as it was known at each close
#   (names, source ids and publication lags: `rotsim series`).
@strategy(roles=("large_cap",))
def $name(
    data: StrategyInput,
    # Parameters: keyword arguments after `data`, typed, with a default and a
    # Param(help, constraints). A config sets them under `params:` and is
    # checked against them; `rotsim strategies $name` shows them.
    window: Annotated[int, Param("trading days in the moving average", ge=2)] = 200,
) -> pd.DataFrame:
    """Hold large caps while they close above their `window`-day average; cash otherwise.

    (The first paragraph of this docstring is the description rotsim shows.)
    """
    price = data.prices["large_cap"]
    # Use only data up to each day's close: look back (rolling, shift(1)), never
    # forward (shift(-1), whole-sample statistics).
    average = price.rolling(window, min_periods=window).mean()
    # signals.above compares at 12 decimals; False while the average is unknown (NaN)
    trend = above(price - average, 0.0)
    # Target weights: a column per role traded, on data.index, each >= 0, rows
    # summing to at most 1 (the rest is cash). The engine trades them `lag`
    # bars after the close they were decided on.
    weights = pd.DataFrame({"large_cap": trend.astype(float)}, index=data.index)
    weights.attrs["signal"] = trend  # optional: reports mark the days the signal is on
    # optional: its trigger days, apart from the holding spells; `rotsim study` measures what followed them
    return with_events(weights, turns_on(trend))


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    """Called once by rotsim; the argument's name is the hook's contract."""
    register($name)
'''

TEST = '''\
"""Tests for $name: rotsim's checks, then what the strategy promises."""

from __future__ import annotations

from $package import $name
from simulator.testing import assert_strategy_ok, input_for


def test_passes_rotsim_checks() -> None:
    # right shape, index and columns; no NaN; weights within bounds; no
    # look-ahead; deterministic; reads exactly the roles and series it declares
    assert_strategy_ok($name)


def test_passes_rotsim_checks_with_a_short_window() -> None:
    assert_strategy_ok($name, {"window": 20})


def test_holds_large_caps_exactly_when_above_the_average() -> None:
    data = input_for($name)  # what it sees in a run, from the synthetic market: no data files needed
    weights = $name.weights(data, {"window": 50})["large_cap"]
    price = data.prices["large_cap"].to_numpy()
    for i in range(49, len(price), 97):  # an explicit average, every 97th day
        assert weights.iloc[i] == float(price[i] > price[i - 49 : i + 1].mean())
    assert (weights.iloc[:49] == 0).all()  # before a full window: cash
'''

CONFIG = """\
# rotsim run $name.yaml   (the synthetic market: offline, no data files)
name: $name
data:
  source: sample
  start: 2000-01-03
universe:
  large_cap: SPY
benchmark: SPY
strategies:
  - name: $name
    params:
      window: 200
report:
  tearsheets: true
"""

README = """\
# $dist

A rotsim strategy plugin: **$name**.

## Install

In the environment where rotsim is installed:

```bash
pip install -e .            # registers the rotsim.strategies entry point
rotsim plugins              # lists $name, its version and its strategies
rotsim strategies $name     # its parameters and help
```

## Run

```bash
rotsim run $name.yaml       # on rotsim's synthetic market; see rotsim's README for real data
```

## Test

```bash
pip install -e ".[test]"
pytest
```

`tests/test_$name.py` runs `simulator.testing.assert_strategy_ok`: weights of
the right shape, no NaN, within bounds, no look-ahead, deterministic, and
reading exactly the declared roles and series.

## Make it yours

Edit `src/$package/__init__.py`: the weights function, its parameters and the
roles and series it declares. rotsim's `docs/writing-strategies.md` is the guide.
"""


def package_names(name: str) -> tuple[str, str]:
    """(distribution, import package) for strategy ``name``: ``rotsim-my-idea``, ``rotsim_my_idea``."""
    return f"rotsim-{name.replace('_', '-')}", f"rotsim_{name}"


def check_name(name: str, installed: dict[str, str]) -> None:
    """Raise ``UserError`` unless ``name`` can be a new strategy's name.

    ``installed``: strategy name -> plugin, of the strategies installed now.
    """
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise UserError(
            f"'{name}' cannot be a strategy name: use a lowercase Python identifier "
            "(letters, digits and underscores, starting with a letter, not a keyword), e.g. sector_momentum"
        )
    if name in installed:
        raise UserError(
            f"a strategy named '{name}' is already installed (plugin {installed[name]}); choose another name"
        )


def write_package(name: str, parent: Path) -> Path:
    """Write the plugin package for strategy ``name`` into ``parent``; return its folder.

    Requires: ``name`` passed ``check_name``. Raises ``UserError`` if the
    folder exists. Sets: the whole folder appears at once (written next to
    it, then renamed), so a failure leaves nothing behind.
    """
    dist, package = package_names(name)
    folder = parent / dist
    if folder.exists():
        raise UserError(f"{folder} already exists; remove it or choose another --dir")
    values = {"name": name, "dist": dist, "package": package, "rotsim_version": _rotsim_version()}
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"{name}.yaml": CONFIG,
        f"src/{package}/__init__.py": MODULE,
        f"tests/test_{name}.py": TEST,
    }
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dist}-", dir=parent))
    try:
        for rel, template in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(Template(template).substitute(values), encoding="utf-8")
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _rotsim_version() -> str:
    try:
        return version("rotsim")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.1"
