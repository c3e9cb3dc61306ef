"""Which option-file groups each program reads, per flavor."""

from __future__ import annotations

from mycnf_lint.reader.catalogue import Catalogue

SERVER_PROGRAMS = ("mysqld", "mariadbd", "mysqld_safe")
# clients and the groups each reads besides its own name (MySQL); MariaDB adds its own names
_MYSQL_CLIENTS = {
    "mysql": ["mysql", "client"],
    "mysqldump": ["mysqldump", "client"],
    "mysqladmin": ["mysqladmin", "client"],
    "mysqlcheck": ["mysqlcheck", "client"],
    "mysqlimport": ["mysqlimport", "client"],
    "mysqlshow": ["mysqlshow", "client"],
    "mysqlbinlog": ["mysqlbinlog", "client"],
    "mysqlslap": ["mysqlslap", "client"],
    "client": ["client"],
}
_MARIADB_NAMES = {
    "mysql": "mariadb-client",
    "mysqldump": "mariadb-dump",
    "mysqladmin": "mariadb-admin",
    "mysqlcheck": "mariadb-check",
    "mysqlimport": "mariadb-import",
    "mysqlshow": "mariadb-show",
    "mysqlbinlog": "mariadb-binlog",
    "mysqlslap": "mariadb-slap",
}
ALIASES = {
    "mariadbd": "mysqld",
    "mariadb": "mysql",
    "mariadb-dump": "mysqldump",
    "mariadb-admin": "mysqladmin",
    "mariadb-check": "mysqlcheck",
    "mariadb-import": "mysqlimport",
    "mariadb-show": "mysqlshow",
    "mariadb-binlog": "mysqlbinlog",
    "mariadb-slap": "mysqlslap",
}


def canonical_program(program: str) -> str:
    return ALIASES.get(program, program)


def is_server(program: str) -> bool:
    return canonical_program(program) == "mysqld"


def server_groups(cat: Catalogue) -> list[str]:
    """The groups mysqld reads, in the order the server lists them."""
    v = cat.major_minor
    groups = ["mysqld", "server", f"mysqld-{v}"]
    if cat.is_mariadb:
        groups += ["mariadb", f"mariadb-{v}", "mariadbd", f"mariadbd-{v}", "client-server",
                   "galera"]
    return groups


def groups_for(program: str, cat: Catalogue) -> list[str]:
    """The groups `program` reads under this flavor (names in lower case)."""
    program = canonical_program(program)
    if program == "mysqld":
        return server_groups(cat)
    listed = cat.client_groups.get(program)
    if listed:
        return [g.lower() for g in listed]
    groups = list(_MYSQL_CLIENTS.get(program, [program, "client"]))
    if cat.is_mariadb:
        if program in _MARIADB_NAMES:
            groups.insert(1, _MARIADB_NAMES[program])
        groups += ["client-server", "client-mariadb"]
    return groups


def all_known_groups(cat: Catalogue) -> set[str]:
    """Every group some program of this flavor reads (for "a group nothing reads")."""
    known: set[str] = set(server_groups(cat))
    for program in list(_MYSQL_CLIENTS) + list(cat.client_groups):
        known.update(groups_for(program, cat))
    return known
