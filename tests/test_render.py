"""`render`: the article's configuration for every flavor, changed under a profile exactly where
`check --fix --unsafe-fixes` changes the article's file, each change naming its rule; mariadbd
and the MariaDB clients read the values back, a booted server reports them; `--set` overrides
are validated, say so and can never add a line; `-o` writes atomically."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mycnf_lint import __version__
from mycnf_lint import render as render_mod
from mycnf_lint.lint.pipeline import Options, check
from mycnf_lint.lint.ruleset import load as load_rules
from mycnf_lint.profiles import builtin_names
from mycnf_lint.reader.catalogue import FLAVORS, OptionSet, normalize
from mycnf_lint.reader.catalogue import load as load_catalogue
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.reader.model import build
from mycnf_lint.render import render
from tests.mariadb import help_verbose, requires_clients, requires_mariadbd, requires_server
from tests.mariadb import normalize as server_form

from .cli_runner import invoke

MARIADB = "mariadb-10.11"
NOISE = ("Could not increase number of max_open_files", "Could not open mysql.plugin table")
# The article's "Complete Configuration Example": its thirteen values as the server holds them,
# in the article's order, and its five sections.
ARTICLE: dict[str, Any] = {
    "max_connections": 500,
    "wait_timeout": 28800,
    "interactive_timeout": 28800,
    "max_allowed_packet": 64 * 1024 * 1024,
    "net_buffer_length": 32 * 1024,
    "net_read_timeout": 60,
    "net_write_timeout": 120,
    "connect_timeout": 10,
    "skip_name_resolve": True,
    "log_error": "/var/log/mysql/error.log",
    "slow_query_log": True,
    "slow_query_log_file": "/var/log/mysql/slow.log",
    "long_query_time": 2.0,
}
SECTIONS = ("connection settings", "packet and buffer sizes", "network timeouts",
            "keep connections alive", "logging for troubleshooting")
CLIENTS = ("mysqldump", "mysql")
# the article's file as the article writes it, with the client groups' packet limits
ARTICLE_FILE = """[mysqld]
max_connections = 500
wait_timeout = 28800
interactive_timeout = 28800
max_allowed_packet = 64M
net_buffer_length = 32K
net_read_timeout = 60
net_write_timeout = 120
connect_timeout = 10
skip-name-resolve = 1
log_error = /var/log/mysql/error.log
slow_query_log = 1
slow_query_log_file = /var/log/mysql/slow.log
long_query_time = 2

[mysqldump]
max_allowed_packet = 64M

[mysql]
max_allowed_packet = 64M
"""
QUERIED = ("max_connections", "wait_timeout", "interactive_timeout", "max_allowed_packet",
           "net_buffer_length", "net_read_timeout", "net_write_timeout", "connect_timeout",
           "skip_name_resolve", "slow_query_log", "long_query_time")
_RULE_COMMENT = re.compile(r"^# (MCL\d{3}) ([a-z0-9-]+): ")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder so no configuration file is found by accident."""
    monkeypatch.chdir(tmp_path)


def cli(*args: str) -> tuple[int, str, str]:
    result = invoke(["render", *args])
    return result.exit_code, result.stdout, result.stderr


def rendered(tmp_path: Path, profile: str | None, flavor: str, *sets: str) -> Path:
    path = tmp_path / f"{profile or 'none'}-{flavor}.cnf"
    path.write_text(render(profile, flavor, list(sets)).text, encoding="utf-8")
    return path


def values(path: Path, flavor: str) -> dict[str, Any]:
    """What the project's reader says the server and the two clients take from a file."""
    read = read_tree(str(path))
    cat = load_catalogue(flavor)
    server = build(read, cat)
    out = {n: server.value(n) for n in ARTICLE}
    for program in CLIENTS:
        out[f"{program}.max_allowed_packet"] = build(read, cat, program).value("max_allowed_packet")
    return out


def option_lines(text: str) -> list[tuple[int, str, str]]:
    """(index, group, name) of every option line."""
    group, out = "", []
    for i, line in enumerate(text.splitlines()):
        if line.startswith("["):
            group = line.strip("[]")
        elif line and not line.startswith("#"):
            out.append((i, group, normalize(line.split("=")[0])))
    return out


def assert_refused(tmp_path: Path, *args: str, says: str) -> None:
    """Exit 2, one `mycnf-lint: ...` line naming the problem, and no -o file."""
    target = tmp_path / "out.cnf"
    code, out, err = cli("--profile", "pooled", "--flavor", MARIADB, "-o", str(target), *args)
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mycnf-lint: ") and says in lines[0], err
    assert not target.exists()
    assert os.listdir(tmp_path) == []


# --- no profile: the article ----------------------------------------------------------------


@pytest.mark.parametrize("flavor", FLAVORS)
def test_without_a_profile_every_flavor_gets_the_articles_thirteen_values(
        flavor: str, tmp_path: Path) -> None:
    result = render(None, flavor)
    assert result.warnings == [] and result.changes == {}
    path = rendered(tmp_path, None, flavor)
    expected = ARTICLE | {f"{p}.max_allowed_packet": 64 * 1024 * 1024 for p in CLIENTS}
    assert values(path, flavor) == expected
    assert not any(_RULE_COMMENT.match(line) for line in result.text.splitlines())


@pytest.mark.parametrize("flavor", FLAVORS)
def test_the_articles_settings_sections_and_order(flavor: str) -> None:
    text = render(None, flavor).text
    lines = option_lines(text)
    assert [n for _, g, n in lines if g == "mysqld"] == list(ARTICLE)
    assert [(g, n) for _, g, n in lines if g != "mysqld"] == [
        (p, "max_allowed_packet") for p in CLIENTS]
    headings = [line.strip("# -").lower() for line in text.splitlines()
                if line.startswith("# --- ")]
    assert headings == list(SECTIONS)


def test_every_setting_carries_a_comment_saying_why() -> None:
    for profile in [None, *builtin_names()]:
        lines = render(profile, MARIADB).text.splitlines()
        for i, _, name in option_lines("\n".join(lines)):
            assert lines[i - 1].startswith("# "), f"{profile}: {name} has no comment above it"


def test_header_names_profile_flavor_and_version() -> None:
    head = render("batch", MARIADB).text.split("\n\n")[0].splitlines()
    assert any(f"mycnf-lint {__version__}" in line for line in head)
    assert any(line.startswith("# profile: batch") for line in head)
    assert any(MARIADB in line for line in head)
    assert "# profile: none given" in render(None, MARIADB).text


def test_render_without_any_profile_renders_the_article() -> None:
    code, out, err = cli("--flavor", MARIADB)
    assert (code, err) == (0, "")
    assert out == render(None, MARIADB).text


# --- a profile: the article plus what check --fix changes -----------------------------------


def _fixed_by_check(tmp_path: Path, profile: str, flavor: str) -> Path:
    path = tmp_path / "article.cnf"
    path.write_text(ARTICLE_FILE)
    result = invoke(["check", "-q", "--exit-zero", "--flavor", flavor, "--profile", profile,
                     "--fix", "--unsafe-fixes", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _revert(text: str, index: int, value: str) -> str:
    lines = text.split("\n")
    name = lines[index].split("=")[0]
    lines[index] = f"{name}= {value}"
    return "\n".join(lines)


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("profile", builtin_names())
def test_profile_changes_exactly_what_check_fix_changes_in_the_article(
        profile: str, flavor: str, tmp_path: Path) -> None:
    path = rendered(tmp_path, profile, flavor)
    fixed = values(_fixed_by_check(tmp_path, profile, flavor), flavor)
    assert values(path, flavor) == fixed
    # and the output is lint-clean under the profile
    findings = check([str(path)], Options(flavor=flavor, profile=profile))
    assert [(f.rule, f.line, f.message) for f in findings] == []


@pytest.mark.parametrize("profile", builtin_names())
def test_each_changed_value_names_the_rule_that_flags_the_articles(profile: str,
                                                                   tmp_path: Path) -> None:
    text = render(profile, MARIADB).text
    article_text = render(None, MARIADB).text
    article_value = {(g, n): article_text.splitlines()[i].split("=", 1)[1].strip()
                     for i, g, n in option_lines(article_text)}
    rules = load_rules()
    lines = text.splitlines()
    changed = 0
    for i, group, name in option_lines(text):
        value = lines[i].split("=", 1)[1].strip()
        m = next((m for j in range(i - 1, 0, -1) if not lines[j].startswith("#   ")
                  for m in [_RULE_COMMENT.match(lines[j])]), None)
        if value == article_value[(group, name)]:
            assert m is None, f"{profile}: {name} is the article's but names a rule"
            continue
        changed += 1
        assert m is not None, f"{profile}: [{group}] {name} = {value} names no rule"
        rule = rules.get(m.group(1))
        assert rule is not None and rule.name == m.group(2)
        # the rule flags the article's value here: put it back and the rule fires on that line
        back = tmp_path / "back.cnf"
        back.write_text(_revert(text, i, article_value[(group, name)]))
        fired = [(f.rule, f.line) for f in check([str(back)], Options(flavor=MARIADB,
                                                                      profile=profile))]
        assert (rule.id, i + 1) in fired, (name, fired)
    expected = {"default": 0, "interactive": 0, "pooled": 0, "per-request": 2, "batch": 5}
    assert changed == expected[profile]


def test_the_rules_decide_the_values_for_the_profile() -> None:
    batch = render("batch", MARIADB).values
    assert (batch["net_read_timeout"], batch["net_write_timeout"]) == (7200, 7200)
    assert batch["max_allowed_packet"] == 256 * 1024 * 1024
    per_request = render("per-request", MARIADB).values
    assert (per_request["wait_timeout"], per_request["max_connections"]) == (600, 630)
    assert render("pooled", MARIADB).values == ARTICLE
    assert render("interactive", MARIADB).values == ARTICLE


def test_client_packet_limits_follow_the_server_and_client_group_is_left_alone() -> None:
    text = render("batch", MARIADB).text
    assert "[client]" not in text
    dump = text[text.index("[mysqldump]"):text.index("[mysql]\n")]
    assert "max_allowed_packet  = 256M" in dump
    assert "# MCL202 client-packet-below-server: " in dump
    assert text.count("max_allowed_packet  = 256M") == 3


def test_a_setting_the_flavor_does_not_have_is_left_out_with_a_comment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = load_catalogue(MARIADB)
    raw = {n: e for n, e in real.server.options.raw_items() if n != "net_buffer_length"}
    monkeypatch.setattr(render_mod, "load", lambda flavor: replace(real, server=OptionSet(raw)))
    text = render(None, MARIADB).text
    assert "net_buffer_length" not in [n for _, _, n in option_lines(text)]
    assert f"# net_buffer_length is left out: {MARIADB} does not have it\n" in text


def test_render_and_check_agree_on_the_configurations_rules_selection(tmp_path: Path) -> None:
    (tmp_path / ".mycnf-lint.toml").write_text(
        'flavor = "mariadb-10.11"\nprofile = "per-request"\nignore = ["MCL104"]\n')
    code, out, err = cli()
    assert (code, err) == (0, "")
    assert "\nwait_timeout        = 28800\n" in out
    assert "\nmax_connections     = 630\n" in out


def test_render_takes_profile_and_flavor_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".mycnf-lint.toml").write_text(
        'flavor = "mariadb-10.11"\n[profile]\nextends = "batch"\nlargest_packet = "512M"\n')
    code, out, err = cli()
    assert code == 0, err
    assert "max_allowed_packet  = 512M" in out and "mariadb-10.11" in out


def test_profile_file_renders_clean(tmp_path: Path) -> None:
    prof = tmp_path / "app.toml"
    prof.write_text('[profile]\nname = "app"\nextends = "pooled"\nidle_disconnect = "40m"\n')
    path = tmp_path / "my.cnf"
    assert cli("--profile", str(prof), "--flavor", MARIADB, "-o", str(path))[0] == 0
    assert check([str(path)], Options(flavor=MARIADB, profile=str(prof))) == []
    text = path.read_text()
    assert "# MCL103 wait-timeout-above-idle-disconnect: " in text
    assert "\nwait_timeout        = 2160\n" in text


def test_profile_the_server_cannot_satisfy_is_rendered_with_a_warning(tmp_path: Path) -> None:
    prof = tmp_path / "app.toml"
    prof.write_text('[profile]\nextends = "pooled"\nidle_disconnect = "20m"\n')
    code, out, err = cli("--profile", str(prof), "--flavor", MARIADB)
    assert code == 0 and "[mysqld]" in out
    assert "MCL102 pool-recycle-above-idle-disconnect" in err


# --- a real server and real clients ---------------------------------------------------------


@requires_mariadbd
@pytest.mark.parametrize("flavor", FLAVORS)
def test_mariadbd_reads_the_articles_values_back_without_a_warning(flavor: str,
                                                                   tmp_path: Path) -> None:
    result = help_verbose(rendered(tmp_path, None, flavor))
    assert result.returncode == 0, result.messages
    assert [m for m in result.messages if not any(n in m for n in NOISE)] == []
    got = {n: server_form(result.values.get(n)) for n in ARTICLE}
    assert got == {n: server_form(v) for n, v in ARTICLE.items()}


@requires_mariadbd
@pytest.mark.parametrize("profile", builtin_names())
def test_mariadbd_reads_every_profiles_file_without_a_warning(profile: str,
                                                              tmp_path: Path) -> None:
    path = rendered(tmp_path, profile, MARIADB)
    result = help_verbose(path)
    assert result.returncode == 0, result.messages
    assert [m for m in result.messages if not any(n in m for n in NOISE)] == []
    mine = values(path, MARIADB)
    assert {n: server_form(result.values.get(n)) for n in ARTICLE} == {
        n: server_form(mine[n]) for n in ARTICLE}


@requires_clients
@pytest.mark.parametrize("profile", [None, "batch"])
def test_the_clients_read_their_packet_limits(profile: str | None, tmp_path: Path) -> None:
    path = rendered(tmp_path, profile, MARIADB)
    expected = values(path, MARIADB)
    for program, exe in (("mysqldump", "mariadb-dump"), ("mysql", "mariadb")):
        found = shutil.which(exe)
        assert found
        out = subprocess.run([found, f"--defaults-file={path}", "--help"], capture_output=True,
                             text=True, timeout=60).stdout
        m = re.search(r"^max-allowed-packet\s+(\d+)$", out, re.M)
        assert m and int(m.group(1)) == expected[f"{program}.max_allowed_packet"], program


@requires_server
@pytest.mark.parametrize("profile", builtin_names())
def test_booted_server_reports_the_rendered_values(profile: str, tmp_path: Path) -> None:
    from tests.server_boot import boot_server

    path = rendered(tmp_path, profile, MARIADB)
    expected = values(path, MARIADB)
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    with boot_server(path, server_dir) as connect:
        conn = connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT " + ", ".join(f"@@{n}" for n in QUERIED))
                row = cur.fetchone()
        finally:
            conn.close()
    assert {n: server_form(v) for n, v in zip(QUERIED, row, strict=True)} == {
        n: server_form(expected[n]) for n in QUERIED}


# --- --set ----------------------------------------------------------------------------------


def test_set_overrides_a_value_and_says_so() -> None:
    code, out, err = cli("--profile", "pooled", "--flavor", MARIADB, "--set", "wait_timeout=4000",
                         "--set", "long-query-time=0.5")
    assert (code, err) == (0, "")
    assert ("\n# set with --set (the article has 28800)\n"
            "wait_timeout        = 4000\n") in out
    assert ("\n# set with --set (the article has 2)\n"
            "long_query_time     = 0.5\n") in out


def test_set_of_a_variable_outside_the_template_adds_its_setting(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    code, _, err = cli("--profile", "pooled", "--flavor", MARIADB, "-o", str(path),
                       "--set", "innodb_buffer_pool_size=1G")
    assert (code, err) == (0, "")
    text = path.read_text()
    assert ("\n# set with --set (the article does not set it)\n"
            "innodb_buffer_pool_size = 1G\n") in text
    assert text.index("innodb_buffer_pool_size") < text.index("[mysqldump]")
    assert check([str(path)], Options(flavor=MARIADB, profile="pooled")) == []


def test_set_that_breaks_a_rule_is_written_with_a_warning() -> None:
    code, out, err = cli("--profile", "pooled", "--flavor", MARIADB, "--set", "wait_timeout=600")
    assert code == 0
    assert "wait_timeout        = 600\n" in out
    assert err.startswith("mycnf-lint: warning: line ")
    assert "MCL101 wait-timeout-below-pool-recycle: wait_timeout is 600" in err


def test_set_of_net_read_timeout_carries_net_write_timeout_along() -> None:
    result = render("pooled", MARIADB, ["net_read_timeout=900"])
    assert result.values["net_write_timeout"] == 900
    assert "# MCL108 net-write-below-net-read: " in result.text


def test_set_unknown_variable_suggests_the_name(tmp_path: Path) -> None:
    assert_refused(tmp_path, "--set", "wait_timout=600", says="did you mean wait_timeout?")


@pytest.mark.parametrize("item,says", [
    ("wait_timeout=0", "outside the range"),
    ("max_allowed_packet=2G", "outside the range"),
    ("max_allowed_packet=1000000", "the server would use 999424"),
    ("wait_timeout=10m", "timeouts are plain seconds"),
    ("wait_timeout=abc", "unknown suffix"),
    ("skip_name_resolve=maybe", "not recognised"),
    ("wait_timeout=", "give a value"),
    ("wait_timeout", "expected VAR=VALUE"),
])
def test_set_invalid_or_clamped_value_is_refused(item: str, says: str, tmp_path: Path) -> None:
    assert_refused(tmp_path, "--set", item, says=says)


@pytest.mark.parametrize("item", [
    "log_error=/tmp/e.log\n[client]\nuser=root",
    "log_error=/tmp/e.log\rsocket=/tmp/x",
    "log_error=/tmp/[mysqld]",
    "log_error=/tmp/e.log # comment",
    "log_error=!include /etc/passwd",
    "log_error= !includedir /etc",
])
def test_set_value_can_never_add_a_line(item: str, tmp_path: Path) -> None:
    assert_refused(tmp_path, "--set", item, says="--set log_error")


def test_set_twice_is_refused(tmp_path: Path) -> None:
    assert_refused(tmp_path, "--set", "wait_timeout=4000", "--set", "wait-timeout=5000",
                   says="given twice")


def test_refused_render_leaves_an_existing_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "my.cnf"
    target.write_text("[mysqld]\n")
    code, _, _ = cli("--profile", "pooled", "-o", str(target), "--set", "nope=1")
    assert code == 2
    assert target.read_text() == "[mysqld]\n"
    assert os.listdir(tmp_path) == ["my.cnf"]


@pytest.mark.parametrize("args,says", [
    (("--profile", "poold"), "unknown profile 'poold'"),
    (("--profile", "pooled", "--flavor", "mysql-9"), "'mysql-9' is not one of"),
])
def test_unknown_profile_or_flavor_is_an_error(args: tuple[str, ...], says: str) -> None:
    code, out, err = cli(*args)
    assert (code, out) == (2, "")
    assert err.startswith("mycnf-lint: ") and says in err


# --- output ---------------------------------------------------------------------------------


def test_output_file_is_written_atomically_without_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "my.cnf"
    target.write_text("old\n")
    target.chmod(0o640)
    code, out, _ = cli("--profile", "batch", "--flavor", MARIADB, "-o", str(target))
    assert (code, out) == (0, "")
    assert os.listdir(tmp_path) == ["my.cnf"]
    assert target.read_text() == render("batch", MARIADB).text
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_output_file_is_not_world_writable(tmp_path: Path) -> None:
    target = tmp_path / "new.cnf"
    assert cli("--profile", "batch", "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) & 0o002 == 0


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    """-o is written by check --fix's writer: through a symlink (also a dangling one), the
    link kept, the target's mode kept less world-write, nothing left beside it."""
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "my.cnf"
    target.write_text("old\n")
    target.chmod(0o666)
    link = tmp_path / "my.cnf"
    link.symlink_to(target)
    assert cli("--profile", "batch", "--flavor", MARIADB, "-o", str(link))[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == render("batch", MARIADB).text
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    assert os.listdir(tmp_path / "real") == ["my.cnf"]
    dangling = tmp_path / "new.cnf"
    dangling.symlink_to(tmp_path / "real" / "new.cnf")
    assert cli("--profile", "batch", "--flavor", MARIADB, "-o", str(dangling))[0] == 0
    assert dangling.is_symlink()
    assert (tmp_path / "real" / "new.cnf").read_text() == render("batch", MARIADB).text
    assert stat.S_IMODE((tmp_path / "real" / "new.cnf").stat().st_mode) == 0o644


def test_output_into_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    code, _, err = cli("--profile", "batch", "-o", str(tmp_path / "nope" / "my.cnf"))
    assert code == 2 and err.startswith("mycnf-lint: ")


def test_values_are_written_as_given_not_html_escaped() -> None:
    text = render("pooled", MARIADB, ["log_error=/tmp/a&b<c>.log"]).text
    assert "\nlog_error           = /tmp/a&b<c>.log\n" in text
