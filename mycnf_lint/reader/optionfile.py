"""One option file: bytes -> lines (groups, options, comments, directives) with positions.

The split follows the server's own reader (mysys/my_default.c) line by line: leading blanks are
skipped, `#` and `;` start a comment line, `!include`/`!includedir` are directives, `[...]` is
a group, and everything else is an option whose inline `#` comment (outside quotes) is cut off.
The text of each line is kept byte for byte so a file can be written back unchanged.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import re
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

BOM = b"\xef\xbb\xbf"
# my_isspace() with latin1: space, \t, \n, \v, \f, \r
_SPACE = b" \t\n\v\f\r"


class Kind(enum.Enum):
    BLANK = "blank"
    COMMENT = "comment"
    GROUP = "group"
    OPTION = "option"
    INCLUDE = "include"
    INCLUDEDIR = "includedir"
    DIRECTIVE = "directive"  # any other `!word`: ignored by the server
    BAD_GROUP = "bad-group"  # `[` without `]`: fatal
    BAD_DIRECTIVE = "bad-directive"  # `!include` with no argument: fatal


@dataclass(slots=True)
class Line:
    """One physical line of an option file, as the server splits it."""

    number: int  # 1-based
    raw: bytes  # the whole line, end of line included
    kind: Kind
    column: int = 1  # 1-based column where the content starts
    group: str | None = None  # for GROUP: the name; for OPTION: the group it is in (None: none)
    key: str = ""  # OPTION: the name as written (blanks trimmed)
    has_value: bool = False  # OPTION: an `=` was present
    raw_value: str = ""  # OPTION: the text after `=`, trimmed, quotes and escapes kept
    value: str = ""  # OPTION: what the server passes on: quotes stripped, escapes decoded
    value_column: int = 0  # OPTION: 1-based column of the raw value
    comment: str | None = None  # OPTION: the inline `# comment`, if any
    argument: str = ""  # INCLUDE / INCLUDEDIR: the path as the server reads it
    # a line longer than the server's read buffer: the pieces it reads as lines of their own
    parts: list[Line] | None = None

    @property
    def eol(self) -> bytes:
        """The line ending as written: b"\\r\\n", b"\\n" or b"" on a last line without one."""
        if self.raw.endswith(b"\r\n"):
            return b"\r\n"
        if self.raw.endswith(b"\n"):
            return b"\n"
        return b""


@dataclass(slots=True)
class OptionFile:
    """A parsed option file: its bytes and the lines that matter, in order.

    Blank and comment lines are not kept (a file of short lines would cost hundreds of bytes a
    line in records): `physical()` gives every line, parsing those again as it goes."""

    path: str
    data: bytes
    lines: list[Line] = field(default_factory=list)  # every line but blanks and comments
    has_bom: bool = False
    count: int = 0  # physical lines
    offsets: array[int] = field(default_factory=lambda: array("Q"))  # of each kept line
    skip: int = 0  # bytes before line 1 that were not parsed (a byte order mark read past)
    turns: array[int] = field(default_factory=lambda: array("Q"))  # kept lines with a header

    def physical(self, start: int = 1) -> Iterator[Line]:
        """Every line from line `start` on, blanks and comments included, in order."""
        lines = self.lines
        kept = bisect.bisect_left(lines, start, key=_number)
        found_group, group = False, None
        turn = bisect.bisect_left(self.turns, kept) - 1  # the last header before `start`
        if turn >= 0:
            found_group, group = after(lines[self.turns[turn]], False, None)
        if kept:
            pos, number = self.offsets[kept - 1], lines[kept - 1].number
        else:
            pos, number = 0, 1
        data, size = self.data, len(self.data)
        while pos < size:
            nl = data.find(b"\n", pos)
            end = size if nl < 0 else nl + 1
            if kept < len(lines) and lines[kept].number == number:
                line = lines[kept]
                kept += 1
                found_group, group = after(line, found_group, group)
            elif number < start:
                pos, number = end, number + 1
                continue
            elif number == 1 and self.skip:
                line = _prefixed(parse_line(1, data[self.skip : end], found_group, group),
                                 data[: self.skip])
            else:
                line = parse_line(number, data[pos:end], found_group, group)
            if number >= start:
                yield line
            pos, number = end, number + 1

    def line(self, number: int) -> Line | None:
        """Line `number` (1-based), or None when the file has no such line."""
        kept = bisect.bisect_left(self.lines, number, key=_number)
        if kept < len(self.lines) and self.lines[kept].number == number:
            return self.lines[kept]
        return next(self.physical(number), None) if 0 < number <= self.count else None

    def text(self) -> bytes:
        """Return the file's bytes rebuilt from its lines (equal to what was read)."""
        return b"".join(line.raw for line in self.physical())


def _number(line: Line) -> int:
    return line.number


def after(line: Line, found_group: bool, group: str | None) -> tuple[bool, str | None]:
    """The group state (a header seen, the group) after `line`, or after its pieces."""
    for piece in line.parts or (line,):
        if piece.kind is Kind.GROUP:
            found_group, group = True, piece.group
    return found_group, group


def _prefixed(line: Line, prefix: bytes) -> Line:
    """A first line whose bytes begin with `prefix` (a byte order mark) that was read past."""
    line.raw = prefix + line.raw
    line.column += len(prefix)
    if line.value_column:
        line.value_column += len(prefix)
    return line


def decode(raw: bytes) -> str:
    """Bytes -> str, keeping bytes that are not UTF-8 (GBK, latin1) recoverable."""
    return raw.decode("utf-8", errors="surrogateescape")


def split_lines(data: bytes) -> list[bytes]:
    """Split like fgets(): at each b"\\n", keeping it; a last line may lack one."""
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _lstrip_count(raw: bytes) -> int:
    return len(raw) - len(raw.lstrip(_SPACE))


def end_comment(text: str) -> int:
    """Index of the `#` that starts an inline comment outside quotes, or -1 (remove_end_comment)."""
    hash_at = text.find("#")
    if hash_at < 0:
        return -1
    if "'" not in text and '"' not in text:  # no quotes: the first `#` starts the comment
        return hash_at
    quote = ""
    escape = False
    for i, ch in enumerate(text):
        if ch in "'\"" and not escape:
            if not quote:
                quote = ch
            elif quote == ch:
                quote = ""
        if not quote and ch == "#":
            return i
        escape = bool(quote) and ch == "\\" and not escape
    return -1


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "s": " ", '"': '"', "'": "'", "\\": "\\"}


def unquote(raw_value: str) -> str:
    """Strip one pair of matching quotes (if longer than one character) and decode escapes."""
    v = raw_value
    if len(v) > 1 and v[0] in "'\"" and v[-1] == v[0]:
        v = v[1:-1]
    if "\\" not in v:
        return v  # the same string: a big file's values are not stored twice
    out: list[str] = []
    i = 0
    while i < len(v):
        ch = v[i]
        if ch == "\\" and i != len(v) - 1:
            nxt = v[i + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _directive_argument(rest: bytes, keyword: bytes) -> str:
    """get_argument(): skip the keyword and blanks; drop the last byte (fgets' newline) and
    trailing blanks before it."""
    body = rest[len(keyword) :]
    i = _lstrip_count(body)
    body = body[i:]
    if not body:
        return ""
    end = len(body) - 1
    while end > 0 and body[end - 1] in _SPACE:
        end -= 1
    return decode(body[:end])


def parse_line(number: int, raw: bytes, found_group: bool, group: str | None) -> Line:
    """Classify one line the way the server does, given the group state before it."""
    line = _classify(number, raw.split(b"\0", 1)[0], found_group, group)  # C strings end at NUL
    line.raw = raw
    return line


def _classify(number: int, raw: bytes, found_group: bool, group: str | None) -> Line:
    start = _lstrip_count(raw)
    body = raw[start:]
    col = start + 1
    if not body:
        return Line(number, raw, Kind.BLANK, col, group)
    first = body[:1]
    if first in (b"#", b";"):
        return Line(number, raw, Kind.COMMENT, col, group)
    if first == b"!":
        rest = body[1:]
        rest = rest[_lstrip_count(rest) :]
        for keyword, kind in ((b"includedir", Kind.INCLUDEDIR), (b"include", Kind.INCLUDE)):
            if rest.startswith(keyword) and rest[len(keyword) : len(keyword) + 1] in (
                b" ", b"\t", b"\n", b"\v", b"\f", b"\r",
            ) and len(rest) > len(keyword):
                arg = _directive_argument(rest, keyword)
                if not arg:
                    return Line(number, raw, Kind.BAD_DIRECTIVE, col, group, key=decode(keyword))
                return Line(number, raw, kind, col, group, key=decode(keyword), argument=arg)
        return Line(number, raw, Kind.DIRECTIVE, col, group)
    text = decode(body)
    if first == b"[":
        end = text.find("]", 1)
        if end < 0:
            return Line(number, raw, Kind.BAD_GROUP, col, group)
        name = text[1:end].rstrip(" \t\n\v\f\r")
        return Line(number, raw, Kind.GROUP, col, name)
    # an option line
    cut = end_comment(text)
    comment = None
    content = text
    if cut >= 0:
        comment = text[cut:].rstrip("\r\n")
        content = text[:cut]
    eq = content.find("=")
    line = Line(number, raw, Kind.OPTION, col, group if found_group else None, comment=comment)
    if eq < 0:
        line.key = sys.intern(content.rstrip(" \t\n\v\f\r"))
        return line
    line.key = sys.intern(content[:eq].rstrip(" \t\n\v\f\r"))  # names repeat: one copy
    after = content[eq + 1 :]
    after_text = after.rstrip("\r\n")
    lead = len(after_text) - len(after_text.lstrip(" \t\v\f\r"))
    line.has_value = True
    line.raw_value = after.strip(" \t\n\v\f\r")
    if text.isascii():  # one byte a character
        line.value_column = col + eq + 1 + lead
    else:
        line.value_column = col + len(content[: eq + 1].encode("utf-8", "surrogateescape")) + (
            len(after_text[:lead].encode("utf-8", "surrogateescape")))
    line.value = unquote(line.raw_value)
    return line


# fgets(buff, sizeof(buff) - 1) with a 4096-byte buffer: at most 4094 bytes per read
FGETS_CHUNK = 4094
# The start of every line that may matter: not blank, not a comment, or too long for one read
# (a piece after the first may be an option). A superset: parsing decides.
_MAY_MATTER = re.compile(rb"^(?:[ \t\v\f\r]*[^ \t\n\v\f\r#;]|[^\n]{%d})" % FGETS_CHUNK,
                         re.MULTILINE)
_SKIPPED = (Kind.BLANK, Kind.COMMENT)


def parse(path: str, data: bytes, skip: int = 0) -> OptionFile:
    """Parse an option file's bytes into lines; group state starts fresh in every file.
    A line longer than the server's read buffer is split where the server splits it. The
    first `skip` bytes (a byte order mark) belong to line 1 but are not parsed."""
    result = OptionFile(path, data, has_bom=data.startswith(BOM), skip=skip)
    found_group = False
    group: str | None = None
    lines, offsets = result.lines, result.offsets
    number, counted = 1, skip
    for m in _MAY_MATTER.finditer(memoryview(data)[skip:]):  # a view: `^` at the real start
        start = m.start() + skip
        number += data.count(b"\n", counted, start)
        counted = start
        nl = data.find(b"\n", start)
        end = len(data) if nl < 0 else nl + 1
        line = _parse_physical(number, data[start:end], found_group, group)
        found_group, group = after(line, found_group, group)
        if line.kind in _SKIPPED and not line.parts:
            continue
        if start == skip and skip:
            line, start = _prefixed(line, data[:skip]), 0
        if line.kind is Kind.GROUP or (line.parts and any(p.kind is Kind.GROUP
                                                          for p in line.parts)):
            result.turns.append(len(lines))
        lines.append(line)
        offsets.append(start)
    result.count = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return result


def _parse_physical(number: int, raw: bytes, found_group: bool, group: str | None) -> Line:
    """One line; a line longer than the server's read buffer holds the pieces it reads."""
    if len(raw) <= FGETS_CHUNK:  # almost every line: one read of the server's
        return parse_line(number, raw, found_group, group)
    parsed = []
    for i in range(0, len(raw), FGETS_CHUNK):
        line = parse_line(number, raw[i : i + FGETS_CHUNK], found_group, group)
        found_group, group = after(line, found_group, group)
        parsed.append(line)
    # the first piece's reading, holding the whole line (not parsed again as one line: a
    # 100 MB line would cost gigabytes)
    return dataclasses.replace(parsed[0], raw=raw, parts=parsed)
