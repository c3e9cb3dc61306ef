"""Each option line a program applies (`Setting`), and all of them in order: records for those
still referenced, a few bytes in arrays for each one a later line beat."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mycnf_lint.reader.catalogue import Option
from mycnf_lint.reader.optionfile import Line, OptionFile

# Settings held as records before the beaten ones among them are packed into arrays (packing
# a batch looks at every effective value): for the files whose lines are parsed on demand.
KEEP = 4_096
_INT, _OBJECT, _RECORD = 0, 1, 2
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_WIDEST, _SHORT = 2**32 - 1, 2**16 - 1  # array("I"), array("H")


@dataclass(slots=True)
class Setting:
    """One option line that the program applies."""

    name: str  # the option's full name: lower case, underscores
    value: Any  # the typed value after conversion (None when the line was rejected)
    raw: str | None  # the value as written, None for a bare option
    file: str
    line: int
    column: int
    group: str
    key: str  # the name as written, prefixes included
    option: Option
    of: OptionFile = field(repr=False, compare=False)  # the file of the line
    index: int = field(repr=False, compare=False)  # the line's index in `of.lines`
    piece: int = field(default=-1, repr=False, compare=False)  # its piece of a long line
    maximum: bool = False  # `maximum-X`: sets X's session ceiling, not X

    @property
    def source(self) -> Line:
        """The line (read again from the file's bytes when the file is huge)."""
        line = self.of.lines[self.index]
        return line.parts[self.piece] if self.piece >= 0 and line.parts else line


def applied(name: str, value: Any, option: Option, of: OptionFile, index: int, line: Line,
            piece: int = -1, maximum: bool = False) -> Setting:
    """The setting that `line` (`of.lines[index]`, or its piece `piece`) makes of `name`."""
    return Setting(name, value, line.raw_value if line.has_value else None, of.path,
                   line.number, line.column, line.group or "", line.key, option, of, index,
                   piece, maximum)


class Applied:
    """Model.settings when a file is huge (otherwise a list): every setting in the order it
    was applied. Iterating yields the very records something still references (`refs`: the
    effective and maximum values) at their places, and a new record for each beaten one, read
    again from its line with the value it was given (values depend on the lines before: they
    are kept, not converted again)."""

    __slots__ = ("_refs", "_recent", "_codes", "_files", "_file_ids", "_file_of",
                 "_indexes", "_options", "_option_ids", "_option_of", "_ints", "_objects")

    def __init__(self, *refs: Mapping[str, Setting]) -> None:
        self._refs = refs
        self._recent: list[Setting] = []  # not packed yet
        self._codes = array("B")  # what each packed setting is: _INT, _OBJECT or _RECORD
        self._files: list[OptionFile] = []
        self._file_ids: dict[int, int] = {}
        # where each packed setting is: its file, its line's index there, its option
        self._file_of, self._indexes, self._option_of = array("H"), array("I"), array("H")
        self._options: list[Option] = []
        self._option_ids: dict[int, int] = {}
        self._ints = array("q")  # the values that are ints, in order
        self._objects: list[Any] = []  # the other values and the records, in order

    def append(self, setting: Setting) -> None:
        if len(self._recent) >= KEEP > 0:  # (KEEP 0: packed only when read, as tests want)
            self._pack()
        self._recent.append(setting)

    def __len__(self) -> int:
        return len(self._codes) + len(self._recent)

    def __iter__(self) -> Iterator[Setting]:
        return self._read()

    def _id(self, ids: dict[int, int], items: list[Any], item: Any) -> int:
        got = ids.get(id(item))
        if got is None:
            got = ids[id(item)] = len(items)
            items.append(item)
        return got

    def _pack(self) -> None:
        """Move the recent settings into the arrays: as records those something still holds
        (and the rare pieces of long lines), the others as where they are and their value."""
        held = {id(s) for refs in self._refs for s in refs.values()}
        codes, objects = self._codes, self._objects
        for s in self._recent:
            file_id = self._id(self._file_ids, self._files, s.of)
            option_id = self._id(self._option_ids, self._options, s.option)
            if (id(s) in held or s.piece >= 0 or s.maximum or not s.of.lines.on_demand
                    or s.index > _WIDEST or max(file_id, option_id) > _SHORT):
                codes.append(_RECORD)
                objects.append(s)
                continue
            self._file_of.append(file_id)
            self._indexes.append(s.index)
            self._option_of.append(option_id)
            value = s.value
            if type(value) is int and _INT_MIN <= value <= _INT_MAX:
                codes.append(_INT)
                self._ints.append(value)
            else:
                codes.append(_OBJECT)
                objects.append(value)
        self._recent = []

    def of_options(self, keep: Callable[[Option], bool]) -> Iterator[Setting]:
        """The settings of the options `keep` accepts: the others are not made again."""
        for s in self._read(keep):
            if keep(s.option):
                yield s

    def _read(self, keep: Callable[[Option], bool] | None = None) -> Iterator[Setting]:
        if len(self._recent) > KEEP:
            self._pack()  # every line applied: the last ones beaten too
        ints, objects = iter(self._ints), iter(self._objects)
        where = zip(self._file_of, self._indexes, self._option_of, strict=True)
        files, options = self._files, self._options
        for code in self._codes:
            if code == _RECORD:
                yield next(objects)
                continue
            file_id, index, option_id = next(where)
            of, opt = files[file_id], options[option_id]
            value = next(ints) if code == _INT else next(objects)
            if keep is not None and not keep(opt):
                continue
            line = of.lines.at(index, *of.lines.state(index))
            yield applied(opt.name, value, opt, of, index, line)
        yield from self._recent
