"""A strategy's parameters: the signature after ``data``, checked strictly against a config.

``Param(help, ge=..., le=...)`` documents one inside ``Annotated[type, ...]``;
``params_model`` turns the signature into the pydantic model a config's
``params:`` is validated against, and ``param_infos`` into what
``rotsim strategies`` shows.
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, final, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, create_model
from pydantic.fields import FieldInfo

from .type_words import constraint_text, type_name

# The range a number parameter has when its strategy declares no bound on
# that side, and the longest text parameter: a config cannot hand a strategy
# 1e20 trading days (an overflow deep inside pandas) or a megabyte of text.
# A strategy that needs more declares it: Param(..., le=10**9).
PARAM_LIMIT = 1_000_000
PARAM_TEXT = 1_000


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
class ParamInfo:
    """One parameter as ``rotsim strategies`` shows it."""

    name: str
    type: str
    default: Any
    help: str
    constraints: str


def param_infos(model: type[BaseModel]) -> tuple[ParamInfo, ...]:
    """Each field of a strategy's ``params_model`` as ``rotsim strategies`` shows it."""
    return tuple(
        ParamInfo(
            name=name,
            type=type_name(f.annotation),
            default=None if f.is_required() else f.default,
            help=f.description or "",
            constraints=constraint_text(f.metadata),
        )
        for name, f in model.model_fields.items()
    )


@functools.cache
def params_model(name: str, func: Callable[..., Any]) -> type[BaseModel]:
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
    return create_model(
        f"{name}_params", __config__=ConfigDict(extra="forbid", strict=False, allow_inf_nan=False), **fields
    )


def _with_default(info: FieldInfo, default: Any) -> FieldInfo:
    merged = FieldInfo.merge_field_infos(info, default=default)
    return merged


def _exact_choice(choices: tuple[Any, ...], value: Any) -> Any:
    """Refuse a value that matches a choice only by Python's loose equality (True == 1, 1.0 == 1)."""
    exact = any(type(value) is type(c) and value == c for c in choices)
    if not exact and any(value == c for c in choices):
        raise ValueError(
            f"Input should be one of {', '.join(map(repr, choices))}, not the {type(value).__name__} {value!r}"
        )
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
        return (
            Annotated[str, Strict()] if "max_length" in has else Annotated[str, Strict(), Field(max_length=PARAM_TEXT)]
        )
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


__all__ = ["PARAM_LIMIT", "PARAM_TEXT", "Param", "ParamInfo", "param_infos", "params_model"]
