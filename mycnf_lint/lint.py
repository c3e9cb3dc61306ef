"""The pipeline behind `check` and `effective`: paths -> files read -> models -> findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import catalogue as catalogue_mod
from . import model as model_mod
from . import ruleset as ruleset_mod
from .findings import Finding, sort_findings
from .includes import Event, ReadResult, read_tree


@dataclass
class Options:
    """What a check run is asked to do (already merged from config files and the CLI)."""

    flavor: str = catalogue_mod.DEFAULT_FLAVOR
    program: str = "mysqld"
    rules_files: list[str] = field(default_factory=list)


def event_finding(event: Event, rules: ruleset_mod.RuleSet, variable: str | None = None) -> Finding:
    """A reader event -> a finding, its id and severity from the rule data."""
    rule = rules.get(event.rule)
    if rule is None:
        raise KeyError(f"no rule named {event.rule!r} in rules/")
    severity = "error" if event.fatal else rule.severity
    if not event.fatal and severity == "error":
        severity = "warning"
    return Finding(rule.id, rule.name, severity, event.file, event.line, event.column, variable,
                   event.message, event.fatal, rule.fixable)


def read_paths(paths: list[str]) -> list[ReadResult]:
    """Read each path named on the command line with what it includes (ReadError on I/O)."""
    return [read_tree(p) for p in paths]


def reader_findings(m: model_mod.Model, rules: ruleset_mod.RuleSet) -> list[Finding]:
    return [event_finding(e, rules) for e in m.events]


def check(paths: list[str], opts: Options) -> list[Finding]:
    """Every finding for every path, sorted by position."""
    cat = catalogue_mod.load(opts.flavor)
    rules = ruleset_mod.load(opts.rules_files)
    out: list[Finding] = []
    for read in read_paths(paths):
        m = model_mod.build(read, cat, opts.program)
        out.extend(reader_findings(m, rules))
    return sort_findings(out)
