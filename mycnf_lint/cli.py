"""The command line: arguments -> one call into the pipeline -> output and exit code.

Start-up time matters in pre-commit, where `check` runs on every commit: the parser is the
standard library's argparse (importing typer costs 0.85 times yamllint's whole run, click alone
0.57 times), nothing heavy is imported at module level, and each command imports only what it
needs (never rich, jinja2, configupdater, pymysql or pydantic for `check`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from mycnf_lint import __version__
from mycnf_lint.findings import EXIT_CLEAN, EXIT_USAGE

if TYPE_CHECKING:
    from mycnf_lint.config import Config
    from mycnf_lint.lint.ruleset import RuleSet

FLAVOR_HELP = ("server flavor: mysql-5.7, mysql-8.0, mysql-8.4, mariadb-10.6, mariadb-10.11, "
               "mariadb-11.4 (default mysql-8.4)")
PROFILE_HELP = "workload profile: a built-in name (see `profiles`) or a TOML file"
MAX_FIX_PASSES = 4


class Exit(Exception):
    """Leave the command with this exit code (its message, if any, already printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def fail(message: str) -> Exit:
    """Print `mycnf-lint: message` on stderr and return the usage/I-O exit."""
    sys.stderr.write(f"mycnf-lint: {message}\n")
    return Exit(EXIT_USAGE)


def _split(values: list[str] | None) -> list[str] | None:
    """Repeatable comma lists -> one list; None when the option was not given."""
    if not values:
        return None
    return [item.strip() for v in values for item in v.split(",") if item.strip()]


def _config(path: str | None) -> Config:
    from mycnf_lint.config import ConfigError, find, load

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


def _rules(files: list[str] | None) -> RuleSet:
    """The built-in rules and any extra rules files, or a usage error."""
    from mycnf_lint.lint.ruleset import RuleError, load

    try:
        return load(files or [])
    except RuleError as exc:
        raise fail(str(exc)) from None


def check(a: argparse.Namespace) -> int:
    """Report what the server will refuse, skip or change in the files; --fix repairs them."""
    from mycnf_lint.findings import exit_code
    from mycnf_lint.lint.pipeline import Options, run, selected
    from mycnf_lint.lint.ruleset import RuleError
    from mycnf_lint.profiles import ProfileError
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from mycnf_lint.reader.includes import ReadError
    from mycnf_lint.report.formats import FORMATS, render

    cfg = _config(a.config_file)
    fmt = a.fmt or cfg.format or "text"
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    chosen_select = _split(a.select)
    chosen_ignore = _split(a.ignore)
    paths: list[str] = a.paths
    opts = Options(
        flavor=a.flavor or cfg.flavor or DEFAULT_FLAVOR,
        program=a.program,
        rules_files=cfg.rules + (a.rules_files or []),
        profile=a.profile or cfg.profile,
        profile_table=cfg.profile_table,
        # rules are chosen after suppression, so that a suppression of a rule left out of this
        # run is not reported as useless and the suppression rules themselves can be ignored
        select=[],
        ignore=[],
    )
    errors = (ReadError, UnknownFlavor, ProfileError, RuleError)
    try:
        result = run(paths, opts)
    except errors as exc:
        raise fail(str(exc)) from None
    chosen = (chosen_select if chosen_select is not None else cfg.select or [],
              chosen_ignore if chosen_ignore is not None else cfg.ignore or [])
    findings = selected(result.findings, *chosen)
    fixed = 0
    if a.fix or a.diff:
        from mycnf_lint.fix.fixer import plan, unified_diff, write

        if "-" in paths and a.fix and not a.diff:
            raise fail("--fix cannot write to stdin; use --diff")
        fixes = plan(findings, result.files, a.unsafe_fixes, opts.flavor, opts.program, paths)
        if a.diff:
            _write("".join(unified_diff(fx) for fx in fixes if fx.changed), a.output)
            return 1 if any(fx.changed for fx in fixes) else EXIT_CLEAN
        # one pass applies every fix; a fix can make another rule's advice change (an unsafe
        # profile fix raises the server's packet limit, then the client's must follow), so a
        # few passes run until nothing changes
        for _ in range(MAX_FIX_PASSES):
            try:
                applied = write(fixes)
            except OSError as exc:
                raise fail(f"{exc.filename or ''}: cannot write: {exc.strerror or exc}") from None
            if not applied:
                break
            fixed += applied
            try:
                result = run(paths, opts)
            except errors as exc:
                raise fail(str(exc)) from None
            findings = selected(result.findings, *chosen)
            fixes = plan(findings, result.files, a.unsafe_fixes, opts.flavor, opts.program, paths)
        if fixed and not a.quiet:
            sys.stderr.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n")
    is_tty = a.output is None and sys.stdout.isatty()
    _write(render(findings, fmt, result.rules, is_tty, a.quiet), a.output)
    if a.exit_non_zero_on_fix and fixed:
        return 1
    return EXIT_CLEAN if a.exit_zero or cfg.exit_zero else exit_code(findings)


def effective(a: argparse.Namespace) -> int:
    """Show the value the program will use for each option, and the line it comes from."""
    from mycnf_lint.effective import effective_report, render_text
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from mycnf_lint.reader.includes import ReadError

    try:
        report = effective_report(a.paths, a.program, a.flavor or DEFAULT_FLAVOR, a.all)
    except (ReadError, UnknownFlavor) as exc:
        raise fail(str(exc)) from None
    if a.fmt == "json":
        import json

        _write(json.dumps(report, indent=2, ensure_ascii=False) + "\n", None)
    else:
        _write(render_text(report), None)
    return EXIT_CLEAN


def rules_command(a: argparse.Namespace) -> int:
    """List every rule: id, name, severity, whether --fix can fix it, and title."""
    from mycnf_lint.report.rules import rules_json, rules_table

    rules = _rules(a.rules_files)
    _write(rules_json(rules) if a.fmt == "json" else rules_table(rules), None)
    return EXIT_CLEAN


def explain(a: argparse.Namespace) -> int:
    """Explain one rule: what it finds, why it matters, what to do, and whether --fix helps."""
    from mycnf_lint.report.rules import did_you_mean, explain_rule

    rules = _rules(a.rules_files)
    found = rules.get(a.rule)
    if found is None:
        hint = did_you_mean(a.rule, rules)
        raise fail(f"no rule {a.rule!r}" + (f"; did you mean {hint}?" if hint else
                                            "; `mycnf-lint rules` lists them"))
    _write(explain_rule(found), None)
    return EXIT_CLEAN


def profiles_command(a: argparse.Namespace) -> int:
    """List the built-in workload profiles and their values."""
    from mycnf_lint.profiles import ProfileError, builtin_names, resolve_profile
    from mycnf_lint.report.profiles import profiles_json, profiles_text

    try:
        profiles = [resolve_profile(name, None) for name in builtin_names()]
    except ProfileError as exc:
        raise fail(str(exc)) from None
    _write(profiles_json(profiles) if a.fmt == "json" else profiles_text(profiles), None)
    return EXIT_CLEAN


def render_command(a: argparse.Namespace) -> int:
    """Write a production my.cnf for a workload profile, lint-clean under that profile."""
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR
    from mycnf_lint.render import RenderError, render, write_atomic

    cfg = _config(a.config_file)
    profile = a.profile or cfg.profile
    if profile is None and cfg.profile_table is None:
        raise fail("render needs a profile: --profile NAME|FILE, or one in [tool.mycnf-lint]")
    try:
        result = render(profile, a.flavor or cfg.flavor or DEFAULT_FLAVOR, a.sets or [],
                        None if a.profile else cfg.profile_table)
    except RenderError as exc:
        raise fail(str(exc)) from None
    for warning in result.warnings:
        sys.stderr.write(f"mycnf-lint: warning: {warning}\n")
    if a.output is None:
        _write(result.text, None)
        return EXIT_CLEAN
    try:
        write_atomic(a.output, result.text)
    except OSError as exc:
        raise fail(f"{a.output}: cannot write: {exc.strerror or exc}") from None
    return EXIT_CLEAN


class _Parser(argparse.ArgumentParser):
    """argparse with the project's way of reporting usage errors (one line, exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise fail(message)


def _command(sub: argparse._SubParsersAction[_Parser], name: str,
             func: Callable[[argparse.Namespace], int]) -> _Parser:
    doc = (func.__doc__ or "").strip()
    p = sub.add_parser(name, help=doc, description=doc)
    p.set_defaults(func=func)
    return p


def _format(p: _Parser, choices: Sequence[str], default: str | None) -> None:
    p.add_argument("--format", dest="fmt", default=default, choices=choices if default else None,
                   help=f"output format: {', '.join(choices)}")


def parser() -> _Parser:
    """The whole command line."""
    top = _Parser(prog="mycnf-lint",
                  description="Lint, fix and render MySQL and MariaDB option files "
                  "(my.cnf, my.ini).")
    top.add_argument("--version", action="version", version=f"mycnf-lint {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                             prog="mycnf-lint")  # a prog avoids a help formatter (and shutil)

    c = _command(sub, "check", check)
    c.add_argument("paths", nargs="+", metavar="PATH", help="option files ('-' for stdin)")
    c.add_argument("--flavor", help=FLAVOR_HELP)
    c.add_argument("--profile", help=PROFILE_HELP)
    c.add_argument("--program", default="mysqld",
                   help="the program reading the files (default mysqld)")
    c.add_argument("--select", action="append",
                   help="only these rules: ids, names or id prefixes (comma list, repeatable)")
    c.add_argument("--ignore", action="append",
                   help="skip these rules: ids, names or id prefixes (comma list, repeatable)")
    _format(c, ("text", "concise", "json", "sarif", "github"), None)
    c.add_argument("-o", "--output", help="write the report to this file instead of stdout")
    c.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings (2 still means an error)")
    c.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    c.add_argument("--rules", dest="rules_files", action="append", metavar="FILE",
                   help="an extra rules file (repeatable)")
    c.add_argument("--config", dest="config_file", metavar="FILE",
                   help="use this configuration file instead of looking for one")
    c.add_argument("--fix", action="store_true",
                   help="apply safe fixes in place, then report what is left")
    c.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff, also apply fixes that change behaviour "
                   "(see `explain RULE`)")
    c.add_argument("--diff", action="store_true",
                   help="print the fixes as a unified diff and write nothing")
    c.add_argument("--exit-non-zero-on-fix", action="store_true",
                   help="with --fix, exit 1 when anything was fixed")

    e = _command(sub, "effective", effective)
    e.add_argument("paths", nargs="+", metavar="PATH", help="option files, read in order")
    e.add_argument("--program", default="mysqld",
                   help="the program reading the files (default mysqld)")
    e.add_argument("--flavor", help=FLAVOR_HELP)
    _format(e, ("text", "json"), "text")
    e.add_argument("--all", action="store_true", help="also list options left at defaults")

    r = _command(sub, "rules", rules_command)
    _format(r, ("text", "json"), "text")
    r.add_argument("--rules", dest="rules_files", action="append", metavar="FILE",
                   help="an extra rules file (repeatable)")

    x = _command(sub, "explain", explain)
    x.add_argument("rule", help="a rule id (MCL008) or name (unknown-option)")
    x.add_argument("--rules", dest="rules_files", action="append", metavar="FILE",
                   help="an extra rules file (repeatable)")

    p = _command(sub, "profiles", profiles_command)
    _format(p, ("text", "json"), "text")

    g = _command(sub, "render", render_command)
    g.add_argument("--profile", help=PROFILE_HELP + " (default: the configuration's)")
    g.add_argument("--config", dest="config_file", metavar="FILE",
                   help="use this configuration file instead of looking for one")
    g.add_argument("--flavor", help=FLAVOR_HELP)
    g.add_argument("--set", dest="sets", action="append", metavar="VAR=VALUE",
                   help="override one value (repeatable)")
    g.add_argument("-o", "--output", help="write the file here (atomically) instead of stdout")
    return top


def run(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` and run the command; the exit code."""
    top = parser()
    try:
        args = top.parse_args(argv)
        if getattr(args, "func", None) is None:
            top.print_help(sys.stderr)
            return EXIT_USAGE
        code: int = args.func(args)
        return code
    except Exit as done:
        return done.code


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
