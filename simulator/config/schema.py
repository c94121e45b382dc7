"""The shape of a run config, validated by pydantic. Every key is documented here."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


def slug(label: str) -> str:
    """A file-name-safe form of a label: 'Small caps (3.5%)' -> 'small-caps-3-5'."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()
    return s or "strategy"


class _Model(BaseModel):
    # extra="forbid": a misspelt key must fail loudly, not be ignored
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    sources: dict[str, Route] = Field(
        default_factory=dict,
        description=(
            "ticker or series id -> where it comes from, overriding data.source for it: auto, csv (the folder), "
            "yahoo, fred or french, e.g. {\"^RUT\": yahoo, DGS2: fred, MYFUND: csv}"
        ),
    )
    dir: str | None = Field(
        None,
        description="CSV folder (relative to the config file); --data-dir or ROTSIM_DATA_DIR override it",
    )
    cache_dir: str | None = Field(
        None,
        description=(
            "download cache folder (relative to the config file); --cache-dir or ROTSIM_CACHE_DIR override it "
            "(default: the user cache directory, e.g. ~/.cache/rotsim)"
        ),
    )
    max_age_days: float | None = Field(
        None,
        gt=0,
        description="update cached downloads older than this many days (default: never; --refresh updates now)",
    )
    seed: int = Field(7, description="seed of the synthetic market (source: sample)")
    start: date | None = Field(None, description="first simulated day (default: earliest the data allow)")
    end: date | None = Field(None, description="last simulated day (default: latest the data allow)")
    publication_lag_days: dict[str, int] = Field(
        default_factory=dict,
        description="override a macro series' publication lag, in days, by series name",
    )

    @model_validator(mode="after")
    def _ordered(self) -> DataConfig:
        if self.start and self.end and self.start >= self.end:
            raise ValueError(f"start ({self.start}) must be before end ({self.end})")
        return self

    @model_validator(mode="after")
    def _routes_fit(self) -> DataConfig:
        if self.source == "sample" and self.sources:
            raise ValueError("data.sources needs real data: the sample market is all synthetic (use source: auto or csv)")
        for key, route in self.sources.items():
            french = key.startswith("FF:")
            if route == "french" and not french:
                raise ValueError(
                    f"'{key}' cannot come from french: Ken French ids are FF:<column> or FF:<file>:<column>"
                )
            if french and route in ("yahoo", "fred"):
                raise ValueError(f"'{key}' is a Ken French id: it comes from french (or csv/auto), not {route}")
        return self

    @field_validator("publication_lag_days")
    @classmethod
    def _non_negative(cls, v: dict[str, int]) -> dict[str, int]:
        for k, lag in v.items():
            if lag < 0:
                raise ValueError(f"publication lag of '{k}' must be >= 0 days, got {lag}")
        return v


RebalancePolicy = Literal["on_change", "monthly", "quarterly", "drift"]


class EngineConfig(_Model):
    initial_cash: float = Field(100_000.0, gt=0, description="starting cash")
    fees_bps: float = Field(0.0, ge=0, le=1000, description="fees per trade, basis points of value traded")
    slippage_bps: float = Field(0.0, ge=0, le=1000, description="slippage per trade, basis points of price")
    lag: int = Field(
        1, ge=1, le=63, description="bars between a decision at a close and its trade (1: next close)"
    )
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


class StrategyConfig(_Model):
    name: str = Field(description="a registered strategy (see `rotsim strategies`)")
    label: str | None = Field(None, description="how reports call it (default: the name); unique in a run")
    params: dict[str, Any] = Field(default_factory=dict, description="the strategy's parameters")
    rebalance: RebalancePolicy | None = Field(None, description="this strategy's rebalance policy (default: engine.rebalance)")

    @property
    def title(self) -> str:
        return self.label or self.name


class ReportConfig(_Model):
    out: str = Field("results", description="results folder; --out overrides it")
    tearsheets: bool = Field(True, description="write a quantstats tearsheet per strategy")
    risk_free: Literal["cash", "zero"] = Field(
        "cash",
        description=(
            "the rate Sharpe and Sortino are taken over: 'cash', the run's cash rate (series risk_free: DTB3, "
            "Ken French RF before it) when the data has it, else zero; 'zero': rf = 0"
        ),
    )


class RunConfig(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="run name, used in paths")
    description: str = ""
    data: DataConfig = DataConfig()
    universe: dict[str, str] = Field(min_length=1, description="role -> ticker")
    benchmark: str = Field("SPY", description="benchmark ticker, run as 100% of the portfolio")
    benchmark_label: str | None = Field(None, description="how reports call the benchmark")
    engine: EngineConfig = EngineConfig()
    strategies: list[StrategyConfig] = Field(min_length=1)
    plugins: list[str] = Field(
        default_factory=list, description="plugins to load: .py files (relative to the config) or module names"
    )
    report: ReportConfig = ReportConfig()

    @property
    def benchmark_title(self) -> str:
        return self.benchmark_label or (f"S&P 500 ({self.benchmark})" if self.benchmark in ("SPY", "^GSPC") else self.benchmark)

    @property
    def tickers(self) -> list[str]:
        return list(dict.fromkeys([*self.universe.values(), self.benchmark]))
