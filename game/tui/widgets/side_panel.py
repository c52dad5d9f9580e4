"""SidePanel: where you are, what you carry, score, game time, who is here.

It renders a `PanelInfo` (plain data from the controller) and nothing else; an empty
`time` or `purse` (a story without a clock or money) leaves its line out.

Deliberately left out: a map and item details (examine them in the game).
"""
from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from ..controller import PanelInfo


class SidePanel(Vertical):
    can_focus = False

    def compose(self):
        yield Static("", id="panel-location", classes="panel-title")
        yield Static("", id="panel-stats")
        yield Static("Inventory", classes="panel-heading")
        yield Static("", id="panel-inventory")
        yield Static("People here", classes="panel-heading")
        yield Static("", id="panel-people")

    def show(self, info: PanelInfo) -> None:
        self.query_one("#panel-location", Static).update(Text(info.location or "…", style="bold"))
        rows = [("Score", info.score or "-"), ("Time", info.time), ("Purse", info.purse), ("Turn", str(info.turn))]
        stats = Text()
        for label, value in rows:
            if value:  # a story without money or a clock has no purse or time to show
                stats.append("\n" if stats else "").append(f"{label:<6}", style="dim").append(value)
        if info.outcome != "playing":
            stats.append(f"\nThe story is over: you {info.outcome}.", style="bold")
        self.query_one("#panel-stats", Static).update(stats)
        self.query_one("#panel-inventory", Static).update(
            Text("\n".join(f"• {name}" for name in info.inventory) or "(nothing)"))
        self.query_one("#panel-people", Static).update(
            Text("\n".join(f"• {name}" for name in info.people) or "(nobody)"))
