"""Where a finding points, as `file:line:col`."""

from __future__ import annotations

from mycnf_lint.findings import Finding
from mycnf_lint.report.escape import shown


def position(f: Finding) -> str:
    """`file:line:col` as editors read it; a finding about a whole file points at 1:1."""
    return f"{shown(f.file)}:{max(f.line, 1)}:{max(f.column, 1)}"
