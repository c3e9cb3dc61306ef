"""Start-up of `mycnf-lint check` on one small file against yamllint on a small YAML file.

Interleaved runs (A B A B ...), whole processes, median wall time of each and the median of
the per-pair ratios; machines are noisy, so quote the ratio, not the seconds. Both run with
bytecode caches written (PYTHONDONTWRITEBYTECODE is dropped from their environment), as they are
after any real install: without them our own modules are compiled on every start, yamllint's,
compiled by pip, are not.

    python benchmarks/startup.py [--runs 30] [--mycnf-lint PATH] [--yamllint PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CNF = "\n".join((ROOT / "fixtures" / "complete-example.cnf").read_text().splitlines()[:20]) + "\n"
YAML = "a: 1\nb:\n  - c\n  - d\n"


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=ENV)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--mycnf-lint", default=shutil.which("mycnf-lint") or "mycnf-lint")
    ap.add_argument("--yamllint", default=shutil.which("yamllint"))
    a = ap.parse_args()
    if not a.yamllint:
        print("yamllint is not installed: pip install yamllint", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        cnf, yml = Path(tmp, "my.cnf"), Path(tmp, "x.yaml")
        cnf.write_text(CNF)
        yml.write_text(YAML)
        ours, theirs = [a.mycnf_lint, "check", str(cnf)], [a.yamllint, str(yml)]
        timed(ours), timed(theirs)  # warm the file cache
        pairs = [(timed(ours), timed(theirs)) for _ in range(a.runs)]
    mine = statistics.median(p[0] for p in pairs)
    yl = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    print(f"| command | median wall |\n|---|---|\n| mycnf-lint check (20 lines) | "
          f"{mine * 1000:.1f} ms |\n| yamllint (4 lines) | {yl * 1000:.1f} ms |\n\n"
          f"median ratio mycnf-lint / yamllint: {ratio:.2f} over {a.runs} interleaved pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
