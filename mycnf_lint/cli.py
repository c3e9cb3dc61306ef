"""The typer app: one function per command (in `commands/`); arguments -> one stage -> output and
exit code.

Nothing heavy is imported at module level: each command imports the stages it needs, so `check`
never loads jinja2, configupdater or pymysql.
"""

import sys
from typing import Annotated

import typer

from mycnf_lint import __version__
from mycnf_lint.argv import mysql_password_form
from mycnf_lint.commands import check, doctor, effective, listing, render
from mycnf_lint.findings import EXIT_CLEAN, EXIT_USAGE
from mycnf_lint.signals import Signalled, describe

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C



app = typer.Typer(
    name="mycnf-lint",
    help="Lint, fix and render MySQL and MariaDB option files (my.cnf, my.ini).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mycnf-lint {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Lint, fix and render MySQL and MariaDB option files (my.cnf, my.ini)."""


app.command()(check.check)
app.command()(effective.effective)
app.command("rules")(listing.rules_command)
app.command()(listing.explain)
app.command("profiles")(listing.profiles_command)
app.command("render")(render.render_command)
app.command()(doctor.doctor)


def run(argv: list[str] | None = None) -> int:
    """Run the command line on `argv` (default: the process's arguments); the exit code.

    Usage errors are one line, like every other error: `mycnf-lint: MESSAGE (see ... --help)`.
    """
    from typer._click.exceptions import ClickException, UsageError  # typer vendors click

    try:
        code = app(args=mysql_password_form(argv), prog_name="mycnf-lint", standalone_mode=False)
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "mycnf-lint"
        sys.stderr.write(f"mycnf-lint: {exc.format_message()} (see `{where} --help`)\n")
        return EXIT_USAGE
    except ClickException as exc:
        sys.stderr.write(f"mycnf-lint: {exc.format_message()}\n")
        return EXIT_USAGE
    except typer.Abort:
        code = EXIT_INTERRUPTED
    except (KeyboardInterrupt, Signalled) as exc:
        code = exc.code if isinstance(exc, Signalled) else EXIT_INTERRUPTED
    except MemoryError:
        sys.stderr.write("mycnf-lint: out of memory\n")
        return EXIT_USAGE
    except OSError as exc:  # every I/O failure names its file; the commands catch most
        from mycnf_lint.report.escape import shown

        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"mycnf-lint: {shown(f'{where}{exc.strerror or exc}')}\n")
        return EXIT_USAGE
    if isinstance(code, int) and code >= EXIT_INTERRUPTED:
        sys.stderr.write(f"mycnf-lint: {describe(code)}\n")
    return code if isinstance(code, int) else EXIT_CLEAN
