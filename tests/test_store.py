"""The compact finding store: what comes out equals what went in, sorted as `sort_findings`
sorts."""

from __future__ import annotations

import random
from array import array

import pytest

from mycnf_lint.findings import Edit, Finding, exit_code, sort_findings
from mycnf_lint.store import FindingStore


def _random_findings(seed: int, count: int) -> list[Finding]:
    """Findings with few distinct values, positions out of order in places, edits at their
    finding's line and elsewhere, and identical copies."""
    rnd = random.Random(seed)
    out: list[Finding] = []
    for _ in range(count):
        if out and rnd.random() < 0.1:
            out.append(rnd.choice(out))  # the same finding again
            continue
        file, line = rnd.choice(["a.cnf", "b.cnf", ""]), rnd.randint(0, 40)
        edit = rnd.choice([None, Edit("delete-line", file, line, "x"),
                           Edit("set-value", file, line, "y", "1", inputs=("y", "z")),
                           Edit("add-option", "b.cnf", 3, "z", "2", "mysqld", (("k", "v"),))])
        out.append(Finding(rnd.choice(["MCL008", "MCL304", "MCL402"]), "n",
                           rnd.choice(["error", "warning", "info"]), file, line,
                           rnd.randint(0, 3), rnd.choice([None, "x", "y"]),
                           rnd.choice(["m1", "m2", "m1"]), rnd.random() < 0.2,
                           "unsafe" if edit else None, edit))
    return out


def _with_edits(findings: object) -> list[tuple[Finding, Edit | None]]:
    return [(f, f.edit) for f in findings]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("compact_after", [0, 1, 50, 10**9])
def test_the_store_gives_back_what_sort_findings_gives(seed: int, compact_after: int) -> None:
    findings = _random_findings(seed, 400)
    store = FindingStore(compact_after)
    store.extend(findings)
    assert len(store) == len(findings)
    assert store.compact == (compact_after < len(findings))
    got = store.ordered()
    assert _with_edits(got) == _with_edits(sort_findings(findings))
    assert _with_edits(got) == _with_edits(got)  # a second pass reads the same
    assert len(got) == len(sort_findings(findings))
    assert exit_code(got) == exit_code(findings)


def test_ties_keep_the_order_found_across_runs() -> None:
    a = Finding("MCL001", "a", "info", "f", 5, 1, None, "first")
    b = Finding("MCL001", "a", "info", "f", 5, 1, None, "second")
    c = Finding("MCL001", "a", "info", "f", 2, 1, None, "earlier line")
    store = FindingStore(0)
    store.extend([a, c, b, a])  # two runs: [a], [c, b, a]; a twice
    assert list(store.ordered()) == [c, a, b]


def test_an_edit_at_its_findings_line_is_kept_once_for_all() -> None:
    store = FindingStore(0)
    for n in range(1, 1001):
        store.append(Finding("MCL304", "duplicate-option", "warning", "my.cnf", n, 1, "x",
                             "x is set again", False, "safe",
                             Edit("delete-line", "my.cnf", n, "x")))
    assert len(store._edits) == 2 and len(store._texts) == 3  # None and the one template
    assert [f.edit for f in store.ordered()] == [Edit("delete-line", "my.cnf", n, "x")
                                                 for n in range(1, 1001)]


def test_a_line_past_four_bytes_widens_its_column() -> None:
    far = Finding("MCL001", "a", "info", "f", 2**40, 2**33, None, "far")
    store = FindingStore(0)
    store.extend([Finding("MCL001", "a", "info", "f", 1, 1, None, "near"), far])
    assert store._line.itemsize == store._column.itemsize == array("q").itemsize
    assert list(store.ordered())[-1] == far


def test_a_store_that_stays_small_is_a_plain_sorted_list() -> None:
    findings = _random_findings(1, 30)
    store = FindingStore()
    store.extend(findings)
    assert not store.compact
    assert type(store.ordered()) is list


def test_the_compact_view_sizes_and_indexes_like_a_list() -> None:
    findings = _random_findings(2, 100)
    store = FindingStore(0)
    store.extend(findings)
    view, want = store.ordered(), sort_findings(findings)
    assert view == want and len(view) == len(want) and bool(view)
    assert view[0] == want[0] and view[-3:] == want[-3:]
    empty = FindingStore(0).ordered()
    assert not empty and len(empty) == 0 and list(empty) == []
