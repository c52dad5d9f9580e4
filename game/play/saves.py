"""Saves in SQLite: an autosaved timeline (undo/redo), named saves and the transcript.

One file per game (stdlib `sqlite3`, WAL journal, `synchronous=FULL`). Tables:

  meta        key/value: story id, `head` (the timeline index now shown)
  timeline    idx -> state JSON + hash; idx 0 is the start. Undo and redo
              move `head`; a new move after an undo drops the undone branch
  saves       name -> state JSON + hash (named saves)
  transcript  every turn shown to the player: input, how it was resolved,
              events JSON, facts, narration, timings JSON, and the whole
              turn result as JSON (what `adventure run` writes per line)

A turn is one transaction: the session stages its new states (`stage`,
`stage_head`) and `log_turn` commits them together with the turn's record,
before any narration; `finish_turn` adds the narration afterwards. So after a
kill at any moment the head state and the last record agree.

One writer per file: a lock file `SAVE.lock` (game.play.save_lock) holds
the owner's process id under `flock`, so a second game is refused naming
that process (`SaveLocked`).

Refusals never touch the file (an immutable read-only look, no side files);
an unwritable file or folder is refused with that reason. Every state read
back is checked against its stored hash. `PRAGMA user_version` holds the
schema version: older files are migrated in a transaction, newer ones and
anything not an intact save of this story are refused.

Deliberately left out: cloud sync, compression, pruning old timeline rows (a
long game keeps every step; each is a few KB), a read-only way to play (a
save that cannot be written is refused), and locks on network file systems
where `flock` is not shared between machines.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
from pathlib import Path

from pydantic import ValidationError

from game.play.save_lock import SaveError, SaveLock, SaveLocked  # noqa: F401  (errors re-exported)
from game.world.state import WorldState

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
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
    # v3: the whole turn result (JSON), committed with the state before narration
    2: ["ALTER TABLE transcript ADD COLUMN result TEXT NOT NULL DEFAULT '{}'"],
}
MAX_SAVE_NAME = 40


def _connect(path: Path, must_exist: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode={'rw' if must_exist else 'rwc'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _inspect(path: Path) -> tuple[int, list[str], str | None]:
    """(user_version, problems, stored story id) read through a read-only connection (the caller holds the lock).

    Without a `-wal` file the connection is `immutable=1`: SQLite creates no `-wal`/`-shm` files, so
    inspecting a file that is then refused leaves nothing beside it. With one (a game killed before
    its journal was checkpointed) the journal is read too, or its last turns would be missed."""
    if not os.access(path, os.R_OK):
        return -1, ["cannot be read (permission denied)"], None
    wal = path.with_name(path.name + "-wal")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro" + ("" if wal.exists() else "&immutable=1"), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            story = None
            if check == "ok" and version >= 1:
                row = conn.execute("SELECT value FROM meta WHERE key = 'story_id'").fetchone()
                story = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return -1, [f"not a readable save file ({exc})"], None
    return version, ([] if check == "ok" else [f"damaged ({check})"]), story


def _unwritable(path: Path, existed: bool) -> str | None:
    """Why this save cannot be written (the file, or its folder for the journal and lock files), or None."""
    folder = path.parent
    if existed and not os.access(path, os.W_OK):
        return f"{path}: the file is read-only (no write permission)"
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return f"{path}: its folder {folder} is read-only (a save needs to write its journal and lock beside it)"
    return None


class SaveStore:
    def __init__(self, path: str | Path, story_id: str) -> None:
        self.path = Path(path)
        self.story_id = story_id
        self._staged: list[tuple[str, object]] = []
        existed = self.path.exists() and self.path.stat().st_size > 0
        if not existed:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise SaveError(f"{self.path}: cannot create its folder ({exc.strerror or exc})") from None
        elif not os.access(self.path, os.R_OK):
            raise SaveError(f"{self.path}: cannot be read (permission denied); it was left untouched.")
        reason = _unwritable(self.path, existed)
        if reason:
            raise SaveError(f"{reason}; nothing was changed. Make it writable (chmod u+w) or copy the save "
                            "to a writable folder and use --save/--load with the copy.")
        self._lock = SaveLock(self.path)
        self._lock.acquire()  # before reading: another game may be writing it
        try:
            self._open(existed, story_id)
        except BaseException:
            self.close()
            raise

    def _open(self, existed: bool, story_id: str) -> None:
        if existed:
            version, problems, stored = _inspect(self.path)
            if problems:
                raise SaveError(f"{self.path}: {problems[0]}; it was left untouched. Move it away to start over.")
            if version > SCHEMA_VERSION:
                raise SaveError(f"{self.path}: made by a newer version of adventure (save format {version}, "
                                f"this one reads up to {SCHEMA_VERSION}); it was left untouched. Upgrade adventure.")
            if version < 1:
                raise SaveError(f"{self.path}: an SQLite file, but not an adventure save; it was left untouched.")
            if stored is not None and stored != story_id:
                raise SaveError(f"{self.path}: this save belongs to story {stored!r}, not {story_id!r}; "
                                "left untouched.")
        try:
            self.conn = _connect(self.path, must_exist=existed)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self._migrate()
            if self._meta("story_id") is None:
                with self._tx():
                    self._set_meta("story_id", story_id)
        except sqlite3.Error as exc:
            raise SaveError(f"{self.path}: cannot be opened for writing ({exc})") from None

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

    def _state(self, row: sqlite3.Row, where: str) -> WorldState:
        try:
            state = WorldState.model_validate_json(row["state"])
        except ValidationError as exc:
            raise SaveError(f"{self.path}: {where} holds an unreadable state ({exc.errors()[0]['msg']})") from None
        if state.story_id != self.story_id:
            raise SaveError(f"{self.path}: {where} is a state of story {state.story_id!r}")
        if state.state_hash() != row["state_hash"]:
            raise SaveError(f"{self.path}: damaged save: {where} does not match the hash stored with it (was the "
                            "file edited?); it was left untouched. Move it away to start over.")
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
        row = self.conn.execute("SELECT state, state_hash FROM timeline WHERE idx = ?", (self.head,)).fetchone()
        if row is None:
            raise SaveError(f"{self.path}: the autosave timeline is damaged (missing step {self.head})")
        return self._state(row, f"autosave step {self.head}")

    def _push(self, state: WorldState) -> int:
        new = self.head + 1
        self.conn.execute("DELETE FROM timeline WHERE idx >= ?", (new,))
        self.conn.execute("INSERT INTO timeline (idx, state, state_hash) VALUES (?, ?, ?)",
                          (new, state.canonical_json(), state.state_hash()))
        self._set_meta("head", str(new))
        return new

    def push(self, state: WorldState) -> int:
        """Record a new state after the head (dropping any redo branch) now; returns its index."""
        with self._tx():
            return self._push(state)

    def stage(self, state: WorldState) -> None:
        """A new state to record with the next `log_turn`, in the same transaction as the turn's record."""
        self._staged.append(("push", state.model_copy(deep=True)))

    def move_head(self, delta: int, *, staged: bool = False) -> WorldState | None:
        """Undo (-1) or redo (+1) one step; None when there is nothing to move to.
        `staged`: the move is committed by the next `log_turn`, with the turn's record."""
        target = self.head + delta
        row = self.conn.execute("SELECT state, state_hash FROM timeline WHERE idx = ?", (target,)).fetchone()
        if target < 0 or row is None:
            return None
        state = self._state(row, f"autosave step {target}")
        if staged:
            self._staged.append(("head", target))
        else:
            with self._tx():
                self._set_meta("head", str(target))
        return state

    # --- named saves ----------------------------------------------------------------------
    def save(self, name: str, state: WorldState) -> None:
        with self._tx():
            self.conn.execute("INSERT OR REPLACE INTO saves (name, state, state_hash, created) VALUES (?, ?, ?, ?)",
                              (name, state.canonical_json(), state.state_hash(),
                               dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))

    def load(self, name: str) -> WorldState | None:
        row = self.conn.execute("SELECT state, state_hash FROM saves WHERE name = ?", (name,)).fetchone()
        return None if row is None else self._state(row, f"save {name!r}")

    def names(self) -> list[str]:
        return [r["name"] for r in self.conn.execute("SELECT name FROM saves ORDER BY created, name")]

    # --- transcript ---------------------------------------------------------------------------
    def log_turn(self, player_input: str, how: str, events: list[dict], facts: str, narration: str,
                 timings: dict, result: dict | None = None) -> int:
        """Commit the staged states and the turn's record in one transaction; returns the record's id."""
        staged, self._staged = self._staged, []
        with self._tx():
            for kind, value in staged:
                if kind == "push":
                    self._push(value)
                else:
                    self._set_meta("head", str(value))
            cur = self.conn.execute(
                "INSERT INTO transcript (input, how, events, facts, narration, timings, result) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (player_input, how, json.dumps(events), facts, narration, json.dumps(timings),
                 json.dumps(result or {}, ensure_ascii=False)))
        return int(cur.lastrowid)

    def finish_turn(self, turn_id: int, narration: str, result: dict | None = None) -> None:
        """Add the narration (and the final result) to a committed turn record."""
        with self._tx():
            if result is None:
                self.conn.execute("UPDATE transcript SET narration = ? WHERE id = ?", (narration, turn_id))
            else:
                self.conn.execute("UPDATE transcript SET narration = ?, timings = ?, result = ? WHERE id = ?",
                                  (narration, json.dumps(result.get("timings", {})),
                                   json.dumps(result, ensure_ascii=False), turn_id))

    def transcript(self) -> list[sqlite3.Row]:
        return list(self.conn.execute("SELECT * FROM transcript ORDER BY id"))

    def results_after(self, turn_id: int) -> list[tuple[int, dict]]:
        """(record id, stored turn result) of every turn after `turn_id` that has one."""
        rows = self.conn.execute("SELECT id, result FROM transcript WHERE id > ? ORDER BY id", (turn_id,))
        return [(r["id"], json.loads(r["result"])) for r in rows if r["result"] not in ("", "{}")]

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error as exc:  # closing is the last thing done: the committed turns are safe
                log.warning("%s: closing the save failed: %s", self.path, exc)
            self.conn = None
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.release()
            self._lock = None


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
