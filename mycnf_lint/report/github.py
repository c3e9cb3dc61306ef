"""The GitHub Actions format: workflow commands that annotate the lines of a pull request."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mycnf_lint.findings import Finding
from mycnf_lint.report.escape import shown
from mycnf_lint.report.stream import batched

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message the way the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value: as a message, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(f: Finding) -> str:
    props = [f"file={escape_property(shown(f.file))}"]
    if f.line >= 1:
        props.append(f"line={f.line}")
        if f.column >= 1:
            props.append(f"col={f.column}")
    props.append(f"title={escape_property(f'{f.rule} {f.name}')}")
    message = escape_data(shown(f.message, keep="\r\n"))
    return f"::{_COMMANDS.get(f.severity, 'warning')} {','.join(props)}::{message}"


def chunks(findings: Iterable[Finding]) -> Iterator[str]:
    """The commands of `render`, a batch at a time."""
    return batched(_command(f) + "\n" for f in findings)


def render(findings: Iterable[Finding]) -> str:
    """`::error file=F,line=L,col=C,title=RULE::message`, one command per finding."""
    return "".join(chunks(findings))
