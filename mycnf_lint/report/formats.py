"""The output formats by name, and the one call that turns findings into a format's text."""

from __future__ import annotations

from mycnf_lint.findings import Finding
from mycnf_lint.lint.ruleset import RuleSet

FORMATS = ("text", "concise", "json", "sarif", "github")


class UnknownFormat(ValueError):
    """A format name that is not one of FORMATS."""


def render(findings: list[Finding], fmt: str, rules: RuleSet, stream_is_tty: bool,
           quiet: bool = False) -> str:
    """Findings -> the whole output text in format `fmt` (ends with a newline unless empty)."""
    if fmt == "text":
        from mycnf_lint.report import text

        return text.render(findings, stream_is_tty, quiet)
    if fmt == "concise":
        from mycnf_lint.report import concise

        return concise.render(findings)
    if fmt == "json":
        from mycnf_lint.report import json

        return json.render(findings)
    if fmt == "sarif":
        from mycnf_lint.report import sarif

        return sarif.render(findings, rules)
    if fmt == "github":
        from mycnf_lint.report import github

        return github.render(findings)
    raise UnknownFormat(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
