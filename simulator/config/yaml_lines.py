"""Load YAML and remember where every key and item stands, for error messages.

A config is small, hand-written text, so the loader refuses what no config
needs and what would make reading it blow up: files past ``MAX_BYTES``,
nesting deeper than ``MAX_DEPTH``, more than ``MAX_VALUES`` values once
aliases are expanded (an alias repeated to expand a few lines into billions
of values, "billion laughs") and an alias used inside the value it names
(``&a [*a]``, a value that contains itself).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml

from ..errors import ConfigError

Path_ = tuple[str | int, ...]

MAX_BYTES = 1_000_000  # a config is a few kilobytes; this is hundreds of strategies
MAX_DEPTH = 32  # a config nests about 5 deep (strategies[0].params.weights.role)
MAX_VALUES = 10_000  # keys, items and values, counting each alias as the value it names


class _Refused(yaml.composer.ComposerError):
    """Valid YAML that no config needs and that would blow up if read."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text (pydantic parses them and says which key is wrong),
    reads ``1e20`` and ``1.5e6`` as numbers, and enforces the limits above as it composes.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._open: list[str] = []  # anchors of the collections being composed, outermost first
        self._values: dict[int, int] = {}  # id(node) -> values in it, aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML: Parser.peek_event unannotated
        if isinstance(event, yaml.AliasEvent) and event.anchor in self._open:
            raise _Refused(
                None,
                None,
                f"alias *{event.anchor} is used inside the value &{event.anchor} it names",
                event.start_mark,  # type: ignore[arg-type]  # types-PyYAML: the C parser's Mark, the same fields
            )
        if len(self._open) >= MAX_DEPTH:
            raise _Refused(
                None, None, f"values nest more than {MAX_DEPTH} deep; a config needs a few levels", event.start_mark
            )
        self._open.append(getattr(event, "anchor", None) or "")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._open.pop()
        # None only at the end of the stream, and an event was peeked above
        node = cast(yaml.Node, node)
        self._count(node, event.start_mark)
        return node

    def _count(self, node: yaml.Node, mark: yaml.Mark) -> None:
        # children are composed first, so their counts are known; an alias is
        # the same node object again, so its parent counts its whole value again
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(self._values.get(id(k), 1) + self._values.get(id(v), 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(self._values.get(id(v), 1) for v in node.value)
        else:
            n = 1
        self._values[id(node)] = n
        if n > MAX_VALUES:
            raise _Refused(
                None,
                None,
                f"more than {MAX_VALUES:,} values, counting each alias as the value it names; a config has a few hundred",
                mark,
            )

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # a tagged scalar that does not convert (`!!int abc`, a 5000-digit number)
        # raises a plain ValueError with no line; give it the node's line
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value: {exc}", node.start_mark
            ) from None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.1 (PyYAML) reads 1e20 and 1.5e6 as text; YAML 1.2 and people read them as numbers
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


def parse_with_lines(text: str, path: Path) -> tuple[Any, dict[Path_, int]]:
    """Return ``(data, lines)``: the parsed document and the 1-based line of each key path.

    ``path`` is only for messages: errors name ``path:line``.
    """
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character: the reader gives its offset
        line = text.count("\n", 0, exc.position) + 1
        raise ConfigError(
            f"invalid YAML: character #x{exc.character:04x} is not allowed", where=f"{path}:{line}"
        ) from None
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        if node is not None:
            _walk(node, (), lines, path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        kind = "" if isinstance(exc, _Refused) else "invalid YAML: "
        raise ConfigError(f"{kind}{exc.problem or exc.context}", where=where) from None
    finally:
        loader.dispose()
    return data, lines


def read_config_text(path: Path) -> str:
    """The config's text, refused past ``MAX_BYTES`` before more than that is read."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # a FIFO or /dev/zero never ends: read no more than the limit
    except FileNotFoundError:
        raise ConfigError("config file not found", where=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", where=str(path)) from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            f"config is larger than {MAX_BYTES // 1_000_000} MB; a config is a few kilobytes of YAML "
            "(is this the right file?)",
            where=str(path),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start}); save the config as UTF-8", where=str(path)) from None


def line_of(lines: dict[Path_, int], loc: Path_) -> int | None:
    """The line of the deepest existing prefix of ``loc``.

    ``loc`` holds keys as YAML made them (``1:`` is the int 1, ``on:`` is
    True); ``lines`` holds them as written, so a key not found as it is is
    looked for as text.
    """
    at: Path_ = ()
    for part in loc:
        found = next((p for p in (part, str(part), str(part).lower()) if at + (p,) in lines), None)
        if found is None:
            break
        at += (found,)
    return lines.get(at)


def _walk(node: yaml.Node, at: Path_, lines: dict[Path_, int], path: Path) -> None:
    lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise ConfigError(
                    "a key must be a plain name, not a list or mapping", where=f"{path}:{key.start_mark.line + 1}"
                )
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
