"""GameController: everything the TUI asks of the game, with no widgets in sight.

It opens the story and its save (remembering which save file was played last,
so `adventure play` offers to resume that one), runs turns through
`GameSession.stream` with cancellation (Esc throws `NarrationCut` into the
stream), and turns engine state into plain data for the side panel, the tab
completion and the load screen. One lock serialises all session calls, so
thread workers may queue turns while one is still narrating.

Deliberately left out: threading itself (the screen's workers call in here),
rendering, and anything the engine already decides (choices, parsing).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from agent.backend import Backend
from game.play.session import GameSession, NarrationCut, TurnResult, default_save_path
from game.textworld.story_files import open_named_story
from game.understanding.intent import META_COMMANDS
from game.understanding.parser import DIRECTION_WORDS, VERB_SYNONYMS
from game.world import queries as q
from game.world.model import Story


@dataclass
class PanelInfo:
    location: str = ""
    inventory: list[str] = field(default_factory=list)
    purse: str = ""
    score: str = ""
    time: str = ""
    people: list[str] = field(default_factory=list)
    turn: int = 0
    outcome: str = "playing"


@dataclass
class SaveInfo:
    name: str
    location: str
    time: str
    turn: int


def game_time(story: Story, session: GameSession) -> str:
    return session.state.clock(story).strftime("%a %d %b, %H:%M")


def people_listed(session: GameSession) -> list[str]:
    """Everyone the room text names: the story's characters here, then the villagers of the village who are
    here and are not story characters (the "Also here:" line of `game.play.village.presence_event`)."""
    story, state = session.story, session.state
    names = [story.character(c).name for c in q.people_here(story, state)]
    village = session.village
    if village is not None:
        names += [name for vid, name, _ in village.present(story, state)
                  if not village.village.people[vid].character and name not in names]
    return names


class GameController:
    def __init__(self, story: str | Story | None, backend: Backend | None, *, save_path: str | Path | None = None,
                 remember_last: bool = True, villagers: bool = False) -> None:
        self.story_arg = story
        self.villagers = villagers
        self.backend = backend
        self.save_path = Path(save_path) if save_path else None
        self.remember_last = remember_last and save_path is None
        self.story: Story | None = None
        self.session: GameSession | None = None
        self.lock = threading.RLock()

    # --- opening a game ---------------------------------------------------------------
    def _load_story(self) -> Story:
        if self.story is None:
            arg = self.story_arg
            self.story = arg if isinstance(arg, Story) else open_named_story(None if arg is None else str(arg))
        return self.story

    def _pointer(self) -> Path:
        return default_save_path(self._load_story().id).with_suffix(".last")

    def _resume_path(self) -> Path | None:
        if self.save_path:
            return self.save_path
        if self.remember_last:
            try:
                last = Path(self._pointer().read_text(encoding="utf-8").strip())
                if last.exists():
                    return last
            except OSError:
                pass
        return None

    def open(self, resume: bool = True, save_path: str | Path | None = None) -> TurnResult:
        """Open (or reopen) the game; `resume=False` starts over in a fresh save file."""
        with self.lock:
            story = self._load_story()
            self.close()
            path = save_path or self._resume_path()
            self.session = GameSession.start(story, self.backend, save_path=path, resume=resume,
                                             villagers=self.villagers)
            if self.remember_last:
                try:
                    self._pointer().write_text(str(self.session.store.path), encoding="utf-8")
                except OSError:
                    pass
            return self.session.opening()

    def adopt(self, story: Story, save_path: str | Path) -> TurnResult:
        """`--watch`: go on with `story` (a new version of this one) in the save its replay wrote."""
        with self.lock:
            session = GameSession.start(story, self.backend, save_path=save_path, resume=True,
                                        villagers=self.villagers)  # before closing: a failure keeps the old game
            self.close()
            self.story = self.story_arg = story
            self.session = session
            return session.opening()

    def turn_log(self) -> list[dict]:
        """Every recorded turn's result, oldest first (what `--watch` replays)."""
        with self.lock:
            return [result for _, result in self.session.store.results_after(0)] if self.session else []

    def has_progress(self) -> bool:
        with self.lock:
            return bool(self.session and (self.session.state.turn > 0 or self.session.store.transcript()))

    def resume_summary(self) -> str:
        info = self.panel()
        return f"{info.location}, turn {info.turn}, {info.time}, score {info.score}"

    def recent(self, turns: int = 3) -> list[tuple[str, str]]:
        """The last few (input, text) pairs of the transcript, to show on resuming."""
        with self.lock:
            rows = [r for r in self.session.store.transcript() if r["input"]][-turns:]
            return [(r["input"], (r["narration"] or r["facts"]).strip()) for r in rows]

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    # --- turns -----------------------------------------------------------------------
    def turn(self, text: str, on_piece: Callable[[str], None], cancel: threading.Event) -> TurnResult:
        """One turn, streaming pieces to `on_piece`; setting `cancel` cuts the narration."""
        with self.lock:
            stream = self.session.stream(text)
            for item in stream:
                if isinstance(item, TurnResult):
                    return item
                if cancel.is_set():
                    return stream.throw(NarrationCut())
                on_piece(item)
            raise RuntimeError("the turn ended without a result")

    def command(self, name: str, argument: str = "") -> TurnResult:
        """undo / redo / retry / save NAME / load NAME through the session's own methods."""
        with self.lock:
            session = self.session
            if name in ("save", "load"):
                return getattr(session, name)(argument or "quicksave")
            return getattr(session, name)()

    # --- plain data for widgets ------------------------------------------------------
    def scene(self):
        """The engine's scene prompt for the current location and state (None before a game is open)."""
        from game.images.scene_prompt import scene_prompt

        if self.session is None:
            return None
        return scene_prompt(self._load_story(), self.session.state)

    def panel(self) -> PanelInfo:
        with self.lock:
            session, story = self.session, self.story
            if session is None:
                return PanelInfo()
            state = session.state
            return PanelInfo(
                location=story.room(state.location).name,
                inventory=[story.item(i).name for i in q.held(story, state)],
                purse=f"{state.counters.get(story.currency, 0)} {story.currency}" if q.uses_money(story) else "",
                score=f"{state.score} / {story.max_score()}",
                time=game_time(story, session) if q.uses_clock(story) else "",
                people=people_listed(session), turn=state.turn, outcome=state.outcome)

    def vocabulary(self) -> list[str]:
        """Words for tab completion: verbs, directions, meta words and the nouns present."""
        with self.lock:
            words = set(VERB_SYNONYMS) | set(DIRECTION_WORDS) | set(META_COMMANDS)
            session, story = self.session, self.story
            if session is not None:
                state = session.state
                for item_id in q.in_scope(story, state):
                    item = story.item(item_id)
                    words.update([item.name.lower(), *item.aliases])
                for char_id in q.people_here(story, state):
                    char = story.character(char_id)
                    words.update([char.name.lower(), *char.aliases])
            return sorted(w for w in words if len(w) > 1)

    def saves(self) -> list[SaveInfo]:
        with self.lock:
            session, story = self.session, self.story
            out = []
            for name in session.save_names():
                state = session.store.load(name)
                if state is not None:
                    out.append(SaveInfo(name, story.room(state.location).name,
                                        state.clock(story).strftime("%a %d %b, %H:%M"), state.turn))
            return out
