"""The JSON format: `{"findings": [...]}` with exactly the fields of a finding."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mycnf_lint.findings import JSON_FIELDS, Finding
from mycnf_lint.report import stream
from mycnf_lint.report.escape import json_safe


def chunks(findings: Iterable[Finding]) -> Iterator[str]:
    """The document finding by finding: the same text as `json.dumps(doc, indent=2)`, every
    string shown safely (see escape.py)."""
    yield '{\n  "findings": ['
    items = (stream.flat_object(((k, json_safe(getattr(f, k))) for k in JSON_FIELDS), 2)
             for f in findings)
    wrote = False
    for piece in stream.batched(stream.array_items(items, 1)):
        wrote = True
        yield piece
    yield stream.items_end(wrote, 1) + "\n}\n"


def render(findings: Iterable[Finding]) -> str:
    """Every finding as an object with the Finding fields, in order, indented."""
    return "".join(chunks(findings))
