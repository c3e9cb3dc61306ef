"""The JSON format: `{"findings": [...]}` with exactly the fields of a finding."""

from __future__ import annotations

import json

from mycnf_lint.findings import Finding
from mycnf_lint.report.escape import json_safe


def render(findings: list[Finding]) -> str:
    """Every finding as an object with the Finding fields, in order, indented."""
    doc = json_safe({"findings": [f.to_json() for f in findings]})
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
