"""Drift: each variable whose effective value in the option files (read by the project's reader,
as `effective` reads them) differs from the value the running server uses.

Both sides pass through the same value conversion, so `64M` in a file equals `67108864` live,
`ON` equals `1`, and sets and optimizer flags compare as sets. Options that are no variable of
the server (or of a plugin it has not loaded) have nothing live to differ from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from mycnf_lint.findings import Finding
from mycnf_lint.lint.checks import finding
from mycnf_lint.lint.engine import fmt_value
from mycnf_lint.lint.ruleset import RuleSet
from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader import charsets
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.catalogue import Option
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.reader.settings import Setting
from mycnf_lint.reader.values import convert, expand_sql_mode
from mycnf_lint.secrets import shown


@dataclass(frozen=True)
class Drift:
    """One variable whose file value is not the live one."""

    variable: str
    file_value: Any
    live_value: Any
    source: str  # file:line of the setting in the files

    def to_json(self) -> dict[str, Any]:
        return {"variable": self.variable, "file_value": self.file_value,
                "live_value": self.live_value, "source": self.source}


def file_settings(paths: list[str], flavor: str) -> tuple[dict[str, Setting], list[str]]:
    """The server's effective settings from `paths` read in order (a later file wins, as for
    `effective`), and the files read; ReadError when one cannot be read."""
    cat = catalogue_mod.load(flavor)
    settings: dict[str, Setting] = {}
    files: list[str] = []
    for path in paths:
        m = model_mod.build(read_tree(path), cat, "mysqld")
        files.extend(f for f in m.files if f not in files)
        for name, s in m.effective.items():
            if s.name == name:  # an alias (table_cache) is compared under its own name
                settings[name] = s
    return settings, files


# options that take a name in a file but show ON/OFF as variables: any name turns them on,
# `skip-log-bin` (the reader's "0") off (mysqld.cc: opt_bin_log = argument != disabled_my_option)
ON_OFF_VARIABLES = {"log_bin"}


def _canonical(opt: Option, value: Any, is_mariadb: bool, utf8mb3: bool = True) -> Any:
    """One form for equal values: sets as frozensets, names without case (as pt-config-diff
    compares), character sets and collations by their own names (`utf8` as the files'
    old_mode makes it: the server shows utf8mb3 or utf8mb4), paths normalised."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if opt.name == "sql_mode" and opt.values:
        text = expand_sql_mode(text, opt.values, is_mariadb)
    if opt.type in ("set", "flagset") or opt.getopt in ("set", "flagset"):
        return frozenset(p.strip().lower() for p in text.split(",") if p.strip())
    if opt.type == "path" and text:
        return os.path.normpath(text)
    if opt.name.startswith("character_set_"):
        return charsets.charset(text, utf8mb3)
    if opt.name.startswith("collation_"):
        return charsets.collation(text, utf8mb3)
    return text.upper()


def live_value(opt: Option, text: str) -> Any:
    """A SHOW VARIABLES value converted like an option value (the text when it does not
    convert: read-only variables show forms no option file may hold)."""
    conv = convert(opt, text)
    return text if conv.fatal or conv.value is None else conv.value


def compare(settings: dict[str, Setting], variables: dict[str, str], flavor: str
            ) -> list[Drift]:
    """Every file setting whose value differs from the live variable of the same name."""
    cat = catalogue_mod.load(flavor)
    old_mode = settings.get("old_mode")
    mb3 = charsets.server_utf8_is_utf8mb3(cat, old_mode.value if old_mode is not None else None)
    base = os.getcwd()
    out: list[Drift] = []
    for name in sorted(settings):
        s = settings[name]
        opt = s.option
        if not opt.sysvar or name not in variables or s.value is None:
            continue
        if name in ON_OFF_VARIABLES:
            mine: Any = "OFF" if str(s.value) == "0" else "ON"
            live: Any = variables[name].strip().upper()
            if mine != live:
                out.append(Drift(name, mine, live, model_mod.source_of(s, base, base)))
            continue
        live = live_value(opt, variables[name])
        mine = s.value
        if name == "character_set_server" and isinstance(mine, str) and "," in mine:
            known = {charsets.charset(c) for c in cat.charsets}  # the server took one name
            mine = charsets.first_known(mine, known, mb3)[0] or mine
        if _canonical(opt, mine, cat.is_mariadb, mb3) == \
                _canonical(opt, live, cat.is_mariadb, mb3):
            continue
        out.append(Drift(name, shown(name, s.value), shown(name, live),
                         model_mod.source_of(s, base, base)))
    return out


def findings(drifts: list[Drift], settings: dict[str, Setting], rules: RuleSet,
             label: str) -> list[Finding]:
    """One live-drift finding per drift, at the file line that sets the value."""
    rule = rules["live-drift"]
    out = []
    for d in drifts:
        s = settings[d.variable]
        kind = s.option.type
        out.append(finding(
            rule, s.file, s.line,
            f"{d.variable} is {fmt_value(kind, d.file_value)} here but "
            f"{fmt_value(kind, d.live_value)} live on {label}: a SET GLOBAL never written to "
            "the file, a file changed since the server started, or a file or command line "
            "the server read instead; the next restart changes it", d.variable, column=s.column))
    return out
