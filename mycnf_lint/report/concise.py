"""The concise format: one plain line per finding, nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mycnf_lint.findings import Finding
from mycnf_lint.report.escape import shown
from mycnf_lint.report.position import position
from mycnf_lint.report.stream import batched


def chunks(findings: Iterable[Finding]) -> Iterator[str]:
    """The lines of `render`, a batch at a time."""
    return batched(f"{position(f)}: {f.rule} {_one_line(f.message)}\n" for f in findings)


def render(findings: Iterable[Finding]) -> str:
    """`file:line:col: RULE message`, one line each, no colour and no summary."""
    return "".join(chunks(findings))


def _one_line(message: str) -> str:
    return shown(message.replace("\r", " ").replace("\n", " "))
