"""`mycnf-lint rules`, `explain` and `profiles`: what the linter knows, as text or JSON."""

from typing import Annotated

import typer

from mycnf_lint.commands.common import ListFormat, ListFormatOpt, RulesOpt, fail, load_rules, write


def rules_command(fmt: ListFormatOpt = ListFormat.TEXT, rules: RulesOpt = None) -> None:
    """List every rule: id, name, severity, whether --fix can fix it, and title."""
    from mycnf_lint.report.rules import rules_json, rules_table

    ruleset = load_rules(rules)
    write(rules_json(ruleset) if fmt is ListFormat.JSON else rules_table(ruleset), None)


def explain(
    rule: Annotated[str, typer.Argument(help="A rule id (MCL008) or name (unknown-option).")],
    rules: RulesOpt = None,
) -> None:
    """Explain one rule: what it finds, why it matters, what to do, and whether --fix helps."""
    from mycnf_lint.report.rules import did_you_mean, explain_rule

    ruleset = load_rules(rules)
    found = ruleset.get(rule)
    if found is None:
        hint = did_you_mean(rule, ruleset)
        fail(f"no rule {rule!r}" + (f"; did you mean {hint}?" if hint else
                                    "; `mycnf-lint rules` lists them"))
    write(explain_rule(found), None)


def profiles_command(fmt: ListFormatOpt = ListFormat.TEXT) -> None:
    """List the built-in workload profiles and their values."""
    from mycnf_lint.profiles import ProfileError, builtin_names, resolve_profile
    from mycnf_lint.report.profiles import profiles_json, profiles_text

    try:
        profiles = [resolve_profile(name, None) for name in builtin_names()]
    except ProfileError as exc:
        fail(str(exc))
    write(profiles_json(profiles) if fmt is ListFormat.JSON else profiles_text(profiles), None)
