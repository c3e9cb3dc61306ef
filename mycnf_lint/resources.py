"""Where the shipped data lives: rules/, templates/ and the catalogue, in a wheel or a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` ("rules", "templates"): inside the package in a wheel,
    at the top of the repository in a source checkout or an editable install."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def catalogue_dir() -> Path:
    """Return the folder of per-flavor catalogue JSON files."""
    return PACKAGE_DIR / "catalogue"
