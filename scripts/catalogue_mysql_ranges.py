"""Ranges, block sizes, defaults and signedness of the MySQL flavors' numeric options.

The facts live in ``scripts/catalogue_deltas/mysql-<version>-ranges.toml``, transcribed from the
server's declarations (``sql/sys_vars.cc``, ``ha_innodb.cc``, plugin sources) with the file and
declaration of each one. This module reads those files and applies them to a catalogue.

Layout of a ranges file:

* ``[files.<key>]``: ``repo``, ``path``, ``version`` of one source file (or ``url`` and
  ``version`` of a page of MySQL's own: a worklog or the manual, where no source file of the
  version could be read).
* ``[ranges_<key>]``: ``name = {min, max, block?, default?, getopt?, override_default?, at}``,
  each fact cited by ``at`` (the declaration) in the file of ``[files.<key>]``.
* ``[same_<key>]``: ``names = [...]`` whose declarations in that file were read and found equal to
  the base flavor's (``base = "mysql-8.0"`` at the top); their facts are the base's, cited here.
* ``[carried]``: ``note = "..."``: every other fact of the base flavor whose option this flavor
  still has is taken over with the base's citation plus the note (which must say why no copy of
  this version's file could be read), without its default: the delta file's defaults stay.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DELTA_DIR = Path(__file__).resolve().parent / "catalogue_deltas"
NUMERIC = ("int", "uint", "long", "ulong", "ll", "ull", "double")


@dataclass(frozen=True)
class Fact:
    """One option's cited numeric facts."""

    name: str
    min: int | float
    max: int | float
    block: int | None
    default: int | float | None
    getopt: str | None
    override_default: bool
    source: str  # "repo path (version): declaration"


def ranges_path(flavor: str) -> Path:
    """The ranges file of a MySQL flavor."""
    return DELTA_DIR / f"{flavor}-ranges.toml"


def load_facts(flavor: str) -> dict[str, Fact]:
    """Every cited fact of a flavor, by option name (empty when the flavor has no ranges file)."""
    path = ranges_path(flavor)
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text())
    files = data.get("files", {})
    base = load_facts(data["base"]) if "base" in data else {}
    facts: dict[str, Fact] = {}
    for table, entries in data.items():
        if table.startswith("ranges_"):
            cite = _cite(files, table.removeprefix("ranges_"), path)
            for name, spec in entries.items():
                _add(facts, _fact(name, spec, cite), path)
        elif table.startswith("same_"):
            cite = _cite(files, table.removeprefix("same_"), path)
            for name in entries["names"]:
                if name not in base:
                    raise SystemExit(f"{path.name}: {name} is not in {data['base']}'s ranges")
                old = base[name]
                at = old.source.split(": ", 1)[1]
                _add(facts, Fact(name, old.min, old.max, old.block, old.default, old.getopt,
                                 False, f"{cite}: {at} (read, unchanged)"), path)
    if "carried" in data:
        note = data["carried"]["note"]
        for name, old in base.items():
            if name not in facts:
                facts[name] = Fact(name, old.min, old.max, old.block, None, old.getopt, False,
                                   f"{old.source} [carried from {data['base']}: {note}]")
    return facts


def _cite(files: dict[str, Any], key: str, path: Path) -> str:
    if key not in files:
        raise SystemExit(f"{path.name}: no [files.{key}] for [ranges_{key}]/[same_{key}]")
    info = files[key]
    where = info["url"] if "url" in info else f"{info['repo']} {info['path']}"
    return f"{where} ({info['version']})"


def _fact(name: str, spec: dict[str, Any], cite: str) -> Fact:
    return Fact(name, spec["min"], spec["max"], spec.get("block"), spec.get("default"),
                spec.get("getopt"), bool(spec.get("override_default")), f"{cite}: {spec['at']}")


def _add(facts: dict[str, Fact], fact: Fact, path: Path) -> None:
    if fact.name in facts:
        raise SystemExit(f"{path.name}: {fact.name} is cited twice")
    if fact.min > fact.max:
        raise SystemExit(f"{path.name}: {fact.name} has min > max")
    facts[fact.name] = fact


def apply_facts(cat: dict[str, Any], flavor: str, *, base: bool) -> None:
    """Write a flavor's facts into its catalogue (options and sources).

    On the base flavor the ``--help`` default stays unless the fact says ``override_default``
    (the help table is that exact release's); on a derived flavor the fact's default is that
    version's declaration and replaces the inherited one.
    """
    facts = load_facts(flavor)
    options = cat["options"]
    applied = 0
    for name, fact in facts.items():
        if name not in options and "[carried from " in fact.source:
            continue  # the option is gone in this flavor
        if name not in options:
            raise SystemExit(f"{flavor}: ranges cite {name}, which the catalogue lacks")
        opt = options[name]
        if fact.getopt:
            if (fact.getopt == "double") != (opt["getopt"] == "double"):
                opt["type"] = "float" if fact.getopt == "double" else "integer"
                if opt["default"] is not None:  # --help printed it in the other kind
                    opt["default"] = _num(opt["default"], fact.getopt == "double")
            opt["getopt"] = fact.getopt
        if opt["getopt"] not in NUMERIC:
            raise SystemExit(f"{flavor}: ranges cite {name}, a {opt['getopt']} option")
        double = opt["getopt"] == "double"
        opt["min"], opt["max"] = _num(fact.min, double), _num(fact.max, double)
        opt["block_size"] = None if double else (fact.block or 1)
        if fact.default is not None and (fact.override_default or not base
                                         or opt["default"] is None):
            opt["default"] = _num(fact.default, double)
        elif isinstance(opt["default"], (int, float)) and not (
                opt["min"] <= opt["default"] <= opt["max"]):
            opt["default"] = None  # an inherited default this version's range cannot hold
        applied += 1
    if applied:
        cat["sources"] = [s for s in cat["sources"] if not s.startswith("ranges: ")] + [
            f"ranges: {applied} numeric options from scripts/catalogue_deltas/"
            f"{ranges_path(flavor).name} (each with its file and declaration)"]


def _num(value: int | float, double: bool) -> int | float:
    return float(value) if double else int(value)
