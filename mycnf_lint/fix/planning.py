"""Which fixes apply, file by file: findings with edits -> the new text of each file.

A file whose edited text the server would refuse, when the old text was accepted, is left
alone: checked through every file linted (named or found in a folder) that reads it, itself or
through an include.

Every fix of a pass is planned from the text before the pass. A fix worked out from other
settings (`Edit.inputs`: net_write_timeout from net_read_timeout) waits for the next pass when
another fix of the same pass changes one of them, and is planned again from the new value
there; fixes that wait on each other go one at a time, the first in file order first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mycnf_lint.findings import Finding
from mycnf_lint.fix.edits import FileFix, apply_edits
from mycnf_lint.reader.catalogue import normalize
from mycnf_lint.reader.includes import first_by_path, overlay, read_tree
from mycnf_lint.reader.optionfile import Kind, OptionFile


def wanted(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    """Findings whose fix may be applied: safe ones, and unsafe ones when asked."""
    ok = ("safe", "unsafe") if unsafe else ("safe",)
    return [f for f in findings if f.edit is not None and f.fix in ok]


def _refused(top: OptionFile, changes: dict[str, bytes], flavor: str, program: str) -> bool:
    """Whether the server refuses the files read from `top` with `changes` in place of some
    files' text."""
    from mycnf_lint.reader import catalogue, model

    with overlay(changes):
        read = read_tree(top.path, data=changes.get(top.path, top.data))
    return model.build(read, catalogue.load(flavor), program).fatal


def _names(name: str) -> set[str]:
    """The server variables an option name may set: loose-, skip-, enable- and disable- taken
    off, replica_ standing for slave_ (more names than it sets only make a fix wait a pass)."""
    n = normalize(name).removeprefix("loose_")
    out = {n} | {n[len(p):] for p in ("skip_", "enable_", "disable_") if n.startswith(p)}
    return {"replica_" + x[6:] if x.startswith("slave_") else x for x in out}


def _changes(f: Finding, by_path: dict[str, OptionFile], groups: set[str]) -> set[str]:
    """The server variables the fix of `f` writes or takes away."""
    e = f.edit
    assert e is not None
    if e.action == "add-option":
        return _names(e.name) if (e.group or "mysqld").lower() in groups else set()
    of = by_path.get(e.file)
    ln = of.line(e.line) if of is not None else None
    if ln is None or ln.kind is not Kind.OPTION or not ((ln.group or "").lower() in groups or (
            e.action == "move-to-group" and e.group.lower() in groups)):
        return set()
    out = _names(ln.key)
    if e.action in ("rename", "replace-option"):
        out |= _names(e.name)
    for name, _ in e.extra:
        out |= _names(name)
    return out


def _trees(files: list[OptionFile], roots: Sequence[str]) -> dict[str, set[int]]:
    """Each file's path -> the trees that read it, numbered by their root (the files of
    each root, root first, follow each other in `files`); one tree when the roots are not
    known."""
    out: dict[str, set[int]] = {}
    k = 0
    for of in files:
        if k < len(roots) and of.path == roots[k]:
            k += 1
        out.setdefault(of.path, set()).add(k)
    return out


def waiting(fixes: list[Finding], changers: list[Finding], files: list[OptionFile],
            flavor: str, program: str, roots: Sequence[str] = ()) -> set[int]:
    """The ids of the `fixes` that wait for the next pass: another fix among `changers`
    changes, in a file the same server reads (a tree of `roots`), a setting they were worked
    out from. Where fixes wait on each other (two fixes of net_write_timeout), the first of
    them in file order goes ahead."""
    needs = [f for f in fixes if f.edit is not None and f.edit.inputs]
    if not needs or not changers:
        return set()
    from mycnf_lint.reader import catalogue
    from mycnf_lint.reader.groups import groups_for

    groups = set(groups_for(program, catalogue.load(flavor)))
    by_path = first_by_path(files)
    trees = _trees(files, roots)
    by_name: dict[tuple[int, str], list[int]] = {}
    for g in changers:
        assert g.edit is not None
        for n in _changes(g, by_path, groups):
            for t in trees.get(g.edit.file, {0}):
                by_name.setdefault((t, n), []).append(id(g))
    blockers: dict[int, set[int]] = {}
    for f in needs:
        assert f.edit is not None
        got = {j for t in trees.get(f.edit.file, {0}) for n in f.edit.inputs
               for j in by_name.get((t, _canon(n)), ()) if j != id(f)}
        if got:
            blockers[id(f)] = got
    order = {id(f): i for i, f in enumerate(fixes)}
    seen: dict[int, set[int]] = {}

    def before(i: int) -> set[int]:  # every fix that, through others, changes i's inputs
        if i not in seen:
            out: set[int] = set()
            todo = [i]
            while todo:
                for j in blockers.get(todo.pop(), ()):
                    if j not in out:
                        out.add(j)
                        todo.append(j)
            seen[i] = out
        return seen[i]

    wait = set()
    for i in blockers:
        up = before(i)
        # i goes ahead only as the first of a ring of fixes nothing outside the ring changes
        ring = i in up and all(i in before(j) for j in up)
        if not ring or min(up, key=lambda j: order.get(j, len(order))) != i:
            wait.add(i)
    return wait


def _canon(name: str) -> str:
    n = normalize(name)
    return "replica_" + n[6:] if n.startswith("slave_") else n


def plan(findings: Iterable[Finding], files: list[OptionFile], unsafe: bool, flavor: str,
         program: str = "mysqld", top_files: Iterable[str] = (),
         roots: Sequence[str] = ()) -> list[FileFix]:
    """The new text of every file some wanted fix touches; never one the server refuses
    when it accepted the old text. A fix whose inputs another fix of this pass changes is
    left for the next pass (see `waiting`; `roots`: the files linted, in order, each with the
    files it includes); a fix that cannot be applied changes nothing, so nothing waits for
    it."""
    fixes = wanted(findings, unsafe)
    unapplied: set[int] = set()
    while True:
        wait = waiting(fixes, [f for f in fixes if id(f) not in unapplied], files, flavor,
                       program, roots)
        planned = _plan_files([f for f in fixes if id(f) not in wait], files, flavor,
                              program, top_files, roots)
        applied = {id(f) for fx in planned for f in fx.applied}
        missed = {id(f) for f in fixes if id(f) not in wait and id(f) not in applied}
        if missed <= unapplied or not wait:
            return planned
        unapplied |= missed


def _plan_files(chosen: list[Finding], files: list[OptionFile], flavor: str, program: str,
                top_files: Iterable[str], roots: Sequence[str]) -> list[FileFix]:
    """Each file's new text with the `chosen` fixes applied."""
    by_path: dict[str, list[Finding]] = {}
    for f in chosen:
        assert f.edit is not None
        by_path.setdefault(f.edit.file, []).append(f)
    tops = set(top_files)
    trees = _trees(files, roots)
    first = first_by_path(files)
    fixes = []
    seen: set[str] = set()
    for of in files:
        if of.path in seen or of.path not in by_path:
            continue
        seen.add(of.path)
        fx = apply_edits(of, by_path[of.path])
        readers = [roots[k - 1] for k in trees.get(of.path, ()) if k > 0]
        readers += [of.path] if of.path in tops and of.path not in readers else []
        if fx.changed and of.path != "-" and any(
            _refused(first[top], {of.path: fx.new}, flavor, program)
            and not _refused(first[top], {}, flavor, program)
            for top in readers if top in first
        ):
            fx.skipped.extend((f, "the fixed file would stop the server") for f in fx.applied)
            fx.applied = []
            fx.new = fx.old
        fixes.append(fx)
    return fixes
