"""Output formats: each turns findings into text and nothing else."""

from __future__ import annotations

from ..findings import Finding
from ..ruleset import RuleSet

FORMATS = ("text", "concise", "json", "sarif", "github")


class UnknownFormat(ValueError):
    """A format name that is not one of FORMATS."""


def render(findings: list[Finding], fmt: str, rules: RuleSet, stream_is_tty: bool,
           quiet: bool = False) -> str:
    """Findings -> the whole output text in format `fmt` (ends with a newline unless empty)."""
    if fmt == "text":
        from . import text

        return text.render(findings, stream_is_tty, quiet)
    if fmt == "concise":
        from . import concise

        return concise.render(findings)
    if fmt == "json":
        from . import json

        return json.render(findings)
    if fmt == "sarif":
        from . import sarif

        return sarif.render(findings, rules)
    if fmt == "github":
        from . import github

        return github.render(findings)
    raise UnknownFormat(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def position(f: Finding) -> str:
    """`file:line:col` as editors read it; a finding about a whole file points at 1:1."""
    return f"{f.file}:{max(f.line, 1)}:{max(f.column, 1)}"
