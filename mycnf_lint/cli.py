"""The command line: arguments -> one call into the pipeline -> output and exit code."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from . import __version__
from .findings import EXIT_USAGE

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Lint, fix and render MySQL and MariaDB option files (my.cnf, my.ini).",
    context_settings={"help_option_names": ["-h", "--help"]},
)

FlavorOpt = Annotated[
    Optional[str],
    typer.Option("--flavor", help="Server flavor: mysql-5.7, mysql-8.0, mysql-8.4, "
                 "mariadb-10.6, mariadb-10.11, mariadb-11.4 (default mysql-8.4)."),
]
FormatOpt = Annotated[str, typer.Option("--format", help="Output format.")]


def fail(message: str) -> typer.Exit:
    """Print `mycnf-lint: message` on stderr and return the usage/I-O exit."""
    typer.echo(f"mycnf-lint: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mycnf-lint {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Lint, fix and render MySQL and MariaDB option files."""


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Option files to check ('-' for stdin).")],
    flavor: FlavorOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Report what the server will refuse, skip or change in the files."""
    from .catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from .findings import exit_code
    from .includes import ReadError
    from .lint import Options
    from .lint import check as run_check

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}: choose text or json")
    try:
        findings = run_check(paths, Options(flavor=flavor or DEFAULT_FLAVOR))
    except (ReadError, UnknownFlavor) as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        sys.stdout.write(json.dumps({"findings": [f.to_json() for f in findings]}, indent=2) + "\n")
    else:
        for f in findings:
            typer.echo(f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message} [{f.name}]")
    raise typer.Exit(exit_code(findings))


@app.command()
def effective(
    paths: Annotated[list[str], typer.Argument(help="Option files, read in order.")],
    program: Annotated[str, typer.Option("--program", help="The program reading the files.")]
    = "mysqld",
    flavor: FlavorOpt = None,
    fmt: FormatOpt = "text",
    all_: Annotated[bool, typer.Option("--all", help="Also list options left at defaults.")]
    = False,
) -> None:
    """Show the value the program will use for each option, and the line it comes from."""
    from .catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from .effective import effective_report, render_text
    from .includes import ReadError

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}: choose text or json")
    try:
        report = effective_report(paths, program, flavor or DEFAULT_FLAVOR, all_)
    except (ReadError, UnknownFlavor) as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(report))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="mycnf-lint")
