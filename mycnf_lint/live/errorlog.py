"""The server's error log, read for what ends connections: aborted connections by timeout or by
a broken connection, packets over max_allowed_packet, 'Too many connections', crashes and
restarts. Each kind is counted and dated (the last time it happened) and becomes one finding
that points at the line of its last occurrence and names the variable it is about."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mycnf_lint.findings import Finding
from mycnf_lint.lint.checks import finding
from mycnf_lint.lint.ruleset import Rule, RuleSet

# 2026-12-02 13:19:16 and 2026-12-03  8:19:16 (MariaDB pads the hour with a space),
# 2026-12-02T13:19:16.123456Z (MySQL 8), 261202 13:19:07 (old)
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T| +)(\d{1,2}):(\d{2}):(\d{2})")
_OLD_STAMP = re.compile(r"^(\d{2})(\d{2})(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2})")


@dataclass(frozen=True)
class Pattern:
    """One kind of line: what it matches, the rule it raises and the variable it points to."""

    key: str
    text: str  # the words of the line, as a person searches the log for them
    regex: re.Pattern[str]
    rule: str
    variable: str | None
    meaning: str


PATTERNS = (
    Pattern("read-timeout", "Got timeout reading communication packets",
            re.compile(r"\(Got timeout reading communication packets\)"),
            "log-timeout", "wait_timeout",
            "an idle connection passed wait_timeout (interactive_timeout for interactive "
            "clients), or a statement's data did not arrive within net_read_timeout"),
    Pattern("write-timeout", "Got timeout writing communication packets",
            re.compile(r"\(Got timeout writing communication packets\)"),
            "log-timeout", "net_write_timeout",
            "a client did not read its result within net_write_timeout"),
    Pattern("read-error", "Got an error reading (or writing) communication packets",
            re.compile(r"\(Got an error (?:reading|writing) communication packets\)"),
            "log-read-error", None,
            "the connection broke under the server: the client died or was killed without "
            "closing, or the network (a proxy, a load balancer, a firewall) cut it"),
    Pattern("packet", "Got a packet bigger than 'max_allowed_packet' bytes",
            re.compile(r"Got a packet bigger than '?max_allowed_packet'? bytes"),
            "log-packet-too-big", "max_allowed_packet",
            "a client sent a statement or row larger than max_allowed_packet and was "
            "disconnected"),
    Pattern("too-many", "Too many connections", re.compile(r"Too many connections"),
            "log-too-many-connections", "max_connections",
            "clients were refused because max_connections connections were open"),
)
_CRASH = re.compile(r"got signal \d+|got exception|Assertion failure|InnoDB: Assertion|"
                    r"This could be because you hit a bug")
# recovery at a start: the run before it ended uncleanly (a rotated log may not show that run)
_RECOVERY = re.compile(r"was not shut ?down normally|Starting crash recovery|"
                       r"Aria engine: starting recovery")
_BEGIN = re.compile(r"\bas process \d+|starting as process \d+")  # a run of the server begins
_START = re.compile(r"ready for connections")
_SHUTDOWN = re.compile(r"Shutdown complete")


@dataclass
class Tally:
    """How often one kind of line occurred, when last, and on which line."""

    count: int = 0
    last_time: str | None = None
    last_line: int = 0

    def add(self, number: int, stamp: str | None) -> None:
        self.count += 1
        self.last_line = number
        if stamp:
            self.last_time = stamp


@dataclass
class LogScan:
    """Everything counted in one error log."""

    path: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    crashes: Tally = field(default_factory=Tally)  # runs that ended with a crash report
    killed: Tally = field(default_factory=Tally)  # runs that ended with no report, no shutdown
    starts: Tally = field(default_factory=Tally)
    shutdowns: Tally = field(default_factory=Tally)


def timestamp(line: str) -> str | None:
    """The time a log line carries, as `YYYY-MM-DD HH:MM:SS`."""
    m = _STAMP.match(line)
    if m:
        day, hh, mi, ss = m.groups()
        return f"{day} {int(hh):02d}:{mi}:{ss}"
    m = _OLD_STAMP.match(line)
    if m:
        yy, mo, dd, hh, mi, ss = m.groups()
        return f"20{yy}-{mo}-{dd} {int(hh):02d}:{mi}:{ss}"
    return None


def scan_lines(path: str, lines: Iterable[str]) -> LogScan:
    """Count the lines doctor cares about. A run of the server (from one start to the next)
    ends with a clean shutdown, with a crash report (counted once), or with neither: killed
    by SIGKILL, the OOM killer or a power cut, which shows at the next start (MariaDB 10.11
    writes no recovery line after an idle server is killed)."""
    result = LogScan(path, {p.key: Tally() for p in PATTERNS})
    running = reported = counted = False
    stamp: str | None = None
    for number, line in enumerate(lines, start=1):
        stamp = timestamp(line) or stamp  # continuation lines (stack traces) carry none
        for p in PATTERNS:
            if p.regex.search(line):
                result.tallies[p.key].add(number, stamp)
                break
        else:
            if _CRASH.search(line):
                if not reported:
                    result.crashes.add(number, stamp)
                reported = True
            elif _BEGIN.search(line):
                if running and not reported:
                    result.killed.add(number, stamp)
                counted = running  # the end of the run before is accounted for, if it was seen
                running, reported = True, False
            elif _RECOVERY.search(line):
                if not counted and not reported:
                    result.killed.add(number, stamp)
                counted = True
            elif _START.search(line):
                result.starts.add(number, stamp)
                running = True
            elif _SHUTDOWN.search(line):
                result.shutdowns.add(number, stamp)
                running = False
    return result


def scan(path: str) -> LogScan:
    """Read and count a log file, line by line (error logs grow large); OSError when it cannot
    be read."""
    with open(path, "rb") as fh:
        return scan_lines(path, (raw.decode("utf-8", "replace") for raw in fh))


def _when(t: Tally) -> str:
    return f"last at {t.last_time}" if t.last_time else "with no time on the line"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def findings(result: LogScan, rules: RuleSet) -> list[Finding]:
    """One finding per kind of line found: count, last time, the variable it is about."""
    out: list[Finding] = []
    for p in PATTERNS:
        t = result.tallies[p.key]
        if not t.count:
            continue
        out.append(finding(rules[p.rule], result.path, t.last_line,
                           f"'{p.text}' {_times(t.count)} in the error log "
                           f"({_when(t)}): {p.meaning}", p.variable))
    if result.crashes.count or result.killed.count:
        out.append(_crash_finding(result, rules["log-crash"]))
    if result.starts.count:
        rule = rules["log-restart"]
        t, down = result.starts, result.shutdowns.count
        clean = f"shut down cleanly {_times(down)}" if down else "never shut down cleanly"
        out.append(finding(rule, result.path, t.last_line,
                           f"the server started {_times(t.count)} ({_when(t)}) and {clean} "
                           "in this log: each start dropped the connections of the run before"))
    return out


def _crash_finding(result: LogScan, rule: Rule) -> Finding:
    """Crash reports and runs killed without one, in one finding at the later of the two."""
    reports, killed = result.crashes, result.killed
    last = max((reports, killed), key=lambda t: t.last_line)
    parts = []
    if reports.count:
        parts.append(f"crashed {_times(reports.count)} with a crash report")
    if killed.count:
        parts.append(f"ended {_times(killed.count)} with neither a shutdown nor a report "
                     "(killed: SIGKILL, the OOM killer, a power cut; seen at the next start)")
    return finding(rule, result.path, last.last_line,
                   f"the server {' and '.join(parts)} ({_when(last)}): every connection was "
                   "dropped; the lines before this one say why (the crash report's query and "
                   "stack trace, the memory limits; for a kill, dmesg)")


def unreadable(path: str | None, why: str, rules: RuleSet, label: str) -> Finding:
    """The info finding for an error log that could not be read."""
    rule = rules["error-log-unreadable"]
    where = f"{path}: {why}" if path else why
    return finding(rule, label, 0,
                   f"the error log was not read ({where}): aborted connections, oversized "
                   "packets and crashes are not counted; pass a copy with --error-log FILE",
                   "log_error")
