"""The common-shape reading of a line (lineparse.plain) agrees with the general one."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from mycnf_lint.reader.lineparse import Kind, _classify, plain

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
PIECES = [b"", b" ", b"\t", b"\v", b"\r", b"\r\n", b"\n", b"=", b"a", b"max_connections", b"1",
          b"x y", b"#c", b"'", b'"', b"\\", b"\0", b"\xe9", b"-", b"[", b";", b"!", b"a.b"]


def _general(raw: bytes, found_group: bool, group: str | None):  # type: ignore[no-untyped-def]
    line = _classify(7, raw.split(b"\0", 1)[0], found_group, group)
    line.raw = raw
    return line


def _agree(raw: bytes) -> bool:
    """Whether `raw` has the common shape; when it has, both readings are equal."""
    for found_group, group in ((True, "mysqld"), (False, None)):
        fast = plain(7, raw, found_group, group)
        if fast is None:
            return False
        assert fast == _general(raw, found_group, group), raw
    return True


def test_the_common_shapes_are_read_as_the_general_reading_reads_them() -> None:
    cases = [b"max_connections = 100\n", b"  skip-name-resolve\r\n", b"a=b c",
             b"log_error = /var/log/mysql/error.log \t\n", b"sql_mode=A,B\n"]
    assert all(_agree(raw) for raw in cases)
    line = plain(3, b"  wait_timeout = 28800\n", True, "mysqld")
    assert line is not None and line.kind is Kind.OPTION
    got = (line.key, line.value, line.column, line.value_column)
    assert got == ("wait_timeout", "28800", 3, 18)


@pytest.mark.parametrize("raw", [b"a = 'b'\n", b"a = b # c\n", b"a = \\n\n", b"a =\n",
                                 b"a = \xe9\n", b"a\0 = 1\n", b"a = b\r\r\n", b"[mysqld]\n",
                                 b"# a = b\n", b"!include x\n", b"a.b = 1\n", b"\ra = 1\n"])
def test_lines_the_general_reading_must_read_are_left_to_it(raw: bytes) -> None:
    assert plain(1, raw, True, "mysqld") is None


def test_every_combination_of_awkward_pieces_agrees() -> None:
    fast = 0
    for combo in itertools.product(PIECES, repeat=4):
        raw = b"".join(combo)
        if b"\n" not in raw[:-1]:
            fast += _agree(raw)
    assert fast > 1000  # the common shape is among them


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
def test_every_corpus_line_agrees() -> None:
    fast = sum(_agree(raw) for path in sorted(CORPUS.iterdir())
               for raw in path.read_bytes().splitlines(keepends=True))
    assert fast > 2500  # of ~10,000 lines, comments and blanks included
