"""One file's bytes -> lines, split the way the server's option-file reader splits them."""

from __future__ import annotations

from mycnf_lint.reader.optionfile import FGETS_CHUNK, Kind, parse


def lines(data: bytes) -> list:
    return parse("my.cnf", data).lines


def test_hash_starts_a_comment_anywhere_outside_quotes() -> None:
    (_, a, b) = lines(b"[client]\npassword = ab#cd\nname = \"x#y\" # real\n")
    assert (a.value, a.comment) == ("ab", "#cd")
    assert (b.value, b.comment) == ("x#y", "# real")


def test_semicolon_is_a_comment_only_at_the_start_of_a_line() -> None:
    (_, a, b) = lines(b"[mysqld]\n; comment\nwait_timeout = 600 ; ten minutes\n")
    assert a.kind is Kind.COMMENT
    assert b.value == "600 ; ten minutes"


def test_quotes_are_stripped_and_escapes_decoded() -> None:
    (_, a, b, c) = lines(b"[mysqld]\na = 'x y'\nb = a\\tb\\sc\\\\d\\qe\nc = \"\n")
    assert a.value == "x y"
    assert b.value == "a\tb c\\d\\qe"
    assert c.value == '"'  # a lone quote stays


def test_groups_keep_leading_blanks_and_ignore_text_after_the_bracket() -> None:
    (g1, _, g2) = lines(b"[ mysqld ] trailing\nx = 1\n[mysqld\n")
    assert (g1.kind, g1.group) == (Kind.GROUP, " mysqld")
    assert g2.kind is Kind.BAD_GROUP


def test_directives_need_a_blank_and_an_argument() -> None:
    (_, a, b, c, d) = lines(b"[x]\n!include /a.cnf\n!includedir  /d/  \n!include\n!includex y\n")
    assert (a.kind, a.argument) == (Kind.INCLUDE, "/a.cnf")
    assert (b.kind, b.argument) == (Kind.INCLUDEDIR, "/d/")
    assert c.kind is Kind.BAD_DIRECTIVE
    assert d.kind is Kind.DIRECTIVE


def test_options_before_a_group_have_no_group() -> None:
    (a,) = lines(b"wait_timeout = 5\n")
    assert a.kind is Kind.OPTION and a.group is None


def test_bytes_round_trip_including_crlf_and_bytes_that_are_not_utf8() -> None:
    data = b"\xef\xbb\xbf[mysqld]\r\n# \xd6\xd0\xce\xc4\r\nwait = 1"
    assert parse("my.cnf", data).text() == data


def test_a_line_longer_than_the_servers_buffer_is_read_in_pieces() -> None:
    data = b"[mysqld]\ninit_connect = " + b"a" * FGETS_CHUNK + b"wait_timeout=5\n"
    long = lines(data)[1]
    assert long.parts and len(long.parts) == 2
    assert long.parts[1].key.endswith("wait_timeout")
    assert parse("my.cnf", data).text() == data


def test_a_nul_byte_ends_the_line_for_the_server_but_not_for_the_file() -> None:
    data = b"[mysqld]\nwait_timeout = 55\x00junk\n"
    line = lines(data)[1]
    assert (line.key, line.value) == ("wait_timeout", "55")
    assert parse("my.cnf", data).text() == data
