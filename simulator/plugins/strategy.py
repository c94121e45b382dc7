"""The strategy spec: what a plugin registers and what the engine runs.

A strategy is one vectorised function, ``data in -> target weights out``,
plus declarations: the roles it reads, the macro series it needs and its
typed parameters (taken from the function signature, so the defaults and the
types live in one place).
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal, Union, cast, final, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError, create_model
from pydantic.fields import FieldInfo

from ..config.describe import constraint_text, type_name
from ..data.market.series import SeriesSpec
from ..errors import StrategyError

# The range a number parameter has when its strategy declares no bound on
# that side, and the longest text parameter: a config cannot hand a strategy
# 1e20 trading days (an overflow deep inside pandas) or a megabyte of text.
# A strategy that needs more declares it: Param(..., le=10**9).
PARAM_LIMIT = 1_000_000
PARAM_TEXT = 1_000

WeightsFunc = Callable[..., pd.DataFrame]


def Param(help: str, **constraints: Any) -> Any:  # noqa: N802 - reads like a type in signatures
    """Describe a strategy parameter inside ``Annotated[type, Param(...)]``.

    ``constraints`` are pydantic's: ``ge``, ``gt``, ``le``, ``lt``, ...
    Configs are held to the type strictly (``true`` is not 1, ``"5"`` is not
    5; an int is a float) and a number without a declared bound on one side
    is bounded there by ``PARAM_LIMIT`` (text: ``PARAM_TEXT`` characters).
    """
    return Field(description=help, **constraints)


@final
@dataclass(frozen=True)
class StrategyInput:
    """What a strategy sees.

    - ``prices``: adjusted closes, trading days x roles (the roles the
      strategy declared, named by role, not by ticker).
    - ``macro``: trading days x series names (the series it declared), each
      value as it was **known** at the close of that day (publication lags
      already applied); NaN before a series was first published.
    """

    prices: pd.DataFrame
    macro: pd.DataFrame

    @property
    def index(self) -> pd.DatetimeIndex:
        return self.prices.index  # type: ignore[return-value]

    @property
    def returns(self) -> pd.DataFrame:
        """Simple daily returns by role (first row NaN)."""
        return self.prices.pct_change(fill_method=None)

    def truncate(self, end: pd.Timestamp | str) -> StrategyInput:
        """The same input cut after ``end``: what was known on that day."""
        return StrategyInput(self.prices.loc[:end], self.macro.loc[:end])


@final
@dataclass(frozen=True)
class ParamInfo:
    """One parameter as ``rotsim strategies`` shows it."""

    name: str
    type: str
    default: Any
    help: str
    constraints: str


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
    shade those periods).
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

    @property
    def params_model(self) -> type[BaseModel]:
        return _params_model(self.name, self.func)

    @property
    def params(self) -> tuple[ParamInfo, ...]:
        infos = []
        for name, f in self.params_model.model_fields.items():
            infos.append(
                ParamInfo(
                    name=name,
                    type=type_name(f.annotation),
                    default=None if f.is_required() else f.default,
                    help=f.description or "",
                    constraints=constraint_text(f.metadata),
                )
            )
        return tuple(infos)

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
        return check_weights(out, data.index, self.name, allowed=set(data.prices.columns))

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
        )
        made.params_model  # noqa: B018 - fail at import time on a bad signature
        return made

    return wrap


def check_weights(
    out: object, index: pd.Index, name: str, allowed: set[str] | None = None
) -> pd.DataFrame:
    """Return ``out`` as float weights or raise ``StrategyError`` saying what is wrong."""
    frame = cast(pd.DataFrame, out)  # the later clauses run only once shape_problem passes
    if problem := (
        shape_problem(out, index, allowed) or nan_problem(frame) or bounds_problem(frame) or signal_problem(frame, index)
    ):
        raise StrategyError(f"strategy '{name}' {problem}")
    weights = frame.astype(float)
    if (signal := frame.attrs.get("signal")) is not None:
        weights.attrs["signal"] = signal.fillna(False).astype(bool)
    return weights


# The weights contract, one clause each. Each returns what is wrong, phrased to
# follow "strategy 'x' ", or "" when the clause holds; `check_weights` (runs)
# and `simulator.testing` (authors' tests) share them.


def shape_problem(out: object, index: pd.Index, allowed: set[str] | None = None) -> str:
    """A DataFrame on ``index`` (same dates, same order), numeric columns among ``allowed``."""
    if not isinstance(out, pd.DataFrame):
        return f"returned {type(out).__name__}, expected a DataFrame"
    if not out.index.equals(index):
        return (
            f"returned weights on {len(out.index)} dates; "
            f"expected the {len(index)} dates of its input, in order{_index_difference(out.index, index)}"
        )
    if out.columns.has_duplicates:
        return f"returned two columns for {sorted(set(out.columns[out.columns.duplicated()]))}"
    if allowed is not None and (extra := set(map(str, out.columns)) - allowed):
        return f"returned weights for {sorted(extra)}, which are not among its roles {sorted(allowed)}"
    if text := [str(c) for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])]:
        return f"returned non-numeric weights for {text}"
    return ""


def _index_difference(got: pd.Index, want: pd.Index) -> str:
    """Where ``got`` first parts from ``want``, in words: equal counts alone do not say what is wrong."""
    n = min(len(got), len(want))
    # element by element: a number or a string among dates compares unequal rather than raising
    differ = next((i for i, (a, b) in enumerate(zip(got[:n], want[:n])) if not _same(a, b)), None)
    if differ is not None:
        return f" (row {differ + 1} is {_day(got[differ])} where the input has {_day(want[differ])})"
    if len(got) < len(want):
        return f" (they stop at {_day(want[n - 1])}; the input goes on to {_day(want[-1])})" if n else " (none)"
    return f" (they go on after the input's last date, {_day(want[-1])}, with {_day(got[n])})" if n else ""


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _day(value: object) -> str:
    plain = isinstance(value, pd.Timestamp) and value.tz is None and value == value.normalize()
    return str(value.date()) if plain else repr(value)  # a time of day or a time zone shown, being the difference


def nan_problem(out: pd.DataFrame) -> str:
    """No NaN and no infinity. Requires: ``shape_problem(out)`` is empty."""
    values = out.to_numpy(dtype=float)
    if (bad := ~np.isfinite(values)).any():
        row, col = np.argwhere(bad)[0]
        what = "NaN" if np.isnan(values[row, col]) else "infinite"
        return f"returned {what} weights (first on {out.index[row].date()}, {out.columns[col]}: {values[row, col]})"
    return ""


def bounds_problem(out: pd.DataFrame) -> str:
    """Every weight >= 0; every row sums to at most 1. Requires: ``shape_problem(out)`` is empty."""
    values = out.to_numpy(dtype=float)
    if (values < -1e-12).any():
        row, col = np.argwhere(values < -1e-12)[0]
        return f"returned a negative weight on {out.index[row].date()} ({out.columns[col]}: {values[row, col]})"
    sums = values.sum(axis=1)
    if (sums > 1 + 1e-9).any():
        at = int(np.argmax(sums > 1 + 1e-9))
        return f"weights sum to {sums[at]:.6f} > 1 on {out.index[at].date()}"
    return ""


def signal_problem(out: pd.DataFrame, index: pd.Index) -> str:
    """``attrs['signal']``, if set, is a Series on ``index``."""
    signal = out.attrs.get("signal")
    if signal is not None and (not isinstance(signal, pd.Series) or not signal.index.equals(index)):
        return "set weights.attrs['signal'] to something other than a Series on the weights' dates"
    return ""


@functools.cache
def _params_model(name: str, func: WeightsFunc) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    params = list(inspect.signature(func, eval_str=True).parameters.values())[1:]  # first is data
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"strategy '{name}': *args/**kwargs are not allowed; declare each parameter")
        annotation, info = p.annotation, None
        if get_origin(annotation) is Annotated:
            base, *meta = get_args(annotation)
            info = next((m for m in meta if isinstance(m, FieldInfo)), None)
            rest = [m for m in meta if not isinstance(m, FieldInfo)]  # validators stay attached
            annotation = Annotated[(base, *rest)] if rest else base
        if annotation is inspect.Parameter.empty:
            raise TypeError(f"strategy '{name}': parameter '{p.name}' needs a type annotation")
        default = ... if p.default is inspect.Parameter.empty else p.default
        annotation = _strict(annotation, list(info.metadata) if info else [])
        if info is None:
            fields[p.name] = (annotation, Field(default))
        else:
            fields[p.name] = (annotation, _with_default(info, default))
    # strict per value (_strict), not per model: a YAML list still fills a tuple
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"{name}_params", __config__=ConfigDict(extra="forbid", strict=False, allow_inf_nan=False), **fields
    )


def _with_default(info: FieldInfo, default: Any) -> FieldInfo:
    merged = FieldInfo.merge_field_infos(info, default=default)
    return merged


def _exact_choice(choices: tuple[Any, ...], value: Any) -> Any:
    """Refuse a value that matches a choice only by Python's loose equality (True == 1, 1.0 == 1)."""
    exact = any(type(value) is type(c) and value == c for c in choices)
    if not exact and any(value == c for c in choices):
        raise ValueError(f"Input should be one of {', '.join(map(repr, choices))}, not the {type(value).__name__} {value!r}")
    return value


def _strict(annotation: Any, declared: list[Any]) -> Any:
    """``annotation`` with its scalars strict and bounded (see ``PARAM_LIMIT``).

    ``declared``: the constraints the strategy put on this value; a declared
    bound replaces the default one on its side. Containers, unions and
    ``Annotated`` are rebuilt around their converted parts; other types
    (dates, the strategy's own classes) are left as declared.
    """
    has = {key for m in declared for key in ("ge", "gt", "le", "lt", "max_length") if getattr(m, key, None) is not None}
    if annotation is int or annotation is float:
        extra: list[Any] = [Strict()]
        if not has & {"ge", "gt"}:
            extra.append(Field(ge=-PARAM_LIMIT))
        if not has & {"le", "lt"}:
            extra.append(Field(le=PARAM_LIMIT))
        return Annotated[(annotation, *extra)]
    if annotation is bool:
        return Annotated[bool, Strict()]
    if get_origin(annotation) is Literal:  # pydantic has no strict literal: true would match 1
        return Annotated[annotation, BeforeValidator(functools.partial(_exact_choice, get_args(annotation)))]
    if annotation is str:
        return Annotated[str, Strict()] if "max_length" in has else Annotated[str, Strict(), Field(max_length=PARAM_TEXT)]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        base, *meta = args
        inner = declared + [x for m in meta for x in (m.metadata if isinstance(m, FieldInfo) else [m])]
        return Annotated[(_strict(base, inner), *meta)]
    if origin in (Union, types.UnionType):
        return Union[tuple(_strict(a, declared) for a in args)]  # noqa: UP007 - built from a tuple
    if origin is None or not args:
        return annotation
    try:
        return origin[tuple(a if a is Ellipsis else _strict(a, []) for a in args)]
    except TypeError:  # a generic that cannot be rebuilt this way: leave it lax rather than break it
        return annotation


__all__ = [
    "Param",
    "ParamInfo",
    "SeriesSpec",
    "Strategy",
    "StrategyInput",
    "ValidationError",
    "bounds_problem",
    "check_weights",
    "nan_problem",
    "shape_problem",
    "signal_problem",
    "strategy",
]
