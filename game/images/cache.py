"""The picture cache: PNG files on disk keyed by (model, prompt, seed).

A revisited scene is a file lookup (well under 5 ms). Writes are atomic
(agent.files.replacing), so a crash never leaves half a picture. A cache
folder that cannot be written (read-only, full) is reported once through
`problem` (and logged) and the cache turns itself into a pass-through: pictures
are still made, only not kept.

Deliberately left out: eviction (pictures are a few kB; `rm -r` the folder).
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from agent.files import replacing

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    if os.environ.get("ADVENTURE_IMAGE_CACHE"):
        return Path(os.environ["ADVENTURE_IMAGE_CACHE"]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "adventure" / "images"


class ImageCache:
    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.problem: str | None = None

    @staticmethod
    def key(model_id: str, prompt: str, seed: int) -> str:
        return hashlib.sha256(f"{model_id}\0{prompt}\0{seed}".encode("utf-8")).hexdigest()[:32]

    def path(self, model_id: str, prompt: str, seed: int) -> Path:
        return self.folder / f"{self.key(model_id, prompt, seed)}.png"

    def get(self, model_id: str, prompt: str, seed: int) -> Path | None:
        path = self.path(model_id, prompt, seed)
        return path if path.is_file() else None

    def put(self, model_id: str, prompt: str, seed: int, image) -> Path | None:
        """Store a PIL image; the stored path, or None (and `problem` set) when the folder is unusable."""
        if self.problem:
            return None
        target = self.path(model_id, prompt, seed)
        try:
            with replacing(target) as tmp:
                image.save(tmp, format="PNG")
        except OSError as exc:
            self.problem = f"image cache {self.folder} is not writable ({exc.strerror or exc}); pictures are not kept"
            log.warning("%s", self.problem)
            return None
        return target
