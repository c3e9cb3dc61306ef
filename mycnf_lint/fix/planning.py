"""Which fixes apply, file by file: findings with edits -> the new text of each file.

A file whose edited text the server would refuse, when the old text was accepted, is left
alone (checked on each file named on the command line).
"""

from __future__ import annotations

from collections.abc import Iterable

from mycnf_lint.findings import Finding
from mycnf_lint.fix.edits import FileFix, apply_edits
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.reader.optionfile import OptionFile


def wanted(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    """Findings whose fix may be applied: safe ones, and unsafe ones when asked."""
    ok = ("safe", "unsafe") if unsafe else ("safe",)
    return [f for f in findings if f.edit is not None and f.fix in ok]


def _fatal(path: str, data: bytes, flavor: str, program: str) -> bool:
    from mycnf_lint.reader import catalogue, model

    m = model.build(read_tree(path, data=data), catalogue.load(flavor), program)
    return m.fatal


def plan(findings: list[Finding], files: list[OptionFile], unsafe: bool, flavor: str,
         program: str = "mysqld", top_files: Iterable[str] = ()) -> list[FileFix]:
    """The new text of every file some wanted fix touches; never one the server refuses
    when it accepted the old text."""
    by_path: dict[str, list[Finding]] = {}
    for f in wanted(findings, unsafe):
        assert f.edit is not None
        by_path.setdefault(f.edit.file, []).append(f)
    tops = set(top_files)
    fixes = []
    seen: set[str] = set()
    for of in files:
        if of.path in seen or of.path not in by_path:
            continue
        seen.add(of.path)
        fx = apply_edits(of, by_path[of.path])
        if fx.changed and of.path in tops and of.path != "-":
            if _fatal(of.path, fx.new, flavor, program) and not _fatal(
                of.path, fx.old, flavor, program
            ):
                fx.skipped.extend((f, "the fixed file would stop the server")
                                  for f in fx.applied)
                fx.applied = []
                fx.new = fx.old
        fixes.append(fx)
    return fixes
