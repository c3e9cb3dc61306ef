"""The fix for a refused flag list (optimizer_switch, optimizer_trace: `flag=on|off|default`
items, or `default`): each item the server takes kept as written, each item whose flag name
or value is a clear typo of exactly one flag or of on/off/default read as it, and only an
item that matches nothing dropped. Only the items are written, never the full default
string, so every flag the file did not name keeps the server's default.

What mariadbd 10.11 takes (checked with `mariadbd --help --verbose`): a partial list
(`index_merge=off` changes index_merge only), `default` as an item or as a value, any case;
it refuses a space after a comma, an empty item (a trailing comma), a flag or `default`
named twice, a prefix of a flag name and a flag with no `=value`.
"""

from __future__ import annotations

import re

from mycnf_lint.reader import catalogue as catalogue_mod

STATES = ("on", "off", "default")


def _cased(word: str, like: str) -> str:
    return word.upper() if like.isupper() else word


def _item(part: str, names: list[str]) -> tuple[str, str, str | None] | str:
    """The item `part` meant as (flag, item to write, what was read differently), or why it
    is dropped."""
    name, eq, state = (s.strip() for s in part.partition("="))
    low, st = name.lower(), state.lower()
    if not eq:
        meant = low if low == "default" else catalogue_mod.suggest(low, ["default"], True)
        if meant is not None:
            item = _cased(meant, name)
            return meant, item, None if low == meant else f"{part} read as {item}"
        return (f"{part} has no =on, =off or =default and is dropped" if low in names else
                f"{part} matches no flag and is dropped")
    flag = low if low in names else catalogue_mod.suggest(low, names, unique=True)
    if flag is None:
        near = catalogue_mod.suggest(low, names)
        return (f"{part} matches no flag and is dropped" if near is None else
                f"{part} is as close to {near} as to another flag and is dropped")
    value = st if st in STATES else catalogue_mod.suggest(st, list(STATES), unique=True)
    if value is None:
        return f"{part} has a value that is none of on, off, default and is dropped"
    item = (name if flag == low else _cased(flag, name)) + "=" + (
        state if value == st else _cased(value, state))
    return flag, item, None if (flag, value) == (low, st) else f"{part} read as {item}"


def flags(opt: catalogue_mod.Option, text: str) -> tuple[str, str]:
    """The flag list `text` meant for `opt` and what happened, for the message; `default`
    when no item is left (the server's default flags, as the dropped items leave them)."""
    names = [v.lower() for v in opt.values or () if v.lower() != "default"]
    defaults = dict(d.strip().lower().partition("=")[::2]
                    for d in str(opt.default or "").split(",") if "=" in d)
    keep: list[str] = []
    notes: list[str] = []
    seen: set[str] = set()
    parts = text.split(",")
    for part in (p.strip() for p in parts):
        if not part:
            continue
        got = _item(part, names)
        if isinstance(got, str):
            notes.append(got)
            continue
        flag, item, read = got
        if read:
            notes.append(read)
        if flag in seen:
            notes.append(f"{part} names {flag} again and is dropped: the server refuses a "
                         "flag named twice")
            continue
        seen.add(flag)
        keep.append(item)
    if any(not p.strip() or p != p.lstrip() or re.search(r"=\s", p) for p in parts):
        notes.append("spaces and empty items removed: the server refuses them")
    value = ",".join(keep) or "default"
    as_default = all(i.lower() == "default" or i.partition("=")[2].lower() in (
        "default", defaults.get(i.partition("=")[0].lower())) for i in keep)
    if opt.default is not None and as_default:
        notes.append("which is the default")
    return value, "; ".join(notes) or "what it meant"
