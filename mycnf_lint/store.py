"""Findings held in a few bytes each (a column of codes per field), read back sorted by merging
the runs in which they were found."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import overload

from mycnf_lint.findings import Edit, Finding, sort_findings

# a store stays a plain list (sorted at the end, as it always was) up to this many findings; past
# it, findings go into columns: a run of 3,000 small files keeps today's speed, a huge file of
# findings costs tens of bytes a finding instead of ~250
COMPACT_AFTER = 20_000

Key = tuple[str, int, int, str]
Kind = tuple[str, str, str, bool, "str | None"]  # rule, name, severity, fatal, fix
# an edit whose file and line are its finding's is kept once for all such findings, without them
Template = tuple[str, str, str, str, tuple[tuple[str, str], ...], tuple[str, ...]]


class FindingStore:
    """Findings appended in the order found; `ordered()` gives them by position, in the order
    found where positions tie, identical ones once (as `sort_findings`)."""

    __slots__ = ("_list", "_limit", "_size", "_texts", "_text_codes", "_kinds", "_kind_codes",
                 "_edits", "_edit_codes", "_kind", "_file", "_variable", "_message", "_edit",
                 "_line", "_column", "_runs", "_last")

    def __init__(self, compact_after: int | None = None) -> None:
        self._list: list[Finding] | None = []
        self._limit = COMPACT_AFTER if compact_after is None else compact_after
        self._size = 0
        # code -> value tables, and value -> code: files, variables and messages share one
        self._texts: list[str | None] = []
        self._text_codes: dict[str | None, int] = {}
        self._kinds: list[Kind] = []
        self._kind_codes: dict[Kind, int] = {}
        self._edits: list[Edit | Template | None] = [None]
        self._edit_codes: dict[Edit | Template, int] = {}
        self._kind, self._file, self._variable = array("I"), array("I"), array("I")
        self._message, self._edit = array("I"), array("I")
        self._line, self._column = array("i"), array("i")  # widened to 'q' when a value needs it
        self._runs: list[int] = []  # where each run of non-decreasing positions starts
        self._last: Key | None = None

    def __len__(self) -> int:
        """How many findings were appended (identical ones included)."""
        return self._size

    @property
    def compact(self) -> bool:
        return self._list is None

    def append(self, f: Finding) -> None:
        self._size += 1
        items = self._list
        if items is None:
            self._put(f)
            return
        items.append(f)
        if len(items) > self._limit:
            self._list = None
            for g in items:
                self._put(g)

    def extend(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.append(f)

    def _new_text(self, value: str | None) -> int:
        code = self._text_codes[value] = len(self._texts)
        self._texts.append(value)
        return code

    def _put(self, f: Finding) -> None:
        key = (f.file, f.line, f.column, f.rule)
        if self._last is None or key < self._last:
            self._runs.append(len(self._kind))
        self._last = key
        kind = (f.rule, f.name, f.severity, f.fatal, f.fix)
        code = self._kind_codes.get(kind)
        if code is None:
            code = self._kind_codes[kind] = len(self._kinds)
            self._kinds.append(kind)
        self._kind.append(code)
        texts = self._text_codes
        for column, value in ((self._file, f.file), (self._variable, f.variable),
                              (self._message, f.message)):
            code = texts.get(value)
            column.append(self._new_text(value) if code is None else code)
        e = f.edit
        if e is None:
            self._edit.append(0)
        else:
            shape: Edit | Template = e
            if e.file == f.file and e.line == f.line:
                shape = (e.action, e.name, e.value, e.group, e.extra, e.inputs)
            code = self._edit_codes.get(shape)
            if code is None:
                code = self._edit_codes[shape] = len(self._edits)
                self._edits.append(shape)
            self._edit.append(code)
        try:
            self._line.append(f.line)
        except OverflowError:
            self._line = _widened(self._line, f.line)
        try:
            self._column.append(f.column)
        except OverflowError:
            self._column = _widened(self._column, f.column)

    def _run(self, start: int, end: int) -> Iterator[tuple[Key, int, Finding]]:
        """The findings appended from `start` to `end`, made again from their codes."""
        kinds, texts, edits = self._kinds, self._texts, self._edits
        columns = (self._kind, self._file, self._variable, self._message, self._edit,
                   self._line, self._column)
        codes = zip(*(islice(c, start, end) for c in columns), strict=True)
        for i, (kind, file_code, variable, message, edit_code, line, column) in enumerate(
                codes, start):
            rule, name, severity, fatal, fix = kinds[kind]
            file = texts[file_code]
            shape = edits[edit_code]
            edit = shape if shape is None or type(shape) is Edit else Edit(
                shape[0], file, line, *shape[1:])  # type: ignore[misc, index, arg-type]
            yield (file, line, column, rule), i, Finding(  # type: ignore[misc]
                rule, name, severity, file, line, column,  # type: ignore[arg-type]
                texts[variable], texts[message], fatal, fix, edit)  # type: ignore[arg-type]

    def _merged(self) -> Iterator[Finding]:
        """Every finding by position (the runs merged, the earlier run first on a tie),
        identical ones once."""
        ends = [*self._runs[1:], len(self._kind)]
        runs = [self._run(start, end) for start, end in zip(self._runs, ends, strict=True)]
        if len(runs) == 1:
            merged: Iterable[tuple[Key, int, Finding]] = runs[0]
        else:
            import heapq

            merged = heapq.merge(*runs)  # (key, index, f): the index decides a tie
        tie: Key | None = None
        first: Finding | None = None  # the first finding at the position `tie`
        same: list[Finding] | None = None  # and the others there, made when there are any
        for key, _, f in merged:
            if key != tie:
                tie, first, same = key, f, None
            else:
                if same is None:
                    same = [first]  # type: ignore[list-item]
                if f in same:
                    continue
                same.append(f)
            yield f

    def ordered(self) -> Sequence[Finding]:
        """The findings by position: a list while the store is one, else a view that reads
        them from the columns each time it is iterated."""
        if self._list is not None:
            return sort_findings(self._list)
        return Ordered(self)

    def severities(self) -> set[str]:
        return {k[2] for k in self._kinds} if self._list is None else {
            f.severity for f in self._list}

    def rules(self) -> set[str]:
        return {k[0] for k in self._kinds} if self._list is None else {f.rule for f in self._list}


def _widened(column: array[int], value: int) -> array[int]:
    """A column of 4-byte numbers as 8-byte ones, `value` appended (a line past 2**31)."""
    wide = array("q", column)
    wide.append(value)
    return wide


class Ordered(Sequence[Finding]):
    """A compact store's findings by position, made one by one as they are read (each pass
    makes them again): the formats write them as they come."""

    __slots__ = ("_store", "_len")

    def __init__(self, store: FindingStore) -> None:
        self._store = store
        self._len: int | None = None

    def __iter__(self) -> Iterator[Finding]:
        return self._store._merged() if len(self._store) else iter(())

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(1 for _ in self)
        return self._len

    def __bool__(self) -> bool:
        return len(self._store) > 0

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        return list(self)[index]  # a whole pass: for the odd look, not for loops

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def severities(self) -> set[str]:
        """The severities of the findings (identical ones dropped change none of them)."""
        return self._store.severities()

    def rules(self) -> set[str]:
        return self._store.rules()
