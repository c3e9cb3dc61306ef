"""The text format: ruff-like lines, colour on a terminal only, and a summary line."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator

from mycnf_lint.findings import Finding
from mycnf_lint.report.escape import shown
from mycnf_lint.report.position import position
from mycnf_lint.report.stream import batched

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_CYAN = "\033[36m"
_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m"}


def use_colour(stream_is_tty: bool) -> bool:
    """Colour only on a terminal and only when NO_COLOR is not set (https://no-color.org)."""
    return stream_is_tty and not os.environ.get("NO_COLOR")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def summary(findings: Iterable[Finding]) -> str:
    """`Found N findings (E errors, W warnings, I info)`; empty when there are none."""
    return _summary(Counter(f.severity for f in findings))


def _summary(counts: Counter[str]) -> str:
    """The summary of findings counted by severity."""
    total = counts.total()
    if not total:
        return ""
    return (f"Found {_plural(total, 'finding')} ({_plural(counts['error'], 'error')}, "
            f"{_plural(counts['warning'], 'warning')}, {_plural(counts['info'], 'info')})")


def _line(f: Finding, colour: bool) -> str:
    message = shown(f.message.replace("\r", " ").replace("\n", " "))
    if not colour:
        return f"{position(f)}: {f.rule} {message} [{f.name}]"
    nums = f"{max(f.line, 1)}:{max(f.column, 1)}"
    head = f"{_BOLD}{shown(f.file)}{_RESET}{_CYAN}:{nums}:{_RESET}"
    code = f"{_COLOURS.get(f.severity, _BOLD)}{f.rule}{_RESET}"
    return f"{head} {code} {message} {_DIM}[{f.name}]{_RESET}"


def chunks(findings: Iterable[Finding], stream_is_tty: bool, quiet: bool = False
           ) -> Iterator[str]:
    """The lines of `render`, a batch at a time; the findings are read once (counted for the
    summary as they are written)."""
    colour = use_colour(stream_is_tty)
    counts: Counter[str] = Counter()

    def lines() -> Iterator[str]:
        for f in findings:
            counts[f.severity] += 1
            yield _line(f, colour) + "\n"

    yield from batched(lines())
    if not quiet:
        total = _summary(counts) or "All checks passed."
        yield (f"{_BOLD}{total}{_RESET}" if colour else total) + "\n"


def render(findings: Iterable[Finding], stream_is_tty: bool, quiet: bool = False) -> str:
    """One line per finding, then the summary (or "All checks passed.") unless `quiet`."""
    return "".join(chunks(findings, stream_is_tty, quiet))
