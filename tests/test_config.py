"""Configuration discovery and validation: nearest file wins, unknown keys are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from mycnf_lint.config import Config, ConfigError, discover, find, load


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_configuration_gives_defaults(tmp_path: Path) -> None:
    assert discover(tmp_path) is None  # nothing in tmp_path nor above it
    assert find(tmp_path) == Config()


def test_nearest_folder_wins(tmp_path: Path) -> None:
    write(tmp_path / ".mycnf-lint.toml", 'flavor = "mysql-8.0"\n')
    near = write(tmp_path / "a" / "pyproject.toml", '[tool.mycnf-lint]\nflavor = "mariadb-10.11"\n')
    (tmp_path / "a" / "b").mkdir()
    assert discover(tmp_path / "a" / "b") == str(near.resolve())
    assert find(tmp_path / "a" / "b").flavor == "mariadb-10.11"
    assert find(tmp_path).flavor == "mysql-8.0"


def test_dedicated_file_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mycnf-lint]\nflavor = "mysql-8.0"\n')
    dedicated = write(tmp_path / ".mycnf-lint.toml", 'flavor = "mysql-5.7"\n')
    assert discover(tmp_path) == str(dedicated.resolve())


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    outer = write(tmp_path / ".mycnf-lint.toml", 'flavor = "mysql-8.0"\n')
    write(tmp_path / "inner" / "pyproject.toml", '[tool.ruff]\nline-length = 100\n')
    assert discover(tmp_path / "inner") == str(outer.resolve())


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", """
[tool.mycnf-lint]
flavor = "mariadb-10.11"
select = ["MCL1", "unknown-option"]
ignore = "MCL009, MCL011"
format = "github"
rules = ["ci/extra-rules.toml", "/abs/rules.toml"]
exit-zero = true

[tool.mycnf-lint.profile]
extends = "web"
pool_recycle = "30m"
""")
    cfg = load(path)
    assert cfg == Config(
        path=str(path), flavor="mariadb-10.11", profile=None,
        profile_table={"extends": "web", "pool_recycle": "30m"},
        select=["MCL1", "unknown-option"], ignore=["MCL009", "MCL011"], format="github",
        rules=[str(tmp_path / "ci" / "extra-rules.toml"), "/abs/rules.toml"], exit_zero=True,
    )


def test_profile_name_and_profile_file(tmp_path: Path) -> None:
    assert load(write(tmp_path / ".mycnf-lint.toml", 'profile = "web"\n')).profile == "web"
    cfg = load(write(tmp_path / ".mycnf-lint.toml", 'profile = "ops/app.toml"\n'))
    assert cfg.profile == str(tmp_path / "ops" / "app.toml")


def test_dedicated_file_takes_a_profile_table(tmp_path: Path) -> None:
    cfg = load(write(tmp_path / ".mycnf-lint.toml", '[profile]\nconnections = 200\n'))
    assert cfg.profile_table == {"connections": 200}


def test_unknown_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.mycnf-lint]\nselects = ["MCL1"]\n')
    with pytest.raises(ConfigError) as err:
        load(path)
    assert str(path) in str(err.value)
    assert "'selects'" in str(err.value)


@pytest.mark.parametrize(("text", "words"), [
    ('format = "xml"', "format 'xml'"),
    ("exit-zero = 1", "exit-zero must be true or false"),
    ("select = [1, 2]", "select must be a list of strings"),
    ('flavor = ""', "flavor must be a non-empty string"),
    ("flavor = [", "invalid TOML"),
])
def test_bad_values_are_refused(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path / ".mycnf-lint.toml", text + "\n")
    with pytest.raises(ConfigError, match=words) as err:
        load(path)
    assert str(err.value).startswith(str(path))


def test_broken_toml_message_has_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / ".mycnf-lint.toml", 'flavor = "x"\nselect = ]\n')
    with pytest.raises(ConfigError, match="line 2"):
        load(path)
