"""The pre-commit hooks: which file names they pick, and a real `pre-commit try-repo` run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, available_flavors

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
FLAVOR = DEFAULT_FLAVOR if DEFAULT_FLAVOR in available_flavors() else available_flavors()[0]
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or \
    shutil.which("pre-commit")


def picked(path: str, hook: str = "mycnf-lint") -> bool:
    """pre-commit's own test: `files` searched and `exclude` not searched in the path."""
    h = HOOKS[hook]
    return bool(re.search(h["files"], path)) and not re.search(h.get("exclude", "^$"), path)


@pytest.mark.parametrize("path", [
    "my.cnf", "my.ini", ".my.cnf", "etc/my.cnf", "deploy/windows/my.ini", "home/app/.my.cnf",
    "etc/mysql/conf.d/50-tuning.cnf", "etc/mysql/mysql.conf.d/mysqld.cnf",
    "etc/mysql/mariadb.conf.d/50-server.cnf", "etc/my.cnf.d/galera.cnf",
    "mysqld.cnf", "mysqld_safe.cnf", "mariadb-server.cnf", "mariadb.cnf", "client.cnf",
    "client-ssl.cnf", "server.cnf", "docker/mysqld-replica.cnf", "my-large.cnf",
])
def test_option_files_are_picked(path: str) -> None:
    assert picked(path)
    assert picked(path, "mycnf-lint-fix")


@pytest.mark.parametrize("path", [
    ".mylogin.cnf", "home/app/.mylogin.cnf", "conf.d/.mylogin.cnf",
    "var/lib/mysql/mysqld-auto.cnf", "mysqld-auto.cnf", "mysql.conf.d/mysqld-auto.cnf",
    "ssl/openssl.cnf", "ca.cnf", "my.cnf.bak", "my.cnf.j2", "conf.d/readme.txt",
    "conf.d/sub/x.cnf", "notmy.cnf", "myserver.cnf", "server.cnf.orig", "docs/my.cnf.md",
])
def test_other_files_are_left_alone(path: str) -> None:
    assert not picked(path)
    assert not picked(path, "mycnf-lint-fix")


def test_hooks_run_check_in_python() -> None:
    assert HOOKS["mycnf-lint"]["entry"] == "mycnf-lint check"
    assert HOOKS["mycnf-lint-fix"]["entry"] == "mycnf-lint check --fix"
    assert {h["language"] for h in HOOKS.values()} == {"python"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with a good and a bad option file, a file pre-commit must skip, and a
    configuration that pins an available flavor and the reader rules."""
    if PRE_COMMIT is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    path = tmp_path_factory.mktemp("hooked")
    (path / ".mycnf-lint.toml").write_text(f'flavor = "{FLAVOR}"\nselect = ["MCL0"]\n')
    (path / "good").mkdir()
    (path / "good" / "my.cnf").write_text("[mysqld]\nmax_connections = 200\n")
    (path / "bad").mkdir()
    (path / "bad" / "my.cnf").write_text("[mysqld]\nno_such_option = 1\n")
    (path / "mysqld-auto.cnf").write_text('{"Version": 2, "mysql_dynamic_parse_early": {}}\n')
    _git(path, "init", "-q")
    _git(path, "add", ".")
    _git(path, "commit", "-q", "-m", "files")
    return path


def try_repo(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
           "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--color", "never",
                           "--files", *files], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=900)


def test_try_repo_passes_a_good_file_and_skips_non_option_files(repo: Path) -> None:
    proc = try_repo(repo, "mycnf-lint", "good/my.cnf", "mysqld-auto.cnf")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_try_repo_fails_a_bad_file(repo: Path) -> None:
    proc = try_repo(repo, "mycnf-lint", "good/my.cnf", "bad/my.cnf")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout
    assert "bad/my.cnf:2:1: MCL008" in proc.stdout


def test_try_repo_fix_hook(repo: Path) -> None:
    help_text = subprocess.run([sys.executable, "-m", "mycnf_lint", "check", "--help"],
                               capture_output=True, text=True).stdout
    if "--fix" not in help_text:
        pytest.skip("`mycnf-lint check --fix` is not there yet; the hook is declared for it")
    proc = try_repo(repo, "mycnf-lint-fix", "good/my.cnf")
    assert proc.returncode == 0, proc.stdout + proc.stderr
