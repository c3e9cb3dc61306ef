"""Workload profiles as text: each built-in profile, its description and its values."""

from __future__ import annotations

import json
from typing import Any


def profiles_text(profiles: list[Any]) -> str:
    """Each profile as a heading, its description, then `key = value` lines."""
    out: list[str] = []
    for p in profiles:
        out.append(f"{p.name}" + (f": {p.description}" if p.description else ""))
        width = max((len(k) for k in p.values), default=0)
        out.extend(f"  {k.ljust(width)} = {v}" for k, v in p.values.items())
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


def profiles_json(profiles: list[Any]) -> str:
    """`{"profiles": [{"name", "description", "values"}]}`."""
    doc = {"profiles": [{"name": p.name, "description": p.description, "values": p.values}
                        for p in profiles]}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
