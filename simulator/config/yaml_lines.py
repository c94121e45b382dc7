"""Load YAML and remember where every key and item stands, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: pydantic parses them and says which key is wrong."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_with_lines(path: Path) -> tuple[Any, dict[Path_, int]]:
    """Return ``(data, lines)``: the parsed document and the 1-based line of each key path."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config file not found", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 text (byte {exc.start}); save the config as UTF-8", where=str(path)
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", where=str(path)) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", where=where) from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines, path)
    return data, lines


def line_of(lines: dict[Path_, int], loc: Path_) -> int | None:
    """The line of the deepest existing prefix of ``loc``."""
    for n in range(len(loc), -1, -1):
        if (line := lines.get(tuple(loc[:n]))) is not None:
            return line
    return None


def _walk(node: yaml.Node, at: Path_, lines: dict[Path_, int], path: Path) -> None:
    lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            k = key.value
            if k in seen:
                # safe_load keeps the last silently; a duplicated key is almost always a mistake
                raise ConfigError(f"duplicate key '{k}'", where=f"{path}:{key.start_mark.line + 1}")
            seen.add(k)
            lines[at + (k,)] = key.start_mark.line + 1
            _walk(value, at + (k,), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, at + (i,), lines, path)
