"""Which options hold secrets, and how they are shown: never, not even in part.

Only a value that can hold text can hold a secret: string options named like passwords, keys,
tokens or credentials (password, report_password, wsrep_sst_auth). A boolean or a number is
never one (old_passwords, strict_password_validation, innodb_ft_min_token_size).
"""

from __future__ import annotations

import re

MASK = "********"
_SECRET = re.compile(r"(pass(word)?|passwd|pwd|secret|_key$|^key$|token|credential)", re.I)
_NOT_SECRET = re.compile(r"(^|_)(ssl|tls)_|password_(history|reuse|lifetime|require|check|"
                         r"expir|errors)|_(file|dir|path|plugin)$|key_buffer|key_cache|"
                         r"^keep_|_keys?_|foreign_key|keyring", re.I)
_ALWAYS = ("wsrep_sst_auth", "report_password", "master_password")
# getopt kinds that hold text; anything else (bool, numbers, enums, sets) is never a secret
TEXT_KINDS = ("str", None)


def is_secret(name: str, getopt: str | None = None) -> bool:
    """True for options whose value must never be shown (password, wsrep_sst_auth, ...).
    `getopt` is the option's kind when known: only text options can hold a secret."""
    if getopt not in TEXT_KINDS:
        return False
    n = name.lower().replace("-", "_")
    if n in _ALWAYS:
        return True
    return bool(_SECRET.search(n)) and not _NOT_SECRET.search(n)


def shown(name: str, value: object, getopt: str | None = None) -> object:
    """The value as it may appear in output."""
    return MASK if value not in (None, "") and is_secret(name, getopt) else value
