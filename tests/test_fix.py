"""`check --fix` / `--diff`: only the lines that must change, atomically, idempotently, and
never turning a file the server accepts into one it refuses."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mycnf_lint.fix.adder import add_with_configupdater
from mycnf_lint.fix.edits import FileFix
from mycnf_lint.fix.run import Outcome, fix_in_memory, write_all
from mycnf_lint.lint import ruleset
from mycnf_lint.lint.pipeline import Options, run

from .mariadb import help_verbose, requires_mariadbd

ROOT = Path(__file__).resolve().parent.parent
RULE_FIXTURES = ROOT / "fixtures" / "rules"
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
FLAVOR = "mariadb-10.11"
_PROFILE = re.compile(r"^#\s*profile:\s*(\S+)", re.M)


def fix_file(path: Path, unsafe: bool = False, profile: str | None = None,
             cwd: Path = ROOT, flavor: str = FLAVOR) -> list[FileFix]:
    """Lint `path` and write its fixes (every pass) -- only files under `cwd`, never the
    machine's own; returns the file fixes."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        outcome = fix_in_memory([str(path)], Options(flavor=flavor, profile=profile), unsafe)
        inside = [fx for fx in outcome.files
                  if Path(os.path.realpath(fx.path)).is_relative_to(Path(cwd).resolve())]
        write_all(Outcome(inside, outcome.fixed, outcome.result))
        return outcome.files
    finally:
        os.chdir(old)


def names(path: Path, profile: str | None = None) -> list[str]:
    return [f.name for f in run([str(path)], Options(flavor=FLAVOR, profile=profile)).findings]


def _fixable_fixtures() -> list[Path]:
    rules = ruleset.load()
    out = []
    for p in sorted(RULE_FIXTURES.glob("*/fire*")):
        rule = rules.get(p.parent.name)
        if rule is not None and rule.fixable and p.suffix in (".cnf", ".ini"):
            out.append(p)
    return out


@pytest.mark.parametrize("src", _fixable_fixtures(), ids=lambda p: p.parent.name)
def test_fix_repairs_what_the_rule_found_and_a_second_fix_changes_nothing(
        src: Path, tmp_path: Path) -> None:
    text = src.read_bytes()
    m = _PROFILE.search(text.decode("utf-8", "replace"))
    profile = m.group(1) if m else None
    if profile and profile.endswith(".toml"):
        profile = str(ROOT / profile)
    path = tmp_path / src.name
    path.write_bytes(text)
    rule = ruleset.load()[src.parent.name]
    before = names(path, profile)
    assert rule.name in before
    fixes = fix_file(path, unsafe=True, profile=profile, cwd=tmp_path)
    assert any(fx.applied for fx in fixes), f"{rule.id} has no edit for its own fixture"
    assert rule.name not in names(path, profile)
    once = path.read_bytes()
    fix_file(path, unsafe=True, profile=profile, cwd=tmp_path)
    assert path.read_bytes() == once


def test_fix_changes_only_the_lines_it_must(tmp_path: Path) -> None:
    src = ROOT / "fixtures" / "fix" / "messy.cnf"
    path = tmp_path / "my.cnf"
    shutil.copy(src, path)
    path.chmod(0o640)
    fix_file(path, cwd=tmp_path)
    before = src.read_bytes().split(b"\n")
    after = path.read_bytes().split(b"\n")
    assert len(before) == len(after)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    # the BOM line, the abbreviation, the size suffix on a duration, the '; comment'
    assert changed == [1, 5, 6, 8]
    assert after[5] == b"wait_timeout = 600    # ten minutes, said the author\r"
    assert after[7] == b"net_read_timeout = 600 # ten minutes\r"
    assert not after[0].startswith(b"\xef\xbb\xbf")
    assert b"\xd6\xd0\xce\xc4" in path.read_bytes()  # GBK bytes in a comment stay
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes().count(b"\r\n") == src.read_bytes().count(b"\r\n")


def test_fix_goes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "real.cnf"
    real.write_bytes(b"[mysqld]\nwait = 600\n")
    link = tmp_path / "my.cnf"
    link.symlink_to(real)
    fix_file(link, cwd=tmp_path)
    assert link.is_symlink()
    assert real.read_bytes() == b"[mysqld]\nwait_timeout = 600\n"


def test_fix_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    path.write_bytes(b"[mysqld]\nwait = 600\n")
    fix_file(path, cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my.cnf"]


def test_fix_edits_the_included_file_where_the_value_is_set(tmp_path: Path) -> None:
    inc = tmp_path / "conf.d"
    inc.mkdir()
    (inc / "timeouts.cnf").write_bytes(b"[mysqld]\nwait_timeout = 10m\n")
    top = tmp_path / "my.cnf"
    top.write_bytes(b"[mysqld]\n!includedir conf.d\n")
    fix_file(top, cwd=tmp_path)
    assert top.read_bytes() == b"[mysqld]\n!includedir conf.d\n"
    assert (inc / "timeouts.cnf").read_bytes() == b"[mysqld]\nwait_timeout = 600\n"


def test_missing_option_is_added_to_the_server_group_next_to_its_relatives(
        tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    path.write_bytes(b"[client]\nuser = app\n\n[mysqld]\nwait_timeout = 3600\n\n# logs\n"
                     b"[mysqldump]\nquick\n")
    fix_file(path, unsafe=True, profile="pooled", cwd=tmp_path)
    text = path.read_bytes()
    assert text.startswith(b"[client]\nuser = app\n\n[mysqld]\nwait_timeout = 3600\n")
    assert b"skip_name_resolve = ON\n" in text.split(b"[mysqldump]")[0]
    assert text.endswith(b"\n# logs\n[mysqldump]\nquick\n")


def test_mysqld_group_is_created_when_the_file_has_none(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    path.write_bytes(b"[client]\nuser = app")
    fix_file(path, unsafe=True, profile="pooled", cwd=tmp_path)
    assert path.read_bytes().startswith(b"[client]\nuser = app\n\n[mysqld]\n")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mycnf_lint", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_diff_prints_a_unified_diff_writes_nothing_and_masks_secrets(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    original = b"[mysqld]\nwait = 600\n[client]\npassword = s3cr#et\n"
    path.write_bytes(original)
    p = _cli("check", "--flavor", FLAVOR, "--diff", "--unsafe-fixes", "my.cnf", cwd=tmp_path)
    assert p.returncode == 1
    assert "-wait = 600" in p.stdout and "+wait_timeout = 600" in p.stdout
    assert "s3cr" not in p.stdout + p.stderr and "et" not in p.stdout.split("password")[-1]
    assert path.read_bytes() == original


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    path.write_bytes(b"[mysqld]\nwait = 600\nlog_error = /tmp/e.log\nslow_query_log = 1\n")
    p = _cli("check", "--flavor", FLAVOR, "--fix", "--exit-non-zero-on-fix", "my.cnf",
             cwd=tmp_path)
    assert p.returncode == 1
    p = _cli("check", "--flavor", FLAVOR, "--fix", "--exit-non-zero-on-fix", "my.cnf",
             cwd=tmp_path)
    assert p.returncode == 0, p.stdout


def keep_writes_inside(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Corpus files include /etc/mysql/conf.d: a test run as root must not rewrite the
    machine's own option files. Writes outside `folder` are recorded instead of made."""
    from mycnf_lint.fix import run as fix_run

    outside: list[str] = []
    real = fix_run.write_atomic

    def guarded(path: str, data: bytes, expected: bytes | None = None) -> None:
        if Path(os.path.realpath(path)).is_relative_to(folder.resolve()):
            real(path, data, expected)
        else:
            outside.append(path)

    monkeypatch.setattr(fix_run, "write_atomic", guarded)
    return outside


def _corpus() -> list[Path]:
    return sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []


def _endings(data: bytes) -> set[bytes]:
    crlf = data.count(b"\r\n")
    return {e for e, n in ((b"\r\n", crlf), (b"\n", data.count(b"\n") - crlf)) if n}


def _comment_lines(data: bytes) -> list[bytes]:
    return [ln for ln in data.split(b"\n") if ln.lstrip()[:1] in (b"#", b";")]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("src", _corpus(), ids=lambda p: p.name)
def test_fix_on_corpus_is_idempotent_and_keeps_comments_endings_and_mode(
        src: Path, tmp_path: Path) -> None:
    path = tmp_path / src.name
    shutil.copy(src, path)
    path.chmod(0o600)
    old = path.read_bytes()
    fix_file(path, cwd=tmp_path)
    new = path.read_bytes()
    assert _comment_lines(old) == _comment_lines(new)
    assert _endings(new) <= _endings(old)  # no ending style the file did not have
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    left = run([str(path)], Options(flavor=FLAVOR)).findings
    # findings in the machine's own files that an absolute !includedir reads (Debian's
    # /etc/mysql/conf.d/mysqldump.cnf from mysql-common) are not fixed by the test
    inside = [f for f in left if Path(os.path.realpath(f.file)).is_relative_to(tmp_path.resolve())]
    assert [f.rule for f in inside if f.fix == "safe"] == []
    fix_file(path, cwd=tmp_path)
    assert path.read_bytes() == new


def _fix_keeps_the_server_starting(src: Path, cwd: Path, tmp_path: Path) -> None:
    """Fixing (unsafe fixes too) a file mariadbd accepts leaves one it accepts."""
    if not help_verbose(src, cwd=cwd).starts:
        pytest.skip("the server refuses the original")
    path = tmp_path / src.name
    shutil.copy(src, path)
    fix_file(path, unsafe=True, cwd=tmp_path)
    assert help_verbose(path, cwd=tmp_path).starts


@requires_mariadbd
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("src", _corpus(), ids=lambda p: p.name)
def test_fix_never_makes_mariadbd_refuse_a_corpus_file_it_accepted(
        src: Path, tmp_path: Path) -> None:
    _fix_keeps_the_server_starting(src, CORPUS, tmp_path)


@requires_mariadbd
@pytest.mark.parametrize("src", _fixable_fixtures() + sorted((ROOT / "fixtures").glob("*.cnf")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_never_makes_mariadbd_refuse_a_fixture_it_accepted(src: Path,
                                                               tmp_path: Path) -> None:
    _fix_keeps_the_server_starting(src, ROOT, tmp_path)


def test_added_option_goes_through_configupdater_where_it_fits(tmp_path: Path) -> None:
    data = (b"[client]\nuser = app\n\n[mysqld]\nwait_timeout = 3600  # an hour\n\n"
            b"[mysqldump]\nquick\n")
    from mycnf_lint.findings import Edit
    from mycnf_lint.reader.optionfile import parse

    of = parse("my.cnf", data)
    added = add_with_configupdater(of, data, [Edit("add-option", "my.cnf", 4,
                                                        "skip_name_resolve", "ON")], b" = ")
    assert added == data.replace(b"# an hour\n", b"# an hour\nskip_name_resolve = ON\n")


@pytest.mark.parametrize("data", [
    b"[mysqld]\r\nwait_timeout = 3600\r\n\r\n[mysqldump]\r\nquick\r\n",    # CRLF
    b"!include /nonexistent.cnf\n[mysqld]\nwait_timeout = 3600\n",         # top-level directive
    b"[mysqld]\n  wait_timeout = 3600\n  connect_timeout = 10\n",           # indented options
], ids=["crlf", "top-level-include", "indented"])
def test_added_option_falls_back_to_line_edits_where_configupdater_does_not_fit(
        data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    path.write_bytes(data)
    fix_file(path, unsafe=True, profile="pooled", cwd=tmp_path)
    new = path.read_bytes()
    eol = b"\r\n" if b"\r\n" in data else b"\n"
    assert b"skip_name_resolve = ON" + eol in new
    old_lines, new_lines = data.split(eol), new.split(eol)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    assert {tag for tag, *_ in matcher.get_opcodes()} <= {"equal", "insert"}


def test_configupdater_declines_an_option_its_group_already_names() -> None:
    from mycnf_lint.findings import Edit
    from mycnf_lint.reader.optionfile import parse

    data = b"[mysqld]\nnet_write_timeout = 60\nwait_timeout = 600\n"
    of = parse("my.cnf", data)
    edit = Edit("add-option", "my.cnf", 1, "net_write_timeout", "120")
    assert add_with_configupdater(of, data, [edit], b" = ") is None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("profile", ["pooled", "batch"])
def test_one_fix_run_with_unsafe_fixes_and_a_profile_leaves_nothing_for_a_second(
        profile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .cli_runner import invoke

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    monkeypatch.chdir(tmp_path)
    keep_writes_inside(tmp_path, monkeypatch)
    args = ["check", "-q", "--flavor", FLAVOR, "--profile", profile, "--fix", "--unsafe-fixes",
            "corpus"]
    invoke(args)
    once = {p.name: p.read_bytes() for p in folder.iterdir()}
    invoke(args)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == once


def _fix_stale_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    profile: str = "pooled") -> Path:
    """`net_read_timeout = 10m` (the server reads 10485760 s) fixed with --profile PROFILE
    --unsafe-fixes, once through --diff and once through --fix; the diff must be the diff of
    what --fix wrote. The fixed file."""
    from mycnf_lint.fix.diff import unified_diff

    from .cli_runner import invoke

    original = b"[mysqld]\nnet_read_timeout = 10m\n"
    path = tmp_path / "my.cnf"
    path.write_bytes(original)
    monkeypatch.chdir(tmp_path)
    args = ["check", "--flavor", FLAVOR, "--profile", profile, "--unsafe-fixes"]
    shown = invoke([*args, "--diff", "my.cnf"])
    assert path.read_bytes() == original
    invoke([*args, "--fix", "my.cnf"])
    fixed = path.read_bytes()
    assert shown.stdout.encode() == unified_diff(FileFix("my.cnf", original, fixed))
    return path


# pooled: the size-suffix fix makes net_read_timeout 600; batch: its longest query makes it
# 7200, and net-write-timeout-below-result-stream adds net_write_timeout = 7200 too
@pytest.mark.parametrize(("profile", "read"), [("pooled", "600"), ("batch", "7200")])
def test_a_value_worked_out_from_another_setting_follows_that_settings_fixed_value(
        profile: str, read: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # net-write-below-net-read planned net_write_timeout from net_read_timeout as it was
    # before the pass that fixed it: it wrote net_write_timeout = 10485760 (121 days), and
    # the next pass saw nothing wrong
    path = _fix_stale_pair(tmp_path, monkeypatch, profile)
    text = path.read_text()
    assert re.findall(r"^net_read_timeout = (.*)$", text, re.M) == [read]
    assert re.findall(r"^net_write_timeout = (.*)$", text, re.M) == [read]
    assert not {"net-write-below-net-read", "size-suffix-on-duration",
                "net-write-timeout-below-result-stream"} & set(names(path, profile))


@requires_mariadbd
def test_mariadbd_reads_the_fixed_write_timeout_no_lower_than_the_read_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _fix_stale_pair(tmp_path, monkeypatch)
    got = help_verbose(path, cwd=tmp_path)
    assert got.starts
    read, write = int(got.values["net_read_timeout"]), int(got.values["net_write_timeout"])
    assert read == 600  # the 10 minutes the file meant
    assert read <= write <= 3600


def test_a_fix_waits_only_for_fixes_to_files_its_own_server_reads(tmp_path: Path) -> None:
    # two files on one command line are two servers: a's net_read_timeout fix is no reason
    # for b's net_write_timeout fix to wait (waiting across them ran a folder of files out
    # of passes)
    from mycnf_lint.fix.planning import waiting, wanted

    a, b = tmp_path / "a.cnf", tmp_path / "b.cnf"
    a.write_bytes(b"[mysqld]\nnet_read_timeout = 10m\n")
    b.write_bytes(b"[mysqld]\nnet_read_timeout = 120\n")
    paths = [str(a), str(b)]
    result = run(paths, Options(flavor=FLAVOR))
    fixes = wanted(result.findings, unsafe=True)
    held = waiting(fixes, fixes, result.files, FLAVOR, "mysqld", paths)
    waits = {(Path(f.file).name, f.name) for f in fixes if id(f) in held}
    assert waits == {("a.cnf", "net-write-below-net-read")}
    assert ("b.cnf", "net-write-below-net-read") in {(Path(f.file).name, f.name) for f in fixes}


_HOUSE_RULE = '''[[rule]]
id = "MCL901"
name = "house-max-connections"
title = "max_connections above the house limit"
severity = "warning"
variables = ["max_connections"]
when = "max_connections > 1000"
recommend = "'lots'"
message = "max_connections is {max_connections}; set {recommended}"
rationale = "A house rule whose fix writes a value the server refuses."
fix = "Lower max_connections."
fixable = "safe"
'''


@pytest.mark.parametrize("named", ["file", "folder", "include"])
def test_a_fix_that_would_stop_the_server_is_not_written_however_the_file_is_reached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    """Named, found in a folder, or included by the file named: the guard holds for each."""
    from tests.cli_runner import invoke

    (tmp_path / "house.toml").write_text(_HOUSE_RULE)
    (tmp_path / "conf.d").mkdir()
    cnf = tmp_path / "conf.d" / "a.cnf"
    text = "[mysqld]\nlog_error = /tmp/e.log\nmax_connections = 2000\n"
    cnf.write_text(text)
    (tmp_path / "top.cnf").write_text("[mysqld]\n!include conf.d/a.cnf\n")
    monkeypatch.chdir(tmp_path)
    target = {"file": "conf.d/a.cnf", "folder": "conf.d", "include": "top.cnf"}[named]
    diff = invoke(["check", "--rules", "house.toml", "--diff", target])
    assert diff.stdout == "" and diff.exit_code == 0, diff.output
    fixed = invoke(["check", "--rules", "house.toml", "--fix", target])
    assert cnf.read_text() == text and "MCL901" in fixed.stdout, fixed.output
