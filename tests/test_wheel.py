"""The wheel carries its data: installed into a fresh venv, `render` finds the templates and
`rules` the rules, run from a folder that is not the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# what pip says when the registry cannot be reached or lacks a package
_OFFLINE = ("No matching distribution found", "Could not find a version",
            "Failed to establish a new connection", "Network is unreachable")


def run(args: list[str | Path], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) with the project's wheel in it; its bin/."""
    tmp = tmp_path_factory.mktemp("wheel")
    # build from a copy: setuptools writes build/ and *.egg-info beside the sources
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", ".*_cache", "__pycache__", "fixtures"))
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp / "dist", src], tmp)
    if built.returncode != 0 and any(m in built.stdout + built.stderr for m in _OFFLINE):
        pytest.skip("cannot fetch the build backend (setuptools) for an isolated build: "
                    "registry unavailable")
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("mycnf_lint-*.whl")
    venv = tmp / "venv"
    made = run([sys.executable, "-m", "venv", venv], tmp)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / "bin"
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    got = run([bin_dir / "python", "-m", "pip", "install", "-q", *deps], tmp)
    if got.returncode != 0:
        last = (got.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"cannot install the dependencies into a fresh venv (registry?): {last}")
    put = run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", wheel], tmp)
    assert put.returncode == 0, put.stdout + put.stderr
    return bin_dir


def test_installed_package_is_not_the_checkout(installed: Path) -> None:
    where = run([installed / "python", "-c",
                 "from mycnf_lint.resources import data_dir; print(data_dir('templates'))"],
                installed.parent.parent)
    assert where.returncode == 0, where.stderr
    folder = Path(where.stdout.strip())
    assert "site-packages" in folder.parts and (folder / "my.cnf.j2").is_file()


def test_installed_render_finds_its_templates_and_rules(installed: Path) -> None:
    cwd = installed.parent.parent
    out = cwd / "batch.cnf"
    done = run([installed / "mycnf-lint", "render", "--profile", "batch", "--flavor",
                "mariadb-10.11", "-o", out], cwd)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "[mysqld]" in text and "max_allowed_packet  = 256M" in text
    checked = run([installed / "mycnf-lint", "check", "--profile", "batch", "--flavor",
                   "mariadb-10.11", out], cwd)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed.\n")


def test_installed_rules_lists_the_rules(installed: Path) -> None:
    done = run([installed / "mycnf-lint", "rules"], installed.parent.parent)
    assert done.returncode == 0, done.stderr
    assert "MCL101" in done.stdout and "wait-timeout-below-pool-recycle" in done.stdout
