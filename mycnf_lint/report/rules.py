"""Rule metadata as text: the `rules` table, its JSON, and `explain` for one rule."""

from __future__ import annotations

import difflib
import json

from mycnf_lint.lint.ruleset import Rule, RuleSet

_FIX_WORDS = {
    "safe": "safe: `mycnf-lint check --fix` makes the change and it keeps behaviour",
    "unsafe": "unsafe: `mycnf-lint check --fix` can make the change, but it may alter "
              "behaviour; review it",
}


def rules_table(rules: RuleSet) -> str:
    """One row per rule: id, name, severity, fixable, title, in aligned columns."""
    header = ("ID", "NAME", "SEVERITY", "FIXABLE", "TITLE")
    rows = [(r.id, r.name, r.severity, r.fixable or "-", r.title) for r in _ordered(rules)]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)), row[4]])
             for row in [header, *rows]]
    return "".join(line.rstrip() + "\n" for line in lines)


def rules_json(rules: RuleSet) -> str:
    """Every rule as an object: id, name, severity, fixable, title, rationale, fix."""
    doc = {"rules": [{"id": r.id, "name": r.name, "severity": r.severity, "fixable": r.fixable,
                      "title": r.title, "rationale": r.rationale, "fix": r.fix}
                     for r in _ordered(rules)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def explain_rule(rule: Rule) -> str:
    """Title, severity, rationale, what to do and whether the fix is safe."""
    fix = _FIX_WORDS.get(rule.fixable or "", "no automatic fix; change the file by hand")
    return (f"{rule.id} {rule.name}: {rule.title}\n\n"
            f"Severity: {rule.severity}\n"
            f"Fix:      {fix}\n\n"
            f"Why:\n{_indent(rule.rationale)}\n\n"
            f"What to do:\n{_indent(rule.fix)}\n"
            f"\nSuppress one line with `# mycnf-lint: disable={rule.name}`.\n")


def did_you_mean(key: str, rules: RuleSet) -> str | None:
    """The rule id or name closest to a misspelt one."""
    candidates = [r.id for r in rules.rules] + [r.name for r in rules.rules]
    probe = key.upper() if key[:3].upper() == "MCL" else key.lower()
    best = difflib.get_close_matches(probe, candidates, n=1, cutoff=0.6)
    return best[0] if best else None


def _ordered(rules: RuleSet) -> list[Rule]:
    return sorted(rules.rules, key=lambda r: r.id)


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())
