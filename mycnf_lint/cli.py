"""The typer app: one function per command; arguments -> one stage -> output and exit code.

Nothing heavy is imported at module level: each command imports the stages it needs, so `check`
never loads jinja2, configupdater or pymysql.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from mycnf_lint import __version__
from mycnf_lint.findings import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C

if TYPE_CHECKING:
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


app = typer.Typer(
    name="mycnf-lint",
    help="Lint, fix and render MySQL and MariaDB option files (my.cnf, my.ini).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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
    """Print `mycnf-lint: message` on stderr and leave with the usage/I-O exit code."""
    sys.stderr.write(f"mycnf-lint: {message}\n")
    raise typer.Exit(EXIT_USAGE)


def _split(values: list[str] | None) -> list[str] | None:
    """Repeatable comma lists -> one list; None when the option was not given."""
    if not values:
        return None
    return [item.strip() for v in values for item in v.split(",") if item.strip()]


def _config(path: Path | None) -> Config:
    from mycnf_lint.config import ConfigError, find, load

    try:
        return load(str(path)) if path else find()
    except ConfigError as exc:
        fail(str(exc))


def _write(text: str | bytes, output: Path | None) -> None:
    """Write the report (or a diff's bytes, as they are) to a file or stdout, escaping non-UTF-8."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")
    if output is None:
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except BrokenPipeError:  # `mycnf-lint check ... | head`: the reader has gone
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")


def _rules(files: list[Path] | None) -> RuleSet:
    """The built-in rules and any extra rules files, or a usage error."""
    from mycnf_lint.lint.ruleset import RuleError, load

    try:
        return load([str(f) for f in files or []])
    except RuleError as exc:
        fail(str(exc))


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


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Option files or folders ('-' for stdin).")],
    flavor: FlavorOpt = None,
    profile: ProfileOpt = None,
    program: ProgramOpt = "mysqld",
    select: Annotated[list[str] | None, typer.Option(
        help="Only these rules: ids, names or id prefixes (comma list, repeatable).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        help="Skip these rules: ids, names or id prefixes (comma list, repeatable).")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", help="Output format (default: the configuration's, else text).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the report to this file instead of stdout.")] = None,
    exit_zero: Annotated[bool, typer.Option(
        help="Exit 0 even when there are findings (2 still means an error).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
    rules: RulesOpt = None,
    config: ConfigOpt = None,
    fix: Annotated[bool, typer.Option(
        help="Apply safe fixes in place, then report what is left.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option(
        help="With --fix or --diff, also apply fixes that change behaviour (see `explain`).")
    ] = False,
    diff: Annotated[bool, typer.Option(
        help="Print the fixes as a unified diff and write nothing.")] = False,
    exit_non_zero_on_fix: Annotated[bool, typer.Option(
        help="With --fix, exit 1 when anything was fixed.")] = False,
) -> None:
    """Report what the server will refuse, skip or change in the files; --fix repairs them."""
    from mycnf_lint.findings import exit_code
    from mycnf_lint.lint.pipeline import Options, run, selected
    from mycnf_lint.lint.ruleset import RuleError
    from mycnf_lint.profiles import ProfileError
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from mycnf_lint.reader.includes import ReadError
    from mycnf_lint.report.formats import FORMATS, render

    cfg = _config(config)
    chosen_format = fmt.value if fmt else cfg.format or "text"
    if chosen_format not in FORMATS:
        fail(f"unknown format {chosen_format!r}: choose one of {', '.join(FORMATS)}")
    opts = Options(
        flavor=flavor.value if flavor else cfg.flavor or DEFAULT_FLAVOR,
        program=program,
        rules_files=cfg.rules + [str(r) for r in rules or []],
        profile=profile or cfg.profile,
        profile_table=cfg.profile_table,
        # rules are chosen after suppression, so that a suppression of a rule left out of this
        # run is not reported as useless and the suppression rules themselves can be ignored
        select=[],
        ignore=[],
    )
    s, i = _split(select), _split(ignore)
    chosen = (s if s is not None else cfg.select or [], i if i is not None else cfg.ignore or [])
    if fix and not diff and "-" in paths:
        fail("--fix cannot write to stdin; use --diff")
    fixed = 0
    try:
        if diff:
            from mycnf_lint.fix.run import fixed_diff

            patch = fixed_diff(paths, opts, chosen, unsafe_fixes)
            _write(patch, output)
            raise typer.Exit(EXIT_FINDINGS if patch else EXIT_CLEAN)
        if fix:
            from mycnf_lint.fix.run import fix_files

            fixed, result = fix_files(paths, opts, chosen, unsafe_fixes)
        else:
            result = run(paths, opts)
    except (ReadError, UnknownFlavor, ProfileError, RuleError, OSError) as exc:
        fail(str(exc))
    findings = selected(result.findings, *chosen)
    if fixed and not quiet:
        sys.stderr.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n")
    is_tty = output is None and sys.stdout.isatty()
    _write(render(findings, chosen_format, result.rules, is_tty, quiet), output)
    if exit_non_zero_on_fix and fixed:
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_CLEAN if exit_zero or cfg.exit_zero else exit_code(findings))


@app.command()
def effective(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Option files, read in order.")],
    program: ProgramOpt = "mysqld",
    flavor: FlavorOpt = None,
    fmt: ListFormatOpt = ListFormat.TEXT,
    all_: Annotated[bool, typer.Option("--all", help="Also list options left at defaults.")
                    ] = False,
) -> None:
    """Show the value the program will use for each option, and the line it comes from."""
    from mycnf_lint.effective import effective_report, render_text
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from mycnf_lint.reader.includes import ReadError

    try:
        report = effective_report(paths, program, flavor.value if flavor else DEFAULT_FLAVOR,
                                  all_)
    except (ReadError, UnknownFlavor) as exc:
        fail(str(exc))
    if fmt is ListFormat.JSON:
        import json

        _write(json.dumps(report, indent=2, ensure_ascii=False) + "\n", None)
    else:
        _write(render_text(report), None)


@app.command("rules")
def rules_command(fmt: ListFormatOpt = ListFormat.TEXT, rules: RulesOpt = None) -> None:
    """List every rule: id, name, severity, whether --fix can fix it, and title."""
    from mycnf_lint.report.rules import rules_json, rules_table

    ruleset = _rules(rules)
    _write(rules_json(ruleset) if fmt is ListFormat.JSON else rules_table(ruleset), None)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id (MCL008) or name (unknown-option).")],
    rules: RulesOpt = None,
) -> None:
    """Explain one rule: what it finds, why it matters, what to do, and whether --fix helps."""
    from mycnf_lint.report.rules import did_you_mean, explain_rule

    ruleset = _rules(rules)
    found = ruleset.get(rule)
    if found is None:
        hint = did_you_mean(rule, ruleset)
        fail(f"no rule {rule!r}" + (f"; did you mean {hint}?" if hint else
                                    "; `mycnf-lint rules` lists them"))
    _write(explain_rule(found), None)


@app.command("profiles")
def profiles_command(fmt: ListFormatOpt = ListFormat.TEXT) -> None:
    """List the built-in workload profiles and their values."""
    from mycnf_lint.profiles import ProfileError, builtin_names, resolve_profile
    from mycnf_lint.report.profiles import profiles_json, profiles_text

    try:
        profiles = [resolve_profile(name, None) for name in builtin_names()]
    except ProfileError as exc:
        fail(str(exc))
    _write(profiles_json(profiles) if fmt is ListFormat.JSON else profiles_text(profiles), None)


@app.command("render")
def render_command(
    profile: Annotated[str | None, typer.Option(
        help="Workload profile: a built-in name or a TOML file (default: the configuration's).")
    ] = None,
    config: ConfigOpt = None,
    flavor: FlavorOpt = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="VAR=VALUE", help="Override one value (repeatable).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the file here (atomically) instead of stdout.")] = None,
) -> None:
    """Write a production my.cnf for a workload profile, lint-clean under that profile."""
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR
    from mycnf_lint.render import RenderError, render, write_atomic

    cfg = _config(config)
    chosen = profile or cfg.profile
    if chosen is None and cfg.profile_table is None:
        fail("render needs a profile: --profile NAME|FILE, or one in [tool.mycnf-lint]")
    try:
        result = render(chosen, flavor.value if flavor else cfg.flavor or DEFAULT_FLAVOR,
                        sets or [], None if profile else cfg.profile_table)
    except RenderError as exc:
        fail(str(exc))
    for warning in result.warnings:
        sys.stderr.write(f"mycnf-lint: warning: {warning}\n")
    if output is None:
        _write(result.text, None)
        return
    try:
        write_atomic(str(output), result.text)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")


FILE = {"metavar": "FILE", "show_default": False}


@app.command()
def doctor(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="[PATH...]", help="Option files to compare with the live values (drift).")] = None,
    host: Annotated[str | None, typer.Option(help="Server host (TCP).")] = None,
    port: Annotated[int | None, typer.Option("--port", "-P", help="TCP port.")] = None,
    socket: Annotated[str | None, typer.Option("--socket", "-S", help="Unix socket.")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", help="User name.")] = None,
    password: Annotated[str | None, typer.Option(
        help="Password (else MYSQL_PWD, else the client's option files).")] = None,
    ask: Annotated[bool, typer.Option("-p", help="Prompt for the password.")] = False,
    defaults_file: Annotated[str | None, typer.Option(
        **FILE, help="Client option file for credentials (default: ~/.my.cnf).")] = None,
    connect_timeout: Annotated[int, typer.Option(help="Seconds to reach the server.")] = 10,
    profile: ProfileOpt = None,
    flavor: Annotated[Flavor | None, typer.Option(
        help="Server flavor (default: from the server's version).", show_default=False)] = None,
    error_log: Annotated[str | None, typer.Option(**FILE, help="Error log (else log_error).")
                         ] = None,
    variables: Annotated[str | None, typer.Option(**FILE, help="Saved SHOW GLOBAL VARIABLES.")
                         ] = None,
    status: Annotated[str | None, typer.Option(**FILE, help="Saved SHOW GLOBAL STATUS.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TEXT,
    rules: RulesOpt = None,
) -> None:
    """Diagnose a running server (or saved --variables/--status): variables by check's rules,
    status, error log (--error-log, else log_error) and drift from PATH files."""
    from mycnf_lint.live.connect import ConnectError, Target
    from mycnf_lint.live.diagnose import DoctorError, DoctorOptions, diagnose, render

    opts = DoctorOptions(
        paths=paths or [], target=Target(host, port, socket, user, password, connect_timeout),
        ask_password=ask and password is None,
        defaults_file=defaults_file, flavor=flavor.value if flavor else None, profile=profile,
        rules_files=[str(r) for r in rules or []], error_log=error_log, variables_file=variables,
        status_file=status)
    try:
        result = diagnose(opts)
    except (ConnectError, DoctorError) as exc:
        fail(str(exc))
    _write(render(result, fmt.value, sys.stdout.isatty()), None)
    raise typer.Exit(result.exit_code)


def run(argv: list[str] | None = None) -> int:
    """Run the command line on `argv` (default: the process's arguments); the exit code.

    Usage errors are one line, like every other error: `mycnf-lint: MESSAGE (see ... --help)`.
    """
    from typer._click.exceptions import ClickException, UsageError  # typer vendors click

    try:
        code = app(args=argv, prog_name="mycnf-lint", standalone_mode=False)
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "mycnf-lint"
        sys.stderr.write(f"mycnf-lint: {exc.format_message()} (see `{where} --help`)\n")
        return EXIT_USAGE
    except ClickException as exc:
        sys.stderr.write(f"mycnf-lint: {exc.format_message()}\n")
        return EXIT_USAGE
    except typer.Abort:
        code = EXIT_INTERRUPTED
    if code == EXIT_INTERRUPTED:
        sys.stderr.write("mycnf-lint: interrupted\n")
    return code if isinstance(code, int) else EXIT_CLEAN


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
