"""Where the shipped data lives: rules/, templates/ and the catalogue, in a wheel or a checkout."""

from __future__ import annotations

import os

# os.path, not pathlib: pathlib's import costs more than a whole `check` of one file
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def data_dir(name: str) -> str:
    """Return the folder `name` ("rules", "templates"): inside the package in a wheel,
    at the top of the repository in a source checkout or an editable install."""
    inside = os.path.join(PACKAGE_DIR, name)
    if os.path.isdir(inside):
        return inside
    return os.path.join(os.path.dirname(PACKAGE_DIR), name)


def catalogue_dir() -> str:
    """Return the folder of per-flavor catalogue JSON files."""
    return os.path.join(PACKAGE_DIR, "catalogue")


def toml_files(folder: str) -> list[str]:
    """The *.toml files of a folder, sorted by name (none when it does not exist)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(os.path.join(folder, n) for n in names if n.endswith(".toml"))
