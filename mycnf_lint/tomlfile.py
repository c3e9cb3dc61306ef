"""Reading TOML files (rules, profiles, configuration): one parse per file and process.

A file's parsed document is kept for the life of the process, keyed by its path and what
`stat` says of it (device, inode, mtime_ns, size): `check --fix` lints up to five times and
`--jobs` once a slice, and each pass asks for the same --rules and --profile files; they are
read once, and read again only when the file was changed or replaced since. A file changed in
the last RACY_NS is not kept (read each time): a file system's clock ticks coarsely (a few ms
on Linux, 2 s on FAT), so an edit within the same tick and of the same size would keep the
signature. The document is shared: callers read it and never change it. (A marshal cache of
parsed documents on disk, in the user's home, saved about 4% of `check`'s start-up
(benchmarks/README.md), under the 5% that would pay for its complexity, so it went.)

The files may be the user's: only regular files are read (a FIFO would block), and a document
nested deeper than the parser's recursion allows is an error like any other bad TOML.
"""

from __future__ import annotations

import os
import time
import tomllib
from typing import Any

from mycnf_lint.reader.includes import read_bytes

Signature = tuple[int, int, int, int]  # st_dev, st_ino, st_mtime_ns, st_size
RACY_NS = 2_000_000_000
_PARSED: dict[str, tuple[Signature, dict[str, Any]]] = {}


def _signature(path: str) -> Signature:
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def load(path: str) -> dict[str, Any]:
    """The parsed document (shared: do not change it). OSError when it cannot be read (or is
    no regular file); ValueError (tomllib.TOMLDecodeError, UnicodeDecodeError, or too deep)
    when it is not valid TOML. Errors are not kept: a bad file is read again next time."""
    if path == "-":  # standard input is read once, by its one caller
        return _parse(read_bytes(path))
    signature = _signature(path)
    kept = _PARSED.get(path)
    if kept is not None and kept[0] == signature:
        return kept[1]
    doc = _parse(read_bytes(path))
    # the signature taken before reading: a change made while reading shows a new one next time
    if time.time_ns() - signature[2] > RACY_NS:
        _PARSED[path] = (signature, doc)
    else:
        _PARSED.pop(path, None)
    return doc


def _parse(data: bytes) -> dict[str, Any]:
    text = data.decode("utf-8")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply (arrays or tables inside each other)") from None
