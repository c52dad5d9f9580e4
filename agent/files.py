"""Writing a file so that a reader never sees half of it: write beside it, then rename over it.

    with replacing(path) as tmp:        # any writer: torch.save(obj, tmp), image.save(tmp), gguf writers
        torch.save(checkpoint, tmp)
    write_text_atomic(path, text)      # the common case

The rename is atomic on POSIX when the temporary file is in the same folder, which is why it is made there
(never in /tmp, which may be another file system). On any error the temporary file is removed and the old
file stays as it was. Left out: fsync of the folder (a power cut may lose the rename, never half a file).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """A fresh temporary path in `path`'s folder; on a clean exit it replaces `path`."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
