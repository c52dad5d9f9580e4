"""Compare two turn logs (the JSONL `adventure run` writes) and find the first turn where they differ.

What counts: the engine's side of a turn, which is deterministic for the same
story, save and input — `ENGINE_FIELDS`: the input, the action the engine
performed, its text (`facts`), the room, the inventory, the purse, the score,
won/lost and the world's state hash. What does not count: the model's prose
(`narration` and its source, mode and rejections), timings, the ranking
scores, which understanding layer settled a line, the record ids and the
choices offered (they list villagers, whose whereabouts follow the village's
own clock). Under `adventure play --watch` the story itself changed, so
`game.play.story_watch` compares `STORY_CHANGE_FIELDS` (the same without the state
hash, which any edit of the story changes).

Deliberately left out: a full diff of every later turn (after the first
difference the two games are in different states, so later differences mostly
follow from it) and any fuzzy matching of prose.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ENGINE_FIELDS = ("input", "action", "facts", "location", "inventory", "purse", "score", "won", "lost", "state_hash")
STORY_CHANGE_FIELDS = tuple(f for f in ENGINE_FIELDS if f != "state_hash")


class TranscriptInvalid(ValueError):
    """A line of a JSONL log that is not a turn; the message names FILE:LINE."""


@dataclass
class Difference:
    turn: int  # 1-based: the first turn that differs
    input: str  # what was typed at that turn (the old log's, else the new one's)
    fields: list[tuple[str, object, object]]  # (field, old value, new value); empty when one log just ended
    old_turns: int
    new_turns: int

    def describe(self, old_name: str = "old", new_name: str = "new") -> str:
        head = f"turn {self.turn} (> {self.input})" if self.input else f"turn {self.turn}"
        if not self.fields:
            shorter, longer = (old_name, new_name) if self.old_turns < self.new_turns else (new_name, old_name)
            return (f"{head}: {shorter} ends after {min(self.old_turns, self.new_turns)} turns, "
                    f"{longer} goes on to {max(self.old_turns, self.new_turns)}")
        lines = [f"{head} differs:"]
        for name, old, new in self.fields:
            lines.append(f"  {name}:\n    {old_name}: {_show(old)}\n    {new_name}: {_show(new)}")
        return "\n".join(lines)


def _show(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


def load_turns(path: str | Path) -> list[dict]:
    """The turns of a JSONL log: one JSON object per line; blank lines are skipped. A bad line raises
    TranscriptInvalid naming FILE:LINE, except a half-written last line (a killed run), which is dropped."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    turns = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            turn = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines) and not text.endswith("\n"):
                log.info("%s:%d: a half-written last line (a killed run) is left out", path, number)
                break  # the run was killed mid-line: that turn was never finished
            raise TranscriptInvalid(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(turn, dict) or "input" not in turn:
            raise TranscriptInvalid(f"{path}:{number}: not a turn (a JSON object with an \"input\")")
        turns.append(turn)
    return turns


def turn_differences(old: dict, new: dict, fields: tuple[str, ...] = ENGINE_FIELDS) -> list[tuple[str, object, object]]:
    """The compared fields whose values differ (a field missing on one side differs from any value)."""
    missing = object()
    out = []
    for name in fields:
        a, b = old.get(name, missing), new.get(name, missing)
        if a != b:
            out.append((name, None if a is missing else a, None if b is missing else b))
    return out


def first_difference(old: list[dict], new: list[dict],
                     fields: tuple[str, ...] = ENGINE_FIELDS) -> Difference | None:
    """The first turn where the logs differ in `fields`, or where one ends before the other; None if the same."""
    for index, (a, b) in enumerate(zip(old, new)):
        found = turn_differences(a, b, fields)
        if found:
            return Difference(index + 1, str(a.get("input", "")), found, len(old), len(new))
    if len(old) != len(new):
        index = min(len(old), len(new))
        longer = old if len(old) > len(new) else new
        return Difference(index + 1, str(longer[index].get("input", "")), [], len(old), len(new))
    return None


def compare_files(old_path: str | Path, new: str | Path | list[dict], new_name: str | None = None) -> tuple[int, str]:
    """(exit code, report) for OLD against NEW (a file or turns just played): 0 the same, 1 they differ."""
    old = load_turns(old_path)
    new_turns = load_turns(new) if not isinstance(new, list) else new
    new_name = new_name or (str(new) if not isinstance(new, list) else "this run")
    found = first_difference(old, new_turns)
    if found is None:
        return 0, (f"{len(old)} turns, the same engine results in {old_path} and {new_name} "
                   f"(compared: {', '.join(ENGINE_FIELDS)})")
    return 1, found.describe(str(old_path), new_name)
