"""The story's village inside a game: villagers live on the game clock, see the player, answer from memory.

`GameVillage.open(story, backend, save_path)` finds the bundled village script
whose `story:` is this story (assets/villages/*.yaml) and keeps the village in
the game's own SQLite save file (tables prefixed `village_`, beside the
game's). The engine stays the judge of the world:

- Villagers who play a story character (`character:` in the script) are where
  the story puts that character; the others are where their simulated day
  takes them (a place linked to a story room), and only while awake.
- `advance_to(game_minutes)` steps the village (15-minute steps) up to the
  game clock; the TUI calls it in a worker after each turn, `adventure run`
  after each command. A villager who is in the player's room when a turn
  happens remembers what it saw (the engine's facts, not the narration).
- `addressees(story, state)`: the villagers present and the names they answer
  to, for understanding to resolve "talk to NAME" / "ask NAME about ..." /
  "NAME, ..." into a `Talk`; `answer(village, talk)` is the villager's reply.
- `reply(villager, question)` answers from the villager's own memories: the
  model's answer only when every word of it is backed by the memories it was
  given, else the memory itself in a first-person template, else "I don't
  know" (agent.villagers.answers); the villager stores the exchange.
- Level of detail: the villagers in the player's room are the village's
  focus; only they spend model calls, the rest follow their routines by rule.
  What they witness is remembered at least as importantly as the engine's
  event kinds say (`EVENT_IMPORTANCE`: a riddle solved 8, a sale 6).

What villagers witness is queued by the turn and stored with the next
quarter-hour step (one batched importance rating), so quitting mid-quarter
loses at most those few sightings.

Deliberately left out: undo does not rewind the village (villagers remember
what happened even if the player takes a move back — stated in the help),
and villagers do not change the world state (they cannot take items).
"""
from __future__ import annotations

import logging
import os
import re
import threading
import time
from pathlib import Path

from agent.backend import Backend
from game.understanding.addressing import Addressee
from game.world.choices import Choice
from game.world.events import Event, Talk
from game.world.limits import VILLAGER_QUESTION_CHARS, WITNESSED_CHARS

log = logging.getLogger(__name__)
VILLAGE_TABLES = "village_"
VILLAGE_NICE = 10  # a village worker thread's nice value (Linux)
PLAYER = "the traveller"
# How much a villager who saw it cares about the engine's own events (the least importance; the model may raise it).
EVENT_IMPORTANCE = {"won": 9, "riddle_solved": 8, "lost": 8, "unlocked": 7, "burned": 6, "sold": 6, "bought": 5,
                    "opened": 5, "cut": 4, "riddle_wrong": 4, "put": 4, "lit": 3, "taken": 3, "dropped": 3,
                    "cooked": 3, "talked": 3}


def _lower_worker_priority() -> None:
    """In a UI's worker thread, the village (its model calls included) runs below the player's turn: Linux
    gives each thread its own nice value, inherited by the threads llama.cpp starts from it."""
    if threading.current_thread() is threading.main_thread() or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, tid) < VILLAGE_NICE:
            os.setpriority(os.PRIO_PROCESS, tid, VILLAGE_NICE)
    except OSError as exc:  # not allowed here: the village simply keeps the game's priority
        log.info("village worker priority left as it is (%s)", exc)


def witnessed(events) -> str:
    """What a villager in the room sees of a turn: the deeds, not the room description."""
    return " ".join(e.message.splitlines()[0] for e in events
                    if e.kind not in ("room", "dark", "moved", "score", "villagers") and e.message)


def bundled_village_for(story_id: str) -> Path | None:
    from agent.villagers.script import BUNDLED_DIR

    for path in sorted(Path(BUNDLED_DIR).glob("*.yaml")):
        head = path.read_text(encoding="utf-8")[:4000]
        if re.search(rf"^story:\s*['\"]?{re.escape(story_id)}['\"]?\s*$", head, re.MULTILINE):
            return path
    return None


class GameVillage:
    def __init__(self, script, backend: Backend | None, save_path: str | Path, seed: int = 0) -> None:
        from agent.villagers.persistence import StateError, VillageStore
        from agent.villagers.simulation import Village

        self.script = script
        self.village = Village(script, backend, seed=seed, detail="lod")
        self.store = VillageStore(save_path, prefix=VILLAGE_TABLES)
        self.lock = threading.RLock()  # one step or one conversation at a time
        # Set while no turn is being played: a village step in a worker waits at its next yield point (between
        # villagers and phases) while the player's turn runs, so the turn never shares the interpreter with it.
        self._no_turn = threading.Event()
        self._no_turn.set()
        self._turn_began = 0.0
        self._seen: list[tuple[str, str, int]] = []  # (villager, memory, importance floor) queued by turns
        self.problem: str | None = None
        if self.store.exists():
            try:
                self.store.load(self.village)
            except StateError as exc:  # a save from another script version: the village starts over
                self.problem = f"{exc} The village starts afresh."
                self.store.clear()
                self.village = Village(script, backend, seed=seed, detail="lod")
        if not self.village.states:
            self.store.save(self.village, self.village.populate())
        self.room_of = {p.id: p.room for p in script.places if p.room}
        self.village.yield_point = self._wait_for_turn

    # --- turns go first ---------------------------------------------------------------------
    TURN_WAIT_S = 2.0  # per turn: a turn streaming long narration lets the village go on after this

    def _wait_for_turn(self) -> None:
        left = self.TURN_WAIT_S - (time.monotonic() - self._turn_began)
        if left > 0:
            self._no_turn.wait(left)

    def turn_started(self) -> None:
        self._turn_began = time.monotonic()
        self._no_turn.clear()

    def turn_ended(self) -> None:
        self._no_turn.set()

    @classmethod
    def open(cls, story, backend: Backend | None, save_path: str | Path) -> GameVillage | None:
        from agent.villagers.script import load_village
        from game.textworld.story_files import open_named_story

        path = bundled_village_for(story.id)
        if path is None:
            return None
        return cls(load_village(path, open_named_story), backend, save_path)

    # --- time -----------------------------------------------------------------------------
    def target_minute(self, game_minutes: int) -> int:
        return self.village.start + game_minutes

    def behind(self, game_minutes: int) -> bool:
        from agent.villagers.simulation import STEP

        return self.village.clock + STEP <= self.target_minute(game_minutes)

    def advance_to(self, game_minutes: int) -> list[dict]:
        """Step the village up to the game clock; never raises for model trouble (the village logs it)."""
        from agent.villagers.simulation import STEP

        _lower_worker_priority()
        events: list[dict] = []
        with self.lock:
            self._store_seen()
            while self.village.clock + STEP <= self.target_minute(game_minutes):
                try:
                    events += self.village.step()
                except Exception as exc:  # a bug or a dead backend must not end the game
                    log.warning("village step failed at minute %s: %s", self.village.clock, exc)
                    self.village.clock += STEP
            if events:
                self._wait_for_turn()  # the save's write lock would hold up the turn's own commit
                self.store.save(self.village, events)
        return events

    # --- who is where ----------------------------------------------------------------------
    def present(self, story, state) -> list[tuple[str, str, str]]:
        """(villager id, name, what they are doing) for villagers in the player's room."""
        from game.world import queries as q

        out = []
        people_here = set(q.people_here(story, state))
        # Read without the lock: a step in flight only moves villagers a quarter hour, and a turn must not
        # wait for it just to list who is here.
        for vid, person in sorted(self.village.people.items()):
            villager_state = self.village.states.get(vid)
            if villager_state is None:
                continue
            doing = villager_state.current.text if villager_state.current else ""
            if person.character:
                if person.character in people_here:
                    out.append((vid, person.name, doing))
            elif self.village.awake(vid) and self.room_of.get(villager_state.place) == state.location:
                out.append((vid, person.name, doing))
        return out

    def addressees(self, story, state) -> list[Addressee]:
        """The villagers present, each with every name the player may call them by: name, first name, id, and
        their story character's id, name and aliases (what understanding matches "talk to NAME" against)."""
        out = []
        for vid, full_name, _ in self.present(story, state):
            person = self.village.people[vid]
            names = {vid, full_name.lower(), full_name.lower().split()[-1], full_name.lower().split()[0]}
            if person.character:
                character = next((c for c in story.characters if c.id == person.character), None)
                if character:
                    names |= {character.id, character.name.lower(), *(a.lower() for a in character.aliases)}
            out.append(Addressee(vid, frozenset(names), plays_character=bool(person.character)))
        return out

    # --- seeing and talking ------------------------------------------------------------------
    def witness(self, story, state, events) -> None:
        """Villagers in the room remember what the player just did (batched into the next step's rating),
        at least as important as the engine's events make it; they are the ones in the player's sight."""
        here = [vid for vid, _, _ in self.present(story, state)]
        self.village.set_focus(here)  # level of detail: only they spend model calls
        text = " ".join(witnessed(events).split())[:WITNESSED_CHARS]
        if text:  # queued, not stored: a turn never waits for a village step in flight
            floor = max((EVENT_IMPORTANCE.get(e.kind, 0) for e in events), default=0)
            self._seen += [(vid, f"I saw {PLAYER} here: {text}", floor) for vid in here]

    def _store_seen(self) -> None:
        seen, self._seen = self._seen, []
        for vid, text, floor in seen:
            self.village.perceive(vid, text, importance=floor)

    def reply(self, vid: str, question: str) -> str:
        question = " ".join(question.split())[:VILLAGER_QUESTION_CHARS] or "What news do you have?"
        self.turn_ended()  # this turn needs the village: a step in flight may finish first
        with self.lock:
            self._store_seen()
            answer = self.village.ask(vid, question, asker=PLAYER).text
            self.village.perceive(vid, f"{PLAYER.capitalize()} asked me: {question} I said: {answer}",
                                  kind="chat", rate_now=True)
            self.store.save(self.village)
        return answer

    def close(self) -> None:
        self.store.close()


def answer(village: GameVillage, talk: Talk) -> Event:
    """The villager's reply to what understanding resolved (a Talk), as an engine-style Event."""
    person = village.village.people[talk.villager]
    topic = talk.topic
    question = topic if topic.endswith("?") or re.match(r"(what|where|who|why|how|when|is|are|do|did|have)\b",
                                                        topic, re.I) else f"What do you know about {topic}?"
    reply = village.reply(talk.villager, question if topic else "What news do you have?")
    return Event("villager", f"{person.name}: \u201c{reply}\u201d", {"villager": talk.villager, "topic": topic})


def presence_event(village: GameVillage, story, state) -> Event | None:
    """Who of the village (not already a story character in the room text) is here, and doing what."""
    here = [(vid, name, doing) for vid, name, doing in village.present(story, state)
            if not village.village.people[vid].character]
    if not here:
        return None
    parts = [f"{name} ({doing})" if doing else name for _, name, doing in here]
    return Event("villagers", "Also here: " + ", ".join(parts) + ".", {"villagers": [v for v, _, _ in here]})


def talk_choices(village: GameVillage, story, state, numbered: int) -> list[Choice]:
    """"Talk to NAME" for villagers here whom the story itself does not know (its characters have their own)."""
    extra = [(vid, name) for vid, name, _ in village.present(story, state)
             if not village.village.people[vid].character]
    return [Choice(numbered + i, f"Talk to {name}", talk=Talk(vid)) for i, (vid, name) in enumerate(extra, 1)]
