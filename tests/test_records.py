"""`@record` behaves like the dataclasses it replaces on the start-up path."""

from __future__ import annotations

import pytest

from mycnf_lint.records import FrozenInstanceError, field, record


@record(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list, compare=False)


@record
class Counter:
    name: str
    seen: list[int] = field(default_factory=list)
    total: int = 0

    def __post_init__(self) -> None:
        self.total = len(self.seen)


def test_defaults_factories_and_keywords() -> None:
    p = Point(1)
    assert (p.x, p.y, p.tags) == (1, 0, [])
    assert Point(1).tags is not Point(1).tags
    assert Point(x=2, y=3) == Point(2, 3)


def test_frozen_records_are_immutable_and_hashable_on_compared_fields() -> None:
    p = Point(1, 2, ["a"])
    with pytest.raises(FrozenInstanceError):
        p.x = 5  # type: ignore[misc]
    assert p == Point(1, 2, ["b"]) and hash(p) == hash(Point(1, 2))
    assert len({Point(1, 2), Point(1, 2, ["c"]), Point(2, 2)}) == 2


def test_slots_and_repr() -> None:
    assert Point.__slots__ == ("x", "y", "tags")  # type: ignore[attr-defined]
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=[])"


def test_mutable_records_run_post_init_and_are_not_hashable() -> None:
    c = Counter("a", [1, 2])
    assert c.total == 2
    c.total = 5
    with pytest.raises(TypeError):
        hash(c)
    assert Counter("a") != Point(1)
