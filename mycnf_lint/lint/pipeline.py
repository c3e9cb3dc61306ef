"""The pipeline behind `check`: paths -> files read -> models -> rules -> findings.

Data flows one way: read every file (with its includes), build what each program makes of
them, turn reader events and rule verdicts into findings, drop the ones deselected or
suppressed, sort. The findings flow one at a time from the reader's events and the rules
through the fixes attached, suppression and the selection into a store (store.py), so no stage
holds them all twice. Formatters, fixes and the CLI only read the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mycnf_lint.findings import Finding
from mycnf_lint.lint import ruleset as ruleset_mod
from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.includes import Event, ReadError, ReadResult, read_tree
from mycnf_lint.reader.optionfile import OptionFile
from mycnf_lint.store import FindingStore

if TYPE_CHECKING:
    from typing import Any

    from mycnf_lint.lint.suppress import Suppression
    from mycnf_lint.profiles import Profile


@dataclass
class Options:
    """What a check run is asked to do (already merged from config files and the CLI)."""

    flavor: str = catalogue_mod.DEFAULT_FLAVOR
    program: str = "mysqld"
    rules_files: list[str] = field(default_factory=list)
    profile: str | None = None  # a built-in profile name or a TOML file
    profile_table: dict[str, Any] | None = None  # [tool.mycnf-lint.profile] from a config file
    select: list[str] = field(default_factory=list)  # rule ids, names or id prefixes ("MCL1")
    ignore: list[str] = field(default_factory=list)
    # processes for many paths (0: every core); a run spread over processes keeps no files in
    # its result (fixes need them: they run with 1)
    jobs: int = 1


@dataclass
class LintResult:
    """Findings, every file read to get them (for fixes) and the rules in force (for
    formats). The findings are a list, or for very many a view that makes them from a compact
    store as they are read (store.Ordered)."""

    findings: Sequence[Finding]
    files: list[OptionFile]
    rules: ruleset_mod.RuleSet


def event_finding(event: Event, rules: ruleset_mod.RuleSet, variable: str | None = None) -> Finding:
    """A reader event -> a finding, its id and severity from the rule data."""
    rule = rules.get(event.rule)
    if rule is None:
        raise KeyError(f"no rule named {event.rule!r} in rules/")
    severity = "error" if event.fatal else rule.severity
    return Finding(rule.id, rule.name, severity, event.file, event.line, event.column,
                   variable or event.variable, event.message, event.fatal,
                   rule.fixable if event.edit else None, event.edit)


def _matcher(patterns: list[str]) -> Callable[[Finding], bool]:
    """Whether a finding's rule is named by one of `patterns` (a name, an id or an id prefix)."""
    cleaned = [p.strip() for p in patterns if p.strip()]
    names = {p.lower() for p in cleaned}
    prefixes = tuple(p.upper() for p in cleaned)
    return lambda f: f.name in names or f.rule.startswith(prefixes)


def chooser(select: list[str], ignore: list[str]) -> Callable[[Finding], bool] | None:
    """Whether a finding is kept: it matches `select` (all when empty) and not `ignore`; None
    when every finding is."""
    if not any(p.strip() for p in select) and not any(p.strip() for p in ignore):
        return None if not select else lambda f: False
    wanted = _matcher(select) if select else None
    unwanted = _matcher(ignore)
    return lambda f: (wanted is None or wanted(f)) and not unwanted(f)


def selected(findings: Iterable[Finding], select: list[str], ignore: list[str]
             ) -> list[Finding]:
    """Keep findings matching `select` (all when empty) and not matching `ignore`."""
    keep = chooser(select, ignore)
    return list(findings) if keep is None else [f for f in findings if keep(f)]


OPTION_FILE_SUFFIXES = (".cnf", ".ini")


def expand_paths(paths: list[str]) -> list[str]:
    """Folders named on the command line stand for the option files (*.cnf, *.ini) below
    them, in name order; files and '-' are taken as they are."""
    import os

    out: list[str] = []
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            out.append(path)
            continue
        found = []

        def unreadable(exc: OSError) -> None:  # a folder below that cannot be listed
            raise ReadError(f"{exc.filename}: cannot read: {exc.strerror or exc}")

        for folder, dirs, names in os.walk(path, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [os.path.join(folder, n) for n in names
                      if n.endswith(OPTION_FILE_SUFFIXES) and n != "mysqld-auto.cnf"]
        out.extend(sorted(found))
    return out


def run(paths: list[str], opts: Options) -> LintResult:
    """Read, evaluate and filter: every finding for every path, sorted by position."""
    from mycnf_lint.lint import suppress
    from mycnf_lint.profiles import resolve_profile

    cat = catalogue_mod.load(opts.flavor)
    rules = ruleset_mod.load(opts.rules_files)
    profile = resolve_profile(opts.profile, opts.profile_table)
    expanded = expand_paths(paths)
    workers = _workers(opts.jobs, expanded)
    store = FindingStore()
    sup = suppress.Filter(rules)
    keep = chooser(opts.select, opts.ignore)
    files: list[OptionFile] = []
    if workers > 1:
        found, marks = _run_parallel(expanded, opts, workers)
        for path, directives in marks:
            sup.add(path, directives)
        store.extend(_chosen(sup.kept(found), keep))
        del found
    else:
        for path in expanded:
            read, findings = _findings(path, cat, rules, profile, opts.program)
            sup.add_files(read.files)  # before the findings in them pass
            store.extend(_chosen(sup.kept(findings), keep))
            files.extend(read.files)
    store.extend(_chosen(sup.reports(), keep))
    return LintResult(store.ordered(), files, rules)


def _chosen(findings: Iterable[Finding], keep: Callable[[Finding], bool] | None
            ) -> Iterable[Finding]:
    return findings if keep is None else filter(keep, findings)


def _findings(path: str, cat: catalogue_mod.Catalogue, rules: ruleset_mod.RuleSet,
              profile: Profile, program: str) -> tuple[ReadResult, Iterator[Finding]]:
    """One path named on the command line: its files read, and its findings (before
    suppression) as they are made: the reader's events with their fixes, then the rules'."""
    from itertools import chain

    from mycnf_lint.lint import engine, upgrade

    read = read_tree(path)
    server = model_mod.build(read, cat, program)
    events = (event_finding(e, rules) for e in server.events)
    return read, chain(upgrade.attach(events, read, server, cat),
                       engine.findings(read, server, cat, rules, profile))


def _lint_path(path: str, cat: catalogue_mod.Catalogue, rules: ruleset_mod.RuleSet,
               profile: Profile, program: str) -> tuple[list[Finding], list[OptionFile]]:
    """One path's findings (before suppression) in a list, and its files."""
    read, findings = _findings(path, cat, rules, profile, program)
    return list(findings), read.files


# a process pool pays for itself from about this many files a process (fork, result pickling)
MIN_PATHS_PER_PROCESS = 40
CHUNKS_PER_PROCESS = 4  # contiguous slices of the paths, so a slow slice does not hold a core


def _workers(jobs: int, paths: list[str]) -> int:
    """How many processes to use: 1 unless there are enough paths (and none is stdin)."""
    if jobs == 1 or "-" in paths or len(paths) < 2 * MIN_PATHS_PER_PROCESS:
        return 1
    from mycnf_lint.reader.host import cpu_count  # the CPUs this process may run on

    wanted = jobs if jobs > 1 else cpu_count()
    return max(1, min(wanted, len(paths) // MIN_PATHS_PER_PROCESS))


def _run_parallel(paths: list[str], opts: Options, workers: int
                  ) -> tuple[list[Finding], list[tuple[str, list[Suppression]]]]:
    """The paths in contiguous slices over a process pool, results in the paths' order: the
    findings, and each file's suppression directives (files themselves cost too much to send)."""
    import multiprocessing

    size = -(-len(paths) // (workers * CHUNKS_PER_PROCESS))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    findings: list[Finding] = []
    marks: list[tuple[str, list[Suppression]]] = []
    with ctx.Pool(workers, initializer=_worker_signals) as pool:
        for found, chunk_marks in pool.imap(_lint_chunk, [(c, opts) for c in chunks]):
            findings.extend(found)
            marks.extend(chunk_marks)
        pool.close()  # workers leave when done; on an error, leaving the block terminates them
        pool.join()
    return findings, marks


def _worker_signals() -> None:
    """Signals are the parent's business: a worker ignores Ctrl-C (the parent stops and ends
    the pool) and dies quietly when the pool ends it, whatever handlers it inherited."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _lint_chunk(job: tuple[list[str], Options]
                ) -> tuple[list[Finding], list[tuple[str, list[Suppression]]]]:
    """A worker's slice: findings before suppression, and the directives of every file read."""
    from mycnf_lint.lint.suppress import directives
    from mycnf_lint.profiles import resolve_profile

    paths, opts = job
    cat = catalogue_mod.load(opts.flavor)  # cached: a forked worker inherits them loaded
    rules = ruleset_mod.load(opts.rules_files)
    profile = resolve_profile(opts.profile, opts.profile_table)
    findings: list[Finding] = []
    marks: list[tuple[str, list[Suppression]]] = []
    for path in paths:
        found, files = _lint_path(path, cat, rules, profile, opts.program)
        findings.extend(found)
        marks.extend((of.path, directives(of, rules)) for of in files)
    return findings, marks


def check(paths: list[str], opts: Options) -> list[Finding]:
    """Every finding for every path, sorted by position."""
    return list(run(paths, opts).findings)
