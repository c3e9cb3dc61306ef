"""Fixes as data -> edited lines -> one atomic write per file.

Each finding may carry an `Edit` (see findings.py). Edits are applied once, in one pass, to the
bytes of the line they name: the rest of the line (spacing, quotes, inline comment, end of line)
and every other line stay byte for byte. A file whose edited text the server would refuse, when
the original was accepted, is left alone.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from mycnf_lint.findings import Edit, Finding
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.reader.optionfile import BOM, Kind, Line, OptionFile, parse
from mycnf_lint.secrets import MASK, is_secret

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


def wanted(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    """Findings whose fix may be applied: safe ones, and unsafe ones when asked."""
    ok = ("safe", "unsafe") if unsafe else ("safe",)
    return [f for f in findings if f.edit is not None and f.fix in ok]


def _enc(text: str) -> bytes:
    return text.encode(ENCODING, "surrogateescape")


def _eol_of(of: OptionFile) -> bytes:
    crlf = sum(1 for ln in of.lines if ln.raw.endswith(b"\r\n"))
    lf = sum(1 for ln in of.lines if ln.raw.endswith(b"\n"))
    return b"\r\n" if crlf and crlf * 2 >= lf else b"\n"


def _assign_style(of: OptionFile) -> bytes:
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


def _splice(line: Line, column: int, old: str, new: str, what: str) -> bytes:
    """The line with `old`, found at 1-based `column`, replaced by `new`; every other byte
    stays. ValueError when `old` is not where the reader saw it."""
    raw, start, before = line.raw, column - 1, _enc(old)
    if raw[start : start + len(before)] != before:
        raise ValueError(f"the {what} is not where the reader found it")
    return raw[:start] + _enc(new) + raw[start + len(before) :]


def _set_value(line: Line, value: str) -> bytes:
    """Replace the value text of an option line, keeping quotes style, comment and ending."""
    new = value
    start = line.value_column - 1
    if not line.raw_value and line.raw[start - 1 : start] == b"=" and re.search(rb"\s=", line.raw):
        new = " " + value  # `name =` becomes `name = value`
    q = line.raw_value[:1]
    if q in ("'", '"') and len(line.raw_value) > 1 and line.raw_value.endswith(q) and (
        value[:1] not in ("'", '"')
    ):
        new = q + value + q
    return _splice(line, line.value_column, line.raw_value, new, "value")


def _quote_value(line: Line, value: str) -> bytes:
    """Replace the value and the inline comment that cut it short with `value`."""
    raw = line.raw
    start = line.value_column - 1
    body = raw[: len(raw) - len(line.eol)]
    return raw[:start] + _enc(value) + raw[len(body):] if body.rstrip() else raw


def _rename(line: Line, name: str) -> bytes:
    return _splice(line, line.column, line.key, name, "name")


def _semicolon(line: Line) -> bytes:
    start = line.value_column - 1
    head, tail = line.raw[:start], line.raw[start:]
    m = re.search(rb"([ \t]);", tail)
    if not m:
        raise ValueError("no ';' after the value")
    return head + tail[: m.start()] + m.group(1) + b"#" + tail[m.end() :]


def _insert_point(of: OptionFile, header: int) -> int:
    """Index in of.lines after which a new option of the group at line `header` goes: after
    the group's last option, so it sits next to its relatives."""
    last = header - 1
    for i in range(header, len(of.lines)):
        ln = of.lines[i]
        if ln.kind in (Kind.GROUP, Kind.BAD_GROUP):
            break
        if ln.kind is Kind.OPTION:
            last = i
    return last


def apply_edits(of: OptionFile, findings: list[Finding]) -> FileFix:
    """Apply the edits of `findings` that point into `of`; one edit per line."""
    lines = [ln.raw for ln in of.lines]
    inserts: dict[int, list[bytes]] = {}
    appended: list[bytes] = []
    eol = _eol_of(of)
    style = _assign_style(of)
    fix = FileFix(of.path, of.data, of.data)
    used: set[int] = set()
    drop_bom = False
    for f in findings:
        e = f.edit
        assert e is not None
        key = e.line if e.action != "add-option" else -e.line - 1
        if key in used and e.action != "add-option":
            fix.skipped.append((f, "another fix already changes this line"))
            continue
        try:
            if e.action == "drop-bom":
                drop_bom = True
            elif e.action == "add-option":
                text = _enc(e.name) + (style + _enc(e.value) if e.value != "" else b"")
                if e.line > 0:
                    at = _insert_point(of, e.line)
                    inserts.setdefault(at, []).append(text + eol)
                else:
                    appended.append(text + eol)
            else:
                ln = of.lines[e.line - 1]
                if ln.parts:
                    raise ValueError("the line is longer than the server reads at once")
                if e.action == "set-value":
                    lines[e.line - 1] = _set_value(ln, e.value)
                elif e.action == "quote-value":
                    lines[e.line - 1] = _quote_value(ln, e.value)
                elif e.action == "rename":
                    lines[e.line - 1] = _rename(ln, e.name)
                elif e.action == "delete-line":
                    lines[e.line - 1] = b""
                elif e.action == "semicolon-comment":
                    lines[e.line - 1] = _semicolon(ln)
                else:
                    raise ValueError(f"unknown edit {e.action!r}")
            used.add(key)
            fix.applied.append(f)
        except (ValueError, IndexError) as exc:
            fix.skipped.append((f, str(exc)))
    out: list[bytes] = []
    for i, raw in enumerate(lines):
        if i in inserts and not raw.endswith(b"\n"):
            raw += eol
        out.append(raw)
        out.extend(inserts.get(i, []))
    adds = [f.edit for f in fix.applied if f.edit is not None and f.edit.action == "add-option"]
    if adds and not appended:
        through = _add_with_configupdater(of, b"".join(lines), adds, style)
        if through is not None:
            out = [through]
    if appended:
        if out and not out[-1].endswith(b"\n"):
            out[-1] += eol
        if out and out[-1].strip():
            out.append(eol)
        out.append(b"[mysqld]" + eol)
        out.extend(appended)
    data = b"".join(out)
    if drop_bom and data.startswith(BOM):
        data = data[len(BOM) :]
    fix.new = data
    return fix


def _add_with_configupdater(of: OptionFile, base: bytes, adds: list[Edit],
                            style: bytes) -> bytes | None:
    """Add options to their groups with configupdater where it fits: UTF-8 text with LF
    endings that it reads and writes back byte for byte, each option going after the last
    option of its group. None where it does not fit; the caller then edits lines itself."""
    try:
        text = base.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text or of.has_bom:
        return None
    from configupdater import ConfigUpdater

    updater = ConfigUpdater(allow_no_value=True, strict=False, delimiters=("=",),
                            comment_prefixes=("#", ";"), inline_comment_prefixes=("#",),
                            empty_lines_in_values=False)
    try:
        updater.read_string(text)
    except Exception:  # configupdater raises its own parsing errors, e.g. on a top-level !include
        return None
    if str(updater) != text:
        return None
    sections = list(updater.iter_sections())
    headers = [ln.number for ln in of.lines if ln.kind is Kind.GROUP]
    if len(sections) != len(headers):
        return None
    for e in adds:
        if e.line not in headers:
            return None
        options = list(sections[headers.index(e.line)].iter_options())
        if not options:
            return None
        spaced = style == b" = "
        value = e.value if e.value != "" else None
        try:
            options[-1].add_after.option(e.name, value, space_around_delimiters=spaced)
        except Exception:  # e.g. DuplicateOptionError: the group already names the option
            return None
    result = str(updater).encode("utf-8")
    # nothing of the original may change: only whole lines are added
    old, new = base.split(b"\n"), result.split(b"\n")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    if any(tag != "equal" and tag != "insert" for tag, *_ in matcher.get_opcodes()):
        return None
    if len(new) - len(old) != len(adds):
        return None
    return result


def _fatal(path: str, data: bytes, flavor: str, program: str) -> bool:
    from mycnf_lint.reader import catalogue, model

    m = model.build(read_tree(path, data=data), catalogue.load(flavor), program)
    return m.fatal


def plan(findings: list[Finding], files: list[OptionFile], unsafe: bool, flavor: str,
         program: str = "mysqld", top_files: Iterable[str] = ()) -> list[FileFix]:
    """The new text of every file some wanted fix touches; never one the server refuses
    when it accepted the old text (checked on each file named on the command line)."""
    by_path: dict[str, list[Finding]] = {}
    for f in wanted(findings, unsafe):
        assert f.edit is not None
        by_path.setdefault(f.edit.file, []).append(f)
    fixes = []
    seen: set[str] = set()
    for of in files:
        if of.path in seen or of.path not in by_path:
            continue
        seen.add(of.path)
        fx = apply_edits(of, by_path[of.path])
        if fx.changed and of.path in set(top_files) and of.path != "-":
            if _fatal(of.path, fx.new, flavor, program) and not _fatal(
                of.path, fx.old, flavor, program
            ):
                fx.skipped.extend((f, "the fixed file would stop the server")
                                  for f in fx.applied)
                fx.applied = []
                fx.new = fx.old
        fixes.append(fx)
    return fixes


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file's content in one step: a temporary file in the same folder, fsync,
    mode and owner copied, rename over the target; a symlink is followed and kept."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    st = os.stat(target)
    fd, tmp = tempfile.mkstemp(prefix=".mycnf-lint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _redact(data: bytes) -> list[str]:
    """The file's lines for a diff, with the values of secret options masked."""
    out = []
    for ln in parse("", data).lines:
        text = ln.raw.decode(ENCODING, "replace")
        if ln.kind is Kind.OPTION and ln.has_value and is_secret(ln.key):
            # the value and anything after it (an inline comment may hold the rest of it)
            start = ln.value_column - 1 if ln.value_column else len(ln.raw) - len(ln.eol)
            text = (ln.raw[:start] + MASK.encode() + ln.eol).decode(ENCODING, "replace")
        out.append(text)
    return out


def unified_diff(fix: FileFix) -> str:
    """A unified diff of one file's fix, secrets masked."""
    return "".join(difflib.unified_diff(_redact(fix.old), _redact(fix.new),
                                        fromfile=f"a/{fix.path}", tofile=f"b/{fix.path}"))


def write(fixes: list[FileFix]) -> int:
    """Write every changed file; return how many fixes were applied."""
    n = 0
    for fx in fixes:
        if fx.changed:
            write_atomic(fx.path, fx.new)
            n += len(fx.applied)
    return n


__all__ = ["Edit", "FileFix", "apply_edits", "plan", "unified_diff", "write", "write_atomic"]
