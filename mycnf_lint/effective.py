"""`effective`: the values a program will use, value by value, and the line each comes from."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mycnf_lint.reader import catalogue as catalogue_mod
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.includes import read_tree
from mycnf_lint.secrets import shown

if TYPE_CHECKING:
    from typing import Any


def effective_report(paths: list[str], program: str, flavor: str, all_: bool = False
                     ) -> dict[str, Any]:
    """The JSON document of `effective`: program, flavor, files, options, warnings."""
    cat = catalogue_mod.load(flavor)
    base = os.getcwd()
    files: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    m: model_mod.Model | None = None
    for path in paths:
        m = model_mod.build(read_tree(path), cat, program)
        files.extend(f for f in m.files if f not in files)
        for e in m.events:
            level = "error" if e.fatal else "warning"
            warnings.append(f"{e.file}:{e.line}: {level}: {e.message}")
        for name, s in m.effective.items():
            options[name] = {
                "value": shown(name, s.value),
                "raw": shown(name, s.raw),
                "source": model_mod.source_of(s, base),
            }
        for name, s in m.maximums.items():
            options.setdefault(name, {}).update({"maximum": s.value})
    if all_ and m is not None:
        opts = m.options
        for name in opts.names():
            if name not in options and opts.options[name].default is not None:
                options[name] = {"value": shown(name, opts.options[name].default), "raw": None,
                                 "source": "default"}
    return {"program": program, "flavor": cat.flavor, "files": files,
            "options": dict(sorted(options.items())), "warnings": warnings}


def render_text(report: dict[str, Any]) -> str:
    """Aligned `name = value    # source` lines, then warnings."""
    rows = report["options"]
    width = max((len(n) for n in rows), default=0)
    out = [f"# {report['program']} ({report['flavor']}) reading: {', '.join(report['files'])}"]
    cells = []
    for name, info in rows.items():
        v = info.get("value")
        if isinstance(v, bool):
            v = "ON" if v else "OFF"
        elif isinstance(v, float) and v.is_integer():
            v = int(v)
        raw = info.get("raw")
        shown = f"{v}" if raw in (None, "", str(v)) else f"{v} (written {raw})"
        cells.append((f"{name.ljust(width)} = {shown}", info.get("source", "")))
    col = max((len(c) for c, _ in cells), default=0)
    out += [f"{c.ljust(col)}  # {src}" for c, src in cells]
    for w in report["warnings"]:
        out.append(f"# {w}")
    return "\n".join(out) + "\n"
