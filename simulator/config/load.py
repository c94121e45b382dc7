"""Read a config file into a validated ``RunConfig``, or fail with file:line messages."""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, final

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError
from .describe import expected_at
from .schema import RunConfig
from .yaml_lines import Path_, line_of, parse_with_lines, read_config_text


@final
@dataclass(frozen=True)
class LoadedConfig:
    """A validated config with what is needed to point at its lines."""

    config: RunConfig
    path: Path
    lines: dict[Path_, int]
    text: str = ""  # the config as read and validated: a run records this, not the file read again

    def where(self, *loc: str | int) -> str:
        line = line_of(self.lines, loc)
        return f"{self.path}:{line}" if line else str(self.path)

    def relative(self, p: str) -> Path:
        """A path written in the config, taken relative to the config's folder."""
        q = Path(p).expanduser()
        return q if q.is_absolute() else self.path.parent / q


# Keys that decide which data a run loads: a config whose value there is wrong is
# not planned with the default instead, or the data checks would report data
# the user never asked for.
_DATA_KEYS = ("data", "universe", "benchmark")


def load_config(path: str | Path) -> LoadedConfig:
    """The validated config; ``ConfigError`` listing every schema error (``file:line: ...``) if it is not valid."""
    loaded, errors = check_config(path)
    if errors or loaded is None:
        raise ConfigError("\n".join(errors))
    return loaded


def check_config(path: str | Path) -> tuple[LoadedConfig | None, list[str]]:
    """The config and its schema errors, ``file:line: ...`` each, so that later checks can add theirs.

    With errors, the config returned is the file without the keys in error
    (unknown keys, bad values of keys that have a default), so that the checks
    that need a whole config (strategies, parameters, data) can still run; it is
    None when that does not validate, or a key in error decides the data
    (``data``, ``universe``, ``benchmark``). Unreadable files and invalid YAML
    raise ``ConfigError``: nothing else can be checked.
    """
    path = Path(path)
    text = read_config_text(path)
    data, lines = parse_with_lines(text, path)
    if not isinstance(data, dict):
        return None, [f"{path}: expected a mapping of keys (name, data, universe, strategies, ...)"]
    try:
        return LoadedConfig(RunConfig.model_validate(data), path, lines, text), []
    except ValidationError as exc:
        errors = [format_errors(exc, RunConfig, lines, path)]
        pruned = _without(data, exc.errors())
    if pruned is None:
        return None, errors
    try:
        return LoadedConfig(RunConfig.model_validate(pruned), path, lines, text), errors
    except ValidationError:
        return None, errors


def _without(data: dict[str, Any], errors: list[Any]) -> dict[str, Any] | None:
    """A copy of ``data`` without the keys the errors are about, or None if that would change what is checked."""
    pruned = copy.deepcopy(data)
    for err in errors:
        loc = tuple(err["loc"])
        if not loc or isinstance(loc[-1], int):
            return None  # the whole config, or a list item: dropping it would renumber the rest
        if loc[0] in _DATA_KEYS and err["type"] != "extra_forbidden":
            return None
        parent: Any = pruned
        for part in loc[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return None
        if not isinstance(parent, dict):
            return None
        parent.pop(loc[-1], None)
    return pruned


def format_errors(
    exc: ValidationError,
    model: type[BaseModel],
    lines: dict[Path_, int],
    path: Path,
    prefix: Path_ = (),
    noun: str = "key",
) -> str:
    """One line per error: ``file:line: key.path: what is wrong (got ...); expected ...``."""
    out = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        line = line_of(lines, loc)
        where = f"{path}:{line}" if line else str(path)
        dotted = _dotted(loc)
        if err["type"] == "extra_forbidden":
            key = _clip(str(loc[-1]))
            valid = _fields_at(model, tuple(err["loc"])[:-1])
            close = difflib.get_close_matches(key, valid, n=1)
            suggestion = f"; did you mean '{close[0]}'?" if close else ""
            out.append(
                f"{where}: unknown {noun} '{key}' in {_dotted(loc[:-1]) or 'the top level'}{suggestion}"
                f" (valid {noun}s: {', '.join(valid) or 'none'})"
            )
        elif err["type"] == "missing":
            out.append(f"{where}: missing required key '{dotted}'")
        else:
            got = f" (got {_short(err.get('input'))})" if "input" in err else ""
            msg = err["msg"].removeprefix("Value error, ")
            expected = expected_at(model, tuple(err["loc"]))
            # a literal's message already lists the choices
            hint = f"; expected {expected}" if expected and err["type"] != "literal_error" else ""
            if err["type"] == "string_type" and isinstance(err.get("input"), (bool, int, float)):
                # `ticker: ON` is YAML's true, `name: 2024` a number: the fix is quotes
                hint += "; put it in quotes to mean text (unquoted, YAML reads yes/no/on/off as true/false)"
            if loc[-1:] == ("[key]",):  # pydantic's place for a mapping's key that is wrong
                dotted = f"{_dotted(loc[:-2])}: key {_short(err.get('input', loc[-2]))}"
            out.append(f"{where}: {_clip(dotted) or 'config'}: {msg}{got}{hint}")
    return "\n".join(out)


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The valid keys of the sub-model at ``loc`` (walking lists and nested models)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if (m := _model_in(arg)) is not None:
            return m
    return None


def _dotted(loc: Path_) -> str:
    s = ""
    for part in loc:
        s += f"[{part}]" if isinstance(part, int) else (f".{part}" if s else str(part))
    return s


def _short(value: Any) -> str:
    return _clip(repr(value), 60)


def _clip(text: str, most: int = 100) -> str:
    """Text from the config as messages quote it: a runaway key must not become a runaway message."""
    return text if len(text) <= most else text[: most - 3] + "..."
