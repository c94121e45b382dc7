"""The strategy spec: what a plugin registers and what the engine runs.

A strategy is one vectorised function, ``data in -> target weights out``,
plus declarations: the roles it reads, the macro series it needs and its
typed parameters (taken from the function signature, so the defaults and the
types live in one place).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, final

import pandas as pd
from pydantic import BaseModel

from ._errors import StrategyError
from ._params import ParamInfo, param_infos, params_model
from ._series import SeriesSpec
from .checks import check_weights

WeightsFunc = Callable[..., pd.DataFrame]


@final
@dataclass(frozen=True)
class StrategyInput:
    """What a strategy sees.

    - ``prices``: adjusted closes, trading days x roles (the roles the
      strategy declared, named by role, not by ticker).
    - ``macro``: trading days x series names (the series it declared), each
      value as it was **known** at the close of that day (publication lags
      already applied); NaN before a series was first published.
    - ``observed``: same days x the same series names, the observation date
      of the value in ``macro`` (the period it describes, dated as its
      source dates it: 1961-03-01 for March's CPI, a quarter's first day for
      GDP); NaT before the first publication. A new release is a day this
      date moves, even when the value repeats the one before. ``None`` when
      whoever built the input did not say (hand-built inputs); a strategy
      that needs it raises then (``observed_or_raise``).
    """

    prices: pd.DataFrame
    macro: pd.DataFrame
    observed: pd.DataFrame | None = None

    @property
    def index(self) -> pd.DatetimeIndex:
        return self.prices.index  # type: ignore[return-value]

    @property
    def returns(self) -> pd.DataFrame:
        """Simple daily returns by role (first row NaN)."""
        return self.prices.pct_change(fill_method=None)

    def observed_or_raise(self, who: str) -> pd.DataFrame:
        """``observed``, or a ValueError naming ``who`` needs it when the input was built without it."""
        if self.observed is None:
            raise ValueError(
                f"{who} needs data.observed (the observation date of each known macro value), "
                "and this StrategyInput was built without it; build it with observed=... "
                "(MarketData.input_for and simulator.testing's inputs set it)"
            )
        return self.observed

    def truncate(self, end: pd.Timestamp | str) -> StrategyInput:
        """The same input cut after ``end``: what was known on that day."""
        observed = None if self.observed is None else _through(self.observed, end)
        return StrategyInput(_through(self.prices, end), _through(self.macro, end), observed)


def _through(frame: pd.DataFrame, end: pd.Timestamp | str) -> pd.DataFrame:
    """``frame.loc[:end]``; by position where that is the same rows, half the cost of a label slice.

    The same rows: a day (a string may name a whole month) on a sorted, time-zone-free DatetimeIndex.
    """
    index = frame.index
    if (
        isinstance(end, pd.Timestamp)
        and end.tz is None
        and isinstance(index, pd.DatetimeIndex)
        and index.tz is None
        and index.is_monotonic_increasing
    ):
        return frame.iloc[: index.searchsorted(end, side="right")]
    return frame.loc[:end]


@final
@dataclass(frozen=True)
class Strategy:
    """A registered strategy.

    Requires: ``func(data: StrategyInput, **params) -> DataFrame`` of target
    weights, index equal to ``data.index``, columns a subset of the strategy's
    roles, values >= 0 with each row summing to at most 1 (the rest is cash).
    The weight on day t may use only data up to and including t; the engine
    trades it ``lag`` bars later. Optionally ``weights.attrs["signal"]``: a
    boolean Series, True on the days the strategy's signal is on (reports
    shade those periods); and ``weights.attrs["events"]``: a boolean Series,
    True on its trigger days (the day the index gained 3.5%, the first cut),
    apart from the holding spells they start (``rotsim study`` measures what
    followed each; ``signals.with_events`` sets it). Both are held to the
    same no-look-ahead rule as the weights and never change them.
    Sets: nothing; the engine owns execution.

    Data it reads: ``roles`` (the universe must name them), ``default_tickers``
    (roles with the ticker used when the universe does not name them),
    ``optional_roles`` (role -> the role that stands in when it is absent) and
    ``series`` (macro series names: rotsim's catalogue plus ``custom_series``,
    the ones the strategy defines itself).
    """

    name: str
    func: WeightsFunc
    description: str
    roles: tuple[str, ...] | Callable[[Mapping[str, Any]], Iterable[str]] = ()
    optional_roles: Mapping[str, str] = field(default_factory=dict)
    series: tuple[str, ...] = ()
    plugin: str = ""
    doc: str = ""
    hindsight: Callable[[Mapping[str, Any]], str | None] | None = None
    default_tickers: Mapping[str, str] = field(default_factory=dict)
    custom_series: tuple[SeriesSpec, ...] = ()
    series_used: Callable[[Mapping[str, Any]], Iterable[str]] | None = None
    vintage: Callable[[Mapping[str, Any]], str | None] | None = None

    def required_series(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The declared series these params make the strategy read (all of them by default)."""
        if self.series_used is None:
            return self.series
        series_used = self.series_used
        used = self._plugin_call(lambda: set(series_used(params)))
        return tuple(s for s in self.series if s in used)

    def hindsight_note(self, params: Mapping[str, Any]) -> str | None:
        """Why these params make the strategy use what was only known later, or None.

        Reports put HINDSIGHT in the title and the manifest of such a run.
        """
        hindsight = self.hindsight
        return self._plugin_call(lambda: hindsight(params)) if hindsight else None

    def vintage_note(self, params: Mapping[str, Any]) -> str | None:
        """What these params read in today's revised figures instead of those known then, or None.

        Not hindsight: the series are dated by publication, but their values
        are the latest vintage (GDP, industrial production and seasonally
        adjusted CPI are revised after first release). Reports carry the note
        as a caveat (manifest, terminal summary, comparison page, tearsheet).
        """
        vintage = self.vintage
        return self._plugin_call(lambda: vintage(params)) if vintage else None

    @property
    def params_model(self) -> type[BaseModel]:
        return params_model(self.name, self.func)

    @property
    def params(self) -> tuple[ParamInfo, ...]:
        return param_infos(self.params_model)

    def resolve_params(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Validate ``given`` against the signature; raises pydantic's ValidationError."""
        return self.params_model.model_validate(dict(given)).model_dump()

    def required_roles(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """Roles the strategy always reads: its ``roles`` and those it has a default ticker for."""
        given = self.roles
        roles = self._plugin_call(lambda: tuple(given(params))) if callable(given) else given
        return tuple(dict.fromkeys([*roles, *self.default_tickers]))

    def input_roles(self, params: Mapping[str, Any], available: Iterable[str]) -> dict[str, str]:
        """Map each role the strategy reads to the role that serves it.

        An optional role absent from ``available`` falls back to another role
        (e.g. a signal index falls back to the ETF it tracks). A role with a
        default ticker counts as available.
        """
        available = set(available) | set(self.default_tickers)
        mapping = {r: r for r in self.required_roles(params)}
        for role, fallback in self.optional_roles.items():
            mapping[role] = role if role in available else fallback
        return mapping

    def role_tickers(self, params: Mapping[str, Any], universe: Mapping[str, str]) -> dict[str, str | None]:
        """The ticker serving each role the strategy reads, or None where nothing does.

        Requires: ``params`` resolved. A role is served by the universe's
        ticker, else by the strategy's default ticker, else (optional roles)
        by whatever serves its fallback role.
        """
        return {
            role: universe.get(by, self.default_tickers.get(by))
            for role, by in self.input_roles(params, universe).items()
        }

    def weights(self, data: StrategyInput, params: Mapping[str, Any]) -> pd.DataFrame:
        """Run the strategy and check its output against the contract above."""
        out = self._plugin_call(lambda: self.func(data, **params))
        return check_weights(out, data.index, self.name, allowed=set(data.prices.columns.tolist()))

    def _plugin_call(self, call: Callable[[], Any]) -> Any:
        """``call()``: the plugin's code; whatever it raises is this strategy's failure, named, with the reason.

        ``SystemExit`` too: a plugin's ``sys.exit()`` must not end rotsim with
        exit code 0 and nothing said. Only an interrupt (Ctrl-C) passes as itself.
        """
        try:
            return call()
        except (StrategyError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001 - see above
            who = f"strategy '{self.name}' (plugin {self.plugin or '?'})"
            raise StrategyError(f"{who} failed: {_failure(exc)}") from exc

    def with_plugin(self, plugin: str) -> Strategy:
        return replace(self, plugin=plugin)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"it called sys.exit({'' if exc.code is None else repr(exc.code)})"
    return f"{type(exc).__name__}: {exc}"


def strategy(
    *,
    roles: tuple[str, ...] | Callable[[Mapping[str, Any]], Iterable[str]] = (),
    series: Iterable[str | SeriesSpec] = (),
    optional_roles: Mapping[str, str] | None = None,
    default_tickers: Mapping[str, str] | None = None,
    name: str | None = None,
    description: str | None = None,
    hindsight: Callable[[Mapping[str, Any]], str | None] | None = None,
    series_used: Callable[[Mapping[str, Any]], Iterable[str]] | None = None,
    vintage: Callable[[Mapping[str, Any]], str | None] | None = None,
) -> Callable[[WeightsFunc], Strategy]:
    """Decorate a weights function to make it a ``Strategy``.

    - ``roles``: roles the universe must name (or a function of the params
      returning them).
    - ``default_tickers``: more roles the strategy reads, each with the
      ticker to load when the universe does not name the role.
    - ``optional_roles``: role -> the role that stands in when it is absent.
    - ``series``: macro series, by name from rotsim's catalogue
      (``simulator.data.market.series.SERIES``) or as a ``SeriesSpec`` the strategy
      defines (source ids, frequency, publication lag).
    - ``series_used``: for a strategy that reads some series only under some
      params, a function of the params naming the ones it reads (the checks
      in ``simulator.testing`` then hold it to exactly those).

    The name defaults to the function's name and the description to the
    first paragraph of its docstring. Parameters are the keyword arguments
    after ``data``, typed, with defaults, documented with ``Param``.
    ``hindsight(params)`` returns a reason when those params use the future
    on purpose (a study of what the claim needs), else None.
    ``vintage(params)`` returns a note when those params read series whose
    values at hand are today's revised figures, not the first releases
    traders saw (a data-vintage caveat, milder than HINDSIGHT), else None.
    """
    declared = tuple(series)
    custom = tuple(s for s in declared if isinstance(s, SeriesSpec))

    def wrap(func: WeightsFunc) -> Strategy:
        doc = inspect.getdoc(func) or ""
        made = Strategy(
            name=name or func.__name__,
            func=func,
            description=description or doc.split("\n\n")[0].replace("\n", " "),
            roles=tuple(roles) if not callable(roles) else roles,
            optional_roles=dict(optional_roles or {}),
            series=tuple(dict.fromkeys(s.name if isinstance(s, SeriesSpec) else s for s in declared)),
            default_tickers=dict(default_tickers or {}),
            custom_series=custom,
            doc=doc,
            hindsight=hindsight,
            series_used=series_used,
            vintage=vintage,
        )
        made.params_model  # noqa: B018 - fail at import time on a bad signature
        return made

    return wrap


__all__ = ["Strategy", "StrategyInput", "WeightsFunc", "strategy"]
