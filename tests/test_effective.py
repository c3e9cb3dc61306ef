"""`effective`: the values a program will use, with the line each comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_runner import invoke


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def effective(*args: str) -> dict:
    result = invoke(["effective", "--flavor", "mariadb-10.11", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_names_values_raw_text_and_source_line(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nwait-timeout = 8h\nWait_Timeout = 600\n"
                                     "max_allowed_packet = 1000000\nskip-name-resolve\n"
                                     "slow_query_log = off\n")
    doc = effective("my.cnf")
    assert doc["program"] == "mysqld" and doc["flavor"] == "mariadb-10.11"
    assert doc["files"] == ["my.cnf"]
    opts = doc["options"]
    assert opts["wait_timeout"] == {"value": 600, "raw": "600", "source": "my.cnf:3"}
    assert opts["max_allowed_packet"]["value"] == 999424  # rounded down to the block size
    assert opts["skip_name_resolve"] == {"value": True, "raw": None, "source": "my.cnf:5"}
    assert opts["slow_query_log"]["value"] is False
    assert doc["warnings"] == [  # a line the server refuses is reported even if overridden
        "my.cnf:2: error: unknown suffix 'h' in '8h' for 'wait_timeout'; legal suffixes are "
        "K, M, G, T, P, E: the server refuses to start"]

def test_fatal_lines_are_reported_as_warnings_of_the_run(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nwait_timeout = 8h\n")
    doc = effective("my.cnf")
    assert "wait_timeout" not in doc["options"]
    assert any("my.cnf:2: error" in w for w in doc["warnings"])


def test_client_programs_read_their_own_groups(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nmax_allowed_packet = 1G\n[mysqldump]\n"
                                     "max_allowed_packet = 64M\n[client]\npassword = s3cr3t\n")
    doc = effective("--program", "mysqldump", "my.cnf")
    assert doc["options"]["max_allowed_packet"]["value"] == 64 * 1024 * 1024
    assert doc["options"]["password"] == {"value": "********", "raw": "********",
                                          "source": "my.cnf:6"}


def test_text_shows_the_written_form_beside_the_value(tmp_path: Path) -> None:
    (tmp_path / "my.cnf").write_text("[mysqld]\nmax_allowed_packet = 64M\n")
    out = invoke(["effective", "--flavor", "mariadb-10.11", "my.cnf"]).stdout
    assert "max_allowed_packet = 67108864 (written 64M)  # my.cnf:2" in out
