"""Inline suppressions: which findings a `# mycnf-lint: disable=...` comment removes, and
the findings about suppressions that suppress nothing or name no rule."""

from __future__ import annotations

from pathlib import Path

from mycnf_lint.findings import Finding
from mycnf_lint.lint import ruleset, suppress
from mycnf_lint.reader.optionfile import OptionFile, parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "suppress"
RULES = ruleset.load()


def load(name: str) -> OptionFile:
    path = FIXTURES / name
    return parse(str(path), path.read_bytes())


def unknown(of: OptionFile, line: int) -> Finding:
    return Finding("MCL008", "unknown-option", "error", of.path, line, 1, None, "unknown option")


def adjusted(of: OptionFile, line: int) -> Finding:
    return Finding("MCL014", "value-adjusted", "warning", of.path, line, 1, None, "adjusted")


def rules_of(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in findings]


def test_suppression_rules_are_defined() -> None:
    assert RULES["MCL090"].name == "useless-suppression"
    assert RULES["MCL090"].severity == "warning"
    assert RULES["useless-suppression"].id == "MCL090"
    assert RULES["unknown-suppression"].id == "MCL091"


def test_inline_comment_suppresses_its_own_line_only() -> None:
    of = load("inline.cnf")
    kept = suppress.apply([unknown(of, 2), unknown(of, 3)], [of], RULES)
    assert rules_of(kept) == [("MCL008", 3)]


def test_comment_line_suppresses_the_line_below_by_name() -> None:
    of = load("line-above.cnf")
    kept = suppress.apply([unknown(of, 3), unknown(of, 4)], [of], RULES)
    assert rules_of(kept) == [("MCL008", 4)]


def test_several_rules_by_id_and_name_after_a_semicolon_comment() -> None:
    of = load("several-rules.cnf")
    kept = suppress.apply([unknown(of, 4), adjusted(of, 4)], [of], RULES)
    assert kept == []


def test_suppression_that_suppresses_nothing_is_reported_at_the_comment() -> None:
    of = load("useless.cnf")
    kept = suppress.apply([], [of], RULES)
    assert len(kept) == 1
    f = kept[0]
    assert (f.rule, f.name, f.severity, f.line) == ("MCL090", "useless-suppression", "warning", 2)
    assert f.column == of.lines[1].raw.index(b"#") + 1
    assert "MCL008 (unknown-option)" in f.message


def test_only_the_unused_rule_of_a_directive_is_reported() -> None:
    of = load("several-rules.cnf")
    kept = suppress.apply([unknown(of, 4)], [of], RULES)
    assert rules_of(kept) == [("MCL090", 3)]
    assert "MCL014" in kept[0].message


def test_unknown_rule_names_are_reported() -> None:
    of = load("unknown-rule.cnf")
    kept = suppress.apply([], [of], RULES)
    assert [(f.rule, f.name) for f in kept] == [("MCL091", "unknown-suppression")] * 2
    assert "'MCL999'" in kept[0].message
    assert "'no-such-rule'" in kept[1].message


def test_a_blank_line_between_breaks_the_suppression() -> None:
    of = load("not-directly-above.cnf")
    kept = suppress.apply([unknown(of, 4)], [of], RULES)
    assert rules_of(kept) == [("MCL008", 4), ("MCL090", 2)]


def test_comment_after_a_group_header_covers_the_header() -> None:
    of = load("group-line.cnf")
    f = Finding("MCL017", "startup-check", "error", of.path, 1, 1, None, "x")
    assert suppress.apply([f], [of], RULES) == []


def test_directive_inside_quotes_is_a_value_not_a_comment() -> None:
    of = load("in-quotes.cnf")
    assert rules_of(suppress.apply([unknown(of, 2)], [of], RULES)) == [("MCL008", 2)]


def test_findings_in_other_files_are_untouched() -> None:
    of = load("inline.cnf")
    other = Finding("MCL008", "unknown-option", "error", "elsewhere.cnf", 2, 1, None, "x")
    kept = suppress.apply([other, unknown(of, 2)], [of], RULES)
    assert kept == [other]


def test_a_file_read_twice_reports_its_suppressions_once() -> None:
    of = load("useless.cnf")
    assert len(suppress.apply([], [of, of], RULES)) == 1


def test_no_directives_returns_findings_unchanged() -> None:
    of = parse("plain.cnf", b"[mysqld]\n# an ordinary comment\nx = 1  # and another\n")
    findings = [unknown(of, 3)]
    assert suppress.apply(findings, [of], RULES) is findings


def test_many_lines_stay_fast() -> None:
    lines = b"".join(b"opt_%d = 1  # mycnf-lint: disable=MCL008\n" % i for i in range(20000))
    of = parse("big.cnf", b"[mysqld]\n" + lines)
    findings = [unknown(of, n) for n in range(2, 20002)]
    assert suppress.apply(findings, [of], RULES) == []
