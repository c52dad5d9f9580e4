"""Textual messages for engine events, posted from thread workers to the game screen.

Workers never touch widgets: they post one of these (post_message is
thread-safe) and the screen's handlers update the widgets on the UI thread.

Deliberately left out: per-event messages for the engine's own events (the
TurnResult carries them; widgets only need the finished turn).
"""
from __future__ import annotations

from textual.message import Message

from game.play.session import TurnResult
from game.tui.controller import PanelInfo


class EngineMessage(Message, bubble=False):
    """Base: engine events go to the one pump they are posted to, no further."""


class SessionOpened(EngineMessage):
    """A game is open: `opening` to show, and `recent` transcript rows when resumed."""

    def __init__(self, opening: TurnResult, panel: PanelInfo, resumed: bool, recent: list[tuple[str, str]]) -> None:
        super().__init__()
        self.opening, self.panel, self.resumed, self.recent = opening, panel, resumed, recent


class ResumeOffered(EngineMessage):
    """An autosave with progress exists: ask before resuming it."""

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary


class SessionFailed(EngineMessage):
    """The story or save could not be opened."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class TurnStarted(EngineMessage):
    def __init__(self, text: str, label: str) -> None:
        super().__init__()
        self.text, self.label = text, label


class NarrationPiece(EngineMessage):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class TurnFinished(EngineMessage):
    """A turn (or undo/redo/retry/save/load) is done; `result.narration_source` may be "cut"."""

    def __init__(self, result: TurnResult, panel: PanelInfo, vocabulary: list[str]) -> None:
        super().__init__()
        self.result, self.panel, self.vocabulary = result, panel, vocabulary


class TurnFailed(EngineMessage):
    """Something broke mid-turn; the game goes on from the committed state."""

    def __init__(self, error: str, panel: PanelInfo | None) -> None:
        super().__init__()
        self.error, self.panel = error, panel


class ModelReady(EngineMessage):
    def __init__(self, name: str, load_s: float) -> None:
        super().__init__()
        self.name, self.load_s = name, load_s


class ModelFailed(EngineMessage):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SceneDrawn(EngineMessage):
    """A scene's picture is ready (possibly for a scene the player has already left)."""

    def __init__(self, scene, path) -> None:
        super().__init__()
        self.scene, self.path = scene, path


class SceneFailed(EngineMessage):
    """No picture for this scene: the one line to show instead."""

    def __init__(self, scene, error: str) -> None:
        super().__init__()
        self.scene, self.error = scene, error


class StoryReloaded(EngineMessage):
    """`--watch`: the story file changed and the game goes on in the new version; `note` says how the replay went."""

    def __init__(self, note: str, opening: TurnResult, panel: PanelInfo, vocabulary: list[str]) -> None:
        super().__init__()
        self.note, self.opening, self.panel, self.vocabulary = note, opening, panel, vocabulary


class StoryReloadFailed(EngineMessage):
    """`--watch`: the changed file is not a valid story (`error`: FILE:LINE: lines); the old version plays on."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
