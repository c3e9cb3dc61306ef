"""What only a running server shows, from SHOW GLOBAL STATUS: a recent restart, aborted clients
and connection attempts (with their rate per hour of uptime and what they usually mean),
Max_used_connections near max_connections, and the Connection_errors_* counters."""

from __future__ import annotations

from mycnf_lint.findings import Finding
from mycnf_lint.lint.checks import finding
from mycnf_lint.lint.ruleset import RuleSet
from mycnf_lint.profiles import human_duration

RECENT_UPTIME = 3600  # seconds: a server up for less than this restarted recently
NOTABLE_SHARE = 0.01  # aborted clients or connects above 1% of all connections are a warning
NEAR_MAX = 0.85  # Max_used_connections at 85% of max_connections is near it
# the aborted counters: their rule, the variable they point to, and what they usually mean
ABORTED = {
    "Aborted_clients": (
        "aborted-clients", "wait_timeout",
        "connections that ended without a clean close, because the client died or was killed, "
        "an idle connection passed wait_timeout, or a statement's data did not arrive within "
        "net_read_timeout; the error log's 'Aborted connection' lines say which"),
    "Aborted_connects": (
        "aborted-connects", "connect_timeout",
        "connection attempts that failed, usually a wrong password or account, a missing "
        "privilege on the database asked for, or a handshake longer than connect_timeout"),
}
# what each Connection_errors_* counter counts, and the variable it points to
CONNECTION_ERRORS = {
    "Connection_errors_max_connections": ("clients refused because max_connections were open",
                                          "max_connections"),
    "Connection_errors_accept": ("failed accept() calls on the listening port", None),
    "Connection_errors_internal": ("connections refused for an internal error (memory, "
                                   "threads)", None),
    "Connection_errors_peer_address": ("failures to read a client's address", None),
    "Connection_errors_select": ("failed select()/poll() calls on the listening port", None),
    "Connection_errors_tcpwrap": ("clients refused by libwrap", None),
}


def number(values: dict[str, str], name: str) -> int | None:
    """A counter or variable as an integer (case-insensitive name), None when absent or not a
    number."""
    raw = values.get(name)
    if raw is None:
        lowered = {k.lower(): v for k, v in values.items()}
        raw = lowered.get(name.lower())
    try:
        return int(str(raw).strip()) if raw is not None else None
    except ValueError:
        return None


def _finding(rules: RuleSet, rule: str, label: str, variable: str | None, message: str,
             severity: str | None = None) -> Finding:
    return finding(rules[rule], label, 0, message, variable, severity=severity)


def per_hour(count: int, uptime: int | None) -> str:
    """`12.0 per hour of uptime`; nothing to say without an uptime."""
    if not uptime:
        return "no uptime to rate it by"
    return f"{count * 3600 / uptime:.1f} per hour of {human_duration(uptime)} uptime"


def _share(count: int, connections: int | None) -> tuple[float | None, str]:
    if not connections:
        return None, ""
    share = count / connections
    return share, f", {share:.1%} of {connections} connections"


def judge(status: dict[str, str], variables: dict[str, str], rules: RuleSet,
          label: str) -> list[Finding]:
    """Findings from the status counters (and max_connections), pointing at the server."""
    out: list[Finding] = []
    uptime = number(status, "Uptime")
    connections = number(status, "Connections")
    if uptime is not None and uptime < RECENT_UPTIME:
        out.append(_finding(
            rules, "recent-restart", label, None,
            f"the server started {human_duration(uptime)} ago (Uptime {uptime}): a restart "
            "drops every connection, and clients see 'MySQL server has gone away' (2006) at "
            "their next query; unless it was planned, look at the error log for a crash"))
    for counter, (rule, points_to, meaning) in ABORTED.items():
        aborted = number(status, counter) or 0
        if not aborted:
            continue
        share, of = _share(aborted, connections)
        severity = "info" if share is not None and share < NOTABLE_SHARE else None
        out.append(_finding(rules, rule, label, points_to,
                            f"{counter} is {aborted} ({per_hour(aborted, uptime)}{of}): "
                            f"{meaning}", severity))
    out.extend(_connections(status, variables, rules, label))
    for counter, (meaning, variable) in CONNECTION_ERRORS.items():
        count = number(status, counter)
        if count:
            out.append(_finding(rules, "connection-errors", label, variable,
                                f"{counter} is {count} ({per_hour(count, uptime)}): {meaning}"))
    return out


def _connections(status: dict[str, str], variables: dict[str, str], rules: RuleSet,
                 label: str) -> list[Finding]:
    used = number(status, "Max_used_connections")
    limit = number(variables, "max_connections")
    if used is None or not limit or used < NEAR_MAX * limit:
        return []
    when = status.get("Max_used_connections_time")
    since = f" (at {when})" if when else ""
    reached = used >= limit
    return [_finding(
        rules, "connections-near-max", label, "max_connections",
        f"Max_used_connections is {used}{since}, "
        + ("the whole of" if reached else f"{used / limit:.0%} of")
        + f" max_connections {limit}: "
        + ("clients were refused with 'Too many connections' (1040)" if reached else
           "the next burst of connections gets 'Too many connections' (1040)"),
        "error" if reached else None)]
