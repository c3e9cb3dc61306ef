"""TOML files read once: parsed documents kept in the user's cache folder, keyed by file.

Rules and profiles are TOML; parsing them (and importing tomllib) costs more than linting a
file. A parsed document is stored with marshal under $XDG_CACHE_HOME/mycnf-lint (or
~/.cache/mycnf-lint), keyed by the file's real path, size and modification time; a stale,
unreadable or unwritable cache is simply not used.
"""

from __future__ import annotations

import marshal
import os
import zlib
from typing import TYPE_CHECKING

from mycnf_lint import __version__

if TYPE_CHECKING:
    from typing import Any


def _cache_dir() -> str | None:
    if os.environ.get("MYCNF_LINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mycnf-lint")


def _parse(path: str) -> dict[str, Any]:
    import tomllib

    with open(path, encoding="utf-8") as fh:
        return tomllib.loads(fh.read())


def load(path: str) -> dict[str, Any]:
    """The parsed document of a TOML file (OSError and tomllib.TOMLDecodeError propagate)."""
    folder = _cache_dir()
    st = os.stat(path)
    key = f"{os.path.realpath(path)}|{st.st_size}|{st.st_mtime_ns}|{__version__}"
    if folder is None:
        return _parse(path)
    cache = os.path.join(folder, f"{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}"
                                 ".marshal")
    try:
        with open(cache, "rb") as fh:
            stored_key, doc = marshal.load(fh)
        if stored_key == key and isinstance(doc, dict):
            return doc
    except (OSError, EOFError, ValueError, TypeError):
        pass
    doc = _parse(path)
    try:
        os.makedirs(folder, exist_ok=True)
        tmp = f"{cache}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            marshal.dump((key, doc), fh)
        os.replace(tmp, cache)
    except (OSError, ValueError):  # read-only home, or a value marshal cannot store
        pass
    return doc
