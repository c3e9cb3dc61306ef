"""Saved SHOW GLOBAL VARIABLES / SHOW GLOBAL STATUS output -> name -> value, with no server.

Three forms are read, whichever the file holds: the tab-separated rows `mariadb -B -N -e`
prints (with or without the `Variable_name<TAB>Value` header), the boxed table the client
prints on a terminal (and `mysqladmin variables`), and the vertical `\\G` form. A value keeps
its spaces; `NULL` in the tab form is an empty value.
"""

from __future__ import annotations

import re

_BOX_ROW = re.compile(r"^\|\s*([^|]*?)\s*\|\s?(.*?)\s*\|\s*$")
_VERTICAL_NAME = re.compile(r"^\s*Variable_name:\s?(.*)$")
_VERTICAL_VALUE = re.compile(r"^\s*Value:\s?(.*)$")
_HEADERS = ("variable_name", "name")


class DumpError(ValueError):
    """A file that holds no variables in any of the forms read."""


def _unescape_batch(value: str) -> str:
    """`mariadb -B` writes a tab, a newline and a backslash in a value as \\t, \\n, \\\\."""
    if "\\" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append({"t": "\t", "n": "\n", "\\": "\\", "0": "\0"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def parse(text: str) -> dict[str, str]:
    """The name -> value pairs of a dump in any of the three forms (names lower-cased for
    variables, kept as written for status counters)."""
    out: dict[str, str] = {}
    pending: str | None = None
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("+-") or line.startswith("*****"):
            continue
        if m := _VERTICAL_NAME.match(line):
            pending = m.group(1).strip()
            continue
        if pending is not None and (m := _VERTICAL_VALUE.match(line)):
            out[pending] = m.group(1)
            pending = None
            continue
        if line.startswith("|"):
            m = _BOX_ROW.match(line)
            if m and m.group(1).lower() not in _HEADERS:
                out[m.group(1)] = m.group(2)
            continue
        name, tab, value = line.partition("\t")
        if not tab or name.strip().lower() in _HEADERS:
            continue
        out[name.strip()] = "" if value == "NULL" else _unescape_batch(value)
    return out


def read(path: str) -> dict[str, str]:
    """A dump file -> its pairs; DumpError when it cannot be read or holds none."""
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
    except OSError as exc:
        raise DumpError(f"{path}: cannot read: {exc.strerror or exc}") from None
    pairs = parse(text)
    if not pairs:
        raise DumpError(f"{path}: no 'name<TAB>value' rows, table rows or \\G rows: not a "
                        "SHOW VARIABLES or SHOW STATUS dump")
    return pairs
