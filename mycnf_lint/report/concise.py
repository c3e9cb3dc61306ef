"""The concise format: one plain line per finding, nothing else."""

from __future__ import annotations

from mycnf_lint.findings import Finding
from mycnf_lint.report.escape import shown
from mycnf_lint.report.position import position


def render(findings: list[Finding]) -> str:
    """`file:line:col: RULE message`, one line each, no colour and no summary."""
    return "".join(f"{position(f)}: {f.rule} {_one_line(f.message)}\n" for f in findings)


def _one_line(message: str) -> str:
    return shown(message.replace("\r", " ").replace("\n", " "))
