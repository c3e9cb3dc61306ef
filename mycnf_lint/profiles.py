"""Workload profiles: built-ins from rules/profiles/, user TOML files, `extends`, validation."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from mycnf_lint.findings import shortened
from mycnf_lint.resources import data_dir, toml_files

if TYPE_CHECKING:
    from typing import Any

# key -> (kind, what it means)
KEYS: dict[str, tuple[str, str]] = {
    "pool_recycle": ("duration",
                     "the pool retires connections after this (pool_recycle, maxLifetime)"),
    "idle_disconnect": ("duration", "smallest idle timeout of anything between app and server"),
    "idle_ceiling": ("duration", "no legitimate connection idles longer than this"),
    "longest_query": ("duration", "the slowest statement or transaction the app runs"),
    "largest_packet": ("size", "the largest row, BLOB or statement sent or read"),
    "result_stream": ("duration", "the longest time a client takes to read one result"),
    "connections": ("count", "peak connections from all app instances"),
    "human_idle": ("duration", "how long people leave a mysql prompt idle"),
    "client_hosts": ("choice:many,few", "whether connections come from many hosts or a few"),
}
_META = ("name", "description", "extends")
_DURATION = re.compile(r"^\s*(\d{1,15})\s*([smhd]?)\s*$", re.I)
_SIZE = re.compile(r"^\s*(\d{1,15})\s*([kmg]?)b?\s*$", re.I)
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_BYTES = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class ProfileError(ValueError):
    """A profile that cannot be used: the message names the profile and the key."""


@dataclass(frozen=True)
class Profile:
    """A declared workload: what the application does, in seconds, bytes and counts."""

    name: str
    description: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the file or table it came from

    def get(self, key: str) -> Any:
        return self.values.get(key)


def shown(value: Any, limit: int = 60) -> str:
    """`repr(value)` for an error message, cut short: a value may be megabytes long."""
    return shortened(repr(value), limit)


def _amount(value: Any, where: str, pattern: re.Pattern[str], units: dict[str, int],
            example: str) -> int:
    """A whole number with an optional unit letter; plain integers are taken as they are."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    m = None if isinstance(value, (bool, float)) else pattern.match(str(value))
    if not m:
        raise ProfileError(f"{where}: expected {example}, got {shown(value)}")
    return int(m.group(1)) * units[m.group(2).lower()]


def parse_duration(value: Any, where: str) -> int:
    """'30m' -> 1800; integers are seconds."""
    return _amount(value, where, _DURATION, _SECONDS, "a duration like 30s, 10m, 2h or 1d")


def parse_size(value: Any, where: str) -> int:
    """'8M' -> 8388608; integers are bytes."""
    return _amount(value, where, _SIZE, _BYTES, "a size like 512K, 8M or 1G")


def _convert(key: str, value: Any, where: str) -> Any:
    kind = KEYS[key][0]
    if kind == "duration":
        return parse_duration(value, f"{where}: {key}")
    if kind == "size":
        return parse_size(value, f"{where}: {key}")
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ProfileError(f"{where}: {key}: expected a positive whole number, got "
                               f"{shown(value)}")
        return value
    choices = kind.split(":", 1)[1].split(",")
    if value not in choices:
        raise ProfileError(f"{where}: {key}: expected one of {', '.join(choices)}, got "
                           f"{shown(value)}")
    return value


def _validate(table: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key in _META:
            continue
        if key not in KEYS:
            import difflib

            hint = difflib.get_close_matches(key, list(KEYS), n=1)
            did = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ProfileError(f"{where}: unknown key {shown(key)}{did}; known keys: "
                               f"{', '.join(KEYS)}")
        out[key] = _convert(key, value, where)
    return out


@cache
def _builtin_tables() -> dict[str, dict[str, Any]]:
    out = {}
    from mycnf_lint import tomlfile

    for path in toml_files(data_dir("rules") / "profiles"):
        table = tomlfile.load(path).get("profile", {})
        out[table.get("name", os.path.basename(path)[: -len(".toml")])] = table
    return out


def builtin_names() -> list[str]:
    """The built-in profiles, `default` first."""
    names = sorted(_builtin_tables())
    return ["default"] + [n for n in names if n != "default"]


def _from_table(table: dict[str, Any], where: str, seen: tuple[str, ...] = ()) -> Profile:
    if not isinstance(table, dict):
        raise ProfileError(f"{where}: a profile must be a table of keys")
    values: dict[str, Any] = {}
    base = table.get("extends")
    if base is not None and not isinstance(base, str):
        raise ProfileError(f"{where}: extends must be the name of a built-in profile, "
                           f"got {shown(base)}")
    if base is not None:
        if base in seen:
            raise ProfileError(f"{where}: extends {base!r} makes a cycle")
        if base not in _builtin_tables():
            raise ProfileError(f"{where}: extends {shown(base)}, which is not a built-in profile "
                               f"({', '.join(builtin_names())})")
        values.update(_from_table(_builtin_tables()[base], f"profile {base!r}",
                                  seen + (base,)).values)
    values.update(_validate(table, where))
    name = str(table.get("name") or base or "custom")
    return Profile(name, str(table.get("description", "")), values, where)


def builtin(name: str) -> Profile:
    tables = _builtin_tables()
    if name not in tables:
        raise ProfileError(f"unknown profile {shown(name)}: use one of "
                           f"{', '.join(builtin_names())} or a TOML file")
    return _from_table(tables[name], f"profile {name!r}", (name,))


def load_file(path: str) -> Profile:
    """A user's profile file: a [profile] table."""
    from mycnf_lint import tomlfile

    try:
        doc = tomlfile.load(path)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc.strerror or exc}") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError, UnicodeDecodeError, too deep
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    if "profile" not in doc:
        raise ProfileError(f"{path}: no [profile] table")
    return _from_table(doc["profile"], path)


def resolve_profile(spec: str | None, table: dict[str, Any] | None = None,
                    table_origin: str = "[tool.mycnf-lint.profile]") -> Profile:
    """The profile in force: --profile NAME|FILE, else a config file's table, else default."""
    if spec:
        if spec in _builtin_tables():
            return builtin(spec)
        if spec.endswith(".toml") or "/" in spec or os.path.isfile(spec):
            return load_file(spec)
        return builtin(spec)
    if table:
        return _from_table(table, table_origin)
    return builtin("default")


def human_duration(seconds: int | float) -> str:
    """600 -> '10m', 7200 -> '2h', 45 -> '45s'."""
    s = int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size and s % size == 0:
            return f"{s // size}{unit}"
    return f"{s}s"


def human_size(n: int | float) -> str:
    """16777216 -> '16M'."""
    n = int(n)
    for unit, size in (("G", 1024**3), ("M", 1024**2), ("K", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return str(n)
