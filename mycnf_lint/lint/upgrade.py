"""Fixes for what makes a server refuse a file, written with the target flavor's facts.

`check --flavor TARGET --fix` is an upgrade: a removed option becomes its successor with the
value converted (safe), a removed option set to the behaviour that remains is deleted (safe),
an option another flavor knows gets `loose-`, an unknown one is commented out with a note, a
client option under a server group moves or becomes its server counterpart, an invalid value
becomes the value it obviously meant or the default (a SET member that is a clear typo of
one allowed member becomes that member, one that matches none is dropped; flag lists the
same way: lint/flagfix.py) (all unsafe). The facts per removed option are data:
rules/upgrades.toml, with their sources. What the text cannot fix (a plugin library that is
missing) gets no fix, and the message says why.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from mycnf_lint.findings import Edit, Finding
from mycnf_lint.lint.flagfix import flags
from mycnf_lint.lint.ruleset import UPGRADES_FILE
from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader.catalogue import Catalogue, normalize
from mycnf_lint.reader.optionfile import Kind, Line
from mycnf_lint.resources import data_dir

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from mycnf_lint.reader.includes import ReadResult
    from mycnf_lint.reader.settings import Model

RULES = {"unknown-option", "ambiguous-option", "invalid-value", "invalid-number", "startup-check",
         "missing-includedir"}
_PREFIXES = ("skip_", "disable_", "enable_")
_SUFFIXED = re.compile(r"^\s*(\d+)\s*([kmgtpe])[a-z]*\s*$", re.I)
Remedy = tuple[Edit, str, str]  # the edit, "safe" | "unsafe", what it does (for the message)
_REMEMBERED = 4_096


@cache
def facts() -> dict[str, Any]:
    """rules/upgrades.toml: successors, conversions and remaining values per removed option."""
    from mycnf_lint import tomlfile

    return tomlfile.load(str(data_dir("rules") / UPGRADES_FILE))


@cache
def _other_flavors(flavor: str) -> tuple[Catalogue, ...]:
    return tuple(catalogue_mod.load(f) for f in catalogue_mod.available_flavors() if f != flavor)


def _sep(key: str) -> str:
    return "-" if "-" in key and "_" not in key else "_"


def _spelled(name: str, key: str) -> str:
    return name.replace("_", _sep(key))


def _number(text: str) -> float | None:
    try:
        return float(text.strip().strip("'\""))
    except ValueError:
        return None


def _converted(fact: dict[str, Any], value: str) -> str | None:
    """The old value in the successor's terms; None when it cannot be converted."""
    if "factor" in fact:
        n = _number(value)
        if n is None:
            return None
        out = n * fact["factor"]
        return str(int(out)) if out == int(out) else str(out)
    if "map" in fact:
        v = value.strip().upper()
        if v in fact["map"]:
            return str(fact["map"][v])
        n = _number(v)
        if n is not None and "above" in fact and n > 0:
            return str(fact["above"])
        return value if fact.get("others_as_is") and n is None else None
    if "template" in fact:
        return str(fact["template"]).format(value=value.strip())
    return value


def renamed(line: Line, name: str, successor: str, cat: Catalogue) -> Edit | None:
    """The edit that writes a deprecated option as its successor (value converted), None
    where the successor does not take the same value (rules/upgrades.toml: rename = false)."""
    fact = facts()["option"].get(name, {})
    if fact.get("rename") is False:
        return None
    found = _successor(line, name, cat, successor)
    return found[0] if found is not None and found[1] == "safe" else None


def _successor(line: Line, name: str, cat: Catalogue, succ: str | None = None) -> Remedy | None:
    fact = facts()["option"].get(name, {})
    gone = cat.removed.get(name) or {}
    succ = succ or fact.get("successor") or gone.get("replaced_by")
    if not succ or fact.get("rename") is False:
        return None
    stem = succ
    for p in _PREFIXES:
        stem = stem[len(p):] if stem.startswith(p) else stem
    if cat.server.get(stem) is None:
        return None
    key, path = line.key, ""
    safety = "unsafe" if fact.get("unsafe") else "safe"
    extra = tuple((_spelled(n, key), str(v)) for n, v in fact.get("also", {}).items())
    if not line.has_value or line.value == "":
        bare = fact.get("bare")
        if bare:
            (n, v), *rest = bare.items()
            edit = Edit("replace-option", path, line.number, _spelled(n, key), str(v),
                        extra=tuple((_spelled(k, key), str(x)) for k, x in rest))
            return edit, safety, f"line becomes {n} = {v}"
        edit = Edit("rename", path, line.number, _spelled(succ, key))
        return edit, safety, f"line becomes {succ}"
    value = _converted(fact, line.value)
    if value is None:
        return None
    new = "" if value == line.value else value
    edit = Edit("replace-option", path, line.number, _spelled(succ, key), new, extra=extra)
    also = "".join(f" and {n} = {v}" for n, v in fact.get("also", {}).items())
    return edit, safety, f"line becomes {succ} = {value}{also}"


def _remains(line: Line, name: str, cat: Catalogue) -> Remedy | None:
    fact = facts()["option"].get(name, {})
    remains = [str(v).upper() for v in fact.get("remains", [])]
    if not remains or name not in cat.removed and cat.server.get(name) is not None:
        return None
    value = (line.value if line.has_value else "1").strip().upper()
    if "*" in remains or value in remains:
        return (Edit("delete-line", "", line.number, line.key), "safe",
                "line is deleted: what it set is what the server does now")
    return None


def _plugin_library(name: str, read: ReadResult) -> str | None:
    """The plugin library loaded in the files whose options `name` belongs to."""
    for lib, base in _libraries(read):
        if name.startswith(base):
            return lib
    return None


_LIBRARIES: list[Any] = [None, []]  # the files last asked about and their libraries
_PLUGIN_LOAD = re.compile(rb"plugin[-_]load", re.IGNORECASE)  # in every line that loads one


def _libraries(read: ReadResult) -> list[tuple[str, str]]:
    """The plugin libraries the files load, in line order, with their bare names: read once
    for all the unknown options of the files (once each made 200,000 lines quadratic)."""
    if _LIBRARIES[0] is not read:
        found = []
        for _, _, _, ln in read.lines.containing(_PLUGIN_LOAD):
            if ln.kind is not Kind.OPTION or not normalize(ln.key).startswith((
                    "plugin_load", "loose_plugin_load")):
                continue
            for item in re.split(r"[;,]", ln.value):
                lib = item.split("=")[-1].strip()
                base = lib.rsplit("/", 1)[-1].removesuffix(".so").removesuffix(".dll")
                base = base.removeprefix("ha_")
                if base:
                    found.append((lib, base))
        _LIBRARIES[:] = [read, found]
    libraries: list[tuple[str, str]] = _LIBRARIES[1]
    return libraries


def _unknown(line: Line, cat: Catalogue, model: Model, read: ReadResult) -> Remedy | str | None:
    name = normalize(line.key)
    found = _successor(line, name, cat) or _remains(line, name, cat)
    if found:
        return found
    stem = name
    for p in _PREFIXES:
        stem = stem[len(p):] if stem.startswith(p) else stem
    lib = _plugin_library(stem, read)
    if lib:
        return (f"it belongs to the plugin library {lib} loaded by this file: if the library is "
                "missing on this machine no edit of the text helps (install it), so --fix "
                "leaves the line")
    if any(name in c.options for c in cat.clients.values()) and cat.server.get(name) is None:
        counterpart = facts().get("client_option", {}).get(name, {}).get("server")
        if counterpart and counterpart not in model.effective:
            return (Edit("rename", "", line.number, _spelled(counterpart, line.key)), "unsafe",
                    f"line becomes its server counterpart {counterpart}")
        return (Edit("move-to-group", "", line.number, line.key, group="client"), "unsafe",
                "line moves to [client]")
    if name not in cat.removed and any(c.server.get(stem) is not None
                                       for c in _other_flavors(cat.flavor)):
        return (Edit("rename", "", line.number, "loose-" + line.key), "unsafe",
                f"line gets loose-: {cat.flavor} skips it, a flavor that knows it keeps it")
    gone = cat.removed.get(name)
    why = f"removed in {gone.get('removed_in')}" if gone else f"unknown to {cat.flavor}"
    return _comment(line, why)


def _comment(line: Line, why: str) -> Remedy:
    return (Edit("comment-out", "", line.number, line.key, sys.intern(f"mycnf-lint: {why}")),
            "unsafe", "line is commented out")


def _meant(opt: catalogue_mod.Option, text: str) -> str | None:
    """The value `text` obviously meant for `opt`, else the option's default."""
    if opt.values and opt.type in ("enum", "boolean") or opt.getopt == "enum":
        values = list(opt.values or ())
        import difflib  # only for a value no rule names: off check's start-up path

        close = difflib.get_close_matches(text.strip().upper(), [v.upper() for v in values], 1)
        if close:
            return values[[v.upper() for v in values].index(close[0])]
    elif opt.is_numeric and (m := _SUFFIXED.match(text)):
        return m.group(1) + m.group(2).upper()
    if opt.default is None:
        return None
    if isinstance(opt.default, bool):
        return "ON" if opt.default else "OFF"
    if isinstance(opt.default, float) and opt.default.is_integer():
        return str(int(opt.default))
    return str(opt.default)


def _members(opt: catalogue_mod.Option, text: str) -> tuple[str, str] | None:
    """A SET value with each member the server does not know read as the one allowed member
    it is a clear typo of (the "did you mean" of option names), or dropped when none is;
    members kept in the file's order and spelling, a corrected one in the file's case. With
    what happened, for the message; None when no member is left."""
    allowed = {v.lower(): v for v in opt.values or ()}
    keep: list[str] = []
    notes: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low = part.lower()
        match = low if low in allowed else catalogue_mod.suggest(low, list(allowed), unique=True)
        if match is None:
            near = catalogue_mod.suggest(low, list(allowed))
            notes.append(f"{part} matches no allowed member and is dropped" if near is None else
                         f"{part} is as close to {allowed[near]} as to another member and is "
                         "dropped")
            continue
        member = part if match == low else allowed[match].lower() if part.islower() \
            else allowed[match]
        if match != low:
            notes.append(f"{part} read as {member}")
        if match not in {k.lower() for k in keep}:
            keep.append(member)
    if not keep:
        return None
    value = ",".join(keep)
    default = {d.strip().lower() for d in str(opt.default or "").split(",") if d.strip()}
    if opt.default is not None and {k.lower() for k in keep} == default:
        notes.append("which is the default")
    return value, "; ".join(notes) or "what it meant"


def _collation(value: str, owner_charset: str | None, cat: Catalogue, utf8mb3: bool = True
               ) -> str | None:
    """The collation meant: the same collation of the right character set (utf8 resolved as
    the server's old_mode makes it), or its nearest."""
    from mycnf_lint.reader import charsets

    known = {k.lower() for k in cat.collations}
    co = value.strip().strip("'\"").lower()
    if owner_charset is not None:
        sets = {charsets.charset(c) for c in cat.charsets}
        owner_charset = charsets.first_known(owner_charset, sets, utf8mb3)[0] or owner_charset
    charset = charsets.charset(owner_charset or co.split("_", 1)[0], utf8mb3)
    rest = co.split("_", 1)[1] if "_" in co else "general_ci"
    tries = [f"{charset}_{rest}"]
    if "0900" in rest:
        tries += [f"{charset}_uca1400_ai_ci", f"{charset}_unicode_520_ci", f"{charset}_0900_ai_ci"]
    tries += [f"{charset}_unicode_ci", f"{charset}_general_ci"]
    return next((t for t in tries if t in known), None)


def _value(f: Finding, line: Line, cat: Catalogue, model: Model) -> Remedy | None:
    from mycnf_lint.secrets import is_secret

    opt = cat.server.get(f.variable or normalize(line.key).removeprefix("loose_"))
    if opt is None or is_secret(opt.name) or not line.has_value:
        return None
    inputs: tuple[str, ...] = ()  # the settings the value is worked out from
    if f.name == "startup-check" and opt.name == "collation_server":
        inputs = ("character_set_server", "old_mode")
        cs = model.effective.get("character_set_server")
        owner = str(cs.value).lower() if cs is not None and "belongs to" in f.message else None
        if owner is None and "belongs to" in f.message:
            owner = re.sub(r".*default character set (\w+).*", r"\1", f.message)
        from mycnf_lint.reader.charsets import model_utf8_is_utf8mb3

        meant = _collation(line.value, owner, cat, model_utf8_is_utf8mb3(model))
    elif f.name == "startup-check" and opt.name == "secure_file_priv":
        return _comment(line, "the folder does not exist on this machine; create it and "
                              "restore the line, or the server sets no such restriction")
    elif opt.values and (opt.getopt == "set" and (members := _members(opt, line.value))
                         or opt.getopt == "flagset" and (members := flags(opt, line.value))):
        meant, what = members
        if meant != line.value:
            return (Edit("set-value", "", line.number, opt.name, meant), "unsafe",
                    f"value becomes {meant} ({what})")
    else:
        meant = _meant(opt, line.value)
    if meant is None or meant == line.value:
        return _comment(line, f"{cat.flavor} refuses this value") if opt.default is None else None
    what = "the default" if str(opt.default) == meant else "what it meant"
    if opt.getopt == "set":
        what += ": no member matches an allowed one"
    return (Edit("set-value", "", line.number, opt.name, meant, inputs=inputs), "unsafe",
            f"value becomes {meant} ({what})")


def attach(findings: Iterable[Finding], read: ReadResult, model: Model,
           cat: Catalogue) -> Iterator[Finding]:
    """The findings as they come, each cause of refusal in the text carrying the fix that
    removes it (one at a time: the findings before it are not kept)."""
    # the remedy of an unknown name as written, with its value: the same on every line that
    # says the same (but for the line number its edit is given); a few thousand remembered
    unknown: dict[tuple[str, bool, str], Remedy | str | None] = {}
    for f in findings:
        if not f.fatal or f.edit is not None or f.name not in RULES:
            yield f
            continue
        hit = read.line(f.file, f.line)
        if hit is None:
            yield f
            continue
        of, line = hit
        remedy: Remedy | str | None = None
        if f.name == "missing-includedir":
            remedy = _comment(line, "the folder does not exist on this machine")
        elif line.kind is not Kind.OPTION or line.parts:
            remedy = None
        elif f.name == "unknown-option":
            said = (line.key, line.has_value, line.value)
            if said in unknown:
                remedy = unknown[said]
            else:
                remedy = _unknown(line, cat, model, read)
                if len(unknown) < _REMEMBERED:
                    unknown[said] = remedy
        elif f.name == "ambiguous-option":
            name = normalize(line.key)
            remedy = _successor(line, name, cat) or _comment(line, f"ambiguous in {cat.flavor}")
        else:
            remedy = _value(f, line, cat, model)
        # identical messages (a name unknown on many lines) share one string
        if isinstance(remedy, str):
            yield replace(f, message=sys.intern(f"{f.message}; {remedy}"))
        elif remedy is None:
            yield f
        else:
            edit, safety, what = remedy
            edit = replace(edit, file=of.path, line=line.number)
            yield replace(f, message=sys.intern(f"{f.message}; --fix: the {what} ({safety})"),
                          fix=safety, edit=edit)
