"""The unified diff of exactly the bytes a fix writes, so `patch -p1` gives what --fix gives.

The diff is made of bytes (GBK or latin1 text survives), marks a last line without an end
of line (`\\ No newline at end of file`) and never shows a secret: a line holding a password
is never used as context (the hunk's context stops short of it, the same on both sides so
that `patch` does not anchor the hunk at the start or the end of the file); a changed line
holding one is shown masked.
"""

from __future__ import annotations

import difflib

from mycnf_lint.fix.edits import FileFix
from mycnf_lint.reader.optionfile import Kind, Line, parse, split_lines
from mycnf_lint.secrets import MASK, is_secret

CONTEXT = 3
NO_EOL = b"\\ No newline at end of file\n"


def _secret(line: Line) -> bool:
    return line.kind is Kind.OPTION and line.has_value and is_secret(line.key)


def _masked(line: Line) -> bytes:
    """The line with its value and anything after it (an inline comment may hold the rest of
    the secret) replaced by the mask."""
    start = line.value_column - 1 if line.value_column else len(line.raw) - len(line.eol)
    return line.raw[:start] + MASK.encode() + (line.eol or b"")


def _lines(data: bytes) -> tuple[list[bytes], list[bool], list[bytes]]:
    """The file's lines, which of them hold a secret, and the lines as shown."""
    raw = split_lines(data)
    secret = [False] * len(raw)
    shown = list(raw)
    for ln in parse("", data).lines:  # a secret is an option: a kept line
        if _secret(ln):
            secret[ln.number - 1] = True
            shown[ln.number - 1] = _masked(ln)
    return raw, secret, shown


def _range(start: int, length: int) -> bytes:
    """`start,length` of a hunk header, 1-based; an empty range names the line before it."""
    if length == 1:
        return b"%d" % (start + 1)
    if length == 0:
        return b"%d,0" % start
    return b"%d,%d" % (start + 1, length)


def _hunks(a: list[bytes], b: list[bytes], secret: list[bool]) -> list[list[tuple[str, int,
                                                                                  int, int, int]]]:
    """Groups of opcodes, each a hunk: changes with at most CONTEXT lines of context around
    them, never a secret line as context, and as much context before as after."""
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    groups: list[list[tuple[str, int, int, int, int]]] = []
    current: list[tuple[str, int, int, int, int]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "equal":
            current.append((tag, i1, i2, j1, j2))
            continue
        first, last = k == 0, k == len(ops) - 1
        run = range(i1, i2)
        clean = not any(secret[i] for i in run)
        if not first and not last and clean and i2 - i1 <= 2 * CONTEXT:
            current.append((tag, i1, i2, j1, j2))  # a short gap: one hunk
            continue
        if current:  # trailing context of the hunk so far
            n = 0
            while n < min(CONTEXT, i2 - i1) and not secret[i1 + n]:
                n += 1
            current.append(("equal", i1, i1 + n, j1, j1 + n))
            groups.append(current)
            current = []
        if not last:  # leading context of the next hunk
            n = 0
            while n < min(CONTEXT, i2 - i1) and not secret[i2 - 1 - n]:
                n += 1
            current = [("equal", i2 - n, i2, j2 - n, j2)]
    if current:
        groups.append(current)
    return [_balanced(g, len(a), len(b)) for g in groups]


def _balanced(group: list[tuple[str, int, int, int, int]], na: int,
              nb: int) -> list[tuple[str, int, int, int, int]]:
    """As much context before as after, except where the file starts or ends."""
    lead = group[0][2] - group[0][1] if group[0][0] == "equal" else 0
    trail = group[-1][2] - group[-1][1] if group[-1][0] == "equal" and len(group) > 1 else 0
    at_start = group[0][1] == 0 and group[0][3] == 0
    at_end = group[-1][2] == na and group[-1][4] == nb
    if lead < trail and not at_start:
        _, i1, i2, j1, j2 = group[-1]
        group[-1] = ("equal", i1, i1 + lead, j1, j1 + lead)
    elif trail < lead and not at_end:
        _, i1, i2, j1, j2 = group[0]
        group[0] = ("equal", i2 - trail, i2, j2 - trail, j2)
    return [op for op in group if op[0] != "equal" or op[2] > op[1]]


def _out(prefix: bytes, line: bytes) -> bytes:
    return prefix + line if line.endswith(b"\n") else prefix + line + b"\n" + NO_EOL


def unified_diff(fix: FileFix) -> bytes:
    """A unified diff (`patch -p1`) of one file's fix, secrets masked."""
    a, a_secret, a_shown = _lines(fix.old)
    b, _, b_shown = _lines(fix.new)
    out: list[bytes] = []
    for group in _hunks(a, b, a_secret):
        i1, i2 = group[0][1], group[-1][2]
        j1, j2 = group[0][3], group[-1][4]
        out.append(b"@@ -" + _range(i1, i2 - i1) + b" +" + _range(j1, j2 - j1) + b" @@\n")
        for tag, x1, x2, y1, y2 in group:
            if tag == "equal":
                out.extend(_out(b" ", line) for line in a_shown[x1:x2])
                continue
            out.extend(_out(b"-", line) for line in a_shown[x1:x2])
            out.extend(_out(b"+", line) for line in b_shown[y1:y2])
    if not out:
        return b""
    return _header(fix.path) + b"".join(out)


def _header(path: str) -> bytes:
    """`--- a/NAME` and `+++ b/NAME`, as `git diff --no-index` writes them: a relative path as
    given (`patch -p1` run where the check ran), an absolute one without its leading slash
    (`patch -p1` run from `/`); never `a//etc/...`."""
    name = path.encode("utf-8", "surrogateescape").lstrip(b"/")
    return b"--- a/" + name + b"\n+++ b/" + name + b"\n"
