"""Say in words what a config key takes, from its pydantic type.

Error messages end with it ("expected a whole number from 1 to 63") and
``rotsim strategies`` shows the parts (``type_name``, ``constraint_text``: the
plugin contract's, used here), so the type declared in code is the only
place a range is written.
"""

from __future__ import annotations

import types
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..contract.type_words import constraint_text, constraint_values, number_text, type_name


def expected_at(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """What the value at ``loc`` (a pydantic error location) should be, in words, or None if unknown."""
    if loc[-1:] == ("[key]",):  # pydantic puts a bad key at (..., the key, "[key]")
        loc = (*loc[:-2], "[key]")
    annotation: Any = None
    metadata: list[Any] = []
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            annotation, metadata = field.annotation, list(field.metadata)
        elif get_origin(current) is dict:
            annotation, metadata = get_args(current)[0 if part == "[key]" else 1], []
        elif get_origin(current) in (list, tuple, set, frozenset) and isinstance(part, int):
            annotation, metadata = get_args(current)[0], []
        else:
            return None
        current, metadata = _unwrap(annotation, metadata)
    return _describe(current, metadata)


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Strip ``Annotated`` (keeping its constraints) and ``| None`` off a type."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            for m in extra:
                metadata = metadata + (list(m.metadata) if isinstance(m, FieldInfo) else [m])
        elif origin in (Union, types.UnionType) and type(None) in get_args(annotation):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation, metadata
            annotation = rest[0]
        else:
            return annotation, metadata


def _describe(annotation: Any, metadata: list[Any]) -> str | None:
    if annotation is bool:
        return "true or false"
    if annotation in (int, float):
        what = "a whole number" if annotation is int else "a number"
        low = [(">=", v) for v in constraint_values(metadata, "ge")] + [
            (">", v) for v in constraint_values(metadata, "gt")
        ]
        high = [("<=", v) for v in constraint_values(metadata, "le")] + [
            ("<", v) for v in constraint_values(metadata, "lt")
        ]
        if low and high and low[0][0] == ">=" and high[0][0] == "<=":
            return f"{what} from {number_text(low[0][1])} to {number_text(high[0][1])}"
        bounds = " and ".join(f"{sym} {number_text(v)}" for sym, v in low + high)
        return f"{what} {bounds}" if bounds else what
    if annotation is str:
        shortest = max(constraint_values(metadata, "min_length"), default=0)
        longest = min(constraint_values(metadata, "max_length"), default=None)
        if longest is None:
            return "text" if not shortest else f"text of at least {shortest:,} characters"
        return (
            f"text of {shortest:,} to {longest:,} characters" if shortest else f"text of at most {longest:,} characters"
        )
    if annotation is date:
        return "a date written YYYY-MM-DD"
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a mapping of keys ({', '.join(annotation.model_fields)})"
    if get_origin(annotation) is dict:
        return "a mapping"
    if get_origin(annotation) in (list, tuple, set, frozenset):
        return "a list"
    return None


__all__ = ["constraint_text", "expected_at", "type_name"]
