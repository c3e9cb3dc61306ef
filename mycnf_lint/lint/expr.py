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
    return _eval(compile_expr(source).body, variables, profile)


def _eval(node: ast.AST, v: Mapping[str, Any], p: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return v.get(node.id)
    if isinstance(node, ast.Attribute):
        return p.get(node.attr)
    if isinstance(node, ast.UnaryOp):
        x = _eval(node.operand, v, p)
        if isinstance(node.op, ast.Not):
            return None if x is None else not x
        return None if x is None else -x
    if isinstance(node, ast.BoolOp):
        vals = [_eval(n, v, p) for n in node.values]
        if isinstance(node.op, ast.And):
            return all(bool(x) for x in vals) if None not in vals else (
                False if any(x is False for x in vals) else None)
        return any(bool(x) for x in vals if x is not None) or (None if None in vals else False)
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, v, p), _eval(node.right, v, p)
        if a is None or b is None:
            return None
        return _BIN[type(node.op)](a, b)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, v, p)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, v, p)
            if left is None or right is None:
                return None
            if not _CMP[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](*(_eval(a, v, p) for a in node.args))
    raise ExprError(f"cannot evaluate {type(node).__name__}")
