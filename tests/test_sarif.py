"""SARIF 2.1.0 output: its shape, relative URIs, stable fingerprints, and Microsoft's validator."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from mycnf_lint import __version__
from mycnf_lint.findings import Finding
from mycnf_lint.lint import ruleset
from mycnf_lint.report.formats import render
from mycnf_lint.report.sarif import artifact_uri, document

from .sample_findings import ERROR, WARNING, WHOLE_FILE, info

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / ".ci" / "node" / "node_modules"
RULES = ruleset.load()
INFO = info("conf d/100%.cnf")
ALL = [ERROR, WARNING, INFO, WHOLE_FILE]


def run_of(findings: list[Finding]) -> dict:
    return document(findings, RULES)["runs"][0]


def test_driver_describes_every_rule() -> None:
    driver = run_of([])["tool"]["driver"]
    assert driver["name"] == "mycnf-lint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES.rules]
    rule = RULES["MCL008"]
    descriptor = driver["rules"][[r["id"] for r in driver["rules"]].index("MCL008")]
    assert descriptor["name"] == "unknown-option"
    assert descriptor["shortDescription"] == {"text": rule.title}
    assert descriptor["fullDescription"] == {"text": rule.rationale}
    assert rule.fix in descriptor["help"]["text"]
    assert rule.fix in descriptor["help"]["markdown"]
    assert descriptor["defaultConfiguration"] == {"level": "error"}


def test_help_says_whether_the_fix_is_safe() -> None:
    fixable = [r for r in RULES.rules if r.fixable == "safe"]
    if not fixable:
        pytest.skip("no rule is fixable yet")
    driver = run_of([])["tool"]["driver"]
    descriptor = next(d for d in driver["rules"] if d["id"] == fixable[0].id)
    assert "it is safe" in descriptor["help"]["text"]


def test_results_point_at_rules_and_lines() -> None:
    run = run_of(ALL)
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["MCL008", "MCL014", "MCL009", "MCL006"]
    assert [r["level"] for r in results] == ["error", "warning", "note", "warning"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert results[0]["message"] == {"text": "unknown option 'no_such_option'"}
    loc = results[1]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "etc/my.cnf", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 7, "startColumn": 16}
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_whole_file_finding_starts_at_line_one() -> None:
    region = run_of([WHOLE_FILE])["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1}


def test_uris_are_relative_posix_and_escaped(tmp_path: Path) -> None:
    cwd = str(tmp_path)
    assert artifact_uri("conf d/100%.cnf", cwd) == ("conf%20d/100%25.cnf", "%SRCROOT%")
    assert artifact_uri(str(tmp_path / "a" / "my.cnf"), cwd) == ("a/my.cnf", "%SRCROOT%")
    assert artifact_uri("./b/../my.cnf", cwd) == ("my.cnf", "%SRCROOT%")


def test_files_outside_the_current_folder_get_absolute_uris(tmp_path: Path) -> None:
    uri, base = artifact_uri("/etc/mysql/my.cnf", str(tmp_path))
    assert (uri, base) == ("file:///etc/mysql/my.cnf", None)


def test_fingerprints_are_stable_and_distinct() -> None:
    first = [r["partialFingerprints"] for r in run_of(ALL)["results"]]
    moved = Finding(**{**WARNING.to_json(), "line": 12})
    again = [r["partialFingerprints"] for r in run_of([ERROR, moved, INFO, WHOLE_FILE])["results"]]
    assert first == again  # a finding on a variable keeps its fingerprint when lines move
    assert len({json.dumps(f) for f in first}) == len(first)


def test_two_identical_findings_get_two_fingerprints() -> None:
    results = run_of([ERROR, ERROR])["results"]
    assert results[0]["partialFingerprints"] != results[1]["partialFingerprints"]


def test_render_is_json() -> None:
    doc = json.loads(render(ALL, "sarif", RULES, False))
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")


def _multitool() -> list[str] | None:
    """The validator: the native binary (the npm wrapper runs it through a shell, which splits
    `Gh;Sarif` at the semicolon), else the wrapper."""
    native = sorted(NODE.glob("@microsoft/sarif-multitool-*/Sarif.Multitool*"))
    native = [p for p in native if p.suffix in ("", ".exe") and os.access(p, os.X_OK)]
    if native:
        return [str(native[0])]
    for name in ("sarif", "sarif-multitool"):
        wrapper = NODE / ".bin" / name
        if wrapper.exists():
            return [str(wrapper)]
    return None


def test_multitool_finds_no_errors_or_warnings(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    tool = _multitool()
    if tool is None:
        pytest.skip("SARIF Multitool missing: npm install --prefix .ci/node "
                    "@microsoft/sarif-multitool (scripts/test does it)")
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "mycnf-lint.sarif"
    log.write_text(render(ALL, "sarif", RULES, False), encoding="utf-8")
    report = tmp_path / "validation.sarif"
    kind = "Gh;Sarif" if len(tool) == 1 and "Sarif.Multitool" in tool[0] else '"Gh;Sarif"'
    proc = subprocess.run([*tool, "validate", "--rule-kind", kind, str(log), "-o", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert report.exists(), proc.stdout + proc.stderr
    results = json.loads(report.read_text(encoding="utf-8"))["runs"][0].get("results", [])
    problems = [(r.get("ruleId"), r["message"].get("arguments")) for r in results
                if r.get("level", "warning") in ("error", "warning")]
    assert problems == [], proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr
