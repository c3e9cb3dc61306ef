"""Raw option text -> typed values, as my_getopt converts them (held to mariadbd by the
differential tests; these pin the rules down one by one)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mycnf_lint.reader import catalogue
from mycnf_lint.reader.values import convert, expand_sql_mode, merge_flags

from .mariadb import help_verbose, mariadbd_path, normalize, requires_mariadbd

CAT = catalogue.load("mariadb-10.11")


def value(name: str, text: str | None) -> object:
    out = convert(CAT.server.options[name], text)
    assert not out.fatal, out.problems
    return out.value


@pytest.mark.parametrize("text,expected", [
    ("600", 600), ("+5", 5), ("", 1), ("1k", 1024), ("2K", 2048), ("1m", 1048576),
    ("10m", 10485760), ("99999999", 31536000), ("16E", 1), ("17E", 31536000),
])
def test_durations_take_size_suffixes_and_are_clamped(text: str, expected: int) -> None:
    assert value("wait_timeout", text) == expected


@pytest.mark.parametrize("text,expected", [
    ("1000000", 999424), ("32MB", 33554432), ("2G", 1073741824), ("100", 1024),
])
def test_sizes_round_down_to_the_block_and_stay_in_range(text: str, expected: int) -> None:
    assert value("max_allowed_packet", text) == expected


@pytest.mark.parametrize("text", ["-5", "1.5", "0x10", "10 ; ten", "abc", "1" * 30])
def test_what_stops_the_server(text: str) -> None:
    assert convert(CAT.server.options["wait_timeout"], text).fatal


def test_booleans_read_words_and_set_off_on_anything_else() -> None:
    assert value("slow_query_log", "on") is True
    assert value("slow_query_log", "TRUE") is True
    assert value("slow_query_log", "0") is False
    out = convert(CAT.server.options["slow_query_log"], "yes")
    assert out.value is False and out.problems and not out.fatal


def test_enums_take_names_unique_prefixes_and_ordinals() -> None:
    assert value("binlog_format", "row") == "ROW"
    assert value("binlog_format", "MIX") == "MIXED"
    assert value("binlog_format", "2") == "ROW"
    assert convert(CAT.server.options["binlog_format"], "genlog").fatal


def test_sets_come_out_in_the_servers_order() -> None:
    words = CAT.server.options["sql_mode"].values or ()
    assert value("sql_mode", "NO_ENGINE_SUBSTITUTION,STRICT_TRANS_TABLES") == \
        "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION"
    assert expand_sql_mode("ANSI", words, True) == \
        "REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ANSI"


@pytest.mark.parametrize("text,refused", [
    ("NO_ZERO_DATE,STRICT_TRANS_TABLE", False), ("STRICT_TRANS_TABLE,NO_ZERO_DATE", True),
    ("no_zero_dat", False), ("NO_ZERO_DAT,STRICT_TRANS_TABLES", True),
])
def test_a_set_member_may_be_a_prefix_only_at_the_end(text: str, refused: bool,
                                                      tmp_path: Path) -> None:
    """find_typeset(): a member before a comma must be whole, the last may be a unique prefix;
    mariadbd agrees when it is installed."""
    assert convert(CAT.server.options["sql_mode"], text).fatal is refused
    if mariadbd_path():
        (tmp_path / "my.cnf").write_text(f"[mysqld]\nsql_mode = {text}\n")
        assert help_verbose(tmp_path / "my.cnf").starts is not refused


@pytest.mark.parametrize("option,text,refused", [
    ("optimizer_switch", "index_merge=off", False), ("optimizer_switch", "DEFAULT", False),
    ("optimizer_switch", "index_merge=off,default", False),
    ("optimizer_switch", "index_merge=Default", False),
    ("optimizer_switch", "index_merge =off", False),
    ("optimizer_switch", "index_merge=off ,mrr=on", False),
    ("optimizer_switch", "index_merge=off, mrr=on", True),
    ("optimizer_switch", "index_merge= off", True), ("optimizer_switch", "index_merge=off,", True),
    ("optimizer_switch", "index_merge=off,,mrr=on", True),
    ("optimizer_switch", "index_merge=off,INDEX_MERGE=off", True),
    ("optimizer_switch", "default,default", True), ("optimizer_switch", "index_merge_un=off", True),
    ("optimizer_switch", "index_merge", True), ("optimizer_trace", "enabled=on,", True),
    ("optimizer_trace", "enabled=off,default", False),
])
def test_a_flag_list_takes_each_whole_flag_once_and_no_space_after_a_comma(
        option: str, text: str, refused: bool, tmp_path: Path) -> None:
    """find_set_from_flags(): the check passed a space after a comma, a trailing comma, a flag
    named twice and a prefix of a flag name, all of which mariadbd refuses (checked when it
    is installed)."""
    assert convert(CAT.server.options[option], text).fatal is refused
    if mariadbd_path():
        (tmp_path / "my.cnf").write_text(f"[mysqld]\n{option} = {text}\n")
        assert help_verbose(tmp_path / "my.cnf").starts is not refused


def test_flag_sets_merge_into_the_current_flags() -> None:
    assert merge_flags("a=on,b=off", "b=on") == "a=on,b=on"
    assert merge_flags("a=on,b=off", "a=off,default") == "a=off,b=off"


@pytest.mark.parametrize("text", ["index_merge=off,default", "default,index_merge=off",
                                  "mrr=on,DEFAULT,index_merge=default", "index_merge=Off"])
def test_a_default_item_keeps_the_flags_the_list_names_wherever_it_stands(
        text: str, tmp_path: Path) -> None:
    """`index_merge=off,default` left index_merge on here; mariadbd leaves it off (checked
    when it is installed, against the flags it prints)."""
    opt = CAT.server.options["optimizer_switch"]
    got = merge_flags(str(opt.default), text)
    assert "mrr=on" in got.split(",") if "mrr=on" in text else "mrr=off" in got.split(",")
    assert ("index_merge=off" in got.split(",")) is ("index_merge=off" in text.lower())
    if mariadbd_path():
        (tmp_path / "my.cnf").write_text(f"[mysqld]\noptimizer_switch = {text}\n")
        printed = help_verbose(tmp_path / "my.cnf").values["optimizer_switch"].split(",")
        assert printed == got.split(",")[:len(printed)]  # it stops at the last flag on
        assert all(f.endswith("=off") for f in got.split(",")[len(printed):])


def test_floats_take_exponents_but_no_suffix() -> None:
    assert value("long_query_time", "0.5") == 0.5
    assert value("long_query_time", "2e1") == 20.0
    assert convert(CAT.server.options["long_query_time"], "2s").fatal


def _read(option: str, text: str) -> object:
    """What convert makes of `text` for `option`: the value, or None when it is refused."""
    got = convert(CAT.server.options[option], text)
    return None if got.fatal else got.value


def _agrees_with_mariadbd(option: str, text: str, tmp_path: Path,
                          spelled: Callable[[object], object] = lambda v: v) -> None:
    """mariadbd refuses exactly what convert refuses, and prints the value it reads."""
    (tmp_path / "my.cnf").write_text(f"[mysqld]\n{option} = {text}\n")
    seen = help_verbose(tmp_path / "my.cnf")
    got = convert(CAT.server.options[option], text)
    assert seen.starts is not got.fatal
    if seen.starts:
        assert spelled(seen.values[option]) == spelled(got.value)


_ALL_FILTERS = ("admin,filesort,filesort_on_disk,filesort_priority_queue,full_join,full_scan,"
                "not_using_index,query_cache,query_cache_miss,tmp_table,tmp_table_on_disk")
# (option, text as convert sees it, value read or None when refused), read off mariadbd 10.11
SET_EDGES = [
    ("sql_mode", "ANSI_QUOTES, STRICT_TRANS_TABLES", None),
    ("sql_mode", "ANSI_QUOTES ,STRICT_TRANS_TABLES", "ANSI_QUOTES,STRICT_TRANS_TABLES"),
    ("sql_mode", "ANSI_QUOTES ", "ANSI_QUOTES"), ("sql_mode", "ANSI_QUOTES,", None),
    ("sql_mode", ",ANSI_QUOTES", None), ("sql_mode", ",", None),
    ("sql_mode", "ANSI_QUOTES,,STRICT_TRANS_TABLES", None),
    ("sql_mode", "ANSI_QUOTES,ANSI_QUOTES", "ANSI_QUOTES"),
    ("sql_mode", "ansi_quotes,STRICT_TRANS_TABLES", "ANSI_QUOTES,STRICT_TRANS_TABLES"),
    ("sql_mode", "", ""), ("sql_mode", "0", ""), ("sql_mode", "3", "REAL_AS_FLOAT,PIPES_AS_CONCAT"),
    ("sql_mode", "ANSI_QUOTES,3", None), ("sql_mode", "-1", None), ("sql_mode", "3a", None),
    ("sql_mode", "99999999999", None), ("sql_mode", "ANSI_QUO", "ANSI_QUOTES"),
    ("sql_mode", "ANSI_QUO,STRICT_TRANS_TABLES", None),
    ("old_mode", "NO_PROGRESS_INFO,", None), ("old_mode", "", ""),
    ("old_mode", "1", "NO_DUP_KEY_WARNINGS_WITH_IGNORE"),
    ("log_slow_verbosity", "query_plan, explain", None), ("log_slow_verbosity", "", ""),
    ("log_slow_filter", "admin, filesort", None), ("log_slow_filter", "admin,admin", "admin"),
    ("log_slow_filter", "ADMIN,Filesort", "admin,filesort"),
    ("log_slow_filter", "3", "admin,filesort"),
    ("log_slow_filter", "0", ""), ("log_slow_filter", "", _ALL_FILTERS),
    ("myisam_recover_options", "", "OFF"), ("myisam_recover_options", "0", "OFF"),
    ("myisam_recover_options", "BACKUP,OFF", "BACKUP,OFF"),
]


@pytest.mark.parametrize("option,text,value", SET_EDGES)
def test_set_values_read_as_mariadbd_reads_them(option: str, text: str, value: str | None) -> None:
    """find_typeset(): no space after a comma, no empty item, a repeat counts once, any case,
    a number is a bit mask; an empty log_slow_filter is every filter (0 is none) and a
    myisam_recover_options with no member is OFF (both were read as empty)."""
    assert _read(option, text) == value


@requires_mariadbd
@pytest.mark.parametrize("option,text,value", SET_EDGES)
def test_set_values_agree_with_mariadbd(option: str, text: str, value: str | None,
                                        tmp_path: Path) -> None:
    _agrees_with_mariadbd(option, text, tmp_path)


# (option, text as convert sees it, value read or None when refused), read off mariadbd 10.11
ENUM_EDGES = [
    ("binlog_format", "0", "MIXED"), ("binlog_format", "1", "STATEMENT"),
    ("binlog_format", "2", "ROW"), ("binlog_format", "3", None), ("binlog_format", "99", None),
    ("binlog_format", "-1", None), ("binlog_format", "", "MIXED"),
    ("binlog_format", "01", "STATEMENT"), ("binlog_format", "row", "ROW"),
    ("binlog_format", "Row", "ROW"), ("binlog_format", "RO", "ROW"),
    ("binlog_format", "M", "MIXED"), ("binlog_format", "ROW ;x", None),
    ("binlog_format", "1a", None),
    ("binlog_format", "0x1", None), ("binlog_format", "+1", "STATEMENT"),
    ("binlog_format", "+01", "STATEMENT"), ("binlog_format", "+2", "ROW"),
    ("binlog_format", "-0", "MIXED"), ("binlog_format", "+0", "MIXED"),
    ("binlog_format", "-00", "MIXED"), ("binlog_format", "+", None), ("binlog_format", "-", None),
    ("binlog_format", "+3", None), ("binlog_format", "+ 1", None), ("binlog_format", "+99", None),
    ("transaction_isolation", "REP", "REPEATABLE-READ"), ("transaction_isolation", "READ", None),
    ("transaction_isolation", "read-committed", "READ-COMMITTED"),
    ("transaction_isolation", "+1", "READ-COMMITTED"), ("transaction_isolation", "4", None),
    ("innodb_flush_method", "+1", "O_DSYNC"), ("innodb_flush_method", "O_DIRECT", "O_DIRECT"),
]


@pytest.mark.parametrize("option,text,value", ENUM_EDGES)
def test_enum_values_read_as_mariadbd_reads_them(option: str, text: str,
                                                 value: str | None) -> None:
    """find_type() (any case, a unique prefix), else strtoul(): an index below the count, a
    sign allowed before the digits ('+1' was refused, mariadbd 10.11 reads STATEMENT; '-0'
    is the first value), nothing after them."""
    assert _read(option, text) == value


@requires_mariadbd
@pytest.mark.parametrize("option,text,value", ENUM_EDGES)
def test_enum_values_agree_with_mariadbd(option: str, text: str, value: str | None,
                                         tmp_path: Path) -> None:
    _agrees_with_mariadbd(option, text, tmp_path)


# (option, text as convert sees it, value read or None when refused), read off mariadbd 10.11:
# one suffix letter counts and the rest is ignored ('16MB', '1k5', '1e3' is 1 exabyte), no
# space before it, no hex, '-' refused for unsigned (even '-0'), out of range clamped; a
# double takes no inf or nan and refuses an overflow (all three were read as numbers)
NUMBER_EDGES = [
    ("max_allowed_packet", "16M", 16777216), ("max_allowed_packet", "16m", 16777216),
    ("max_allowed_packet", "16MB", 16777216), ("max_allowed_packet", "1G", 1073741824),
    ("max_allowed_packet", "1T", 1073741824), ("max_allowed_packet", "16K", 16384),
    ("max_allowed_packet", "1k5", 1024), ("max_allowed_packet", "16 M", None),
    ("max_allowed_packet", "M", 1024), ("max_allowed_packet", "+16M", 16777216),
    ("max_allowed_packet", "-5", None), ("max_allowed_packet", "-0", None),
    ("max_allowed_packet", "0x10", None), ("max_allowed_packet", "010", 1024),
    ("max_allowed_packet", "1.5", None), ("max_allowed_packet", "1e3", 1073741824),
    ("max_allowed_packet", "", 1024), ("max_allowed_packet", "1023", 1024),
    ("max_allowed_packet", "1025", 1024), ("max_allowed_packet", "3073", 3072),
    ("max_allowed_packet", "1073741825", 1073741824),
    ("max_allowed_packet", "18446744073709551616", None),
    ("wait_timeout", "+5", 5), ("wait_timeout", "-5", None), ("wait_timeout", "-0", None),
    ("wait_timeout", "1P", 31536000), ("wait_timeout", "1E", 31536000),
    ("wait_timeout", "16E", 1), ("wait_timeout", "17E", 31536000), ("wait_timeout", "0", 1),
    ("wait_timeout", "31536001", 31536000), ("wait_timeout", "4294967296", 31536000),
    ("wait_timeout", "1 2", None), ("wait_timeout", "16Mx", 16777216),
    ("wait_timeout", "- 5", None), ("wait_timeout", "+-5", None), ("wait_timeout", "k", 1),
    ("key_buffer_size", "12289", 12288), ("key_buffer_size", "1", 0),
    ("key_buffer_size", "18446744073709551615", 18446744073709547520),
    ("server_id", "4294967296", 4294967295), ("server_id", "", 1),
    ("net_read_timeout", "0", 1), ("auto_increment_increment", "65536", 65535),
    ("long_query_time", "0.5", 0.5), ("long_query_time", "1e-1", 0.1),
    ("long_query_time", ".5", 0.5), ("long_query_time", "5.", 5.0),
    ("long_query_time", "-1", 0.0), ("long_query_time", "-0", 0.0),
    ("long_query_time", "1E1", 10.0), ("long_query_time", "+.5", 0.5),
    ("long_query_time", "1.5s", None), ("long_query_time", "1,5", None),
    ("long_query_time", "0x10", None), ("long_query_time", "1e", None),
    ("long_query_time", "1e-400", 0.0), ("long_query_time", "31536001", 31536000.0),
    ("long_query_time", "", 0.0), ("long_query_time", "inf", None),
    ("long_query_time", "INF", None), ("long_query_time", "-inf", None),
    ("long_query_time", "nan", None), ("long_query_time", "infinity", None),
    ("long_query_time", "1e400", None), ("long_query_time", "2e308", None),
]


@pytest.mark.parametrize("option,text,value", NUMBER_EDGES)
def test_numbers_read_as_mariadbd_reads_them(option: str, text: str,
                                             value: int | float | None) -> None:
    """getopt_ull/getopt_ll (strtoull, one suffix letter, clamp, block size) and
    getopt_double (my_strtod: no inf or nan, an overflow refused)."""
    assert _read(option, text) == value


@requires_mariadbd
@pytest.mark.parametrize("option,text,value", NUMBER_EDGES)
def test_numbers_agree_with_mariadbd(option: str, text: str, value: int | float | None,
                                     tmp_path: Path) -> None:
    _agrees_with_mariadbd(option, text, tmp_path, spelled=normalize)
