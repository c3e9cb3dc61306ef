"""`check --jobs N` writes exactly what one process writes: same findings, same order, same
suppressions, on the public corpus (skipped when it is not next to the checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mycnf_lint.lint import pipeline
from mycnf_lint.lint.pipeline import Options, run

from .cli_runner import invoke

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(),
                                  reason="../shared/corpus is not next to the checkout")


@needs_corpus
@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_the_corpus_reads_the_same_with_one_process_and_with_a_pool(fmt: str) -> None:
    # two flavors: the corpus is mostly MySQL files, MariaDB resolves names differently
    for flavor in ("mariadb-10.11", "mysql-8.0"):
        args = ["check", "--format", fmt, "--flavor", flavor, "--profile", "pooled", str(CORPUS)]
        one = invoke([*args, "--jobs", "1"])
        assert one.exit_code in (0, 1), one.stderr
        assert one.stdout.count("MCL") > 100  # the corpus has plenty to say
        for jobs in ("2", "3"):
            many = invoke([*args, "--jobs", jobs])
            assert (many.exit_code, many.stdout, many.stderr) == (
                one.exit_code, one.stdout, one.stderr), f"--jobs {jobs} differs ({flavor})"


@needs_corpus
def test_a_pool_is_used_for_the_corpus_and_its_result_matches(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    used: list[int] = []
    spread = pipeline._run_parallel

    def spy(paths: list[str], opts: Options, workers: int):  # type: ignore[no-untyped-def]
        used.append(workers)
        return spread(paths, opts, workers)

    monkeypatch.setattr(pipeline, "_run_parallel", spy)
    one = run([str(CORPUS)], Options(flavor="mariadb-10.11", jobs=1))
    assert used == []
    many = run([str(CORPUS)], Options(flavor="mariadb-10.11", jobs=2))
    assert used == [2]
    assert [(f, f.edit) for f in many.findings] == [(f, f.edit) for f in one.findings]


@needs_corpus
def test_a_pool_says_nothing_on_stderr(tmp_path: Path) -> None:
    """Workers inherit the command line's signal handlers; ending the pool must not make them
    print tracebacks."""
    proc = subprocess.run(
        [sys.executable, "-m", "mycnf_lint", "check", "--jobs", "2", "--format", "concise",
         "--flavor", "mariadb-10.11", str(CORPUS)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert proc.stdout.count("\n") > 100


def test_few_paths_stay_in_one_process(tmp_path: Path) -> None:
    paths = []
    for i in range(pipeline.MIN_PATHS_PER_PROCESS):
        path = tmp_path / f"{i}.cnf"
        path.write_text("[mysqld]\nwait_timout = 1\n")
        paths.append(str(path))
    assert pipeline._workers(0, paths) == 1
    assert pipeline._workers(2, paths * 2) == 2
    assert pipeline._workers(2, [*paths * 2, "-"]) == 1  # stdin is read by this process only
