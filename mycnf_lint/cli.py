"""The command line: arguments -> one call into the pipeline -> output and exit code.

Start-up time matters in pre-commit: nothing heavy is imported at module level, and `check`
imports only the reader, the rules and the formatter it needs (never rich, jinja2,
configupdater, pymysql or pydantic).
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import click
from click.exceptions import Exit

from . import __version__
from .findings import EXIT_CLEAN, EXIT_USAGE

if TYPE_CHECKING:
    from .config import Config

# click rather than typer: typer's import alone costs more than yamllint's whole run, and
# `check` runs in every pre-commit; the commands below are plain click commands.
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FLAVOR_HELP = ("Server flavor: mysql-5.7, mysql-8.0, mysql-8.4, mariadb-10.6, mariadb-10.11, "
               "mariadb-11.4 (default mysql-8.4).")


@click.group(context_settings=CONTEXT, no_args_is_help=True)
@click.version_option(__version__, "--version", prog_name="mycnf-lint",
                      message="%(prog)s %(version)s")
def app() -> None:
    """Lint, fix and render MySQL and MariaDB option files (my.cnf, my.ini)."""


def fail(message: str) -> Exit:
    """Print `mycnf-lint: message` on stderr and return the usage/I-O exit."""
    click.echo(f"mycnf-lint: {message}", err=True)
    return Exit(EXIT_USAGE)


def _split(values: list[str] | None) -> list[str] | None:
    """Repeatable comma lists -> one list; None when the option was not given."""
    if values is None:
        return None
    return [item.strip() for v in values for item in v.split(",") if item.strip()]


def _config(path: str | None) -> Config:
    from .config import ConfigError, find, load

    try:
        return load(path) if path else find()
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


@app.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("--flavor", default=None, help=FLAVOR_HELP)
@click.option("--profile", default=None,
              help="Workload profile: a built-in name (see `profiles`) or a TOML file.")
@click.option("--program", default="mysqld", show_default=True,
              help="The program reading the files.")
@click.option("--select", multiple=True,
              help="Only these rules: ids, names or id prefixes (comma list, repeatable).")
@click.option("--ignore", multiple=True,
              help="Skip these rules: ids, names or id prefixes (comma list, repeatable).")
@click.option("--format", "fmt", default=None,
              help="Output format: text, concise, json, sarif or github.")
@click.option("-o", "--output", default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when there are findings (2 still means an error).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@click.option("--rules", "rules_files", multiple=True, help="An extra rules file (repeatable).")
@click.option("--config", "config_file", default=None,
              help="Use this configuration file instead of looking for one.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff, also apply fixes that change behaviour "
              "(see `explain RULE`).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing.")
@click.option("--exit-non-zero-on-fix", is_flag=True,
              help="With --fix, exit 1 when anything was fixed.")
def check(paths: tuple[str, ...], flavor: str | None, profile: str | None, program: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fmt: str | None,
          output: str | None, exit_zero: bool, quiet: bool, rules_files: tuple[str, ...],
          config_file: str | None, fix: bool, unsafe_fixes: bool, diff: bool,
          exit_non_zero_on_fix: bool) -> None:
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
    chosen_select = _split(list(select) or None)
    chosen_ignore = _split(list(ignore) or None)
    paths_list = list(paths)
    opts = Options(
        flavor=flavor or cfg.flavor or DEFAULT_FLAVOR,
        program=program,
        rules_files=cfg.rules + list(rules_files),
        profile=profile or cfg.profile,
        profile_table=cfg.profile_table,
        # rules are chosen after suppression, so that a suppression of a rule left out of this
        # run is not reported as useless and the suppression rules themselves can be ignored
        select=[],
        ignore=[],
    )
    try:
        result = run(paths_list, opts)
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
        fixes = plan(findings, result.files, unsafe_fixes, opts.flavor, opts.program, paths_list)
        if diff:
            _write("".join(unified_diff(fx) for fx in fixes if fx.changed), output)
            raise Exit(1 if any(fx.changed for fx in fixes) else EXIT_CLEAN)
        try:
            fixed = write(fixes)
        except OSError as exc:
            raise fail(f"{exc.filename or ''}: cannot write: {exc.strerror or exc}") from None
        if fixed:
            try:
                result = run(paths_list, opts)
            except (ReadError, UnknownFlavor, ProfileError, RuleError) as exc:
                raise fail(str(exc)) from None
            findings = selected(result.findings, *chosen)
            if not quiet:
                click.echo(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.", err=True)
    is_tty = output is None and sys.stdout.isatty()
    _write(render(findings, fmt, rules, is_tty, quiet), output)
    zero = exit_zero or bool(cfg.exit_zero)
    if exit_non_zero_on_fix and fixed:
        raise Exit(1)
    raise Exit(EXIT_CLEAN if zero else exit_code(findings))


@app.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@click.option("--program", default="mysqld", show_default=True,
              help="The program reading the files.")
@click.option("--flavor", default=None, help=FLAVOR_HELP)
@click.option("--format", "fmt", default="text", show_default=True, help="text or json.")
@click.option("--all", "all_", is_flag=True, help="Also list options left at defaults.")
def effective(paths: tuple[str, ...], program: str, flavor: str | None, fmt: str,
              all_: bool) -> None:
    """Show the value the program will use for each option, and the line it comes from."""
    from .catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from .effective import effective_report, render_text
    from .includes import ReadError

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}: choose text or json")
    try:
        report = effective_report(list(paths), program, flavor or DEFAULT_FLAVOR, all_)
    except (ReadError, UnknownFlavor) as exc:
        raise fail(str(exc)) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(report))


@app.command("rules", context_settings=CONTEXT)
@click.option("--format", "fmt", default="text", show_default=True, help="text or json.")
@click.option("--rules", "rules_files", multiple=True, help="An extra rules file (repeatable).")
def rules_command(fmt: str, rules_files: tuple[str, ...]) -> None:
    """List every rule: id, name, severity, whether --fix can fix it, and title."""
    from .formats.rules import rules_json, rules_table
    from .ruleset import RuleError, load

    if fmt not in ("text", "json"):
        raise fail(f"unknown format {fmt!r}: choose text or json")
    try:
        rules = load(list(rules_files))
    except RuleError as exc:
        raise fail(str(exc)) from None
    _write(rules_json(rules) if fmt == "json" else rules_table(rules), None)


@app.command(context_settings=CONTEXT)
@click.argument("rule")
@click.option("--rules", "rules_files", multiple=True, help="An extra rules file (repeatable).")
def explain(rule: str, rules_files: tuple[str, ...]) -> None:
    """Explain one rule: what it finds, why it matters, what to do, and whether --fix helps."""
    from .formats.rules import did_you_mean, explain_rule
    from .ruleset import RuleError, load

    try:
        rules = load(list(rules_files))
    except RuleError as exc:
        raise fail(str(exc)) from None
    found = rules.get(rule)
    if found is None:
        hint = did_you_mean(rule, rules)
        raise fail(f"no rule {rule!r}" + (f"; did you mean {hint}?" if hint else
                                          "; `mycnf-lint rules` lists them"))
    _write(explain_rule(found), None)


@app.command("profiles", context_settings=CONTEXT)
@click.option("--format", "fmt", default="text", show_default=True, help="text or json.")
def profiles_command(fmt: str) -> None:
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


@app.command("render", context_settings=CONTEXT)
@click.option("--profile", required=True,
              help="Workload profile: a built-in name (see `profiles`) or a TOML file.")
@click.option("--flavor", default=None, help=FLAVOR_HELP)
@click.option("--set", "sets", multiple=True, help="Override one value: VAR=VALUE (repeatable).")
@click.option("-o", "--output", default=None,
              help="Write the file here (atomically) instead of stdout.")
def render_command(profile: str, flavor: str | None, sets: tuple[str, ...],
                   output: str | None) -> None:
    """Write a production my.cnf for a workload profile, lint-clean under that profile."""
    from .catalogue import DEFAULT_FLAVOR
    from .render import RenderError, render, write_atomic

    try:
        result = render(profile, flavor or DEFAULT_FLAVOR, list(sets))
    except RenderError as exc:
        raise fail(str(exc)) from None
    for warning in result.warnings:
        click.echo(f"mycnf-lint: warning: {warning}", err=True)
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
