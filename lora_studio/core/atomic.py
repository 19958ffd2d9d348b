"""Atomic writes of user data: a crash or a full disk during a save leaves the old file intact.

Files: the bytes go to a uniquely named temporary file in the same folder, which takes the mode
of the file it replaces (or the mode a new file would get under the umask), is flushed and
fsynced, then renamed over the target (``os.replace`` is atomic on one file system, on Linux and
on Windows); the folder is fsynced too, so that the rename itself survives a power cut.

Folders (an adapter, a merged model): the new folder is written complete under a temporary
name, then swapped in by ``replace_dir``. The old folder is renamed aside before the new one is
renamed in and deleted only afterwards, so that at every moment one complete copy exists on
disk; ``recover_dir`` puts the old one back when a crash fell between the two renames.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import uuid

TEMP_SUFFIX = ".saving"
OLD_SUFFIX = ".retired"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_readable(path: str) -> None:
    """Give a file the mode a new file normally gets (0666 less the umask): some writers
    (safetensors) create theirs 0600, which another user or a container could not read."""
    os.chmod(path, 0o666 & ~_umask())


def _fsync(path: str) -> None:
    """fsync a file or folder by path; nothing where it cannot be opened (Windows cannot open a
    folder; NTFS journals renames itself)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_dir(folder: str) -> None:
    """Make a rename or a new file in ``folder`` durable."""
    _fsync(folder)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))


def temp_dir_for(target: str) -> str:
    """A new, empty folder beside ``target`` to write its replacement into."""
    target = os.path.abspath(target)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.", suffix=TEMP_SUFFIX, dir=parent)
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp's 0700 would make the saved folder private
    return tmp


def fsync_tree(folder: str) -> None:
    """fsync every file of a folder and the folder itself."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            _fsync(os.path.join(root, name))
        fsync_dir(root)


def _copies(target: str, suffix: str) -> list[str]:
    """The temporary (``TEMP_SUFFIX``) or retired (``OLD_SUFFIX``) copies beside ``target``."""
    parent, name = os.path.split(os.path.abspath(target))
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    prefix = f".{name}."
    return sorted(
        os.path.join(parent, n) for n in names if n.startswith(prefix) and n.endswith(suffix)
    )


def replace_dir(new: str, target: str) -> None:
    """Swap the complete folder ``new`` in as ``target``; the old ``target`` is deleted last."""
    target = os.path.abspath(target)
    fsync_tree(new)
    parent, name = os.path.split(target)
    old = ""
    if os.path.lexists(target):
        old = os.path.join(parent, f".{name}.{uuid.uuid4().hex[:8]}{OLD_SUFFIX}")
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old:
            os.replace(old, target)
        raise
    fsync_dir(parent)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def current_dir(target: str) -> str:
    """Where ``target``'s complete copy is now: ``target`` itself, or, when a swap was cut
    between its renames, the retired copy beside it (readers use this; they never move files)."""
    if os.path.lexists(target):
        return target
    retired = _copies(target, OLD_SUFFIX)
    return retired[-1] if retired else target


def recover_dir(target: str, drop_unfinished: bool = False) -> bool:
    """After a crash between ``replace_dir``'s two renames: put the old folder back, and drop
    retired copies once the new folder is in place. With ``drop_unfinished`` (only the one
    writer of ``target`` may ask, before it writes), half-written new copies of a killed writer
    go too. Returns True when it changed anything."""
    unfinished = _copies(target, TEMP_SUFFIX) if drop_unfinished else []
    for path in unfinished:
        shutil.rmtree(path, ignore_errors=True)
    retired = _copies(target, OLD_SUFFIX)
    if not retired:
        return bool(unfinished)
    if not os.path.lexists(target):
        try:
            os.replace(retired.pop(), target)
        except OSError:
            return False
    for path in retired:
        shutil.rmtree(path, ignore_errors=True)
    return True
