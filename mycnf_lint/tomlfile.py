"""Reading TOML files (rules, profiles, configuration): one parse per file, no cache.

A marshal cache of parsed documents in the user's home saved about 4% of `check`'s start-up
(benchmarks/README.md), under the 5% that would pay for its complexity, so it went.

The files may be the user's: only regular files are read (a FIFO would block), and a document
nested deeper than the parser's recursion allows is an error like any other bad TOML.
"""

from __future__ import annotations

import tomllib
from typing import Any

from mycnf_lint.reader.includes import read_bytes


def load(path: str) -> dict[str, Any]:
    """The parsed document. OSError when it cannot be read (or is no regular file); ValueError
    (tomllib.TOMLDecodeError, UnicodeDecodeError, or too deep) when it is not valid TOML."""
    text = read_bytes(path).decode("utf-8")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply (arrays or tables inside each other)") from None
