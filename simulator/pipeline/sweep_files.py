"""Which variants of a sweep get their own results files, and writing them as a run of each variant alone would.

A sweep writes the full results (tearsheet, weights, trades) of its default
variant only; ``sweep: {files: [...]}`` or ``--files`` asks for more. A
request is a list of selectors:

- a variant id (``v0012``) or number (``12``);
- ``best``, ``default``, ``top:N`` (the N best by the sweep's metric);
- params: ``{threshold: 0.03, hold: 63}`` in the config, ``threshold=0.03&hold=63``
  on the command line: every variant with those values.

Each is checked against the sweep's variants before anything is computed;
``best`` and ``top:N`` are resolved once the sweep's table is in. A chosen
variant's files come from :func:`execute` on a config holding that strategy
alone with the variant's params (written beside them as ``config.yaml``, so
``rotsim run variants/<id>/config.yaml`` remakes them), into
``variants/<id>/`` of the sweep's results folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, final

import pandas as pd
import yaml

from ..config import LoadedConfig
from ..data.market.alignment import MarketData
from ..data.sources import DataAccess
from ..plugins import Registry
from .execute import Step, execute, load_market
from .plan import RunPlan, make_plan
from .sweep_plan import SweepPlan

__all__ = ["Selector", "check_files", "chosen_ids", "variant_config", "write_variant_files"]

VARIANTS = "variants"  # the folder of the variants' own results, in the sweep's results folder


@final
@dataclass(frozen=True)
class Selector:
    """One item of a files request: ``kind`` id, best, default, top or params; ``ids`` the variants it names now
    (for best and top, none until the table is in); ``count`` how many it will name."""

    kind: str
    ids: tuple[str, ...]
    count: int


def check_files(
    loaded: LoadedConfig, sweep: SweepPlan, cli: Sequence[str] | None = None
) -> tuple[list[Selector], list[str]]:
    """The request's selectors (``cli``: ``--files`` values, else the config's ``sweep.files``), and every error.

    An error names the config line of its item, or ``--files``.
    """
    limit = sweep.settings.max_files
    selectors: list[Selector] = []
    errors: list[str] = []
    if cli is not None:
        items: list[tuple[str, Any]] = []
        for value in cli:
            for text in value.split(","):
                items.append(("--files", _from_text(text.strip())))
    else:
        items = [(loaded.where("sweep", "files", k), item) for k, item in enumerate(loaded.config.sweep.files)]
    for where, item in items:
        try:
            selectors.append(_selector(item, sweep))
        except ValueError as exc:
            errors.append(f"{where}: {exc}")
    if not errors:
        most = sum(s.count for s in selectors)
        if most > limit:
            where = "--files" if cli is not None else loaded.where("sweep", "files")
            errors.append(
                f"{where}: asks for the files of up to {most:,} variants, more than sweep.max_files ({limit:,}); "
                f"ask for fewer, or raise the limit if you mean it (sweep: {{max_files: {most}}})"
            )
    return selectors, errors


def chosen_ids(selectors: Sequence[Selector], sweep: SweepPlan, table: pd.DataFrame) -> list[str]:
    """The variants the selectors name, in the order asked, each once (``table``: the sweep's, with ``rank``)."""
    ranked = [str(i) for i in table.sort_values("rank", kind="stable").index]
    out: list[str] = []
    for s in selectors:
        out += ranked[: s.count] if s.kind in ("best", "top") else list(s.ids)
    return list(dict.fromkeys(out))


def variant_config(loaded: LoadedConfig, sweep: SweepPlan, params: dict[str, Any]) -> LoadedConfig:
    """The config of one variant run alone: the swept strategy only, with the variant's params, no sweep."""
    cfg = loaded.config
    entry = cfg.strategies[sweep.entry].model_copy(update={"params": dict(params), "sweep": None})
    config = cfg.model_copy(update={"strategies": [entry]})
    raw = yaml.safe_load(loaded.text) if loaded.text else None
    text = ""
    if isinstance(raw, dict) and isinstance(raw.get("strategies"), list):
        one = dict(raw["strategies"][sweep.entry])
        one.pop("sweep", None)
        one["params"] = dict(params)
        raw = {k: v for k, v in raw.items() if k != "sweep"} | {"strategies": [one]}
        if not cfg.report.tearsheets:
            raw["report"] = {**(raw.get("report") or {}), "tearsheets": False}
        text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    return replace(loaded, config=config, text=text)


def write_variant_files(
    folder: Path,
    loaded: LoadedConfig,
    registry: Registry,
    sweep: SweepPlan,
    ids: Sequence[str],
    *,
    data_dir: str | Path | None = None,
    access: DataAccess | None = None,
    step: Step = lambda _: None,
    loaded_data: tuple[RunPlan, MarketData] | None = None,
) -> list[Path]:
    """Each variant of ``ids`` run alone, its results in ``folder``/variants/<id>/; the files written.

    The data is loaded once, for the variant's own config (every variant
    reads the same tickers and series): what a run of that config alone sees.
    ``loaded_data``: the sweep's plan and data, taken instead when the variant
    asks for the same tickers and series (a sweep of one strategy), as a load
    of the same inputs gives the same data.
    """
    if not ids:
        return []
    params = dict(zip(sweep.ids, sweep.params))
    market = None
    files: list[Path] = []
    for vid in ids:
        step(f"files of variant {vid}")
        one = variant_config(loaded, sweep, params[vid])
        plan = make_plan(one, registry, data_dir, access)
        if market is None:
            if loaded_data is not None and _same_inputs(plan, loaded_data[0]):
                market = loaded_data[1]
            else:
                market = load_market(plan)
        run = execute(
            one, registry, data_dir=data_dir, access=access, planned=(plan, market), into=folder / VARIANTS / vid
        )
        files += run.files
    return files


def _same_inputs(a: RunPlan, b: RunPlan) -> bool:
    """Whether :func:`load_market` reads the same of both plans (the rest of its inputs is the config's, shared)."""
    return a.tickers == b.tickers and a.series_specs == b.series_specs


def _from_text(text: str) -> Any:
    """A ``--files`` item as the config would hold it: ``a=1&b=2`` a mapping (values read as YAML), digits a number."""
    if "=" in text:
        out: dict[str, Any] = {}
        for pair in text.split("&"):
            name, _, value = pair.partition("=")
            out[name.strip()] = yaml.safe_load(value) if value.strip() else None
        return out
    return int(text) if text.isdigit() else text


def _selector(item: Any, sweep: SweepPlan) -> Selector:
    n = len(sweep.ids)
    if isinstance(item, bool):
        raise ValueError(f"{item!r} is not a variant: give an id, a number, best, default, top:N or params")
    if isinstance(item, int):
        if not 1 <= item <= n:
            raise ValueError(f"variant number {item} is not among the sweep's variants (1 to {n:,})")
        return Selector("id", (sweep.ids[item - 1],), 1)
    if isinstance(item, dict):
        return _by_params(item, sweep)
    text = str(item)
    if text == "best":
        return Selector("best", (), 1)
    if text == "default":
        return Selector("default", (sweep.default,), 1)
    if text.startswith("top:"):
        count = text[4:].strip()
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"{text!r}: top:N takes a whole number of variants of at least 1, e.g. top:5")
        return Selector("top", (), min(int(count), n))
    if text in sweep.ids:
        return Selector("id", (text,), 1)
    raise ValueError(
        f"{text!r} is not a variant of this sweep: give an id ({sweep.ids[0]} to {sweep.ids[-1]}), a number "
        f"(1 to {n:,}), best, default, top:N or params (name=value&name=value)"
    )


def _by_params(item: dict[str, Any], sweep: SweepPlan) -> Selector:
    if not item:
        raise ValueError("params name no parameter: give name=value of the swept ones")
    unknown = [k for k in item if k not in sweep.params[0]]
    if unknown:
        raise ValueError(
            f"no parameter {', '.join(map(repr, unknown))} in this strategy (its parameters: "
            f"{', '.join(sweep.params[0])})"
        )
    ids = tuple(vid for vid, p in zip(sweep.ids, sweep.params) if all(_same(p[k], v) for k, v in item.items()))
    if not ids:
        shown = ", ".join(f"{k}={v!r}" for k, v in item.items())
        swept = "; ".join(
            f"{k}: {', '.join(map(repr, sorted({p[k] for p in sweep.params}, key=repr)[:8]))}"
            for k in item
            if k in sweep.names
        )
        raise ValueError(f"no variant has {shown}" + (f" (the sweep's values of {swept})" if swept else ""))
    return Selector("params", ids, len(ids))


def _same(a: Any, b: Any) -> bool:
    """A variant's value equals the one asked: 63 asks for 63.0 too; a bool is not a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)
