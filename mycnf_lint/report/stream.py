"""Pieces of a report as it is written: lines in batches, and JSON written value by value with
the text `json.dumps(..., indent=2, ensure_ascii=False)` gives for the whole document."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

BATCH = 512  # items a piece: few enough writes, little text held at once


def batched(lines: Iterable[str]) -> Iterator[str]:
    """Strings joined BATCH at a time."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


_ENCODER = json.JSONEncoder(ensure_ascii=False)
_ENCODE_STR = json.encoder.encode_basestring  # the C function json.dumps uses for strings


def scalar(value: Any) -> str:
    """A string, number, boolean or null as JSON."""
    kind = type(value)
    if kind is str:
        return _ENCODE_STR(value)
    if kind is int:
        return int.__repr__(value)  # as json writes integers
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _ENCODER.encode(value)


def flat_object(pairs: Iterable[tuple[str, Any]], depth: int) -> str:
    """An object of scalars at nesting `depth`, indented by two spaces a level."""
    pad = "  " * depth
    inner = pad + "  "
    body = ",\n".join(f"{inner}{scalar(k)}: {scalar(v)}" for k, v in pairs)
    return f"{{\n{body}\n{pad}}}" if body else "{}"


def indented(value: Any, depth: int) -> str:
    """Any JSON value at nesting `depth` (its first line not indented)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth) if depth else text


def array_items(items: Iterable[str], depth: int) -> Iterator[str]:
    """The inside of an array whose items (already at `depth + 1`) are given as text: the
    caller writes the `[` before and `items_end` after."""
    pad = "  " * (depth + 1)
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + pad + item
        first = False


def items_end(any_items: bool, depth: int) -> str:
    """What closes an array: `]` alone after no items (json.dumps writes `[]`), else on its
    own line."""
    return "\n" + "  " * depth + "]" if any_items else "]"
