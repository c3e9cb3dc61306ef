"""`render`: every built-in profile and flavor renders a file that lints clean, that mariadbd
reads without a warning and boots with, `--set` overrides are validated and can never add a
line, and `-o` writes atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mycnf_lint import __version__
from mycnf_lint.lint.pipeline import Options, check
from mycnf_lint.profiles import builtin_names
from mycnf_lint.reader.catalogue import FLAVORS
from mycnf_lint.reader.catalogue import load as load_catalogue
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.reader.model import build
from mycnf_lint.render import flavor_name, render
from tests.mariadb import help_verbose, requires_mariadbd, requires_server

from .cli_runner import invoke

MARIADB = "mariadb-10.11"
NOISE = ("Could not increase number of max_open_files", "Could not open mysql.plugin table")
QUERIED = ("wait_timeout", "interactive_timeout", "max_allowed_packet", "net_read_timeout",
           "net_write_timeout", "connect_timeout", "skip_name_resolve")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder so no configuration file is found by accident."""
    monkeypatch.chdir(tmp_path)


def cli(*args: str) -> tuple[int, str, str]:
    result = invoke(["render", *args])
    return result.exit_code, result.stdout, result.stderr


def rendered(tmp_path: Path, profile: str, flavor: str, *sets: str) -> Path:
    path = tmp_path / f"{profile}-{flavor}.cnf"
    path.write_text(render(profile, flavor, list(sets)).text, encoding="utf-8")
    return path


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


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("profile", builtin_names())
def test_rendered_file_lints_clean_under_its_own_profile(profile: str, flavor: str,
                                                         tmp_path: Path) -> None:
    path = rendered(tmp_path, profile, flavor)
    findings = check([str(path)], Options(flavor=flavor, profile=profile))
    assert [(f.rule, f.name, f.line, f.message) for f in findings] == []


@pytest.mark.parametrize("flavor", FLAVORS)
def test_replica_packet_limit_uses_the_flavors_own_name(flavor: str) -> None:
    cat = load_catalogue(flavor)
    name = flavor_name(cat, "replica_max_allowed_packet")
    text = render("pooled", flavor).text
    assert name is not None and cat.server.get(name) is not None
    assert f"\n{name} " in text
    twin = "slave_" if name.startswith("replica_") else "replica_"
    assert twin + "max_allowed_packet" not in text


def test_header_names_profile_flavor_and_version() -> None:
    head = render("batch", MARIADB).text.split("\n\n")[0].splitlines()
    assert any(f"mycnf-lint {__version__}" in line for line in head)
    assert any("profile: batch" in line for line in head)
    assert any(MARIADB in line for line in head)


def test_every_server_setting_carries_a_comment_saying_why() -> None:
    lines = render("pooled", MARIADB).text.splitlines()
    for i, line in enumerate(lines):
        if line and not line.startswith(("#", "[")) and i and lines[i - 1] == "":
            pytest.fail(f"line {i + 1} ({line!r}) has no comment above it")
    assert "# above the pool's 30m recycle time, so the pool retires connections first" in lines


def test_client_packet_limits_follow_the_server_and_client_group_is_left_alone() -> None:
    text = render("batch", MARIADB).text
    assert "[client]" not in text
    dump = text[text.index("[mysqldump]"):text.index("[mysql]\n")]
    assert "\nquick\n" in dump and "max_allowed_packet  = 256M" in dump
    assert text.count("max_allowed_packet  = 256M") == 3


def test_skip_name_resolve_only_where_connections_come_from_many_hosts() -> None:
    assert "\nskip-name-resolve\n" in render("pooled", MARIADB).text
    assert "skip-name-resolve" not in render("batch", MARIADB).text


def test_rules_decide_the_values_for_the_profile() -> None:
    batch = render("batch", MARIADB).values
    assert (batch["net_read_timeout"], batch["net_write_timeout"]) == (7200, 7200)
    assert batch["max_allowed_packet"] == 256 * 1024 * 1024
    assert render("per-request", MARIADB).values["wait_timeout"] == 600
    assert render("pooled", MARIADB).values["wait_timeout"] > 1800


# --- a real server ------------------------------------------------------------------------


@requires_mariadbd
@pytest.mark.parametrize("profile", builtin_names())
def test_mariadbd_reads_the_rendered_file_without_a_warning(profile: str,
                                                            tmp_path: Path) -> None:
    result = help_verbose(rendered(tmp_path, profile, MARIADB))
    assert result.returncode == 0, result.messages
    assert [m for m in result.messages if not any(n in m for n in NOISE)] == []


def _file_values(path: Path) -> dict[str, int]:
    server = build(read_tree(str(path)), load_catalogue(MARIADB))
    return {n: int(server.value(n)) for n in QUERIED}


@requires_server
@pytest.mark.parametrize("profile", builtin_names())
def test_booted_server_reports_the_rendered_values(profile: str, tmp_path: Path) -> None:
    from tests.server_boot import boot_server

    path = rendered(tmp_path, profile, MARIADB)
    expected = _file_values(path)
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
    assert dict(zip(QUERIED, (int(v) for v in row), strict=True)) == expected


# --- --set ----------------------------------------------------------------------------------


def test_set_overrides_a_value(tmp_path: Path) -> None:
    code, out, err = cli("--profile", "pooled", "--flavor", MARIADB, "--set", "wait_timeout=4000",
                         "--set", "long-query-time=0.5")
    assert (code, err) == (0, "")
    assert "\nwait_timeout        = 4000\n" in out
    assert "\nlong_query_time     = 0.5\n" in out


def test_set_of_a_variable_outside_the_template_adds_its_setting(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    code, _, err = cli("--profile", "pooled", "--flavor", MARIADB, "-o", str(path),
                       "--set", "innodb_buffer_pool_size=1G")
    assert (code, err) == (0, "")
    assert "\ninnodb_buffer_pool_size = 1G\n" in path.read_text()
    assert check([str(path)], Options(flavor=MARIADB, profile="pooled")) == []


def test_set_that_breaks_a_rule_is_written_with_a_warning() -> None:
    code, out, err = cli("--profile", "pooled", "--flavor", MARIADB, "--set", "wait_timeout=600")
    assert code == 0
    assert "wait_timeout        = 600\n" in out
    assert err.startswith("mycnf-lint: warning: line ")
    assert "MCL101 wait-timeout-below-pool-recycle: wait_timeout is 600" in err


def test_set_of_net_read_timeout_carries_net_write_timeout_along() -> None:
    values = render("pooled", MARIADB, ["net_read_timeout=900"]).values
    assert values["net_write_timeout"] == 900


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


def test_output_into_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    code, _, err = cli("--profile", "batch", "-o", str(tmp_path / "nope" / "my.cnf"))
    assert code == 2 and err.startswith("mycnf-lint: ")


def test_values_are_written_as_given_not_html_escaped() -> None:
    text = render("pooled", MARIADB, ["log_error=/tmp/a&b<c>.log"]).text
    assert "\nlog_error           = /tmp/a&b<c>.log\n" in text


def test_profile_file_renders_clean(tmp_path: Path) -> None:
    prof = tmp_path / "app.toml"
    prof.write_text('[profile]\nname = "app"\nextends = "pooled"\nidle_disconnect = "40m"\n')
    path = tmp_path / "my.cnf"
    assert cli("--profile", str(prof), "--flavor", MARIADB, "-o", str(path))[0] == 0
    assert check([str(path)], Options(flavor=MARIADB, profile=str(prof))) == []
    assert "below the 40m after which the network drops idle connections" in path.read_text()


def test_profile_the_server_cannot_satisfy_is_rendered_with_a_warning(tmp_path: Path) -> None:
    prof = tmp_path / "app.toml"
    prof.write_text('[profile]\nextends = "pooled"\nidle_disconnect = "20m"\n')
    code, out, err = cli("--profile", str(prof), "--flavor", MARIADB)
    assert code == 0 and "[mysqld]" in out
    assert "MCL102 pool-recycle-above-idle-disconnect" in err


def test_render_takes_profile_and_flavor_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".mycnf-lint.toml").write_text(
        'flavor = "mariadb-10.11"\n[profile]\nextends = "pooled"\npool_recycle = "1h"\n')
    code, out, err = cli()
    assert code == 0, err
    assert "wait_timeout        = 7200" in out and "mariadb-10.11" in out


def test_render_without_any_profile_says_how_to_give_one() -> None:
    code, _, err = cli()
    assert code == 2 and "--profile" in err
