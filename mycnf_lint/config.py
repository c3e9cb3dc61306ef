"""`[tool.mycnf-lint]` in pyproject.toml or a `.mycnf-lint.toml`: discovery and validation.

The nearest folder with a configuration wins, walking up from the current directory; in one
folder `.mycnf-lint.toml` wins over `pyproject.toml`, and a pyproject.toml without the table is
not a configuration. Options given on the command line win over the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

PathArg = str | os.PathLike[str]

DEDICATED = ".mycnf-lint.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("flavor", "profile", "select", "ignore", "format", "rules", "exit-zero")


class ConfigError(ValueError):
    """A configuration file that cannot be read or holds a wrong key or value."""


@dataclass
class Config:
    """What a configuration file asks for; None where it says nothing."""

    path: str | None = None
    flavor: str | None = None
    profile: str | None = None
    profile_table: dict[str, Any] | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    format: str | None = None
    rules: list[str] = field(default_factory=list)  # absolute or relative to the cwd
    exit_zero: bool | None = None


def _table(path: str) -> dict[str, Any] | None:
    """The settings table in `path`, or None for a pyproject.toml without one."""
    from mycnf_lint import tomlfile

    try:
        doc = tomlfile.load(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError, or nested too deeply
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if Path(path).name == PYPROJECT:
        tool = doc.get("tool")
        table = tool.get("mycnf-lint") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.mycnf-lint] must be a table")
        return table
    return doc


def discover(start: PathArg | None = None) -> str | None:
    """The nearest configuration file from `start` (the current folder) up to the root."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        dedicated = folder / DEDICATED
        if dedicated.is_file():
            return str(dedicated)
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _table(str(pyproject)) is not None:
            return str(pyproject)
    return None


def _strings(path: str, key: str, value: object) -> list[str]:
    """A list of strings, or one string of comma-separated items."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _string(path: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {key} must be a non-empty string")
    return value


def parse(path: PathArg, table: dict[str, Any]) -> Config:
    """Validate one settings table; paths in `rules` are taken from the file's folder."""
    from mycnf_lint.profiles import shown
    from mycnf_lint.report.formats import FORMATS

    path = os.fspath(path)
    folder = Path(path).parent
    where = "[tool.mycnf-lint] " if Path(path).name == PYPROJECT else ""
    unknown = [k for k in table if k not in KEYS]
    if unknown:
        raise ConfigError(f"{path}: unknown key {where}{shown(unknown[0])}; known keys: "
                          f"{', '.join(KEYS)}")
    cfg = Config(path=path)
    if "flavor" in table:
        cfg.flavor = _string(path, "flavor", table["flavor"])
    if "profile" in table:
        profile = table["profile"]
        if isinstance(profile, dict):
            cfg.profile_table = profile
        else:
            cfg.profile = _string(path, "profile", profile)
            if cfg.profile.endswith(".toml") or "/" in cfg.profile:  # a file, next to the config
                cfg.profile = str(folder / cfg.profile)
    for key in ("select", "ignore"):
        if key in table:
            setattr(cfg, key, _strings(path, key, table[key]))
    if "format" in table:
        cfg.format = _string(path, "format", table["format"])
        if cfg.format not in FORMATS:
            raise ConfigError(f"{path}: format {shown(cfg.format)} is not one of "
                              f"{', '.join(FORMATS)}")
    if "rules" in table:
        cfg.rules = [str(folder / p) for p in _strings(path, "rules", table["rules"])]
    if "exit-zero" in table:
        if not isinstance(table["exit-zero"], bool):
            raise ConfigError(f"{path}: exit-zero must be true or false")
        cfg.exit_zero = table["exit-zero"]
    return cfg


def load(path: PathArg) -> Config:
    """Read and validate one configuration file."""
    path = os.fspath(path)
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.mycnf-lint] table")
    return parse(path, table)


def find(start: PathArg | None = None) -> Config:
    """The nearest configuration, or an empty one when there is none."""
    path = discover(start)
    return load(path) if path else Config()
