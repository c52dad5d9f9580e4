"""JSONL in and out for every stage, tolerant of bad lines.

Each stage reads the previous stage's file and writes its own; a line that is
empty, not JSON, not an object or longer than `MAX_LINE_CHARS` is skipped with
a warning on stderr (it never stops a run). Writes go to a temporary file that
is renamed into place, so an interrupted stage never leaves half a file that
the next stage would trust.

Deliberately left out: compression, schemas beyond "a JSON object per line".
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

MAX_LINE_CHARS = 20_000  # a corpus text is a few hundred characters; anything this long is junk
STAGE_LINE_CHARS = 20_000_000  # stage outputs carry every scored candidate of a text
# which stage writes each work-directory file (the next stage's default input)
MADE_BY = {"corpus.jsonl": "corpus", "heldout.jsonl": "corpus", "lore.jsonl": "corpus", "samples.jsonl": "sample",
           "executed.jsonl": "execute", "filtered.jsonl": "filter"}


def read_jsonl(path: str | os.PathLike, required: tuple[str, ...] = (), warn=None,
               max_chars: int = MAX_LINE_CHARS) -> Iterator[dict]:
    """Yield the JSON objects of `path`, skipping (and reporting) bad lines.

    `max_chars` is the corpus limit by default; stage files pass `STAGE_LINE_CHARS`."""
    warn = warn or (lambda msg: print(f"warning: {msg}", file=sys.stderr))
    path = Path(path)
    if not path.exists():
        stage = MADE_BY.get(path.name)
        how = f"`adventure toolformer {stage} --work {path.parent}`" if stage else "the previous toolformer stage"
        raise FileNotFoundError(f"{path} does not exist; run the previous toolformer stage first: {how}")
    with path.open(encoding="utf-8", errors="replace") as handle:
        for lineno, line in enumerate(handle, 1):
            if len(line) > max_chars:
                warn(f"{path}:{lineno}: line of {len(line)} characters skipped (limit {max_chars})")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                warn(f"{path}:{lineno}: not JSON ({exc}); skipped")
                continue
            if not isinstance(record, dict):
                warn(f"{path}:{lineno}: not a JSON object; skipped")
                continue
            missing = [k for k in required if not record.get(k)]
            if missing:
                warn(f"{path}:{lineno}: missing or empty {', '.join(missing)}; skipped")
                continue
            yield record


def write_jsonl(path: str | os.PathLike, records: Iterable[dict]) -> int:
    """Write records atomically; returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    os.replace(tmp, path)
    return count
