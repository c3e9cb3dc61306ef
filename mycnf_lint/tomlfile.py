"""Reading the project's TOML files (rules, profiles): one parse per file, no cache.

A marshal cache of parsed documents in the user's home saved about 4% of `check`'s start-up
(benchmarks/README.md), under the 5% that would pay for its complexity, so it went.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def load(path: str) -> dict[str, Any]:
    """The parsed document (OSError, UnicodeDecodeError and tomllib.TOMLDecodeError propagate)."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))
