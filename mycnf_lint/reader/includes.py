"""`!include` / `!includedir`: the order the server reads files in, depth, permissions, misses.

Like my_default.c: a file is read line by line and an include is read where the directive
stands; `!includedir` reads the folder's `*.cnf` files (and `*.ini` on Windows) in byte order;
a missing `!include` target is silently skipped, a missing `!includedir` folder is fatal;
directives deeper than 10 levels are skipped; a world-writable file is ignored. Relative paths
are taken from the working directory, as the server does.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import BinaryIO

from mycnf_lint.findings import Edit
from mycnf_lint.reader.optionfile import BOM, FGETS_CHUNK, Kind, Line, OptionFile, parse
from mycnf_lint.reader.order import ServerOrder

MAX_DEPTH = 10
# Files read through includes for one top file. Folders that include themselves multiply:
# four files each saying `!includedir .` make 4^10 reads, which the server would do too.
MAX_FILES = 10_000


@dataclass(slots=True)
class Event:
    """A problem met while reading files, at a line of a file."""

    rule: str
    file: str
    line: int
    column: int
    message: str
    fatal: bool = False
    variable: str | None = None
    edit: Edit | None = None


@dataclass
class ReadResult:
    """Every file read, every line in server order, and what went wrong reading them."""

    files: list[OptionFile] = field(default_factory=list)
    lines: ServerOrder = field(default_factory=ServerOrder)
    events: list[Event] = field(default_factory=list)
    skipped: int = 0  # includes not read because MAX_FILES were read

    @property
    def fatal(self) -> bool:
        return any(e.fatal for e in self.events)

    def line(self, path: str, number: int) -> tuple[OptionFile, Line] | None:
        """Line `number` of the file read from `path`, with its file; None when there is none."""
        of = next((f for f in self.files if f.path == path), None)
        line = of.line(number) if of is not None else None
        return (of, line) if of is not None and line is not None else None


def first_by_path(files: list[OptionFile]) -> dict[str, OptionFile]:
    """Each path's first file (a file included twice is read twice, the same bytes)."""
    out: dict[str, OptionFile] = {}
    for of in files:
        out.setdefault(of.path, of)
    return out


class ReadError(OSError):
    """A file named on the command line cannot be read."""


def _world_writable(path: str) -> bool:
    if os.name == "nt":
        return False
    try:
        return bool(os.stat(path).st_mode & stat.S_IWOTH)
    except OSError:
        return False


# Text that stands in for a file's bytes on disk: a fix's passes read the files they already
# edited in memory (see fix/run.py), so that --diff and --fix see the same text.
# (innermost first; each mapping is looked at when a file is read, so later additions count)
_OVERLAY: ContextVar[tuple[Mapping[str, bytes], ...]] = ContextVar("overlay", default=())


@contextmanager
def overlay(contents: Mapping[str, bytes]) -> Iterator[None]:
    """Read `contents[path]` instead of the file at `path` while the block runs (on top of
    what an enclosing block stands in for)."""
    token = _OVERLAY.set((contents, *_OVERLAY.get()))
    try:
        yield
    finally:
        _OVERLAY.reset(token)


# No option file is this large; a bigger input is a mistake (`check /dev/stdin < /dev/zero`,
# a log file) and reading it whole would cost a few times its size in memory.
MAX_BYTES = 256 * 1024 * 1024
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


class NotRegularFile(OSError):
    """A path that names something other than a regular file, which the server reads."""


def _capped(fh: BinaryIO, path: str, size: int | None = None) -> bytes:
    """At most MAX_BYTES of `fh`, in reads sized by `size` when it is known (one read of
    MAX_BYTES would first take that much memory, whatever the file holds)."""
    too_big = OSError(errno.EFBIG, f"larger than {MAX_BYTES >> 20} MiB: not an option file",
                      path)
    if size is not None and size > MAX_BYTES:
        raise too_big
    pieces: list[bytes] = []
    held = 0
    want = size + 1 if size is not None else 1 << 20  # one more byte: has it grown?
    while piece := fh.read(min(want, MAX_BYTES + 1 - held)):
        pieces.append(piece)
        held += len(piece)
        if held > MAX_BYTES:
            raise too_big
        want = 1 << 20
    return b"".join(pieces) if len(pieces) != 1 else pieces[0]


def read_bytes(path: str) -> bytes:
    """A file's bytes ('-' is stdin), or the text standing in for them. Only regular files
    are read (a FIFO would block, /dev/zero never end), at most MAX_BYTES of them."""
    for staged in _OVERLAY.get():
        if path in staged:
            return staged[path]
    if path == "-":
        import sys

        return _capped(sys.stdin.buffer, path)
    # O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    with open(os.open(path, flags), "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)),
                        "not a regular file")
            raise NotRegularFile(errno.EINVAL, f"{kind}, not a regular file", path)
        return _capped(fh, path, st.st_size)


def read_tree(path: str, windows: bool | None = None, data: bytes | None = None) -> ReadResult:
    """Read `path` and everything it includes, in the order the server does."""
    if windows is None:
        windows = os.name == "nt"
    result = ReadResult()
    if data is None:
        try:
            data = read_bytes(path)
        except OSError as exc:
            raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if path != "-" and _world_writable(path):
        result.events.append(Event("world-writable", path, 0, 0, f"{path} is world-writable: "
                                   "the server ignores it entirely"))
        return result
    try:
        _walk(path, data, 0, result, windows)
    except MemoryError:
        raise ReadError(f"{path}: cannot read: not enough memory for its {len(data)} bytes and "
                        f"{len(result.files)} included files") from None
    return result


def _walk(path: str, data: bytes, depth: int, result: ReadResult, windows: bool) -> None:
    """Read one file; an error stops this file only, and is fatal only in the top file
    (the server ignores what reading an included file returns)."""
    of = parse(path, data)
    if of.has_bom and depth == 0 and of.lines and of.lines[0].number == 1 and (
        of.lines[0].group is None and of.lines[0].kind is Kind.OPTION
    ):
        # The server stops at the mark. Report that, then read on as if it were gone, so the
        # other findings (and their fixes) show in the same run.
        result.events.append(Event(
            "byte-order-mark", path, 1, 1, "the file starts with a UTF-8 byte order mark, which "
            "the server reads as an option before the first [group]: the server refuses the "
            "file", fatal=True, edit=Edit("drop-bom", path, 1)))
        of = _without_bom(path, data)
    result.files.append(of)
    lines = of.lines
    read = 0  # the lines before this one are read
    for index in lines.unusual:
        result.lines.extend(of, read, index)  # group headers, options in a group: only read
        read = index + 1
        physical = lines[index]
        if not physical.parts:
            if _read_line(of, index, -1, physical, path, depth, result, windows) is False:
                return None
            continue
        if any(p.kind is not Kind.BLANK for p in physical.parts[1:]):
            result.events.append(Event(
                "long-line", path, physical.number, FGETS_CHUNK + 1,
                f"line of {len(physical.raw)} bytes: the server reads {FGETS_CHUNK} bytes at a "
                f"time and takes the rest as {len(physical.parts) - 1} more line(s)"))
        for piece, line in enumerate(physical.parts):
            if _read_line(of, index, piece, line, path, depth, result, windows) is False:
                return None
    result.lines.extend(of, read, len(lines))
    return None


def _read_line(of: OptionFile, index: int, piece: int, line: Line, path: str, depth: int,
               result: ReadResult, windows: bool) -> bool:
    """One line (`of.lines[index]`, or its piece `piece`) as the server reads it; False when
    reading this file stops here."""
    if line.kind in (Kind.INCLUDE, Kind.INCLUDEDIR, Kind.BAD_DIRECTIVE) and depth >= MAX_DEPTH:
        result.events.append(Event("include-depth", path, line.number, line.column,
                                   f"include nesting deeper than {MAX_DEPTH} levels: the "
                                   "server skips this directive"))
        return True
    result.lines.append(of, index, piece)
    if line.kind is Kind.BAD_GROUP:
        _stop(result, depth, Event("bad-group", path, line.number, line.column,
                                   "group header without a closing ']': the server refuses the "
                                   "file", fatal=True))
        return False
    if line.kind is Kind.BAD_DIRECTIVE:
        _stop(result, depth, Event("bad-directive", path, line.number, line.column,
                                   f"'!{line.key}' without a path: the server refuses the file",
                                   fatal=True))
        return False
    if line.kind is Kind.OPTION and line.group is None:
        if line.number == 1 and of.has_bom:
            _stop(result, depth, Event(
                "byte-order-mark", path, 1, 1, "the file starts with a UTF-8 byte order mark, "
                "which the server reads as an option before the first [group]: the server "
                "refuses the file", fatal=True, edit=Edit("drop-bom", path, 1)))
        else:
            _stop(result, depth, Event("option-outside-group", path, line.number, line.column,
                                       "an option before the first [group]: the server refuses "
                                       "the file", fatal=True))
        return False
    if line.kind is Kind.INCLUDE:
        _include(of, line, depth, result, windows)
    elif line.kind is Kind.INCLUDEDIR:
        return _includedir(of, line, depth, result, windows)
    return True


def _without_bom(path: str, data: bytes) -> OptionFile:
    """Parse as if the byte order mark were absent, keeping the file's real bytes."""
    return parse(path, data, skip=len(BOM))


def _stop(result: ReadResult, depth: int, event: Event) -> None:
    """Record a problem that ends the reading of the current file."""
    if depth > 0:
        event.fatal = False
        event.message = event.message.replace(
            "the server refuses the file", "the server stops reading this included file here"
        ).replace("the server refuses to start", "the server stops reading this included file")
    result.events.append(event)


def _open_included(of: OptionFile, line: Line, target: str, depth: int, result: ReadResult,
                   windows: bool, missing_rule: str | None) -> None:
    if len(result.files) >= MAX_FILES:
        if not result.skipped:
            result.events.append(Event("include-depth", of.path, line.number, line.column,
                                       f"{MAX_FILES} files read through includes: mycnf-lint "
                                       f"reads no more (from {target} on); includes that include "
                                       "their own folder multiply"))
        result.skipped += 1
        return
    try:
        data = read_bytes(target)
    except OSError as exc:  # NotRegularFile included
        if isinstance(exc, NotRegularFile) or exc.errno == errno.EFBIG:
            result.events.append(Event("missing-include", of.path, line.number, line.column,
                                       f"!include{'dir' if missing_rule is None else ''} "
                                       f"{line.argument}: {target} is {exc.strerror}: not "
                                       "read (the server reads regular files)"))
        elif missing_rule:
            result.events.append(Event(missing_rule, of.path, line.number, line.column,
                                       f"!include {target}: no such readable file; the server "
                                       "skips it without a word"))
        return
    if _world_writable(target):
        result.events.append(Event("world-writable", of.path, line.number, line.column,
                                   f"{target} is world-writable: the server ignores it"))
        return
    _walk(target, data, depth + 1, result, windows)


def _include(of: OptionFile, line: Line, depth: int, result: ReadResult, windows: bool) -> None:
    target = line.argument
    if os.path.isdir(target):
        result.events.append(Event("missing-include", of.path, line.number, line.column,
                                   f"!include {target} names a folder: the server reads "
                                   "nothing from it (use !includedir)"))
        return
    _open_included(of, line, target, depth, result, windows, "missing-include")


def _includedir(of: OptionFile, line: Line, depth: int, result: ReadResult,
                windows: bool) -> bool:
    """Read a folder's option files; False when the folder cannot be read (ends this file)."""
    folder = line.argument
    try:
        names = sorted(os.listdir(folder), key=lambda n: n.encode("utf-8", "surrogateescape"))
    except OSError:
        _stop(result, depth, Event("missing-includedir", of.path, line.number, line.column,
                                   f"!includedir {folder}: no such folder; the server refuses "
                                   "to start", fatal=True))
        return False
    exts = (".cnf", ".ini") if windows else (".cnf",)
    for name in names:
        dot = name.rfind(".")
        if dot < 0 or name[dot:] not in exts:
            continue
        target = os.path.join(folder, name)
        if os.path.isdir(target):
            continue
        _open_included(of, line, target, depth, result, windows, None)
    return True
