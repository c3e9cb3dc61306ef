"""`@record`: the small part of dataclasses the project uses, without importing dataclasses.

dataclasses imports inspect, which alone costs more start-up time than reading a whole option
file; `check` runs on every commit. A record class declares annotated fields (with defaults or
`field(default_factory=..., compare=False, repr=False)`) and gets `__init__`, `__repr__`,
`__eq__`, and with `frozen=True` immutability and `__hash__`; `slots=True` adds `__slots__`.
Type checkers see it as a dataclass (PEP 681).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (start-up cost)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:
    def dataclass_transform(**_kwargs):  # noqa: D103 - run-time stand-in for typing's
        return lambda f: f

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class _Field:
    __slots__ = ("default", "factory", "compare", "repr")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, compare: bool,
                 repr_: bool) -> None:
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr_


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None,
          compare: bool = True, hash: bool | None = None, repr: bool = True) -> Any:
    """A field with a default factory or excluded from comparison (hash follows compare)."""
    return _Field(default, default_factory, compare, repr)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T] | None = None, /, *, frozen: bool = False,
           slots: bool = False) -> Any:
    """Turn a class with annotated fields into a record class."""

    def wrap(cls: type[T]) -> type[T]:
        return _build(cls, frozen, slots)

    return wrap if cls is None else wrap(cls)


def _build(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    names = list(cls.__dict__.get("__annotations__", {}))
    specs: dict[str, _Field] = {}
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        specs[name] = value if isinstance(value, _Field) else _Field(value, None, True, True)
    env: dict[str, Any] = {"_MISSING": _MISSING}
    params, body = [], []
    setter = "object.__setattr__(self, {n!r}, {v})" if frozen else "self.{n} = {v}"
    for name in names:
        spec = specs[name]
        if spec.factory is not None:
            env[f"_f_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            value = f"_f_{name}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
            value = name
        else:
            params.append(name)
            value = name
        body.append("    " + setter.format(n=name, v=value))
    if "__post_init__" in cls.__dict__:
        body.append("    self.__post_init__()")
    src = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "    pass")
    exec(src, env)  # noqa: S102 - generated from the class's own field names, as dataclasses does
    compared = tuple(n for n in names if specs[n].compare)
    shown = tuple(n for n in names if specs[n].repr)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{type(self).__name__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in compared)

    namespace = {k: v for k, v in cls.__dict__.items()
                 if k not in ("__dict__", "__weakref__") and not (k in specs and (
                     slots or isinstance(v, _Field)))}
    namespace.update(__init__=env["__init__"], __repr__=__repr__, __eq__=__eq__)
    if frozen:
        namespace["__setattr__"] = _frozen_setattr
        namespace["__hash__"] = lambda self: hash(tuple(getattr(self, n) for n in compared))
    else:
        namespace["__hash__"] = None
    if slots:
        namespace["__slots__"] = tuple(names)
    for name, spec in specs.items():
        if not slots and spec.default is not _MISSING and spec.factory is None:
            namespace[name] = spec.default
    new: type[T] = type(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    return new
