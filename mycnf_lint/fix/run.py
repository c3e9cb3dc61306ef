"""`check --fix` and `--diff` as one call: lint, plan the fixes, write them, lint again."""

from __future__ import annotations

from mycnf_lint.fix.fixer import plan, unified_diff, write
from mycnf_lint.lint.pipeline import LintResult, Options, run, selected

# One pass applies every fix; a fix can make another rule's advice change (an unsafe profile fix
# raises the server's packet limit, then the client's must follow), so a few passes run until
# nothing changes.
MAX_FIX_PASSES = 4


class FixError(OSError):
    """A fixed file could not be written; the message names the file."""


def fixed_diff(paths: list[str], opts: Options, chosen: tuple[list[str], list[str]],
               unsafe: bool) -> str:
    """The unified diff of what --fix would change, for every file it touches."""
    result = run(paths, opts)
    findings = selected(result.findings, *chosen)
    fixes = plan(findings, result.files, unsafe, opts.flavor, opts.program, paths)
    return "".join(unified_diff(fx) for fx in fixes if fx.changed)


def fix_files(paths: list[str], opts: Options, chosen: tuple[list[str], list[str]],
              unsafe: bool) -> tuple[int, LintResult]:
    """Apply the fixes in place, pass after pass; how many were applied and the last lint."""
    result = run(paths, opts)
    fixed = 0
    for _ in range(MAX_FIX_PASSES):
        findings = selected(result.findings, *chosen)
        fixes = plan(findings, result.files, unsafe, opts.flavor, opts.program, paths)
        try:
            applied = write(fixes)
        except OSError as exc:
            raise FixError(f"{exc.filename or ''}: cannot write: {exc.strerror or exc}") from None
        if not applied:
            break
        fixed += applied
        result = run(paths, opts)
    return fixed, result
