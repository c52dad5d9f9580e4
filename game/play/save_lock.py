"""One game per save file: `SaveLock`, an exclusive `flock` on `SAVE.lock` holding the owner's process id.

The kernel releases a `flock` when its owner dies, so a second game is refused
naming the process that plays the save (`SaveLocked`) and a stale lock left by
a killed process is taken over with a logged warning. Stores in one process
share the lock (counted), so a UI may open the same save twice.

Deliberately left out: locks on network file systems where `flock` is not
shared between machines, and waiting for a lock (a held save is refused).
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class SaveError(RuntimeError):
    """A save file cannot be used; the message names the file and what to do."""


class SaveLocked(SaveError):
    """Another process is playing this save."""


class SaveLock:
    """An exclusive `flock` on SAVE.lock, holding the owner's pid; shared by the stores of one process."""

    _held: dict[str, list] = {}  # lock path -> [fd, count]
    _guard = threading.Lock()

    def __init__(self, save: Path) -> None:
        self.save = save
        self.path = str(save.with_name(save.name + ".lock"))
        self.key = os.path.realpath(self.path)

    def acquire(self) -> None:
        with self._guard:
            if self.key in self._held:
                self._held[self.key][1] += 1
                return
            for _ in range(20):
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = _read_pid(fd)
                    os.close(fd)
                    raise SaveLocked(f"{self.save}: in use by another game (process {holder or 'unknown'} holds "
                                     f"{self.path}); close that game first or use another save") from None
                try:  # its last owner may have removed the file we opened: hold the one on disk
                    same = os.path.samestat(os.fstat(fd), os.stat(self.path))
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
                previous = _read_pid(fd)
                if previous and previous != os.getpid():
                    log.warning("%s: took over the lock of process %s, which %s", self.save, previous,
                                "is no longer running" if not _alive(previous) else "released it without removing it")
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                self._held[self.key] = [fd, 1]
                return
            raise SaveError(f"{self.save}: could not settle the lock file {self.path}")

    def release(self) -> None:
        with self._guard:
            held = self._held.get(self.key)
            if held is None:
                return
            held[1] -= 1
            if held[1] > 0:
                return
            del self._held[self.key]
            try:
                os.unlink(self.path)
            except OSError as exc:  # a stale file is harmless: the next game takes the lock over
                log.info("%s: lock file left in place (%s)", self.path, exc)
            os.close(held[0])


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isascii() and text.isdigit() else None
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
