"""The five output formats: exact lines, escaping, colour only on a terminal."""

from __future__ import annotations

import json

import pytest

from mycnf_lint.findings import Finding
from mycnf_lint.lint import ruleset
from mycnf_lint.report.formats import FORMATS, UnknownFormat, render
from mycnf_lint.report.github import escape_data, escape_property

from .sample_findings import ERROR, WARNING, WHOLE_FILE, info

RULES = ruleset.load()
INFO = info("conf.d/x.cnf")
ALL = [ERROR, WARNING, INFO]


def out(findings: list[Finding], fmt: str, tty: bool = False, quiet: bool = False) -> str:
    return render(findings, fmt, RULES, tty, quiet)


def test_text_is_ruff_like_with_a_summary() -> None:
    assert out(ALL, "text").splitlines() == [
        "etc/my.cnf:3:1: MCL008 unknown option 'no_such_option' [unknown-option]",
        "etc/my.cnf:7:16: MCL014 wait_timeout 1 is below 2 [value-adjusted]",
        "conf.d/x.cnf:2:1: MCL009 loose option ignored [loose-unknown-option]",
        "Found 3 findings (1 error, 1 warning, 1 info)",
    ]


def test_text_summary_counts_plurals() -> None:
    assert out([ERROR, ERROR, WARNING], "text").splitlines()[-1] == \
        "Found 3 findings (2 errors, 1 warning, 0 info)"
    assert out([INFO], "text").splitlines()[-1] == "Found 1 finding (0 errors, 0 warnings, 1 info)"


def test_text_says_all_passed_when_clean_and_nothing_when_quiet() -> None:
    assert out([], "text") == "All checks passed.\n"
    assert out([], "text", quiet=True) == ""


def test_text_quiet_drops_the_summary() -> None:
    assert out(ALL, "text", quiet=True).count("\n") == 3
    assert "Found" not in out(ALL, "text", quiet=True)


def test_text_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\033[" not in out(ALL, "text", tty=False)
    coloured = out(ALL, "text", tty=True)
    assert "\033[1;31mMCL008\033[0m" in coloured
    assert "\033[1;33mMCL014\033[0m" in coloured


def test_text_no_color_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in out(ALL, "text", tty=True)


@pytest.mark.parametrize("fmt", ["concise", "json", "sarif", "github"])
def test_machine_formats_never_colour(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\033[" not in out(ALL, fmt, tty=True)


def test_whole_file_finding_points_at_line_one_in_text() -> None:
    assert out([WHOLE_FILE], "concise") == "my.cnf:1:1: MCL006 my.cnf is world-writable\n"


def test_concise_is_one_line_each_without_summary() -> None:
    assert out(ALL, "concise").splitlines() == [
        "etc/my.cnf:3:1: MCL008 unknown option 'no_such_option'",
        "etc/my.cnf:7:16: MCL014 wait_timeout 1 is below 2",
        "conf.d/x.cnf:2:1: MCL009 loose option ignored",
    ]


def test_concise_keeps_a_multiline_message_on_one_line() -> None:
    f = Finding("MCL013", "invalid-value", "error", "a.cnf", 1, 1, None, "one\ntwo\r\nthree")
    assert out([f], "concise") == "a.cnf:1:1: MCL013 one two  three\n"


def test_json_holds_exactly_the_finding_fields() -> None:
    doc = json.loads(out(ALL, "json"))
    assert list(doc) == ["findings"]
    assert doc["findings"][0] == {
        "rule": "MCL008", "name": "unknown-option", "severity": "error", "file": "etc/my.cnf",
        "line": 3, "column": 1, "variable": "no_such_option",
        "message": "unknown option 'no_such_option'", "fatal": True, "fix": None,
    }
    assert [f["rule"] for f in doc["findings"]] == ["MCL008", "MCL014", "MCL009"]


def test_json_when_clean_is_an_empty_list() -> None:
    assert json.loads(out([], "json")) == {"findings": []}


def test_github_commands_per_severity() -> None:
    assert out(ALL, "github").splitlines() == [
        "::error file=etc/my.cnf,line=3,col=1,title=MCL008 unknown-option::"
        "unknown option 'no_such_option'",
        "::warning file=etc/my.cnf,line=7,col=16,title=MCL014 value-adjusted::"
        "wait_timeout 1 is below 2",
        "::notice file=conf.d/x.cnf,line=2,col=1,title=MCL009 loose-unknown-option::"
        "loose option ignored",
    ]


def test_github_whole_file_finding_has_no_line() -> None:
    assert out([WHOLE_FILE], "github") == \
        "::warning file=my.cnf,title=MCL006 world-writable::my.cnf is world-writable\n"


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("100%", "100%25", "100%25"),
    ("a\nb", "a%0Ab", "a%0Ab"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("C:\\my.cnf", "C:\\my.cnf", "C%3A\\my.cnf"),
    ("a,b", "a,b", "a%2Cb"),
    ("%0A", "%250A", "%250A"),
])
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_escapes_file_and_message() -> None:
    f = Finding("MCL013", "invalid-value", "error", "d:/x,y.cnf", 4, 2, None, "50% off\nnow")
    assert out([f], "github") == \
        "::error file=d%3A/x%2Cy.cnf,line=4,col=2,title=MCL013 invalid-value::50%25 off%0Anow\n"


@pytest.mark.parametrize("fmt", ["concise", "json", "sarif", "github"])
def test_machine_formats_ignore_quiet(fmt: str) -> None:
    assert out(ALL, fmt, quiet=True) == out(ALL, fmt)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(UnknownFormat, match="choose one of text, concise, json, sarif, github"):
        out(ALL, "xml")


def test_every_format_is_listed() -> None:
    assert FORMATS == ("text", "concise", "json", "sarif", "github")


def test_json_and_sarif_are_written_piece_by_piece_as_one_dump_would_write_them() -> None:
    """The streaming writers give the text `json.dumps(doc, indent=2)` gives for the whole
    document: empty, one item, many, strange strings (quotes, newlines, undecodable bytes)."""
    from mycnf_lint.findings import Finding
    from mycnf_lint.report import json as json_format
    from mycnf_lint.report import sarif
    from mycnf_lint.report.escape import json_safe

    odd = Finding("MCL999", "not-a-rule", "info", 'a "b"\n\udce9.cnf', 0, 0, "v\\x",
                  'say "hi"\n\tthen \udcff and \u00e9', True, "unsafe")
    many = [ERROR, WARNING, INFO, odd, WHOLE_FILE] * 300
    for findings in ([], [ERROR], many):
        doc = {"findings": [f.to_json() for f in findings]}
        assert json_format.render(findings) == json.dumps(
            json_safe(doc), indent=2, ensure_ascii=False) + "\n"
        assert sarif.render(findings, RULES) == json.dumps(
            json_safe(sarif.document(findings, RULES)), indent=2, ensure_ascii=False) + "\n"
