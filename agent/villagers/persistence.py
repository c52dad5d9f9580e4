"""Saving and resuming a village in SQLite, exactly.

`VillageStore(path)` keeps one village per file:
- meta: format version, script id and hash, seed, clock, next memory id,
  relevance mode, the importance cache, the planner's rank cache and the
  call meter (so call counts and cached choices continue where they stopped);
- villagers: each villager's state as JSON (place, plan, current and pending
  actions, what it has seen, told and when it last chatted...);
- memories: one row per record (kind, text, times, importance, evidence);
- events: the event log, one JSON object per row.

`save(village, new_events)` writes everything in one transaction (after each
step), so a killed run resumes from its last complete step; resuming with the
same backend continues exactly as an uninterrupted run would (tested).

Deliberately left out: migrations (a save from another format version is
refused with a clear message) and storing embeddings (the backend caches
them; they are recomputed).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sqlite3
from pathlib import Path

from .memory import MemoryRecord, MemoryStream
from .planning import Action, DayPlan, HourBlock
from .script import VillageScript
from .simulation import Village
from .village_state import VillagerState

FORMAT = 1


class StateError(RuntimeError):
    """A saved state that cannot be used: another format, another script."""


def script_hash(script: VillageScript) -> str:
    return hashlib.sha256(script.model_dump_json().encode()).hexdigest()[:16]


def _state_json(state: VillagerState) -> str:
    data = {
        "place": state.place,
        "plan": None if state.plan is None else {
            "day": state.plan.day, "blocks": [dataclasses.asdict(b) for b in state.plan.blocks.values()]},
        "actions": [dataclasses.asdict(a) for a in state.actions],
        "current": None if state.current is None else dataclasses.asdict(state.current),
        "pending_importance": state.pending_importance,
        "seen": state.seen, "last_chat": state.last_chat, "told": state.told,
        "fired": state.fired, "reacted_hour": state.reacted_hour,
    }
    return json.dumps(data, sort_keys=True)


def _state_from(vid: str, text: str, records: list[MemoryRecord]) -> VillagerState:
    data = json.loads(text)
    plan = None
    if data["plan"] is not None:
        plan = DayPlan(data["plan"]["day"], {b["hour"]: HourBlock(**b) for b in data["plan"]["blocks"]})
    return VillagerState(
        id=vid, place=data["place"], stream=MemoryStream(vid, records), plan=plan,
        actions=[Action(**a) for a in data["actions"]],
        current=None if data["current"] is None else Action(**data["current"]),
        pending_importance=data["pending_importance"], seen=data["seen"],
        last_chat={k: int(v) for k, v in data["last_chat"].items()},
        told={k: list(v) for k, v in data["told"].items()}, fired=list(data["fired"]),
        reacted_hour=data["reacted_hour"])


class VillageStore:
    def __init__(self, path: str | Path, prefix: str = "") -> None:
        """`prefix` names the tables (e.g. "village_" inside a game's save file, whose own tables it never touches)."""
        if not re.fullmatch(r"[a-z_]*", prefix):
            raise ValueError(f"table prefix {prefix!r}: lower-case letters and underscores only")
        self.prefix = prefix
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Used from whichever worker thread holds the village lock (the game serialises access).
        self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        # WAL, and no fsync per step (synchronous=NORMAL): a killed process keeps every committed step; a power
        # cut may lose the last few, never the file. The game's own connection to the same file keeps FULL.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(f"""
            CREATE TABLE IF NOT EXISTS {self.prefix}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS {self.prefix}villagers (id TEXT PRIMARY KEY, state TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS {self.prefix}memories (
                id INTEGER PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
                created INTEGER NOT NULL, last_access INTEGER NOT NULL, importance INTEGER NOT NULL,
                evidence TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS {self.prefix}events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
        """)
        # id -> (last_access, importance) as written: a save writes only new and changed memories, so the
        # write transaction a game's turn may have to wait for stays short as the streams grow.
        self._written: dict[int, tuple[int, int]] = {}

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def exists(self) -> bool:
        return self.db.execute(f"SELECT COUNT(*) FROM {self.prefix}meta").fetchone()[0] > 0

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute(f"SELECT key, value FROM {self.prefix}meta"))

    def clear(self) -> None:
        with self.db:
            for table in ("meta", "villagers", "memories", "events"):
                self.db.execute(f"DELETE FROM {self.prefix}{table}")
        self._written.clear()

    def save(self, village: Village, new_events: list[dict] = ()) -> None:
        meta = {
            "format": str(FORMAT), "script_id": village.script.id, "script_hash": script_hash(village.script),
            "seed": str(village.seed), "clock": str(village.clock), "next_id": str(village.next_id),
            "relevance": village.retriever.mode, "reflection": json.dumps(village.reflection_enabled),
            "importance_cache": json.dumps(village.rater.cache, sort_keys=True),
            "rank_cache": json.dumps(village.planner.rank_cache, sort_keys=True),
            "meter": json.dumps(village.meter.state() if village.meter else {}, sort_keys=True),
        }
        with self.db:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.prefix}meta VALUES (?, ?)", meta.items())
            self.db.execute(f"DELETE FROM {self.prefix}villagers")
            self.db.executemany(f"INSERT INTO {self.prefix}villagers VALUES (?, ?)",
                                [(vid, _state_json(s)) for vid, s in sorted(village.states.items())])
            changed = [r for s in village.states.values() for r in s.stream.records
                       if self._written.get(r.id) != (r.last_access, r.importance)]
            self.db.executemany(f"INSERT OR REPLACE INTO {self.prefix}memories VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                (r.id, r.owner, r.kind, r.text, r.created, r.last_access, r.importance, json.dumps(list(r.evidence)))
                for r in changed])
            self.db.executemany(f"INSERT INTO {self.prefix}events (event) VALUES (?)",
                                [(json.dumps(e, sort_keys=True),) for e in new_events])
        self._written.update((r.id, (r.last_access, r.importance)) for r in changed)

    def load(self, village: Village) -> Village:
        """Fill a freshly constructed (not populated) `village` from the file."""
        meta = self.meta()
        if not meta:
            raise StateError(f"{self.path} holds no village")
        if meta.get("format") != str(FORMAT):
            raise StateError(f"{self.path} was saved in village format {meta.get('format')}; this version reads "
                             f"{FORMAT}. Start over with --fresh.")
        if meta["script_id"] != village.script.id or meta["script_hash"] != script_hash(village.script):
            raise StateError(f"{self.path} was saved from another version of the script "
                             f"({meta['script_id']}); start over with --fresh.")
        village.seed = int(meta["seed"])
        village.talk.seed = village.seed
        village.clock = int(meta["clock"])
        village.next_id = int(meta["next_id"])
        village.retriever.mode = meta["relevance"]
        village.reflection_enabled = json.loads(meta["reflection"])
        village.rater.cache.clear()
        village.rater.cache.update(json.loads(meta["importance_cache"]))
        village.planner.rank_cache = json.loads(meta["rank_cache"])
        if village.meter is not None:
            village.meter.restore(json.loads(meta["meter"]))
        records: dict[str, list[MemoryRecord]] = {}
        for row in self.db.execute("SELECT id, owner, kind, text, created, last_access, importance, evidence "
                                   f"FROM {self.prefix}memories ORDER BY id"):
            rid, owner, kind, text, created, last, importance, evidence = row
            records.setdefault(owner, []).append(
                MemoryRecord(rid, owner, kind, text, created, last, importance, tuple(json.loads(evidence))))
            self._written[rid] = (last, importance)
        village.states = {vid: _state_from(vid, text, records.get(vid, []))
                          for vid, text in self.db.execute(f"SELECT id, state FROM {self.prefix}villagers ORDER BY id")}
        missing = set(village.people) - set(village.states)
        if missing:
            raise StateError(f"{self.path} lacks villagers {sorted(missing)}; start over with --fresh.")
        return village

    def events(self) -> list[dict]:
        return [json.loads(e) for (e,) in self.db.execute(f"SELECT event FROM {self.prefix}events ORDER BY seq")]


def snapshot(village: Village) -> dict:
    """Everything that defines a village's state, for comparing runs."""
    return {
        "clock": village.clock, "next_id": village.next_id,
        "states": {vid: json.loads(_state_json(s)) for vid, s in sorted(village.states.items())},
        "memories": [dataclasses.asdict(r) for vid in sorted(village.states)
                     for r in village.states[vid].stream.records],
        "meter": village.meter.state() if village.meter else {},
    }
