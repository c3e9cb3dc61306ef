"""Inline suppressions: `# mycnf-lint: disable=RULE[,RULE]` on the line or the line above."""

from __future__ import annotations

from .findings import Finding
from .optionfile import OptionFile
from .ruleset import RuleSet


def apply(findings: list[Finding], files: list[OptionFile], rules: RuleSet) -> list[Finding]:
    """Drop suppressed findings; add a finding for each suppression that suppresses nothing."""
    return findings
