"""`mycnf-lint render`: the article's production my.cnf, adjusted to a workload profile."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mycnf_lint.commands.common import ConfigOpt, FlavorOpt, fail, load_config, write


def render_command(
    profile: Annotated[str | None, typer.Option(
        help="Workload profile: a built-in name or a TOML file (default: the configuration's).")
    ] = None,
    config: ConfigOpt = None,
    flavor: FlavorOpt = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="VAR=VALUE", help="Override one value (repeatable).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the file here (atomically) instead of stdout.")] = None,
) -> None:
    """Write a production my.cnf for a workload profile, lint-clean under that profile."""
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR
    from mycnf_lint.render import RenderError, render, write_atomic

    cfg = load_config(config)
    chosen = profile or cfg.profile
    if chosen is None and cfg.profile_table is None:
        fail("render needs a profile: --profile NAME|FILE, or one in [tool.mycnf-lint]")
    try:
        result = render(chosen, flavor.value if flavor else cfg.flavor or DEFAULT_FLAVOR,
                        sets or [], None if profile else cfg.profile_table)
    except RenderError as exc:
        fail(str(exc))
    for warning in result.warnings:
        sys.stderr.write(f"mycnf-lint: warning: {warning}\n")
    if output is None:
        write(result.text, None)
        return
    try:
        write_atomic(str(output), result.text)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
