"""`render`: the article's configuration (templates/my.cnf.j2) plus what `check --fix` changes.

The template holds the article's settings and values. Rendering it as it is gives the article's
file; that file is then linted with the profile, and the fixes `check --fix --unsafe-fixes`
would plan for it (the fixer's own planning, pass after pass) are taken back into the template,
each with a comment naming the rule that asked for it. So a value differs from the article's
only where a rule flags it, and render and check cannot disagree. `--set` values are pinned: no
fix moves them, and whatever `check` still says about the result comes back as warnings.
jinja2 is imported here only.
"""

from __future__ import annotations

import os
import re
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mycnf_lint import __version__
from mycnf_lint.findings import Finding
from mycnf_lint.lint.ruleset import RuleError, RuleSet
from mycnf_lint.profiles import Profile, ProfileError, resolve_profile
from mycnf_lint.reader.catalogue import (
    Catalogue,
    Option,
    OptionSet,
    UnknownFlavor,
    load,
    normalize,
    suggest,
)
from mycnf_lint.reader.optionfile import Kind, OptionFile
from mycnf_lint.reader.values import SUFFIXES, convert
from mycnf_lint.resources import data_dir
from mycnf_lint.secrets import shown as secret_shown

TEMPLATE = "my.cnf.j2"
SERVER = "mysqld"
_ALIASES = (("replica_", "slave_"), ("slave_", "replica_"))
_NUMBER = re.compile(r"^([+-]?\d+)([kmgtpe])?$", re.I)
_DIRECTIVE = re.compile(r"^!\s*include", re.I)
_WIDTH = 96  # comment lines are wrapped at this width

Key = tuple[str, str]  # (group, option name as the template writes it, normalized)


class RenderError(ValueError):
    """Why nothing could be rendered: one line for the user."""


@dataclass(frozen=True)
class Change:
    """A value that is not the article's: a rule's recommendation or a --set value."""

    text: str  # the value as written
    why: str  # the comment above it, without '# '
    name: str | None = None  # a new spelling of the option (a rule's rename)


@dataclass(frozen=True)
class ArticleSetting:
    """One setting of the template, as the article writes it."""

    group: str
    name: str
    value: str

    @property
    def key(self) -> Key:
        return (self.group, normalize(self.name))


@dataclass
class Rendered:
    """The rendered file and what the user should know about it."""

    text: str
    values: dict[str, Any]  # server option (normalized template name) -> value the server uses
    warnings: list[str] = field(default_factory=list)
    changes: dict[Key, Change] = field(default_factory=dict)  # what is not the article's


def _twins(name: str) -> list[str]:
    """`name` and its replica_/slave_ twin, `name` first."""
    return [name] + [b + name[len(a):] for a, b in _ALIASES if name.startswith(a)]


def flavor_name(cat: Catalogue, name: str) -> str | None:
    """The name this flavor uses for server option `name`: itself, or its replica_/slave_ twin;
    the one that is not deprecated wins; None when the flavor has neither."""
    known = [(n, o) for n in _twins(normalize(name)) if (o := cat.server.get(n)) is not None]
    for n, o in known:
        if not o.deprecated:
            return n
    return known[0][0] if known else None


def _spelling(cat: Catalogue, group: str, name: str) -> str | None:
    """How this flavor's file writes option `name` of `group` (the template's own spelling
    where the flavor knows it so); None when the group's program does not have it."""
    if group == SERVER:
        found = flavor_name(cat, name)
        return name if found == normalize(name) else found
    options: OptionSet | None = cat.clients.get(group)
    return name if options is not None and options.get(name) is not None else None


def parse_set(item: str, cat: Catalogue) -> tuple[str, Option, str, Any]:
    """`VAR=VALUE` -> (name, option, text, value), validated against the catalogue."""
    name, eq, text = item.partition("=")
    name = normalize(name)
    if not eq or not name:
        raise RenderError(f"--set {item!r}: expected VAR=VALUE")
    opt = cat.server.get(name)
    if opt is None:
        hint = suggest(name, cat.server.names())
        did = f"; did you mean {hint}?" if hint else ""
        raise RenderError(f"--set {name}: {cat.flavor} has no such variable{did}")
    if any(c in text for c in "\n\r") or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise RenderError(f"--set {name}: a value may not hold a newline or control character")
    text = text.strip()
    said = secret_shown(name, text, opt.getopt)  # errors never show a password
    if "[" in text or "#" in text or _DIRECTIVE.match(text):
        raise RenderError(f"--set {name}={said}: '[', '#' and !include/!includedir are not "
                          "allowed in a value (they would change the file's structure)")
    if text == "":
        raise RenderError(f"--set {name}: give a value")
    got = convert(opt, text)
    if got.problems or got.keep_previous:
        why = "; ".join(p.message for p in got.problems or ()) or "the server ignores it"
        raise RenderError(f"--set {name}={said}: {why}")
    m = _NUMBER.match(text)
    if opt.type == "duration" and m and m.group(2):
        raise RenderError(f"--set {name}={said}: timeouts are plain seconds; "
                          f"'{m.group(2)}' is a size suffix ({got.value} seconds)")
    if opt.is_numeric and opt.getopt != "double" and m:
        meant = int(m.group(1)) << SUFFIXES.get((m.group(2) or "").lower(), 0)
        if meant != got.value:
            raise RenderError(f"--set {name}={said}: the server would use {got.value} "
                              f"(a multiple of {opt.block_size or 1}), not {meant}")
    return name, opt, text, got.value


@cache
def _template() -> Any:
    """The article's template, loaded and compiled once a process (render runs it each pass)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=False,  # an option file, not HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    ).get_template(TEMPLATE)


@cache
def article() -> tuple[ArticleSetting, ...]:
    """The template's settings in their order, with the article's values."""
    found: list[ArticleSetting] = []

    def record(group: str, name: str, value: str, why: str) -> str:
        found.append(ArticleSetting(group, name, value))
        return ""

    _template().render(
        setting=record, extras=[], version="", flavor="", product="", profile="", summary="")
    return tuple(found)


def _line(name: str, text: str) -> str:
    return f"{name:<19} = {text}"


def _comment(text: str) -> str:
    return "\n".join(textwrap.wrap(text, _WIDTH - 2, initial_indent="# ",
                                   subsequent_indent="#   ", break_on_hyphens=False))


class _Draft:
    """The template with the changes taken so far; renders it and takes a pass's fixes."""

    def __init__(self, cat: Catalogue, profile: Profile, given: bool, rules: RuleSet) -> None:
        self.cat, self.profile, self.given, self.rules = cat, profile, given, rules
        self.settings = {s.key: s for s in article()}
        self.changes: dict[Key, Change] = {}
        self.extras: dict[Key, Change] = {}  # server options the article does not set
        self.pinned: set[Key] = set()  # --set: no fix moves them
        self.written: dict[Key, Key] = {}  # (group, normalized name as written) -> key

    def pin(self, sets: Sequence[str]) -> None:
        """Take the --set values: a setting of the template, or one more server option."""
        for item in sets:
            name, _, text, _ = parse_set(item, self.cat)
            key = next(((SERVER, n) for n in _twins(name) if (SERVER, n) in self.settings),
                       (SERVER, name))
            if key in self.pinned:
                raise RenderError(f"--set {name} is given twice")
            self.pinned.add(key)
            if key in self.settings:  # the comment never repeats the value: it may be secret
                was = self.settings[key].value
                self.changes[key] = Change(text, f"set with --set (the article has {was})")
            else:
                self.extras[key] = Change(text, "set with --set (the article does not set it)")

    def _setting(self, group: str, name: str, value: str, why: str) -> str:
        key = (group, normalize(name))
        change = self.changes.get(key)
        spelled = (change.name if change and change.name else None) or _spelling(
            self.cat, group, name)
        if spelled is None:
            return _comment(f"{name} is left out: {self.cat.flavor} does not have it")
        self.written[(group, normalize(spelled))] = key
        if change is None:
            return why.rstrip("\n") + "\n" + _line(spelled, value)
        return _comment(change.why) + "\n" + _line(spelled, change.text)

    def text(self) -> str:
        self.written = {}
        extras = []
        for key, change in self.extras.items():
            name = change.name or key[1]
            self.written[(SERVER, normalize(name))] = key
            extras.append(_comment(change.why) + "\n" + _line(name, change.text))
        return _template().render(
            setting=self._setting, extras=extras, version=__version__, flavor=self.cat.flavor,
            product="MariaDB" if self.cat.is_mariadb else "MySQL",
            profile=self._profile_line(), summary=self._summary())

    def _profile_line(self) -> str:
        if not self.given:
            return "none given (check's 'default' profile)"
        about = f": {self.profile.description}" if self.profile.description else ""
        return f"{self.profile.name}{about}"

    def _summary(self) -> str:
        by_rule = (self.changes.keys() | self.extras.keys()) - self.pinned
        if not by_rule:
            said = "Every value is the article's: no mycnf-lint rule flags one for this profile"
        else:
            said = ("Every value is the article's except where a mycnf-lint rule flags it for "
                    "this profile: there the rule's value replaces it and the comment above it "
                    "names the rule")
        return said + (". Values given with --set say so." if self.pinned else ".")

    def _target(self, finding: Finding, lines: dict[int, Key]) -> Key | None:
        edit = finding.edit
        if edit is None:
            return None
        if edit.action == "add-option":
            return (edit.group or SERVER, normalize(edit.name))
        return lines.get(edit.line)

    def take(self, findings: list[Finding], files: list[OptionFile], path: str) -> bool:
        """Plan the fixes of one lint pass as `check --fix --unsafe-fixes` does and take those
        the fixer would apply; whether anything changed."""
        from mycnf_lint.fix.planning import plan

        lines = {ln.number: self.written.get((ln.group or "", normalize(ln.key)), ("", ""))
                 for of in files if of.path == path for ln in of.lines if ln.kind is Kind.OPTION}
        wanted = [f for f in findings if f.edit is not None and f.edit.file == path
                  and self._target(f, lines) not in self.pinned]
        changed = False
        for fx in plan(wanted, files, True, self.cat.flavor, SERVER, [path], [path]):
            for f in fx.applied:
                changed |= self._apply(f, self._target(f, lines))
        return changed

    def _apply(self, finding: Finding, key: Key | None) -> bool:
        edit = finding.edit
        if edit is None or key is None or (key not in self.settings and key[0] != SERVER):
            return False  # a line the template did not write, or an option for a client group
        table = self.changes if key in self.settings else self.extras
        old = table.get(key)
        was = self.settings[key].value if key in self.settings else None
        text = old.text if old else (was or "")
        name = old.name if old else None
        if edit.action in ("set-value", "add-option"):
            text = edit.value
        elif edit.action == "rename":
            name = edit.name
        else:
            return False  # an edit the template cannot express stays a warning
        if old is not None and (old.text, old.name) == (text, name):
            return False
        rule = self.rules.get(finding.rule)
        title = rule.title if rule else finding.name
        said = f"the article has {was}" if was is not None else "the article does not set it"
        table[key] = Change(text, f"{finding.rule} {finding.name}: {title} ({said}; profile "
                                  f"{self.profile.name})", name)
        return True


def render(profile_spec: str | None, flavor: str, sets: Sequence[str] | None = None,
           profile_table: dict[str, Any] | None = None, rules_files: Sequence[str] = (),
           select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Rendered:
    """The article's configuration for `flavor`, with what `check --fix --unsafe-fixes` changes
    in it under the profile (a name or file, else a configuration's profile table, else none),
    the `VAR=VALUE` overrides pinned. Rules files, select and ignore are check's."""
    from mycnf_lint.fix.run import MAX_FIX_PASSES
    from mycnf_lint.lint.pipeline import Options, run, selected
    from mycnf_lint.lint.ruleset import load as load_rules

    try:
        cat = load(flavor)
        profile = resolve_profile(profile_spec, profile_table)
        rules = load_rules(list(rules_files))
    except (UnknownFlavor, ProfileError, RuleError) as exc:
        raise RenderError(str(exc)) from None
    draft = _Draft(cat, profile, bool(profile_spec or profile_table), rules)
    draft.pin(sets or [])
    opts = Options(flavor=cat.flavor, rules_files=list(rules_files), profile=profile_spec,
                   profile_table=profile_table)
    with tempfile.TemporaryDirectory(prefix="mycnf-lint-render-") as tmp:
        path = os.path.join(tmp, "my.cnf")
        for attempt in range(MAX_FIX_PASSES + 1):
            text = draft.text()
            Path(path).write_text(text, encoding="utf-8", newline="")
            try:
                result = run([path], opts)
            except (ProfileError, RuleError) as exc:
                raise RenderError(str(exc)) from None
            findings = selected(result.findings, list(select), list(ignore))
            if attempt == MAX_FIX_PASSES or not draft.take(findings, result.files, path):
                break
        values = _values(path, cat)
        warnings = [f"line {f.line}: {f.rule} {f.name}: " + f.message.replace(tmp + os.sep, "")
                    for f in findings]
    return Rendered(text, values, warnings, {**draft.changes, **draft.extras})


def _values(path: str, cat: Catalogue) -> dict[str, Any]:
    """What the server makes of the rendered file, for its own options."""
    from mycnf_lint.reader.includes import read_tree
    from mycnf_lint.reader.model import build

    server = build(read_tree(path), cat)
    return {normalize(name): value for name, s in server.effective.items()
            if (value := s.value) is not None}

