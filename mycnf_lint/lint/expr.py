"""The small expression language of rule conditions (`when`) and recommendations (`recommend`).

Python syntax restricted to names, numbers, strings, `profile.KEY`, arithmetic, comparisons,
`and`/`or`/`not` and the functions min, max and roundup. An unknown value (None) makes a
comparison false, so a rule never fires on what it cannot know.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    Compiled = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]


class ExprError(ValueError):
    """An expression outside the allowed language."""


def _roundup(value: Any, step: Any) -> Any:
    if value is None or step in (None, 0):
        return None
    return int(math.ceil(value / step) * step)


def _min(*args: Any) -> Any:
    vals = [a for a in args if a is not None]
    return min(vals) if vals else None


def _max(*args: Any) -> Any:
    vals = [a for a in args if a is not None]
    return max(vals) if vals else None


FUNCTIONS: dict[str, Callable[..., Any]] = {"min": _min, "max": _max, "roundup": _roundup}
_CMP = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_BIN = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
}


@cache
def compile_expr(source: str) -> ast.Expression:
    """Parse and check an expression once."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"not an expression: {source!r}: {exc.msg}") from exc
    for node in ast.walk(tree):
        ok = isinstance(node, (ast.Expression, ast.BoolOp, ast.UnaryOp, ast.BinOp, ast.Compare,
                               ast.Name, ast.Constant, ast.Call, ast.Attribute, ast.Load,
                               ast.And, ast.Or, ast.Not, ast.USub, *_CMP, *_BIN))
        if not ok:
            raise ExprError(f"{source!r}: {type(node).__name__} is not allowed in rules")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                               and node.func.id in FUNCTIONS):
            raise ExprError(f"{source!r}: only {', '.join(FUNCTIONS)} may be called")
        if isinstance(node, ast.Attribute) and not (isinstance(node.value, ast.Name)
                                                    and node.value.id == "profile"):
            raise ExprError(f"{source!r}: only profile.KEY attributes are allowed")
    return tree


@cache
def names(source: str) -> frozenset[str]:
    """The variable names an expression reads (not profile keys or functions)."""
    tree = compile_expr(source)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id != "profile":
            out.add(node.id)
    return frozenset(out)


def evaluate(source: str, variables: Mapping[str, Any], profile: Mapping[str, Any]) -> Any:
    """Evaluate; None when a needed value is unknown."""
    return compiled(source)(variables, profile)


@cache
def compiled(source: str) -> Compiled:
    """The expression as one Python function of (variables, profile), built once per process:
    a tree of closures, so evaluating it never walks the syntax tree again."""
    return _compile(compile_expr(source).body)


def _compile(node: ast.AST) -> Compiled:
    if isinstance(node, ast.Constant):
        const = node.value
        return lambda v, p: const
    if isinstance(node, ast.Name):
        name = node.id
        return lambda v, p: v.get(name)
    if isinstance(node, ast.Attribute):
        attr = node.attr
        return lambda v, p: p.get(attr)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda v, p: None if (x := operand(v, p)) is None else not x
        return lambda v, p: None if (x := operand(v, p)) is None else -x
    if isinstance(node, ast.BoolOp):
        parts = [_compile(n) for n in node.values]
        if isinstance(node.op, ast.And):
            return lambda v, p: _and([f(v, p) for f in parts])
        return lambda v, p: _or([f(v, p) for f in parts])
    if isinstance(node, ast.BinOp):
        left, right, op = _compile(node.left), _compile(node.right), _BIN[type(node.op)]
        return lambda v, p: _binary(op, left(v, p), right(v, p))
    if isinstance(node, ast.Compare):
        first = _compile(node.left)
        chain = [(_CMP[type(o)], _compile(n)) for o, n in zip(node.ops, node.comparators,
                                                               strict=True)]
        return lambda v, p: _compare(first(v, p), chain, v, p)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        fn, args = FUNCTIONS[node.func.id], [_compile(a) for a in node.args]
        return lambda v, p: fn(*(a(v, p) for a in args))
    raise ExprError(f"cannot evaluate {type(node).__name__}")


def _and(vals: list[Any]) -> Any:
    if None not in vals:
        return all(bool(x) for x in vals)
    return False if any(x is False for x in vals) else None


def _or(vals: list[Any]) -> Any:
    return any(bool(x) for x in vals if x is not None) or (None if None in vals else False)


def _binary(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    return op(a, b)


def _compare(left: Any, chain: list[tuple[Callable[[Any, Any], bool], Compiled]],
             v: Mapping[str, Any], p: Mapping[str, Any]) -> Any:
    for cmp, right_fn in chain:
        right = right_fn(v, p)
        if left is None or right is None:
            return None
        if not cmp(left, right):
            return False
        left = right
    return True
