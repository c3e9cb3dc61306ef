"""The output formats by name, and the calls that turn findings into a format's text: whole
(`render`) or piece by piece (`chunks`), so a writer can send a large report as it is made
instead of holding the whole document in memory."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mycnf_lint.findings import Finding
from mycnf_lint.lint.ruleset import RuleSet

FORMATS = ("text", "concise", "json", "sarif", "github")


class UnknownFormat(ValueError):
    """A format name that is not one of FORMATS."""


def chunks(findings: Sequence[Finding], fmt: str, rules: RuleSet, stream_is_tty: bool,
           quiet: bool = False) -> Iterator[str]:
    """Findings -> the output text in format `fmt`, in pieces that join to `render`'s text."""
    if fmt == "text":
        from mycnf_lint.report import text

        return text.chunks(findings, stream_is_tty, quiet)
    if fmt == "concise":
        from mycnf_lint.report import concise

        return concise.chunks(findings)
    if fmt == "json":
        from mycnf_lint.report import json

        return json.chunks(findings)
    if fmt == "sarif":
        from mycnf_lint.report import sarif

        return sarif.chunks(findings, rules)
    if fmt == "github":
        from mycnf_lint.report import github

        return github.chunks(findings)
    raise UnknownFormat(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def render(findings: Sequence[Finding], fmt: str, rules: RuleSet, stream_is_tty: bool,
           quiet: bool = False) -> str:
    """Findings -> the whole output text in format `fmt` (ends with a newline unless empty)."""
    return "".join(chunks(findings, fmt, rules, stream_is_tty, quiet))

