"""SidePanel: where you are, score, game time, who is here, what you carry.

It renders a `PanelInfo` (plain data from the controller) and nothing else; an empty
`time` or `purse` (a story without a clock or money) leaves its line out. The panel is
never cut for the picture (the scene box above it shrinks instead, see adventure.tcss);
where even the smallest box leaves too few rows for one name a line, the lists are
written as one wrapped line each (`compact`), people before belongings.

Deliberately left out: a map and item details (examine them in the game).
"""
from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from game.tui.controller import PanelInfo

MIN_SCENE_ROWS = 8  # the scene box's min-height in adventure.tcss
FIXED_ROWS = 7  # padding, title and its margin, the two headings with their margins


class SidePanel(Vertical):
    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.info: PanelInfo | None = None
        self.compact = False

    def compose(self):
        yield Static("", id="panel-location", classes="panel-title")
        yield Static("", id="panel-stats")
        yield Static("People here", classes="panel-heading")  # the room's, next to its name
        yield Static("", id="panel-people")
        yield Static("Inventory", classes="panel-heading")
        yield Static("", id="panel-inventory")

    def show(self, info: PanelInfo) -> None:
        self.info = info
        self.query_one("#panel-location", Static).update(Text(info.location or "…", style="bold"))
        rows = [("Score", info.score or "-"), ("Time", info.time), ("Purse", info.purse), ("Turn", str(info.turn))]
        stats = Text()
        for label, value in rows:
            if value:  # a story without money or a clock has no purse or time to show
                stats.append("\n" if stats else "").append(f"{label:<6}", style="dim").append(value)
        if info.outcome != "playing":
            stats.append(f"\nThe story is over: you {info.outcome}.", style="bold")
        self.query_one("#panel-stats", Static).update(stats)
        self.refit()

    def refit(self, side_rows: int | None = None) -> None:
        """Write the lists one name a line, or as one wrapped line each when the side column is too short."""
        info = self.info
        if info is None:
            return
        if side_rows is None:
            side_rows = self.parent.size.height if self.parent is not None else 0
        stats_rows = 2 + sum(1 for v in (info.time, info.purse) if v) + (info.outcome != "playing")
        wanted = FIXED_ROWS + stats_rows + max(1, len(info.people)) + max(1, len(info.inventory))
        self.compact = bool(side_rows) and wanted > side_rows - MIN_SCENE_ROWS
        self.query_one("#panel-people", Static).update(_listing(info.people, "(nobody)", self.compact))
        self.query_one("#panel-inventory", Static).update(_listing(info.inventory, "(nothing)", self.compact))


def _listing(names: list[str], empty: str, compact: bool) -> Text:
    if not names:
        return Text(empty)
    if compact:
        return Text("• " + ", ".join(names))
    return Text("\n".join(f"• {name}" for name in names))
