"""New options added through configupdater, where it keeps every other byte of the file."""

from __future__ import annotations

import difflib

from mycnf_lint.findings import Edit
from mycnf_lint.reader.optionfile import Kind, OptionFile


def add_with_configupdater(of: OptionFile, base: bytes, adds: list[Edit],
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
