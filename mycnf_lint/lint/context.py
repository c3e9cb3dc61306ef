"""What a rule may look at for one file named on the command line: the files read, the models
of the server and its clients, the catalogue, the profile and the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mycnf_lint.lint.ruleset import RuleSet
from mycnf_lint.profiles import Profile
from mycnf_lint.reader import model as model_mod
from mycnf_lint.reader.catalogue import Catalogue, OptionSet
from mycnf_lint.reader.includes import ReadResult
from mycnf_lint.reader.optionfile import Kind
from mycnf_lint.reader.settings import Model

_ALIASES: dict[int, tuple[OptionSet, dict[str, str]]] = {}


def _alias(options: OptionSet, name: str) -> str:
    if options.get(name) is not None:
        return name
    for a, b in (("slave_", "replica_"), ("replica_", "slave_")):
        if name.startswith(a) and options.get(b + name[len(a):]) is not None:
            return b + name[len(a):]
    return name


@dataclass
class Context:
    """Everything a rule may look at for one file named on the command line."""

    read: ReadResult
    server: Model
    cat: Catalogue
    profile: Profile
    rules: RuleSet
    _clients: dict[str, Model] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # server values read so far
    memo: dict[str, Any] = field(default_factory=dict)  # what checks work out once a file

    @property
    def top_file(self) -> str:
        return self.read.files[0].path if self.read.files else ""

    def client(self, program: str) -> Model:
        """What a client program makes of the same files (built once)."""
        if program not in self._clients:
            self._clients[program] = model_mod.build(self.read, self.cat, program)
        return self._clients[program]

    def value(self, name: str) -> Any:
        """A server value by name (the effective one, else the default); `replica_` and
        `slave_` names stand for each other; `has_server_group` tells whether the files
        configure the server at all."""
        if name not in self.values:
            if name == "has_server_group":
                self.values[name] = self.has_server_group()
            else:
                self.values[name] = self.server.value(self.alias(name))
        return self.values[name]

    def has_server_group(self) -> bool:
        """Whether the files configure the server at all (client-only files get no server
        advice)."""
        wanted = set(self.server.groups)
        return any(line.kind is Kind.GROUP and (line.group or "").lower() in wanted
                   for _, _, _, line in self.read.lines.headers())

    def alias(self, name: str) -> str:
        """The name this flavor uses for a variable renamed between slave_ and replica_
        (worked out once a process for each option set and name)."""
        options = self.server.options
        memo = _ALIASES.get(id(options))
        if memo is None or memo[0] is not options:
            memo = _ALIASES[id(options)] = (options, {})
        got = memo[1].get(name)
        if got is None:
            got = memo[1][name] = _alias(options, name)
        return got

    def anchor(self, name: str) -> tuple[str, int, int]:
        """Where a finding about `name` points: its effective line, else the first server
        group header of the top file, else line 1."""
        s = self.server.effective.get(name)
        if s is not None:
            return s.file, s.line, s.column
        wanted = set(self.server.groups)
        for of, _, _, line in self.read.lines.headers():
            if of.path == self.top_file and line.kind is Kind.GROUP and (
                (line.group or "").lower() in wanted
            ):
                return of.path, line.number, line.column
        return self.top_file, 1, 1

    def server_group_line(self) -> tuple[str, int]:
        """The group an added option goes in: the last [mysqld]-like header of the top file."""
        wanted = set(self.server.groups)
        found = (self.top_file, 0, "mysqld")
        for of, _, _, line in self.read.lines.headers():
            if of.path == self.top_file and line.kind is Kind.GROUP and (
                (line.group or "").lower() in wanted
            ):
                found = (of.path, line.number, line.group or "mysqld")
        return found[0], found[1]
