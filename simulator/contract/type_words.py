"""A parameter's type and bounds in words, as ``rotsim strategies`` shows them.

``simulator.config.describe`` builds the config's error messages on the same
words ("expected a whole number from 1 to 63"), so the type declared in code
is the only place a range is written.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

_BOUNDS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))


def type_name(annotation: Any) -> str:
    """A short name of a type: ``int``, ``'a' | 'b'``, ``dict[str, float]`` (constraints left out)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return type_name(args[0])
    if origin is Literal:  # the choices are what a user needs to see
        return " | ".join(repr(a) for a in args)
    if origin in (Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if annotation is type(None):
        return "None"
    if annotation is Ellipsis:
        return "..."
    if origin is not None and args:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(type_name(a) for a in args)}]"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def constraint_text(metadata: list[Any]) -> str:
    """The bounds in ``metadata`` as ``>= 1, <= 63`` (empty when there are none)."""
    return ", ".join(f"{sym} {number_text(v)}" for key, sym in _BOUNDS for v in constraint_values(metadata, key))


def constraint_values(metadata: list[Any], key: str) -> list[Any]:
    """The values of constraint ``key`` (``ge``, ``max_length``, ...) among pydantic's ``metadata``."""
    return [v for m in metadata if (v := getattr(m, key, None)) is not None]


def number_text(v: Any) -> str:
    """A bound as written: ``0.035``, ``1e+06``, ``63``."""
    return f"{v:g}" if isinstance(v, float) else str(v)
