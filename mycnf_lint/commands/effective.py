"""`mycnf-lint effective`: the value of each option the program will use, and its line."""

from typing import Annotated

import typer

from mycnf_lint.commands.common import FlavorOpt, ListFormat, ListFormatOpt, ProgramOpt, fail, write


def effective(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Option files, read in order.")],
    program: ProgramOpt = "mysqld",
    flavor: FlavorOpt = None,
    fmt: ListFormatOpt = ListFormat.TEXT,
    all_: Annotated[bool, typer.Option("--all", help="Also list options left at defaults.")
                    ] = False,
) -> None:
    """Show the value the program will use for each option, and the line it comes from."""
    from mycnf_lint.effective import effective_report, render_text
    from mycnf_lint.reader.catalogue import DEFAULT_FLAVOR, UnknownFlavor
    from mycnf_lint.reader.includes import ReadError

    try:
        report = effective_report(paths, program, flavor.value if flavor else DEFAULT_FLAVOR,
                                  all_)
    except (ReadError, UnknownFlavor) as exc:
        fail(str(exc))
    if fmt is ListFormat.JSON:
        import json

        write(json.dumps(report, indent=2, ensure_ascii=False) + "\n", None)
    else:
        write(render_text(report), None)
