"""Which options hold secrets, and how they are shown: never, not even in part."""

from __future__ import annotations

import re

MASK = "********"
_SECRET = re.compile(r"(pass(word)?|passwd|pwd|secret|_key$|^key$|token|credential)", re.I)
_NOT_SECRET = re.compile(r"(^|_)(ssl|tls)_|password_(history|reuse|lifetime|require|check|"
                         r"expir|errors)|_(file|dir|path|plugin)$|key_buffer|key_cache|"
                         r"^keep_|_keys?_|foreign_key|keyring", re.I)


def is_secret(name: str) -> bool:
    """True for options whose value must never be shown (password, wsrep_sst_auth, ...)."""
    n = name.lower().replace("-", "_")
    if n in ("wsrep_sst_auth", "report_password", "master_password"):
        return True
    return bool(_SECRET.search(n)) and not _NOT_SECRET.search(n)


def shown(name: str, value: object) -> object:
    """The value as it may appear in output."""
    return MASK if is_secret(name) and value not in (None, "") else value
