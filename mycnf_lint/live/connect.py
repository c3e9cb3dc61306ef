"""Reaching a live server as the mysql client does: where to connect, with which credentials,
and one snapshot of SHOW GLOBAL VARIABLES and SHOW GLOBAL STATUS.

Credentials come from the command line, then MYSQL_PWD, then the client groups ([client],
[mysql], ...) that the project's own reader finds in the client's option files. PyMySQL is
imported here only, when a connection is made. Errors are one line and never hold a password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

DEFAULT_CONNECT_TIMEOUT = 10
DEFAULT_PORT = 3306
# where the client looks for option files on Unix (MariaDB's order); `~/.my.cnf` last
CLIENT_OPTION_FILES = ("/etc/my.cnf", "/etc/mysql/my.cnf", "~/.my.cnf")
# the compiled-in socket of Debian's and Ubuntu's packages; others print it in `mysql --help`
DEFAULT_SOCKETS = ("/run/mysqld/mysqld.sock", "/var/run/mysqld/mysqld.sock",
                   "/var/lib/mysql/mysql.sock", "/tmp/mysql.sock")
NEEDS_PYMYSQL = ("doctor needs PyMySQL to reach a server: pip install 'mycnf-lint[doctor]' "
                 "(or pip install pymysql); --variables FILE works without it")


class ConnectError(Exception):
    """The server cannot be reached, refuses the login or lacks a privilege (one line)."""


@dataclass(frozen=True)
class Target:
    """Where and as whom to connect. The password is never part of repr() or of a label."""

    host: str | None = None
    port: int | None = None
    socket: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    connect_timeout: int = DEFAULT_CONNECT_TIMEOUT

    @property
    def uses_socket(self) -> bool:
        """localhost (or no host) means the Unix socket, as for the mysql client, unless a
        port and no socket was given; any other host means TCP."""
        if self.host not in (None, "", "localhost"):
            return False
        return bool(self.socket) or self.port is None

    @property
    def label(self) -> str:
        """How findings name the server: `server:/run/mysqld/mysqld.sock`, `server:db1:3306`."""
        if self.uses_socket:
            return f"server:{self.socket or default_socket()}"
        return f"server:{self.host or 'localhost'}:{self.port or DEFAULT_PORT}"


def default_socket() -> str:
    """The first of the usual compiled-in sockets that exists, else Debian's."""
    for path in DEFAULT_SOCKETS:
        if os.path.exists(path):
            return path
    return DEFAULT_SOCKETS[0]


def client_files(defaults_file: str | None) -> list[str]:
    """The option files the client reads: only --defaults-file when given, else the usual ones
    that exist."""
    if defaults_file:
        return [defaults_file]
    out = []
    for path in CLIENT_OPTION_FILES:
        full = os.path.expanduser(path)
        if os.path.isfile(full):
            out.append(full)
    return out


def from_option_files(paths: list[str], flavor: str) -> dict[str, Any]:
    """user, password, host, port, socket and connect_timeout from the client groups of
    `paths`, read by the project's reader (the last one wins, as for the client)."""
    from mycnf_lint.reader import catalogue as catalogue_mod
    from mycnf_lint.reader import model as model_mod
    from mycnf_lint.reader.includes import ReadError, read_tree

    cat = catalogue_mod.load(flavor)
    found: dict[str, Any] = {}
    for path in paths:
        try:
            m = model_mod.build(read_tree(path), cat, "mysql")
        except ReadError as exc:
            raise ConnectError(str(exc)) from None
        for name in ("user", "password", "host", "port", "socket", "connect_timeout"):
            s = m.effective.get(name)
            if s is not None and s.value not in (None, ""):
                found[name] = s.value
    return found


def resolve(given: Target, defaults_file: str | None, flavor: str,
            environ: dict[str, str] | None = None) -> Target:
    """The target with what the command line left open filled in from MYSQL_PWD and the
    client's option files."""
    env = os.environ if environ is None else environ
    files = from_option_files(client_files(defaults_file), flavor)
    password = given.password
    if password is None:
        password = env.get("MYSQL_PWD")
    if password is None and "password" in files:
        password = str(files["password"])
    host = given.host or files.get("host")
    port = given.port if given.port is not None else files.get("port")
    socket = given.socket or files.get("socket")
    if host in (None, "", "localhost"):
        # as the MariaDB client: a port on the command line without a socket there means TCP;
        # otherwise a local server is reached over its socket and a port in a file is unused
        if given.port is not None and given.socket is None:
            socket = None
        elif given.port is None:
            port = None
    return replace(
        given,
        host=host,
        port=int(port) if port not in (None, 0) else None,
        socket=socket,
        user=given.user or files.get("user") or env.get("USER") or "root",
        password=password,
    )


@dataclass(frozen=True)
class Snapshot:
    """What doctor reads from a server: its variables and status counters, and where from."""

    label: str
    variables: dict[str, str]
    status: dict[str, str]


def _clean(message: str, password: str | None) -> str:
    """A driver message on one line, with the password cut out wherever it appears."""
    text = " ".join(str(message).split())
    if password:
        text = text.replace(password, "********")
    return text


def _explain(exc: Exception, target: Target) -> str:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    detail = _clean(str(exc.args[1]) if len(exc.args) > 1 else str(exc), target.password)
    where = target.label.removeprefix("server:")
    # access denied, host not allowed, unix_socket refused, account locked (MariaDB, MySQL)
    if code in (1045, 1130, 1698, 4151, 3118):
        return f"{where}: login refused for user {target.user!r}: {detail}"
    if code in (1044, 1142, 1227, 1290):
        return f"{where}: missing privilege: {detail}"
    if code in (2003, 2002, 2006, 2013) or code is None:
        return (f"{where}: cannot reach the server (within {target.connect_timeout} s): "
                f"{detail}")
    return f"{where}: error {code}: {detail}"


def _rows(cursor: Any, sql: str) -> dict[str, str]:
    cursor.execute(sql)
    out: dict[str, str] = {}
    for name, value in cursor.fetchall():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        out[str(name)] = "" if value is None else str(value)
    return out


def snapshot(target: Target) -> Snapshot:
    """Connect once, read SHOW GLOBAL VARIABLES and SHOW GLOBAL STATUS, disconnect."""
    try:
        import pymysql
    except ImportError:
        raise ConnectError(NEEDS_PYMYSQL) from None

    # PyMySQL waits for the server's greeting under read_timeout, not connect_timeout: both are
    # the connect timeout, so a server that accepts and never answers fails within it too (the
    # two SHOW statements take milliseconds)
    timeout = target.connect_timeout
    kwargs: dict[str, Any] = {"user": target.user, "password": target.password or "",
                              "connect_timeout": timeout, "read_timeout": timeout,
                              "write_timeout": timeout, "charset": "utf8mb4"}
    if target.uses_socket:
        kwargs["unix_socket"] = target.socket or default_socket()
    else:
        kwargs["host"] = target.host or "localhost"
        kwargs["port"] = target.port or DEFAULT_PORT
    try:
        conn = pymysql.connect(**kwargs)
    except (pymysql.err.MySQLError, OSError, ValueError) as exc:
        raise ConnectError(_explain(exc, target)) from None
    try:
        with conn.cursor() as cur:
            variables = _rows(cur, "SHOW GLOBAL VARIABLES")
            status = _rows(cur, "SHOW GLOBAL STATUS")
    except pymysql.err.MySQLError as exc:
        raise ConnectError(_explain(exc, target)) from None
    finally:
        try:
            conn.close()
        except pymysql.err.Error:
            pass
    return Snapshot(target.label, {k.lower(): v for k, v in variables.items()}, status)
