"""`render`: a workload profile -> values through the rules' own conditions -> a my.cnf.

Values start from a small table of production defaults (expressions over the profile, in the
rules' language), then every condition rule of rules/*.toml is evaluated exactly as the engine
does and its recommended value taken whenever it would fire, until nothing fires: the file is
lint-clean under its own profile by construction. `--set` pins a value the rules may not move;
whatever `check` then says about the rendered text comes back as warnings. jinja2 is imported
here only.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mycnf_lint import __version__
from mycnf_lint.lint import expr
from mycnf_lint.lint.engine import file_value
from mycnf_lint.lint.ruleset import Rule, RuleError
from mycnf_lint.lint.ruleset import load as load_rules
from mycnf_lint.profiles import (
    KEYS,
    Profile,
    ProfileError,
    human_duration,
    human_size,
    resolve_profile,
)
from mycnf_lint.reader.catalogue import Catalogue, Option, UnknownFlavor, load, normalize, suggest
from mycnf_lint.reader.values import SUFFIXES, convert
from mycnf_lint.resources import data_dir

TEMPLATE = "my.cnf.j2"
# generic name -> starting value, an expression over the profile (the rules' own language);
# the template renders these names, in its own sections and order
BASE: dict[str, str] = {
    "max_connections": "max(151, roundup(profile.connections * 5 // 4, 10))",
    "max_connect_errors": "100000",
    # twice the pool's recycle time, else the server's 8 hours
    "wait_timeout": "min(28800, max(2 * profile.pool_recycle, profile.pool_recycle + 300))",
    "interactive_timeout": "28800",
    "connect_timeout": "10",
    "max_allowed_packet": "67108864",
    "net_buffer_length": "16384",
    "net_read_timeout": "30",
    "net_write_timeout": "60",
    "skip_name_resolve": "False",
    "log_error": "'/var/log/mysql/error.log'",
    "slow_query_log": "True",
    "slow_query_log_file": "'/var/log/mysql/slow.log'",
    "long_query_time": "min(max(2, profile.longest_query // 60), 60)",
    "replica_max_allowed_packet": "1073741824",
}
_ALIASES = (("replica_", "slave_"), ("slave_", "replica_"))
_MAX_PASSES = 10
_NUMBER = re.compile(r"^([+-]?\d+)([kmgtpe])?$", re.I)
_DIRECTIVE = re.compile(r"^!\s*include", re.I)


class RenderError(ValueError):
    """Why nothing could be rendered: one line for the user."""


@dataclass
class Setting:
    """One rendered option: the flavor's name for it, its value and who decided it."""

    name: str  # the name the flavor knows (replica_... or slave_...)
    value: Any
    text: str | None  # the value as written; None for a bare switch
    rule: str | None = None  # the rule whose recommendation set it
    user: bool = False  # pinned with --set


@dataclass
class Rendered:
    """The rendered file and what the user should know about it."""

    text: str
    values: dict[str, Any]  # generic name -> final value
    warnings: list[str] = field(default_factory=list)


def _twins(name: str) -> list[str]:
    """`name` and its replica_/slave_ twin, `name` first."""
    return [name] + [b + name[len(a):] for a, b in _ALIASES if name.startswith(a)]


def flavor_name(cat: Catalogue, name: str) -> str | None:
    """The name this flavor uses for `name`: itself, or its replica_/slave_ twin; the one that
    is not deprecated wins; None when the flavor has neither."""
    known = [(n, o) for n in _twins(name) if (o := cat.server.get(n)) is not None]
    for n, o in known:
        if not o.deprecated:
            return n
    return known[0][0] if known else None


def _key(values: dict[str, Any], name: str) -> str:
    """The key under which `values` holds `name` (or its replica_/slave_ twin)."""
    return next((n for n in _twins(name) if n in values), name)


def _lookup(values: dict[str, Any], name: str) -> Any:
    """A value as the engine's Context.value gives it."""
    return True if name == "has_server_group" else values.get(_key(values, name))


def _fires(rule: Rule, values: dict[str, Any], profile: Profile) -> bool:
    """engine._evaluate_condition's decision, over plain values."""
    data = rule.data
    if any(profile.get(k) is None for k in data.get("requires", [])):
        return False
    only = data.get("profiles")
    if only and profile.name not in only:
        return False
    when = data["when"]
    variables = {n: _lookup(values, n) for n in expr.names(when)}
    return expr.evaluate(when, variables, profile.values) is True


def _recommend(rule: Rule, values: dict[str, Any], profile: Profile) -> tuple[str | None, Any]:
    """The variable a firing rule sets and the value it recommends (None: no recommendation)."""
    data = rule.data
    target = data.get("variables", [None])[0] or next(iter(sorted(expr.names(data["when"]))),
                                                      None)
    if not target or not data.get("recommend"):
        return target, None
    src = data["recommend"]
    value = expr.evaluate(src, {n: _lookup(values, n) for n in expr.names(src)}, profile.values)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return target, value


def settle(values: dict[str, Any], profile: Profile, rules: list[Rule], pinned: set[str]
           ) -> tuple[dict[str, Any], dict[str, str]]:
    """Take every firing rule's recommendation until no rule fires (pinned values stay);
    returns the values and which rule set each value it changed."""
    values = dict(values)
    set_by: dict[str, str] = {}
    conditions = [r for r in rules if "when" in r.data]
    for _ in range(_MAX_PASSES):
        changed = False
        for rule in conditions:
            if not _fires(rule, values, profile):
                continue
            target, value = _recommend(rule, values, profile)
            key = _key(values, target or "")
            if target is None or value is None or key in pinned or values.get(key) == value:
                continue
            values[key] = value
            set_by[key] = rule.name
            changed = True
        if not changed:
            return values, set_by
    raise RenderError("the rules keep changing each other's recommendations: "
                      + ", ".join(sorted(set_by)))


def lint_text(text: str, flavor: str, profile_spec: str | None,
              profile_table: dict[str, Any] | None = None) -> list[str]:
    """What `check` says about the rendered text under its own profile (nothing, unless a
    --set value or the profile itself stands in the way), one line per finding."""
    from mycnf_lint.lint.pipeline import Options, check

    with tempfile.TemporaryDirectory(prefix="mycnf-lint-render-") as tmp:
        path = os.path.join(tmp, "my.cnf")
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        findings = check([path], Options(flavor=flavor, profile=profile_spec,
                                         profile_table=profile_table))
        return [f"line {f.line}: {f.rule} {f.name}: " + f.message.replace(tmp + os.sep, "")
                for f in findings]


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
    if "[" in text or "#" in text or _DIRECTIVE.match(text):
        raise RenderError(f"--set {name}={text}: '[', '#' and !include/!includedir are not "
                          "allowed in a value (they would change the file's structure)")
    if text == "":
        raise RenderError(f"--set {name}: give a value")
    got = convert(opt, text)
    if got.problems or got.keep_previous:
        why = "; ".join(p.message for p in got.problems or ()) or "the server ignores it"
        raise RenderError(f"--set {name}={text}: {why}")
    m = _NUMBER.match(text)
    if opt.type == "duration" and m and m.group(2):
        raise RenderError(f"--set {name}={text}: timeouts are plain seconds; "
                          f"'{m.group(2)}' is a size suffix ({got.value} seconds)")
    if opt.is_numeric and opt.getopt != "double" and m:
        meant = int(m.group(1)) << SUFFIXES.get((m.group(2) or "").lower(), 0)
        if meant != got.value:
            raise RenderError(f"--set {name}={text}: the server would use {got.value} "
                              f"(a multiple of {opt.block_size or 1}), not {meant}")
    return name, opt, text, got.value


def _bare(opt: Option, value: Any) -> bool:
    """skip-name-resolve reads best as a bare switch; other booleans are written ON/OFF."""
    return value is True and opt.name.startswith("skip_") and opt.arg != "required"


def _text(opt: Option, value: Any) -> str | None:
    if _bare(opt, value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return file_value(opt.type, value)


def _check_value(opt: Option, text: str | None, value: Any) -> None:
    got = convert(opt, text)
    if got.problems or got.value != value:
        raise RenderError(f"{opt.name} = {text}: the rules recommend a value the server would "
                          f"not take as is ({got.value}); a rule's recommend is wrong")


def _profile_view(profile: Profile) -> dict[str, Any]:
    view: dict[str, Any] = {"name": profile.name, "description": profile.description,
                            "origin": profile.origin}
    for key, (kind, _) in KEYS.items():
        v = profile.get(key)
        if isinstance(v, int) and kind == "duration":
            v = human_duration(v)
        elif isinstance(v, int) and kind == "size":
            v = human_size(v)
        view[key] = v
    return view


def _overrides(sets: list[str], cat: Catalogue) -> dict[str, tuple[Option, str, Any]]:
    """`--set` items by the generic name the values use (replica_ and slave_ are one)."""
    out: dict[str, tuple[Option, str, Any]] = {}
    for item in sets:
        name, opt, text, value = parse_set(item, cat)
        key = next((g for g in BASE if name in _twins(g)), name)
        if key in out:
            raise RenderError(f"--set {name} is given twice")
        out[key] = (opt, text, value)
    return out


def _settings(values: dict[str, Any], set_by: dict[str, str],
              overrides: dict[str, tuple[Option, str, Any]], cat: Catalogue
              ) -> dict[str, Setting]:
    """Final values -> the settings to write, only for options the flavor has."""
    out: dict[str, Setting] = {}
    for key, value in values.items():
        name = flavor_name(cat, key)
        opt = cat.server.get(name) if name else None
        if name is None or opt is None or value is None:
            continue
        text: str | None
        if key in overrides:
            text = None if _bare(opt, value) else overrides[key][1]
        else:
            text = _text(opt, value)
            _check_value(opt, text, value)
        out[key] = Setting(name, value, text, set_by.get(key), key in overrides)
    return out


def _client_groups(cat: Catalogue, packet: Setting | None) -> dict[str, dict[str, str | None]]:
    """[mysqldump] and [mysql]: packet limits equal to the server's, and only options each
    client knows (never [client]: not every client knows max_allowed_packet)."""
    wanted: dict[str, dict[str, str | None]] = {"mysqldump": {"quick": None}, "mysql": {}}
    out: dict[str, dict[str, str | None]] = {}
    for program, opts in wanted.items():
        if packet is not None and packet.text is not None:
            opts["max_allowed_packet"] = packet.text
        known = cat.clients.get(program)
        out[program] = {n: t for n, t in opts.items() if known and known.get(n) is not None}
    return out


def render(profile_spec: str | None, flavor: str, sets: list[str] | None = None,
           profile_table: dict[str, Any] | None = None) -> Rendered:
    """Render the my.cnf for a profile (a name or file, else a configuration's profile
    table) and flavor, with `VAR=VALUE` overrides."""
    try:
        cat = load(flavor)
        profile = resolve_profile(profile_spec, profile_table)
        rules = load_rules().rules
    except (UnknownFlavor, ProfileError, RuleError) as exc:
        raise RenderError(str(exc)) from None
    overrides = _overrides(sets or [], cat)
    start = {k: expr.evaluate(src, {}, profile.values) for k, src in BASE.items()}
    start.update({k: v[2] for k, v in overrides.items()})
    values, set_by = settle(start, profile, rules, set(overrides))
    settings = _settings(values, set_by, overrides, cat)
    clients = _client_groups(cat, settings.get("max_allowed_packet"))
    context = {
        "version": __version__,
        "flavor": cat.flavor,
        "product": "MariaDB" if cat.is_mariadb else "MySQL",
        "profile": _profile_view(profile),
        "s": {k: v for k, v in settings.items() if k in BASE},
        "extra": [v for k, v in settings.items() if k not in BASE],
        "dump": clients["mysqldump"],
        "mysql": clients["mysql"],
    }
    text = _template().render(**context)
    return Rendered(text, values, lint_text(text, cat.flavor, profile_spec, profile_table))


def _template() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=False,  # an option file, not HTML
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE)


def write_atomic(path: str, text: str) -> None:
    """Write `text` to `path` through a temp file in the same folder, fsync, os.replace."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode & ~0o002)  # the server ignores a world-writable option file
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
