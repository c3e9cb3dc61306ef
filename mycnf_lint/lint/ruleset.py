"""Rule metadata from rules/*.toml: ids, names, titles, severities, rationales, fixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mycnf_lint.resources import data_dir, toml_files

UPGRADES_FILE = "upgrades.toml"  # in rules/ beside the rules: the facts of lint/upgrade.py

if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: an id that never changes, a kebab name, and what to tell the user."""

    id: str
    name: str
    title: str
    severity: str
    rationale: str
    fix: str
    fixable: str | None = None  # "safe" | "unsafe" | None
    source: str = ""  # the rules file it came from
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


class RuleError(ValueError):
    """A rules file that is not valid."""


def _load_file(path: str) -> list[Rule]:
    from mycnf_lint import tomlfile

    try:
        doc = tomlfile.load(path)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError, UnicodeDecodeError
        raise RuleError(f"{path}: not valid TOML: {exc}") from exc
    rules = []
    for i, r in enumerate(doc.get("rule", []), start=1):
        missing = [k for k in ("id", "name", "title", "severity", "rationale", "fix") if k not in r]
        if missing:
            raise RuleError(f"{path}: rule #{i} lacks {', '.join(missing)}")
        if r["severity"] not in ("error", "warning", "info"):
            raise RuleError(f"{path}: rule {r['id']}: severity must be error, warning or info")
        rules.append(Rule(r["id"], r["name"], r["title"], r["severity"], r["rationale"].strip(),
                          r["fix"].strip(), r.get("fixable"), str(path), dict(r)))
    return rules


@cache
def _builtin() -> tuple[Rule, ...]:
    out: list[Rule] = []
    for path in toml_files(data_dir("rules")):
        if Path(path).name != UPGRADES_FILE:  # the upgrade fixes' facts, no rules
            out.extend(_load_file(path))
    return tuple(out)


@dataclass
class RuleSet:
    """All rules in force: the built-in ones plus any rules files a user adds."""

    rules: list[Rule]

    def __post_init__(self) -> None:
        self.by_id = {r.id: r for r in self.rules}
        self.by_name = {r.name: r for r in self.rules}
        if len(self.by_id) != len(self.rules) or len(self.by_name) != len(self.rules):
            seen: set[str] = set()
            for r in self.rules:
                for k in (r.id, r.name):
                    if k in seen:
                        raise RuleError(f"{r.source}: rule id or name {k!r} is defined twice")
                    seen.add(k)

    def get(self, key: str) -> Rule | None:
        """A rule by id (MCL008) or name (unknown-option), case-insensitive for ids."""
        return self.by_id.get(key.upper()) or self.by_name.get(key.lower())

    def __getitem__(self, key: str) -> Rule:
        rule = self.get(key)
        if rule is None:
            raise KeyError(key)
        return rule


def load(extra: list[str] | tuple[str, ...] = ()) -> RuleSet:
    """The built-in rules and the rules in `extra` files."""
    rules = list(_builtin())
    for p in extra:
        rules.extend(_load_file(str(p)))
    return RuleSet(rules)
