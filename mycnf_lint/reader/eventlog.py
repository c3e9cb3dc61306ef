"""A model's events: records for a normal file, three numbers each for the many events of a huge
one that differ only in their line and column (unknown options, abbreviations, ...)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import replace

from mycnf_lint.findings import Edit
from mycnf_lint.reader.includes import Event

# Events held as records before the next ones are packed into columns.
KEEP = 4_096
_WIDEST = 2**32 - 1  # array("I"); as a shape: a record, kept whole
# rule, file, message, fatal, variable and the edit at line 0 (its line is the event's)
_Shape = tuple[str, str, str, bool, "str | None", "Edit | None"]


class Events:
    """Model.events: every event in the order it was met. Past KEEP, an event is held as its
    shape (rule, file, message, fatal, variable, edit: kept once), line and column (an edit of
    another place: as a record). Iterating yields equal records."""

    __slots__ = ("_kept", "_shapes", "_shape_ids", "_shape_of", "_lines", "_columns",
                 "_records")

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._kept: list[Event] = []  # the first KEEP events
        self._shapes: list[_Shape] = []
        self._shape_ids: dict[_Shape, int] = {}
        self._shape_of, self._lines, self._columns = array("I"), array("I"), array("I")
        self._records: dict[int, Event] = {}  # by place among the packed events

    def append(self, event: Event) -> None:
        if len(self._kept) < KEEP and not self._shape_of:
            self._kept.append(event)
            return
        shape_id, edit = _WIDEST, event.edit
        if (edit is None or (edit.line == event.line and edit.file == event.file)) and (
                0 <= event.line < _WIDEST and 0 <= event.column < _WIDEST):
            shape = (event.rule, event.file, event.message, event.fatal, event.variable,
                     edit if edit is None else replace(edit, line=0))
            got = self._shape_ids.get(shape)
            if got is None:
                got = self._shape_ids[shape] = len(self._shapes)
                self._shapes.append(shape)
            shape_id = got
        if shape_id >= _WIDEST:
            self._records[len(self._shape_of)] = event
        self._shape_of.append(shape_id)
        self._lines.append(event.line if shape_id < _WIDEST else 0)
        self._columns.append(event.column if shape_id < _WIDEST else 0)

    def extend(self, events: Iterable[Event]) -> None:
        for event in events:
            self.append(event)

    def __len__(self) -> int:
        return len(self._kept) + len(self._shape_of)

    def __bool__(self) -> bool:
        return bool(self._kept) or bool(self._shape_of)

    def __getitem__(self, i: int) -> Event:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("event index out of range")
        if i < len(self._kept):
            return self._kept[i]
        return self._packed(i - len(self._kept))

    def _packed(self, j: int) -> Event:
        shape_id = self._shape_of[j]
        if shape_id >= _WIDEST:
            return self._records[j]
        rule, file, message, fatal, variable, edit = self._shapes[shape_id]
        line = self._lines[j]
        return Event(rule, file, line, self._columns[j], message, fatal, variable,
                     edit if edit is None else replace(edit, line=line))

    def __iter__(self) -> Iterator[Event]:
        if not self._shape_of:
            return iter(self._kept)
        return self._all()

    def _all(self) -> Iterator[Event]:
        yield from self._kept
        for j in range(len(self._shape_of)):
            yield self._packed(j)
