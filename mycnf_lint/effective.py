"""`effective`: the values a program will use, value by value, and the line each comes from.

For a MariaDB server the values include what mariadbd derives at start-up (reader/derived.py);
with `--all` every variable of the server's `--help --verbose` table is reported, those the
files leave alone with their default (`"source": "default"`), derived ones with the rule that
gives them, and those that depend on this machine with `"host": true`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader import groups as groups_mod
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.secrets import shown

if TYPE_CHECKING:
    from typing import Any

    from mycnf_lint.reader.derived import Derived


def _derived(m: model_mod.Model, cwd: str) -> dict[str, Derived]:
    if not (m.catalogue.is_mariadb and groups_mod.is_server(m.program)):
        return {}
    from mycnf_lint.reader.derived import server_values

    return server_values(m, cwd)


def effective_report(paths: list[str], program: str, flavor: str, all_: bool = False
                     ) -> dict[str, Any]:
    """The JSON document of `effective`: program, flavor, files, options, warnings."""
    cat = catalogue_mod.load(flavor)
    base = os.getcwd()
    files: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    m: model_mod.Model | None = None
    derived: dict[str, Derived] = {}
    for path in paths:
        m = model_mod.build(read_tree(path), cat, program)
        derived = _derived(m, base)
        files.extend(f for f in m.files if f not in files)
        for e in m.events:
            level = "error" if e.fatal else "warning"
            warnings.append(f"{e.file}:{e.line}: {level}: {e.message}")
        kinds = m.options.options
        for name, s in m.effective.items():
            kind = kinds[name].getopt if name in kinds else None
            entry = {"value": shown(name, s.value, kind), "raw": shown(name, s.raw, kind),
                     "source": model_mod.source_of(s, base, base)}
            _apply_derived(entry, derived.get(name), name, kind)
            options[name] = entry
        for name, s in m.maximums.items():
            if name not in options:
                kind = kinds[name].getopt if name in kinds else None
                options[name] = {"value": shown(name, kinds[name].default, kind), "raw": None,
                                 "source": "default"}
                _apply_derived(options[name], derived.get(name), name, kind)
            options[name]["maximum"] = s.value
    if all_ and m is not None:
        opts = m.options.options
        for name in m.options.names():
            if name in options or opts.raw(name).get("alias_of"):  # type: ignore[union-attr]
                continue
            kind = opts[name].getopt
            entry = {"value": shown(name, opts[name].default, kind), "raw": None,
                     "source": "default"}
            _apply_derived(entry, derived.get(name), name, kind)
            options[name] = entry
        for name, d in derived.items():  # facts no option sets (version_comment, server_uid)
            if name not in options:
                options[name] = {"value": d.value, "raw": None, "source": "server"}
                _apply_derived(options[name], d, name, None)
    return {"program": program, "flavor": cat.flavor, "files": files,
            "options": dict(sorted(options.items())), "warnings": warnings}


def _apply_derived(entry: dict[str, Any], d: Derived | None, name: str, kind: str | None
                   ) -> None:
    """Put the server's derived value in an entry, with its rule and host mark."""
    if d is None:
        return
    value = shown(name, d.value, kind)
    if entry["value"] != value:
        entry["value"] = value
        if d.rule != "as set":
            entry["rule"] = d.rule
    if d.host:
        entry["host"] = True
        entry.setdefault("rule", d.rule)


def render_text(report: dict[str, Any]) -> str:
    """Aligned `name = value    # source` lines, then warnings."""
    rows = report["options"]
    width = max((len(n) for n in rows), default=0)
    out = [f"# {report['program']} ({report['flavor']}) reading: {', '.join(report['files'])}"]
    cells = []
    for name, info in rows.items():
        v = info.get("value")
        if v is None:
            v = "(not set)"
        elif isinstance(v, bool):
            v = "ON" if v else "OFF"
        elif isinstance(v, float) and v.is_integer():
            v = int(v)
        raw = info.get("raw")
        shown = f"{v}" if raw in (None, "", str(v)) else f"{v} (written {raw})"
        source = info.get("source", "")
        if info.get("rule"):
            source += f"; {info['rule']}" + (" (this host)" if info.get("host") else "")
        cells.append((f"{name.ljust(width)} = {shown}", source))
    col = min(max((len(c) for c, _ in cells), default=0), width + 40)  # long values overhang
    out += [f"{c.ljust(col)}  # {src}" for c, src in cells]
    for w in report["warnings"]:
        out.append(f"# {w}")
    return "\n".join(out) + "\n"
