"""What every command shares: the flavor and format choices, typed options, errors, output."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from mycnf_lint.findings import EXIT_USAGE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mycnf_lint.config import Config
    from mycnf_lint.lint.ruleset import RuleSet


class Flavor(StrEnum):
    """The server flavors the catalogue knows."""

    MYSQL_57 = "mysql-5.7"
    MYSQL_80 = "mysql-8.0"
    MYSQL_84 = "mysql-8.4"
    MARIADB_106 = "mariadb-10.6"
    MARIADB_1011 = "mariadb-10.11"
    MARIADB_114 = "mariadb-11.4"


class Format(StrEnum):
    """Output formats of `check`."""

    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


class ListFormat(StrEnum):
    """Output formats of the listing commands."""

    TEXT = "text"
    JSON = "json"


FlavorOpt = Annotated[Flavor | None, typer.Option(
    help="Server flavor (default: the configuration's, else mysql-8.4).", show_default=False)]
ProfileOpt = Annotated[str | None, typer.Option(
    help="Workload profile: a built-in name (see `profiles`) or a TOML file.")]
ProgramOpt = Annotated[str, typer.Option(help="The program reading the files.")]
RulesOpt = Annotated[list[Path] | None, typer.Option(
    "--rules", metavar="FILE", help="An extra rules file (repeatable).")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", metavar="FILE", help="Use this configuration file instead of looking for one.")]
ListFormatOpt = Annotated[ListFormat, typer.Option("--format", help="Output format.")]


def fail(message: str) -> NoReturn:
    """Print `mycnf-lint: message` on stderr, on one line (odd bytes and control characters of
    file names escaped), and leave with the usage/I-O exit code."""
    from mycnf_lint.report.escape import shown

    sys.stderr.write(f"mycnf-lint: {shown(message)}\n")
    raise typer.Exit(EXIT_USAGE)


def split(values: list[str] | None) -> list[str] | None:
    """Repeatable comma lists -> one list; None when the option was not given."""
    if not values:
        return None
    return [item.strip() for v in values for item in v.split(",") if item.strip()]


def load_config(path: Path | None) -> Config:
    from mycnf_lint.config import ConfigError, find, load

    try:
        return load(str(path)) if path else find()
    except ConfigError as exc:
        fail(str(exc))


def write(text: str | bytes | Iterable[str], output: Path | None) -> None:
    """Write the report (piece by piece as it is made, so a large one is never held whole; a
    diff's bytes as they are) to a file or stdout, escaping non-UTF-8."""
    pieces: Iterable[str | bytes] = [text] if isinstance(text, str | bytes) else text
    data = (p if isinstance(p, bytes) else p.encode("utf-8", "backslashreplace") for p in pieces)
    if output is None:
        try:
            sys.stdout.flush()
            sys.stdout.buffer.writelines(data)
            sys.stdout.buffer.flush()
        except OSError as exc:  # `| head` has gone (EPIPE), or a full disk behind `>`
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # nothing more to flush at exit
            if not isinstance(exc, BrokenPipeError):
                fail(f"<stdout>: cannot write: {exc.strerror or exc}")
        return
    try:
        with output.open("wb") as fh:
            fh.writelines(data)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")


def load_rules(files: list[Path] | None) -> RuleSet:
    """The built-in rules and any extra rules files, or a usage error."""
    from mycnf_lint.lint.ruleset import RuleError, load

    try:
        return load([str(f) for f in files or []])
    except RuleError as exc:
        fail(str(exc))
