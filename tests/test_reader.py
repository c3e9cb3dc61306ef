"""Reading rules that hold for flavors with no server here to compare with (MySQL), and the
corpus read under every flavor without a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from mycnf_lint.lint.pipeline import Options, check
from mycnf_lint.reader import catalogue, model
from mycnf_lint.reader.includes import read_tree

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "files"


def build(tmp_path: Path, text: str, flavor: str) -> model.Model:
    path = tmp_path / "my.cnf"
    path.write_text(text)
    return model.build(read_tree(str(path)), catalogue.load(flavor), "mysqld")


@pytest.mark.parametrize("flavor", ["mysql-8.0", "mysql-8.4"])
def test_mysql_8_refuses_option_prefixes(tmp_path: Path, flavor: str) -> None:
    m = build(tmp_path, "[mysqld]\nwait = 16\n", flavor)
    assert m.fatal and [e.rule for e in m.events] == ["unknown-option"]


def test_mariadb_accepts_a_unique_prefix_with_a_warning(tmp_path: Path) -> None:
    m = build(tmp_path, "[mysqld]\nwait = 16\n", "mariadb-10.11")
    assert not m.fatal and m.effective["wait_timeout"].value == 16
    assert [e.rule for e in m.events] == ["abbreviated-option"]


def test_mysql_has_no_autoset_prefix(tmp_path: Path) -> None:
    assert build(tmp_path, "[mysqld]\nautoset-wait_timeout\n", "mysql-8.4").fatal


@pytest.mark.parametrize("flavor", catalogue.FLAVORS)
def test_every_flavor_reads_the_complete_example_without_fatal_findings(flavor: str) -> None:
    findings = check([str(ROOT / "fixtures" / "complete-example.cnf")], Options(flavor=flavor))
    assert [f.message for f in findings if f.fatal] == []


def test_mysql_groups_include_the_version_group_not_mariadb_ones(tmp_path: Path) -> None:
    text = "[mysqld-8.4]\nwait_timeout = 11\n[mariadb]\nwait_timeout = 12\n"
    assert build(tmp_path, text, "mysql-8.4").effective["wait_timeout"].value == 11


def test_removed_option_message_says_when_it_was_removed(tmp_path: Path) -> None:
    m = build(tmp_path, "[mysqld]\nquery_cache_size = 0\n", "mysql-8.4")
    assert "removed in MySQL 8.0" in m.events[0].message


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not next to the checkout")
@pytest.mark.parametrize("flavor", catalogue.FLAVORS)
def test_every_corpus_file_lints_under_every_flavor_and_profile(flavor: str) -> None:
    files = sorted(str(p) for p in CORPUS.iterdir())
    for profile in ("default", "pooled", "per-request", "batch", "interactive"):
        findings = check(files, Options(flavor=flavor, profile=profile))
        assert all(f.file and f.line >= 0 and f.rule.startswith("MCL") for f in findings)
