"""`mycnf-lint check`: lint the files, or fix them (--fix) or show the fix (--diff)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from mycnf_lint.commands.common import (
    ConfigOpt,
    FlavorOpt,
    Format,
    ProfileOpt,
    ProgramOpt,
    RulesOpt,
    fail,
    load_config,
    split,
    write,
)
from mycnf_lint.findings import EXIT_CLEAN, EXIT_FINDINGS


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
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, metavar="N",
        help="Processes for many files (0: every core); the output is the same with any number.")
    ] = 0,
) -> None:
    """Report what the server will refuse, skip or change in the files; --fix repairs them."""
    from mycnf_lint.findings import exit_code
    from mycnf_lint.lint.pipeline import Options, run
    from mycnf_lint.lint.ruleset import RuleError
    from mycnf_lint.profiles import ProfileError
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from mycnf_lint.reader.includes import ReadError
    from mycnf_lint.report.formats import chunks

    cfg = load_config(config)
    chosen_format = fmt.value if fmt else cfg.format or "text"
    s, i = split(select), split(ignore)
    chosen = (s if s is not None else cfg.select or [], i if i is not None else cfg.ignore or [])
    opts = Options(
        flavor=flavor.value if flavor else cfg.flavor or DEFAULT_FLAVOR,
        program=program,
        rules_files=cfg.rules + [str(r) for r in rules or []],
        profile=profile or cfg.profile,
        profile_table=cfg.profile_table,
        # the pipeline chooses rules after suppression, so that a suppression of a rule left out
        # of this run is not reported as useless and the suppression rules can be ignored
        select=chosen[0],
        ignore=chosen[1],
        jobs=1 if fix or diff else jobs,  # fixes need the files, which a pool does not send back
    )
    if fix and not diff and "-" in paths:
        fail("--fix cannot write to stdin; use --diff")
    fixed = 0
    try:
        if diff:
            from mycnf_lint.fix.run import fixed_diff

            patch = fixed_diff(paths, opts, unsafe_fixes)
            write(patch, output)
            raise typer.Exit(EXIT_FINDINGS if patch else EXIT_CLEAN)
        if fix:
            from mycnf_lint.fix.run import fix_files

            fixed, result = fix_files(paths, opts, unsafe_fixes)
        else:
            result = run(paths, opts)
    except (ReadError, UnknownFlavor, ProfileError, RuleError, OSError) as exc:
        fail(str(exc))
    findings = result.findings  # chosen already, and read once here (a huge run: one pass)
    if fixed and not quiet:
        sys.stderr.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.\n")
    is_tty = output is None and sys.stdout.isatty()
    write(chunks(findings, chosen_format, result.rules, is_tty, quiet), output)
    if exit_non_zero_on_fix and fixed:
        raise typer.Exit(EXIT_FINDINGS)
    raise typer.Exit(EXIT_CLEAN if exit_zero or cfg.exit_zero else exit_code(findings))
