"""Check a config's sweep against its strategy's parameters, before anything runs: the variants, or every error.

A strategy entry's ``sweep:`` maps a parameter to a list of values or a
range ``{from, to, step}``. Each value is held to the parameter's declared
type and range (as ``params:`` is), an unknown parameter, an empty list or
range, a range of a parameter that is not a number, and a grid of more
variants than ``sweep.max_variants`` are refused at their config line. A
range is counted before it is made: a typo cannot make 10^9 values.
"""

from __future__ import annotations

import difflib
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union, final, get_args, get_origin

from pydantic import ValidationError

from ..config import LoadedConfig
from ..config.sweep_schema import SweepConfig
from ..errors import ConfigError
from ..sweep.grid import product_count, range_count, range_values, variants

if TYPE_CHECKING:  # annotations only: `rotsim run` asks sweep_entry before it imports pandas
    from ..contract import Strategy
    from ..plugins import Registry

__all__ = ["SweepPlan", "plan_sweep", "sweep_entry"]

_RANGE_KEYS = ("from", "to", "step")


@final
@dataclass(frozen=True)
class SweepPlan:
    """The variants of one strategy entry's sweep.

    - ``entry``: the position of the strategy in the config; ``label``: its title.
    - ``names``: the swept parameters, as written; ``ids`` and ``params``: each
      variant's id and full params (the strategy's defaults, the entry's
      ``params``, the swept values).
    - ``default``: the id of the variant with the entry's own params (added
      after the grid when the grid does not hold it).
    - ``hindsight``: ids of variants whose params use the future (HINDSIGHT).
    """

    entry: int
    label: str
    strategy: Strategy
    names: tuple[str, ...]
    ids: tuple[str, ...]
    params: tuple[dict[str, Any], ...]
    default: str
    hindsight: frozenset[str]
    settings: SweepConfig


def sweep_entry(loaded: LoadedConfig) -> int | None:
    """The position of the strategy entry with a ``sweep:``, or None (a plain run)."""
    return next((i for i, s in enumerate(loaded.config.strategies) if s.sweep is not None), None)


def plan_sweep(loaded: LoadedConfig, registry: Registry) -> SweepPlan | None:
    """The sweep's variants, None when the config has no sweep; ``ConfigError`` listing every error otherwise."""
    cfg = loaded.config
    entries = [i for i, s in enumerate(cfg.strategies) if s.sweep is not None]
    if not entries:
        return None
    errors = [
        f"{loaded.where('strategies', i, 'sweep')}: only one strategy may sweep its parameters "
        f"(strategy {entries[0] + 1} does); run the other sweep in its own config"
        for i in entries[1:]
    ]
    i = entries[0]
    sc = cfg.strategies[i]
    strat = registry.strategies.get(sc.name)
    if strat is None:  # make_plan says so, with the strategies installed; its sweep cannot be checked
        if errors:
            raise ConfigError("\n".join(errors))
        return None
    try:
        base = strat.resolve_params(sc.params)
    except ValidationError:
        base = None  # make_plan reports the params' errors; the sweep's are checked against the defaults
    swept: dict[str, list[Any]] = {}
    counts: dict[str, int] = {}
    fields = strat.params_model.model_fields
    assert sc.sweep is not None
    if not sc.sweep:
        errors.append(f"{loaded.where('strategies', i, 'sweep')}: sweep names no parameter; name at least one")
    for name, spec in sc.sweep.items():
        where = loaded.where("strategies", i, "sweep", name)
        if name not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            errors.append(
                f"{where}: strategy '{sc.name}' has no parameter '{name}'{hint} (its parameters: {', '.join(fields) or 'none'})"
            )
            continue
        got = _count(loaded, i, name, spec, fields[name].annotation, errors)
        if got is not None:
            counts[name] = got
    if errors:
        raise ConfigError("\n".join(errors))
    total = product_count(list(counts.values()))
    limit = cfg.sweep.max_variants
    if total > limit:
        sizes = " x ".join(f"{counts[n]:,} {n}" for n in counts)
        raise ConfigError(
            f"the sweep makes {total:,} variants ({sizes}), more than sweep.max_variants ({limit:,}); "
            f"sweep fewer values, or raise the limit if you mean it (sweep: {{max_variants: {total}}})",
            where=loaded.where("strategies", i, "sweep"),
        )
    for name, spec in sc.sweep.items():
        values = _values(spec)
        swept[name] = [_checked(loaded, strat, sc.params, i, name, k, v, spec, errors) for k, v in _probe(spec, values)]
        if isinstance(spec, dict):
            swept[name] = values  # a range's values are checked at its ends and its second value: all lie between
    if errors:
        raise ConfigError("\n".join(errors))
    if base is None:
        raise ConfigError("the strategy's params are not valid", where=loaded.where("strategies", i, "params"))
    return _variants(loaded, strat, i, base, swept)


def _variants(
    loaded: LoadedConfig, strat: Strategy, i: int, base: dict[str, Any], swept: dict[str, list[Any]]
) -> SweepPlan:
    cfg = loaded.config
    params = list(variants(base, swept))
    default = next((k for k, p in enumerate(params) if p == base), None)
    if default is None:
        params.append(dict(base))
        default = len(params) - 1
    width = max(4, len(str(len(params))))
    ids = tuple(f"v{k + 1:0{width}d}" for k in range(len(params)))
    errors = _data_changes(loaded, strat, i, base, params, ids)
    if errors:
        raise ConfigError("\n".join(errors))
    hindsight = frozenset(ids[k] for k, p in enumerate(params) if strat.hindsight_note(p))
    return SweepPlan(
        i,
        cfg.strategies[i].title,
        strat,
        tuple(swept),
        ids,
        tuple(params),
        ids[default],
        hindsight,
        cfg.sweep,
    )


def _data_changes(
    loaded: LoadedConfig,
    strat: Strategy,
    i: int,
    base: dict[str, Any],
    params: list[dict[str, Any]],
    ids: tuple[str, ...],
) -> list[str]:
    """Variants that would read other tickers or series than the default: every variant runs on one data set."""
    if not callable(strat.roles) and strat.series_used is None:
        return []  # what it reads does not depend on its params
    universe = loaded.config.universe
    want = (strat.role_tickers(base, universe), strat.required_series(base))
    for vid, p in zip(ids, params):
        if (strat.role_tickers(p, universe), strat.required_series(p)) != want:
            shown = ", ".join(f"{k}={v!r}" for k, v in p.items() if base.get(k) != v)
            return [
                f"{loaded.where('strategies', i, 'sweep')}: variant {vid} ({shown}) makes strategy '{strat.name}' read "
                "other tickers or series than its default params: a sweep runs every variant on the same data; "
                "sweep such a parameter in separate configs"
            ]
    return []


def _is_number(annotation: Any, *kinds: type) -> bool:
    """Whether a parameter's type is a number (int or float, possibly optional): what a range can sweep.

    ``kinds``: the number types that count (default: both); ``_is_number(a, float)``: it takes fractions.
    """
    kinds = kinds or (int, float)
    if annotation in kinds:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return bool(args) and any(_is_number(a, *kinds) for a in args) and all(_is_number(a) for a in args)
    return False


def _count(loaded: LoadedConfig, i: int, name: str, spec: Any, annotation: Any, errors: list[str]) -> int | None:
    """How many values ``spec`` gives, or None with its error added (``annotation``: the parameter's type)."""
    where = loaded.where("strategies", i, "sweep", name)
    if isinstance(spec, list):
        if not spec:
            errors.append(f"{where}: sweep of '{name}' lists no values; give at least one")
            return None
        return len(spec)
    if not isinstance(spec, dict):
        errors.append(
            f"{where}: sweep of '{name}' must be a list of values or a range {{from, to, step}} (got {_short(spec)})"
        )
        return None
    if (keys := set(map(str, spec))) != set(_RANGE_KEYS):
        missing, extra = set(_RANGE_KEYS) - keys, keys - set(_RANGE_KEYS)
        said = "; ".join(
            s
            for s in (
                f"missing {', '.join(sorted(missing))}" if missing else "",
                f"unknown {', '.join(sorted(extra))}" if extra else "",
            )
            if s
        )
        errors.append(f"{where}: a range of '{name}' is {{from, to, step}} ({said})")
        return None
    if not _is_number(annotation):
        errors.append(f"{where}: '{name}' is not a number parameter: a range cannot sweep it; list its values instead")
        return None
    if not all(isinstance(spec[k], (int, float)) and not isinstance(spec[k], bool) for k in _RANGE_KEYS):
        got = ", ".join(f"{k}: {_short(spec[k])}" for k in _RANGE_KEYS)
        errors.append(f"{where}: a range's from, to and step must be numbers (got {got})")
        return None
    if not _is_number(annotation, float) and not all(isinstance(spec[k], int) for k in _RANGE_KEYS):
        got = ", ".join(f"{k}: {spec[k]!r}" for k in _RANGE_KEYS)
        errors.append(f"{where}: '{name}' takes whole numbers: its range needs whole from, to and step (got {got})")
        return None
    n = range_count(spec["from"], spec["to"], spec["step"])
    if n == 0:
        why = "step must be above 0" if spec["step"] <= 0 else "'to' is below 'from'"
        errors.append(
            f"{where}: the range of '{name}' is empty: {why} (from {spec['from']!r} to {spec['to']!r} step {spec['step']!r})"
        )
        return None
    return n


def _values(spec: Any) -> list[Any]:
    if isinstance(spec, dict):
        return range_values(spec["from"], spec["to"], spec["step"])
    return list(spec)


def _probe(spec: Any, values: list[Any]) -> list[tuple[int, Any]]:
    """The values to check: a list's every value; a range's first, second and last (the rest lie between)."""
    if isinstance(spec, dict):
        picks = sorted({0, min(1, len(values) - 1), len(values) - 1})
        return [(k, values[k]) for k in picks]
    return list(enumerate(values))


def _checked(
    loaded: LoadedConfig,
    strat: Strategy,
    given: dict[str, Any],
    i: int,
    name: str,
    k: int,
    value: Any,
    spec: Any,
    errors: list[str],
) -> Any:
    """``value`` as the strategy's params model makes it (an int stays an int), or its error added at its line."""
    try:
        return strat.params_model.model_validate({**given, name: value}).model_dump()[name]
    except ValidationError as exc:
        ours = [e for e in exc.errors() if tuple(e["loc"])[:1] == (name,)]
        if not ours:
            return value  # the entry's own params are in error: make_plan reports them
        at = ("strategies", i, "sweep", name) + ((k,) if isinstance(spec, list) else ())
        msg = ours[0]["msg"].removeprefix("Value error, ")
        what = f"value {_short(value)}" if isinstance(spec, list) else f"the range's value {_short(value)}"
        errors.append(f"{loaded.where(*at)}: sweep of '{name}': {what} is not valid: {msg}")
        return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
