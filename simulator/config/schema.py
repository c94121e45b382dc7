"""The shape of a run config, validated by pydantic. Every key is documented here."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

# Bounds a hand-written config never comes near, so that no number or text in
# it can overflow what reads it (a date pandas cannot hold, a file name the OS
# refuses, a description copied into every report). The README states them.
EARLIEST, LATEST = date(1800, 1, 1), date(2199, 12, 31)
MAX_TEXT = 2_000  # description
MAX_NAME = 100  # names, labels, roles, tickers, series ids: they become file names and table cells
MAX_PATH = 4_096  # folders and plugin files


def _iso_date(value: object) -> object:
    """A date written YYYY-MM-DD (the loader leaves dates as text), and nothing else: not a number."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            value = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a date: {exc}") from None
    if type(value) is not date:
        raise ValueError("expected a date written YYYY-MM-DD")
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"date must be between {EARLIEST} and {LATEST}")
    return value


Day = Annotated[date, BeforeValidator(_iso_date)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
FilePath = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PATH)]


class _Model(BaseModel):
    # extra="forbid": a misspelt key must fail loudly, not be ignored.
    # strict: YAML's `yes` is not the lag 1, "5" is not the number 5 (say it as 5)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


Route = Literal["auto", "csv", "yahoo", "fred", "french"]


class DataConfig(_Model):
    source: Literal["auto", "csv", "sample"] = Field(
        "auto",
        description=(
            "'auto': each ticker and series from the CSV folder if given and it has the file, else the "
            "download cache, else downloaded (Yahoo prices, FRED series, Ken French FF: ids); "
            "'csv': a folder of CSV files only; 'sample': the built-in synthetic market"
        ),
    )
    sources: dict[Name, Route] = Field(
        default_factory=dict,
        description=(
            "ticker or series id -> where it comes from, overriding data.source for it: auto, csv (the folder), "
            'yahoo, fred or french, e.g. {"^RUT": yahoo, DGS2: fred, MYFUND: csv}'
        ),
    )
    dir: FilePath | None = Field(
        None,
        description="CSV folder (relative to the config file); --data-dir or ROTSIM_DATA_DIR override it",
    )
    cache_dir: FilePath | None = Field(
        None,
        description=(
            "download cache folder (relative to the config file); --cache-dir or ROTSIM_CACHE_DIR override it "
            "(default: the user cache directory, e.g. ~/.cache/rotsim)"
        ),
    )
    max_age_days: float | None = Field(
        None,
        gt=0,
        le=36_500,
        description="update cached downloads older than this many days (default: never; --refresh updates now)",
    )
    seed: int = Field(7, ge=0, le=2**63 - 1, description="seed of the synthetic market (source: sample)")
    start: Day | None = Field(None, description="first simulated day (default: earliest the data allow)")
    end: Day | None = Field(None, description="last simulated day (default: latest the data allow)")
    publication_lag_days: dict[Name, Annotated[int, Field(ge=0, le=3_650)]] = Field(
        default_factory=dict,
        description="override a macro series' publication lag, in days (0 to 3650), by series name",
    )

    @model_validator(mode="after")
    def _ordered(self) -> DataConfig:
        if self.start and self.end and self.start >= self.end:
            raise ValueError(f"start ({self.start}) must be before end ({self.end})")
        return self

    @model_validator(mode="after")
    def _routes_fit(self) -> DataConfig:
        if self.source == "sample" and self.sources:
            raise ValueError(
                "data.sources needs real data: the sample market is all synthetic (use source: auto or csv)"
            )
        for key, route in self.sources.items():
            french = key.startswith("FF:")
            if route == "french" and not french:
                raise ValueError(
                    f"'{key}' cannot come from french: Ken French ids are FF:<column> or FF:<file>:<column>"
                )
            if french and route in ("yahoo", "fred"):
                raise ValueError(f"'{key}' is a Ken French id: it comes from french (or csv/auto), not {route}")
        return self


RebalancePolicy = Literal["on_change", "monthly", "quarterly", "drift"]


class EngineConfig(_Model):
    initial_cash: float = Field(100_000.0, gt=0, le=1e12, description="starting cash")
    fees_bps: float = Field(0.0, ge=0, le=1000, description="fees per trade, basis points of value traded")
    slippage_bps: float = Field(0.0, ge=0, le=1000, description="slippage per trade, basis points of price")
    lag: int = Field(1, ge=1, le=63, description="bars between a decision at a close and its trade (1: next close)")
    rebalance: RebalancePolicy = Field(
        "on_change",
        description=(
            "when to trade: when targets change (on_change), plus the first day of each month or "
            "quarter, or plus whenever a weight drifts more than drift_threshold from its target"
        ),
    )
    drift_threshold: float = Field(0.05, gt=0, le=1, description="drift that triggers a rebalance (drift)")
    cash_earns: Literal["nothing", "risk_free"] = Field(
        "nothing", description="what uninvested cash earns: nothing, or the risk-free rate (series risk_free)"
    )
    lookahead_checks: int = Field(
        5,
        ge=0,
        le=50,
        description=(
            "days at which each strategy is re-run on its data cut after that day: a weight or signal up to "
            "the day that changes is look-ahead and the run is refused (unless its params declare hindsight); "
            "0: no check (the manifest says so)"
        ),
    )


class StrategyConfig(_Model):
    name: Name = Field(description="a registered strategy (see `rotsim strategies`)")
    label: Name | None = Field(None, description="how reports call it (default: the name); unique in a run")
    params: dict[str, Any] = Field(default_factory=dict, description="the strategy's parameters")
    rebalance: RebalancePolicy | None = Field(
        None, description="this strategy's rebalance policy (default: engine.rebalance)"
    )
    sweep: dict[str, Any] | None = Field(
        None,
        description=(
            "parameters to sweep: name -> a list of values or a range {from, to, step} (inclusive); every "
            "combination is run (`rotsim sweep`); `params` is the default variant"
        ),
    )

    @property
    def title(self) -> str:
        return self.label or self.name


class ReportConfig(_Model):
    out: FilePath = Field("results", description="results folder; --out overrides it")
    tearsheets: bool = Field(True, description="write a quantstats tearsheet per strategy")
    risk_free: Literal["cash", "zero"] = Field(
        "cash",
        description=(
            "the rate Sharpe and Sortino are taken over: 'cash', the run's cash rate (series risk_free: DTB3, "
            "Ken French RF before it) when the data has it, else zero; 'zero': rf = 0"
        ),
    )


class RunConfig(_Model):
    name: Name = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="run name, used in paths")
    description: str = Field("", max_length=MAX_TEXT, description="what the run is about (reports show it)")
    data: DataConfig = DataConfig()
    universe: dict[Name, Name] = Field(min_length=1, description="role -> ticker")
    benchmark: Name = Field("SPY", description="benchmark ticker, run as 100% of the portfolio")
    benchmark_label: Name | None = Field(None, description="how reports call the benchmark")
    engine: EngineConfig = EngineConfig()
    strategies: list[StrategyConfig] = Field(min_length=1)
    plugins: list[FilePath] = Field(
        default_factory=list, description="plugins to load: .py files (relative to the config) or module names"
    )
    report: ReportConfig = ReportConfig()
    study: StudyConfig | None = Field(None, description="what `rotsim study` measures (`rotsim run` ignores it)")
    sweep: SweepConfig = Field(
        default_factory=lambda: SweepConfig(),
        description="how a strategy's parameter sweep runs (see strategies[].sweep)",
    )

    @property
    def benchmark_title(self) -> str:
        return self.benchmark_label or (
            f"S&P 500 ({self.benchmark})" if self.benchmark in ("SPY", "^GSPC") else self.benchmark
        )

    @property
    def tickers(self) -> list[str]:
        return list(dict.fromkeys([*self.universe.values(), self.benchmark]))


from .study_schema import StudyConfig  # noqa: E402 - it builds on the models above
from .sweep_schema import SweepConfig  # noqa: E402 - it builds on the models above

RunConfig.model_rebuild()
