"""The one write of a fixed file: atomic, and without losing what anyone else wrote meanwhile.

A fix is planned from the bytes read at the start; an editor, a configuration agent or a second
`mycnf-lint --fix` may change the file before the fix is written. The new text goes to a
temporary file in the same folder (fsync, mode and owner copied); then, holding an exclusive
`flock` on the file the path names, what is on disk is compared with what was read: when it
differs, or another process has the file open for writing (a read lease is refused), nothing
is written (`ChangedOnDisk`). Otherwise the temporary file is renamed over the target, so a
crash leaves the old or the new file, never half of one.

A writer that does not take the lock (`echo ... >> my.cnf`) can still append to the old file
between the compare and the rename. So after the rename the old file is read once more, when
nobody has it open for writing any more (a read lease tells); if it grew, the old file's bytes
are put back, the fix is dropped, and `ChangedOnDisk` says so: the other writer's lines win.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator

LOCK_WAIT = 10.0  # seconds to wait for another process's lock on the same file
SETTLE_WAIT = 2.0  # seconds to wait for other writers of the replaced file to close it
_POLL = 0.005
NEW_MODE = 0o644  # a file written where there was none


class ChangedOnDisk(OSError):
    """The file changed after it was read; the fix was not written (the message says why)."""


def _named(exc: OSError, path: str) -> OSError:
    """The same error, naming the file the user knows rather than a temporary one."""
    return OSError(exc.errno, exc.strerror or str(exc), path)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


@contextlib.contextmanager
def locked(path: str) -> Iterator[int]:
    """A read-only descriptor of the file `path` names, holding an exclusive flock on it.

    The lock is taken on the inode; if the path names another inode once the lock is held (a
    rename came in between), the lock is taken again on the new one."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the compare still runs
        fcntl = None  # type: ignore[assignment]
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError(errno.EINVAL, "not a regular file", path)
            while fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OSError(errno.EWOULDBLOCK, "locked by another process for longer "
                                      f"than {LOCK_WAIT:g} s", path) from None
                    time.sleep(_POLL)
            now = os.stat(path)
            if (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
                yield fd
                return
        finally:
            os.close(fd)


def _no_writer(fd: int, wait: float) -> bool | None:
    """Whether no other process has the file of `fd` open for writing, waiting up to `wait`
    seconds for one to close it (a read lease can be had only then): True, False while one
    still has it, None when that cannot be known (not the owner, no leases, not Linux)."""
    try:
        import fcntl
        import signal
    except ImportError:
        return None
    setlease = getattr(fcntl, "F_SETLEASE", None)
    if setlease is None:
        return None
    try:  # a lease break sends SIGIO, whose default action ends the process
        previous = signal.signal(signal.SIGIO, signal.SIG_IGN)
    except (ValueError, AttributeError):  # not the main thread, or no SIGIO
        return None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.fcntl(fd, setlease, fcntl.F_RDLCK)
            except BlockingIOError:  # someone has it open for writing
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL)
                continue
            except OSError:  # not the file's owner, or a file system without leases
                return None
            fcntl.fcntl(fd, setlease, fcntl.F_UNLCK)
            return True
    finally:
        signal.signal(signal.SIGIO, previous)


def _temporary(target: str, data: bytes, like: os.stat_result | None, clear: int = 0) -> str:
    """A temporary file next to `target` holding `data`, synced, with the target's mode (less
    the `clear` bits) and owner; only its owner may read it when there is no target."""
    folder = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=".mycnf-lint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if like is not None:
            os.chmod(tmp, stat.S_IMODE(like.st_mode) & ~clear)
            if hasattr(os, "chown"):
                with contextlib.suppress(OSError):
                    os.chown(tmp, like.st_uid, like.st_gid)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync_folder(folder: str) -> None:
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _swap(target: str, data: bytes, expected: bytes | None, clear: int = 0) -> bytes | None:
    """Rename a temporary file holding `data` over `target` if the target still holds
    `expected` (any content when None); what the replaced file held once its writers were
    done, or None when that is `expected` (or cannot be known). ChangedOnDisk before the
    rename when the target no longer holds `expected`."""
    tmp = _temporary(target, data, os.stat(target), clear)
    try:
        with locked(target) as fd:
            if expected is not None and _read_all(fd) != expected:
                raise ChangedOnDisk(errno.ESTALE, "changed on disk since mycnf-lint read it; "
                                    "nothing written, run the check again", target)
            if expected is not None and _no_writer(fd, 0.0) is False:
                raise ChangedOnDisk(errno.ETXTBSY, "open for writing by another process; "
                                    "nothing written, run the check again", target)
            os.replace(tmp, target)
            if expected is None or not _no_writer(fd, SETTLE_WAIT):
                return None
            late = _read_all(fd)
            return None if late == expected else late
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create(target: str, data: bytes, clear: int) -> None:
    """A new file `target` holding `data`, mode NEW_MODE less `clear`, whole or not at all."""
    tmp = _temporary(target, data, None)
    try:
        os.chmod(tmp, NEW_MODE & ~clear)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str, data: bytes, expected: bytes | None = None, clear: int = 0) -> None:
    """Replace the content of the file `path` (a symlink is followed and kept) with `data`,
    atomically, provided it still holds `expected`; the file keeps its mode and owner, less
    the mode bits in `clear`. With `expected` None a missing file is created (mode NEW_MODE
    less `clear`; a dangling symlink's target). Every OSError names `path`."""
    target = os.path.realpath(path)
    try:
        if expected is None and not os.path.lexists(target):
            _create(target, data, clear)
            _sync_folder(os.path.dirname(target) or ".")
            return
        late = _swap(target, data, expected, clear)
        if late is not None:
            # another writer changed the old file between the compare and the rename: put its
            # bytes back, with anything appended to the new file since
            with locked(target) as fd:
                now = _read_all(fd)
            extra = now[len(data):] if now.startswith(data) else b""
            try:
                lost = _swap(target, late + extra, now)
            except ChangedOnDisk:
                lost = late
            if lost is not None:  # a third writer: keep the other change beside the file
                os.replace(_temporary(target, lost, None), f"{target}.mycnf-lint-conflict")
                raise ChangedOnDisk(errno.ESTALE, "changed on disk by two other writers while "
                                    "mycnf-lint was writing it; one change was saved as "
                                    f"{path}.mycnf-lint-conflict", path)
            raise ChangedOnDisk(errno.ESTALE, "changed on disk while mycnf-lint was writing "
                                "it; the other change was kept and the fix dropped, run the "
                                "check again", path)
    except ChangedOnDisk as exc:
        raise ChangedOnDisk(exc.errno, exc.strerror, path) from None
    except OSError as exc:
        raise _named(exc, path) from None
    _sync_folder(os.path.dirname(target) or ".")
