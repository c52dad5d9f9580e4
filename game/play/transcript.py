"""The save's turn log read back: the narrator's history window and the Markdown transcript.

Deliberately left out: writing turns (game.play.saves does, in the turn's transaction) and writing the
file (the session does, through agent.files).
"""
from __future__ import annotations

import json

from game.narration.narrator import HistoryEntry, summarise
from game.world.events import Event


def history_entries(rows: list) -> list[HistoryEntry]:
    """One history line per played turn (meta commands and questions back are no part of the story)."""
    entries = []
    for row in rows:
        if row["how"] in ("meta", "empty", "clarify"):
            continue
        events = [Event(e["kind"], e["message"], e.get("data", {})) for e in json.loads(row["events"])]
        entries.append(HistoryEntry(row["input"], summarise(events)))
    return entries


def markdown(title: str, rows: list) -> str:
    lines = [f"# {title}", ""]
    for row in rows:
        if row["input"]:
            lines += [f"> {row['input']}", ""]
        text = row["narration"] or row["facts"]
        if text:
            lines += [text.strip(), ""]
        if row["narration"] and row["facts"] and row["narration"].strip() != row["facts"].strip():
            lines += ["<details><summary>facts</summary>", "", row["facts"].strip(), "", "</details>", ""]
    return "\n".join(lines)
