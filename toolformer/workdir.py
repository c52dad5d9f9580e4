"""The work directory every stage reads from and writes to (default runs/toolformer, git-ignored).

`work` makes it, `timing` records a stage's wall time in timings.json, `lore`
reads the corpus lore, `write_corpus` is the corpus stage (also run by `eval`
when no held-out set exists yet, so a fresh clone can evaluate).

Deliberately left out: locking (one pipeline per work directory at a time).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from agent.files import write_text_atomic


def work(args) -> Path:
    path = Path(args.work)
    path.mkdir(parents=True, exist_ok=True)
    return path


def timing(args, stage: str, seconds: float, **extra) -> None:
    path = work(args) / "timings.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[stage] = {"seconds": round(seconds, 1), **extra}
    write_text_atomic(path, json.dumps(data, indent=1))


def lore(args) -> list[tuple[str, str]]:
    from .jsonl import read_jsonl

    path = work(args) / "lore.jsonl"
    return [(r["title"], r["text"]) for r in read_jsonl(path, required=("title", "text"))] if path.exists() else []


def write_corpus(args, sizes: dict | None = None, extra: str | None = None, quiet: bool = False) -> Path:
    """Stage 1: corpus.jsonl, heldout.jsonl and lore.jsonl in the work directory, seeded by args.seed."""
    from .corpus import build_corpus
    from .jsonl import read_jsonl, write_jsonl

    t0 = time.perf_counter()
    train, heldout, lore_entries = build_corpus(args.seed, sizes or {})
    if extra:
        for n, rec in enumerate(read_jsonl(extra, required=("text",))):
            train.append({"id": f"x{n:05d}", "split": "train", "kind": rec.get("kind", "extra"),
                          "tool": rec.get("tool"), "text": rec["text"]})
    out = work(args)
    write_jsonl(out / "corpus.jsonl", train)
    write_jsonl(out / "heldout.jsonl", heldout)
    write_jsonl(out / "lore.jsonl", ({"title": t, "text": x} for t, x in lore_entries))
    timing(args, "corpus", time.perf_counter() - t0, train=len(train), heldout=len(heldout))
    print(f"corpus: {len(train)} training texts, {len(heldout)} held-out, {len(lore_entries)} lore entries -> {out}",
          file=sys.stderr if quiet else sys.stdout)
    return out
