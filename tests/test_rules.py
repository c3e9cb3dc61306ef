"""Every rule fires on its fixture and stays quiet on its neighbour, and on its boundary for
every built-in profile."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from mycnf_lint import profiles
from mycnf_lint.lint import ruleset
from mycnf_lint.lint.pipeline import Options, check

ROOT = Path(__file__).resolve().parent.parent
RULE_FIXTURES = ROOT / "fixtures" / "rules"
FLAVOR = "mariadb-10.11"
# rules whose fixtures cannot be plain files in git, and where they are tested instead
ELSEWHERE = {
    "world-writable": "tests/test_differential.py (file mode is set at run time)",
    "useless-suppression": "tests/test_suppress.py",
    "unknown-suppression": "tests/test_suppress.py",
}
# doctor's rules (rules/live.toml) judge a running server, its status and its error log: they
# fire and stay quiet in tests/test_live.py and tests/test_live_server.py
LIVE_RULES = "live.toml"
_PROFILE = re.compile(r"^#\s*profile:\s*(\S+)", re.M)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # fixtures include each other by paths relative to the checkout


def lint_fixture(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", "replace")
    m = _PROFILE.search(text)
    opts = Options(flavor=FLAVOR, profile=m.group(1) if m else None)
    return [f.name for f in check([os.path.relpath(path, ROOT)], opts)]


def _fixtures(kind: str) -> list[Path]:
    return sorted(p for p in RULE_FIXTURES.glob(f"*/{kind}*") if p.suffix in (".cnf", ".ini"))


def test_every_rule_has_a_firing_and_a_quiet_fixture() -> None:
    missing = []
    for rule in ruleset.load().rules:
        if rule.name in ELSEWHERE or Path(rule.source).name == LIVE_RULES:
            continue
        folder = RULE_FIXTURES / rule.name
        if not list(folder.glob("fire*")) or not list(folder.glob("quiet*")):
            missing.append(f"{rule.id} {rule.name}")
    assert missing == []


def test_rule_ids_and_names_are_unique_and_well_formed() -> None:
    rules = ruleset.load().rules
    assert len({r.id for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert re.fullmatch(r"MCL\d{3}", r.id), r.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert r.fixable in (None, "safe", "unsafe"), r.id


@pytest.mark.parametrize("path", _fixtures("fire"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_fires_on_its_fixture(path: Path) -> None:
    assert path.parent.name in lint_fixture(path)


@pytest.mark.parametrize("path", _fixtures("quiet"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_stays_quiet_on_its_fixture(path: Path) -> None:
    assert path.parent.name not in lint_fixture(path)


# --- boundaries of the condition rules, for every built-in profile ---------------------------
_SIMPLE = re.compile(r"^(\w+) (<=|<|>=|>) (profile\.(\w+)|\d+)$")


def _boundary_cases() -> list[tuple[str, str, int, bool]]:
    """(rule name, profile, value, fires) on both sides of each simple condition."""
    cases = []
    for rule in ruleset.load().rules:
        m = _SIMPLE.match(rule.data.get("when", ""))
        if not m:
            continue
        var, op, rhs, key = m.groups()
        for name in profiles.builtin_names():
            prof = profiles.builtin(name)
            limit = prof.get(key) if key else int(rhs)
            if limit is None:
                cases.append((rule.name, name, 1, False))  # the profile does not declare it
                continue
            inside = {"<=": limit, "<": limit - 1, ">=": limit, ">": limit + 1}[op]
            outside = {"<=": limit + 1, "<": limit, ">=": limit - 1, ">": limit}[op]
            cases += [(rule.name, name, inside, True), (rule.name, name, outside, False)]
    return cases


def _variable(rule_name: str) -> str:
    rule = ruleset.load().get(rule_name)
    assert rule is not None
    return str(rule.data["variables"][0])


@pytest.mark.parametrize("rule_name,profile,value,fires", _boundary_cases(),
                         ids=lambda v: str(v))
def test_condition_rule_boundary_for_every_profile(rule_name: str, profile: str, value: int,
                                                   fires: bool, tmp_path: Path) -> None:
    var = _variable(rule_name)
    path = tmp_path / "my.cnf"
    # keep the neighbours of the variable out of the way of the rule under test
    extra = {"net_write_timeout": "net_read_timeout = 1\n",
             "net_buffer_length": "max_allowed_packet = 1G\n"}.get(var, "")
    if var == "max_allowed_packet":
        extra = "net_buffer_length = 1024\n"
    path.write_text(f"[mysqld]\nlog_error = /tmp/e.log\n{extra}{var} = {value}\n")
    names = [f.name for f in check([str(path)], Options(flavor=FLAVOR, profile=profile))]
    assert (rule_name in names) is fires


def test_complete_example_is_clean_under_pooled() -> None:
    findings = check(["fixtures/complete-example.cnf"], Options(flavor=FLAVOR, profile="pooled"))
    assert [(f.rule, f.message) for f in findings] == []


def test_batch_example_is_clean_under_batch() -> None:
    findings = check(["fixtures/batch-example.cnf"], Options(flavor=FLAVOR, profile="batch"))
    assert [(f.rule, f.message) for f in findings] == []


def test_messages_name_value_source_profile_value_and_what_to_set() -> None:
    findings = check(["fixtures/rules/wait-timeout-below-pool-recycle/fire-equal.cnf"],
                     Options(flavor=FLAVOR, profile="pooled"))
    (f,) = [f for f in findings if f.name == "wait-timeout-below-pool-recycle"]
    assert "1800" in f.message and "fire-equal.cnf:5" in f.message
    assert "30m" in f.message and "gone away" in f.message
    assert "set wait_timeout = 3600" in f.message


def test_a_users_rules_file_adds_condition_rules(tmp_path: Path) -> None:
    rules = tmp_path / "house.toml"
    rules.write_text('''[[rule]]
id = "MCL901"
name = "house-max-connections"
title = "max_connections above the house limit"
severity = "warning"
variables = ["max_connections"]
when = "max_connections > 1000"
recommend = "1000"
message = "max_connections is {max_connections} ({source}); the house limit is {recommended}"
rationale = "Our proxies hold at most 1000 connections per server."
fix = "Lower max_connections."
''')
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[mysqld]\nlog_error = /tmp/e.log\nmax_connections = 2000\n")
    findings = check([str(cnf)], Options(flavor=FLAVOR, rules_files=[str(rules)]))
    (f,) = [f for f in findings if f.rule == "MCL901"]
    assert f.line == 3 and "2000" in f.message and "house limit is 1000" in f.message


@pytest.mark.parametrize("when,message", [
    ("__import__('os').system('true')", "x"),
    ("max_connections >", "x"),
    ("max_connections > 1", "{no_such_field}"),
], ids=["call", "syntax", "template"])
def test_a_broken_user_rule_is_a_clear_error_naming_it(tmp_path: Path, when: str,
                                                       message: str) -> None:
    rules = tmp_path / "broken.toml"
    rules.write_text(f'''[[rule]]
id = "MCL902"
name = "broken"
title = "t"
severity = "warning"
variables = ["max_connections"]
when = "{when.replace('"', "'")}"
message = "{message}"
rationale = "r"
fix = "f"
''')
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[mysqld]\nmax_connections = 2000\n")
    with pytest.raises(ruleset.RuleError, match=r"broken.toml: rule MCL902"):
        check([str(cnf)], Options(flavor=FLAVOR, rules_files=[str(rules)]))


HOUSE_RULE = '''[[rule]]
id = "MCL903"
name = "house-limit"
title = "max_connections above the house limit"
severity = "warning"
variables = ["max_connections"]
when = "max_connections > {limit}"
message = "the house limit is {limit}"
rationale = "r"
fix = "f"
'''


def test_rules_and_profile_files_are_read_once_a_process_and_again_once_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--fix lints up to five times and --jobs once a slice, a forked worker each: the user's
    --rules and --profile files are read once (the parent's reading serves its workers) and
    read again only when their stat (inode, mtime_ns, size) changed."""
    from mycnf_lint import tomlfile
    from mycnf_lint.fix.run import fix_in_memory

    log = tmp_path / "reads.log"
    real = tomlfile.read_bytes

    def logged(path: str) -> bytes:  # appends survive the fork of --jobs' workers
        if path.endswith(("house.toml", "prof.toml")):
            with open(log, "a") as fh:
                fh.write(os.path.basename(path) + "\n")
        return real(path)

    monkeypatch.setattr(tomlfile, "read_bytes", logged)
    house, prof = tmp_path / "house.toml", tmp_path / "prof.toml"
    house.write_text(HOUSE_RULE.format(limit=1000))
    prof.write_text('[profile]\nextends = "pooled"\nconnections = 300\n')
    for path in (house, prof):  # written 10 s ago: a file changed within 2 s is read each time
        os.utime(path, ns=(time.time_ns() - 10**10,) * 2)
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[mysqld]\ntable_cache = 256\ntable_open_cache = 512\nmax_connections = 2000"
                   "\nwait = 600\n")
    opts = Options(flavor=FLAVOR, rules_files=[str(house)], profile=str(prof))

    def reads() -> list[str]:
        return sorted(log.read_text().split()) if log.exists() else []

    outcome = fix_in_memory([str(cnf)], opts, unsafe=True)
    assert outcome.fixed >= 2  # a pass renamed table_cache, the next deleted it
    assert reads() == ["house.toml", "prof.toml"]
    many = [str(cnf)] * 100
    jobs = Options(flavor=FLAVOR, rules_files=[str(house)], profile=str(prof), jobs=2)
    assert sum(f.name == "house-limit" for f in check(many, jobs)) == 1  # same place, kept once
    assert reads() == ["house.toml", "prof.toml"]
    # edited in place, same size: a new mtime, read again; the rule says the new limit
    house.write_text(HOUSE_RULE.format(limit=1500))
    os.utime(house, ns=(time.time_ns() - 9 * 10**9,) * 2)
    (f,) = [f for f in check([str(cnf)], opts) if f.name == "house-limit"]
    assert f.message == "the house limit is 1500"
    # replaced by another file (a new inode) of the same size and mtime: read again
    new = tmp_path / "new.toml"
    new.write_text(HOUSE_RULE.format(limit=1999))
    stat = house.stat()
    os.utime(new, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    new.replace(house)
    (f,) = [f for f in check([str(cnf)], opts) if f.name == "house-limit"]
    assert f.message == "the house limit is 1999"
    assert reads() == ["house.toml", "house.toml", "house.toml", "prof.toml"]
    # changed within the last 2 s, same size and mtime (a coarse clock's one tick): not kept
    house.write_text(HOUSE_RULE.format(limit=1998))
    tick = house.stat()
    check([str(cnf)], opts)
    house.write_text(HOUSE_RULE.format(limit=1997))
    os.utime(house, ns=(tick.st_atime_ns, tick.st_mtime_ns))
    (f,) = [f for f in check([str(cnf)], opts) if f.name == "house-limit"]
    assert f.message == "the house limit is 1997"
