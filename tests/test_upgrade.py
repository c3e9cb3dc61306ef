"""`check --flavor TARGET --fix` is an upgrade: what makes the target refuse a file is fixed
with the catalogue's facts, proven on the corpus against a real mariadbd and on MySQL upgrades
with facts from MySQL's reference manual (rules/upgrades.toml names the pages)."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mycnf_lint.effective import effective_report
from mycnf_lint.fix.run import Outcome, fix_in_memory
from mycnf_lint.lint.pipeline import Options, run
from mycnf_lint.lint.upgrade import RULES
from mycnf_lint.reader import catalogue, model
from mycnf_lint.reader.catalogue import normalize
from mycnf_lint.secrets import MASK

from .mariadb import help_verbose, requires_mariadbd
from .mariadb import normalize as normalize_value
from .test_differential import help_form

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
FLAVOR = "mariadb-10.11"


UPGRADE_RULES = sorted(RULES)


def fixed(data: bytes, flavor: str, tmp_path: Path, unsafe: bool = False,
          name: str = "my.cnf", select: list[str] | None = None) -> tuple[bytes, Outcome]:
    """The file's text after --fix (every pass) for `flavor`, and what the fix did; only the
    fixes of the rules `select` names (default: the causes of refusal)."""
    path = tmp_path / name
    path.write_bytes(data)
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        chosen = UPGRADE_RULES if select is None else select
        outcome = fix_in_memory([name], Options(flavor=flavor, select=chosen), unsafe)
    finally:
        os.chdir(here)
    new = next((fx.new for fx in outcome.changed if fx.path == name), data)
    path.write_bytes(new)
    return new, outcome


def fatal(path: Path, flavor: str) -> list[str]:
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        return [f"{f.line}: {f.message}" for f in run([path.name], Options(flavor=flavor)).findings
                if f.fatal]
    finally:
        os.chdir(here)


def test_mysql_57_to_80(tmp_path: Path) -> None:
    old = (b"[mysqld]\ntx_isolation = READ-COMMITTED\ntx-read-only = 0\nquery_cache_size = 0\n"
           b"query_cache_type = OFF\ninnodb_file_format = Barracuda\ninnodb_large_prefix = 1\n"
           b"log_warnings = 2\ninnodb_additional_mem_pool_size = 16M\n"
           b"log-slow-queries = /var/log/mysql/slow.log\nstorage_engine = InnoDB\n")
    assert fatal_of(old, "mysql-8.0", tmp_path)  # the 8.0 server refuses the 5.7 file
    new, _ = fixed(old, "mysql-8.0", tmp_path)
    assert new == (b"[mysqld]\ntransaction_isolation = READ-COMMITTED\ntransaction-read-only = 0\n"
                   b"log_error_verbosity = 3\n"
                   b"slow-query-log-file = /var/log/mysql/slow.log\nslow-query-log = ON\n"
                   b"default_storage_engine = InnoDB\n")
    assert fatal(tmp_path / "my.cnf", "mysql-8.0") == []
    again, outcome = fixed(new, "mysql-8.0", tmp_path, unsafe=True)
    assert again == new and not outcome.changed


def fatal_of(data: bytes, flavor: str, tmp_path: Path) -> list[str]:
    (tmp_path / "orig.cnf").write_bytes(data)
    return fatal(tmp_path / "orig.cnf", flavor)


def test_mysql_80_to_84(tmp_path: Path) -> None:
    old = (b"[mysqld]\nexpire_logs_days = 7\nmaster_info_repository = TABLE\n"
           b"relay_log_info_repository = TABLE\n"
           b"default_authentication_plugin = caching_sha2_password\n")
    assert len(fatal_of(old, "mysql-8.4", tmp_path)) == 4
    new, _ = fixed(old, "mysql-8.4", tmp_path)
    # binlog_expire_logs_seconds = expire_logs_days * 86400 (MySQL 8.0 manual, [C])
    assert new == (b"[mysqld]\nbinlog_expire_logs_seconds = 604800\n"
                   b"authentication_policy = caching_sha2_password,,\n")
    assert fatal(tmp_path / "my.cnf", "mysql-8.4") == []


def test_a_value_that_is_not_what_remains_is_only_commented_out_as_an_unsafe_fix(
        tmp_path: Path) -> None:
    old = b"[mysqld]\nquery_cache_size = 64M\nquery_cache_type = 1\n"
    safe, _ = fixed(old, "mysql-8.0", tmp_path)
    assert safe == old
    new, _ = fixed(old, "mysql-8.0", tmp_path, unsafe=True)
    assert new.startswith(b"[mysqld]\n# query_cache_size = 64M  # mycnf-lint: removed in MySQL 8")
    assert fatal(tmp_path / "my.cnf", "mysql-8.0") == []


@pytest.mark.parametrize("line,flavor,want", [
    (b"mysqlx-bind-address = 0.0.0.0", "mariadb-10.11", b"loose-mysqlx-bind-address = 0.0.0.0"),
    (b"log_timestamps = SYSTEM", "mariadb-10.11", b"loose-log_timestamps = SYSTEM"),
    (b"skip-locking", "mariadb-10.11", b"skip-external-locking"),
    (b"no_such_option = 1", "mariadb-10.11",
     b"# no_such_option = 1  # mycnf-lint: unknown to mariadb-10.11"),
    (b"binlog_format = rows", "mariadb-10.11", b"binlog_format = ROW"),
    (b"max_connections = 100x", "mariadb-10.11", b"max_connections = 151"),
    (b"log_slow_verbosity = query_plan,profiling", "mariadb-10.11",
     b"log_slow_verbosity = query_plan"),
    (b"default-character-set = utf8mb4", "mariadb-10.11", b"character-set-server = utf8mb4"),
], ids=["loose-mysqlx", "loose-log-timestamps", "successor-of-skip-locking", "comment-out",
        "enum-meant", "number-default", "set-keeps-known", "client-option-counterpart"])
def test_each_cause_of_refusal_gets_its_fix(line: bytes, flavor: str, want: bytes,
                                            tmp_path: Path) -> None:
    new, _ = fixed(b"[mysqld]\n" + line + b"\n", flavor, tmp_path, unsafe=True)
    assert new == b"[mysqld]\n" + want + b"\n"
    assert fatal(tmp_path / "my.cnf", flavor) == []


def test_a_client_option_moves_to_client_when_the_server_counterpart_is_set(
        tmp_path: Path) -> None:
    old = b"[mysqld]\ncharacter-set-server = utf8mb4\ndefault-character-set = utf8\n"
    new, _ = fixed(old, "mariadb-10.11", tmp_path, unsafe=True)
    assert new == (b"[mysqld]\ncharacter-set-server = utf8mb4\n\n[client]\n"
                   b"default-character-set = utf8\n")


def test_collations_become_the_one_of_their_character_set(tmp_path: Path) -> None:
    old = b"[mysqld]\ncharacter_set_server = utf8mb4\ncollation_server = utf8_unicode_ci\n"
    new, _ = fixed(old, "mariadb-10.11", tmp_path, unsafe=True)
    assert new.endswith(b"collation_server = utf8mb4_unicode_ci\n")


@requires_mariadbd
@pytest.mark.parametrize("old_mode,want", [("", b"utf8mb4_unicode_ci"),
                                           ("UTF8_IS_UTF8MB3", b"utf8mb3_unicode_ci")])
def test_a_collation_for_utf8_follows_what_old_mode_makes_utf8(old_mode: str, want: bytes,
                                                               tmp_path: Path) -> None:
    """Without UTF8_IS_UTF8MB3 in old_mode utf8 is utf8mb4: the collation meant is its own,
    and mariadbd accepts the file the fix writes."""
    wrong = b"utf8mb3_unicode_ci" if want.startswith(b"utf8mb4") else b"utf8mb4_unicode_ci"
    old = (b"[mysqld]\nold_mode = " + old_mode.encode() + b"\ncharacter_set_server = utf8\n"
           b"collation_server = " + wrong + b"\n")
    assert not help_verbose(_write(tmp_path / "before.cnf", old)).starts
    new, _ = fixed(old, "mariadb-10.11", tmp_path, unsafe=True)
    assert new.endswith(b"collation_server = " + want + b"\n")
    assert help_verbose(tmp_path / "my.cnf").starts


@requires_mariadbd
def test_a_refused_collation_is_fixed_for_what_utf8_means_once_old_mode_is_fixed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """old_mode is refused, so the server's default UTF8_IS_UTF8MB3 is not in force and utf8
    is utf8mb4: utf8_general_mysql500_ci (utf8mb3 only) is refused too. The old_mode fix puts
    UTF8_IS_UTF8MB3 back in the same pass, so the collation fix waits for it and then finds
    nothing to change; planned in that pass it became utf8mb4_unicode_ci, then
    utf8mb3_unicode_ci: the collation the file chose was lost."""
    from mycnf_lint.fix.diff import unified_diff
    from mycnf_lint.fix.edits import FileFix
    from mycnf_lint.reader import charsets

    from .cli_runner import invoke

    original = (b"[mysqld]\nold_mode = NO_PROGRESS_INFO\ncharacter_set_server = utf8\n"
                b"collation_server = utf8_general_mysql500_ci\n"
                b"old_mode = UTF8_IS_UTF8MB3,NO_PROGRESS_INFOO\n")
    path = _write(tmp_path / "my.cnf", original)
    assert not help_verbose(path).starts
    monkeypatch.chdir(tmp_path)
    args = ["check", "--flavor", FLAVOR, "--unsafe-fixes"]
    before = invoke([*args, "my.cnf"]).stdout
    assert "[startup-check]" in before and "[invalid-value]" in before  # both refused
    shown = invoke([*args, "--diff", "my.cnf"])
    assert path.read_bytes() == original
    invoke([*args, "--fix", "my.cnf"])
    new = path.read_bytes()
    assert shown.stdout.encode() == unified_diff(FileFix("my.cnf", original, new))
    assert b"\ncollation_server = utf8_general_mysql500_ci\n" in new  # as the file wrote it
    got = help_verbose(path)
    assert got.starts, got.messages
    mb3 = "UTF8_IS_UTF8MB3" in got.values["old_mode"].upper()
    owner = catalogue.load(FLAVOR).collations[got.values["collation_server"].lower()]
    assert charsets.charset(owner, mb3) == charsets.charset(
        got.values["character_set_server"], mb3)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_options_of_a_plugin_library_are_left_and_the_message_says_why(tmp_path: Path) -> None:
    old = (b"[mysqld]\nplugin-load-add = file_key_management.so\n"
           b"file_key_management_filename = /etc/mysql/keys.enc\n")
    new, outcome = fixed(old, "mariadb-10.11", tmp_path, unsafe=True)
    assert new == old
    found = [f for f in run([str(tmp_path / "my.cnf")], Options(flavor="mariadb-10.11")).findings
             if f.name == "unknown-option"]
    assert found and found[0].edit is None and "plugin library file_key_management.so" in (
        found[0].message)


def _refused_and_fixed(tmp_path: Path) -> tuple[list[Path], dict[Path, Outcome]]:
    files = sorted(CORPUS.iterdir())
    with ThreadPoolExecutor(2) as pool:
        starts = list(pool.map(lambda p: help_verbose(p, cwd=CORPUS).starts, files))
    refused = [p for p, ok in zip(files, starts, strict=True) if not ok]
    outcomes = {}
    for src in refused:
        shutil.copy(src, tmp_path / src.name)
        _, outcomes[src] = fixed(src.read_bytes(), "mariadb-10.11", tmp_path, unsafe=True,
                                 name=src.name, select=[])
    return refused, outcomes


def _report(path: Path) -> dict[str, dict[str, object]]:
    """`effective` of a file: value, raw and source per option the file sets."""
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        return effective_report([path.name], "mysqld", FLAVOR)["options"]
    finally:
        os.chdir(here)


def _options(path: Path) -> dict[str, object]:
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        report = effective_report([path.name], "mysqld", "mariadb-10.11")
    finally:
        os.chdir(here)
    return {k: v["value"] for k, v in report["options"].items()}


@requires_mariadbd
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
def test_nine_in_ten_corpus_files_mariadb_refuses_start_after_fix_unsafe_fixes(
        tmp_path: Path) -> None:
    refused, outcomes = _refused_and_fixed(tmp_path)
    with ThreadPoolExecutor(2) as pool:
        after = list(pool.map(lambda p: help_verbose(tmp_path / p.name, cwd=tmp_path), refused))
    started = [p for p, r in zip(refused, after, strict=True) if r.starts]
    failed = {p.name: r.messages[:2] for p, r in zip(refused, after, strict=True) if not r.starts}
    assert len(started) >= 0.9 * len(refused), failed
    for src, server in zip(refused, after, strict=True):
        if not server.starts:
            continue
        # the variables the file set keep the values `effective` reported for the original:
        # in the fixed file's `effective`, and as the real server prints them
        touched = {normalize(n) for fx in outcomes[src].files for f in fx.applied if f.edit
                   for n in (f.variable or "", f.edit.name)}
        orig = tmp_path / ("orig-" + src.name)  # the same folder: relative paths agree
        shutil.copy(src, orig)
        before, now = _options(orig), _options(tmp_path / src.name)
        kept = {k: v for k, v in before.items() if k not in touched}
        assert {k: now.get(k) for k in kept} == kept, src.name
        shown = _report(orig)
        wrong = {k: (shown[k].get("value"), server.values[k]) for k in kept
                 if k in server.values
                 and shown[k].get("value") != MASK
                 and model.plugin_of(k, catalogue.load(FLAVOR)) not in (k, k[7:])
                 and normalize_value(help_form(k, shown[k])) != normalize_value(server.values[k])}
        assert not wrong, src.name


def _effective(path: Path, flavor: str) -> dict[str, object]:
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        report = effective_report([path.name], "mysqld", flavor)
    finally:
        os.chdir(here)
    return {k: v["value"] for k, v in report["options"].items()}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("source,target", [("mysql-5.7", "mysql-8.0"), ("mysql-8.0", "mysql-8.4")])
def test_mysql_upgrades_of_the_corpus_leave_nothing_the_target_refuses(
        source: str, target: str, tmp_path: Path) -> None:
    """Every corpus file the source flavor accepts: after `check --flavor TARGET --fix
    --unsafe-fixes` the target refuses nothing, and the variables both flavors have keep
    their values unless a fix named them."""
    upgraded = 0
    for src in sorted(CORPUS.iterdir()):
        orig = tmp_path / ("orig-" + src.name)
        shutil.copy(src, orig)
        if fatal(orig, source):
            continue
        _, outcome = fixed(src.read_bytes(), target, tmp_path, unsafe=True, name=src.name,
                           select=[])
        assert fatal(tmp_path / src.name, target) == [], src.name
        upgraded += bool(outcome.changed)
        once = (tmp_path / src.name).read_bytes()
        assert fixed(once, target, tmp_path, unsafe=True, name=src.name, select=[])[0] == once
        touched = {normalize(n) for fx in outcome.files for f in fx.applied if f.edit
                   for n in (f.variable or "", f.edit.name)}
        before, after = _effective(orig, source), _effective(tmp_path / src.name, target)
        kept = {k: v for k, v in before.items() if k not in touched and k in after}
        assert {k: after[k] for k in kept} == kept, src.name
    assert upgraded > 10  # the corpus holds upgrade blockers for both steps


@pytest.mark.parametrize("old,flavor,want", [
    (b"tx_isolation = READ-COMMITTED", "mysql-5.7", b"transaction_isolation = READ-COMMITTED"),
    (b"old_alter_table = 1", "mariadb-10.6", b"alter_algorithm = COPY"),
    # innodb_redo_log_capacity is innodb_log_file_size * innodb_log_files_in_group ([K])
    (b"innodb_log_file_size = 1G", "mysql-8.4", b"innodb_log_file_size = 1G"),
    (b"innodb_log_files_in_group = 2", "mysql-8.4", b"innodb_log_files_in_group = 2"),
], ids=["alias", "mapped", "no-rename-size", "no-rename-count"])
def test_deprecated_options_are_renamed_only_where_the_value_means_the_same(
        old: bytes, flavor: str, want: bytes, tmp_path: Path) -> None:
    new, _ = fixed(b"[mysqld]\n" + old + b"\n", flavor, tmp_path, unsafe=True,
                   select=["deprecated-option"])
    assert new == b"[mysqld]\n" + want + b"\n"


def _fix_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: bytes) -> tuple[str, bytes]:
    """The message `check --unsafe-fixes` gives for a file, and what `--fix` then writes."""
    from .cli_runner import invoke

    path = _write(tmp_path / "my.cnf", text)
    monkeypatch.chdir(tmp_path)
    args = ["check", "--flavor", FLAVOR, "--select", "invalid-value", "--unsafe-fixes"]
    said = invoke([*args, "my.cnf"]).stdout
    invoke([*args, "--fix", "my.cnf"])
    return said, path.read_bytes()


def _members(value: str) -> set[str]:
    return {m.strip().upper() for m in value.split(",") if m.strip()}


@requires_mariadbd
@pytest.mark.parametrize("option,value,want,typo", [
    ("old_mode", "UTF8_IS_UTF8MB3,NO_PROGRESS_INFOO", "UTF8_IS_UTF8MB3,NO_PROGRESS_INFO",
     "NO_PROGRESS_INFOO read as NO_PROGRESS_INFO"),
    ("sql_mode", "STRICT_TRANS_TABLE,NO_ZERO_DATE", "STRICT_TRANS_TABLES,NO_ZERO_DATE",
     "STRICT_TRANS_TABLE read as STRICT_TRANS_TABLES"),
    ("sql_mode", "no_zero_date,strct_trans_tables", "no_zero_date,strict_trans_tables",
     "strct_trans_tables read as strict_trans_tables"),
])
def test_a_set_member_that_is_a_typo_of_one_allowed_member_becomes_that_member(
        option: str, value: str, want: str, typo: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Order and case as the file wrote them; the message names the typo and does not call
    the result the default; mariadbd accepts the fixed file with the members written."""
    old = f"[mysqld]\n{option} = {value}\n".encode()
    assert not help_verbose(_write(tmp_path / "before.cnf", old)).starts
    said, new = _fix_set(tmp_path, monkeypatch, old)
    assert f"value becomes {want} ({typo})" in said and "default" not in said
    assert new == f"[mysqld]\n{option} = {want}\n".encode()
    got = help_verbose(tmp_path / "my.cnf")
    assert got.starts, got.messages
    assert _members(got.values[option]) == _members(want)


@requires_mariadbd
@pytest.mark.parametrize("option,value,want,said_want", [
    ("sql_mode", "STRICT_TRANS_TABLES,BOGUS_THING,NO_ZERO_DATE",
     "STRICT_TRANS_TABLES,NO_ZERO_DATE",
     "(BOGUS_THING matches no allowed member and is dropped)"),
    ("old_mode", "UTF8_IS_UTF8MB3,QWERTY", "UTF8_IS_UTF8MB3",
     "(QWERTY matches no allowed member and is dropped; which is the default)"),
    ("sql_mode", "NO_ZERLE_OPTIONS,NO_ZERO_DATE", "NO_ZERO_DATE",
     "(NO_ZERLE_OPTIONS is as close to NO_TABLE_OPTIONS as to another member and is dropped)"),
])
def test_a_set_member_that_matches_nothing_is_dropped_and_the_message_says_so(
        option: str, value: str, want: str, said_want: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = f"[mysqld]\n{option} = {value}\n".encode()
    said, new = _fix_set(tmp_path, monkeypatch, old)
    assert f"value becomes {want} {said_want}" in said
    assert new == f"[mysqld]\n{option} = {want}\n".encode()
    got = help_verbose(tmp_path / "my.cnf")
    assert got.starts, got.messages
    assert _members(got.values[option]) == _members(want)


@requires_mariadbd
def test_set_fixes_shown_by_diff_are_what_fix_writes(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from mycnf_lint.fix.diff import unified_diff
    from mycnf_lint.fix.edits import FileFix

    from .cli_runner import invoke

    original = (b"[mysqld]\nold_mode = UTF8_IS_UTF8MB3,NO_PROGRESS_INFOO\n"
                b"sql_mode = strct_trans_tables,bogus_thing,no_zero_date\n")
    path = _write(tmp_path / "my.cnf", original)
    monkeypatch.chdir(tmp_path)
    args = ["check", "--flavor", FLAVOR, "--unsafe-fixes"]
    shown = invoke([*args, "--diff", "my.cnf"])
    assert path.read_bytes() == original
    invoke([*args, "--fix", "my.cnf"])
    new = path.read_bytes()
    assert new != original
    assert shown.stdout.encode() == unified_diff(FileFix("my.cnf", original, new))
    assert b"\nsql_mode = strict_trans_tables,no_zero_date\n" in new
    assert help_verbose(path).starts


def _flag_map(value: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The flags a flag list sets, over `base` (a `flag=default` item leaves the base's)."""
    out = dict(base or {})
    for item in value.lower().split(","):
        flag, _, state = item.partition("=")
        if state in ("on", "off"):
            out[flag] = state
    return out


@requires_mariadbd
@pytest.mark.parametrize("value,want,said_want", [
    ("index_merge=of,foo=on", "index_merge=off",
     "(index_merge=of read as index_merge=off; foo=on matches no flag and is dropped)"),
    ("derived_merge=off,mrr=on,foo=on", "derived_merge=off,mrr=on",
     "(foo=on matches no flag and is dropped)"),
    ("INDEX_MERGE=OFF,MRR=ONN", "INDEX_MERGE=OFF,MRR=ON", "(MRR=ONN read as MRR=ON)"),
    ("mrr=on, indx_merge_union=off,mrr=off", "mrr=on,index_merge_union=off",
     "(indx_merge_union=off read as index_merge_union=off; mrr=off names mrr again and is "
     "dropped: the server refuses a flag named twice; spaces and empty items removed: the "
     "server refuses them)"),
    ("mrr=off,foo=on", "mrr=off", "(foo=on matches no flag and is dropped; which is the default)"),
    ("foo=on", "default", "(foo=on matches no flag and is dropped; which is the default)"),
    ("index_merge=off, mrr=on,", "index_merge=off,mrr=on",
     "(spaces and empty items removed: the server refuses them)"),
    ("index_merge_un=off,mrr=on", "index_merge_union=off,mrr=on",
     "(index_merge_un=off read as index_merge_union=off)"),
])
def test_a_refused_flag_list_keeps_the_flags_it_set_and_drops_only_what_matches_nothing(
        value: str, want: str, said_want: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the items are written, in the file's order and spelling: every flag the file
    did not name keeps the server's default, every flag it named keeps what it set (the fix
    once wrote the full default flag string, resetting them all); mariadbd starts with the
    file and prints the flags intended."""
    old = f"[mysqld]\noptimizer_switch = {value}\n".encode()
    assert not help_verbose(_write(tmp_path / "before.cnf", old)).starts
    said, new = _fix_set(tmp_path, monkeypatch, old)
    assert f"value becomes {want} {said_want}" in said
    assert new == f"[mysqld]\noptimizer_switch = {want}\n".encode()
    got = help_verbose(tmp_path / "my.cnf")
    assert got.starts, got.messages
    defaults = _flag_map(help_verbose(None).values["optimizer_switch"])
    assert _flag_map(got.values["optimizer_switch"]) == _flag_map(want, defaults)
    assert ("which is the default" in said) == (_flag_map(want, defaults) == defaults)


@requires_mariadbd
def test_flag_list_fixes_shown_by_diff_are_what_fix_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mycnf_lint.fix.diff import unified_diff
    from mycnf_lint.fix.edits import FileFix

    from .cli_runner import invoke

    original = b"[mysqld]\noptimizer_switch = index_merge=of,foo=on,derived_merge=off\n"
    path = _write(tmp_path / "my.cnf", original)
    monkeypatch.chdir(tmp_path)
    args = ["check", "--flavor", FLAVOR, "--unsafe-fixes"]
    shown = invoke([*args, "--diff", "my.cnf"])
    assert path.read_bytes() == original
    invoke([*args, "--fix", "my.cnf"])
    new = path.read_bytes()
    assert shown.stdout.encode() == unified_diff(FileFix("my.cnf", original, new))
    assert b"\noptimizer_switch = index_merge=off,derived_merge=off\n" in new
    got = help_verbose(path)
    assert got.starts, got.messages
    assert {"index_merge=off", "derived_merge=off"} <= set(
        got.values["optimizer_switch"].split(","))
