"""Generated option files through read, check, --diff, --fix and every format (hypothesis):
no traceback, exit 0, 1 or 2 with one line naming the file, `--diff` applied with `patch`
equal to `--fix`, a second `--fix` changing nothing, and nothing lost when a fix is refused."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mycnf_lint.cli import run

FORMATS = ("text", "concise", "json", "sarif", "github")
# known, removed, misspelt, client-only and prefixed names; no secret names, whose values the
# diff masks (so that a patch of them cannot equal the fix)
NAMES = ["max_connections", "wait_timeout", "table_cache", "key_buffer", "port", "sql_mode",
         "innodb_buffer_pool_size", "net_read_timeout", "max_allowed_packet", "skip-networking",
         "loose-foo", "character-set-server", "default-character-set", "log_slow_queries",
         "tx_isolation", "expire_logs_days", "query_cache_size", "innodb_file_format",
         "bind-address", "datadir", "log_error", "slow_query_log", "long_query_time",
         "interactive_timeout", "max_connect_errors", "table_open_cache", "thread_cache",
         "innodb_log_file_size", "user", "socket", "unknown_thing"]
GROUPS = ["[mysqld]", "[client]", "[mysql]", "[mariadb]", "[ mysqld ]", "[mysqld-8.0]",
          "[mysqldump]", "[server]", "[mysqld"]
VALUES = st.one_of(
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.tuples(st.integers(min_value=0, max_value=4096), st.sampled_from(["", "K", "M", "G", "m",
                                                                         "h", "s", "k"]))
    .map(lambda t: f"{t[0]}{t[1]}"),
    st.sampled_from(["ON", "OFF", "1", "0", "true", "", "'quoted'", '"dq"', "a b", "'x",
                     "/var/lib/mysql", "C:\\new\\data", "TRADITIONAL,ANSI", "utf8mb4", "x;y"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=12),
)


@st.composite
def option_line(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(NAMES))
    if draw(st.booleans()) and draw(st.booleans()):
        return name.encode()
    eq = draw(st.sampled_from(["=", " = ", "= ", " =", "\t=\t"]))
    text = f"{name}{eq}{draw(VALUES)}"
    comment = draw(st.sampled_from(["", "", " # note", " ; note", "  #"]))
    return (text + comment).encode("utf-8", "surrogateescape")


LINES = st.one_of(
    option_line(), option_line(), option_line(),
    st.sampled_from(GROUPS).map(str.encode),
    st.sampled_from([b"", b"# comment", b"; comment", b"  # indented", b"!include missing.cnf",
                     b"!includedir missing-dir", b"!unknown directive", b"\xff\xfe bytes",
                     b"max_connections = 1\x00tail", b"# \xe9t\xe9 latin1",
                     b"# mycnf-lint: disable=unknown-option"]),
    st.integers(min_value=4000, max_value=9000).map(lambda n: b"# " + b"y" * n),
)


@st.composite
def option_file(draw: st.DrawFn) -> bytes:
    lines = [b"[mysqld]"] + draw(st.lists(LINES, max_size=25))
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = eol.join(lines) + (eol if draw(st.booleans()) else b"")
    return (b"\xef\xbb\xbf" if draw(st.integers(0, 9)) == 0 else b"") + data


def invoke(args: list[str]) -> tuple[int, bytes, str]:
    """mycnf-lint ARGS in this process: exit code, stdout bytes, stderr text."""
    out, err = io.BytesIO(), io.BytesIO()
    streams = (sys.stdin, sys.stdout, sys.stderr)
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        code = run(args)
        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue(), err.getvalue().decode("utf-8")
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams


def _failure_is_one_line(code: int, err: str, name: str) -> None:
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("mycnf-lint: ") and name in err, err


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch is not installed")
@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=option_file(), unsafe=st.booleans())
def test_generated_files_never_crash_and_diff_equals_fix(data: bytes, unsafe: bool) -> None:
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            _check_one(Path(tmp), data, ["--unsafe-fixes"] if unsafe else [])
        finally:
            os.chdir(here)


def _check_one(tmp: Path, data: bytes, flags: list[str]) -> None:
    Path("my.cnf").write_bytes(data)
    for fmt in FORMATS:
        code, out, err = invoke(["check", "--flavor", "mariadb-10.11", "--format", fmt, "my.cnf"])
        _failure_is_one_line(code, err, "my.cnf")
        text = out.decode("utf-8")  # every format is valid UTF-8
        if fmt in ("json", "sarif") and code != 2:
            json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8")
    code, diff, err = invoke(["check", "--flavor", "mariadb-10.11", "--diff", *flags, "my.cnf"])
    _failure_is_one_line(code, err, "my.cnf")
    assert Path("my.cnf").read_bytes() == data  # --diff writes nothing
    (tmp / "patched").mkdir()
    (tmp / "patched" / "my.cnf").write_bytes(data)
    if diff:
        p = subprocess.run(["patch", "-s", "-p1", "-d", "patched", "--no-backup-if-mismatch"],
                           input=diff, capture_output=True)
        assert p.returncode == 0, (p.stdout, p.stderr, diff)
    code, _, err = invoke(["check", "--flavor", "mariadb-10.11", "--fix", "-q", *flags, "my.cnf"])
    _failure_is_one_line(code, err, "my.cnf")
    fixed = Path("my.cnf").read_bytes()
    if code == 2:
        assert fixed == data  # a refused fix leaves the file as it was
        return
    assert fixed == (tmp / "patched" / "my.cnf").read_bytes()
    code, _, err = invoke(["check", "--flavor", "mariadb-10.11", "--fix", "-q", *flags, "my.cnf"])
    _failure_is_one_line(code, err, "my.cnf")
    assert Path("my.cnf").read_bytes() == fixed  # idempotent
    assert [p.name for p in tmp.iterdir() if p.name.startswith(".mycnf-lint-")] == []
