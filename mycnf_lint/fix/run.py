"""`check --fix` and `--diff` as one call: lint, plan, apply in memory pass after pass, then
write the files or print their diff; both come from the same final bytes."""

from __future__ import annotations

from dataclasses import dataclass, field

from mycnf_lint.fix.diff import unified_diff
from mycnf_lint.fix.edits import FileFix
from mycnf_lint.fix.planning import plan
from mycnf_lint.fix.write import write_atomic
from mycnf_lint.lint.pipeline import LintResult, Options, expand_paths, run
from mycnf_lint.reader.includes import overlay, read_bytes

# One pass applies every fix; a fix can make another rule's advice change (an unsafe profile fix
# raises the server's packet limit, then the client's must follow), so a few passes run, in
# memory, until nothing changes.
MAX_FIX_PASSES = 4


class FixError(OSError):
    """A fixed file could not be written; the message names the file."""


@dataclass
class Outcome:
    """What fixing does: the files' old and new bytes, how many fixes, the last lint."""

    files: list[FileFix] = field(default_factory=list)  # one per file, old = as on disk
    fixed: int = 0
    result: LintResult | None = None

    @property
    def changed(self) -> list[FileFix]:
        return [fx for fx in self.files if fx.changed]


def fix_in_memory(paths: list[str], opts: Options, unsafe: bool) -> Outcome:
    """Every pass of fixes applied to the files' text in memory; nothing is written. The rules
    are those `opts` selects."""
    staged: dict[str, bytes] = {}
    if "-" in paths:
        staged["-"] = read_bytes("-")  # stdin is read once, every pass sees the same text
    first: dict[str, FileFix] = {}
    out = Outcome()
    with overlay(staged):
        result = run(paths, opts)
        roots = expand_paths(paths)  # each with its includes: one server's files
        for _ in range(MAX_FIX_PASSES):
            # every file linted is a top file, found in a folder or named (the server-refusal
            # guard is for top files)
            fixes = [fx for fx in plan(result.findings, result.files, unsafe, opts.flavor,
                                       opts.program, roots, roots) if fx.changed]
            if not fixes:
                break
            for fx in fixes:
                old = first.setdefault(fx.path, FileFix(fx.path, fx.old, fx.old))
                old.new = fx.new
                old.applied.extend(fx.applied)
                old.skipped.extend(fx.skipped)
                staged[fx.path] = fx.new
                out.fixed += len(fx.applied)
            result = run(paths, opts)
    out.files = list(first.values())
    out.result = result
    return out


def diff_of(outcome: Outcome) -> bytes:
    """The unified diff of every file the fixes change."""
    return b"".join(unified_diff(fx) for fx in outcome.changed)


def write_all(outcome: Outcome) -> None:
    """Write every changed file, each in one atomic step, unless it changed on disk since it
    was read (fx.old is what was read)."""
    for fx in outcome.changed:
        try:
            write_atomic(fx.path, fx.new, expected=fx.old)
        except OSError as exc:
            raise FixError(f"{exc.filename or fx.path}: cannot write: "
                           f"{exc.strerror or exc}") from None


def fixed_diff(paths: list[str], opts: Options, unsafe: bool) -> bytes:
    """`check --diff`: the diff of what --fix would write, for every file it touches."""
    return diff_of(fix_in_memory(paths, opts, unsafe))


def fix_files(paths: list[str], opts: Options, unsafe: bool) -> tuple[int, LintResult]:
    """`check --fix`: apply the fixes in place; how many were applied and the lint of the
    fixed text."""
    outcome = fix_in_memory(paths, opts, unsafe)
    write_all(outcome)
    assert outcome.result is not None
    return outcome.fixed, outcome.result
