"""`mycnf-lint render`: the article's production my.cnf, changed where a profile's rules flag it."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from mycnf_lint.commands.common import ConfigOpt, FlavorOpt, fail, load_config, write


def render_command(
    profile: Annotated[str | None, typer.Option(
        help="Workload profile: a built-in name or a TOML file (default: the configuration's, "
             "else none: the article's values).")
    ] = None,
    config: ConfigOpt = None,
    flavor: FlavorOpt = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="VAR=VALUE", help="Override one value (repeatable).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the file here (atomically) instead of stdout.")] = None,
) -> None:
    """Write the article's production my.cnf, changed only where a rule flags it for the profile."""
    from mycnf_lint.fix.write import write_atomic
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR
    from mycnf_lint.render import RenderError, render

    cfg = load_config(config)
    try:
        result = render(profile or cfg.profile,
                        flavor.value if flavor else cfg.flavor or DEFAULT_FLAVOR, sets or [],
                        None if profile else cfg.profile_table, cfg.rules, cfg.select or [],
                        cfg.ignore or [])
    except RenderError as exc:
        fail(str(exc))
    for warning in result.warnings:
        sys.stderr.write(f"mycnf-lint: warning: {warning}\n")
    if output is None:
        write(result.text, None)
        return
    try:
        # the server ignores a world-writable option file
        write_atomic(str(output), result.text.encode("utf-8"), clear=0o002)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
