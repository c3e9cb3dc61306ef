"""Edits as data -> the new bytes of one file: every byte an edit does not name stays.

Each finding may carry an `Edit` (see findings.py). Edits are applied once, in one pass, to the
bytes of the line they name: the rest of the line (spacing, quotes, inline comment, end of line)
and every other line stay byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mycnf_lint.findings import Edit, Finding
from mycnf_lint.reader.optionfile import BOM, Kind, Line, OptionFile, split_lines

ENCODING = "utf-8"


@dataclass
class FileFix:
    """The new text of one file and the findings whose edits produced it."""

    path: str
    old: bytes
    new: bytes
    applied: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def enc(text: str) -> bytes:
    """Text as the file's bytes (undecodable bytes read with surrogateescape come back)."""
    return text.encode(ENCODING, "surrogateescape")


def eol_of(of: OptionFile) -> bytes:
    """The line ending most of the file uses."""
    crlf = of.data.count(b"\r\n")  # a line ends at each b"\n"
    lf = of.data.count(b"\n")
    return b"\r\n" if crlf and crlf * 2 >= lf else b"\n"


def assign_style(of: OptionFile) -> bytes:
    """How this file writes `name = value`: the most common spacing around '='."""
    spaced = tight = 0
    for ln in of.lines:
        if ln.kind is Kind.OPTION and ln.has_value:
            m = re.search(rb"(\s*)=(\s*)", ln.raw)
            if m and (m.group(1) or m.group(2)):
                spaced += 1
            else:
                tight += 1
    return b" = " if spaced >= tight else b"="


def _splice(raw: bytes, column: int, old: str, new: str, what: str) -> bytes:
    """`raw` with `old`, found at 1-based `column`, replaced by `new`; every other byte
    stays. ValueError when `old` is not where the reader saw it."""
    start, before = column - 1, enc(old)
    if raw[start : start + len(before)] != before:
        raise ValueError(f"the {what} is not where the reader found it")
    return raw[:start] + enc(new) + raw[start + len(before) :]


def _set_value(line: Line, value: str) -> bytes:
    """Replace the value text of an option line, keeping quotes style, comment and ending."""
    if not line.has_value:  # a bare switch gets its value: `name` -> `name = value`
        body = line.raw[: len(line.raw) - len(line.eol)]
        key_end = line.column - 1 + len(enc(line.key))
        return body[:key_end] + b" = " + enc(value) + body[key_end:] + line.eol
    new = value
    start = line.value_column - 1
    if not line.raw_value and line.raw[start - 1 : start] == b"=" and re.search(rb"\s=", line.raw):
        new = " " + value  # `name =` becomes `name = value`
    q = line.raw_value[:1]
    if q in ("'", '"') and len(line.raw_value) > 1 and line.raw_value.endswith(q) and (
        value[:1] not in ("'", '"')
    ):
        new = q + value + q
    return _splice(line.raw, line.value_column, line.raw_value, new, "value")


def _quote_value(line: Line, value: str) -> bytes:
    """Replace the value and the inline comment that cut it short with `value`."""
    raw = line.raw
    start = line.value_column - 1
    body = raw[: len(raw) - len(line.eol)]
    return raw[:start] + enc(value) + raw[len(body):] if body.rstrip() else raw


def _rename(line: Line, name: str) -> bytes:
    return _splice(line.raw, line.column, line.key, name, "name")


def _replace_option(line: Line, name: str, value: str | None) -> bytes:
    """A new name and, when given, a new value; spacing, comment and ending stay."""
    raw = _set_value(line, value) if value is not None else line.raw
    return _splice(raw, line.column, line.key, name, "name")


def _comment_out(line: Line, note: str, eol: bytes) -> bytes:
    """`# the line  # note`: the server skips it, the reader of the file sees why."""
    body = line.raw[: len(line.raw) - len(line.eol)]
    return b"# " + body.lstrip() + b"  # " + enc(note) + (line.eol or eol)


def _semicolon(line: Line) -> bytes:
    start = line.value_column - 1
    head, tail = line.raw[:start], line.raw[start:]
    m = re.search(rb"([ \t]);", tail)
    if not m:
        raise ValueError("no ';' after the value")
    return head + tail[: m.start()] + m.group(1) + b"#" + tail[m.end() :]


def insert_point(of: OptionFile, header: int) -> int:
    """Index of the line (0-based) after which a new option of the group at line `header`
    goes: after the group's last option, so it sits next to its relatives."""
    last = header - 1
    for ln in of.lines:  # the kept lines hold every option and header, in order
        if ln.number <= header:
            continue
        if ln.kind in (Kind.GROUP, Kind.BAD_GROUP):
            break
        if ln.kind is Kind.OPTION:
            last = ln.number - 1
    return last


def _header_of(of: OptionFile, group: str) -> int:
    """The line number of the last header of `group` in the file (0: none)."""
    found = 0
    for ln in of.lines:
        if ln.kind is Kind.GROUP and (ln.group or "").lower() == group.lower():
            found = ln.number
    return found


def _option_text(name: str, value: str | None, style: bytes) -> bytes:
    return enc(name) + (style + enc(value) if value not in (None, "") else b"")


class _Draft:
    """The lines of one file being edited, and what goes after or at the end of them."""

    def __init__(self, of: OptionFile) -> None:
        self.of = of
        self.lines = split_lines(of.data)  # each line's bytes (parsed only where edited)
        self.after: dict[int, list[bytes]] = {}  # index in lines -> new lines after it
        self.appended: dict[str, list[bytes]] = {}  # group -> new lines in a new group
        self.eol = eol_of(of)
        self.style = assign_style(of)
        self.drop_bom = False
        self.moved = False  # lines added by edits other than add-option

    def add(self, group: str, header: int, text: bytes) -> None:
        """A new line in `group`: after the group's last option, else in a new group."""
        header = header or _header_of(self.of, group)
        if header > 0:
            self.after.setdefault(insert_point(self.of, header), []).append(text + self.eol)
        else:
            self.appended.setdefault(group or "mysqld", []).append(text + self.eol)

    def apply(self, e: Edit) -> None:
        """One edit; ValueError or IndexError when it does not fit the line."""
        if e.action == "drop-bom":
            self.drop_bom = True
            return
        if e.action == "add-option":
            self.add(e.group or "mysqld", e.line, _option_text(e.name, e.value, self.style))
            return
        i = e.line - 1
        ln = self.of.line(e.line)
        if ln is None:
            raise IndexError(f"the file has no line {e.line}")
        if ln.parts:
            raise ValueError("the line is longer than the server reads at once")
        if e.action == "set-value":
            self.lines[i] = _set_value(ln, e.value)
        elif e.action == "quote-value":
            self.lines[i] = _quote_value(ln, e.value)
        elif e.action == "rename":
            self.lines[i] = _rename(ln, e.name)
        elif e.action == "replace-option":
            self.lines[i] = _replace_option(ln, e.name, e.value if e.value != "" else None)
        elif e.action == "delete-line":
            self.lines[i] = b""
        elif e.action == "comment-out":
            self.lines[i] = _comment_out(ln, e.value, self.eol)
        elif e.action == "move-to-group":
            body = ln.raw[: len(ln.raw) - len(ln.eol)].strip()
            self.lines[i] = b""
            self.moved = True
            self.add(e.group, 0, body)
        elif e.action == "semicolon-comment":
            self.lines[i] = _semicolon(ln)
        else:
            raise ValueError(f"unknown edit {e.action!r}")
        if e.extra:
            self.moved = True
            texts = [_option_text(n, v, self.style) + self.eol for n, v in e.extra]
            self.after.setdefault(i, [])[:0] = texts

    def result(self) -> list[bytes]:
        out: list[bytes] = []
        for i, raw in enumerate(self.lines):
            if i in self.after and raw and not raw.endswith(b"\n"):
                raw += self.eol
            out.append(raw)
            out.extend(self.after.get(i, []))
        for group, texts in self.appended.items():
            del out[len(out) - len(_trailing_empty(out)) :]
            if out and not out[-1].endswith(b"\n"):
                out[-1] += self.eol
            if out and out[-1].strip():
                out.append(self.eol)
            out.append(b"[" + enc(group) + b"]" + self.eol)
            out.extend(texts)
        return out


def _trailing_empty(out: list[bytes]) -> list[bytes]:
    """The deleted lines (empty) at the end of `out`."""
    n = 0
    while n < len(out) and out[len(out) - 1 - n] == b"":
        n += 1
    return out[len(out) - n :]


def apply_edits(of: OptionFile, findings: list[Finding]) -> FileFix:
    """Apply the edits of `findings` that point into `of`; one edit per line."""
    from mycnf_lint.fix.adder import add_with_configupdater

    draft = _Draft(of)
    fix = FileFix(of.path, of.data, of.data)
    used: set[int] = set()
    for f in findings:
        e = f.edit
        assert e is not None
        if e.action != "add-option" and e.line in used:
            fix.skipped.append((f, "another fix already changes this line"))
            continue
        try:
            draft.apply(e)
        except (ValueError, IndexError) as exc:
            fix.skipped.append((f, str(exc)))
            continue
        if e.action != "add-option":
            used.add(e.line)
        fix.applied.append(f)
    out = draft.result()
    adds = [f.edit for f in fix.applied if f.edit is not None and f.edit.action == "add-option"]
    if adds and not draft.appended and not draft.moved and all(e.line > 0 for e in adds):
        through = add_with_configupdater(of, b"".join(draft.lines), adds, draft.style)
        if through is not None:
            out = [through]
    data = b"".join(out)
    if draft.drop_bom and data.startswith(BOM):
        data = data[len(BOM) :]
    fix.new = data
    return fix
