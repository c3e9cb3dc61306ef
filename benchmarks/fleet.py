"""Fleet-scale figures of `mycnf-lint check`: many files against a bare configparser read, peak
memory on one large file in every format, time against lines, and start-up against yamllint.

Every figure is whole processes, interleaved with its reference (A B A B ...), and quotes the
median of the per-pair ratios: machines are noisy, so quote ratios, not seconds. Peak memory is
the child's own high-water mark (ru_maxrss from wait4).

    python benchmarks/fleet.py [--runs 5] [--only many,memory,linear,startup]
                               [--mycnf-lint PATH] [--yamllint PATH] [--jobs N]

The input files are generated (deterministic, seeded) in a temporary folder: 3,000 option files
of about 12 lines each, drawn from the options real files set, with comments, client groups,
`loose-` and `skip-` prefixes, typos and quoted values, and one file of 200,000 lines made of
the same blocks.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = 3000
BIG_LINES = 200_000
SMALL_LINES = 20_000
FORMATS = ("text", "concise", "json", "sarif", "github")
GOAL_MANY, GOAL_MEMORY_MB, GOAL_STARTUP = 2.0, 300, 1.5

_SERVER = [
    "max_connections = {n}", "max_connect_errors = 100000", "wait_timeout = {t}",
    "interactive_timeout = 28800", "connect_timeout = {c}", "max_allowed_packet = {m}M",
    "net_buffer_length = 16K", "net_read_timeout = 60", "net_write_timeout = {w}",
    "skip-name-resolve", "log_error = /var/log/mysql/error.log", "slow_query_log = 1",
    "slow_query_log_file = /var/log/mysql/slow.log", "long_query_time = 2",
    "innodb_buffer_pool_size = {b}G", "innodb_log_file_size = 512M",
    "character-set-server = utf8mb4",
    "collation-server = utf8mb4_general_ci", "bind-address = 0.0.0.0", "port = 3306",
    "datadir = /var/lib/mysql", "socket = /var/run/mysqld/mysqld.sock", "server-id = {n}",
    "log_bin = mysql-bin", "binlog_format = ROW",
    "sql_mode = \"STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION\"",
    "table_open_cache = 4000", "tmp_table_size = 64M", "max_heap_table_size = 64M",
    "innodb_flush_log_at_trx_commit = 2", "loose-innodb_file_per_table = 1",
    "thread_cache_size = 16", "query_cache_size = 0", "wait_timout = 600",
    "key_buffer_size = 32M  # MyISAM only", "innodb_flush_method = O_DIRECT",
]
_CLIENT = ["port = 3306", "socket = /var/run/mysqld/mysqld.sock",
           "default-character-set = utf8mb4", "max_allowed_packet = {m}M", "quick"]


def _block(rng: random.Random, lines: int) -> list[str]:
    """One option file's lines: a comment, [mysqld] with options, sometimes a client group."""
    fill = {"n": rng.randint(1, 2000), "t": rng.choice([60, 600, 3600, 28800]),
            "c": rng.choice([2, 10, 60]), "m": rng.choice([4, 16, 64, 1024]),
            "w": rng.choice([30, 60, 120]), "b": rng.randint(1, 64)}
    out = [f"# host {rng.randint(1, 99999)}: generated", "[mysqld]"]
    client = rng.random() < 0.3
    body = lines - len(out) - (3 if client else 0)
    out += [s.format(**fill) for s in rng.sample(_SERVER, max(body, 1))]
    if client:
        out += ["", f"[{rng.choice(['client', 'mysql', 'mysqldump'])}]",
                rng.choice(_CLIENT).format(**fill)]
    return out


def make_many(folder: Path, count: int = FILES) -> int:
    """`count` option files of 8 to 16 lines under `folder`; the total of their lines."""
    rng = random.Random(16)
    total = 0
    for i in range(count):
        lines = _block(rng, rng.randint(8, 16))
        total += len(lines)
        (folder / f"host{i:05}.cnf").write_text("\n".join(lines) + "\n")
    return total


def make_big(path: Path, lines: int) -> None:
    """One file of `lines` lines: the blocks of many hosts one after another."""
    rng = random.Random(200)
    out: list[str] = []
    while len(out) < lines:
        out += _block(rng, rng.randint(8, 16))
    path.write_text("\n".join(out[:lines]) + "\n")


FLOOR = """\
import configparser, os, sys
for folder in sys.argv[1:]:
    for name in sorted(os.listdir(folder)):
        cp = configparser.ConfigParser(allow_no_value=True, strict=False, interpolation=None)
        cp.read(os.path.join(folder, name))
"""


# bytecode caches written, as after any real install (see startup.py)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4
    return wall, usage.ru_maxrss * 1024


def pairs(a: list[str], b: list[str], runs: int) -> tuple[float, float, float]:
    """Median wall of a, of b, and median ratio a/b over `runs` interleaved pairs (one warm-up)."""
    run(a), run(b)
    got = [(run(a)[0], run(b)[0]) for _ in range(runs)]
    return (statistics.median(x for x, _ in got), statistics.median(y for _, y in got),
            statistics.median(x / y for x, y in got))


def loadavg() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def many(lint: list[str], tmp: Path, runs: int, jobs: str | None) -> bool:
    folder = tmp / "many"
    folder.mkdir()
    total = make_many(folder)
    extra = ["--jobs", jobs] if jobs else []
    ours = [*lint, "check", "--format", "json", "--exit-zero", *extra, str(folder)]
    floor = [sys.executable, "-c", FLOOR, str(folder)]
    mine, theirs, ratio = pairs(ours, floor, runs)
    print(f"\n## {FILES:,} files ({total:,} lines), check --format json "
          f"{'--jobs ' + jobs if jobs else '(default jobs)'}\n\n"
          f"| command | median wall |\n|---|---|\n| mycnf-lint check | {mine:.2f} s |\n"
          f"| configparser read, one process | {theirs:.2f} s |\n\n"
          f"median ratio: **{ratio:.2f}x** (goal {GOAL_MANY}x) over {runs} pairs")
    return ratio <= GOAL_MANY


def memory(lint: list[str], tmp: Path, runs: int) -> bool:
    big = tmp / "big.cnf"
    make_big(big, BIG_LINES)
    print(f"\n## one file of {BIG_LINES:,} lines: peak memory per format\n\n"
          "| format | median wall | peak memory |\n|---|---|---|")
    ok = True
    for fmt in FORMATS:
        got = [run([*lint, "check", "--format", fmt, "--exit-zero", str(big)])
               for _ in range(max(1, runs // 2))]
        wall = statistics.median(w for w, _ in got)
        peak = max(m for _, m in got) / 2**20
        ok &= peak < GOAL_MEMORY_MB
        print(f"| {fmt} | {wall:.2f} s | {peak:.0f} MB |")
    print(f"\ngoal: below {GOAL_MEMORY_MB} MB in every format")
    return ok


def linear(lint: list[str], tmp: Path, runs: int) -> bool:
    small, big = tmp / "small.cnf", tmp / "big.cnf"
    make_big(small, SMALL_LINES)
    if not big.exists():
        make_big(big, BIG_LINES)

    def cmd(p: Path) -> list[str]:
        return [*lint, "check", "--format", "json", "--exit-zero", str(p)]

    t_big, t_small, ratio = pairs(cmd(big), cmd(small), runs)
    print(f"\n## time against lines (json)\n\n| lines | median wall |\n|---|---|\n"
          f"| {SMALL_LINES:,} | {t_small:.2f} s |\n| {BIG_LINES:,} | {t_big:.2f} s |\n\n"
          f"10x the lines costs **{ratio:.1f}x** the time (linear: about 10; start-up "
          "weighs on the small run)")
    return ratio < 11.5


def startup(lint: list[str], yamllint: str | None, runs: int) -> bool:
    if not yamllint:
        print("\n## start-up: skipped, yamllint is not installed (pip install yamllint)")
        return False
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from startup import CNF, YAML  # the same inputs as benchmarks/startup.py

    with tempfile.TemporaryDirectory() as tmp:
        cnf, yml = Path(tmp, "my.cnf"), Path(tmp, "x.yaml")
        cnf.write_text(CNF)
        yml.write_text(YAML)
        mine, theirs, ratio = pairs([*lint, "check", str(cnf)], [yamllint, str(yml)],
                                    max(runs, 20))
    print(f"\n## start-up\n\n| command | median wall |\n|---|---|\n"
          f"| mycnf-lint check (20 lines) | {mine * 1000:.1f} ms |\n"
          f"| yamllint (4 lines) | {theirs * 1000:.1f} ms |\n\n"
          f"median ratio: **{ratio:.2f}x** (goal {GOAL_STARTUP}x) over {max(runs, 20)} pairs")
    return ratio <= GOAL_STARTUP


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="many,memory,linear,startup")
    ap.add_argument("--mycnf-lint", default=shutil.which("mycnf-lint") or "mycnf-lint")
    ap.add_argument("--yamllint", default=shutil.which("yamllint"))
    ap.add_argument("--jobs", help="pass --jobs N to the many-files run (default: the CLI's)")
    ap.add_argument("--generate", metavar="FOLDER",
                    help="only write the inputs (many/, big.cnf, small.cnf) into FOLDER")
    a = ap.parse_args()
    if a.generate:
        out = Path(a.generate)
        (out / "many").mkdir(parents=True, exist_ok=True)
        print(f"{make_many(out / 'many')} lines in {FILES} files")
        make_big(out / "big.cnf", BIG_LINES)
        make_big(out / "small.cnf", SMALL_LINES)
        return 0
    lint = [a.mycnf_lint]
    only = set(a.only.split(","))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average at start "
          f"{loadavg()}")
    ok = True
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "many" in only:
            ok &= many(lint, tmp, a.runs, a.jobs)
        if "memory" in only:
            ok &= memory(lint, tmp, a.runs)
        if "linear" in only:
            ok &= linear(lint, tmp, a.runs)
        if "startup" in only:
            ok &= startup(lint, a.yamllint, a.runs)
    print(f"\nload average at end {loadavg()}; every goal reached: {'yes' if ok else 'no'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
