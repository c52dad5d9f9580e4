"""`adventure villagers replay OUT.jsonl`: a readable replay of a simulation's event log.

`read_events(path)` parses the JSONL written by `adventure villagers run
--jsonl` (one object per line with time, villager, kind, text, calls,
tokens); a line that is not such an object raises `ReplayError` naming the
file and line number. `format_event` renders one line ("day 1 07:15  nadia
plan  Nadia plans ..."); `summarize` gives calls and tokens per villager
per game hour from the cumulative counters the events carry (a villager's
last event holds its total, set-up ratings included, so it can exceed the
`run` summary, which counts from after set-up; "village" rows are shared
costs).

Deliberately left out: following a live file (tail -f), colour, and
re-simulating from the log (the SQLite state is what resumes a run).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

REQUIRED = ("time", "villager", "kind", "text")


class ReplayError(ValueError):
    """A JSONL line that is not a village event."""


def read_events(path: str | Path) -> Iterator[dict]:
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise ReplayError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReplayError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(event, dict):
                raise ReplayError(f"{path}:{number}: expected an object, got {type(event).__name__}")
            missing = [k for k in REQUIRED if k not in event]
            if missing:
                raise ReplayError(f"{path}:{number}: field {missing[0]!r} missing")
            for key in ("minute", "calls", "tokens"):
                if key in event and not isinstance(event[key], (int, float)):
                    raise ReplayError(f"{path}:{number}: field {key!r} must be a number")
            yield event


def select(events: Iterable[dict], villagers: set[str] | None = None, kinds: set[str] | None = None) -> Iterator[dict]:
    for e in events:
        if villagers and e["villager"] not in villagers:
            continue
        if kinds and e["kind"] not in kinds:
            continue
        yield e


def format_event(e: dict) -> str:
    return f"{e['time']:<13} {e['villager']:<10} {e['kind']:<9} {e['text']}"


def summarize(events: list[dict]) -> dict:
    """Calls and tokens per villager per game hour, from the cumulative counters."""
    minutes = [e["minute"] for e in events if isinstance(e.get("minute"), (int, float))]
    hours = (max(minutes) - min(minutes) + 15) / 60 if minutes else 0.0
    last: dict[str, dict] = {}
    for e in events:
        if e["villager"] != "village":
            last[e["villager"]] = e
    calls = sum(float(e.get("calls", 0)) for e in last.values())
    tokens = sum(float(e.get("tokens", 0)) for e in last.values())
    n = len(last)
    per = (lambda x: round(x / (n * hours), 3)) if n and hours else (lambda x: None)
    return {"events": len(events), "villagers": n, "game_hours": round(hours, 2), "model_calls": round(calls, 1),
            "calls_per_villager_hour": per(calls), "tokens_per_villager_hour": per(tokens),
            "by_kind": _count(e["kind"] for e in events)}


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return dict(sorted(out.items()))
