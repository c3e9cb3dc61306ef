"""Text from files and file names made safe to print in every format.

File names and option files may hold bytes that are not UTF-8 (kept as surrogates by
`surrogateescape`) and control characters (a newline or an escape sequence in a file name).
Printed as they are, the first crash encoders or make JSON that strict parsers reject, the
second break one-finding-a-line output or drive the terminal. Both are shown as `\\xNN`.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab, DEL, C1 controls, and the surrogates that stand for undecodable bytes
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an original byte (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFF:  # a lone surrogate from elsewhere
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def shown(text: str, keep: str = "") -> str:
    """`text` with undecodable bytes and control characters (but those in `keep`) written
    as `\\xNN`."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def raw_bytes(text: str) -> bytes:
    """The bytes a surrogateescape-decoded string came from (other lone surrogates escaped)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def json_safe(value: Any) -> Any:
    """A JSON document with every string (keys too) passed through `shown`, so that it
    encodes as valid UTF-8 JSON and parses in strict parsers."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
