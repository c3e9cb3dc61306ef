"""The reader against a real MariaDB 10.11: the fatal verdict, and every row of the server's
`--help --verbose` table against `effective --all`, must agree.

Files are checked in batches: the server runs on two files at a time, and each test reports
every disagreement of its batch at once.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mycnf_lint.effective import effective_report
from mycnf_lint.lint.pipeline import Options, check
from mycnf_lint.reader import catalogue, model
from mycnf_lint.secrets import MASK

from .mariadb import HelpResult, help_verbose, normalize, requires_mariadbd

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / "fixtures" / "reader"
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
FLAVOR = "mariadb-10.11"
NOT_SHOWN = "(No default value)"

pytestmark = requires_mariadbd


def ours(path: Path, cwd: Path) -> tuple[bool, dict[str, dict[str, object]]]:
    """Our fatal verdict and `effective --all` for one file, read from `cwd` like the server."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        findings = check([str(path)], Options(flavor=FLAVOR))
        report = effective_report([str(path)], "mysqld", FLAVOR, all_=True)
    finally:
        os.chdir(old)
    return any(f.fatal for f in findings), report["options"]


def help_form(name: str, info: dict[str, object]) -> object:
    """A value of ours as the server's table prints it: flag sets without their trailing off
    flags (my_getopt's print_variables stops at the last flag that is on), nothing for an
    unset string, and an enum's `help_default` when the file leaves it alone."""
    value = info.get("value")
    entry = catalogue.load(FLAVOR).server.options.raw(name) or {}
    if value is None:
        return NOT_SHOWN
    if entry.get("getopt") == "flagset" and isinstance(value, str):
        flags = value.split(",")
        while flags and flags[-1].endswith("=off"):
            flags.pop()
        return ",".join(flags)
    if info.get("source") == "default" and entry.get("help_default"):
        return entry["help_default"]
    if isinstance(value, str):  # a value with a newline ('C:\new') ends the table's row
        return value.split("\n", 1)[0]
    return value


def compare(server: HelpResult, fatal: bool, options: dict[str, dict[str, object]]
            ) -> tuple[list[str], int, int]:
    """(disagreements, values compared, masked secrets) for one file."""
    problems = []
    if fatal != (not server.starts):
        problems.append(f"server exit {server.returncode} {server.messages[-2:]} but "
                        f"fatal={fatal}")
    if not server.starts:
        return problems, 0, 0
    compared = masked = 0
    cat = catalogue.load(FLAVOR)
    for name, theirs in server.values.items():
        if name == "verbose":  # --verbose is on the server's own command line
            continue
        info = options.get(name)
        if info is None:
            problems.append(f"{name}: server {theirs!r} / ours: not reported")
            continue
        if info.get("value") == MASK:  # a secret: never shown, so not compared
            masked += 1
            continue
        if info.get("source") != "default" and model.plugin_of(name, cat) in (name, name[7:]):
            continue  # a plugin's ON/OFF/FORCE set in the file: --help prints its state
        compared += 1
        if normalize(help_form(name, info)) != normalize(theirs):
            problems.append(f"{name}: server {theirs!r} / ours {info.get('value')!r}")
    return problems, compared, masked


def disagreements(path: Path, cwd: Path, server: HelpResult | None = None) -> list[str]:
    server = server or help_verbose(path, cwd=cwd)
    fatal, options = ours(path, cwd)
    return compare(server, fatal, options)[0]


def batch(files: Iterable[tuple[Path, Path]]) -> dict[str, list[str]]:
    """{file: disagreements} for the files that disagree; mariadbd runs two at a time."""
    pairs = list(files)
    with ThreadPoolExecutor(2) as pool:
        servers = list(pool.map(lambda pc: help_verbose(pc[0], cwd=pc[1]), pairs))
    out = {}
    for (path, cwd), server in zip(pairs, servers, strict=True):
        problems = disagreements(path, cwd, server)
        if problems:
            out[str(cwd / path)] = problems
    return out


def _cases(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.cnf")) + sorted(folder.glob("*.ini"))


def test_reader_cases_agree_with_mariadbd() -> None:
    assert batch((p.relative_to(READER), READER) for p in _cases(READER)) == {}


def test_project_fixtures_agree_with_mariadbd() -> None:
    assert batch((p, FIXTURES) for p in _cases(FIXTURES)) == {}


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


def _write_all(tmp_path: Path, texts: list[str]) -> list[tuple[Path, Path]]:
    out = []
    for i, text in enumerate(texts):
        folder = tmp_path / f"f{i:03}"
        folder.mkdir()
        (folder / "my.cnf").write_text(text)
        out.append((Path("my.cnf"), folder))
    return out


def _with_texts(found: dict[str, list[str]], files: list[tuple[Path, Path]]
                ) -> dict[str, tuple[list[str], str]]:
    """Disagreements with the text of the file that has them (for the failure message)."""
    texts = {str(cwd / path): (cwd / path).read_text(errors="replace") for path, cwd in files}
    return {f: (problems, texts.get(f, "")) for f, problems in found.items()}


def test_generated_files_agree_with_mariadbd(tmp_path: Path) -> None:
    files = _write_all(tmp_path, [_generated(seed) for seed in range(120)])
    assert _with_texts(batch(files), files) == {}


def test_loose_bad_and_out_of_range_values_agree_with_mariadbd(tmp_path: Path) -> None:
    """120 files of `loose-` options with values the server cannot read, and of values one
    past each end of an option's range (clamped with a warning, or refused)."""
    from .catalogue_fuzz import range_file

    files = _write_all(tmp_path, [range_file(seed) for seed in range(120)])
    assert _with_texts(batch(files), files) == {}


def test_random_catalogue_options_agree_with_mariadbd(tmp_path: Path) -> None:
    from .catalogue_fuzz import option_file

    files = _write_all(tmp_path, [option_file(seed) for seed in range(200)])
    assert _with_texts(batch(files), files) == {}


def test_world_writable_file_is_ignored_like_mariadbd(tmp_path: Path) -> None:
    path = tmp_path / "ww.cnf"
    path.write_text("[mysqld]\nwait_timeout = 77\n")
    path.chmod(0o666)
    assert help_verbose(path).values["wait_timeout"] == "28800"
    fatal, values = ours(path, tmp_path)
    assert not fatal and values["wait_timeout"]["source"] == "default"
    assert disagreements(path, tmp_path) == []


def test_an_empty_file_agrees_row_for_row_and_no_placeholder_is_printed(tmp_path: Path) -> None:
    """Every row of the table of a server that reads nothing, host values included."""
    path = tmp_path / "empty.cnf"
    path.write_text("[mysqld]\n")
    server = help_verbose(path, cwd=tmp_path)
    fatal, options = ours(path, tmp_path)
    problems, compared, masked = compare(server, fatal, options)
    assert problems == [] and compared == len(server.values) - 1 and masked == 0
    assert not any("{" in str(info.get("value")) for info in options.values())
    host = {n for n, info in options.items() if info.get("host")}
    assert {"log_basename", "pid_file", "thread_pool_size", "server_uid"} <= host
    assert all(options[n].get("rule") for n in host)


def test_log_names_follow_log_basename_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "b.cnf"
    path.write_text("[mysqld]\ngeneral_log_file = early.log\nlog_basename = db\n"
                    "slow_query_log_file = late.log\nlog_bin\nexpire_logs_days = 2\n"
                    "binlog_expire_logs_seconds = 3600\nthread_cache_size = 500\n"
                    "max_connections = 40\ncharacter_set_server = utf8mb4\n")
    assert disagreements(path, tmp_path) == []
    options = ours(path, tmp_path)[1]
    assert options["general_log_file"]["value"] == "db.log"
    assert options["log_slow_query_file"]["value"] == "late.log"
    assert options["thread_cache_size"]["value"] == 40
    assert options["expire_logs_days"]["value"] == pytest.approx(3600 / 86400)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
def test_corpus_files_agree_with_mariadbd() -> None:
    """The public corpus, every row of the table of every file the server accepts."""
    cases = [(p.relative_to(CORPUS), CORPUS) for p in _cases(CORPUS)]
    with ThreadPoolExecutor(2) as pool:
        servers = list(pool.map(lambda pc: help_verbose(pc[0], cwd=pc[1]), cases))
    found: dict[str, list[str]] = {}
    compared = masked = 0
    for (path, cwd), server in zip(cases, servers, strict=True):
        fatal, options = ours(path, cwd)
        problems, n, m = compare(server, fatal, options)
        compared, masked = compared + n, masked + m
        if problems:
            found[str(path)] = problems
    assert found == {}
    assert compared > 50_000  # every row of the ~105 files the server accepts


def test_plugin_options_are_known_as_plugin_options() -> None:
    cat = catalogue.load(FLAVOR)
    assert model.plugin_of("innodb_buffer_pool_size", cat) == "innodb"
    assert model.plugin_of("wait_timeout", cat) is None
