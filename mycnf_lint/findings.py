"""The finding record every stage produces and every formatter reads; severities; exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

SEVERITIES = ("error", "warning", "info")
# an option name a message quotes whole: the longest known (60 characters) with loose-/skip-
NAME_LIMIT = 80
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Edit:
    """What a fix does, as data: one change to one line (or one addition to a group)."""

    # "set-value" | "quote-value" (value and inline comment become `value`) | "rename" |
    # "replace-option" (name and value) | "semicolon-comment" | "drop-bom" | "add-option" |
    # "delete-line" | "comment-out" (value: the note) | "move-to-group" (to `group`)
    action: str
    file: str
    line: int  # the line to change; for add-option, the line to insert after (0: none)
    name: str = ""  # the option's name as the edit should write it
    value: str = ""  # the new value text
    group: str = ""  # for add-option and move-to-group: the group (created if missing)
    extra: tuple[tuple[str, str], ...] = ()  # (name, value) options written after the line
    # the server variables the fix was worked out from (its condition's and its value's): a
    # fix whose inputs another fix of the same pass changes waits for the next pass
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing mycnf-lint says about a place in an option file."""

    rule: str  # stable id, e.g. "MCL008"
    name: str  # stable kebab name, e.g. "unknown-option"
    severity: str  # error | warning | info
    file: str
    line: int
    column: int
    variable: str | None
    message: str
    fatal: bool = False
    fix: str | None = None  # "safe" | "unsafe" | None
    edit: Edit | None = field(default=None, compare=False, hash=False, repr=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in JSON_FIELDS}


JSON_FIELDS = ("rule", "name", "severity", "file", "line", "column", "variable", "message",
               "fatal", "fix")


def shortened(text: str, limit: int = 60) -> str:
    """`text` for a message, cut short: a name or value in a file may be megabytes long."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Sorted by position, in the order they were found where positions tie; identical
    findings are kept once. (No set: it cost a hash table over every finding, and its order
    among ties changed with the process's hash seed.)"""
    out: list[Finding] = []
    run_key: tuple[str, int, int, str] | None = None
    run_start = 0
    for f in sorted(findings, key=Finding.sort_key):
        key = f.sort_key()
        if key != run_key:
            run_key, run_start = key, len(out)
        elif f in out[run_start:]:  # identical ones share the key: look back over its run
            continue
        out.append(f)
    return out


def exit_code(findings: Iterable[Finding]) -> int:
    """0 when nothing is a warning or an error, else 1. A compact store's view (store.Ordered)
    answers from its table of severities, without a pass over the findings."""
    severities = getattr(findings, "severities", None)
    if severities is not None:
        serious = bool(severities() & {"error", "warning"})
    else:
        serious = any(f.severity in ("error", "warning") for f in findings)
    return EXIT_FINDINGS if serious else EXIT_CLEAN


def worst(findings: Iterable[Finding]) -> str | None:
    return min((f.severity for f in findings), key=_RANK.__getitem__, default=None)
