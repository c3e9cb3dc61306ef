"""`mycnf-lint doctor`: the diagnosis of a running server or of saved SHOW dumps."""

import sys
from typing import Annotated

import typer

from mycnf_lint.commands.common import Flavor, Format, ProfileOpt, RulesOpt, fail, write

FILE = {"metavar": "FILE", "show_default": False}


def doctor(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="[PATH...]", help="Option files to compare with the live values (drift).")] = None,
    host: Annotated[str | None, typer.Option(help="Server host (TCP).")] = None,
    port: Annotated[int | None, typer.Option("--port", "-P", help="TCP port.")] = None,
    socket: Annotated[str | None, typer.Option("--socket", "-S", help="Unix socket.")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", help="User name.")] = None,
    password: Annotated[str | None, typer.Option(
        help="Password (else MYSQL_PWD, else the client's option files).")] = None,
    ask: Annotated[bool, typer.Option(
        "-p", help="Prompt for the password (-pSECRET gives it, as for the mysql client).")
    ] = False,
    defaults_file: Annotated[str | None, typer.Option(
        **FILE, help="The client option file for credentials (default: /etc/my.cnf, "
        "/etc/mysql/my.cnf, ~/.my.cnf).")] = None,
    connect_timeout: Annotated[int, typer.Option(help="Seconds to reach the server.")] = 10,
    profile: ProfileOpt = None,
    flavor: Annotated[Flavor | None, typer.Option(
        help="Server flavor (default: from the server's version).", show_default=False)] = None,
    error_log: Annotated[str | None, typer.Option(
        **FILE, help="The error log to read (default: the server's log_error, if readable).")
    ] = None,
    variables: Annotated[str | None, typer.Option(
        **FILE, help="Judge a saved SHOW GLOBAL VARIABLES (mariadb -B -N, table or \\G form) "
        "instead of connecting.")] = None,
    status: Annotated[str | None, typer.Option(
        **FILE, help="Judge a saved SHOW GLOBAL STATUS instead of connecting.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TEXT,
    rules: RulesOpt = None,
) -> None:
    """Diagnose a running server (or saved --variables/--status): variables by check's rules,
    status, error log (--error-log, else log_error) and drift from PATH files."""
    from mycnf_lint.live.connect import ConnectError, Target
    from mycnf_lint.live.diagnose import DoctorError, DoctorOptions, diagnose, render

    opts = DoctorOptions(
        paths=paths or [], target=Target(host, port, socket, user, password, connect_timeout),
        ask_password=ask and password is None, defaults_file=defaults_file, profile=profile,
        flavor=flavor.value if flavor else None, rules_files=[str(r) for r in rules or []],
        error_log=error_log, variables_file=variables, status_file=status)
    try:
        result = diagnose(opts)
    except (ConnectError, DoctorError) as exc:
        fail(str(exc))
    write(render(result, fmt.value, sys.stdout.isatty()), None)
    raise typer.Exit(result.exit_code)
