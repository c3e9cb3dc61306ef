"""Values the server checks after reading its options, before it starts: character sets,
collations, locales and the folders it must resolve. Failing any of them stops the server."""

from __future__ import annotations

import os

from .includes import Event
from .model import Model, Setting

_CHARSET_VARS = ("character_set_server", "character_set_filesystem")
_LOCALE_VARS = ("lc_messages", "lc_time_names")


def _alias_charset(cs: str, mariadb: bool = True) -> str:
    """utf8 is utf8mb3 on every supported flavor (an alias since MySQL 5.5 and MariaDB 10.6)."""
    cs = cs.lower()
    return "utf8mb3" if cs == "utf8" else cs


def _alias_collation(co: str, mariadb: bool = True) -> str:
    co = co.lower()
    if co.startswith("utf8_"):
        return "utf8mb3_" + co[5:]
    return co


def _event(s: Setting, message: str) -> Event:
    return Event("startup-check", s.file, s.line, s.column, message, fatal=True)


def check(model: Model) -> list[Event]:
    """Start-up checks on the server's effective values (only when the catalogue knows the
    character sets, collations or locales of the flavor)."""
    cat = model.catalogue
    out: list[Event] = []
    eff = model.effective
    charsets = {_alias_charset(c) for c in cat.charsets}
    collations = {_alias_collation(k): _alias_charset(v) for k, v in cat.collations.items()}
    if charsets:
        for var in _CHARSET_VARS:
            s = eff.get(var)
            if s is not None and _alias_charset(str(s.value), cat.is_mariadb) not in charsets:
                out.append(_event(s, f"unknown character set {s.value!r} for {var}: the "
                                     "server refuses to start"))
    if collations:
        co = eff.get("collation_server")
        if co is not None:
            name = _alias_collation(str(co.value), cat.is_mariadb)
            owner = collations.get(name)
            cs_setting = eff.get("character_set_server")
            charset = _alias_charset(str(cs_setting.value if cs_setting else
                                         model.options.options.get("character_set_server") and
                                         model.options.options["character_set_server"].default
                                         or "latin1"), cat.is_mariadb)
            if owner is None:
                out.append(_event(co, f"unknown collation {co.value!r} for collation_server in "
                                      f"{cat.flavor}: the server refuses to start"))
            elif charset in charsets and owner != charset:
                where = (f"character_set_server = {cs_setting.value} (line {cs_setting.line})"
                         if cs_setting else f"the default character set {charset}")
                out.append(_event(co, f"collation {co.value!r} belongs to {owner}, not to "
                                      f"{where}: the server refuses to start"))
    sfp = eff.get("secure_file_priv")
    if sfp is not None and sfp.value not in ("", None) and str(sfp.value).upper() != "NULL":
        path = str(sfp.value)
        if not os.path.isdir(path):
            out.append(_event(sfp, f"secure_file_priv folder {path!r} does not exist on this "
                                   "machine: the server cannot resolve it and refuses to start"))
    return out
