"""Huge files are held compactly (lines parsed on demand, beaten settings and events in arrays):
the output is byte for byte what the records of a small file give, on the corpus and fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mycnf_lint.reader import applied, eventlog, optionfile

from .cli_runner import Result, invoke

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
FIXTURES = ROOT / "fixtures"
FLAVORS = ("mariadb-10.11", "mysql-8.0")
# every size above which a file is held compactly: 0 makes every file huge
THRESHOLDS = ((optionfile, "KEEP"), (applied, "KEEP"), (eventlog, "KEEP"))


def _inputs() -> list[Path]:
    found = sorted(p for p in FIXTURES.rglob("*.cnf") if p.is_file())
    if CORPUS.is_dir():
        found += sorted(CORPUS.iterdir())
    return found


def _outputs(flavor: str) -> Iterator[tuple[str, Result]]:
    """Every output compared, named by what made it."""
    paths = [str(p) for p in _inputs()]
    for args in (["check", "--format", "json"], ["check", "--unsafe-fixes", "--diff"]):
        yield " ".join(args), invoke([*args, "--jobs", "1", "--flavor", flavor, *paths])
    for path in paths:
        yield f"effective {path}", invoke(["effective", "--format", "json", "--flavor", flavor,
                                           path])
    complete = str(FIXTURES / "complete-example.cnf")
    yield "effective --all", invoke(["effective", "--all", "--flavor", flavor, complete])


def _compact(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, name in THRESHOLDS:
        monkeypatch.setattr(module, name, 0)


def test_a_small_threshold_holds_a_file_compactly(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"[mysqld]\nport = 1\n"
    assert not optionfile.parse("my.cnf", data).lines.on_demand
    _compact(monkeypatch)
    compact = optionfile.parse("my.cnf", data)
    assert compact.lines.on_demand and [ln.key for ln in compact.lines] == ["", "port"]


@pytest.mark.parametrize("flavor", FLAVORS)
def test_every_input_gives_the_same_output_held_compactly(flavor: str,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    normal = dict(_outputs(flavor))
    assert normal["check --format json"].stdout.count('"rule"') > 100  # plenty to compare
    _compact(monkeypatch)
    for what, got in _outputs(flavor):
        want = normal[what]
        assert (got.exit_code, got.stdout, got.stderr) == (
            want.exit_code, want.stdout, want.stderr), f"{what} differs held compactly"


def test_a_huge_model_yields_its_winners_themselves_and_equal_copies_of_the_rest(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from mycnf_lint.reader import catalogue, model
    from mycnf_lint.reader.includes import read_tree

    path = tmp_path / "my.cnf"
    path.write_text("[mysqld]\n" + "".join(f"port = {n}\nwaitt = {n}\n" for n in range(1, 40)))
    cat = catalogue.load("mariadb-10.11")
    normal = model.build(read_tree(str(path)), cat)
    _compact(monkeypatch)
    huge = model.build(read_tree(str(path)), cat)
    assert isinstance(huge.settings, applied.Applied) and isinstance(huge.events, eventlog.Events)
    assert list(huge.settings) == list(normal.settings) and len(huge.settings) == 39
    assert [s for s in huge.settings if s is huge.effective["port"]] == [huge.effective["port"]]
    assert list(huge.events) == list(normal.events) and len(huge.events) == 39
    assert huge.events[-1] == normal.events[-1] and huge.events[0].line == 3
