"""Workload profiles: built-ins from rules/profiles/, user TOML files, `extends`, validation."""

from __future__ import annotations

from typing import Any


def resolve_profile(spec: str | None, table: dict[str, Any] | None) -> object:
    return None
