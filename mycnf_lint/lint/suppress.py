"""Inline suppressions: `# mycnf-lint: disable=RULE[,RULE]` on the line or the line above.

The directive lives in comment text, as the server reads it: in the inline `#` comment of an
option line (or after a group header's `]`), where it covers that line, or in a comment line,
where it covers the line directly below. Each rule named must suppress something there, or the
suppression itself is reported (useless-suppression), as is a name that is no rule
(unknown-suppression). One pass over the lines and one over the findings: linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mycnf_lint.findings import Finding
from mycnf_lint.lint.ruleset import RuleSet
from mycnf_lint.reader.optionfile import Kind, Line, OptionFile, decode

DIRECTIVE = re.compile(r"mycnf-lint:\s*disable\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")
USELESS = "useless-suppression"
UNKNOWN = "unknown-suppression"


@dataclass(slots=True)
class Suppression:
    """One rule named in one directive: where the directive is and which line it covers."""

    file: str
    line: int  # the line of the comment
    column: int  # the column of the comment's `#`
    target: int  # the line whose findings it suppresses
    token: str  # the rule as written
    rule_id: str | None  # None: no such rule
    used: bool = False


def _comment_of(line: Line) -> tuple[str, int] | None:
    """The comment text of a line and its 1-based byte column, when it has one."""
    body = line.raw.rstrip(b"\r\n")
    if line.kind is Kind.COMMENT:
        return decode(body[line.column - 1:]), line.column
    if line.kind is Kind.OPTION and line.comment is not None:
        size = len(line.comment.encode("utf-8", "surrogateescape"))
        return line.comment, len(body) - size + 1
    if line.kind is Kind.GROUP:
        close = body.find(b"]", line.column)
        hash_at = body.find(b"#", close + 1) if close >= 0 else -1
        if hash_at >= 0:
            return decode(body[hash_at:]), hash_at + 1
    return None


def directives(of: OptionFile, rules: RuleSet) -> list[Suppression]:
    """Every rule named by a suppression directive in one file."""
    out: list[Suppression] = []
    if b"mycnf-lint:" not in of.data:  # most files: no line to parse again
        return out
    for line in of.physical():
        found = _comment_of(line)
        if found is None:
            continue
        text, column = found
        match = DIRECTIVE.search(text)
        if match is None:
            continue
        target = line.number + 1 if line.kind is Kind.COMMENT else line.number
        for token in (t.strip() for t in match.group(1).split(",")):
            rule = rules.get(token)
            out.append(Suppression(of.path, line.number, column, target, token,
                                   rule.id if rule else None))
    return out


def _report(s: Suppression, rules: RuleSet) -> Finding | None:
    if s.rule_id is None:
        rule = rules[UNKNOWN]
        message = (f"suppression names {s.token!r}, which is no rule id or name; "
                   "`mycnf-lint rules` lists them")
    elif not s.used:
        rule = rules[USELESS]
        what = rules[s.rule_id]
        below = " on the line below" if s.target != s.line else ""
        message = (f"suppression of {what.id} ({what.name}) suppresses nothing{below}; "
                   "remove it")
    else:
        return None
    return Finding(rule.id, rule.name, rule.severity, s.file, s.line, s.column, None, message,
                   False, rule.fixable)


class Filter:
    """Suppression over findings as they come: each file's directives are added before its
    findings pass (the first file of each path counts), the reports come at the end."""

    __slots__ = ("_rules", "_by_place", "_all", "_seen")

    def __init__(self, rules: RuleSet) -> None:
        self._rules = rules
        self._by_place: dict[tuple[str, int, str], list[Suppression]] = {}
        self._all: list[Suppression] = []
        self._seen: set[str] = set()

    def add_files(self, files: list[OptionFile]) -> None:
        for of in files:
            if of.path not in self._seen:  # a file included twice is one set of comments
                self.add(of.path, directives(of, self._rules))

    def add(self, path: str, found: list[Suppression]) -> None:
        """One file's directives, found already (by a worker process)."""
        if path in self._seen:
            return
        self._seen.add(path)
        for s in found:
            self._all.append(s)
            if s.rule_id is not None:
                self._by_place.setdefault((s.file, s.target, s.rule_id), []).append(s)

    @property
    def empty(self) -> bool:
        return not self._all

    def kept(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """The findings no directive suppresses; the directives that do are marked used."""
        by_place = self._by_place
        for f in findings:
            if not by_place:
                yield f
                continue
            matching = by_place.get((f.file, f.line, f.rule))
            if matching:
                for s in matching:
                    s.used = True
            else:
                yield f

    def reports(self) -> Iterator[Finding]:
        """A finding for each directive that suppressed nothing or names no rule."""
        return (r for r in (_report(s, self._rules) for s in self._all) if r is not None)


def apply(findings: list[Finding], files: list[OptionFile], rules: RuleSet) -> list[Finding]:
    """Drop suppressed findings; add a finding for each suppression that suppresses nothing."""
    sup = Filter(rules)
    sup.add_files(files)
    return _applied(findings, sup)


def apply_directives(findings: list[Finding], marks: list[tuple[str, list[Suppression]]],
                     rules: RuleSet) -> list[Finding]:
    """`apply` over directives already found, file by file (the first of each path counts)."""
    sup = Filter(rules)
    for path, found in marks:
        sup.add(path, found)
    return _applied(findings, sup)


def _applied(findings: list[Finding], sup: Filter) -> list[Finding]:
    if sup.empty:
        return findings
    return [*sup.kept(findings), *sup.reports()]
