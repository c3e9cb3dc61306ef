"""A few findings of each severity for the formatter tests."""

from __future__ import annotations

from mycnf_lint.findings import Finding

ERROR = Finding("MCL008", "unknown-option", "error", "etc/my.cnf", 3, 1, "no_such_option",
                "unknown option 'no_such_option'", True, None)
WARNING = Finding("MCL014", "value-adjusted", "warning", "etc/my.cnf", 7, 16, "wait_timeout",
                  "wait_timeout 1 is below 2", False, "safe")
WHOLE_FILE = Finding("MCL006", "world-writable", "warning", "my.cnf", 0, 0, None,
                     "my.cnf is world-writable", False, None)


def info(path: str) -> Finding:
    return Finding("MCL009", "loose-unknown-option", "info", path, 2, 1, None,
                   "loose option ignored", False, None)
