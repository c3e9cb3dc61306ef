"""The one write of a fixed file: atomic, same folder, mode and owner kept, symlinks followed."""

from __future__ import annotations

import os
import stat
import tempfile


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file's content in one step: a temporary file in the same folder, fsync,
    mode and owner copied, rename over the target; a symlink is followed and kept."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    st = os.stat(target)
    fd, tmp = tempfile.mkstemp(prefix=".mycnf-lint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
