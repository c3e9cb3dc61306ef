"""Where the shipped data lives: rules/, templates/ and the catalogue, in a wheel or a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` ("rules", "templates"): inside the package in a wheel,
    at the top of the repository in a source checkout or an editable install."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def catalogue_dir() -> Path:
    """Return the folder of per-flavor catalogue JSON files."""
    return PACKAGE_DIR / "catalogue"


def toml_files(folder: Path) -> list[str]:
    """The *.toml files of a folder, sorted by name (none when it does not exist)."""
    try:
        return sorted(str(p) for p in folder.iterdir() if p.name.endswith(".toml"))
    except OSError:
        return []
