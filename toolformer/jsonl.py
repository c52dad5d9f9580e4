"""JSONL in and out for every stage; a bad line is an error that names the file and the line.

Each stage reads the previous stage's file and writes its own. A line that is
not UTF-8, not JSON, not an object, longer than `max_chars` or missing a
required field raises `JsonlError` ("path:line: what is wrong"): skipping it
once lost data without anyone noticing. Blank lines are allowed. Writes go
through `agent.files.replacing`, so an interrupted stage never leaves half a
file that the next stage would trust; the sampling stage, which appends so an
interrupted run resumes, cuts an unfinished last line first
(`drop_unfinished_line`, logged).

Deliberately left out: compression, schemas beyond "a JSON object per line".
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from agent.files import replacing

log = logging.getLogger(__name__)

MAX_LINE_CHARS = 20_000  # a corpus text is a few hundred characters; anything this long is junk
STAGE_LINE_CHARS = 20_000_000  # stage outputs carry every scored candidate of a text
# which stage writes each work-directory file (the next stage's default input)
MADE_BY = {"corpus.jsonl": "corpus", "heldout.jsonl": "corpus", "lore.jsonl": "corpus", "samples.jsonl": "sample",
           "executed.jsonl": "execute", "filtered.jsonl": "filter"}


class JsonlError(ValueError):
    """A line of a JSONL file that is not one JSON object with the required fields."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}; fix or remove the line, or make the file again")
        self.path, self.line, self.problem = path, line, problem


def read_jsonl(path: str | os.PathLike, required: tuple[str, ...] = (),
               max_chars: int = MAX_LINE_CHARS) -> Iterator[dict]:
    """Yield the JSON objects of `path`; raise JsonlError at the first bad line.

    `max_chars` is the corpus limit by default; stage files pass `STAGE_LINE_CHARS`."""
    path = Path(path)
    if not path.exists():
        stage = MADE_BY.get(path.name)
        how = f"`adventure toolformer {stage} --work {path.parent}`" if stage else "the previous toolformer stage"
        raise FileNotFoundError(f"{path} does not exist; run the previous toolformer stage first: {how}")
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise JsonlError(path, lineno, f"not UTF-8 ({exc})") from exc
            if len(line) > max_chars:
                raise JsonlError(path, lineno, f"a line of {len(line)} characters (the limit is {max_chars})")
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise JsonlError(path, lineno, f"not JSON ({exc})") from exc
            if not isinstance(record, dict):
                raise JsonlError(path, lineno, f"a JSON {type(record).__name__}, not an object")
            missing = [k for k in required if not record.get(k)]
            if missing:
                raise JsonlError(path, lineno, f"missing or empty {', '.join(missing)}")
            yield record


def write_jsonl(path: str | os.PathLike, records: Iterable[dict]) -> int:
    """Write records atomically; returns how many were written."""
    count = 0
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def drop_unfinished_line(path: str | os.PathLike) -> bool:
    """Cut a last line that an interrupted append left without its newline; True if one was cut."""
    path = Path(path)
    if not path.exists():
        return False
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return False
    keep = data[: data.rfind(b"\n") + 1]
    log.warning("%s: the last line was cut off by an interrupted run (%d bytes); it is dropped and made again",
                path, len(data) - len(keep))
    with path.open("r+b") as handle:
        handle.truncate(len(keep))
    return True
