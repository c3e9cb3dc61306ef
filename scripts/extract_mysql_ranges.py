#!/usr/bin/env python3
"""Read numeric variable declarations out of a MySQL source file and print or check them.

For whoever has a mysql-server checkout: ``sql/sys_vars.cc`` (``static Sys_var_<type> Sys_x(
"name", ..., VALID_RANGE(min, max), DEFAULT(d), BLOCK_SIZE(b))``) and plugin sources such as
``storage/innobase/handler/ha_innodb.cc`` (``MYSQL_SYSVAR_<type>(name, ..., default, min, max,
block)``, ``MYSQL_THDVAR_<type>(...)``). Constant expressions are evaluated for 64-bit Linux with
the table below; a term it does not know leaves the value as text.

Usage::

    extract_mysql_ranges.py FILE [--prefix innodb_]          # TOML lines for catalogue_deltas/
    extract_mysql_ranges.py FILE --check mysql-8.0-ranges.toml  # facts that differ from FILE

The facts committed in ``scripts/catalogue_deltas/mysql-*-ranges.toml`` were transcribed from
the files named there; this script lets a later reader re-derive or verify them from a checkout.
"""

from __future__ import annotations

import argparse
import ast
import operator
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONSTANTS = {
    "ULONG_MAX": 2**64 - 1, "ULLONG_MAX": 2**64 - 1, "SIZE_T_MAX": 2**64 - 1,
    "UINT_MAX": 2**32 - 1, "UINT_MAX32": 2**32 - 1, "UINT32_MAX": 2**32 - 1,
    "UINT_MAX16": 2**16 - 1, "INT_MAX": 2**31 - 1, "INT_MAX32": 2**31 - 1,
    "INT32_MAX": 2**31 - 1, "LONG_MAX": 2**63 - 1, "LONG_MIN": -(2**63),
    "LLONG_MAX": 2**63 - 1, "HA_POS_ERROR": 2**64 - 1, "LONG_TIMEOUT": 31536000,
    "IO_SIZE": 4096, "NET_WAIT_TIMEOUT": 28800, "NET_READ_TIMEOUT": 30, "NET_WRITE_TIMEOUT": 60,
    "CONNECT_TIMEOUT": 10, "PFS_AUTOSIZE_VALUE": -1, "PFS_AUTOSCALE_VALUE": -1, "MB": 1 << 20,
    "OS_FILE_LOG_BLOCK_SIZE": 512, "UNIV_PAGE_SIZE_DEF": 16384, "HA_FT_MAXCHARLEN": 84,
    "FTS_MAX_WORD_LEN_IN_CHAR": 84, "MAX_BUFFER_POOLS": 64, "DECIMAL_MAX_SCALE": 30,
}
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.FloorDiv: operator.floordiv, ast.Div: operator.floordiv, ast.LShift: operator.lshift,
        ast.RShift: operator.rshift, ast.Mod: operator.mod}
SYS_VAR = re.compile(r"static\s+Sys_var_(\w+)\s+\w+\s*[({]\s*\"(\w+)\"(.*?)[)}]\s*;", re.S)
PLUGIN_VAR = re.compile(r"MYSQL_(?:SYS|THD)VAR_(\w+)\s*\((.*?)\)\s*;", re.S)
NUMERIC = {"ulong", "uint", "long", "int32", "ulonglong", "harows", "double", "keycache",
           "max_user_conn", "ULONG", "UINT", "LONG", "INT", "LONGLONG", "ULONGLONG", "DOUBLE",
           "SIZE_T"}


@dataclass(frozen=True)
class Decl:
    """One declaration: values as numbers where they could be evaluated, else as text."""

    name: str
    kind: str
    min: int | float | str
    max: int | float | str
    default: int | float | str | None
    block: int | str | None


def evaluate(text: str) -> int | float | str:
    """A C constant expression -> number; the text itself when a term is unknown."""
    expr = re.sub(r"\b(\d+)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?)\b", r"\1", text.strip())
    expr = re.sub(r"\((?:ulonglong|ulong|longlong|long|uint|int|intptr|size_t)\)\s*", "", expr)
    expr = expr.replace("~0", str(2**64 - 1)).replace("/", "//")
    try:
        return _eval(ast.parse(expr, mode="eval").body)
    except (SyntaxError, KeyError, TypeError, ValueError):
        return " ".join(text.split())


def _eval(node: ast.AST) -> int | float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.Name):
        return CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left), _eval(node.right))
    raise ValueError(ast.dump(node))


def split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments (comments and string literals removed)."""
    text = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    args, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        depth += ch in "({[" and 1 or (ch in ")}]" and -1 or 0)
        cur += ch
    return [*args, cur.strip()] if cur.strip() else args


def _macro(body: str, name: str) -> str | None:
    m = re.search(rf"\b{name}\s*\(", body)
    if not m:
        return None
    depth, start = 1, m.end()
    for i in range(start, len(body)):
        depth += {"(": 1, ")": -1}.get(body[i], 0)
        if depth == 0:
            return body[start:i]
    return None


def declarations(source: str, prefix: str = "") -> list[Decl]:
    """Every numeric declaration with a range in a source text."""
    out = []
    for m in SYS_VAR.finditer(source):
        kind, name, body = m.group(1), m.group(2), m.group(3)
        valid = _macro(body, "VALID_RANGE")
        if kind not in NUMERIC or valid is None or "NO_CMD_LINE" in body:
            continue
        lo, hi = (split_args(valid) + ["", ""])[:2]
        default, block = _macro(body, "DEFAULT"), _macro(body, "BLOCK_SIZE")
        out.append(Decl(name, kind, evaluate(lo), evaluate(hi),
                        None if default is None else evaluate(default),
                        None if block is None else evaluate(block)))
    for m in PLUGIN_VAR.finditer(source):
        kind, args = m.group(1), split_args(m.group(2))
        if kind not in NUMERIC or len(args) < 6:
            continue
        default, lo, hi, block = (evaluate(a) for a in args[-4:])
        out.append(Decl(prefix + args[0], kind, lo, hi, default,
                        None if block == 0 else block))
    return out


def toml_line(d: Decl, at: str) -> str:
    """One line in the catalogue_deltas/mysql-*-ranges.toml format."""
    parts = [f"min = {_lit(d.min)}", f"max = {_lit(d.max)}"]
    if d.kind.lower() != "double":
        parts.append(f"block = {_lit(d.block if d.block is not None else 1)}")
    if isinstance(d.default, (int, float)):
        parts.append(f"default = {_lit(d.default)}")
    return f'{d.name} = {{{", ".join(parts)}, at = "{at}"}}'


def _lit(value: int | float | str) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def differences(decls: list[Decl], ranges_file: Path) -> list[str]:
    """Facts in a ranges file that a declaration of the source contradicts."""
    data = tomllib.loads(ranges_file.read_text())
    facts = {n: f for t, v in data.items() if t.startswith("ranges_") for n, f in v.items()}
    out = []
    for d in decls:
        fact = facts.get(d.name)
        if fact is None:
            continue
        for key, value in (("min", d.min), ("max", d.max), ("block", d.block)):
            if isinstance(value, (int, float)) and key in fact and fact[key] != value and not (
                    key == "block" and value in (0, 1) and fact[key] == 1):
                out.append(f"{d.name}: {key} {fact[key]} in {ranges_file.name}, {value} here")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("--prefix", default="", help="name prefix of plugin variables (innodb_)")
    ap.add_argument("--check", type=Path, help="a catalogue_deltas ranges file to compare")
    args = ap.parse_args(argv)
    decls = declarations(args.source.read_text(errors="replace"), args.prefix)
    if args.check:
        diffs = differences(decls, args.check)
        print("\n".join(diffs) or f"no difference in {len(decls)} declarations")
        return 1 if diffs else 0
    for d in decls:
        print(toml_line(d, f"{args.source.name}: {d.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
