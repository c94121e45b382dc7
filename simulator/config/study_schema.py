"""The ``study:`` section of a config: what ``rotsim study`` measures, and the claim it checks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .schema import MAX_TEXT, Day, Name, _Model

Horizon = Annotated[int, Field(ge=1, le=5_040)]  # trading days, up to twenty years


class BootstrapConfig(_Model):
    reps: int = Field(1000, ge=0, le=100_000, description="resamples of the stationary block bootstrap (0: none)")
    seed: int = Field(7, ge=0, le=2**63 - 1, description="its seed: a study is repeatable")
    level: float = Field(0.95, gt=0, lt=1, description="the confidence level of ci_low..ci_high")


class PeriodsConfig(_Model):
    by: Literal["year", "month"] = Field("year", description="calendar years or months")
    label: Literal["election_cycle", "signal"] = Field(
        "election_cycle",
        description=(
            "how periods are grouped: 'election_cycle' (1 first year of a term ... 4 election year), or "
            "'signal': on/off by the signal of strategy `strategy` at the close before the period"
        ),
    )
    strategy: Name | None = Field(None, description="label of the strategy whose signal labels the periods")

    @model_validator(mode="after")
    def _strategy_for_signal(self) -> PeriodsConfig:
        if self.label == "signal" and self.strategy is None:
            raise ValueError("label 'signal' needs `strategy`: the label of the strategy whose signal groups periods")
        return self


class SensitivityConfig(_Model):
    param: Name = Field(description="the event strategy's parameter to vary, e.g. threshold")
    values: list[float] = Field(min_length=1, max_length=50, description="the values to try, e.g. around the claim's")


class ClaimConfig(_Model):
    source: str = Field(min_length=1, max_length=MAX_TEXT, description="who published it, where")
    published: Day = Field(description="publication date: events after it are out of sample")
    events: int | None = Field(None, ge=0, le=1_000_000, description="the published number of events")
    mean: dict[Name, dict[Horizon, float]] = Field(
        default_factory=dict,
        description="published mean forward return by asset and horizon, as fractions: {^RUT: {252: 0.277}}",
    )
    group_mean: dict[Name, dict[Name, float]] = Field(
        default_factory=dict,
        description=(
            "period studies: published mean by asset and group ('all': every period): {XLF: {4 election year: 0.117}}"
        ),
    )
    tolerance: float = Field(
        0.02, ge=0, le=1, description="a measured mean within this much of the published one reproduces it"
    )
    count_tolerance: float = Field(
        0.1, ge=0, le=1, description="a measured count within this share of the published one reproduces it"
    )
    note: str = Field("", max_length=MAX_TEXT, description="what the config measures differently from the source")


class StudyConfig(_Model):
    events: list[Name] = Field(
        default_factory=list, description="labels of the strategies whose events are studied (default: all)"
    )
    assets: list[Name] = Field(
        default_factory=list, max_length=50, description="roles of the universe or tickers whose returns follow"
    )
    horizons: list[Horizon] = Field(default_factory=list, max_length=20, description="trading days after an event")
    entry: Literal["close", "next_close"] = Field(
        "close", description="forward returns from the event day's close or the next trading day's"
    )
    events_until: Day | None = Field(None, description="count events through this day (forward data run on)")
    independent: bool = Field(
        False, description="statistics over events outside an earlier event's window only (both counts shown)"
    )
    versus_benchmark: bool = Field(True, description="also measure each asset's excess over the benchmark")
    bootstrap: BootstrapConfig = BootstrapConfig()
    periods: PeriodsConfig | None = Field(None, description="a period study (calendar groups) of the assets")
    sensitivity: SensitivityConfig | None = Field(None, description="event counts and means over a parameter grid")
    claim: ClaimConfig | None = Field(
        None, description="the published claim the study checks (against the first event set)"
    )

    @model_validator(mode="after")
    def _something_to_measure(self) -> StudyConfig:
        if not self.assets:
            raise ValueError("name at least one asset (a role of the universe or a ticker) in study.assets")
        if not self.horizons and self.periods is None:
            raise ValueError("give study.horizons (an event study) or study.periods (a period study), or both")
        return self
