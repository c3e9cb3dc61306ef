"""Character set and collation names as the server resolves them: `utf8` and the `utf8_`
collations are another name of utf8mb3, or (MariaDB, old_mode without UTF8_IS_UTF8MB3) of
utf8mb4; character_set_server may be a list, of which the server takes the first it knows.

sql/mysqld.cc (init_common_variables, MariaDB 10.6+): `utf8_flag` is MY_UTF8_IS_UTF8MB3 when
old_mode has OLD_MODE_UTF8_IS_UTF8MB3, and both the character set and the collation are looked
up with it; a list is tried name by name, and when the first fails the collation is ignored.
MySQL has no such mode: utf8 is utf8mb3 there.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mycnf_lint.reader.catalogue import Catalogue
    from mycnf_lint.reader.settings import Model

UTF8_IS_UTF8MB3 = "UTF8_IS_UTF8MB3"
_UTF8_IS_UTF8MB3_BIT = 8  # the flag's bit when old_mode is written as a number


def utf8_is_utf8mb3(old_mode: object) -> bool:
    """Whether an old_mode value (names or a number) holds UTF8_IS_UTF8MB3."""
    if isinstance(old_mode, int) and not isinstance(old_mode, bool):
        return bool(old_mode & _UTF8_IS_UTF8MB3_BIT)
    text = str(old_mode or "").strip()
    if text.isdigit():
        return bool(int(text) & _UTF8_IS_UTF8MB3_BIT)
    return UTF8_IS_UTF8MB3 in {p.strip().upper() for p in text.split(",")}


def server_utf8_is_utf8mb3(cat: Catalogue, old_mode: object = None) -> bool:
    """What `utf8` means to a server of the flavor with this old_mode (None: its default):
    utf8mb3, unless a MariaDB old_mode without UTF8_IS_UTF8MB3 makes it utf8mb4."""
    opt = cat.server.get("old_mode") if cat.is_mariadb else None
    if opt is None or UTF8_IS_UTF8MB3 not in (opt.values or ()):  # MySQL, MariaDB before 10.6
        return True
    return utf8_is_utf8mb3(opt.default if old_mode is None else old_mode)


def model_utf8_is_utf8mb3(model: Model) -> bool:
    """What `utf8` means to the server of `model` (its effective old_mode)."""
    return server_utf8_is_utf8mb3(model.catalogue, model.value("old_mode"))


def charset(name: str, utf8mb3: bool = True) -> str:
    """A character set's own name: lower case, `utf8` resolved."""
    cs = name.strip().lower()
    if cs == "utf8":
        return "utf8mb3" if utf8mb3 else "utf8mb4"
    return cs


def collation(name: str, utf8mb3: bool = True) -> str:
    """A collation's own name: lower case, a `utf8_` name resolved as `utf8` is."""
    co = name.strip().lower()
    if co.startswith("utf8_"):
        return ("utf8mb3_" if utf8mb3 else "utf8mb4_") + co[len("utf8_"):]
    return co


def first_known(value: str, known: Collection[str], utf8mb3: bool = True
                ) -> tuple[str | None, int]:
    """character_set_server as a list: the first name the server knows (resolved) and its
    place in the list; (None, -1) when it knows none."""
    for i, name in enumerate(str(value).split(",")):
        cs = charset(name, utf8mb3)
        if cs in known and name == name.strip():  # `a, b`: " b" is no name
            return cs, i
    return None, -1
