"""Saves in SQLite: an autosaved timeline (undo/redo), named saves and the transcript.

One file per game (stdlib `sqlite3`, WAL journal, `synchronous=FULL`). Tables:

  meta        key/value: story id, `head` (the timeline index now shown)
  timeline    idx -> state JSON + hash; idx 0 is the start. Undo and redo
              move `head`; a new move after an undo drops the undone branch
  saves       name -> state JSON + hash (named saves)
  transcript  every turn shown to the player: input, how it was resolved,
              events JSON, facts, narration, timings JSON

Every change is one transaction, so killing the process mid-turn loses at
most that turn. The schema version lives in `PRAGMA user_version`; older
files are migrated forward in a transaction, newer ones are refused, and so
is anything that is not an intact save of this story — refused files are
opened read-only and never written.

Deliberately left out: cloud sync, compression, and pruning old timeline
rows (a long game keeps every step; each is a few KB).
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from pydantic import ValidationError

from .state import WorldState

SCHEMA_VERSION = 2
# Each entry upgrades a file from version i to i + 1.
MIGRATIONS: dict[int, list[str]] = {
    0: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE timeline (idx INTEGER PRIMARY KEY, state TEXT NOT NULL, state_hash TEXT NOT NULL)",
        "CREATE TABLE saves (name TEXT PRIMARY KEY, state TEXT NOT NULL, state_hash TEXT NOT NULL, "
        "created TEXT NOT NULL)",
        "CREATE TABLE transcript (id INTEGER PRIMARY KEY AUTOINCREMENT, input TEXT NOT NULL, how TEXT NOT NULL, "
        "events TEXT NOT NULL, facts TEXT NOT NULL, narration TEXT NOT NULL)",
    ],
    # v2: per-turn timings in the transcript (for `adventure run` and benchmarks)
    1: ["ALTER TABLE transcript ADD COLUMN timings TEXT NOT NULL DEFAULT '{}'"],
}
MAX_SAVE_NAME = 40


class SaveError(RuntimeError):
    """A save file cannot be used; the message names the file and what to do."""


def _connect(path: Path, must_exist: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode={'rw' if must_exist else 'rwc'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _inspect(path: Path) -> tuple[int, list[str]]:
    """(user_version, problems) read through a read-only connection."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return -1, [f"not a readable save file ({exc})"]
    return version, ([] if check == "ok" else [f"damaged ({check})"])


class SaveStore:
    def __init__(self, path: str | Path, story_id: str) -> None:
        self.path = Path(path)
        self.story_id = story_id
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            version, problems = _inspect(self.path)
            if problems:
                raise SaveError(f"{self.path}: {problems[0]}; it was left untouched. Move it away to start over.")
            if version > SCHEMA_VERSION:
                raise SaveError(f"{self.path}: made by a newer version of adventure (save format {version}, "
                                f"this one reads up to {SCHEMA_VERSION}); it was left untouched. Upgrade adventure.")
            if version < 1:
                raise SaveError(f"{self.path}: an SQLite file, but not an adventure save; it was left untouched.")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = _connect(self.path, must_exist=existed)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self._migrate()
        stored = self._meta("story_id")
        if stored is None:
            with self._tx():
                self._set_meta("story_id", story_id)
        elif stored != story_id:
            self.conn.close()
            raise SaveError(f"{self.path}: this save belongs to story {stored!r}, not {story_id!r}; left untouched.")

    # --- plumbing ----------------------------------------------------------------
    def _tx(self):
        return _Transaction(self.conn)

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        while version < SCHEMA_VERSION:
            with self._tx():
                for statement in MIGRATIONS[version]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _state(self, text: str, where: str) -> WorldState:
        try:
            state = WorldState.model_validate_json(text)
        except ValidationError as exc:
            raise SaveError(f"{self.path}: {where} holds an unreadable state ({exc.errors()[0]['msg']})") from None
        if state.story_id != self.story_id:
            raise SaveError(f"{self.path}: {where} is a state of story {state.story_id!r}")
        return state

    # --- timeline (autosave, undo, redo) ----------------------------------------------
    @property
    def head(self) -> int:
        value = self._meta("head")
        return int(value) if value is not None else -1

    def current(self) -> WorldState | None:
        """The autosaved state to resume from, or None for a fresh file."""
        if self.head < 0:
            return None
        row = self.conn.execute("SELECT state FROM timeline WHERE idx = ?", (self.head,)).fetchone()
        if row is None:
            raise SaveError(f"{self.path}: the autosave timeline is damaged (missing step {self.head})")
        return self._state(row["state"], f"autosave step {self.head}")

    def push(self, state: WorldState) -> int:
        """Record a new state after the head (dropping any redo branch); returns its index."""
        new = self.head + 1
        with self._tx():
            self.conn.execute("DELETE FROM timeline WHERE idx >= ?", (new,))
            self.conn.execute("INSERT INTO timeline (idx, state, state_hash) VALUES (?, ?, ?)",
                              (new, state.canonical_json(), state.state_hash()))
            self._set_meta("head", str(new))
        return new

    def move_head(self, delta: int) -> WorldState | None:
        """Undo (-1) or redo (+1) one step; None when there is nothing to move to."""
        target = self.head + delta
        row = self.conn.execute("SELECT state FROM timeline WHERE idx = ?", (target,)).fetchone()
        if target < 0 or row is None:
            return None
        state = self._state(row["state"], f"autosave step {target}")
        with self._tx():
            self._set_meta("head", str(target))
        return state

    def can_redo(self) -> bool:
        return self.conn.execute("SELECT 1 FROM timeline WHERE idx = ?", (self.head + 1,)).fetchone() is not None

    # --- named saves ----------------------------------------------------------------------
    def save(self, name: str, state: WorldState) -> None:
        with self._tx():
            self.conn.execute("INSERT OR REPLACE INTO saves (name, state, state_hash, created) VALUES (?, ?, ?, ?)",
                              (name, state.canonical_json(), state.state_hash(),
                               dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))

    def load(self, name: str) -> WorldState | None:
        row = self.conn.execute("SELECT state FROM saves WHERE name = ?", (name,)).fetchone()
        return None if row is None else self._state(row["state"], f"save {name!r}")

    def names(self) -> list[str]:
        return [r["name"] for r in self.conn.execute("SELECT name FROM saves ORDER BY created, name")]

    # --- transcript ---------------------------------------------------------------------------
    def log_turn(self, player_input: str, how: str, events: list[dict], facts: str, narration: str,
                 timings: dict) -> int:
        with self._tx():
            cur = self.conn.execute(
                "INSERT INTO transcript (input, how, events, facts, narration, timings) VALUES (?, ?, ?, ?, ?, ?)",
                (player_input, how, json.dumps(events), facts, narration, json.dumps(timings)))
        return int(cur.lastrowid)

    def update_narration(self, turn_id: int, narration: str) -> None:
        with self._tx():
            self.conn.execute("UPDATE transcript SET narration = ? WHERE id = ?", (narration, turn_id))

    def transcript(self) -> list[sqlite3.Row]:
        return list(self.conn.execute("SELECT * FROM transcript ORDER BY id"))

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
