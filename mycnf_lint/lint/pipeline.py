"""The pipeline behind `check`: paths -> files read -> models -> rules -> findings.

Data flows one way: read every file (with its includes), build what each program makes of
them, turn reader events and rule verdicts into findings, drop the ones deselected or
suppressed, sort. Formatters, fixes and the CLI only read the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mycnf_lint.findings import Finding, sort_findings
from mycnf_lint.lint import ruleset as ruleset_mod
from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.includes import Event, ReadError, read_tree
from mycnf_lint.reader.optionfile import OptionFile

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
    formats)."""

    findings: list[Finding]
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


def _matches(f: Finding, patterns: list[str]) -> bool:
    for p in patterns:
        p = p.strip()
        if not p:
            continue
        if f.name == p.lower() or f.rule.startswith(p.upper()):
            return True
    return False


def selected(findings: list[Finding], select: list[str], ignore: list[str]) -> list[Finding]:
    """Keep findings matching `select` (all when empty) and not matching `ignore`."""
    out = [f for f in findings if not select or _matches(f, select)]
    return [f for f in out if not _matches(f, ignore)]


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
    if workers > 1:
        findings, marks = _run_parallel(expanded, opts, workers)
        findings = suppress.apply_directives(findings, marks, rules)
        files: list[OptionFile] = []
    else:
        findings = []
        files = []
        for path in expanded:
            found, read = _lint_path(path, cat, rules, profile, opts.program)
            findings.extend(found)
            files.extend(read)
        findings = suppress.apply(findings, files, rules)
    findings = selected(findings, opts.select, opts.ignore)
    return LintResult(sort_findings(findings), files, rules)


def _lint_path(path: str, cat: catalogue_mod.Catalogue, rules: ruleset_mod.RuleSet,
               profile: Profile, program: str) -> tuple[list[Finding], list[OptionFile]]:
    """One path named on the command line: its findings (before suppression) and its files."""
    from mycnf_lint.lint import engine, upgrade

    read = read_tree(path)
    server = model_mod.build(read, cat, program)
    # no name kept for the events' findings: attach replaces most of them
    findings = upgrade.attach([event_finding(e, rules) for e in server.events], read, server, cat)
    findings.extend(engine.evaluate(read, server, cat, rules, profile))
    return findings, read.files


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
    return run(paths, opts).findings
