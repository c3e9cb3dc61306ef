"""The model: what one program makes of its option files (settings, effective values, events)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mycnf_lint.reader import groups as groups_mod
from mycnf_lint.reader.applied import Applied, Setting
from mycnf_lint.reader.catalogue import Catalogue, OptionSet
from mycnf_lint.reader.eventlog import Events
from mycnf_lint.reader.includes import Event, ReadResult

__all__ = ["Model", "Setting"]


@dataclass
class Model:
    """What one program makes of a set of option files."""

    program: str
    flavor: str
    catalogue: Catalogue
    read: ReadResult
    groups: list[str]
    settings: list[Setting] | Applied = field(default_factory=list)  # all applied, in order
    effective: dict[str, Setting] = field(default_factory=dict)
    maximums: dict[str, Setting] = field(default_factory=dict)
    events: list[Event] | Events = field(default_factory=list)  # Events: for a huge file

    @property
    def fatal(self) -> bool:
        return any(e.fatal for e in self.events)

    @property
    def files(self) -> list[str]:
        return [f.path for f in self.read.files]

    def value(self, name: str, default: Any = None) -> Any:
        """The effective value of `name`, else the catalogue's default, else `default`."""
        s = self.effective.get(name)
        if s is not None:
            return s.value
        opt = self.options.get(name)
        if opt is not None and opt.default is not None:
            return opt.default
        return default

    def written(self, name: str, default: Any = None) -> Any:
        """The value of `name` as its line says, before start-up adjusted it (startup.py fits
        sizes in place), else the catalogue's default; a line that does not convert (and is not
        fatal: loose-) left 0 in a numeric option, as my_getopt does."""
        s = self.effective.get(name)
        if s is None:
            return self.value(name, default)
        from mycnf_lint.reader.values import convert

        conv = convert(s.option, s.source.value if s.source.has_value else None)
        if conv.fatal:
            return 0 if s.option.is_numeric else s.value
        return conv.value

    @cached_property
    def options(self) -> OptionSet:
        """The options the program accepts (looked up once: rules ask for every value)."""
        if groups_mod.is_server(self.program):
            return self.catalogue.server
        return self.catalogue.client_options(groups_mod.canonical_program(self.program))
