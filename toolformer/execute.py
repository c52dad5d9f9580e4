"""Stage 3: run every sampled call with the project's tools (agent.tools).

Calculator rounds to 2 decimals (the paper's rule, done by `agent.tools.calculate`);
Calendar answers with the text's own game date (`today` in the record);
LoreSearch searches the corpus lore. A tool that raises or hangs yields an
"error: ..." result with ok=false (the registry's timeout), and the run goes
on; the filter drops failed calls, since an error message cannot be the
information the text needs.

Deliberately left out: caching results across texts (tools are cheap),
Dice (random).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Callable, Sequence

from agent.tools import ToolRegistry, make_calculator, make_calendar, make_lore_search

log = logging.getLogger(__name__)

DEFAULT_TODAY = dt.date(1204, 5, 1)


def registry_for(record: dict, lore: Sequence[tuple[str, str]]) -> ToolRegistry:
    today = DEFAULT_TODAY
    if record.get("today"):
        try:
            today = dt.date.fromisoformat(record["today"])
        except ValueError as exc:
            log.warning("record %s: today=%r is not a date (%s); the calendar uses %s", record.get("id"),
                        record["today"], exc, today)
    return ToolRegistry([make_calculator(), make_calendar(lambda: today), make_lore_search(lore)])


def execute_records(records, lore: Sequence[tuple[str, str]],
                    make_registry: Callable[[dict], ToolRegistry] | None = None):
    """Yield records whose candidates carry `result` and `ok`."""
    make_registry = make_registry or (lambda rec: registry_for(rec, lore))
    for rec in records:
        registry = make_registry(rec)
        cands = []
        for cand in rec.get("candidates", []):
            res = registry.run(cand.get("tool", rec.get("tool", "?")), cand.get("input", ""))
            text = " ".join(res.text.split())  # no newlines inside a call
            cands.append({**cand, "result": text, "ok": res.ok})
        yield {**rec, "candidates": cands}
