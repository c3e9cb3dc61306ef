"""One line of an option file -> a `Line`: how the server classifies it, given the group state."""

from __future__ import annotations

import dataclasses
import enum
import re
import sys
from dataclasses import dataclass

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


def after(line: Line, found_group: bool, group: str | None) -> tuple[bool, str | None]:
    """The group state (a header seen, the group) after `line`, or after its pieces."""
    for piece in line.parts or (line,):
        if piece.kind is Kind.GROUP:
            found_group, group = True, piece.group
    return found_group, group


def prefixed(line: Line, prefix: bytes) -> Line:
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
    return plain(number, raw, found_group, group) or _general(number, raw, found_group, group)


def _general(number: int, raw: bytes, found_group: bool, group: str | None) -> Line:
    line = _classify(number, raw.split(b"\0", 1)[0], found_group, group)  # C ends at NUL
    line.raw = raw
    return line


# The common option line: `name = value` or a bare `name`, in ASCII, with nothing that needs
# the general reading (quotes, escapes, `#`, NUL, a `\r` but the one before the newline, an
# empty value). A huge file's lines are read again on each pass: one match each is cheaper.
# It is matched on the bytes read as latin1 (one character a byte, the ASCII ones as they are),
# so its pieces come out as text.
_VALUE_CHAR = r"!$-&(-\[\]-~"  # printable ASCII but space, quotes, `#` and backslash
_PLAIN = re.compile(
    r"([ \t\v\f]*)([A-Za-z0-9_-]+)[ \t\v\f]*"
    r"(?:=[ \t\v\f]*([%s](?:[ %s]*[%s])?))?[ \t\v\f]*\r?\n?" % ((_VALUE_CHAR,) * 3))
# the same pattern on bytes: whether a line of a file's bytes has the common shape
PLAIN_LINE = re.compile(_PLAIN.pattern.encode("ascii"))
_OPTION = Kind.OPTION
_intern = sys.intern


def plain(number: int, raw: bytes, found_group: bool, group: str | None) -> Line | None:
    """The line read as `_classify` reads it when it has the common shape, else None."""
    m = _PLAIN.fullmatch(raw.decode("latin-1"))
    if m is None:
        return None
    lead, name, value = m.groups()
    if value is None:
        return Line(number, raw, _OPTION, len(lead) + 1, group if found_group else None,
                    _intern(name))
    return Line(number, raw, _OPTION, len(lead) + 1, group if found_group else None,
                _intern(name), True, value, value, m.start(3) + 1)


def plain_option(raw: bytes) -> tuple[str, str | None] | None:
    """The name and value (None: a bare name) of a line `plain` reads, without the rest of
    its reading; None for a line of another shape or longer than the server's read buffer."""
    if len(raw) > FGETS_CHUNK:
        return None
    m = PLAIN_LINE.fullmatch(raw)
    if m is None:
        return None
    value = m.group(3)
    return m.group(2).decode("ascii"), None if value is None else value.decode("ascii")


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


def parse_physical(number: int, raw: bytes, found_group: bool, group: str | None) -> Line:
    """One line; a line longer than the server's read buffer holds the pieces it reads."""
    if len(raw) <= FGETS_CHUNK:  # almost every line: one read of the server's
        return plain(number, raw, found_group, group) or _general(number, raw, found_group, group)
    parsed = []
    for i in range(0, len(raw), FGETS_CHUNK):
        line = parse_line(number, raw[i : i + FGETS_CHUNK], found_group, group)
        found_group, group = after(line, found_group, group)
        parsed.append(line)
    # the first piece's reading, holding the whole line (not parsed again as one line: a
    # 100 MB line would cost gigabytes)
    return dataclasses.replace(parsed[0], raw=raw, parts=parsed)
