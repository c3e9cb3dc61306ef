"""The command line: arguments -> one call into the pipeline -> output and exit code.

Start-up time matters in pre-commit: nothing heavy is imported at module level, and `check`
imports only the reader, the rules and the formatter it needs (never rich, jinja2,
configupdater, pymysql or pydantic).
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .findings import EXIT_CLEAN, EXIT_USAGE

if TYPE_CHECKING:
    from .config import Config

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # rich would be imported to show a crash
    help="Lint, fix and render MySQL and MariaDB option files (my.cnf, my.ini).",
    context_settings={"help_option_names": ["-h", "--help"]},
)

FlavorOpt = Annotated[
    str | None,
    typer.Option("--flavor", help="Server flavor: mysql-5.7, mysql-8.0, mysql-8.4, "
                 "mariadb-10.6, mariadb-10.11, mariadb-11.4 (default mysql-8.4)."),
]
FormatOpt = Annotated[str, typer.Option("--format", help="Output format.")]
ListOpt = list[str] | None


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


def _split(values: list[str] | None) -> list[str] | None:
    """Repeatable comma lists -> one list; None when the option was not given."""
    if values is None:
        return None
    return [item.strip() for v in values for item in v.split(",") if item.strip()]


def _config(path: str | None) -> Config:
    from pathlib import Path

    from .config import ConfigError, find, load

    try:
        return load(Path(path)) if path else find()
    except ConfigError as exc:
        raise fail(str(exc)) from None


def _write(text: str, output: str | None) -> None:
    """Write the report to a file or to stdout; characters that are not UTF-8 are escaped."""
    data = text.encode("utf-8", "backslashreplace")
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
        with open(output, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}") from None


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Option files to check ('-' for stdin).")],
    flavor: FlavorOpt = None,
    profile: Annotated[str | None, typer.Option(
        "--profile", help="Workload profile: a built-in name (see `profiles`) or a TOML file.")]
    = None,
    program: Annotated[str, typer.Option("--program", help="The program reading the files.")]
    = "mysqld",
    select: Annotated[ListOpt, typer.Option(
        "--select", help="Only these rules: ids, names or id prefixes (comma list, repeatable).")]
    = None,
    ignore: Annotated[ListOpt, typer.Option(
        "--ignore", help="Skip these rules: ids, names or id prefixes (comma list, repeatable).")]
    = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="Output format: text, concise, json, sarif or github.")] = None,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", help="Write the report to this file instead of stdout.")] = None,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Exit 0 even when there are findings (2 still means an error).")]
    = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No summary line.")] = False,
    rules_files: Annotated[ListOpt, typer.Option(
        "--rules", help="An extra rules file (repeatable).")] = None,
    config_file: Annotated[str | None, typer.Option(
        "--config", help="Use this configuration file instead of looking for one.")] = None,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Apply safe fixes in place, then report what is left.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option(
        "--unsafe-fixes", help="With --fix or --diff, also apply fixes that change behaviour "
        "(see `explain RULE`).")] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print the fixes as a unified diff and write nothing.")] = False,
    exit_non_zero_on_fix: Annotated[bool, typer.Option(
        "--exit-non-zero-on-fix", help="With --fix, exit 1 when anything was fixed.")] = False,
) -> None:
    """Report what the server will refuse, skip or change in the files; --fix repairs them."""
    from .catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from .findings import exit_code
    from .formats import FORMATS, render
    from .includes import ReadError
    from .lint import Options, run, selected
    from .profiles import ProfileError
    from .ruleset import RuleError
    from .ruleset import load as load_rules

    cfg = _config(config_file)
    fmt = fmt or cfg.format or "text"
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    chosen_select = _split(select)
    chosen_ignore = _split(ignore)
    opts = Options(
        flavor=flavor or cfg.flavor or DEFAULT_FLAVOR,
        program=program,
        rules_files=cfg.rules + (rules_files or []),
        profile=profile or cfg.profile,
        profile_table=cfg.profile_table,
        # rules are chosen after suppression, so that a suppression of a rule left out of this
        # run is not reported as useless and the suppression rules themselves can be ignored
        select=[],
        ignore=[],
    )
    try:
        result = run(paths, opts)
        rules = load_rules(opts.rules_files)
    except (ReadError, UnknownFlavor, ProfileError, RuleError) as exc:
        raise fail(str(exc)) from None
    chosen = (chosen_select if chosen_select is not None else cfg.select or [],
              chosen_ignore if chosen_ignore is not None else cfg.ignore or [])
    findings = selected(result.findings, *chosen)
    fixed = 0
    if fix or diff:
        from .fix import plan, unified_diff, write

        if "-" in paths and fix and not diff:
            raise fail("--fix cannot write to stdin; use --diff")
        fixes = plan(findings, result.files, unsafe_fixes, opts.flavor, opts.program, paths)
        if diff:
            _write("".join(unified_diff(fx) for fx in fixes if fx.changed), output)
            raise typer.Exit(1 if any(fx.changed for fx in fixes) else EXIT_CLEAN)
        try:
            fixed = write(fixes)
        except OSError as exc:
            raise fail(f"{exc.filename or ''}: cannot write: {exc.strerror or exc}") from None
        if fixed:
            try:
                result = run(paths, opts)
            except (ReadError, UnknownFlavor, ProfileError, RuleError) as exc:
                raise fail(str(exc)) from None
            findings = selected(result.findings, *chosen)
            if not quiet:
                typer.echo(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.", err=True)
    is_tty = output is None and sys.stdout.isatty()
    _write(render(findings, fmt, rules, is_tty, quiet), output)
    zero = exit_zero or bool(cfg.exit_zero)
    if exit_non_zero_on_fix and fixed:
        raise typer.Exit(1)
    raise typer.Exit(EXIT_CLEAN if zero else exit_code(findings))


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


@app.command("rules")
def rules_command(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    rules_files: Annotated[ListOpt, typer.Option(
        "--rules", help="An extra rules file (repeatable).")] = None,
) -> None:
    """List every rule: id, name, severity, whether --fix can fix it, and title."""
    from .formats.rules import rules_json, rules_table
    from .ruleset import RuleError, load

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}: choose text or json")
    try:
        rules = load(rules_files or [])
    except RuleError as exc:
        raise fail(str(exc)) from None
    _write(rules_json(rules) if fmt == "json" else rules_table(rules), None)


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id (MCL008) or name (unknown-option).")],
    rules_files: Annotated[ListOpt, typer.Option(
        "--rules", help="An extra rules file (repeatable).")] = None,
) -> None:
    """Explain one rule: what it finds, why it matters, what to do, and whether --fix helps."""
    from .formats.rules import did_you_mean, explain_rule
    from .ruleset import RuleError, load

    try:
        rules = load(rules_files or [])
    except RuleError as exc:
        raise fail(str(exc)) from None
    found = rules.get(rule)
    if found is None:
        hint = did_you_mean(rule, rules)
        raise fail(f"no rule {rule!r}" + (f"; did you mean {hint}?" if hint else
                                          "; `mycnf-lint rules` lists them"))
    _write(explain_rule(found), None)


@app.command("profiles")
def profiles_command(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List the built-in workload profiles and their values."""
    from .formats.profiles import profiles_json, profiles_text
    from .profiles import ProfileError, builtin_names, resolve_profile

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}: choose text or json")
    try:
        profiles = [resolve_profile(name, None) for name in builtin_names()]
    except ProfileError as exc:
        raise fail(str(exc)) from None
    _write(profiles_json(profiles) if fmt == "json" else profiles_text(profiles), None)


@app.command("render")
def render_command(
    profile: Annotated[str, typer.Option(
        "--profile", help="Workload profile: a built-in name (see `profiles`) or a TOML file.")],
    flavor: FlavorOpt = None,
    sets: Annotated[ListOpt, typer.Option(
        "--set", help="Override one value: VAR=VALUE (repeatable).")] = None,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", help="Write the file here (atomically) instead of stdout.")] = None,
) -> None:
    """Write a production my.cnf for a workload profile, lint-clean under that profile."""
    from .catalogue import DEFAULT_FLAVOR
    from .render import RenderError, render, write_atomic

    try:
        result = render(profile, flavor or DEFAULT_FLAVOR, sets or [])
    except RenderError as exc:
        raise fail(str(exc)) from None
    for warning in result.warnings:
        typer.echo(f"mycnf-lint: warning: {warning}", err=True)
    if output is None:
        _write(result.text, None)
        return
    try:
        write_atomic(output, result.text)
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}") from None


def main() -> None:
    """Console-script entry point."""
    app(prog_name="mycnf-lint")
