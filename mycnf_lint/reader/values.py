"""Raw option text -> typed value, exactly as the server's my_getopt converts it.

Numbers: optional sign, decimal digits, one suffix letter K M G T P E (either case, the rest of
the text ignored), overflow wraps like the C code, then the value is capped to the maximum,
rounded down to the block size and raised to the minimum, with a warning when adjusted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mycnf_lint.reader.catalogue import Option

if TYPE_CHECKING:
    from typing import Any

U64 = 2**64
SUFFIXES = {"k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60}
_BOUNDS = {
    "int": (-(2**31), 2**31 - 1),
    "uint": (0, 2**32 - 1),
    "long": (-(2**63), 2**63 - 1),
    "ulong": (0, 2**64 - 1),
    "ll": (-(2**63), 2**63 - 1),
    "ull": (0, 2**64 - 1),
}
TRUE_WORDS = ("1", "true", "on")
FALSE_WORDS = ("0", "false", "off")
_DIGITS = re.compile(r"[ \t\n\v\f\r]*([+-]?)(\d*)")
_FLOAT = re.compile(
    r"[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
)  # my_strtod() reads no inf or nan, and refuses a value that overflows (1e400)


@dataclass(slots=True)
class Problem:
    """Something the conversion says: `fatal` problems stop the server."""

    rule: str
    message: str
    fatal: bool = False


@dataclass(slots=True)
class Converted:
    """The outcome of converting one raw value for one option."""

    value: Any = None
    problems: list[Problem] | None = None
    keep_previous: bool = False  # the server ignored this occurrence (invalid NO_ARG bool value)

    def add(self, problem: Problem) -> None:
        if self.problems is None:
            self.problems = []
        self.problems.append(problem)

    @property
    def fatal(self) -> bool:
        problems = self.problems  # mostly None: asked several times for every line applied
        return problems is not None and any(p.fatal for p in problems)


def parse_bool(text: str) -> bool | None:
    """get_bool_argument(): True, False, or None when the word is not recognised."""
    low = text.lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return None


def _integer(opt: Option, text: str, out: Converted) -> None:
    signed = opt.getopt in ("int", "long", "ll")
    if not signed and text.startswith("-"):
        out.add(Problem("invalid-value", f"negative value {text!r} for unsigned option "
                        f"'{opt.name}'", fatal=True))
        return
    m = _DIGITS.match(text)
    assert m is not None
    sign, digits = m.group(1), m.group(2)
    if len(digits.lstrip("0")) > 20:  # beyond 64 bits (and beyond Python's int() limit)
        out.add(Problem("invalid-value", f"integer value of {len(digits)} digits out of range "
                        f"for '{opt.name}'", fatal=True))
        return
    if digits:
        number = int(digits)
        rest = text[m.end():]
    else:  # strtoull parsed nothing: the whole text is the "suffix"
        number = 0
        rest = text
    if sign == "-":
        number = -number
    if signed and not (-(2**63) <= number < 2**63):
        out.add(Problem("invalid-value", f"integer value {text!r} out of range for "
                        f"'{opt.name}'", fatal=True))
        return
    if not signed and number >= U64:
        out.add(Problem("invalid-value", f"integer value {text!r} out of range for uint64 "
                        f"for '{opt.name}'", fatal=True))
        return
    if not signed and number < 0:  # strtoull negates: "-" was rejected above, keep for safety
        number %= U64
    if rest:
        shift = SUFFIXES.get(rest[0].lower())
        if shift is None:
            out.add(Problem("invalid-number", f"unknown suffix {rest[0]!r} in {text!r} for "
                            f"'{opt.name}'; legal suffixes are K, M, G, T, P, E", fatal=True))
            return
        number <<= shift
    if signed:
        number = (number + 2**63) % U64 - 2**63
    else:
        number %= U64
    out.value = _limit(opt, number, out, signed)


def _limit(opt: Option, number: int, out: Converted, signed: bool) -> int:
    old = number
    adjusted = False
    lo, hi = _BOUNDS.get(opt.getopt, (0, 2**64 - 1))
    if opt.max is not None and opt.max != 0 and number > opt.max:
        number = int(opt.max)
        adjusted = True
    if number > hi:
        number = hi
        adjusted = True
    if signed and number < lo:
        number = lo
        adjusted = True
    if opt.block_size and opt.block_size > 1:
        number = int(number / opt.block_size) * opt.block_size if signed else (
            number // opt.block_size * opt.block_size)
    if opt.min is not None and number < opt.min:
        number = int(opt.min)
        if old < opt.min:
            adjusted = True
    if adjusted:
        out.add(Problem("value-adjusted", f"{old} is outside the range of '{opt.name}' "
                        f"({_fmt(opt.min)}..{_fmt(opt.max)}): the server uses {number}"))
    return number


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "?"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _double(opt: Option, text: str, out: Converted) -> None:
    m = _FLOAT.match(text)
    if text.strip() == "":
        number = 0.0
    elif m is None or m.end() != len(text) or math.isinf(float(text)):
        out.add(Problem("invalid-number", f"invalid decimal value {text!r} for "
                        f"'{opt.name}'", fatal=True))
        return
    else:
        number = float(text)
    old = number
    if opt.max is not None and number > opt.max:
        number = float(opt.max)
    if opt.min is not None and number < opt.min:
        number = float(opt.min)
    if number != old:
        out.add(Problem("value-adjusted", f"{old:g} is outside the range of '{opt.name}': the "
                        f"server uses {number:g}"))
    out.value = number


def _find_word(text: str, words: tuple[str, ...], prefix: bool = True) -> int:
    """find_type(): 1-based index of the word (exact or, with `prefix`, unique prefix,
    case-insensitive), 0 when none matches, -1 when the prefix is ambiguous."""
    low = text.lower().rstrip(" ")
    if not low:
        return 0
    hits = []
    for i, w in enumerate(words):
        if w.lower() == low:
            return i + 1
        if prefix and w.lower().startswith(low):
            hits.append(i)
    if len(hits) == 1:
        return hits[0] + 1
    return -1 if hits else 0


def _enum(opt: Option, text: str, out: Converted) -> None:
    words = opt.values or ()
    found = _find_word(text, words)
    if found > 0:
        out.value = words[found - 1]
        return
    # else strtoul(): a sign may lead the digits ('+1', '-0'); '-1' wraps and is refused
    m = re.fullmatch(r"[ \t\n\v\f\r]*([+-]?)(\d{1,20})|", text) if found == 0 else None
    number = int(m.group(2) or "0") * (-1 if m.group(1) == "-" else 1) if m else -1
    if 0 <= number < len(words):
        out.value = words[number]
        return
    shown = ", ".join(words)
    out.add(Problem("invalid-value", f"{text!r} is not a valid value for '{opt.name}' "
                    f"(one of: {shown})", fatal=True))


def _set(opt: Option, text: str, out: Converted) -> None:
    words = opt.values or ()
    parts = [p for p in text.split(",")]
    chosen: list[str] = []
    ok = True
    for n, p in enumerate(parts):
        if p == "" and len(parts) == 1:
            break
        # find_typeset(): a prefix stands for a member only at the end of the text (a member
        # before a comma must be whole): STRICT_TRANS_TABLE,NO_ZERO_DATE is refused
        found = _find_word(p, words, prefix=n == len(parts) - 1)
        if found <= 0:
            ok = False
            break
        chosen.append(words[found - 1])
    if ok:
        order = {w: i for i, w in enumerate(words)}
        out.value = _empty_set(opt, text, ",".join(sorted(set(chosen), key=order.__getitem__)))
        return
    if re.fullmatch(r"\d{1,20}", text) and (int(text) >> 1) < (1 << max(len(words) - 1, 0)):
        bits = int(text)
        out.value = _empty_set(opt, text, ",".join(w for i, w in enumerate(words) if bits >> i & 1))
        return
    out.add(Problem("invalid-value", f"{text!r} is not a valid value for '{opt.name}' "
                    f"(any of: {', '.join(words)})", fatal=True))


def _empty_set(opt: Option, text: str, value: str) -> str:
    """mariadbd 10.11 reads an empty log_slow_filter as every member (0 stays empty) and
    prints a myisam_recover_options with no member (empty or 0) as OFF."""
    if value or opt.name not in ("log_slow_filter", "myisam_recover_options"):
        return value
    if opt.name == "myisam_recover_options":
        return "OFF" if "OFF" in (opt.values or ()) else value
    return ",".join(opt.values or ()) if text == "" else value


def _flagset(opt: Option, text: str, out: Converted) -> None:
    """find_set_from_flags(): `flag=on|off|default` items or `default`, each flag (and
    `default`) at most once, a flag name whole (no prefix), spaces only before a comma or an
    `=`; mariadbd refuses `a=off, b=on`, `a=off,`, `a=off,a=on` and `index_merge_un=off`."""
    words = {w.lower() for w in opt.values or () if w.lower() != "default"}
    seen: set[str] = set()
    for part in text.split(",") if text else ():
        name, eq, val = part.partition("=")
        flag = name.rstrip(" ").lower()
        if not (flag == "default" and not eq or flag in words and eq and val.rstrip(" ").lower()
                in ("on", "off", "default")):
            msg = (f"'{opt.name}' has an empty item (two commas in a row, or one at an end)"
                   if not part.strip() else f"{part!r} starts with a space: '{opt.name}' "
                   "takes none after a comma" if part != part.lstrip() else
                   f"{part!r} is not a valid flag for '{opt.name}'")
            out.add(Problem("invalid-value", msg, fatal=True))
            return
        if flag in seen:
            out.add(Problem("invalid-value", f"{part!r} names {flag} a second time in "
                            f"'{opt.name}' (the server refuses a flag named twice)", fatal=True))
            return
        seen.add(flag)
    out.value = text


def is_ignored(opt: Option) -> bool:
    """Options kept only so old files still load: the server takes any value and ignores it."""
    note = (opt.deprecated or "").lower()
    return note.startswith("was removed") or "compatible option" in note


def convert(opt: Option, text: str | None) -> Converted:
    """Convert the value of one occurrence; `text` None means the option had no `=value`.
    A boolean taking no argument (a switch) reads a value's first character only, and the
    server ignores a line whose value it cannot read."""
    out = Converted()
    g = opt.getopt
    if is_ignored(opt):
        out.value = text  # accepted for old files, value never looked at
        return out
    if g == "bool":
        if text is None:
            out.value = True
            return out
        switch = opt.arg == "none"
        b = parse_bool(text)
        if switch and b is None and text[:1] in ("0", "1"):
            b = text[:1] == "1"  # a switch given a value: only the first character counts
        if b is None:
            if switch:
                out.add(Problem("invalid-value", f"invalid boolean {text!r} for "
                                f"'{opt.name}': the server ignores this line"))
                out.keep_previous = True
                return out
            out.add(Problem("invalid-value", f"boolean value {text!r} for '{opt.name}' is not "
                            f"recognised (1/0, on/off, true/false): the server sets it OFF"))
            b = False
        out.value = b
        return out
    if text is None:
        text = "1"  # enabled_my_option: an OPT_ARG option given without a value
        if g == "str":
            out.value = ""
            return out
    if g in _BOUNDS:
        _integer(opt, text, out)
    elif g == "double":
        _double(opt, text, out)
    elif g == "enum":
        _enum(opt, text, out)
    elif g == "set":
        _set(opt, text, out)
    elif g == "flagset":
        _flagset(opt, text, out)
    else:
        out.value = text
    return out


# conversions per option and text: a fleet's files repeat the same few values
_CONVERTED: dict[tuple[int, str | None], tuple[Option, Converted]] = {}
_CONVERTED_MAX = 1 << 16


def convert_remembered(opt: Option, text: str | None) -> Converted:
    """`convert`, remembered (a fresh copy each time, problems too: callers amend
    them)."""
    key = (id(opt), text)
    got = _CONVERTED.get(key)
    if got is None or got[0] is not opt:
        if len(_CONVERTED) >= _CONVERTED_MAX:
            _CONVERTED.clear()
        got = _CONVERTED[key] = (opt, convert(opt, text))
    conv = got[1]
    problems = [Problem(p.rule, p.message, p.fatal) for p in conv.problems or ()]
    return Converted(conv.value, problems or None, conv.keep_previous)



def merge_flags(current: str, given: str, defaults: str | None = None) -> str:
    """optimizer_switch-style flags: `name=on|off|default` items change the `current` set.
    find_set_from_flags() (my_getopt passes the option's compiled default): a `default` item
    anywhere starts from `defaults` and the items naming a flag win wherever they stand
    (mariadbd 10.11: `index_merge=off,default` leaves index_merge=off; a later line `default`
    or `mrr=default` goes back to the compiled value, not the earlier line's)."""
    base = dict(p.split("=", 1) for p in current.split(",") if "=" in p)
    compiled = base if defaults is None else dict(
        p.split("=", 1) for p in defaults.split(",") if "=" in p)
    items = [[s.strip().lower() for s in part.partition("=")] for part in given.split(",")]
    restart = any(not eq and name == "default" for name, eq, _ in items)
    flags = dict(compiled if restart else base)
    for name, eq, val in items:
        if eq:
            key = next((k for k in flags if k == name), None)
            key = key or next((k for k in flags if k.startswith(name)), name)
            flags[key] = compiled.get(key, "on") if val == "default" else val
    return ",".join(f"{k}={v}" for k, v in flags.items())


# sql_mode's combination modes and what the server adds for each (MariaDB's read off mariadbd
# 10.11; MySQL's from its manual: ANSI there includes ONLY_FULL_GROUP_BY)
_ODBC = ("PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE", "NO_KEY_OPTIONS", "NO_TABLE_OPTIONS",
         "NO_FIELD_OPTIONS")
SQL_MODE_COMBINATIONS = {
    "ANSI": ("REAL_AS_FLOAT", "PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE"),
    "TRADITIONAL": ("STRICT_TRANS_TABLES", "STRICT_ALL_TABLES", "NO_ZERO_IN_DATE",
                    "NO_ZERO_DATE", "ERROR_FOR_DIVISION_BY_ZERO", "NO_AUTO_CREATE_USER",
                    "NO_ENGINE_SUBSTITUTION"),
    "DB2": _ODBC,
    "MSSQL": _ODBC,
    "POSTGRESQL": _ODBC,
    "MAXDB": (*_ODBC, "NO_AUTO_CREATE_USER"),
    "ORACLE": (*_ODBC, "NO_AUTO_CREATE_USER", "SIMULTANEOUS_ASSIGNMENT"),
    "MYSQL323": ("HIGH_NOT_PRECEDENCE",),
    "MYSQL40": ("HIGH_NOT_PRECEDENCE",),
}


def expand_sql_mode(value: str, words: tuple[str, ...], mariadb: bool) -> str:
    """sql_mode with its combination modes expanded, in the order the server prints."""
    chosen = {w.upper() for w in value.split(",") if w}
    for mode in list(chosen):
        chosen.update(SQL_MODE_COMBINATIONS.get(mode, ()))
        if mode == "ANSI" and not mariadb:
            chosen.add("ONLY_FULL_GROUP_BY")
    return ",".join(w for w in words if w.upper() in chosen)
