"""Faults, as an unlucky user meets them, with real processes: racing fixers, a writer appending
during a fix, FIFOs and devices, a full disk, signals, a 100 MB file under a memory limit, file
names that are not UTF-8, broken profiles. Every failure is one line naming the file, exit 2,
and nothing that was on disk is lost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MESSY = ROOT / "fixtures" / "fix" / "messy.cnf"
FORMATS = ("text", "concise", "json", "sarif", "github")


def cli(*args: str, cwd: Path, stdin: int | None = None, timeout: float = 120,
        preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "mycnf_lint", *args], cwd=cwd, stdin=stdin,
                          capture_output=True, timeout=timeout, preexec_fn=preexec_fn)


def start(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "mycnf_lint", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def one_line(stderr: bytes, *words: str) -> str:
    """The single error line; it holds every one of `words` and no traceback."""
    text = stderr.decode("utf-8")
    assert text.count("\n") == 1 and text.startswith("mycnf-lint: "), text
    assert "Traceback" not in text
    for word in words:
        assert word in text, text
    return text


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".mycnf-lint-")]


def fixed_once(tmp_path: Path) -> bytes:
    ref = tmp_path / "reference"
    ref.mkdir()
    shutil.copy(MESSY, ref / "my.cnf")
    assert cli("check", "-q", "--fix", "my.cnf", cwd=ref).returncode in (0, 1)
    return (ref / "my.cnf").read_bytes()


def test_two_fixers_racing_end_as_one_fix(tmp_path: Path) -> None:
    want = fixed_once(tmp_path)
    assert want != MESSY.read_bytes()
    for _ in range(4):
        shutil.copy(MESSY, tmp_path / "my.cnf")
        racers = [start("check", "-q", "--fix", "my.cnf", cwd=tmp_path) for _ in range(2)]
        for p in racers:
            _, err = p.communicate(timeout=120)
            assert p.returncode in (0, 1, 2), err
            if p.returncode == 2:
                one_line(err, "my.cnf", "run the check again")
        assert (tmp_path / "my.cnf").read_bytes() == want
        assert leftovers(tmp_path) == []


def test_a_line_appended_during_a_fix_is_never_lost(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    shutil.copy(MESSY, path)
    n = 250
    # each appended line has a fixable '; comment', so every fix has something to write
    writer = subprocess.Popen([sys.executable, "-c", f"""
import time
for i in range({n}):
    with open('my.cnf', 'ab') as fh:
        fh.write(b'net_read_timeout = 60 ; marker-%d\\n' % i)
    time.sleep(0.004)
"""], cwd=tmp_path)
    codes = []
    while writer.poll() is None:
        p = cli("check", "-q", "--fix", "my.cnf", cwd=tmp_path)
        codes.append(p.returncode)
        if p.returncode == 2:
            one_line(p.stderr, "my.cnf", "run the check again")
    data = path.read_bytes()
    assert [i for i in range(n) if data.count(b"marker-%d\n" % i) != 1] == []
    assert set(codes) <= {0, 1, 2} and len(codes) >= 2
    assert leftovers(tmp_path) == []
    # once the writer is gone, a fix goes through
    assert cli("check", "-q", "--fix", "my.cnf", cwd=tmp_path).returncode in (0, 1)
    assert b"; marker" not in path.read_bytes()


def test_a_file_held_open_for_writing_is_not_replaced(tmp_path: Path) -> None:
    """A writer that keeps the file open would write into the replaced file: no fix then."""
    path = tmp_path / "my.cnf"
    shutil.copy(MESSY, path)
    writer = subprocess.Popen([sys.executable, "-c", """
import sys
with open('my.cnf', 'ab') as fh:
    print('open', flush=True)
    sys.stdin.readline()  # held open until the fix has run
    fh.write(b'written = late\\n')
"""], cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert writer.stdout is not None and writer.stdout.readline() == b"open\n"
    p = cli("check", "-q", "--fix", "my.cnf", cwd=tmp_path)
    writer.communicate(b"go\n", timeout=60)
    assert p.returncode == 2
    one_line(p.stderr, "my.cnf", "open for writing by another process")
    assert path.read_bytes() == MESSY.read_bytes() + b"written = late\n"


def test_a_write_between_the_compare_and_the_rename_is_put_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last window: another writer appends after the compare, before the rename."""
    from mycnf_lint.fix import write

    path = tmp_path / "my.cnf"
    old = b"[mysqld]\nmax_connections = 10\n"
    path.write_bytes(old)
    real = os.replace

    def late_writer(src: str, dst: str) -> None:
        if dst == str(path.resolve()):
            with open(path, "ab") as fh:
                fh.write(b"late = 1\n")
        real(src, dst)

    monkeypatch.setattr(write.os, "replace", late_writer)
    with pytest.raises(write.ChangedOnDisk) as caught:
        write.write_atomic(str(path), b"[mysqld]\nmax_connections = 20\n", expected=old)
    assert caught.value.filename == str(path)
    assert path.read_bytes() == old + b"late = 1\n"
    assert leftovers(tmp_path) == []


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.cnf")
    p = cli("check", "pipe.cnf", cwd=tmp_path, timeout=30)
    assert p.returncode == 2
    one_line(p.stderr, "pipe.cnf", "FIFO")
    (tmp_path / "my.cnf").write_text("[mysqld]\n!include pipe.cnf\n")
    p = cli("check", "--format", "concise", "my.cnf", cwd=tmp_path, timeout=30)
    assert p.returncode == 1 and b"pipe.cnf is a FIFO" in p.stdout, p.stdout
    odd = os.fsdecode(b"new\nline\xff.cnf")  # an error about it stays one line
    os.mkfifo(tmp_path / odd)
    p = cli("check", odd, cwd=tmp_path, timeout=30)
    assert p.returncode == 2
    one_line(p.stderr, "new\\x0aline\\xff.cnf", "FIFO")


@pytest.mark.parametrize("args", [["check", "/dev/zero"], ["check", "--profile", "/dev/zero", "x"],
                                  ["check", "--config", "/dev/zero", "x"]])
def test_dev_zero_is_refused(tmp_path: Path, args: list[str]) -> None:
    p = cli(*args, cwd=tmp_path, timeout=30)
    assert p.returncode == 2
    one_line(p.stderr, "/dev/zero", "character device")


def test_endless_stdin_stops_at_the_cap(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        p = cli("check", "-", cwd=tmp_path, stdin=zero.fileno(), timeout=60)
    assert p.returncode == 2
    one_line(p.stderr, "-: ", "MiB")


def test_a_folder_where_a_file_is_expected(tmp_path: Path) -> None:
    (tmp_path / "d.toml").mkdir()
    p = cli("check", "--profile", "d.toml", "x", cwd=tmp_path)
    assert p.returncode == 2
    one_line(p.stderr, "d.toml")


def _fsize(limit: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_names_the_file_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "my.cnf"
    original = MESSY.read_bytes() + b"# padding\n" * 2000
    path.write_bytes(original)
    limit = len(original) // 2
    p = cli("check", "-q", "--fix", "my.cnf", cwd=tmp_path, preexec_fn=_fsize(limit))
    assert p.returncode == 2
    assert one_line(p.stderr) == "mycnf-lint: my.cnf: cannot write: File too large\n"
    assert path.read_bytes() == original and leftovers(tmp_path) == []
    p = cli("check", "-o", "report.txt", "my.cnf", cwd=tmp_path, preexec_fn=_fsize(100))
    assert p.returncode == 2
    one_line(p.stderr, "report.txt", "File too large")


def _big(path: Path, size: int) -> None:
    """Option lines and long comments, as a generated file might hold, up to `size` bytes."""
    block = b"".join(b"# %s\n" % (b"x" * (300 + 37 * i)) + b"max_connections = %d\n" % i
                     for i in range(40))
    with open(path, "wb") as fh:
        fh.write(b"[mysqld]\n")
        for _ in range(size // len(block) + 1):
            fh.write(block)


@pytest.mark.parametrize("sig, code, words", [(signal.SIGINT, 130, "interrupted"),
                                             (signal.SIGTERM, 143, "signal 15")])
def test_a_signal_ends_a_running_check_with_one_line(tmp_path: Path, sig: int, code: int,
                                                      words: str) -> None:
    lines = b"".join(b"max_connections = %d\n" % i for i in range(200_000))
    (tmp_path / "my.cnf").write_bytes(b"[mysqld]\n" + lines)
    p = start("check", "my.cnf", cwd=tmp_path)
    time.sleep(1.5)
    assert p.poll() is None, "the check ended before the signal: make the file larger"
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == code
    one_line(err, words)


def _short(path: Path, size: int) -> None:
    """Lines of a few bytes: comments and blanks, and an option every 50 lines."""
    block = b"".join([b"# note\n", b"\n", b";c\n", b"#\n"] * 12 + [b"\n", b"max_connections = 9\n"])
    with open(path, "wb") as fh:
        fh.write(b"[mysqld]\n")
        for _ in range(size // len(block) + 1):
            fh.write(block)


def _overridden(path: Path, size: int) -> None:
    """Short option lines that each draw a finding: every line sets max_connections again, so
    every line is a setting the server reads and a duplicate-option finding (4.6 million)."""
    block = b"".join(b"max_connections = %d\n" % i for i in range(1000))
    with open(path, "wb") as fh:
        fh.write(b"[mysqld]\n")
        for _ in range(size // len(block) + 1):
            fh.write(block)


@pytest.mark.parametrize("shape", [_big, _short, _overridden])
def test_a_100_mb_file_under_a_memory_limit(tmp_path: Path, shape: Callable[[Path, int], None]
                                            ) -> None:
    path = tmp_path / "big.cnf"
    shape(path, 100 * 1024 * 1024)
    size = path.stat().st_size
    limit = 8 * size  # address space, interpreter and libraries included

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with open(tmp_path / "report.txt", "wb") as out:  # millions of findings: not into a pipe
        p = subprocess.run([sys.executable, "-m", "mycnf_lint", "check", "--format", "concise",
                            "big.cnf"], cwd=tmp_path, stdout=out, stderr=subprocess.PIPE,
                           preexec_fn=cap, timeout=900)
    assert p.returncode == 1, p.stderr[-500:]
    with open(tmp_path / "report.txt", "rb") as out:
        out.seek(-4096, os.SEEK_END)  # max_connections set again at the end: read to the end
        assert b"MCL304" in out.read().splitlines()[-1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_that_are_not_utf8_in_every_format(tmp_path: Path, fmt: str) -> None:
    name = b"caf\xe9\x1b[2J.cnf"
    (tmp_path / os.fsdecode(name)).write_bytes(b"[mysqld]\nkey_buffer = 1\n!include \xff.cnf\n")
    p = cli("check", "--format", fmt, os.fsdecode(name), cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    out = p.stdout.decode("utf-8")  # valid UTF-8, whatever the names hold
    assert "\x1b" not in out and "Traceback" not in out
    if fmt in ("json", "sarif"):
        doc = json.loads(out)
        json.dumps(doc, ensure_ascii=False).encode("utf-8")  # no lone surrogates inside
    if fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in doc["runs"][0]["results"]}
        assert uris == {"caf%E9%1B%5B2J.cnf"}
    elif fmt == "json":
        assert {f.get("file") for f in doc["findings"]} == {"caf\\xe9\\x1b[2J.cnf"}
    else:
        assert "caf\\xe9\\x1b[2J.cnf" in out, out


def test_a_profile_nested_10000_levels(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text("[profile]\nx = " + "[" * 10_000 + "]" * 10_000 + "\n")
    (tmp_path / "my.cnf").write_text("[mysqld]\n")
    p = cli("check", "--profile", "deep.toml", "my.cnf", cwd=tmp_path)
    assert p.returncode == 2
    one_line(p.stderr, "deep.toml", "nested too deeply")


def test_a_50_mb_profile_value_is_not_echoed_whole(tmp_path: Path) -> None:
    (tmp_path / "big.toml").write_text('[profile]\nlongest_query = "' + "x" * 50_000_000 + '"\n')
    (tmp_path / "my.cnf").write_text("[mysqld]\n")
    p = cli("check", "--profile", "big.toml", "my.cnf", cwd=tmp_path)
    assert p.returncode == 2
    assert len(one_line(p.stderr, "big.toml", "longest_query")) < 300


def _without_override() -> list[str]:
    """A prefix that runs a command without the power to ignore file modes: root keeps it
    unless setpriv drops it (util-linux, on every Debian)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root, and no setpriv to drop CAP_DAC_OVERRIDE")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def test_permissions_name_the_file(tmp_path: Path) -> None:
    prefix = _without_override()

    def run_as_user(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*prefix, sys.executable, "-m", "mycnf_lint", *args],
                              cwd=tmp_path, capture_output=True, timeout=120)

    secret = tmp_path / "secret.cnf"
    secret.write_text("[client]\npassword = hunter2\n")
    secret.chmod(0o000)
    p = run_as_user("check", "secret.cnf")
    assert p.returncode == 2
    assert "hunter2" not in one_line(p.stderr, "secret.cnf", "Permission denied")
    # a fix in a folder that may not be written to names the file and leaves it as it was
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(MESSY, ro / "my.cnf")
    ro.chmod(0o555)
    try:
        p = run_as_user("check", "-q", "--fix", "ro/my.cnf")
        assert p.returncode == 2
        one_line(p.stderr, "ro/my.cnf", "Permission denied")
        assert (ro / "my.cnf").read_bytes() == MESSY.read_bytes() and leftovers(ro) == []
    finally:
        ro.chmod(0o755)


def test_folders_that_include_themselves_stop_at_a_bound(tmp_path: Path) -> None:
    folder = tmp_path / "conf.d"
    folder.mkdir()
    for i in range(4):  # 4^10 reads if nothing stopped it
        (folder / f"f{i}.cnf").write_text(f"[mysqld]\n!includedir {folder}\n")
    (tmp_path / "my.cnf").write_text(f"[mysqld]\n!includedir {folder}\n")
    p = cli("check", "--format", "concise", "my.cnf", cwd=tmp_path, timeout=120)
    assert p.returncode == 1, p.stderr
    assert b"MCL007 10000 files read through includes" in p.stdout


def test_a_huge_include_folder_is_read_whole(tmp_path: Path) -> None:
    folder = tmp_path / "conf.d"
    folder.mkdir()
    for i in range(3000):
        (folder / f"{i:05d}.cnf").write_text(f"[mysqld]\nmax_connections = {i + 10}\n")
    (tmp_path / "my.cnf").write_text(f"[mysqld]\n!includedir {folder}\n")
    p = cli("check", "--format", "concise", "my.cnf", cwd=tmp_path, timeout=120)
    assert p.returncode == 1, p.stderr
    assert p.stdout.count(b"MCL304") == 2999  # each is overridden by the next; the last wins


def test_a_secret_in_a_refused_set_value_is_not_echoed(tmp_path: Path) -> None:
    p = cli("render", "--profile", "pooled", "--flavor", "mariadb-10.11",
            "--set", "wsrep_sst_auth=root:hun[ter2", cwd=tmp_path)
    assert p.returncode == 2
    assert "hunter2" not in one_line(p.stderr, "wsrep_sst_auth").replace("[", "")


@pytest.mark.parametrize("content", [
    b"[tool.mycnf-lint\n", b"\xff\xfe", b"[tool]\nmycnf-lint = 3\n",
    b"[tool.mycnf-lint]\nselect = " + b"[" * 5000 + b"]" * 5000])
def test_a_broken_configuration_is_one_line_naming_it(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "my.cnf").write_text("[mysqld]\n")
    p = cli("check", "my.cnf", cwd=tmp_path)
    assert p.returncode == 2
    one_line(p.stderr, "pyproject.toml")


def test_stdout_on_a_full_disk_or_a_closed_pipe(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nkey_buffer = 1\n")
    with open("/dev/full", "wb") as full:
        p = subprocess.run([sys.executable, "-m", "mycnf_lint", "check", "my.cnf"],
                           cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert p.returncode == 2
    one_line(p.stderr, "<stdout>", "No space left on device")
    lines = b"".join(b"max_connections = %d\n" % i for i in range(20_000))
    (tmp_path / "big.cnf").write_bytes(b"[mysqld]\n" + lines)
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    assert reader.stdin is not None
    p = subprocess.run([sys.executable, "-m", "mycnf_lint", "check", "big.cnf"], cwd=tmp_path,
                       stdout=reader.stdin, stderr=subprocess.PIPE, timeout=120)
    reader.stdin.close()
    reader.wait()
    assert p.returncode == 1 and p.stderr == b""  # `| head`: no complaint, the findings' code


def test_a_folder_below_that_cannot_be_listed_is_named_not_skipped(tmp_path: Path) -> None:
    prefix = _without_override()
    conf = tmp_path / "conf.d"
    (conf / "locked").mkdir(parents=True)
    (conf / "a.cnf").write_text("[mysqld]\nwait_timeout = 600\n")
    (conf / "locked" / "b.cnf").write_text("[mysqld]\nbogus_option = 1\n")
    (conf / "locked").chmod(0o000)
    try:
        p = subprocess.run([*prefix, sys.executable, "-m", "mycnf_lint", "check", "conf.d"],
                           cwd=tmp_path, capture_output=True, timeout=120)
        assert p.returncode == 2
        one_line(p.stderr, "conf.d/locked", "Permission denied")
    finally:
        (conf / "locked").chmod(0o755)
