"""`check --diff` is the diff of exactly the bytes `check --fix` writes: applied with `patch`
it gives the same files, on every public corpus file, with and without --unsafe-fixes."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mycnf_lint.cli import run as cli_run
from mycnf_lint.fix.diff import unified_diff
from mycnf_lint.fix.edits import FileFix
from mycnf_lint.fix.run import fix_in_memory
from mycnf_lint.lint.pipeline import Options

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
FLAVOR = "mariadb-10.11"
requires_patch = pytest.mark.skipif(shutil.which("patch") is None,
                                    reason="needs patch: apt-get install patch")


def cli_bytes(args: list[str], cwd: Path) -> tuple[int, bytes]:
    """mycnf-lint ARGS in-process, in `cwd`; the exit code and stdout as bytes."""
    out = io.BytesIO()
    streams, here = (sys.stdout, sys.stderr), os.getcwd()
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    os.chdir(cwd)
    try:
        code = cli_run(args)
        sys.stdout.flush()
        return code, out.getvalue()
    finally:
        sys.stdout, sys.stderr = streams
        os.chdir(here)


def apply_patch(diff: bytes, cwd: Path) -> None:
    """`patch -p1` with no fuzz: every hunk must apply exactly where it says."""
    p = subprocess.run(["patch", "-p1", "--binary", "-F0", "-s", "--no-backup-if-mismatch"],
                       input=diff, cwd=cwd, capture_output=True)
    assert p.returncode == 0, (p.stdout + p.stderr).decode("utf-8", "replace")


def _corpus() -> list[Path]:
    return sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []


def _patched_equals_fixed(src: Path, tmp_path: Path, flags: list[str]) -> None:
    """Copy A gets --fix, copy B gets --diff | patch; files outside the copy (an included
    /etc/mysql/conf.d) are compared on copies under B, never written."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(src, a / src.name)
    shutil.copy(src, b / src.name)
    args = ["check", "-q", "--flavor", FLAVOR, *flags, src.name]
    os.chdir(b)
    try:
        outcome = fix_in_memory([src.name], Options(flavor=FLAVOR, profile="pooled"),
                                "--unsafe-fixes" in flags)
    finally:
        os.chdir(ROOT)
    outside = [fx for fx in outcome.changed if os.path.isabs(fx.path)]
    for fx in outside:  # copies of system files the fix would touch, where patch -p1 finds them
        copy = b / fx.path.lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(fx.old)
    code, diff = cli_bytes(["--diff" if x == "--fix" else x for x in args], b)
    assert code == (1 if outcome.changed else 0)
    assert (diff != b"") == bool(outcome.changed)
    if diff:
        apply_patch(diff, b)
    for fx in outside:
        assert (b / fx.path.lstrip("/")).read_bytes() == fx.new
    if not outside:  # --fix itself only where it writes nothing outside the copy
        cli_bytes(args, a)
        assert (a / src.name).read_bytes() == (b / src.name).read_bytes()
    else:
        assert (b / src.name).read_bytes() == next(
            (fx.new for fx in outcome.changed if fx.path == src.name), src.read_bytes())


@requires_patch
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("src", _corpus(), ids=lambda p: p.name)
def test_diff_applied_with_patch_gives_what_fix_writes(src: Path, unsafe: bool,
                                                        tmp_path: Path) -> None:
    flags = ["--profile", "pooled", "--fix"] + (["--unsafe-fixes"] if unsafe else [])
    _patched_equals_fixed(src, tmp_path, flags)


@requires_patch
@pytest.mark.parametrize("old,new", [
    (b"[mysqld]\nwait = 600", b"[mysqld]\nwait_timeout = 600"),
    (b"[mysqld]\nwait = 600\n", b"[mysqld]\nwait_timeout = 600"),
    (b"[mysqld]\nx = 1", b"[mysqld]\nx = 1\ny = 2\n"),
    (b"# \xd6\xd0\xce\xc4\n[mysqld]\nwait = 1\n",
     b"# \xd6\xd0\xce\xc4\n[mysqld]\nwait_timeout = 1\n"),
    (b"[client]\npassword = s3cret\n[mysqld]\nwait = 1\n",
     b"[client]\npassword = s3cret\n[mysqld]\nwait_timeout = 1\n"),
    (b"[mysqld]\na = 1\n[client]\npassword = s3cret\nuser = u\n[mysqld]\nb = 2\nc = 3\n",
     b"[mysqld]\na = 2\n[client]\npassword = s3cret\nuser = u\n[mysqld]\nb = 2\nc = 4\n"),
], ids=["no-eol-both", "eol-removed", "eol-added", "gbk", "secret-context", "secret-between"])
def test_the_diff_of_bytes_applies_and_never_shows_a_secret(old: bytes, new: bytes,
                                                             tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_bytes(old)
    diff = unified_diff(FileFix("my.cnf", old, new))
    assert b"s3cret" not in diff
    if not old.endswith(b"\n") or not new.endswith(b"\n"):
        assert b"\\ No newline at end of file\n" in diff
    apply_patch(diff, tmp_path)
    assert (tmp_path / "my.cnf").read_bytes() == new


def test_diff_shows_every_pass_of_the_fix(tmp_path: Path) -> None:
    """As in 025-ahmetorhans-phpui-my.ini: the first pass renames table_cache, the second
    deletes the line (a later line sets table_open_cache); the diff shows the deletion."""
    old = b"[mysqld]\ntable_cache = 256\ntable_open_cache = 512\n"
    path = tmp_path / "my.cnf"
    path.write_bytes(old)
    flags = ["--flavor", FLAVOR, "--unsafe-fixes", "--select", "abbreviated-option,"
             "deprecated-option,duplicate-option", "my.cnf"]
    code, diff = cli_bytes(["check", "--diff", *flags], tmp_path)
    assert code == 1
    assert b"-table_cache = 256\n" in diff and b"+table_open_cache = 256" not in diff
    cli_bytes(["check", "-q", "--fix", *flags], tmp_path)
    fixed = path.read_bytes()
    assert fixed == b"[mysqld]\ntable_open_cache = 512\n"
    path.write_bytes(old)
    apply_patch(diff, tmp_path)
    assert path.read_bytes() == fixed


@requires_patch
def test_the_diff_covers_included_files_and_patch_applies_it_like_fix(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        (d / "conf.d").mkdir(parents=True)
        (d / "my.cnf").write_bytes(b"[mysqld]\nwait = 600\n!includedir conf.d\n")
        (d / "conf.d" / "t.cnf").write_bytes(b"[mysqld]\nnet_read_timeout = 10m")
    code, diff = cli_bytes(["check", "--flavor", FLAVOR, "--diff", "my.cnf"], b)
    assert code == 1 and b"+++ b/conf.d/t.cnf\n" in diff and b"+++ b/my.cnf\n" in diff
    cli_bytes(["check", "-q", "--flavor", FLAVOR, "--fix", "my.cnf"], a)
    apply_patch(diff, b)
    for name in ("my.cnf", "conf.d/t.cnf"):
        assert (b / name).read_bytes() == (a / name).read_bytes()
    assert (b / "conf.d" / "t.cnf").read_bytes() == b"[mysqld]\nnet_read_timeout = 600"


@requires_patch
def test_diff_of_a_file_named_by_absolute_path_applies_with_patch_p1_from_root(
        tmp_path: Path) -> None:
    """`check --diff /abs/my.cnf` run elsewhere heads the file as `git diff --no-index` does
    (`a/abs/my.cnf`, not `a//abs/my.cnf`); `patch -p1 -d /` then gives what --fix writes."""
    a, b, elsewhere = tmp_path / "a", tmp_path / "b", tmp_path / "elsewhere"
    for d in (a, b, elsewhere):
        d.mkdir()
    for d in (a, b):
        (d / "my.cnf").write_bytes(b"[mysqld]\nwait = 600\nnet_read_timeout = 10m\n")
    target = b / "my.cnf"
    p = subprocess.run([sys.executable, "-m", "mycnf_lint", "check", "--flavor", FLAVOR,
                        "--diff", str(target)], cwd=elsewhere, capture_output=True)
    assert p.returncode == 1, p.stderr
    name = str(target).lstrip("/").encode()
    assert p.stdout.startswith(b"--- a/" + name + b"\n+++ b/" + name + b"\n@@ "), p.stdout
    assert b"a//" not in p.stdout and b"b//" not in p.stdout
    fixed = subprocess.run([sys.executable, "-m", "mycnf_lint", "check", "-q", "--flavor",
                            FLAVOR, "--fix", str(a / "my.cnf")], cwd=elsewhere,
                           capture_output=True)
    assert fixed.returncode in (0, 1) and fixed.stderr == b"", fixed.stderr  # info left
    apply_patch(p.stdout, Path("/"))
    assert target.read_bytes() == (a / "my.cnf").read_bytes() != (
        b"[mysqld]\nwait = 600\nnet_read_timeout = 10m\n")
    assert os.listdir(elsewhere) == []
