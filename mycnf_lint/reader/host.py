"""Facts of the machine mycnf-lint runs on that MariaDB folds into its values at start-up:
host name, CPU count, time zone, hardware address. They are the server's when both run on the
same host; `effective` marks every value built from them as host-dependent."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
import sys
import time
from functools import cache


@cache
def hostname() -> str:
    """gethostname(), as mysqld's glob_hostname ("localhost" when it fails)."""
    try:
        return socket.gethostname() or "localhost"
    except OSError:
        return "localhost"


def cpu_count() -> int:
    """my_getncpus() (mysys/my_getncpus.c): the CPUs this process may run on, CPU_COUNT of
    pthread_getaffinity_np() on Linux, so a server under taskset or a cgroup cpuset counts
    only its own; sysconf(_SC_NPROCESSORS_ONLN) where there is no affinity. The server sets
    thread_pool_size to it (init_common_variables); `check --jobs 0` sizes its pool by it."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def time_zone() -> str:
    """system_time_zone: tzname[] of the local time now (init_common_variables)."""
    now = time.localtime()
    return time.tzname[1 if now.tm_isdst > 0 else 0]


@cache
def hardware_address() -> bytes | None:
    """my_gethwaddr() on Linux: the first non-zero address among the interfaces that have an
    IPv4 address (SIOCGIFCONF lists only those), in the kernel's order."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import array
        import fcntl
    except ImportError:
        return None
    siocgifconf, siocgifhwaddr = 0x8912, 0x8927
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        size = 40 * 64
        buf = array.array("B", b"\0" * size)
        req = struct.pack("iL", size, buf.buffer_info()[0])
        got = struct.unpack("iL", fcntl.ioctl(sock.fileno(), siocgifconf, req))[0]
        raw = buf.tobytes()[:got]
        for i in range(0, len(raw), 40):
            name = raw[i:i + 16]
            info = fcntl.ioctl(sock.fileno(), siocgifhwaddr, name + b"\0" * 256)
            mac = info[18:24]
            if any(mac):
                return mac
    except OSError:
        return None
    finally:
        sock.close()
    return None


def server_uid(port: int) -> str:
    """server_uid: base64 of the SHA-1 of the port as written (2 bytes, little endian) and the
    hardware address (calculate_server_uid); "unknown" when no interface has an address."""
    mac = hardware_address()
    if mac is None:
        return "unknown"
    digest = hashlib.sha1(struct.pack("<H", port & 0xFFFF) + mac).digest()
    return base64.b64encode(digest).decode("ascii")
