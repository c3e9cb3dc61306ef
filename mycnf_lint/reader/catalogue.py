"""The per-flavor variable catalogue: loading the JSON data and looking options up by name."""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from mycnf_lint.resources import catalogue_dir

if TYPE_CHECKING:
    from typing import Any

DEFAULT_FLAVOR = "mysql-8.4"
FLAVORS = ("mysql-5.7", "mysql-8.0", "mysql-8.4", "mariadb-10.6", "mariadb-10.11", "mariadb-11.4")


class UnknownFlavor(ValueError):
    """A flavor name that has no catalogue."""


@dataclass(frozen=True, slots=True)
class Option:
    """One option or variable a program accepts, as the catalogue describes it."""

    name: str  # lower case, underscores
    type: str  # integer|size|duration|boolean|enum|set|flagset|float|string|path|none
    getopt: str  # bool|int|uint|long|ulong|ll|ull|double|str|enum|set|flagset|none
    arg: str  # none|optional|required
    min: float | int | None = None
    max: float | int | None = None
    block_size: int | None = None
    default: Any = None
    values: tuple[str, ...] | None = None
    sysvar: bool = False
    scope: str | None = None
    dynamic: bool | None = None
    deprecated: str | None = None
    replaced_by: str | None = None

    @property
    def is_numeric(self) -> bool:
        return self.getopt in ("int", "uint", "long", "ulong", "ll", "ull", "double")


@lru_cache(maxsize=4096)  # names repeat across lines and files: one copy of each
def normalize(name: str) -> str:
    """Option names are case-insensitive and `-` equals `_`."""
    return name.strip().lower().replace("-", "_")


def _option(name: str, d: dict[str, Any]) -> Option:
    values = d.get("values")
    return Option(
        name=name,
        type=d.get("type", "string"),
        getopt=d.get("getopt", "str"),
        arg=d.get("arg", "required"),
        min=d.get("min"),
        max=d.get("max"),
        block_size=d.get("block_size"),
        default=d.get("default"),
        values=tuple(values) if values else None,
        sysvar=bool(d.get("sysvar", False)),
        scope=d.get("scope"),
        dynamic=d.get("dynamic"),
        deprecated=d.get("deprecated"),
        replaced_by=d.get("replaced_by"),
    )


class LazyOptions(Mapping[str, Option]):
    """Name -> Option, built from the catalogue's raw entries on first use (a check touches a
    few dozen of a thousand options; building them all would cost more than the check)."""

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        self._raw = raw
        self._built: dict[str, Option] = {}

    def __getitem__(self, name: str) -> Option:
        opt = self._built.get(name)
        if opt is None:
            opt = self._built[name] = _option(name, self._raw[name])
        return opt

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def raw(self, name: str) -> dict[str, Any] | None:
        """The catalogue entry of `name` as stored."""
        return self._raw.get(name)

    def raw_items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(name, catalogue entry) pairs, without building Option records."""
        return iter(self._raw.items())


class OptionSet:
    """The options one program accepts, with exact and unique-prefix lookup."""

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        self.options = LazyOptions(raw)
        self._sorted: list[str] | None = None

    def get(self, name: str) -> Option | None:
        key = normalize(name)
        return self.options[key] if key in self.options else None

    def matches(self, name: str, prefix_matching: bool) -> list[Option]:
        """findopt(): the exact option if there is one, else every option `name` is a prefix of."""
        key = normalize(name)
        if key in self.options:
            return [self.options[key]]
        if not prefix_matching or not key:
            return []
        names = self.names()
        i = bisect.bisect_left(names, key)
        found: list[Option] = []
        while i < len(names) and names[i].startswith(key):
            found.append(self.options[names[i]])
            i += 1
        return found

    def names(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.options)
        return self._sorted


@dataclass
class Catalogue:
    """Everything known about one flavor: server options, client options, charsets."""

    flavor: str
    product: str
    version: str
    prefix_matching: bool
    special_prefixes: tuple[str, ...]
    server: OptionSet
    clients: dict[str, OptionSet]
    client_groups: dict[str, list[str]]
    removed: dict[str, dict[str, Any]]
    charsets: frozenset[str]
    collations: dict[str, str]
    sources: list[str]
    locales: frozenset[str] = frozenset()  # lower case; empty where the catalogue has none
    default_collations: dict[str, str] | None = None  # character set -> its default collation
    facts: dict[str, str] | None = None  # table rows of the server no option sets

    @property
    def is_mariadb(self) -> bool:
        return self.product == "mariadb"

    @property
    def major_minor(self) -> str:
        return self.flavor.split("-", 1)[1]

    def client_options(self, program: str) -> OptionSet:
        """Options a client program reads; `client` when the program is not catalogued."""
        return self.clients.get(program) or self.clients.get("client") or OptionSet({})


def available_flavors() -> list[str]:
    import os

    return sorted(n[: -len(".json")] for n in os.listdir(catalogue_dir()) if n.endswith(".json"))


@cache
def load(flavor: str = DEFAULT_FLAVOR) -> Catalogue:
    """Load a flavor's catalogue from package data (cached)."""
    import os

    path = os.path.join(catalogue_dir(), f"{flavor}.json")
    if not os.path.isfile(path):
        raise UnknownFlavor(
            f"unknown flavor {flavor!r}; choose one of: {', '.join(available_flavors())}"
        )
    with open(path, encoding="utf-8") as fh:
        data = json.loads(fh.read())
    server = OptionSet(data.get("options", {}))
    clients = {prog: OptionSet(opts) for prog, opts in (data.get("clients") or {}).items()}
    return Catalogue(
        flavor=data.get("flavor", flavor),
        product=data.get("product", "mysql" if flavor.startswith("mysql") else "mariadb"),
        version=str(data.get("version", "")),
        prefix_matching=bool(data.get("prefix_matching", False)),
        special_prefixes=tuple(
            data.get("special_prefixes", ["skip", "disable", "enable", "maximum", "loose"])
        ),
        server=server,
        clients=clients,
        client_groups=data.get("client_groups") or {},
        removed=data.get("removed") or {},
        charsets=frozenset(c.lower() for c in data.get("charsets") or []),
        collations=data.get("collations") or {},
        sources=list(data.get("sources") or []),
        locales=frozenset(n.lower() for n in data.get("locales") or []),
        default_collations=data.get("default_collations") or {},
        facts=data.get("facts") or {},
    )


def suggest(name: str, candidates: list[str], unique: bool = False) -> str | None:
    """A "did you mean" for an unknown option name (candidates spelled as `normalize` does);
    with `unique`, None when two candidates match equally well."""
    import difflib

    probe = normalize(name)
    best = difflib.get_close_matches(probe, candidates, n=2, cutoff=0.75)
    if unique and len(best) == 2 and (difflib.SequenceMatcher(None, best[0], probe).ratio()
                                      == difflib.SequenceMatcher(None, best[1], probe).ratio()):
        return None
    return best[0] if best else None
