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
from mycnf_lint.reader.includes import Event, read_tree
from mycnf_lint.reader.optionfile import OptionFile

if TYPE_CHECKING:
    from typing import Any


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
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [os.path.join(folder, n) for n in names
                      if n.endswith(OPTION_FILE_SUFFIXES) and n != "mysqld-auto.cnf"]
        out.extend(sorted(found))
    return out


def run(paths: list[str], opts: Options) -> LintResult:
    """Read, evaluate and filter: every finding for every path, sorted by position."""
    from mycnf_lint.lint import engine, suppress, upgrade
    from mycnf_lint.profiles import resolve_profile

    cat = catalogue_mod.load(opts.flavor)
    rules = ruleset_mod.load(opts.rules_files)
    profile = resolve_profile(opts.profile, opts.profile_table)
    findings: list[Finding] = []
    files: list[OptionFile] = []
    for path in expand_paths(paths):
        read = read_tree(path)
        files.extend(read.files)
        server = model_mod.build(read, cat, opts.program)
        found = [event_finding(e, rules) for e in server.events]
        findings.extend(upgrade.attach(found, read, server, cat))
        findings.extend(engine.evaluate(read, server, cat, rules, profile))
    findings = suppress.apply(findings, files, rules)
    findings = selected(findings, opts.select, opts.ignore)
    return LintResult(sort_findings(findings), files, rules)


def check(paths: list[str], opts: Options) -> list[Finding]:
    """Every finding for every path, sorted by position."""
    return run(paths, opts).findings
