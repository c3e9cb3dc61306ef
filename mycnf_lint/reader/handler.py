"""What my_getopt and mysqld's own option handler do with a value beyond the generic conversion:
a `loose-` option that fails to convert, values re-read their own way, malformed rules refused."""

from __future__ import annotations

import re

from mycnf_lint.reader.catalogue import Option
from mycnf_lint.reader.values import Converted, Problem


def loose_failure(opt: Option, conv: Converted) -> None:
    """A `loose-` option whose value cannot be read: handle_options() does not stop; setval()
    has stored what getopt_ull/getopt_double returned (0) for a number, the empty set for a
    set, and nothing otherwise (an enum keeps its value)."""
    for p in conv.problems or ():
        if p.fatal:
            p.fatal = False
            p.message += (" (0 is used)" if opt.is_numeric else " (the empty set is used)"
                          if opt.getopt == "set" else " (it is ignored)")
    if opt.is_numeric:
        conv.value = 0.0 if opt.getopt == "double" else 0
    elif opt.getopt == "set":
        conv.value = ""
    else:
        conv.keep_previous = True


_TABLE_RULES = ("replicate_do_table", "replicate_ignore_table", "replicate_wild_do_table",
                "replicate_wild_ignore_table")
_SPECIAL = {"slave_transaction_retry_errors", "replica_transaction_retry_errors", "log_warnings",
            "replicate_rewrite_db", *_TABLE_RULES}


def special(opt: Option, text: str | None, conv: Converted) -> None:
    """What mysqld's own option handler (mysqld_get_one_option) does after the generic
    conversion: re-reads some values its own way and refuses malformed replication rules."""
    if opt.name not in _SPECIAL:
        return
    if opt.name in ("slave_transaction_retry_errors", "replica_transaction_retry_errors"):
        codes = [str(int(m)) for m in re.findall(r"[+-]?\d+", text or "") if int(m) >= 0]
        conv.value = ",".join([str(opt.default or "")] + codes).strip(",")
    elif opt.name == "log_warnings":  # bare: my_getopt's 1, then `++`; else atoi(), as in C
        digits = re.match(r"\s*[+-]?\d+", text or "")
        number = int(digits.group(0)) if digits else 0
        conv.value = (conv.value or 0) + 1 if text is None else (number + 2**31) % 2**32 - 2**31
    elif opt.name == "replicate_rewrite_db" and text is not None and "->" not in text:
        conv.add(Problem("invalid-value", f"replicate_rewrite_db = {text!r} needs the form "
                         "FROM->TO", fatal=True))
    elif opt.name in _TABLE_RULES and text is not None and "." not in text:
        conv.add(Problem("invalid-value", f"{opt.name} = {text!r} needs the form db.table",
                         fatal=True))
