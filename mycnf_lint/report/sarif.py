"""The SARIF 2.1.0 format: rules and results for code-scanning services."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from mycnf_lint import __version__
from mycnf_lint.findings import Finding
from mycnf_lint.lint.ruleset import Rule, RuleSet
from mycnf_lint.report import stream
from mycnf_lint.report.escape import json_safe, raw_bytes

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mycnf-lint/mycnf-lint"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_FIXES = {"safe": "`mycnf-lint check --fix` makes this change; it is safe.",
          "unsafe": "`mycnf-lint check --fix` can make this change, but it may alter behaviour: "
                    "review it."}


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not C:


def artifact_uri(path: str, cwd: str | None = None) -> tuple[str, str | None]:
    """A file's URI and uriBaseId: relative to the current folder under %SRCROOT% when the
    file lies inside it, else an absolute file: URI with no base."""
    if path == "-":
        return "stdin", "%SRCROOT%"
    if _SCHEME.match(path):  # not a file: a server doctor judged (`server:db1:3306`)
        return path, None
    cwd = cwd or os.getcwd()
    absolute = os.path.abspath(os.path.join(cwd, path))
    rel = os.path.relpath(absolute, cwd) if os.path.splitdrive(absolute)[0] == \
        os.path.splitdrive(cwd)[0] else ".."
    if rel != ".." and not rel.startswith(".." + os.sep):
        # the original bytes of the name, percent-encoded (RFC 3986), not its surrogates
        return quote(raw_bytes(PurePath(rel).as_posix()), safe="/"), "%SRCROOT%"
    return PurePath(absolute).as_uri(), None


def _descriptor(rule: Rule) -> dict[str, Any]:
    fix = rule.fix
    if rule.fixable in _FIXES:
        fix = f"{fix} {_FIXES[rule.fixable]}"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": f"{rule.rationale}\n\nWhat to do: {fix}",
            "markdown": f"**{rule.title}**\n\n{rule.rationale}\n\n**What to do:** {fix}",
        },
        "defaultConfiguration": {"level": _LEVELS.get(rule.severity, "warning")},
        "properties": {"fixable": rule.fixable or "no"},
    }


def _fingerprint(f: Finding, uri: str, seen: dict[str, int]) -> str:
    """Stable across runs and line moves where the finding names a variable."""
    anchor = f.variable or f"line {f.line}"
    key = f"{f.rule}\0{uri}\0{anchor}"
    n = seen.get(key, 0)
    seen[key] = n + 1
    return hashlib.sha256(f"{key}\0{n}".encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _result(f: Finding, index: int, seen: dict[str, int],
            uris: dict[str, tuple[str, str | None]] | None = None) -> dict[str, Any]:
    if uris is None:
        uris = {}
    if f.file not in uris:
        uris[f.file] = artifact_uri(f.file)
    uri, base = uris[f.file]
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    # a finding about a whole file (line 0) points at its start
    region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
    physical: dict[str, Any] = {"artifactLocation": artifact, "region": region}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"mycnfLint/v1": _fingerprint(f, uri, seen)},
    }
    if f.variable or f.fatal:
        result["properties"] = {"variable": f.variable, "fatal": f.fatal}
    return result


def _descriptors(findings: Sequence[Finding], rules: RuleSet
                 ) -> tuple[list[Rule], dict[str, int]]:
    """Every rule in force, then one for each finding whose rule is not in the set (a compact
    store's view names its rules: no pass over the findings when all are in the set)."""
    descriptors = list(rules.rules)
    index = {r.id: i for i, r in enumerate(descriptors)}
    named = getattr(findings, "rules", None)
    if named is not None and named() <= index.keys():
        return descriptors, index
    for f in findings:
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append(Rule(f.rule, f.name, f.name, f.severity, f.message, ""))
    return descriptors, index


def _log(descriptors: list[Rule], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mycnf-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(r) for r in descriptors],
            }},
            "invocations": [{"executionSuccessful": True}],
            "originalUriBaseIds": _bases(),
            "results": results,  # last: `chunks` writes it item by item
        }],
    }


def document(findings: Sequence[Finding], rules: RuleSet) -> dict[str, Any]:
    """The SARIF log as a dict: every rule in force, then one result per finding."""
    descriptors, index = _descriptors(findings, rules)
    seen: dict[str, int] = {}
    uris: dict[str, tuple[str, str | None]] = {}
    return _log(descriptors, [_result(f, index[f.rule], seen, uris) for f in findings])


def _bases() -> dict[str, Any]:
    root = PurePath(os.getcwd()).as_uri()
    return {"%SRCROOT%": {"uri": root if root.endswith("/") else root + "/"}}


_RESULTS = '"results": []'


def chunks(findings: Sequence[Finding], rules: RuleSet) -> Iterator[str]:
    """The log, the results one by one (never all in memory at once), every string shown
    safely (see escape.py)."""
    descriptors, index = _descriptors(findings, rules)
    frame = json.dumps(json_safe(_log(descriptors, [])), indent=2, ensure_ascii=False)
    at = frame.rindex(_RESULTS)  # the only such text: quotes inside strings are escaped
    yield frame[:at] + '"results": ['
    seen: dict[str, int] = {}
    uris: dict[str, tuple[str, str | None]] = {}
    results = (stream.indented(json_safe(_result(f, index[f.rule], seen, uris)), 4)
               for f in findings)
    wrote = False
    for piece in stream.batched(stream.array_items(results, 3)):
        wrote = True
        yield piece
    yield stream.items_end(wrote, 3) + frame[at + len(_RESULTS):] + "\n"


def render(findings: Sequence[Finding], rules: RuleSet) -> str:
    """The SARIF log as indented JSON."""
    return "".join(chunks(findings, rules))
