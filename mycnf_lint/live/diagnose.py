"""`doctor`: the whole diagnosis of one server, live or from saved dumps, and its output.

One call does it all, in the article's order: read the server's variables and status (from a
connection, or from SHOW VARIABLES / SHOW STATUS dumps with no connection), tell the flavor
from its version, judge the variables with the rules and profile `check` uses, add what only a
running server shows, count the error log's lines, and compare the option files with the live
values. The result is rendered in the formats `check` has; JSON adds the server and the drift.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mycnf_lint.findings import Finding, exit_code, sort_findings
from mycnf_lint.lint.ruleset import RuleSet
from mycnf_lint.live import drift as drift_mod
from mycnf_lint.live import dumps, errorlog
from mycnf_lint.live import status as status_mod
from mycnf_lint.live import variables as variables_mod
from mycnf_lint.live.connect import ConnectError, Target, resolve, snapshot

if TYPE_CHECKING:
    from typing import Any

# hosts whose error log may be on this machine
_LOCAL_HOSTS = (None, "", "localhost", "127.0.0.1", "::1")


class DoctorError(Exception):
    """Bad input: a dump, an option file, a profile, a flavor or a rules file (one line)."""


@dataclass
class DoctorOptions:
    """What a doctor run is asked to do (already merged from the command line)."""

    paths: list[str] = field(default_factory=list)  # option files to compare with the server
    target: Target = field(default_factory=Target)
    defaults_file: str | None = None  # the client's option file for the credentials
    ask_password: bool = False  # a bare -p: prompt on the terminal
    flavor: str | None = None  # None: from the server's version
    profile: str | None = None
    profile_table: dict[str, Any] | None = None
    rules_files: list[str] = field(default_factory=list)
    error_log: str | None = None
    variables_file: str | None = None  # saved SHOW GLOBAL VARIABLES: no connection
    status_file: str | None = None  # saved SHOW GLOBAL STATUS: no connection

    @property
    def offline(self) -> bool:
        return bool(self.variables_file or self.status_file)


@dataclass
class Diagnosis:
    """What doctor found: the server, the findings (live, log, drift) and the drift itself."""

    server: dict[str, Any]
    findings: list[Finding]
    drift: list[drift_mod.Drift]
    rules: RuleSet

    @property
    def exit_code(self) -> int:
        return exit_code(self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"server": self.server, "findings": [f.to_json() for f in self.findings],
                "drift": [d.to_json() for d in self.drift]}


def _read_dumps(opts: DoctorOptions) -> tuple[dict[str, str], dict[str, str], str]:
    found: list[dict[str, str]] = []
    for path in (opts.variables_file, opts.status_file):
        try:
            found.append(dumps.read(path) if path else {})
        except dumps.DumpError as exc:
            raise DoctorError(str(exc)) from None
    label = str(opts.variables_file or opts.status_file)
    return {k.lower(): v for k, v in found[0].items()}, found[1], label


def _flavor(opts: DoctorOptions, variables: dict[str, str]) -> str:
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, FLAVORS

    if opts.flavor:
        if opts.flavor not in FLAVORS:
            raise DoctorError(f"unknown flavor {opts.flavor!r}: choose one of "
                              f"{', '.join(FLAVORS)}")
        return opts.flavor
    detected = variables_mod.detect_flavor(variables.get("version", ""),
                                           variables.get("version_comment", ""))
    return detected or DEFAULT_FLAVOR


def _log_path(opts: DoctorOptions, target: Target, variables: dict[str, str]
              ) -> tuple[str | None, str | None]:
    """The error log to read and, when there is none to read, why."""
    if opts.error_log:
        return opts.error_log, None
    if opts.offline:
        return None, None  # a dump's log_error names a file on the machine it came from
    if not target.uses_socket and target.host not in _LOCAL_HOSTS:
        return None, f"the server runs on {target.host}, its log_error is there"
    name = variables.get("log_error", "").strip()
    if name in ("", "stderr"):
        return None, "the server writes its log to stderr (the service manager's journal)"
    if not os.path.isabs(name):
        name = os.path.normpath(os.path.join(variables.get("datadir", ""), name))
    return name, None


def _error_log(opts: DoctorOptions, target: Target, variables: dict[str, str], rules: RuleSet,
               label: str) -> list[Finding]:
    path, why = _log_path(opts, target, variables)
    if path is None:
        return [errorlog.unreadable(None, why, rules, label)] if why else []
    try:
        scanned = errorlog.scan(path)
    except OSError as exc:
        if opts.error_log:
            raise DoctorError(f"{path}: cannot read: {exc.strerror or exc}") from None
        return [errorlog.unreadable(path, str(exc.strerror or exc), rules, label)]
    return errorlog.findings(scanned, rules)


def _server(variables: dict[str, str], status: dict[str, str], flavor: str) -> dict[str, Any]:
    return {"version": variables.get("version"), "flavor": flavor,
            "uptime": status_mod.number(status, "Uptime")}


def diagnose(opts: DoctorOptions) -> Diagnosis:
    """The whole diagnosis; ConnectError when the server cannot be reached or refuses,
    DoctorError for bad input."""
    from mycnf_lint.lint.ruleset import RuleError
    from mycnf_lint.lint.ruleset import load as load_rules
    from mycnf_lint.profiles import ProfileError, resolve_profile
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR
    from mycnf_lint.reader.includes import ReadError

    try:
        rules = load_rules(opts.rules_files)
        profile = resolve_profile(opts.profile, opts.profile_table)
    except (RuleError, ProfileError) as exc:
        raise DoctorError(str(exc)) from None
    target = opts.target
    if opts.offline:
        variables, status, label = _read_dumps(opts)
    else:
        if opts.ask_password:
            import getpass

            target = replace(target, password=getpass.getpass("Enter password: "))
        target = resolve(target, opts.defaults_file, opts.flavor or DEFAULT_FLAVOR)
        snap = snapshot(target)
        variables, status, label = snap.variables, snap.status, snap.label
    flavor = _flavor(opts, variables)
    found: list[Finding] = []
    if variables:
        found += variables_mod.judge(variables, flavor, rules, profile, label)
    if status:
        found += status_mod.judge(status, variables, rules, label)
    found += _error_log(opts, target, variables, rules, label)
    drifts: list[drift_mod.Drift] = []
    if opts.paths and variables:
        try:
            settings, _files = drift_mod.file_settings(opts.paths, flavor)
        except ReadError as exc:
            raise DoctorError(str(exc)) from None
        drifts = drift_mod.compare(settings, variables, flavor)
        found += drift_mod.findings(drifts, settings, rules, label)
    return Diagnosis(_server(variables, status, flavor), sort_findings(found), drifts, rules)


def render(result: Diagnosis, fmt: str, stream_is_tty: bool = False) -> str:
    """The diagnosis in `fmt`: json is doctor's own document, the others are check's formats
    (text with a first line about the server)."""
    from mycnf_lint.report.formats import render as render_findings

    if fmt == "json":
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
    body = render_findings(result.findings, fmt, result.rules, stream_is_tty)
    if fmt != "text":
        return body
    s = result.server
    uptime = s.get("uptime")
    up = ""
    if uptime is not None:
        from mycnf_lint.profiles import human_duration

        up = f", up {human_duration(uptime)}"
    head = f"# server {s.get('version') or 'version unknown'} ({s['flavor']}){up}\n"
    return head + body


__all__ = ["ConnectError", "DoctorError", "DoctorOptions", "Diagnosis", "diagnose", "render"]
