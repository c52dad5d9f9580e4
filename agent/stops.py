"""Stop strings over a stream of text pieces.

`StopFilter.feed(piece)` returns the text that is safe to show now: it holds
back any tail that could still grow into a stop string, and reports the stop
string once one appears (the stop string itself is never shown).
"""
from __future__ import annotations

from typing import Sequence


class StopFilter:
    def __init__(self, stops: Sequence[str]) -> None:
        self.stops = [s for s in stops if s]
        self.pending = ""
        self.hit: str = ""

    def feed(self, piece: str) -> str:
        if self.hit:
            return ""
        self.pending += piece
        if not self.stops:
            out, self.pending = self.pending, ""
            return out
        first = None
        for stop in self.stops:
            at = self.pending.find(stop)
            if at >= 0 and (first is None or at < first[0]):
                first = (at, stop)
        if first is not None:
            self.hit = first[1]
            out, self.pending = self.pending[: first[0]], ""
            return out
        hold = 0
        for stop in self.stops:  # longest tail that is a proper prefix of a stop string
            for n in range(min(len(stop) - 1, len(self.pending)), 0, -1):
                if stop.startswith(self.pending[-n:]):
                    hold = max(hold, n)
                    break
        out = self.pending[: len(self.pending) - hold]
        self.pending = self.pending[len(self.pending) - hold :]
        return out

    def flush(self) -> str:
        out, self.pending = ("" if self.hit else self.pending), ""
        return out
