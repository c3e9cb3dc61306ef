"""The lines the server reads, in its order: runs of line indexes of the files read."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from typing import Any

from mycnf_lint.reader.optionfile import Line, Lines, OptionFile

_MAY_BE_OPTION = rb"^[ \t\v\f\r]*(?=[^ \t\n\v\f\r#;\[!])[^\n]*"
# which lines of a file parsed on demand to read (start and stop are indexes in its lines)
Pick = Callable[[Lines, int, int], Iterator[tuple[int, Line]]]


class ServerOrder:
    """Every line the server reads, in its order, as (file, line) pairs. Held as runs of one
    file's lines by their indexes in `OptionFile.lines` (a line parsed on demand is read again
    as the runs are walked): a pair kept for each line would cost 65 bytes a line.

    A run is [file, first, last + 1, -1, 0] for whole lines, [file, line, line + 1, first
    piece, last piece + 1] for the pieces of a line longer than the server's buffer."""

    def __init__(self) -> None:
        self._runs: list[list[Any]] = []
        self._last: list[Any] = [None, 0, 0, -1, 0]
        self._huge = False  # a file whose lines are parsed on demand is among them
        self._count = 0

    def append(self, of: OptionFile, index: int, piece: int = -1) -> None:
        """The next line read: `of.lines[index]`, or its piece number `piece`."""
        if piece < 0:
            self.extend(of, index, index + 1)
            return
        self._count += 1
        if of.lines.on_demand:
            self._huge = True
        last = self._last
        if last[0] is of and last[1] == index and last[3] >= 0 and last[4] == piece:
            last[4] += 1
            return
        self._last = [of, index, index + 1, piece, piece + 1]
        self._runs.append(self._last)

    def extend(self, of: OptionFile, start: int, stop: int) -> None:
        """The next lines read: `of.lines[start:stop]`, whole."""
        if start >= stop:
            return
        self._count += stop - start
        if of.lines.on_demand:
            self._huge = True
        last = self._last
        if last[0] is of and last[2] == start and last[3] < 0:
            last[2] = stop
            return
        self._last = [of, start, stop, -1, 0]
        self._runs.append(self._last)

    def __iter__(self) -> Iterator[tuple[OptionFile, Line]]:
        runs = self._runs
        if len(runs) == 1 and runs[0][3] < 0:  # one file without long lines: most files
            of, start, stop, _, _ = runs[0]
            return zip(repeat(of), of.lines.between(start, stop))
        return chain.from_iterable(self._runs_read())

    def _runs_read(self) -> Iterator[Iterator[tuple[OptionFile, Line]]]:
        for of, start, stop, first, end in self._runs:
            if first < 0:
                yield zip(repeat(of), of.lines.between(start, stop))
            else:
                yield zip(repeat(of), (of.lines[start].parts or [])[first:end])

    def positions(self) -> Iterator[tuple[OptionFile, int, int, Line]]:
        """Each line read with where it is: file, index in `file.lines`, piece (-1: whole)."""
        runs = self._runs
        if len(runs) == 1 and runs[0][3] < 0:  # one file without long lines: most files
            of, start, stop, _, _ = runs[0]
            return zip(repeat(of), range(start, stop), repeat(-1), of.lines.between(start, stop))
        return chain.from_iterable(self._positions())

    def _positions(self) -> Iterator[Iterator[tuple[OptionFile, int, int, Line]]]:
        for of, start, stop, first, end in self._runs:
            if first < 0:
                yield zip(repeat(of), range(start, stop), repeat(-1),
                          of.lines.between(start, stop))
            else:
                parts = (of.lines[start].parts or [])[first:end]
                yield zip(repeat(of), repeat(start), range(first, end), parts)

    def select(self, pick: Pick) -> Iterator[tuple[OptionFile, int, int, Line]]:
        """Like positions(), but in a file whose lines are parsed on demand only the lines
        `pick(file.lines, start, stop)` gives (with their indexes): a superset of those the
        caller wants, the others skipped unread (Lines.within, containing, headers)."""
        if not self._huge:
            return self.positions()
        return chain.from_iterable(self._picked(pick))

    def in_groups(self, wanted: set[str], worth: Callable[[bytes], bool] | None = None
                  ) -> Iterator[tuple[OptionFile, int, int, Line]]:
        """select() of the lines in the groups `wanted` names (lower case) whose bytes `worth`
        accepts (when given); a huge file's group headers are not given."""
        return self.select(lambda lines, start, stop: lines.within(
            start, stop, lambda found, group: group is not None and group.lower() in wanted,
            worth))

    def containing(self, needle: bytes | re.Pattern[bytes]
                   ) -> Iterator[tuple[OptionFile, int, int, Line]]:
        """select() of the lines whose bytes hold `needle` (or a match of it)."""
        return self.select(lambda lines, start, stop: lines.containing(start, stop, needle))

    def options_containing(self, needle: bytes) -> Iterator[tuple[OptionFile, int, int, Line]]:
        """containing() of the lines that may be options (the first byte but blanks none of
        `#;[!`) holding `needle`: a search skips comment lines unread."""
        return self.containing(re.compile(_MAY_BE_OPTION + re.escape(needle), re.MULTILINE))

    def headers(self) -> Iterator[tuple[OptionFile, int, int, Line]]:
        """select() of the group headers."""
        return self.select(lambda lines, start, stop: lines.headers(start, stop))

    def _picked(self, pick: Pick) -> Iterator[Iterator[tuple[OptionFile, int, int, Line]]]:
        for of, start, stop, first, end in self._runs:
            if first >= 0:
                parts = (of.lines[start].parts or [])[first:end]
                yield zip(repeat(of), repeat(start), range(first, end), parts)
            elif of.lines.on_demand:
                yield ((of, i, -1, line) for i, line in pick(of.lines, start, stop))
            else:
                yield zip(repeat(of), range(start, stop), repeat(-1),
                          of.lines.between(start, stop))

    def __len__(self) -> int:
        return self._count

