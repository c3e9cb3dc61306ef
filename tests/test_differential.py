"""The reader against a real MariaDB 10.11: effective values and fatal verdicts must agree."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from mycnf_lint.lint.pipeline import Options, check
from mycnf_lint.reader import catalogue, model
from mycnf_lint.reader.includes import read_tree

from .mariadb import help_verbose, normalize, requires_mariadbd

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / "fixtures" / "reader"
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
FLAVOR = "mariadb-10.11"
# the server prints these with a different meaning or spelling than the option holds
_SKIP_COMPARE = {"log_bin", "secure_file_priv", "datadir", "plugin_dir", "tmpdir",
                 "verbose"}  # --verbose is on the server's own command line

pytestmark = requires_mariadbd


def ours(path: Path, cwd: Path) -> tuple[bool, dict[str, object]]:
    """Our fatal verdict and effective values for one file, read from `cwd` like the server."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        findings = check([str(path)], Options(flavor=FLAVOR))
        m = model.build(read_tree(str(path)), catalogue.load(FLAVOR), "mysqld")
    finally:
        os.chdir(old)
    return any(f.fatal for f in findings), {n: s.value for n, s in m.effective.items()}


def disagreements(path: Path, cwd: Path) -> list[str]:
    server = help_verbose(path, cwd=cwd)
    fatal, values = ours(path, cwd)
    problems = []
    if fatal != (not server.starts):
        problems.append(f"server exit {server.returncode} {server.messages[-2:]} but fatal={fatal}")
    if server.starts:
        for name, value in values.items():
            if name in _SKIP_COMPARE or name not in server.values:
                continue
            if model.plugin_of(name, catalogue.load(FLAVOR)) in (name, name[7:]):
                continue  # a plugin's ON/OFF/FORCE: --help prints whether it loaded
            if not same(value, server.values[name]):
                problems.append(f"{name}: server {server.values[name]!r} / ours {value!r}")
    return problems


def same(ours: object, theirs: str) -> bool:
    """Equal values; for flag sets, the flags the server prints (it omits some) must match."""
    if isinstance(ours, str) and "=" in theirs and "," in theirs:
        mine = dict(p.split("=", 1) for p in ours.split(",") if "=" in p)
        return all(mine.get(k) == v for k, v in
                   (p.split("=", 1) for p in theirs.split(",") if "=" in p))
    return normalize(ours) == normalize(theirs)


def _cases(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.cnf")) + sorted(folder.glob("*.ini"))


@pytest.mark.parametrize("path", _cases(READER), ids=lambda p: p.name)
def test_reader_case_agrees_with_mariadbd(path: Path) -> None:
    assert disagreements(path.relative_to(READER), READER) == []


@pytest.mark.parametrize("path", _cases(FIXTURES), ids=lambda p: p.name)
def test_project_fixture_agrees_with_mariadbd(path: Path) -> None:
    assert disagreements(path, FIXTURES) == []


_POOL = [
    "wait_timeout = {n}", "wait_timeout = {n}k", "wait_timeout={n}M", "wait = {n}",
    "net_read_timeout = {n}", "net_write_timeout = '{n}'", "connect_timeout = {n}",
    "max_allowed_packet = {n}", "max_allowed_packet = {n}K", "max_allowed_packet = {n}m",
    "net_buffer_length = {n}", "interactive_timeout = \"{n}\"", "skip-name-resolve",
    "skip-name-resolve = {b}", "slow_query_log = {b}", "skip-slow-query-log",
    "long_query_time = {f}", "max_connections = {n}", "loose-max_connections = {n}",
    "enable-general-log", "disable-local-infile", "# comment {n}", "; comment",
    "wait_timeout = {n} # note", "max_connections =", "[client]", "[mysqld]", "[mariadb]",
    "[server]", "[mysqldump]", "", "   connect_timeout = {n}   ",
    "loose-skip-name-resolve", "maximum-wait_timeout = {n}", "net_write = {n}",
    "binlog_format = {e}", "binlog_format={e}#c", "max_allowed_packet = {n}G",
    "max_allowed_packet = '{n}k'", "wait_timeout = \"{n}\" # q", "wait_timeout = {n}#x",
    "init_connect = a\\tb#{n}", "sql_mode = {m}", "long_query_time = {f}e1",
    "[MySQLD]", "[mysqld ]", "[client-server]", "skip-slow-query-log = {b}",
    "enable-skip-name-resolve", "disable-local-infile = 0", "interactive = {n}",
]


def _generated(seed: int) -> str:
    rnd = random.Random(seed)
    lines = ["[mysqld]"]
    for _ in range(rnd.randint(3, 12)):
        tpl = rnd.choice(_POOL)
        lines.append(tpl.format(n=rnd.choice([0, 1, 5, 29, 30, 61, 600, 1000, 28800, 99999]),
                                b=rnd.choice(["0", "1", "ON", "off", "true"]),
                                f=rnd.choice(["0", "0.5", "2", "10.25"]),
                                e=rnd.choice(["ROW", "mixed", "STATEMENT", "1", "ro"]),
                                m=rnd.choice(["", "ANSI", "strict_trans_tables,ANSI_QUOTES",
                                              "TRADITIONAL"])))
    return "\n".join(lines) + rnd.choice(["\n", "\r\n".join([""] * 2), ""])


@pytest.mark.parametrize("seed", range(120))
def test_generated_file_agrees_with_mariadbd(seed: int, tmp_path: Path) -> None:
    path = tmp_path / "gen.cnf"
    path.write_text(_generated(seed))
    assert disagreements(path, tmp_path) == []


@pytest.mark.parametrize("seed", range(200))
def test_random_catalogue_options_agree_with_mariadbd(seed: int, tmp_path: Path) -> None:
    from .catalogue_fuzz import option_file

    path = tmp_path / "fuzz.cnf"
    path.write_text(option_file(seed))
    assert disagreements(path, tmp_path) == [], path.read_text()


def test_world_writable_file_is_ignored_like_mariadbd(tmp_path: Path) -> None:
    path = tmp_path / "ww.cnf"
    path.write_text("[mysqld]\nwait_timeout = 77\n")
    path.chmod(0o666)
    assert help_verbose(path).values["wait_timeout"] == "28800"
    fatal, values = ours(path, tmp_path)
    assert not fatal and "wait_timeout" not in values
    assert disagreements(path, tmp_path) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("path", _cases(CORPUS) if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_corpus_file_agrees_with_mariadbd(path: Path) -> None:
    assert disagreements(path, CORPUS) == []
