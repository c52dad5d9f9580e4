"""The commands about the game rather than in it: undo, redo, retry, save, load, transcript, help, quit.

`MetaCommands` is the part of `GameSession` (game.play.session) that carries
them out. Each is a method (`session.undo()`, `session.save("camp")`), and a
typed word ("undo", "save camp") reaches the same method through `meta(...)`
once understanding has read it (game.understanding.intent.META_WORDS: the
one list of meta words). Both record the command in the save's turn log, so a
transcript and `adventure run` see it the same way whichever way it came.

It uses the session's story, engine, store, narrator, history and `_result`;
it leaves the turn itself (understanding, engine, narration) to the session.

Deliberately left out: the village (undo does not rewind what villagers
remember; the help says so).
"""
from __future__ import annotations

import logging
from pathlib import Path

from game.narration.narrator import Narration
from game.play.saves import MAX_SAVE_NAME
from game.play.turn_result import TurnResult
from game.world.actions import describe_room
from game.world.engine import Engine
from game.world.events import Event, facts_text

log = logging.getLogger(__name__)

HELP = ("Type what you want to do (\"take the lantern\", \"go north\", \"answer wind\") or a choice's number. "
        "Short forms: n s e w u d, l (look), i (inventory), x THING (examine). "
        "People: talk to NAME, ask NAME about THING, or \"NAME, your question\" (villagers answer from what they "
        "remember; undo does not make them forget). "
        "Meta: look, inventory, help, save [NAME], load [NAME], undo, redo, retry, transcript [FILE], quit.")


class MetaCommands:
    # --- the methods a UI calls -------------------------------------------------------
    def undo(self) -> TurnResult:
        return self._recorded("undo", lambda: self._move_in_time(-1, "undo"))

    def redo(self) -> TurnResult:
        return self._recorded("redo", lambda: self._move_in_time(1, "redo"))

    def retry(self) -> TurnResult:
        return self._recorded("retry", lambda: self._retry("retry"))

    def save(self, name: str = "quicksave") -> TurnResult:
        return self._recorded(f"save {name}", lambda: self._save(name, f"save {name}"))

    def load(self, name: str = "quicksave") -> TurnResult:
        return self._recorded(f"load {name}", lambda: self._load(name, f"load {name}"))

    # --- typed meta words, after understanding ------------------------------------------------
    def meta(self, meta: str, argument: str, shown_input: str) -> TurnResult:
        """The TurnResult of a meta command `understanding` read from the player's words (not yet recorded)."""
        argument = argument.strip()
        if meta == "undo" or meta == "redo":
            return self._move_in_time(-1 if meta == "undo" else 1, shown_input)
        if meta == "retry":
            return self._retry(shown_input)
        if meta == "save":
            return self._save(argument, shown_input)
        if meta == "load":
            return self._load(argument, shown_input)
        if meta == "quit":
            result = self._result(shown_input, "meta", None, [Event("quit", "Goodbye.")], Narration("Goodbye.", "none"))
            result.quit = True
            return result
        if meta == "help":
            return self._said(shown_input, [Event("help", HELP)])
        if meta == "transcript":
            return self._transcript(argument, shown_input)
        log.warning("no meta command %r (understanding offered a word this session does not carry out)", meta)
        return self._said(shown_input, [Event("refused", "Unknown command.")])

    # --- each command ---------------------------------------------------------------------------
    def _move_in_time(self, delta: int, shown_input: str) -> TurnResult:
        word = "undo" if delta < 0 else "redo"
        state = self.store.move_head(delta, staged=True)
        if state is None:
            return self._said(shown_input, [Event("refused", f"Nothing to {word}.")])
        self.engine = Engine(self.story, state)
        events = [Event(word, "Undone." if delta < 0 else "Redone."), describe_room(self.story, state)]
        return self._said(shown_input, events, changed=True)

    def _save(self, argument: str, shown_input: str) -> TurnResult:
        name = save_name(argument)
        self.store.save(name, self.engine.state)
        return self._said(shown_input, [Event("saved", f"Saved as \"{name}\".")])

    def _load(self, argument: str, shown_input: str) -> TurnResult:
        name = save_name(argument)
        state = self.store.load(name)
        if state is None:
            known = ", ".join(self.store.names()) or "none yet"
            return self._said(shown_input, [Event("refused", f"No save called \"{name}\" (saves: {known}).")])
        self.engine = Engine(self.story, state)
        self.store.stage(state)  # loading is a step of its own: undo goes back to before it
        return self._said(shown_input, [Event("loaded", f"Loaded \"{name}\"."), describe_room(self.story, state)],
                          changed=True)

    def _transcript(self, argument: str, shown_input: str) -> TurnResult:
        path = Path(argument).expanduser() if argument else self.store.path.with_suffix(".md")
        try:
            self.export_transcript(path)
        except OSError as exc:
            log.warning("transcript not written to %s: %s", path, exc)
            return self._said(shown_input, [Event("refused", f"Could not write {path}: {exc.strerror or exc}.")])
        return self._said(shown_input, [Event("transcript", f"Transcript written to {path}.")])

    def _retry(self, shown_input: str) -> TurnResult:
        if self._last_narrated is None:
            return self._said(shown_input, [Event("refused", "There is no turn to retell yet.")])
        last_input, events = self._last_narrated
        self._retries += 1
        history = self.history[:-1] if self.history else []
        narration = self.narrator.narrate(history, last_input, events,
                                          seed=self.engine.state.turn + 1000 * self._retries)
        return self._result(shown_input, "meta", None, events, narration)

    def _said(self, shown_input: str, events: list[Event], *, changed: bool = False) -> TurnResult:
        """A meta command's result: the engine-style events as the text, no narration."""
        if changed:
            self.history = []  # another point in time: the narrator's recent history no longer holds
        return self._result(shown_input, "meta", None, events, Narration(facts_text(events), "none"), changed=changed)


def save_name(argument: str) -> str:
    name = "".join(ch for ch in argument if ch.isalnum() or ch in "-_ ").strip()[:MAX_SAVE_NAME]
    return name or "quicksave"
