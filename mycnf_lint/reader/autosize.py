"""Values MariaDB sizes itself at start-up from the machine's CPUs and open-file limit.

mysqld sets thread_pool_size to the CPU count when the files leave it alone, then fits
max_connections, table_open_cache, table_open_cache_instances, open_files_limit and
thread_cache_size to the number of files it can open (init_common_variables). The numbers
depend on the machine that runs the server: this module uses the CPUs and limits of the process
running mycnf-lint, which are the server's when both run on the same host the same way.
`startup_sizes` is the one place that computes them: the start-up adjustment (startup.py) and
the derived values (derived.py) both take its answer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mycnf_lint.reader.settings import Model

EXTRA_FILES = 30
MIN_CONNECTIONS = 10
TABLE_OPEN_CACHE_MIN = 200


@dataclass(frozen=True)
class FileLimits:
    soft: int
    hard: int
    can_raise_hard: bool


@cache
def machine_limits() -> FileLimits | None:
    """RLIMIT_NOFILE of this process, and whether it may raise the hard limit."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    inf = resource.RLIM_INFINITY
    can_raise = False
    if os.geteuid() == 0:
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("CapEff:"):
                        can_raise = bool(int(line.split()[1], 16) >> 24 & 1)  # CAP_SYS_RESOURCE
        except OSError:
            can_raise = True
    big = 2**32 - 1
    return FileLimits(big if soft == inf else soft, big if hard == inf else hard, can_raise)


def set_max_open_files(requested: int, limits: FileLimits) -> int:
    """my_set_max_open_files(): the server sets the limit to what it asks for when the hard
    limit (or its privileges) allow, and keeps the current limit otherwise."""
    if requested <= limits.hard or limits.can_raise_hard:
        return requested
    return limits.soft


def autosize(values: dict[str, int], limits: FileLimits) -> dict[str, int]:
    """The start-up adjustment: `values` holds max_connections, extra_max_connections,
    table_open_cache, table_open_cache_instances, open_files_limit, thread_cache_size and
    the thread pool's share of the files; returns the values the server ends up with."""
    max_conn = values["max_connections"]
    extra_conn = values.get("extra_max_connections", 1)
    tc_size = values["table_open_cache"]
    tc_instances = values["table_open_cache_instances"]
    wanted = EXTRA_FILES + max_conn + extra_conn + tc_size * 2 * tc_instances
    wanted += values["thread_pool_size"]
    min_tc_size = min(tc_size, TABLE_OPEN_CACHE_MIN)
    max_open = max(wanted, (max_conn + extra_conn) * 5, values.get("open_files_limit", 0))
    files = set_max_open_files(max_open, limits)
    spare = files - EXTRA_FILES - max_conn
    if spare >= 0:
        tc_instances = min(max(spare // 2 // tc_size, 1), tc_instances)
    max_conn = max(min(files - EXTRA_FILES - min_tc_size * 2 * tc_instances, max_conn),
                   MIN_CONNECTIONS)
    spare = files - EXTRA_FILES - max_conn
    tc_size = min(max(spare // 2 // tc_instances, min_tc_size), tc_size)
    return {
        "open_files_limit": files,
        "max_connections": max_conn,
        "table_open_cache": tc_size,
        "table_open_cache_instances": tc_instances,
        # get_options() caps it before the file limit is known, by max_connections as set
        "thread_cache_size": min(values["thread_cache_size"], values["max_connections"]),
    }


SIZED = ("max_connections", "extra_max_connections", "table_open_cache",
         "table_open_cache_instances", "open_files_limit", "thread_cache_size")


@dataclass(frozen=True)
class StartupSizes:
    """What init_common_variables() makes of one server's files on this machine."""

    thread_pool_size: int  # as written, else my_getncpus()
    pool_from_cpus: bool  # the files leave thread_pool_size alone
    values: dict[str, int] = field(default_factory=dict)  # the fitted sizes (empty: unknown)
    divides_by_zero: str | None = None  # table_open_cache(_instances) 0: the server dies


def startup_sizes(model: Model) -> StartupSizes:
    """thread_pool_size and the sizes fitted to the open-file limit, from the values as
    written (reader/startup.py changes the effective ones in place)."""
    from mycnf_lint.reader.host import cpu_count

    # IS_SYSVAR_AUTOSIZE(&threadpool_size): the catalogue's default (8) is never used
    written = model.written("thread_pool_size") if "thread_pool_size" in model.effective \
        else None
    pool = written if isinstance(written, int) else cpu_count()
    from_cpus = not isinstance(written, int)
    values = {n: model.written(n) for n in SIZED}
    # pool-of-threads: the pool's epoll descriptors are not counted (thread_handling >
    # SCHEDULER_NO_THREADS adds 0 to wanted_files)
    pooled = str(model.value("thread_handling", "")).lower() == "pool-of-threads"
    values["thread_pool_size"] = 0 if pooled else pool
    for name in ("table_open_cache", "table_open_cache_instances"):
        if values[name] == 0:
            return StartupSizes(pool, from_cpus, divides_by_zero=name)
    limits = machine_limits()
    if limits is None or not all(isinstance(v, int) for v in values.values()):
        return StartupSizes(pool, from_cpus)
    return StartupSizes(pool, from_cpus, autosize(values, limits))
