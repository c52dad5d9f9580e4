"""GameSession: the turn loop, and the contract a UI (the Textual TUI) drives.

    from game.play.session import GameSession
    session = GameSession.start(story=None, backend=backend, save_path=None, resume=True)
        # story: a Story, a path, a bundled name ("oasis") or None (the default story)
        # backend: any agent.backend.Backend, or None (no model: engine text only)
        # save_path: the SQLite file (default: $ADVENTURE_SAVE_DIR or
        #            ~/.local/share/adventure/saves/<story id>.sqlite); resume=False starts over
    first = session.opening()                  # TurnResult: intro + first room, no model call
    result = session.submit(text, on_text=cb)  # one turn; cb(piece) gets narration as it streams
    for item in session.stream(text): ...      # same turn as a generator: str pieces, then the TurnResult
    gen.throw(NarrationCut())  # mid-stream: stop the prose; returns the TurnResult (source "cut")
    session.choices        # list[Choice]: number, label (what `submit("2")` would do)
    session.state_hash     # 16 hex digits of the world state
    session.undo() / session.redo() / session.retry()      # TurnResults (retry re-narrates, no state change)
    session.save(name) / session.load(name) / session.save_names()
    session.transcript_markdown() / session.export_transcript(path)
    session.close()

`submit` never raises for anything a player can type. A `TurnResult` has the input, how it was resolved
(meta / choice / parser / ranked / clarify / empty), the action, the events, `facts` (the engine's text:
the truth, always worth showing), `narration` and its `source` ("model"; "fallback" when the model failed —
then `narration` is the engine's text and a streaming UI should replace what it showed; "none" for turns
without narration), the new choices, location, inventory, purse, score, won/lost, the state hash and
timings. `result.quit` is set by "quit"; the UI decides what quitting means.

A line flows one way, each step visited once: input -> understanding (split into commands, each
resolved to an engine action, a meta command or a `Talk` to a villager here) -> engine (atomic) ->
events -> the village (who saw it remembers; a Talk is answered) and the narration -> save and view.
The new state(s) and the turn's record (input, action, engine text, the result as JSON) are committed
in one SQLite transaction before narration; the narration is added to that record after it. A kill at
any moment loses at most the prose; a resumed game opens with the last turn's text. Meta commands
(undo, save, ...) are methods (game.play.meta_commands) that typed words reach too. A line of several
commands is understood whole first (game.understanding.whole_line): one part not understood, none is done.
`result.record` is the record's id (what `adventure run` uses to bring a JSONL log level with the save).

When the backend reports itself unavailable (`backend.unavailable`, set by a server backend after a failed
request, cleared by its background check), a turn does not wait for it: the engine's text is the narration
(source "fallback") and free text is resolved without the model's ranking.

With `villagers=True` the story's village (game.play.village) shares the save file:
villagers in the room are listed and offered as "Talk to NAME" choices, they
witness the player's turns, "talk to / ask NAME about …" or "NAME, …" (which
understanding resolves, the villagers present being people it knows) gets an
answer from their memories, and `advance_village()` (a UI calls it between
turns, in a worker) lets them live up to the game clock.

Deliberately left out: threading (a UI runs `submit` in a worker), rendering
and key bindings (the TUI's).
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Generator, Iterator

from agent.backend import Backend
from agent.files import write_text_atomic
from game.narration.narrator import (
    HistoryEntry,
    Narration,
    Narrator,
    drain,
    summarise,
    trim_history,
)
from game.play.meta_commands import MetaCommands
from game.play.saves import SaveStore
from game.play.transcript import history_entries, markdown
from game.play.turn_result import TurnResult
from game.textworld.story_files import open_named_story
from game.understanding.addressing import Addressee
from game.understanding.intent import Context, Intent, resolve
from game.understanding.splitting import split_commands
from game.understanding.whole_line import not_understood
from game.world.actions import describe_room
from game.world.choices import Choice, build_choices
from game.world.engine import Engine
from game.world.events import Action, Event, Talk, facts_text
from game.world.limits import SHOWN_INPUT_CHARS
from game.world.model import Story
from game.world.wording import capitalise_first

log = logging.getLogger(__name__)

HISTORY_KEEP = 16


class NarrationCut(Exception):
    """Thrown into `GameSession.stream` to stop the narration in progress."""


def default_save_path(story_id: str) -> Path:
    base = os.environ.get("ADVENTURE_SAVE_DIR") or Path.home() / ".local" / "share" / "adventure" / "saves"
    return Path(base) / f"{story_id}.sqlite"


class GameSession(MetaCommands):
    def __init__(self, story: Story, backend: Backend | None, store: SaveStore, *, narrate: bool = True,
                 max_tokens: int | None = None, villagers: bool = False, narration: str | None = None) -> None:
        self.story = story
        self.backend = backend
        self.store = store
        resumed = store.current()
        self.resumed_from = store.transcript()[-1] if resumed is not None and store.transcript() else None
        self._open_record: int | None = None  # a turn committed before its narration
        self.engine = Engine(story, resumed)
        if resumed is None:
            store.push(self.engine.state)
        self.narrator = Narrator(backend if narrate else None, story, state=lambda: self.engine.state,
                                 today=lambda: self.engine.state.clock(story).date(),
                                 **({"max_tokens": max_tokens} if max_tokens else {}))
        # narration mode: "model" | "engine" | "auto" (a probe picks, at the first narrated turn or
        # when a UI calls probe_narration() in a worker); ADVENTURE_NARRATION carries `play --narration`
        self._narration_request = narration or os.environ.get("ADVENTURE_NARRATION") or "auto"
        self.narration_mode, self.narration_note = "model", "narration: model (probe pending)"
        self._narration_resolved = False
        if backend is None or not narrate or self._narration_request in ("model", "engine"):
            self.probe_narration()
        self.history: list[HistoryEntry] = history_entries(store.transcript()[-HISTORY_KEEP:])
        self.choices: list[Choice] = build_choices(self.engine)
        self.context = Context()  # pronouns, "again" and "oops" refer to earlier commands
        self._last_narrated: tuple[str, list[Event]] | None = None
        self._retries = 0
        self.village, self.village_problem = None, None
        if villagers:  # the story's village (game.play.village) lives in this save file
            from agent.villagers.script import VillageInvalid
            from game.play.village import GameVillage
            try:
                self.village = GameVillage.open(story, backend, store.path)
                self.village_problem = self.village.problem if self.village else None
            except VillageInvalid as exc:
                log.warning("the village of %s does not load; playing without villagers: %s", story.id, exc)
                self.village_problem = f"The village could not be loaded, so villagers stay away: {exc}"

    @classmethod
    def start(cls, story: Story | str | Path | None = None, backend: Backend | None = None, *,
              save_path: str | Path | None = None, resume: bool = True, narrate: bool = True,
              max_tokens: int | None = None, villagers: bool = False, narration: str | None = None) -> "GameSession":
        if not isinstance(story, Story):
            story = open_named_story(None if story is None else str(story))
        path = Path(save_path) if save_path else default_save_path(story.id)
        if not resume and path.exists():
            # Never overwrite an existing save: a fresh game gets a fresh file beside it.
            path.parent.mkdir(parents=True, exist_ok=True)
            path = Path(tempfile.mkstemp(prefix=f"{story.id}-", suffix=".sqlite", dir=path.parent)[1])
            path.unlink()
        return cls(story, backend, SaveStore(path, story.id), narrate=narrate, max_tokens=max_tokens,
                   villagers=villagers, narration=narration)

    # --- properties for the UI -----------------------------------------------------
    @property
    def state(self):
        return self.engine.state

    @property
    def state_hash(self) -> str:
        return self.engine.state_hash()

    def save_names(self) -> list[str]:
        return self.store.names()

    def close(self) -> None:
        if self.village is not None:
            self.village.close()
        self.store.close()

    def probe_narration(self) -> str:
        """Settle the narration mode (runs the capability probe once per model file; call it in a worker)."""
        if not self._narration_resolved:
            from game.narration.mode import resolve_mode

            backend = self.narrator.backend
            self.narration_mode, self.narration_note = resolve_mode(backend, self._narration_request)
            if backend is None and self.backend is not None:
                self.narration_note = "narration: engine (narration off)"
            self.narrator.engine_only = self.narration_mode == "engine"
            self._narration_resolved = True
        return self.narration_mode

    def advance_village(self) -> list[dict]:
        """Let the village catch up with the game clock (a UI calls this in a worker between turns)."""
        return self.village.advance_to(self.engine.state.minutes) if self.village is not None else []

    # --- turns --------------------------------------------------------------------------
    def opening(self) -> TurnResult:
        events = [Event("intro", f"{self.story.title}\n\n{self.story.intro.strip()}")]
        last = self.resumed_from
        if last is not None:  # the last turn's text: a kill may have kept the player from ever seeing it
            shown = (last["narration"] or last["facts"]).strip()
            events.append(Event("resumed", f"(Resumed. Last turn: > {last['input']})\n{shown}".rstrip()))
        events += [describe_room(self.story, self.engine.state)] + self._village_events()
        if self.village_problem:
            events.append(Event("refused", self.village_problem))
        return self._result("", "meta", None, events, Narration(facts_text(events), "none"))

    def submit(self, text: str, on_text: Callable[[str], None] | None = None) -> TurnResult:
        return drain(self._turn(text), on_text)

    def stream(self, text: str) -> Iterator[str | TurnResult]:
        """`gen.throw(NarrationCut())` while pieces stream stops the narration (a UI's Esc):
        the state is already committed, the model stops, the turn finishes at once and the
        value returned by `throw` is its TurnResult, with `narration_source == "cut"`."""
        turn = self._turn(text)
        cut: NarrationCut | None = None
        while True:
            try:
                piece = turn.throw(cut) if cut else next(turn)
            except StopIteration as done:
                if cut:
                    done.value.narration_source = "cut"
                yield done.value
                return
            try:
                yield piece
            except NarrationCut as exc:  # raised in the narrator, which falls back to the facts
                cut = exc

    # --- the loop -------------------------------------------------------------------------
    @contextmanager
    def _turn_goes_first(self):
        """The village (stepping in a UI worker) waits while a turn is played."""
        if self.village is not None:
            self.village.turn_started()
        try:
            yield
        finally:
            if self.village is not None:
                self.village.turn_ended()

    def _turn(self, text: str) -> Generator[str, None, TurnResult]:
        with self._turn_goes_first():
            return (yield from self._play_line(text))

    def _play_line(self, text: str) -> Generator[str, None, TurnResult]:
        started = time.perf_counter()
        text = text if isinstance(text, str) else ""
        shown_input = " ".join(text.split())[:SHOWN_INPUT_CHARS]
        intent, earlier = self._understand(text)
        if intent.talk is not None:
            result = self._talk(intent.talk, shown_input, earlier)
        elif intent.meta and intent.action is None and not earlier:
            result = self.meta(intent.meta, intent.argument, shown_input)
        else:
            result = yield from self._play(intent, shown_input, earlier)
        result.ranked = intent.scores
        result.understood_by = intent.layer
        return self._record(result, started, intent.ms)

    def _understand(self, text: str) -> tuple[Intent, list[Event]]:
        """Understanding, command by command: "take the lamp and go north" carries out each but the last
        (their events are returned) and returns the last one's intent, for the turn to play and narrate."""
        signed = _SIGNED_NUMBER.fullmatch(text.strip())  # "-1" is not choice 1
        parts = [] if signed else (split_commands(text, self.story, self._people_here()) or [text])
        stop = not_understood(parts, self.engine, self.choices, self.context, self._people_here())
        if stop is not None:  # one command of the line is not understood: none of it is done
            return stop, []
        earlier: list[Event] = []
        intent = Intent("empty", message=f"Pick a number from 1 to {len(self.choices)}.", layer="ask")
        for n, part in enumerate(parts):
            intent = resolve(part, self.engine, self.choices, self._live_backend(), context=self.context,
                             villagers=self._people_here())
            for extra in intent.also:  # "take all": every action but the last happens quietly first
                outcome = self._perform(intent.action)
                earlier += outcome.events
                if outcome.refused:
                    intent = Intent(intent.how, layer=intent.layer)
                    break
                intent.action = extra
            last = n == len(parts) - 1 or intent.action is None
            if not last:
                outcome = self._perform(intent.action)
                earlier += outcome.events
                if outcome.refused:
                    last, intent = True, Intent(intent.how, layer=intent.layer)
            if last:
                break
        return intent, earlier

    def _recorded(self, shown_input: str, command: Callable[[], TurnResult]) -> TurnResult:
        """A meta command called as a method (game.play.meta_commands), recorded like a typed one."""
        started = time.perf_counter()
        with self._turn_goes_first():
            return self._record(command(), started, 0.0)

    def _record(self, result: TurnResult, started: float, intent_ms: float) -> TurnResult:
        """The turn's record in the save: written now with its states, or finished when it was committed
        before the narration."""
        result.timings.update(intent_ms=round(intent_ms, 3), total_ms=round((time.perf_counter() - started) * 1000, 3))
        record, self._open_record = self._open_record, None
        if record is None:  # no narration came between: the states and the record commit together now
            record = self.store.log_turn(result.input, result.how, [e.to_dict() for e in result.events],
                                         result.facts, result.narration, result.timings, result.to_dict())
        else:
            result.record = record
            self.store.finish_turn(record, result.narration, result.to_dict())
        result.record = record
        return result

    def _live_backend(self) -> Backend | None:
        """The backend, or None while it reports itself unavailable (a turn never waits on a dead server)."""
        return None if self.backend is None or self.backend.unavailable else self.backend

    def _commit_before_narration(self, intent: Intent, shown_input: str, events: list[Event], changed: bool) -> None:
        """The turn's states and record in one transaction, before any prose; the narration follows."""
        pending = self._result(shown_input, intent.how, intent.action, events,
                               Narration(facts_text(events), "pending"), changed=changed)
        pending.ranked, pending.understood_by = intent.scores, intent.layer
        self._open_record = self.store.log_turn(shown_input, intent.how, [e.to_dict() for e in events],
                                                pending.facts, "", pending.timings, pending.to_dict())

    def _perform(self, action: Action):
        """Carry out one action: the engine, the save, and the villagers who saw it."""
        outcome = self.engine.perform(action)
        if outcome.changed:
            self.store.stage(self.engine.state)  # committed with the turn's record (log_turn)
        if self.village is not None and not outcome.refused:
            self.village.witness(self.story, self.engine.state, outcome.events)
            outcome.events.extend(self._village_events())
        return outcome

    def _play(self, intent: Intent, shown_input: str,
              earlier: list[Event] = ()) -> Generator[str, None, TurnResult]:
        """`earlier`: events of commands typed before this one on the same line."""
        if intent.action is None and earlier:  # the line's earlier commands happened; this one did not
            events = [*earlier] + ([Event("clarify", intent.message)] if intent.message else [])
            return self._result(shown_input, intent.how, None, events, Narration(facts_text(events), "none"),
                                changed=True)
        if intent.action is None:  # clarify, empty, or a parser refusal: nothing happens
            kind = "clarify" if intent.how == "clarify" else "refused"
            events = [Event(kind, intent.message)]
            if intent.options:
                self.choices = [Choice(n, capitalise_first(a.phrase(self.story)), action=a)
                                for n, a in enumerate(intent.options, 1)]
            return self._result(shown_input, intent.how, None, events, Narration(intent.message, "none"),
                                keep_choices=bool(intent.options))
        outcome = self._perform(intent.action)
        outcome.events[:0] = earlier
        narrate = not outcome.refused and intent.action.verb not in ("inventory",)
        if narrate:
            self._commit_before_narration(intent, shown_input, outcome.events, outcome.changed)
            self._last_narrated, self._retries = (shown_input, outcome.events), 0
        if narrate and self._live_backend() is None and self.narrator.backend is not None \
                and not self.narrator.engine_only:
            narration = Narration(facts_text(outcome.events), "fallback", error="model unavailable")
        elif narrate:
            self.probe_narration()
            narration = yield from self.narrator.narrate_iter(self.history, shown_input, outcome.events,
                                                              seed=self.engine.state.turn)
        else:
            narration = Narration(facts_text(outcome.events), "none")
        self.history = trim_history(self.history + [HistoryEntry(shown_input, summarise(outcome.events))])
        result = self._result(shown_input, intent.how, intent.action, outcome.events, narration,
                              changed=outcome.changed)
        result.timings["engine_ms"] = round(outcome.engine_ms, 3)
        return result

    def _village_events(self) -> list[Event]:
        from game.play.village import presence_event

        return [e for e in [self.village and presence_event(self.village, self.story, self.engine.state)] if e]

    def _people_here(self) -> list[Addressee]:
        """The village's people in the room: understanding resolves words said to them."""
        return self.village.addressees(self.story, self.engine.state) if self.village is not None else []

    def _talk(self, talk: Talk, shown_input: str, earlier: list[Event]) -> TurnResult:
        """Words to a villager: the village answers (from memory); the world does not change."""
        from game.play.village import answer

        events = [*earlier, answer(self.village, talk)]
        return self._result(shown_input, "villager", None, events, Narration(facts_text(events), "none"),
                            changed=bool(earlier))

    def _result(self, shown_input: str, how: str, action: Action | None, events: list[Event],
                narration: Narration, *, changed: bool = False, keep_choices: bool = False) -> TurnResult:
        story, state = self.story, self.engine.state
        if not keep_choices:
            self.choices = build_choices(self.engine)
            if self.village is not None:  # "Talk to Hassan" for villagers the story itself does not know
                from game.play.village import talk_choices

                self.choices += talk_choices(self.village, story, state, len(self.choices))
        return TurnResult.of(story, state, shown_input, how, action, events, narration, list(self.choices),
                             changed=changed, narration_mode=self.narration_mode)

    # --- transcript (game.play.transcript) ------------------------------------------------------------
    def transcript_markdown(self) -> str:
        return markdown(self.story.title, self.store.transcript())

    def export_transcript(self, path: str | Path) -> Path:
        return write_text_atomic(path, self.transcript_markdown())


_SIGNED_NUMBER = re.compile(r"[-+]\s*\d+")
