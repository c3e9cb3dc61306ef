"""One option file: bytes -> lines (groups, options, comments, directives) with positions.

The split follows the server's own reader (mysys/my_default.c) line by line: leading blanks are
skipped, `#` and `;` start a comment line, `!include`/`!includedir` are directives, `[...]` is
a group, and everything else is an option whose inline `#` comment (outside quotes) is cut off.
The text of each line is kept byte for byte so a file can be written back unchanged.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from mycnf_lint.reader.lineparse import (
    BOM,
    FGETS_CHUNK,
    PLAIN_LINE,
    Kind,
    Line,
    after,
    decode,
    end_comment,
    parse_line,
    parse_physical,
    prefixed,
    split_lines,
    unquote,
)

__all__ = ["BOM", "FGETS_CHUNK", "KEEP", "Kind", "Line", "Lines", "OptionFile", "decode",
           "end_comment", "parse", "split_lines", "unquote"]

# A file keeps its lines as records up to this many kept lines; above it they are parsed again
# from the bytes each time they are read (a record with its strings costs ~300 bytes a line).
# Normal files hold tens of lines; the fleet benchmark's 200,000-line file holds ~150,000.
KEEP = 200_000
_State = tuple[bool, "str | None"]


class Lines(Sequence[Line]):
    """The lines of a file that matter (every line but blanks and comments), in order, by
    their byte offsets: kept as records in a small file, parsed on demand in a big one (a
    line parsed again is equal to the first reading: same bytes, same group state)."""

    __slots__ = ("_data", "_skip", "offsets", "numbers", "turns", "turn_to", "groups", "unusual",
                 "_kept", "on_demand")

    def __init__(self, data: bytes = b"", skip: int = 0) -> None:
        self._data = data
        self._skip = skip  # bytes before line 1 not parsed (a byte order mark read past)
        self.offsets = array("Q")  # where each line starts
        self.numbers = array("I")  # each line's number (1-based)
        self.turns = array("I")  # the lines that hold a group header
        self.turn_to = array("I")  # the group each of them leads into: its place in `groups`
        self.groups: list[str] = []  # the names of the groups, each once
        # the lines that are more than a group header, an option in a group or an ignored
        # `!directive`: includes, bad headers and directives, options before any group, lines
        # longer than the server's read buffer (a reader looks at each; they are few)
        self.unusual = array("I")
        self._kept: list[Line] | None = []  # None: parsed on demand
        self.on_demand = False  # whether lines are parsed again each time they are read

    def __len__(self) -> int:
        return len(self.offsets)

    @overload
    def __getitem__(self, i: int) -> Line: ...

    @overload
    def __getitem__(self, i: slice) -> list[Line]: ...

    def __getitem__(self, i: int | slice) -> Line | list[Line]:
        if self._kept is not None:
            return self._kept[i]
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1:
                return list(self.between(start, stop))
            return [self[j] for j in range(start, stop, step)]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("line index out of range")
        return self.at(i, *self.state(i))

    def __iter__(self) -> Iterator[Line]:
        return self.between(0, len(self))

    def position(self, number: int) -> int:
        """The index of the first line numbered `number` or more (len() when none is)."""
        return bisect.bisect_left(self.numbers, number)

    def state(self, i: int) -> _State:
        """The group state (a header seen, the group) before line `i`."""
        turn = bisect.bisect_left(self.turns, i) - 1  # the last header before line i
        return (False, None) if turn < 0 else (True, self.groups[self.turn_to[turn]])

    def at(self, i: int, found_group: bool, group: str | None) -> Line:
        """Line `i` read again from the bytes, given the group state before it."""
        if self._kept is not None:
            return self._kept[i]
        data, start = self._data, self.offsets[i]
        nl = data.find(b"\n", start)
        end = len(data) if nl < 0 else nl + 1
        if start == 0 and self._skip:
            return prefixed(parse_physical(1, data[self._skip : end], found_group, group),
                            data[: self._skip])
        return parse_physical(self.numbers[i], data[start:end], found_group, group)

    def between(self, start: int, stop: int) -> Iterator[Line]:
        """Lines `start` to `stop` (excluded), in order."""
        kept = self._kept
        if kept is not None:
            return iter(kept if start == 0 and stop >= len(kept) else kept[start:stop])
        return self._parsed(start, stop)

    def raw(self, i: int) -> bytes:
        """Line `i`'s bytes (without a byte order mark read past)."""
        data, start = self._data, self.offsets[i]
        nl = data.find(b"\n", start)
        return data[start or self._skip : len(data) if nl < 0 else nl + 1]

    def within(self, start: int, stop: int, keep: Callable[[bool, str | None], bool],
               worth: Callable[[bytes], bool] | None = None) -> Iterator[tuple[int, Line]]:
        """Lines `start` to `stop` (excluded) with their indexes, but not those that follow a
        header into a group `keep(found_group, group)` refuses, nor those whose bytes
        `worth` refuses, nor the headers: they are skipped unread."""
        turns, turn_to, groups = self.turns, self.turn_to, self.groups
        found, group = self.state(start)
        k = bisect.bisect_left(turns, start)
        i = start
        while i < stop:
            nxt = min(turns[k] if k < len(turns) else stop, stop)
            if keep(found, group):
                for j in range(i, nxt):  # no header among them: one group state
                    if worth is None or worth(self.raw(j)):
                        yield j, self.at(j, found, group)
            if nxt >= stop:
                return
            found, group = True, groups[turn_to[k]]
            i, k = nxt + 1, k + 1

    def containing(self, start: int, stop: int, needle: bytes | re.Pattern[bytes]
                   ) -> Iterator[tuple[int, Line]]:
        """Lines `start` to `stop` (excluded) whose bytes hold `needle` (or a match of it), with
        their indexes: found by searching the bytes, the others are not read."""
        data, offsets = self._data, self.offsets
        if start >= stop:
            return
        pos, limit = offsets[start], len(data) if stop >= len(offsets) else offsets[stop]
        pattern = re.compile(re.escape(needle)) if isinstance(needle, bytes) else needle
        while (m := pattern.search(data, pos, limit)) is not None:
            hit = m.start()
            i = bisect.bisect_right(offsets, hit) - 1  # the last kept line starting before
            nl = data.find(b"\n", hit)
            pos = len(data) if nl < 0 else nl + 1  # on after the line of the hit
            if i >= start and data.find(b"\n", offsets[i], hit) < 0:  # the hit is in line i
                yield i, self.at(i, *self.state(i))

    def headers(self, start: int, stop: int) -> Iterator[tuple[int, Line]]:
        """The lines `start` to `stop` (excluded) that hold a group header, with their indexes."""
        turns = self.turns
        for k in range(bisect.bisect_left(turns, start), bisect.bisect_left(turns, stop)):
            yield turns[k], self.at(turns[k], *self.state(turns[k]))

    def _parsed(self, start: int, stop: int) -> Iterator[Line]:
        found, group = self.state(start)
        for i in range(start, stop):
            line = self.at(i, found, group)
            if line.kind is Kind.GROUP or line.parts:
                found, group = after(line, found, group)
            yield line


@dataclass(slots=True)
class OptionFile:
    """A parsed option file: its bytes and the lines that matter, in order.

    Blank and comment lines are not kept (a file of short lines would cost hundreds of bytes a
    line in records): `physical()` gives every line, parsing those again as it goes."""

    path: str
    data: bytes
    lines: Lines = field(default_factory=Lines)  # every line but blanks and comments
    has_bom: bool = False
    count: int = 0  # physical lines
    skip: int = 0  # bytes before line 1 that were not parsed (a byte order mark read past)

    def physical(self, start: int = 1) -> Iterator[Line]:
        """Every line from line `start` on, blanks and comments included, in order."""
        lines = self.lines
        numbers = lines.numbers
        kept = lines.position(start)
        found_group, group = lines.state(kept)
        if kept:
            pos, number = lines.offsets[kept - 1], numbers[kept - 1]
        else:
            pos, number = 0, 1
        data, size = self.data, len(self.data)
        while pos < size:
            nl = data.find(b"\n", pos)
            end = size if nl < 0 else nl + 1
            if kept < len(numbers) and numbers[kept] == number:
                line = lines.at(kept, found_group, group)
                kept += 1
                found_group, group = after(line, found_group, group)
            elif number < start:
                pos, number = end, number + 1
                continue
            elif number == 1 and self.skip:
                line = prefixed(parse_line(1, data[self.skip : end], found_group, group),
                                data[: self.skip])
            else:
                line = parse_line(number, data[pos:end], found_group, group)
            if number >= start:
                yield line
            pos, number = end, number + 1

    def line(self, number: int) -> Line | None:
        """Line `number` (1-based), or None when the file has no such line."""
        kept = self.lines.position(number)
        if kept < len(self.lines) and self.lines.numbers[kept] == number:
            return self.lines[kept]
        return next(self.physical(number), None) if 0 < number <= self.count else None

    def text(self) -> bytes:
        """Return the file's bytes rebuilt from its lines (equal to what was read)."""
        return b"".join(line.raw for line in self.physical())


# The start of every line that may matter: not blank, not a comment, or too long for one read
# (a piece after the first may be an option). A superset: parsing decides.
_MAY_MATTER = re.compile(rb"^(?:[ \t\v\f\r]*[^ \t\n\v\f\r#;]|[^\n]{%d})" % FGETS_CHUNK,
                         re.MULTILINE)
_SKIPPED = (Kind.BLANK, Kind.COMMENT)
_UNUSUAL = (Kind.INCLUDE, Kind.INCLUDEDIR, Kind.BAD_GROUP, Kind.BAD_DIRECTIVE)


def parse(path: str, data: bytes, skip: int = 0) -> OptionFile:
    """Parse an option file's bytes into lines; group state starts fresh in every file.
    A line longer than the server's read buffer is split where the server splits it. The
    first `skip` bytes (a byte order mark) belong to line 1 but are not parsed."""
    lines = Lines(data, skip)
    result = OptionFile(path, data, lines, has_bom=data.startswith(BOM), skip=skip)
    found_group = False
    group: str | None = None
    number, counted = 1, skip
    offsets, numbers, turns, kept = lines.offsets, lines.numbers, lines.turns, lines._kept
    unusual, plain_line = lines.unusual, PLAIN_LINE.fullmatch
    turn_to, groups, group_codes = lines.turn_to, lines.groups, dict[str, int]()
    group_kind, limit = Kind.GROUP, KEEP
    for m in _MAY_MATTER.finditer(memoryview(data)[skip:]):  # a view: `^` at the real start
        start = m.start() + skip
        number += data.count(b"\n", counted, start)
        counted = start
        nl = data.find(b"\n", start)
        end = len(data) if nl < 0 else nl + 1
        if kept is None and found_group and end - start <= FGETS_CHUNK and start != skip and (
                plain_line(data, start, end)):  # a huge file's option line: nothing to record
            offsets.append(start)
            numbers.append(number)
            continue
        line = parse_physical(number, data[start:end], found_group, group)
        found_group, group = after(line, found_group, group)
        if line.kind in _SKIPPED and not line.parts:
            continue
        if start == skip and skip:
            line, start = prefixed(line, data[:skip]), 0
        if group is not None and (line.kind is group_kind or (
                line.parts and any(p.kind is group_kind for p in line.parts))):
            turns.append(len(offsets))
            code = group_codes.get(group)
            if code is None:
                code = group_codes[group] = len(groups)
                groups.append(group)
            turn_to.append(code)
        if line.parts or line.kind in _UNUSUAL or (line.kind is Kind.OPTION
                                                   and line.group is None):
            unusual.append(len(offsets))
        offsets.append(start)
        numbers.append(number)
        if kept is not None:
            kept.append(line)
            if len(kept) > limit:  # a huge file: its lines are parsed again when read
                kept = lines._kept = None
                lines.on_demand = True
    result.count = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return result
