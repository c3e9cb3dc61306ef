"""One file's bytes -> lines, split the way the server's option-file reader splits them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mycnf_lint.reader import optionfile
from mycnf_lint.reader.optionfile import FGETS_CHUNK, Kind, parse


def lines(data: bytes) -> list:
    return list(parse("my.cnf", data).physical())


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


def test_blank_and_comment_lines_are_not_kept_but_come_back_in_order() -> None:
    data = b"# head\n\n[mysqld]\n  ; note\nport = 1\n\n"
    of = parse("my.cnf", data)
    assert [ln.number for ln in of.lines] == [3, 5]
    assert [ln.kind for ln in of.physical()] == [
        Kind.COMMENT, Kind.BLANK, Kind.GROUP, Kind.COMMENT, Kind.OPTION, Kind.BLANK]
    assert of.count == 6 and of.text() == data


def test_a_line_by_number_knows_its_group_after_a_long_line() -> None:
    data = b"[client]\n" + b"#" * FGETS_CHUNK + b"[mysqld]\n# here\nport = 1\n"
    of = parse("my.cnf", data)
    here = of.line(3)
    assert here is not None and (here.kind, here.group) == (Kind.COMMENT, "mysqld")
    assert of.line(4) is of.lines[-1]
    assert of.line(0) is None and of.line(5) is None


def test_lines_read_past_a_byte_order_mark_keep_its_bytes() -> None:
    data = b"\xef\xbb\xbf# note\n[mysqld]\n"
    of = parse("my.cnf", data, skip=3)
    first = of.line(1)
    assert first is not None and first.kind is Kind.COMMENT and first.column == 4
    assert of.text() == data


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b"\r\n", b" ", b"#", b";", b"[mysqld]", b"]", b"a = 1",
                                 b"!include x", b"\0", b"\xef\xbb\xbf", b"x" * 5000, b"'"]),
                max_size=30))
def test_every_line_comes_back_from_the_kept_ones(atoms: list[bytes]) -> None:
    data = b"".join(atoms)
    of = parse("my.cnf", data)
    every = list(of.physical())
    assert b"".join(ln.raw for ln in every) == data and len(every) == of.count
    assert [ln for ln in every if ln.kind not in (Kind.BLANK, Kind.COMMENT) or ln.parts] == (
        list(of.lines))
    for n, ln in enumerate(every, start=1):
        again = of.line(n)
        assert again is not None and (again.raw, again.kind, again.group) == (
            ln.raw, ln.kind, ln.group)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b"\r\n", b" ", b"#", b"[mysqld]", b"[client]", b"]",
                                 b"a = 1", b"\0", b"\xef\xbb\xbf", b"x" * 5000, b"'"]),
                max_size=30), st.booleans())
def test_lines_parsed_on_demand_equal_the_kept_ones(atoms: list[bytes], bom: bool) -> None:
    data = b"".join(atoms)
    skip = 3 if bom and data.startswith(b"\xef\xbb\xbf") else 0
    kept = parse("my.cnf", data, skip)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(optionfile, "KEEP", 0)
        lazy = parse("my.cnf", data, skip)
    assert lazy.lines.on_demand or not kept.lines
    assert list(lazy.lines) == list(kept.lines) == [lazy.lines[i] for i in range(len(kept.lines))]
    assert list(lazy.physical()) == list(kept.physical())
    assert [lazy.line(n) for n in range(kept.count + 2)] == [
        kept.line(n) for n in range(kept.count + 2)]
    assert lazy.lines[-3:] == kept.lines[-3:]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b"#", b";", b"[mysqld]", b"[client]", b"a = 1", b"b#;",
                                 b"x" * 5000, b"'"]), max_size=30),
       st.sampled_from([b"#", b";", b"["]))
def test_lines_read_selectively_are_those_a_full_reading_selects(atoms: list[bytes],
                                                                  needle: bytes) -> None:
    data = b"".join(atoms)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(optionfile, "KEEP", 0)
        lines = parse("my.cnf", data).lines
    every = list(enumerate(lines))
    n = len(every)
    assert list(lines.containing(0, n, needle)) == [(i, ln) for i, ln in every if needle in ln.raw]
    assert list(lines.headers(0, n)) == [
        (i, ln) for i, ln in every if any(p.kind is Kind.GROUP for p in ln.parts or (ln,))]
    client = list(lines.within(0, n, lambda found, group: group == "client"))
    assert client == [(i, ln) for i, ln in every if ln.group == "client" and i not in lines.turns]
    for start in range(n + 1):
        assert list(lines.containing(start, n, needle)) == [
            (i, ln) for i, ln in every[start:] if needle in ln.raw]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b"\r\n", b" ", b"\t", b"#", b";", b"[mysqld]", b"[client]",
                                 b"!include /nowhere", b"!x", b"a = 1", b"b=c:\\t", b"=",
                                 b"x" * 5000, b"'", b"\0", b"\\"]), max_size=30),
       st.sampled_from([b"#", b";", b"\\"]))
def test_a_huge_files_selective_reads_give_what_a_full_reading_gives(atoms: list[bytes],
                                                                       needle: bytes) -> None:
    from mycnf_lint.reader.includes import read_tree
    from mycnf_lint.reader.lineparse import plain_option

    data = b"[mysqld]\n" + b"".join(atoms)
    full = read_tree("my.cnf", data=data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(optionfile, "KEEP", 0)
        huge = read_tree("my.cnf", data=data)
    assert huge.files[0].lines.on_demand and huge.events == full.events
    every = [line for _, _, _, line in full.lines.positions()]
    assert [line for _, _, _, line in huge.lines.positions()] == every

    # each read gives more lines than asked for (the pieces of a long line, say), never fewer
    def holds(line: optionfile.Line) -> bool:
        return line.kind is Kind.OPTION and needle in line.raw

    holding = [line for _, _, _, line in huge.lines.options_containing(needle)]
    assert [line for line in holding if holds(line)] == [line for line in every if holds(line)]

    def worth(raw: bytes) -> bool:  # as the duration check's: a plain line setting `a` is not
        got = plain_option(raw)
        return got is None or got[0] != "a"

    def wanted(line: optionfile.Line) -> bool:
        return line.kind is Kind.OPTION and line.group == "mysqld" and worth(line.raw)

    picked = [line for _, _, _, line in huge.lines.in_groups({"mysqld"}, worth)]
    assert [line for line in picked if wanted(line)] == [line for line in every if wanted(line)]
