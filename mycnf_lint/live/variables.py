"""Live variables judged by the same rules engine and profile as `check`, and the flavor a
server's version string names.

The server's values become a model the way the files' values do: each variable the flavor's
catalogue knows as a server variable is passed through the reader's value conversion, then
every condition rule of rules/*.toml is evaluated over that model by the engine. A finding
points at the server (its label, no line) and says the value is live.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mycnf_lint.findings import Finding
from mycnf_lint.lint import engine
from mycnf_lint.lint.ruleset import RuleSet
from mycnf_lint.profiles import Profile
from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.reader.settings import Model

_VERSION = re.compile(r"^(\d+)\.(\d+)")
# the catalogue that stands for each release series (the nearest one that is described)
_MARIADB = ((10, 6, "mariadb-10.6"), (10, 11, "mariadb-10.11"), (11, 4, "mariadb-11.4"))
_MYSQL = ((5, 7, "mysql-5.7"), (8, 0, "mysql-8.0"), (8, 4, "mysql-8.4"))


def detect_flavor(version: str, comment: str = "") -> str | None:
    """`10.11.19-MariaDB-0+deb12u1-log` -> mariadb-10.11; `8.0.36` -> mysql-8.0; a release
    between two catalogues takes the later one, a release after the last the last, one before
    the first the first; None when the string holds no version."""
    m = _VERSION.match(version.strip())
    if m is None:
        return None
    mariadb = "mariadb" in f"{version} {comment}".lower()
    series = _MARIADB if mariadb else _MYSQL
    have = (int(m.group(1)), int(m.group(2)))
    for major, minor, flavor in series:
        if have <= (major, minor):
            return flavor
    return series[-1][2]


def _quoted(value: str) -> str:
    """A value written so that the reader gives it back unchanged."""
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def live_model(variables: dict[str, str], cat: catalogue_mod.Catalogue, label: str) -> Model:
    """The server model of a running server: its variables, converted as the reader converts
    option values, each setting pointing at the server (`label`, line 0)."""
    lines = ["[mysqld]"]
    for name in sorted(variables):
        opt = cat.server.get(name)
        if opt is None or not opt.sysvar or opt.name != name:
            continue
        lines.append(f"{name} = {_quoted(variables[name])}")
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    # no start-up adjustments: the server made them already, for its own machine's limits
    server = model_mod.build(read_tree(label, data=data), cat, "mysqld", adjust=False)
    for s in server.settings:
        s.line, s.column = 0, 0
    server.events.clear()  # the live values are what the server uses, not what a file asks for
    return server


def condition_rules(rules: RuleSet) -> RuleSet:
    """The rules a live value can be judged by: those with a condition over values (the others
    look at lines of a file)."""
    return RuleSet([r for r in rules.rules if "when" in r.data])


def judge(variables: dict[str, str], flavor: str, rules: RuleSet, profile: Profile,
          label: str) -> list[Finding]:
    """Every condition rule over the live values: findings at the server, without fixes."""
    cat = catalogue_mod.load(flavor)
    server = live_model(variables, cat, label)
    found = engine.evaluate(server.read, server, cat, condition_rules(rules), profile)
    return [replace(f, file=label, line=0, column=0, fix=None, edit=None) for f in found]
