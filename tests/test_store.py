"""The compact finding store: what comes out equals what went in, sorted as `sort_findings`
sorts; and `check` writes the same bytes in every format, with fixes and exit codes, whether
the findings are held as a list or in columns (the threshold forced to 0)."""

from __future__ import annotations

import random
import shutil
import sys
from array import array
from pathlib import Path

import pytest

from mycnf_lint import store as store_mod
from mycnf_lint.findings import Edit, Finding, exit_code, sort_findings
from mycnf_lint.lint.pipeline import Options, run
from mycnf_lint.report.formats import FORMATS, render
from mycnf_lint.store import FindingStore

from .cli_runner import Result, invoke

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
SUPPRESS = ROOT / "fixtures" / "suppress"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(),
                                  reason="../shared/corpus is not next to the checkout")


def _random_findings(seed: int, count: int) -> list[Finding]:
    """Findings with few distinct values, positions out of order in places, edits at their
    finding's line and elsewhere, and identical copies."""
    rnd = random.Random(seed)
    out: list[Finding] = []
    for _ in range(count):
        if out and rnd.random() < 0.1:
            out.append(rnd.choice(out))  # the same finding again
            continue
        file, line = rnd.choice(["a.cnf", "b.cnf", ""]), rnd.randint(0, 40)
        edit = rnd.choice([None, Edit("delete-line", file, line, "x"),
                           Edit("set-value", file, line, "y", "1", inputs=("y", "z")),
                           Edit("add-option", "b.cnf", 3, "z", "2", "mysqld", (("k", "v"),))])
        out.append(Finding(rnd.choice(["MCL008", "MCL304", "MCL402"]), "n",
                           rnd.choice(["error", "warning", "info"]), file, line,
                           rnd.randint(0, 3), rnd.choice([None, "x", "y"]),
                           rnd.choice(["m1", "m2", "m1"]), rnd.random() < 0.2,
                           "unsafe" if edit else None, edit))
    return out


def _with_edits(findings: object) -> list[tuple[Finding, Edit | None]]:
    return [(f, f.edit) for f in findings]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("compact_after", [0, 1, 50, 10**9])
def test_the_store_gives_back_what_sort_findings_gives(seed: int, compact_after: int) -> None:
    findings = _random_findings(seed, 400)
    store = FindingStore(compact_after)
    store.extend(findings)
    assert len(store) == len(findings)
    assert store.compact == (compact_after < len(findings))
    got = store.ordered()
    assert _with_edits(got) == _with_edits(sort_findings(findings))
    assert _with_edits(got) == _with_edits(got)  # a second pass reads the same
    assert len(got) == len(sort_findings(findings))
    assert exit_code(got) == exit_code(findings)


def test_ties_keep_the_order_found_across_runs() -> None:
    a = Finding("MCL001", "a", "info", "f", 5, 1, None, "first")
    b = Finding("MCL001", "a", "info", "f", 5, 1, None, "second")
    c = Finding("MCL001", "a", "info", "f", 2, 1, None, "earlier line")
    store = FindingStore(0)
    store.extend([a, c, b, a])  # two runs: [a], [c, b, a]; a twice
    assert list(store.ordered()) == [c, a, b]


def test_an_edit_at_its_findings_line_is_kept_once_for_all() -> None:
    store = FindingStore(0)
    for n in range(1, 1001):
        store.append(Finding("MCL304", "duplicate-option", "warning", "my.cnf", n, 1, "x",
                             "x is set again", False, "safe",
                             Edit("delete-line", "my.cnf", n, "x")))
    assert len(store._edits) == 2 and len(store._texts) == 3  # None and the one template
    assert [f.edit for f in store.ordered()] == [Edit("delete-line", "my.cnf", n, "x")
                                                 for n in range(1, 1001)]


def test_a_line_past_four_bytes_widens_its_column() -> None:
    far = Finding("MCL001", "a", "info", "f", 2**40, 2**33, None, "far")
    store = FindingStore(0)
    store.extend([Finding("MCL001", "a", "info", "f", 1, 1, None, "near"), far])
    assert store._line.itemsize == store._column.itemsize == array("q").itemsize
    assert list(store.ordered())[-1] == far


def test_a_store_that_stays_small_is_a_plain_sorted_list() -> None:
    findings = _random_findings(1, 30)
    store = FindingStore()
    store.extend(findings)
    assert not store.compact
    assert type(store.ordered()) is list


def test_the_compact_view_sizes_and_indexes_like_a_list() -> None:
    findings = _random_findings(2, 100)
    store = FindingStore(0)
    store.extend(findings)
    view, want = store.ordered(), sort_findings(findings)
    assert view == want and len(view) == len(want) and bool(view)
    assert view[0] == want[0] and view[-3:] == want[-3:]
    empty = FindingStore(0).ordered()
    assert not empty and len(empty) == 0 and list(empty) == []


def _both(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[Result, Result]:
    """`args` run with the findings in a list, then in columns from the first one."""
    normal = invoke(args)
    with monkeypatch.context() as m:
        m.setattr(store_mod, "COMPACT_AFTER", 0)
        compact = invoke(args)
    return normal, compact


def _formats(monkeypatch: pytest.MonkeyPatch, paths: list[str], flavor: str,
             extra: tuple[str, ...] = ()) -> None:
    for fmt in FORMATS:
        args = ["check", "--format", fmt, "--flavor", flavor, "--profile", "pooled", *extra,
                *paths]
        normal, compact = _both(monkeypatch, args)
        assert normal.exit_code in (0, 1), normal.stderr
        assert (compact.exit_code, compact.stdout, compact.stderr) == (
            normal.exit_code, normal.stdout, normal.stderr), f"{fmt} differs ({paths[:1]})"


@needs_corpus
@pytest.mark.parametrize("flavor", ["mariadb-10.11", "mysql-8.0"])
def test_every_corpus_file_reads_the_same_from_a_compact_store(
        flavor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file alone (every format, and the text a terminal gets), in place."""
    files = sorted(CORPUS.iterdir())
    assert len(files) > 100
    for path in files:
        opts = Options(flavor=flavor, profile="pooled")
        normal = run([str(path)], opts)
        with monkeypatch.context() as m:
            m.setattr(store_mod, "COMPACT_AFTER", 0)
            compact = run([str(path)], opts)
        assert _with_edits(compact.findings) == _with_edits(normal.findings), path
        assert exit_code(compact.findings) == exit_code(normal.findings)
        for fmt in FORMATS:
            for tty in (False, True):
                assert render(compact.findings, fmt, compact.rules, tty) == render(
                    normal.findings, fmt, normal.rules, tty), f"{path}: {fmt}"


@needs_corpus
@pytest.mark.parametrize("flavor", ["mariadb-10.11", "mysql-8.0"])
def test_the_corpus_checked_whole_writes_the_same_from_a_compact_store(
        flavor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """All files in one run (one process, and a pool), every format; --select/--ignore;
    --diff with unsafe fixes."""
    files = [str(p) for p in sorted(CORPUS.iterdir())]
    _formats(monkeypatch, files, flavor, ("--jobs", "1"))
    _formats(monkeypatch, files, flavor, ("--jobs", "2"))
    _formats(monkeypatch, files, flavor, ("--select", "MCL0,duplicate-option", "--ignore",
                                          "MCL008", "-q"))
    normal, compact = _both(monkeypatch, ["check", "--diff", "--unsafe-fixes", "--flavor",
                                          flavor, "--profile", "pooled", *files])
    assert normal.exit_code == 1 and normal.stdout.startswith("---"), normal.stderr
    assert (compact.exit_code, compact.stdout, compact.stderr) == (
        normal.exit_code, normal.stdout, normal.stderr)


def test_suppressions_read_the_same_from_a_compact_store(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    files = [str(p) for p in sorted(SUPPRESS.iterdir())]
    for path in files:
        _formats(monkeypatch, [path], "mariadb-10.11")
    _formats(monkeypatch, files, "mariadb-10.11")
    _formats(monkeypatch, files, "mariadb-10.11", ("--ignore", "useless-suppression"))
    _formats(monkeypatch, files, "mariadb-10.11", ("--select", "MCL09"))


def test_fix_writes_the_same_with_a_compact_store(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    fixtures = ROOT / "fixtures"
    written = []
    for mode, limit in (("normal", None), ("compact", 0)):
        folder = tmp_path / mode
        for sub in ("fix", "suppress"):
            shutil.copytree(fixtures / sub, folder / sub)
        shutil.copy(fixtures / "complete-example.cnf", folder)
        with monkeypatch.context() as m:
            if limit is not None:
                m.setattr(store_mod, "COMPACT_AFTER", limit)
            m.chdir(folder)
            result = invoke(["check", "--fix", "--unsafe-fixes", "--profile", "pooled",
                             "--flavor", "mariadb-10.11", "."])
        assert result.exit_code in (0, 1), result.stderr
        files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
                 if p.is_file()}
        written.append((result.exit_code, result.stdout, result.stderr, files))
    assert "Fixed" in written[0][2]
    assert written[1] == written[0]


def test_a_huge_run_holds_a_few_tens_of_bytes_a_finding(tmp_path: Path) -> None:
    """100,000 duplicate options: the store's columns, not a record a finding."""
    path = tmp_path / "my.cnf"
    path.write_text("[mysqld]\n" + "".join(f"max_connections = {n}\n" for n in range(100_000)))
    result = run([str(path)], Options(flavor="mariadb-10.11"))
    view = result.findings
    assert type(view) is store_mod.Ordered and len(view) > 99_999
    held = view._store  # type: ignore[attr-defined]
    columns = (held._kind, held._file, held._variable, held._message, held._edit, held._line,
               held._column)
    assert sum(sys.getsizeof(c) for c in columns) < 40 * len(held)
    assert len(held._texts) + len(held._edits) + len(held._kinds) < 40  # a dozen other findings
