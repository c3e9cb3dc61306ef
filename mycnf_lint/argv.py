"""Command-line words as the mysql client takes them: `-pSECRET` is the password itself.

Parsed as short flags, `-pSECRET` would be `-p -S ECRET` (a prompt and a socket named after most
of the password, which error messages then show); it is rewritten to `--password=SECRET`
before parsing. Words after `--` are left alone.
"""

from __future__ import annotations

import sys


def mysql_password_form(argv: list[str] | None) -> list[str]:
    """`argv` (default: the process's arguments) with each `-pSECRET` as `--password=SECRET`."""
    words = list(sys.argv[1:] if argv is None else argv)
    out: list[str] = []
    for i, word in enumerate(words):
        if word == "--":
            return out + words[i:]
        attached = word.startswith("-p") and len(word) > 2
        out.append(f"--password={word[2:]}" if attached else word)
    return out
