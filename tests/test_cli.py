"""The command line: check with every format, config merging, exit codes, errors on one line,
stdin, secrets kept out of every output, the rules/explain/profiles commands, start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, available_flavors

from .cli_runner import invoke

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "fixtures" / "cli"
FLAVOR = DEFAULT_FLAVOR if DEFAULT_FLAVOR in available_flavors() else available_flavors()[0]
HEAVY = ("configupdater", "jinja2", "pymysql", "rich", "pydantic")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder so no configuration file is found by accident."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = invoke(list(args), stdin)
    return result.exit_code, result.stdout, result.stderr


def check(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    return cli("check", "--flavor", FLAVOR, *args, stdin=stdin)


def fixture(name: str) -> str:
    return str(CLI / name)


def test_findings_exit_one_with_text() -> None:
    code, out, _ = check(fixture("unknown-option.cnf"), "--select", "MCL008")
    assert code == 1
    first, summary = out.splitlines()
    assert first.startswith(f"{fixture('unknown-option.cnf')}:2:1: MCL008 unknown variable ")
    assert first.endswith(" [unknown-option]")
    assert summary == "Found 1 finding (1 error, 0 warnings, 0 info)"


def test_clean_run_exits_zero_and_says_so() -> None:
    code, out, _ = check(fixture("suppressed.cnf"), "--select", "MCL008")
    assert (code, out) == (0, "All checks passed.\n")
    code, out, _ = check(fixture("suppressed.cnf"), "--select", "MCL008", "-q")
    assert (code, out) == (0, "")


def test_exit_zero_keeps_the_report() -> None:
    code, out, _ = check(fixture("unknown-option.cnf"), "--exit-zero", "--select", "MCL008")
    assert code == 0
    assert "MCL008" in out


def test_quiet_drops_the_summary() -> None:
    code, out, _ = check(fixture("unknown-option.cnf"), "-q", "--select", "MCL008")
    assert code == 1
    assert "Found" not in out and "MCL008" in out


def test_select_and_ignore_take_comma_lists_and_repeat() -> None:
    _, out, _ = check(fixture("unknown-option.cnf"), "--format", "json",
                      "--select", "MCL008,MCL4", "--select", "MCL1", "--ignore", "MCL4")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"MCL008"}


def test_suppression_works_through_check_and_reports_stale_ones() -> None:
    code, out, _ = check(fixture("suppressed.cnf"), "--format", "json", "--select", "MCL0")
    found = [(f["rule"], f["line"]) for f in json.loads(out)["findings"]]
    assert found == [("MCL090", 3)]
    assert code == 1


def test_ignoring_the_suppression_rule_works() -> None:
    code, out, _ = check(fixture("suppressed.cnf"), "--select", "MCL0", "--ignore", "MCL090")
    assert (code, out) == (0, "All checks passed.\n")


def test_selecting_other_rules_does_not_make_suppressions_useless() -> None:
    # MCL008 is left out of the run, but the suppression of it still counts as used
    _, out, _ = check(fixture("suppressed.cnf"), "--format", "json", "--ignore", "MCL008")
    lines = [f["line"] for f in json.loads(out)["findings"] if f["rule"] == "MCL090"]
    assert lines == [3]


def test_stdin_is_read_for_a_dash() -> None:
    code, out, _ = check("-", "--format", "concise", "--select", "MCL008",
                         stdin="[mysqld]\nno_such_option = 1\n")
    assert code == 1
    assert out.startswith("-:2:1: MCL008 ")


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = check(fixture("unknown-option.cnf"), "--format", "json", "-o", str(target),
                         "--select", "MCL008")
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["findings"][0]["rule"] == "MCL008"


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github"])
def test_a_password_never_reaches_the_output(fmt: str) -> None:
    code, out, err = check(fixture("password.cnf"), "--format", fmt)
    assert code == 1
    assert "password" in out  # the findings are about the password lines
    assert "s3cr" not in out + err


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github"])
def test_every_format_runs(fmt: str) -> None:
    code, out, _ = check(fixture("unknown-option.cnf"), "--format", fmt, "--select", "MCL008")
    assert code == 1 and "MCL008" in out


@pytest.mark.parametrize(("args", "words"), [
    (["missing.cnf"], "missing.cnf: cannot read"),
    (["--format", "xml", "x.cnf"], "'xml' is not one of"),
    (["--profile", "no-such-profile", "x.cnf"], "no-such-profile"),
    (["--rules", "no-such-rules.toml", "x.cnf"], "no-such-rules.toml"),
])
def test_errors_are_one_line_and_exit_two(args: list[str], words: str, tmp_path: Path) -> None:
    (tmp_path / "x.cnf").write_text("[mysqld]\n", encoding="utf-8")
    code, out, err = check(*args)
    assert code == 2
    assert err.startswith("mycnf-lint: ") and words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unknown_flavor_exits_two(tmp_path: Path) -> None:
    (tmp_path / "x.cnf").write_text("[mysqld]\n", encoding="utf-8")
    code, _, err = cli("check", "--flavor", "mysql-1.0", "x.cnf")
    assert code == 2 and err.startswith("mycnf-lint: ") and "'mysql-1.0' is not one of" in err


def test_config_file_is_used_and_the_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / ".mycnf-lint.toml").write_text(
        f'flavor = "{FLAVOR}"\nformat = "concise"\nselect = ["MCL008"]\nexit-zero = true\n',
        encoding="utf-8")
    code, out, _ = cli("check", fixture("unknown-option.cnf"))
    assert code == 0
    assert out.count("\n") == 1 and " MCL008 " in out and "Found" not in out
    code, out, _ = cli("check", fixture("unknown-option.cnf"), "--format", "json",
                       "--select", "MCL1,MCL2,MCL3,MCL4")
    assert code == 0  # exit-zero still comes from the file
    assert all(f["rule"] != "MCL008" for f in json.loads(out)["findings"])


def test_config_rules_are_relative_to_the_config_file(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "extra.toml").write_text(
        '[[rule]]\nid = "X001"\nname = "house-rule"\ntitle = "t"\nseverity = "info"\n'
        'rationale = "r"\nfix = "f"\n', encoding="utf-8")
    (tmp_path / "ci" / ".mycnf-lint.toml").write_text('rules = ["extra.toml"]\n',
                                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path / "ci")
    code, out, err = check(fixture("unknown-option.cnf"), "--format", "sarif")
    ids = [r["id"] for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]]
    assert "X001" in ids, err


def test_bad_config_exits_two_naming_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mycnf-lint]\nflavour = "x"\n',
                                             encoding="utf-8")
    code, _, err = cli("check", fixture("unknown-option.cnf"))
    assert code == 2
    assert str(tmp_path / "pyproject.toml") in err and "'flavour'" in err


def test_rules_lists_every_rule() -> None:
    code, out, _ = cli("rules")
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "NAME", "SEVERITY", "FIXABLE", "TITLE"]
    assert any(line.startswith("MCL090  useless-suppression") for line in out.splitlines())
    doc = json.loads(cli("rules", "--format", "json")[1])
    row = next(r for r in doc["rules"] if r["id"] == "MCL008")
    assert row["name"] == "unknown-option" and row["severity"] == "error"


@pytest.mark.parametrize("key", ["MCL008", "mcl008", "unknown-option"])
def test_explain_by_id_or_name(key: str) -> None:
    code, out, _ = cli("explain", key)
    assert code == 0
    assert out.startswith("MCL008 unknown-option: ")
    assert "Severity: error" in out and "What to do:" in out and "Fix:" in out


def test_explain_unknown_rule_suggests_one() -> None:
    code, _, err = cli("explain", "unknown-optoin")
    assert code == 2
    assert err == "mycnf-lint: no rule 'unknown-optoin'; did you mean unknown-option?\n"


def test_profiles_lists_the_built_ins() -> None:
    profiles = pytest.importorskip("mycnf_lint.profiles")
    if not hasattr(profiles, "builtin_names"):
        pytest.skip("profiles.builtin_names() is not there yet")
    code, out, _ = cli("profiles", "--format", "json")
    assert code == 0
    names = [p["name"] for p in json.loads(out)["profiles"]]
    assert names == profiles.builtin_names()
    code, out, _ = cli("profiles")
    assert code == 0 and all(f"{n}" in out for n in names)


def test_check_imports_nothing_heavy() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mycnf_lint", "check", "--flavor", FLAVOR,
         "fixtures/complete-example.cnf"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert imported, "no import times were printed"
    assert sorted(m for m in imported if m.startswith(HEAVY)) == []  # pydantic_core too


def test_command_line_flavor_wins_over_the_config(tmp_path: Path) -> None:
    (tmp_path / ".mycnf-lint.toml").write_text('flavor = "mysql-1.0"\n', encoding="utf-8")
    assert cli("check", fixture("unknown-option.cnf"))[0] == 2
    code, out, err = check(fixture("unknown-option.cnf"), "--select", "MCL008")
    assert code == 1 and err == "", err


def test_a_folder_stands_for_the_option_files_below_it(tmp_path: Path) -> None:
    conf = tmp_path / "conf.d"
    (conf / "sub").mkdir(parents=True)
    (conf / "a.cnf").write_text("[mysqld]\nwait_timout = 1\n")
    (conf / "sub" / "b.ini").write_text("[mysqld]\nnet_read_timout = 1\n")
    (conf / "notes.txt").write_text("wait_timout = 1\n")
    code, out, _ = check(str(conf), "--select", "MCL008", "-q", "--format", "concise")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [
        str(conf / "a.cnf"), str(conf / "sub" / "b.ini")]


def test_flavor_choices_are_the_catalogues_flavors() -> None:
    from mycnf_lint.commands.common import Flavor
    from mycnf_lint.reader.catalogue import FLAVORS

    assert tuple(f.value for f in Flavor) == FLAVORS


def test_format_choices_are_the_reports_formats() -> None:
    from mycnf_lint.commands.common import Format
    from mycnf_lint.report.formats import FORMATS

    assert tuple(f.value for f in Format) == FORMATS


def test_show_completion_prints_a_bash_completion_script() -> None:
    # typer finds the shell among the parent processes, as from a user's prompt: run it under a
    # bash that stays the parent (a second command keeps bash from exec-ing the first)
    import shlex

    command = shlex.join([sys.executable, "-m", "mycnf_lint", "--show-completion"])
    p = subprocess.run(["bash", "-c", f"{command}; exit $?"], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stderr
    assert "complete " in p.stdout and "mycnf" in p.stdout


def test_usage_errors_are_one_line_and_name_the_help() -> None:
    code, out, err = cli("check", "--no-such-option", "x.cnf")
    assert code == 2 and out == ""
    assert err.startswith("mycnf-lint: ") and err.count("\n") == 1
    assert "--no-such-option" in err and "mycnf-lint check --help" in err


def test_help_lists_every_command() -> None:
    code, out, _ = cli("--help")
    assert code == 0
    for command in ("check", "effective", "rules", "explain", "profiles", "render"):
        assert command in out


def test_a_kilobytes_long_unknown_name_is_cut_short_in_every_message(tmp_path: Path) -> None:
    """MCL008, MCL009 and MCL305 quote an unknown name whole up to 80 characters (the longest
    known option has 60), a longer one cut short as long values are: its start, `...` and how
    many characters it has."""
    known_long = "performance_schema_consumer_events_transactions_history_lonk"  # 60, a typo
    (tmp_path / "long.cnf").write_text(
        f"[mysqld]\ninnodb_{'x' * 4000} = 1\nloose-{'y' * 4000} = 2\n{known_long} = ON\n"
        f"[mysql]\n{'z' * 4000} = 3\n")
    code, out, err = cli("check", "--flavor", "mariadb-10.11", "--format", "json", "long.cnf")
    assert (code, err) == (1, "")
    by = {(f["name"], f["line"]): f for f in json.loads(out)["findings"]}
    for key, start, total in [(("unknown-option", 2), "innodb_x", 4007),
                              (("loose-unknown-option", 3), "loose-y", 4006),
                              (("client-group-unknown-option", 6), "z", 4000)]:
        message = by[key]["message"]
        assert len(message) < 300, key
        assert f"{(start + start[-1] * 80)[:80]}... ({total} characters)" in message, message
    assert f"'{known_long}'" in by[("unknown-option", 4)]["message"]
    assert by[("unknown-option", 2)]["variable"] == f"innodb_{'x' * 4000}"  # data, not prose
